//! The rooms admission knows: ids, capacities, what kind of room, and the visit's code.

use std::fmt;

/// A room instance's id, unique for the life of the process. Public rooms and class visits
/// are both instances of a scene; names are for people, ids for the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoomId(pub u32);

impl fmt::Display for RoomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A private instance for a class visit.
#[derive(Debug, Clone)]
pub struct VisitEntry {
    pub visit_id: String,
    /// The access code, normalised (no dash, upper case).
    pub code: String,
    /// SHA-256 of the guide's secret key (the key is only in the guide link).
    pub guide_key_hash: String,
    pub locked: bool,
}

#[derive(Debug, Clone)]
pub enum RoomKind {
    /// Listed on the landing page, open to everyone.
    Public,
    /// Invisible in the room list; entered with the visit's code or guide link.
    Visit(Box<VisitEntry>),
}

#[derive(Debug, Clone)]
pub struct RoomEntry {
    pub id: RoomId,
    /// A public room's name (`stadtlabor`); a visit's instance is named after the visit.
    pub name: String,
    pub scene: String,
    pub capacity: usize,
    /// Avatars in the room, including those inside their reconnect grace period, plus
    /// connections still before their handshake (reported by the game loop).
    pub occupied: usize,
    pub kind: RoomKind,
}

impl RoomEntry {
    pub fn visit(&self) -> Option<&VisitEntry> {
        match &self.kind {
            RoomKind::Visit(v) => Some(v),
            RoomKind::Public => None,
        }
    }
}
