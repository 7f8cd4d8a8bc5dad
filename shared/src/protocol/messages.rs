//! Message types, one enum per direction and channel.

use serde::{Deserialize, Serialize};

use crate::chat::ChatError;
use crate::exhibit::ExhibitView;

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

/// client → server on [`super::channel::CONTROL`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientMsg {
    /// First message after the transport connects.
    Hello { protocol: u16, software: String },
    /// Room-wide text chat.
    Chat { text: String },
    /// Leaving on purpose (the leave button, closing the tab): gone at once for everyone,
    /// no reconnect grace period.
    Leave,
}

impl ClientMsg {
    /// Whether the message is legal in a phase (the Veloren `verify` idea): before the
    /// handshake only `Hello` and `Leave`, after it everything but `Hello`.
    pub fn allowed(&self, welcomed: bool) -> bool {
        match self {
            ClientMsg::Hello { .. } => !welcomed,
            ClientMsg::Chat { .. } => welcomed,
            ClientMsg::Leave => true,
        }
    }
}

/// An avatar as it appears in the people list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceEntry {
    /// The avatar's id within the room (as in snapshots).
    pub id: u16,
    pub name: String,
    /// 0xRRGGBB
    pub color: u32,
    /// Disconnected but inside the reconnect grace period.
    pub away: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
        }
    }
}

/// server → client on [`super::channel::CONTROL`].
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
    },
    /// Sent before the server closes the connection.
    Rejected {
        reason: RejectReason,
    },
    /// The whole people list (after Welcome).
    Presence {
        people: Vec<PresenceEntry>,
    },
    Joined {
        person: PresenceEntry,
    },
    Away {
        id: u16,
    },
    Back {
        id: u16,
    },
    Left {
        id: u16,
    },
    Chat {
        from: u16,
        name: String,
        text: String,
    },
    ChatRejected {
        reason: ChatError,
    },
    /// Every exhibit on show in the room (after Welcome).
    Exhibits {
        exhibits: Vec<ExhibitView>,
    },
    /// An exhibit was approved or changed: show it (replacing one with the same id).
    ExhibitShown {
        exhibit: ExhibitView,
    },
    /// An exhibit was hidden or removed: take it away.
    ExhibitGone {
        id: String,
    },
}

/// An avatar's replicated state, quantized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AvatarState {
    /// Centimetres.
    pub pos: [i32; 3],
    pub yaw: u16,
    /// Bit 0: running.
    pub flags: u8,
}

impl AvatarState {
    pub const FLAG_RUNNING: u8 = 1;
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
