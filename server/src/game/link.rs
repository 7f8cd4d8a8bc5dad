//! One network connection: its handshake phase, misbehaviour count, chat allowance and the
//! per-client snapshot state (delta baselines and interest priorities).

use std::time::Instant;

use stadtlab_shared::protocol::limits;
use stadtlab_shared::protocol::snapshot::DeltaEncoder;

use stadtlab_shared::protocol::Role;

use crate::admission::{RoomId, Seat};

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
    pub room: RoomId,
    /// What this connection may do (from its seat; checked with every message).
    pub role: Role,
    pub phase: Phase,
    pub strikes: u32,
    /// Delta baselines and interest data of every avatar this client sees.
    pub encoder: DeltaEncoder<ViewInfo>,
}

/// Interest bookkeeping kept next to each avatar's delta baselines.
#[derive(Debug, Clone, Copy, Default)]
pub struct ViewInfo {
    /// 0 near, 1 mid, 2 far (see `interest::TIER_PERIODS`).
    pub tier: u8,
    /// The tick the avatar was last confirmed in view.
    pub seen: u32,
    /// Was due but did not fit the last snapshot's budget.
    pub owed: bool,
}

impl Link {
    pub fn new(client_id: u64, seat: Seat) -> Link {
        Link {
            client_id,
            room: seat.room,
            role: seat.role,
            phase: Phase::AwaitingHello {
                seat,
                since: Instant::now(),
            },
            strikes: 0,
            encoder: DeltaEncoder::new(),
        }
    }

    pub fn avatar(&self) -> Option<u16> {
        match self.phase {
            Phase::InRoom { avatar } => Some(avatar),
            _ => None,
        }
    }

    /// Counts a malformed or illegal message; true when the client should be dropped.
    pub fn strike(&mut self) -> bool {
        self.strikes += 1;
        self.strikes >= limits::MAX_STRIKES
    }
}
