//! Keeping the room pleasant: chat mutes, removal, bans (staff), reports (anyone).

use serde::{Deserialize, Serialize};

/// Characters a moderation reason or report may hold.
pub const MAX_REASON_CHARS: usize = 200;

/// client → server. `target` is an avatar id in the sender's room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModerationCmd {
    /// Drop (or again allow) the target's chat.
    MuteChat { target: u16, muted: bool },
    /// Stop forwarding the target's voice in the SFU (or allow it again; their microphone
    /// stays as they set it).
    MuteVoice { target: u16, muted: bool },
    /// Out of the room; rejoining is refused for a while.
    Remove { target: u16, reason: String },
    /// Out for good: this device and network, across names and restarts (staff only).
    Ban { target: u16, reason: String },
    /// Tell the lab team about someone (anyone may).
    Report { target: u16, reason: String },
}

impl ModerationCmd {
    pub fn target(&self) -> u16 {
        match self {
            ModerationCmd::MuteChat { target, .. }
            | ModerationCmd::MuteVoice { target, .. }
            | ModerationCmd::Remove { target, .. }
            | ModerationCmd::Ban { target, .. }
            | ModerationCmd::Report { target, .. } => *target,
        }
    }

    /// The action's name in the audit log.
    pub fn action(&self) -> &'static str {
        match self {
            ModerationCmd::MuteChat { muted: true, .. } => "mute_chat",
            ModerationCmd::MuteChat { muted: false, .. } => "unmute_chat",
            ModerationCmd::MuteVoice { muted: true, .. } => "mute_voice",
            ModerationCmd::MuteVoice { muted: false, .. } => "unmute_voice",
            ModerationCmd::Remove { .. } => "remove",
            ModerationCmd::Ban { .. } => "ban",
            ModerationCmd::Report { .. } => "report",
        }
    }
}

/// Why a moderation command did nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModerationRefusal {
    /// Your role does not allow this action.
    NotAllowed,
    /// Nobody with that id is in the room.
    NoSuchPerson,
    /// Staff and guides cannot be removed by those below them.
    Protected,
    /// The reason is too long or has control characters.
    BadReason,
    /// Too many reports in a short time.
    TooMany,
}

/// server → client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModerationMsg {
    /// To the target: your chat is muted (or no longer), and by whom.
    ChatMuted {
        muted: bool,
        by: String,
    },
    /// To the moderator: done.
    Done {
        action: String,
        target: u16,
    },
    Refused {
        reason: ModerationRefusal,
    },
    /// To the reporter: the lab team has your report.
    Reported,
}

/// A reason as typed by a moderator or reporter, trimmed; `None` when it breaks the rules.
pub fn clean_reason(raw: &str) -> Option<String> {
    let text = raw.trim();
    (text.chars().count() <= MAX_REASON_CHARS && !text.chars().any(char::is_control))
        .then(|| text.to_string())
}
