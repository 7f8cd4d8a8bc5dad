//! One network connection: its handshake phase, misbehaviour count, chat allowance and the
//! per-client snapshot state (delta baselines and interest priorities).

use std::time::Instant;

use stadtlab_shared::protocol::limits;
use stadtlab_shared::protocol::snapshot::DeltaEncoder;

use super::lobby::Seat;
use super::rate::TokenBucket;

#[derive(Debug)]
pub enum Phase {
    /// Connected with a seat, waiting for `Hello`.
    AwaitingHello { seat: Seat, since: Instant },
    /// In the room as avatar `avatar`.
    InRoom { avatar: u16 },
    /// Told why it must go; disconnected once the message had time to leave.
    Closing { at_tick: u32 },
}

#[derive(Debug)]
pub struct Link {
    pub client_id: u64,
    pub room: usize,
    pub phase: Phase,
    pub strikes: u32,
    pub chat: TokenBucket,
    pub encoder: DeltaEncoder,
    /// The avatars this client currently sees (dense, walked every tick).
    pub view: Vec<ViewEntry>,
    /// Avatar id → position in `view` + 1; 0 = not in view.
    view_index: Vec<u16>,
}

/// One avatar in a client's view.
#[derive(Debug, Clone, Copy)]
pub struct ViewEntry {
    pub id: u16,
    /// Priority gained per tick (by distance rank).
    pub weight: f32,
    /// Accumulated priority; sent when it reaches 1 and the snapshot has room.
    pub priority: f32,
    /// The tick the entry was last confirmed by a view refresh.
    pub seen: u32,
}

impl Link {
    pub fn new(client_id: u64, room: usize, seat: Seat) -> Link {
        Link {
            client_id,
            room,
            phase: Phase::AwaitingHello {
                seat,
                since: Instant::now(),
            },
            strikes: 0,
            chat: TokenBucket::new(limits::CHAT_BURST, limits::CHAT_PER_SECOND),
            encoder: DeltaEncoder::new(),
            view: Vec::new(),
            view_index: Vec::new(),
        }
    }

    pub fn avatar(&self) -> Option<u16> {
        match self.phase {
            Phase::InRoom { avatar } => Some(avatar),
            _ => None,
        }
    }

    pub fn view_slot(&self, id: u16) -> Option<usize> {
        match self.view_index.get(id as usize) {
            Some(&i) if i > 0 => Some(i as usize - 1),
            _ => None,
        }
    }

    pub fn view_insert(&mut self, entry: ViewEntry) {
        let idx = entry.id as usize;
        if self.view_index.len() <= idx {
            self.view_index.resize(idx + 1, 0);
        }
        self.view.push(entry);
        self.view_index[idx] = self.view.len() as u16;
    }

    pub fn view_remove(&mut self, slot: usize) {
        let id = self.view[slot].id;
        self.view_index[id as usize] = 0;
        self.view.swap_remove(slot);
        if let Some(moved) = self.view.get(slot) {
            self.view_index[moved.id as usize] = slot as u16 + 1;
        }
    }

    /// Counts a malformed or illegal message; true when the client should be dropped.
    pub fn strike(&mut self) -> bool {
        self.strikes += 1;
        self.strikes >= limits::MAX_STRIKES
    }
}
