//! The meeting point of the HTTP join endpoint and the game loop.
//!
//! Joining is two steps: `POST /api/rooms/{room}/join` reserves a *seat* (room, name, colour,
//! session) under a fresh netcode client id and hands out a connect token; when that client id
//! connects, the game loop takes the seat. Capacity is checked here, on the server, counting
//! people inside plus seats handed out and not yet taken.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::Rng;

#[derive(Debug, Clone)]
pub struct Seat {
    pub room: String,
    pub name: String,
    pub color: u32,
    pub session: String,
    /// A rejoin into an existing avatar does not take a new place in the room.
    pub rejoin: bool,
    /// The network address that asked for the seat.
    origin: Option<IpAddr>,
    expires: Instant,
}

impl Seat {
    /// A seat for a connection that is only being shown the door.
    pub fn closed() -> Seat {
        Seat {
            room: String::new(),
            name: String::new(),
            color: 0,
            session: String::new(),
            rejoin: false,
            origin: None,
            expires: Instant::now(),
        }
    }
}

/// Per-address limits count an IPv6 client's whole /64 as one network.
fn network(origin: Option<IpAddr>) -> Option<IpAddr> {
    origin.map(crate::http::limits::network_of)
}

#[derive(Debug, Clone)]
struct SessionRecord {
    room: String,
    name: String,
    color: u32,
}

#[derive(Debug, Default)]
struct RoomCount {
    capacity: usize,
    /// Avatars in the room, including those inside their reconnect grace period.
    occupied: usize,
}

#[derive(Debug, Default)]
struct LobbyState {
    rooms: HashMap<String, RoomCount>,
    seats: HashMap<u64, Seat>,
    sessions: HashMap<String, SessionRecord>,
}

#[derive(Debug)]
pub struct Lobby {
    state: Mutex<LobbyState>,
    seat_ttl: Duration,
    /// People this process can hold across all rooms (netcode allows at most 1024).
    max_total: usize,
    /// Seats one network address may hold before they are taken: reserving seats without
    /// ever connecting must not fill a room.
    max_pending_per_origin: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinRefusal {
    #[error("there is no room called `{0}`")]
    UnknownRoom(String),
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
}

/// What a seat reservation returns to the join endpoint.
#[derive(Debug, Clone)]
pub struct Reservation {
    pub client_id: u64,
    pub session: String,
    pub name: String,
    pub rejoin: bool,
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

fn new_session_token() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// When seats still connecting stand between a newcomer and the room, the network holding
/// the most of them (more than the newcomer's network plus one) gives up its oldest: seats
/// reserved and never used, from however many addresses, cannot keep real visitors out.
fn bump_a_hoarded_seat(st: &mut LobbyState, room: &str, newcomer: Option<IpAddr>) -> bool {
    let mut held: HashMap<IpAddr, usize> = HashMap::new();
    for seat in st.seats.values().filter(|s| s.room == room && !s.rejoin) {
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
    let oldest = st
        .seats
        .iter()
        .filter(|(_, s)| s.room == room && !s.rejoin && s.origin == Some(hoarder))
        .min_by_key(|(_, s)| s.expires)
        .map(|(id, _)| *id);
    oldest.is_some_and(|id| st.seats.remove(&id).is_some())
}

impl Lobby {
    pub fn new(
        rooms: impl IntoIterator<Item = (String, usize)>,
        seat_ttl: Duration,
        max_total: usize,
    ) -> Lobby {
        let rooms = rooms
            .into_iter()
            .map(|(name, capacity)| {
                (
                    name,
                    RoomCount {
                        capacity,
                        occupied: 0,
                    },
                )
            })
            .collect();
        Lobby {
            state: Mutex::new(LobbyState {
                rooms,
                ..Default::default()
            }),
            seat_ttl,
            max_total,
            max_pending_per_origin: 40,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LobbyState> {
        // A panic elsewhere must not take joining down with it: the state stays consistent
        // because every mutation below is a single insert/remove.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reserves a seat. `session` re-enters an existing avatar when it is still known in that
    /// room; then the stored name and colour win.
    pub fn reserve(
        &self,
        room: &str,
        name: &str,
        color: u32,
        session: Option<&str>,
        origin: Option<IpAddr>,
    ) -> Result<Reservation, JoinRefusal> {
        let mut st = self.lock();
        let now = Instant::now();
        st.seats.retain(|_, s| s.expires > now);
        if !st.rooms.contains_key(room) {
            return Err(JoinRefusal::UnknownRoom(room.to_string()));
        }
        // A join that brings the session of its own earlier seat, not yet taken, replaces that
        // seat (the landing page joins again right before connecting): one visitor, one seat.
        let replaced = session.and_then(|s| {
            let id = st
                .seats
                .iter()
                .find(|(_, seat)| seat.session == s && seat.room == room && !seat.rejoin)
                .map(|(id, _)| *id)?;
            st.seats.remove(&id).map(|seat| seat.session)
        });
        let origin = network(origin);
        if origin.is_some()
            && st.seats.values().filter(|s| s.origin == origin).count()
                >= self.max_pending_per_origin
        {
            return Err(JoinRefusal::TooManyPending);
        }
        let known = session.and_then(|s| {
            st.sessions
                .get(s)
                .filter(|r| r.room == room)
                .map(|r| (s, r.clone()))
        });
        let (session, name, color, rejoin) = match known {
            Some((s, record)) => (s.to_string(), record.name, record.color, true),
            None => {
                let pending = st
                    .seats
                    .values()
                    .filter(|s| s.room == room && !s.rejoin)
                    .count();
                let count = &st.rooms[room];
                let (occupied, capacity) = (count.occupied, count.capacity);
                let now = Occupancy {
                    occupied,
                    connecting: pending,
                    capacity,
                };
                let blocked = now.free() == 0;
                if blocked && !bump_a_hoarded_seat(&mut st, room, origin) {
                    if occupied + pending >= capacity {
                        return Err(JoinRefusal::RoomFull { capacity, pending });
                    }
                    return Err(JoinRefusal::TooManyConnecting { pending });
                }
                let everyone =
                    st.rooms.values().map(|r| r.occupied).sum::<usize>() + st.seats.len();
                if everyone >= self.max_total {
                    return Err(JoinRefusal::ServerFull);
                }
                (
                    replaced.unwrap_or_else(new_session_token),
                    name.to_string(),
                    color,
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
                room: room.to_string(),
                name: name.clone(),
                color,
                session: session.clone(),
                rejoin,
                origin,
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
            room: seat.room.clone(),
            name: seat.name.clone(),
            color: seat.color,
        };
        self.lock().sessions.insert(seat.session.clone(), record);
    }

    /// The game loop reports an identity gone for good (left, or grace period over).
    pub fn session_ended(&self, session: &str) {
        self.lock().sessions.remove(session);
    }

    pub fn set_occupied(&self, room: &str, occupied: usize) {
        if let Some(r) = self.lock().rooms.get_mut(room) {
            r.occupied = occupied;
        }
    }

    /// Sets how many seats one address may hold before they are taken.
    pub fn with_max_pending_per_origin(mut self, max: usize) -> Lobby {
        self.max_pending_per_origin = max.max(1);
        self
    }

    /// The room's places: the same counts the join endpoint decides "full" by.
    pub fn occupancy(&self, room: &str) -> Option<Occupancy> {
        let mut st = self.lock();
        let now = Instant::now();
        st.seats.retain(|_, s| s.expires > now);
        let connecting = st
            .seats
            .values()
            .filter(|s| s.room == room && !s.rejoin)
            .count();
        st.rooms.get(room).map(|r| Occupancy {
            occupied: r.occupied,
            connecting,
            capacity: r.capacity,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_counts_people_and_open_seats() {
        let lobby = Lobby::new([("lab".to_string(), 2)], Duration::from_secs(30), 1000);
        let a = lobby.reserve("lab", "Anna", 0, None, None).unwrap();
        lobby.reserve("lab", "Ben", 0, None, None).unwrap();
        assert_eq!(
            lobby.reserve("lab", "Cem", 0, None, None).unwrap_err(),
            JoinRefusal::RoomFull {
                capacity: 2,
                pending: 2
            }
        );
        let seat = lobby.take_seat(a.client_id).unwrap();
        lobby.session_started(&seat);
        lobby.set_occupied("lab", 1);
        // Anna's seat became a person: still full.
        assert!(lobby.reserve("lab", "Cem", 0, None, None).is_err());
        // Anna coming back with her session does not need a new place.
        let again = lobby
            .reserve("lab", "ignored", 0, Some(&a.session), None)
            .unwrap();
        assert!(again.rejoin);
        assert_eq!(again.name, "Anna");
        assert_eq!(
            lobby.reserve("nowhere", "Anna", 0, None, None).unwrap_err(),
            JoinRefusal::UnknownRoom("nowhere".into())
        );
    }

    #[test]
    fn seats_are_taken_once_and_expire() {
        let lobby = Lobby::new([("lab".to_string(), 10)], Duration::from_millis(0), 1000);
        let r = lobby.reserve("lab", "Anna", 0, None, None).unwrap();
        assert!(lobby.take_seat(r.client_id).is_none(), "expired");
        let lobby = Lobby::new([("lab".to_string(), 10)], Duration::from_secs(30), 1000);
        let r = lobby.reserve("lab", "Anna", 0, None, None).unwrap();
        assert!(lobby.take_seat(r.client_id).is_some());
        assert!(
            lobby.take_seat(r.client_id).is_none(),
            "a token cannot be used twice"
        );
    }
}

#[cfg(test)]
mod origin_tests {
    use super::*;

    #[test]
    fn one_address_cannot_hoard_seats() {
        let lobby = Lobby::new([("lab".to_string(), 500)], Duration::from_secs(30), 1000);
        let origin = Some(IpAddr::from([203, 0, 113, 7]));
        for i in 0..40 {
            lobby
                .reserve("lab", &format!("Kind {i}"), 0, None, origin)
                .unwrap();
        }
        assert_eq!(
            lobby
                .reserve("lab", "Noch eins", 0, None, origin)
                .unwrap_err(),
            JoinRefusal::TooManyPending
        );
        // Someone else still gets in.
        lobby
            .reserve(
                "lab",
                "Anna",
                0,
                None,
                Some(IpAddr::from([198, 51, 100, 1])),
            )
            .unwrap();
    }
}

#[cfg(test)]
mod squatting_tests {
    use super::*;

    #[test]
    fn seats_reserved_from_many_addresses_leave_room_for_real_visitors() {
        let lobby = Lobby::new([("lab".to_string(), 200)], Duration::from_secs(30), 1000);
        let mut held = 0;
        for a in 1..=6u8 {
            for i in 0..40 {
                let origin = Some(IpAddr::from([127, 0, 0, a]));
                if lobby
                    .reserve("lab", &format!("S{a}-{i}"), 0, None, origin)
                    .is_ok()
                {
                    held += 1;
                }
            }
        }
        // The squatters bump each other; never more than a quarter of the room is held.
        assert_eq!(
            lobby.occupancy("lab").unwrap().connecting,
            max_connecting(200)
        );
        assert!(held >= max_connecting(200));
        // A real visitor gets a seat: the biggest hoarder gives one up.
        let anna = lobby
            .reserve(
                "lab",
                "Anna",
                0,
                None,
                Some(IpAddr::from([198, 51, 100, 1])),
            )
            .unwrap();
        assert!(lobby.take_seat(anna.client_id).is_some());
    }

    #[test]
    fn a_full_room_says_that_seats_are_held_by_joins_still_connecting() {
        let lobby = Lobby::new([("lab".to_string(), 12)], Duration::from_secs(30), 1000);
        for i in 0..10u8 {
            let origin = Some(IpAddr::from([10, 0, 0, i]));
            lobby.reserve("lab", "Kind", 0, None, origin).unwrap();
        }
        // Everyone holds one seat: nobody is bumped, the answer says why.
        let refusal = lobby
            .reserve("lab", "Anna", 0, None, Some(IpAddr::from([10, 0, 1, 1])))
            .unwrap_err();
        assert!(matches!(
            refusal,
            JoinRefusal::TooManyConnecting { pending: 10 }
        ));
        assert!(
            refusal.to_string().contains("still connecting"),
            "{refusal}"
        );
    }

    #[test]
    fn a_second_join_with_the_same_session_replaces_the_first_seat() {
        let lobby = Lobby::new([("lab".to_string(), 20)], Duration::from_secs(30), 1000);
        let first = lobby.reserve("lab", "Anna", 0, None, None).unwrap();
        let second = lobby
            .reserve("lab", "Anna", 0, Some(&first.session), None)
            .unwrap();
        assert_eq!(second.session, first.session);
        assert_eq!(lobby.occupancy("lab").unwrap().connecting, 1);
        assert!(lobby.take_seat(first.client_id).is_none());
        assert!(lobby.take_seat(second.client_id).is_some());
    }
}
