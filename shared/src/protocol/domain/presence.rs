//! Who is in the room: the people list and its changes.

use serde::{Deserialize, Serialize};

use crate::protocol::roles::Role;

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
    /// Shown as a badge on the name tag and in the people list.
    pub role: Role,
}

/// server → client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PresenceMsg {
    /// The whole people list (after Welcome).
    Everyone {
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
}
