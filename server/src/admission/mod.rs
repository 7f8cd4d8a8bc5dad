//! Admission: who may come into which room, as one truth that the HTTP join endpoint and the
//! game loop both use. It knows the rooms (public ones and class-visit instances, by id),
//! the seats handed out and not yet taken, live sessions, roles, bans, removals, visit codes
//! and locks.
//!
//! Joining is two steps: the join endpoint reserves a *seat* (room, name, colour, session,
//! role) under a fresh netcode client id and hands out a connect token; when that client id
//! connects, the game loop takes the seat. Capacity is checked here, on the server, counting
//! people inside plus seats handed out and not yet taken.

pub mod bans;
pub mod codes;
pub mod rooms;
mod seats;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::Rng;
use stadtlab_shared::protocol::Role;

pub use bans::{BanEntry, device_hash};
pub use rooms::{RoomEntry, RoomId, RoomKind, VisitEntry};
pub use seats::{Occupancy, Seat, max_connecting};
use seats::{bump_a_hoarded_seat, connecting, network, new_session_token};

#[derive(Debug, Clone)]
struct SessionRecord {
    room: RoomId,
    name: String,
    color: u32,
}

#[derive(Debug, Default)]
struct State {
    rooms: HashMap<RoomId, RoomEntry>,
    next_room: u32,
    seats: HashMap<u64, Seat>,
    sessions: HashMap<String, SessionRecord>,
    barriers: bans::Barriers,
}

impl State {
    fn people(&self) -> usize {
        self.rooms.values().map(|r| r.occupied).sum::<usize>() + self.seats.len()
    }
}

#[derive(Debug)]
pub struct Admission {
    state: Mutex<State>,
    seat_ttl: Duration,
    /// People this process can hold across all rooms (netcode allows at most 1024).
    max_total: usize,
    /// Seats one network address may hold before they are taken: reserving seats without
    /// ever connecting must not fill a room.
    max_pending_per_origin: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinRefusal {
    #[error("there is no such room")]
    UnknownRoom,
    #[error("{}", room_full_message(*capacity, *pending))]
    RoomFull { capacity: usize, pending: usize },
    #[error(
        "{pending} seats of this room are held by visitors who are still connecting; try again in a few seconds"
    )]
    TooManyConnecting { pending: usize },
    #[error("this server is full; try again later")]
    ServerFull,
    #[error("too many joins from your network are still connecting; wait a moment")]
    TooManyPending,
    #[error(
        "the lab team has banned you from this server{}",
        reason_suffix(reason)
    )]
    Banned { reason: String },
    #[error("you were removed from this room; you can come back in {minutes} minutes")]
    Removed { minutes: u64 },
    #[error("the guide has closed this class visit: nobody else can come in")]
    Locked,
}

fn reason_suffix(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(" (reason: {reason})")
    }
}

fn room_full_message(capacity: usize, pending: usize) -> String {
    if pending == 0 {
        format!("the room is full ({capacity} people); try again later")
    } else {
        format!(
            "the room is full ({capacity} places, {pending} of them held by visitors who are still connecting); try again in a few seconds"
        )
    }
}

/// Someone asking for a seat.
#[derive(Debug, Clone)]
pub struct JoinAsk<'a> {
    pub room: RoomId,
    pub name: &'a str,
    pub color: u32,
    /// An earlier join's session: re-enters that avatar when it is still in the room.
    pub session: Option<&'a str>,
    pub origin: Option<IpAddr>,
    /// The device key as the client sent it (checked by the caller).
    pub device: Option<&'a str>,
    pub role: Role,
    /// This host's address the client reached (voice offers the same one as its candidate).
    pub host: Option<IpAddr>,
    /// How the client came, for the impact counts (see `Seat::entry`).
    pub entry: Option<crate::impact::EntryKind>,
}

/// What a seat reservation returns to the join endpoint.
#[derive(Debug, Clone)]
pub struct Reservation {
    pub client_id: u64,
    pub session: String,
    pub name: String,
    pub rejoin: bool,
}

impl Admission {
    pub fn new(seat_ttl: Duration, max_total: usize) -> Admission {
        Admission {
            state: Mutex::new(State::default()),
            seat_ttl,
            max_total,
            max_pending_per_origin: 40,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere must not take joining down with it: every mutation below keeps
        // the state consistent on its own.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets how many seats one address may hold before they are taken.
    pub fn with_max_pending_per_origin(mut self, max: usize) -> Admission {
        self.max_pending_per_origin = max.max(1);
        self
    }

    /// Registers a room instance; the game loop creates its state on its own command.
    pub fn open_room(&self, name: &str, scene: &str, capacity: usize, kind: RoomKind) -> RoomId {
        let mut st = self.lock();
        st.next_room += 1;
        let id = RoomId(st.next_room);
        st.rooms.insert(
            id,
            RoomEntry {
                id,
                name: name.to_string(),
                scene: scene.to_string(),
                capacity,
                occupied: 0,
                kind,
            },
        );
        id
    }

    /// Forgets a closed instance, its seats and sessions.
    pub fn close_room(&self, id: RoomId) {
        let mut st = self.lock();
        st.rooms.remove(&id);
        st.seats.retain(|_, s| s.room != id);
        st.sessions.retain(|_, s| s.room != id);
    }

    pub fn room(&self, id: RoomId) -> Option<RoomEntry> {
        self.lock().rooms.get(&id).cloned()
    }

    /// A public room by its name (visits are not found by name: they are private).
    pub fn public_room(&self, name: &str) -> Option<RoomId> {
        self.lock()
            .rooms
            .values()
            .find(|r| r.name == name && matches!(r.kind, RoomKind::Public))
            .map(|r| r.id)
    }

    /// The open instance of a class visit, by its access code (normalised).
    pub fn visit_by_code(&self, code: &str) -> Option<RoomEntry> {
        self.lock()
            .rooms
            .values()
            .find(|r| r.visit().is_some_and(|v| v.code == code))
            .cloned()
    }

    /// The open instance of a class visit, by the visit's id.
    pub fn visit_room(&self, visit_id: &str) -> Option<RoomId> {
        self.lock()
            .rooms
            .values()
            .find(|r| r.visit().is_some_and(|v| v.visit_id == visit_id))
            .map(|r| r.id)
    }

    /// Closes (or opens) a visit to newcomers; pupils already inside may come back.
    pub fn set_locked(&self, id: RoomId, locked: bool) {
        if let Some(RoomKind::Visit(v)) = self.lock().rooms.get_mut(&id).map(|r| &mut r.kind) {
            v.locked = locked;
        }
    }

    pub fn ban(&self, entry: BanEntry) {
        self.lock().barriers.ban(entry);
    }

    pub fn lift_ban(&self, id: &str) -> bool {
        self.lock().barriers.lift(id)
    }

    /// Keeps a removed person out of `room` for `for_`.
    pub fn remove(
        &self,
        room: RoomId,
        device_hash: Option<String>,
        session: String,
        for_: Duration,
    ) {
        self.lock()
            .barriers
            .remove(room, device_hash, session, for_);
    }

    /// Reserves a seat. A known session re-enters its avatar; then the stored name and
    /// colour win. Staff are never held back by bans, removals or locks.
    pub fn reserve(&self, ask: JoinAsk<'_>) -> Result<Reservation, JoinRefusal> {
        let mut st = self.lock();
        let now = Instant::now();
        st.seats.retain(|_, s| s.expires > now);
        let room = ask.room;
        let Some(entry) = st.rooms.get(&room) else {
            return Err(JoinRefusal::UnknownRoom);
        };
        let locked = entry.visit().is_some_and(|v| v.locked);
        let is_visit = entry.visit().is_some();
        let (capacity, occupied) = (entry.capacity, entry.occupied);
        let origin = network(ask.origin);
        let device_hash = ask.device.map(device_hash);
        if ask.role < Role::Staff {
            let unix = crate::storage::unix_now();
            if let Some(ban) = st.barriers.banned(device_hash.as_deref(), origin, unix) {
                return Err(JoinRefusal::Banned {
                    reason: ban.reason.clone(),
                });
            }
            if let Some(left) = st
                .barriers
                .removed(room, device_hash.as_deref(), ask.session)
            {
                return Err(JoinRefusal::Removed {
                    minutes: left.as_secs().div_ceil(60),
                });
            }
        }
        // A join that brings the session of its own earlier seat, not yet taken, replaces that
        // seat (the landing page joins again right before connecting): one visitor, one seat.
        let replaced = ask.session.and_then(|s| {
            let id = st
                .seats
                .iter()
                .find(|(_, seat)| seat.session == s && seat.room == room && !seat.rejoin)
                .map(|(id, _)| *id)?;
            st.seats.remove(&id).map(|seat| seat.session)
        });
        if origin.is_some()
            && st.seats.values().filter(|s| s.origin == origin).count()
                >= self.max_pending_per_origin
        {
            return Err(JoinRefusal::TooManyPending);
        }
        let known = ask.session.and_then(|s| {
            st.sessions
                .get(s)
                .filter(|r| r.room == room)
                .map(|r| (s, r.clone()))
        });
        let (session, name, color, rejoin) = match known {
            Some((s, record)) => (s.to_string(), record.name, record.color, true),
            None => {
                if locked && ask.role == Role::Visitor {
                    return Err(JoinRefusal::Locked);
                }
                let pending = connecting(&st.seats, room);
                let now = Occupancy {
                    occupied,
                    connecting: pending,
                    capacity,
                };
                // A class joins all at once when the teacher says "now type the code", and the
                // code keeps strangers out: a visit's seats may all be connecting at once.
                let blocked = if is_visit {
                    occupied + pending >= capacity
                } else {
                    now.free() == 0
                };
                // (In a visit nobody's seat is bumped: they are all classmates.)
                if blocked && (is_visit || !bump_a_hoarded_seat(&mut st.seats, room, origin)) {
                    if occupied + pending >= capacity {
                        return Err(JoinRefusal::RoomFull { capacity, pending });
                    }
                    return Err(JoinRefusal::TooManyConnecting { pending });
                }
                if st.people() >= self.max_total {
                    return Err(JoinRefusal::ServerFull);
                }
                (
                    replaced.unwrap_or_else(new_session_token),
                    ask.name.to_string(),
                    ask.color,
                    false,
                )
            }
        };
        let mut client_id: u64 = rand::rng().random();
        while client_id == 0 || st.seats.contains_key(&client_id) {
            client_id = rand::rng().random();
        }
        st.seats.insert(
            client_id,
            Seat {
                room,
                name: name.clone(),
                color,
                session: session.clone(),
                rejoin,
                role: ask.role,
                device_hash,
                origin,
                host: ask.host,
                entry: ask.entry,
                expires: now + self.seat_ttl,
            },
        );
        Ok(Reservation {
            client_id,
            session,
            name,
            rejoin,
        })
    }

    /// Called by the game loop when `client_id` connects.
    pub fn take_seat(&self, client_id: u64) -> Option<Seat> {
        let mut st = self.lock();
        let now = Instant::now();
        st.seats.remove(&client_id).filter(|s| s.expires > now)
    }

    /// The game loop reports a live identity (created, or restored on rejoin).
    pub fn session_started(&self, seat: &Seat) {
        let record = SessionRecord {
            room: seat.room,
            name: seat.name.clone(),
            color: seat.color,
        };
        self.lock().sessions.insert(seat.session.clone(), record);
    }

    /// The game loop reports an identity gone for good (left, or grace period over).
    pub fn session_ended(&self, session: &str) {
        self.lock().sessions.remove(session);
    }

    pub fn set_occupied(&self, room: RoomId, occupied: usize) {
        if let Some(r) = self.lock().rooms.get_mut(&room) {
            r.occupied = occupied;
        }
    }

    /// The room's places: the same counts the join endpoint decides "full" by.
    pub fn occupancy(&self, room: RoomId) -> Option<Occupancy> {
        let mut st = self.lock();
        let now = Instant::now();
        st.seats.retain(|_, s| s.expires > now);
        let connecting = connecting(&st.seats, room);
        st.rooms.get(&room).map(|r| Occupancy {
            occupied: r.occupied,
            connecting,
            capacity: r.capacity,
        })
    }
}

#[cfg(test)]
mod tests;
