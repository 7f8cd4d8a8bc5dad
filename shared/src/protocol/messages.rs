//! Message types, one enum per direction and channel; the control channel's enums nest one
//! enum per domain (`super::domain`).

use serde::{Deserialize, Serialize};

pub use super::domain::chat::{ChatCmd, ChatMsg};
pub use super::domain::exhibits::{ExhibitCmd, ExhibitMsg, RatingAnswer, RatingRefusal};
pub use super::domain::moderation::{ModerationCmd, ModerationMsg, ModerationRefusal};
pub use super::domain::presence::{PresenceEntry, PresenceMsg};
pub use super::domain::stage::{StageCmd, StageMsg, StageRefusal, TalkState};
pub use super::domain::tour::{TourCmd, TourMsg, TourRefusal, TourState};
pub use super::domain::voice::{VoiceCmd, VoiceMsg, VoiceRefusal};
pub use super::roles::{Illegal, Phase, Role};

/// One tick of a client's intent: which way to move and where to face. Never a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFrame {
    /// The client's input counter; the server applies each seq at most once, in order.
    pub seq: u32,
    /// Forward/back axis, -127..=127.
    pub forward: i8,
    /// Right/left axis, -127..=127.
    pub right: i8,
    /// Facing in 1/65536 turns (see [`crate::quantize`]).
    pub yaw: u16,
    pub run: bool,
}

/// client → server on [`super::channel::INPUT`], every tick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputMsg {
    /// The newest snapshot tick the client has received: the server's delta baseline.
    pub ack_snapshot: u32,
    /// Newest frame first; older ones repeat the last frames in case a packet was lost.
    pub frames: Vec<InputFrame>,
}

/// client → server on [`super::channel::CONTROL`]: the handshake, then one enum per domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientMsg {
    /// First message after the transport connects.
    Hello {
        protocol: u16,
        software: String,
    },
    /// Leaving on purpose (the leave button, closing the tab): gone at once for everyone,
    /// no reconnect grace period.
    Leave,
    Chat(ChatCmd),
    Moderation(ModerationCmd),
    Tour(TourCmd),
    Voice(VoiceCmd),
    Stage(StageCmd),
    Exhibit(ExhibitCmd),
}

impl ClientMsg {
    /// Whether the message is legal for a connection in `phase` holding `role`: before the
    /// handshake only `Hello` and `Leave`; after it no second `Hello`; moderation and the
    /// guide's tour tools by role (reports and "follow again" by anyone).
    pub fn verify(&self, phase: Phase, role: Role) -> Result<(), Illegal> {
        let in_room = phase == Phase::InRoom;
        let needs = |min: Role| {
            if role >= min {
                Ok(())
            } else {
                Err(Illegal::NotAllowed)
            }
        };
        match self {
            ClientMsg::Hello { .. } if in_room => Err(Illegal::OutOfPhase),
            ClientMsg::Hello { .. } | ClientMsg::Leave => Ok(()),
            _ if !in_room => Err(Illegal::OutOfPhase),
            ClientMsg::Chat(_) => Ok(()),
            ClientMsg::Moderation(ModerationCmd::Report { .. }) => Ok(()),
            ClientMsg::Moderation(ModerationCmd::Ban { .. }) => needs(Role::Staff),
            ClientMsg::Moderation(_) => needs(Role::Guide),
            ClientMsg::Tour(cmd) if cmd.leads() => needs(Role::Guide),
            ClientMsg::Tour(_) => Ok(()),
            ClientMsg::Voice(VoiceCmd::SpeakToClass { .. }) => needs(Role::Guide),
            ClientMsg::Voice(_) => Ok(()),
            ClientMsg::Exhibit(_) => Ok(()),
            ClientMsg::Stage(cmd) if cmd.hosts_only() => needs(Role::Staff),
            ClientMsg::Stage(_) => Ok(()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RejectReason {
    /// The client speaks another protocol version: reload the page / update.
    VersionMismatch { server: u16, client: u16 },
    /// The connection has no seat reserved by the join endpoint (token reused or expired).
    NoSeat,
    /// Too many malformed messages.
    Misbehaving,
    /// The same identity connected again from elsewhere.
    ReplacedByNewConnection,
    /// The client asked to leave.
    Left,
    /// Removed by staff or the guide; rejoining is refused for `minutes`.
    Removed { minutes: u16, reason: String },
    /// Banned by staff.
    Banned { reason: String },
    /// The class visit's time is over.
    VisitEnded,
}

impl RejectReason {
    pub fn message(&self) -> String {
        match self {
            RejectReason::VersionMismatch { server, client } => format!(
                "this client speaks protocol v{client}, the server v{server}: reload the page"
            ),
            RejectReason::NoSeat => "no seat reserved for this connection: join again".into(),
            RejectReason::Misbehaving => "too many malformed messages".into(),
            RejectReason::ReplacedByNewConnection => "you joined again from another window".into(),
            RejectReason::Left => "you left the room".into(),
            RejectReason::Removed { minutes, reason } => with_reason(
                format!("you were removed from the room and can come back in {minutes} minutes"),
                reason,
            ),
            RejectReason::Banned { reason } => with_reason(
                "the lab team has banned you from this server".into(),
                reason,
            ),
            RejectReason::VisitEnded => "the class visit has ended".into(),
        }
    }
}

fn with_reason(text: String, reason: &str) -> String {
    if reason.is_empty() {
        text
    } else {
        format!("{text} (reason: {reason})")
    }
}

/// server → client on [`super::channel::CONTROL`]: the handshake, then one enum per domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ServerMsg {
    Welcome {
        protocol: u16,
        /// Your avatar's id in this room.
        you: u16,
        room: String,
        scene: String,
        tick_hz: u16,
        tick: u32,
        /// What you may do here (tools shown by role; the server checks every message).
        role: Role,
        /// Set in a class visit: its title.
        visit: Option<String>,
    },
    /// Sent before the server closes the connection.
    Rejected {
        reason: RejectReason,
    },
    Presence(PresenceMsg),
    Chat(ChatMsg),
    Exhibits(ExhibitMsg),
    Moderation(ModerationMsg),
    Tour(TourMsg),
    Voice(VoiceMsg),
    Stage(StageMsg),
    Rating(RatingAnswer),
}

/// An avatar's replicated state, quantized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AvatarState {
    /// Centimetres.
    pub pos: [i32; 3],
    pub yaw: u16,
    /// Bit 0: running; bit 1: speaking (the SFU forwards their voice now).
    pub flags: u8,
}

impl AvatarState {
    pub const FLAG_RUNNING: u8 = 1;
    pub const FLAG_SPEAKING: u8 = 2;
}

/// One avatar in a snapshot, relative to a baseline the client acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityUpdate {
    pub id: u16,
    /// Ticks back to the baseline state; 0 means "no baseline: the fields are absolute".
    pub base_age: u8,
    /// Position difference to the baseline (or the absolute position) in centimetres.
    pub dpos: [i32; 3],
    /// Yaw difference to the baseline, wrapping.
    pub dyaw: i16,
    pub flags: u8,
}

/// server → client on [`super::channel::SNAPSHOT`], every tick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotMsg {
    pub tick: u32,
    /// The newest input seq the server has applied for this client (for reconciliation).
    pub ack_input: u32,
    /// Avatars that changed (or are new to this client), most important first.
    pub entities: Vec<EntityUpdate>,
    /// Avatars the client should forget (left the room or its interest radius).
    pub removed: Vec<u16>,
}
