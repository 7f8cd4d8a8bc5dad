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
    #[error("the room is full ({capacity} people); try again later")]
    RoomFull { capacity: usize },
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

fn new_session_token() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
                if count.occupied + pending >= count.capacity {
                    return Err(JoinRefusal::RoomFull {
                        capacity: count.capacity,
                    });
                }
                let everyone =
                    st.rooms.values().map(|r| r.occupied).sum::<usize>() + st.seats.len();
                if everyone >= self.max_total {
                    return Err(JoinRefusal::ServerFull);
                }
                (new_session_token(), name.to_string(), color, false)
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

    pub fn occupancy(&self, room: &str) -> Option<(usize, usize)> {
        self.lock()
            .rooms
            .get(room)
            .map(|r| (r.occupied, r.capacity))
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
            JoinRefusal::RoomFull { capacity: 2 }
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
