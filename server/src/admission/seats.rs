//! Seats: a place in a room reserved by the join endpoint under a fresh netcode client id and
//! taken by the game loop when that client connects; and the rules for how many of them may be
//! handed out before they are taken.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Instant;

use rand::Rng;
use stadtlab_shared::protocol::Role;

use super::rooms::RoomId;

#[derive(Debug, Clone)]
pub struct Seat {
    pub room: RoomId,
    pub name: String,
    pub color: u32,
    pub session: String,
    /// A rejoin into an existing avatar does not take a new place in the room.
    pub rejoin: bool,
    /// What the connection may do (the connect token carries it too).
    pub role: Role,
    /// The device key's hash, for removals and bans.
    pub device_hash: Option<String>,
    /// The network that asked for the seat (an IPv6 client's /64).
    pub origin: Option<IpAddr>,
    /// This host's address the client reached the join endpoint at (see `JoinAsk::host`).
    pub host: Option<IpAddr>,
    /// For the impact counts: the kind of program and transport, counted once the holder is
    /// in the room (`None`: not counted).
    pub entry: Option<crate::impact::EntryKind>,
    pub(super) expires: Instant,
}

impl Seat {
    /// A seat for a connection that is only being shown the door.
    pub fn closed() -> Seat {
        Seat {
            room: RoomId(0),
            name: String::new(),
            color: 0,
            session: String::new(),
            rejoin: false,
            role: Role::Visitor,
            device_hash: None,
            origin: None,
            host: None,
            entry: None,
            expires: Instant::now(),
        }
    }
}

/// Per-address limits count an IPv6 client's whole /64 as one network.
pub(super) fn network(origin: Option<IpAddr>) -> Option<IpAddr> {
    origin.map(crate::http::limits::network_of)
}

/// Seats of a room that may be handed out and not yet taken: a quarter of its places (at
/// least 10), so that reserving without connecting, even from many addresses, leaves most
/// of the room to people who really come in.
pub fn max_connecting(capacity: usize) -> usize {
    (capacity / 4).max(10).min(capacity)
}

/// A room's places as the room page and the join endpoint count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occupancy {
    /// Avatars inside (including those in their reconnect grace period).
    pub occupied: usize,
    /// Seats handed out to joins still connecting.
    pub connecting: usize,
    pub capacity: usize,
}

impl Occupancy {
    /// Places a newcomer can get now: free places, within the share joins may hold.
    pub fn free(&self) -> usize {
        let places = self
            .capacity
            .saturating_sub(self.occupied + self.connecting);
        let joinable = max_connecting(self.capacity).saturating_sub(self.connecting);
        places.min(joinable)
    }
}

pub(super) fn new_session_token() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Seats of `room` handed out to newcomers and not yet taken.
pub(super) fn connecting(seats: &HashMap<u64, Seat>, room: RoomId) -> usize {
    seats
        .values()
        .filter(|s| s.room == room && !s.rejoin)
        .count()
}

/// When seats still connecting stand between a newcomer and the room, the network holding
/// the most of them (more than the newcomer's network plus one) gives up its oldest: seats
/// reserved and never used, from however many addresses, cannot keep real visitors out.
pub(super) fn bump_a_hoarded_seat(
    seats: &mut HashMap<u64, Seat>,
    room: RoomId,
    newcomer: Option<IpAddr>,
) -> bool {
    let mut held: HashMap<IpAddr, usize> = HashMap::new();
    for seat in seats.values().filter(|s| s.room == room && !s.rejoin) {
        if let Some(origin) = seat.origin {
            *held.entry(origin).or_default() += 1;
        }
    }
    let mine = newcomer.and_then(|o| held.get(&o).copied()).unwrap_or(0);
    let Some((hoarder, most)) = held.into_iter().max_by_key(|(_, n)| *n) else {
        return false;
    };
    if most <= mine + 1 {
        return false;
    }
    let oldest = seats
        .iter()
        .filter(|(_, s)| s.room == room && !s.rejoin && s.origin == Some(hoarder))
        .min_by_key(|(_, s)| s.expires)
        .map(|(id, _)| *id);
    oldest.is_some_and(|id| seats.remove(&id).is_some())
}
