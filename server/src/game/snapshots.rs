//! Building each client's snapshot: interest → priorities → byte budget → delta encoding.
//!
//! Runs for every client every tick, so it works on dense, per-room arrays of avatar states and
//! per-client view lists rather than on the avatars themselves (cache misses were the cost).

use glam::Vec2;
use stadtlab_shared::protocol::AvatarState;
use stadtlab_shared::protocol::wire::{put_update, snapshot_bytes};

use super::interest::{Grid, TIER_PERIODS};
use super::link::{Link, ViewInfo};

/// The view (who is near) is recomputed every this many ticks, staggered across clients.
pub const VIEW_REFRESH_TICKS: u32 = 6;

/// The avatars of one room as snapshots see them this tick: indexed by id, `None` for free
/// ids and for people who are away.
#[derive(Debug, Default)]
pub struct RoomView {
    pub states: Vec<Option<AvatarState>>,
    /// The last input seq applied per id (for `ack_input`).
    pub last_input: Vec<u32>,
}

impl RoomView {
    fn state(&self, id: u16) -> Option<AvatarState> {
        self.states.get(id as usize).copied().flatten()
    }
}

fn ground_pos(s: &AvatarState) -> Vec2 {
    Vec2::new(s.pos[0] as f32 / 100.0, s.pos[2] as f32 / 100.0)
}

/// Reusable buffers for snapshot building, one set per game loop.
#[derive(Debug, Default)]
pub struct Scratch {
    nearest: Vec<(u16, f32, u8)>,
    cells: Vec<(u16, Vec2)>,
    /// (slot, tier, owed) of the avatars due this tick.
    due: Vec<(u32, u8, bool)>,
    /// The encoded updates of the snapshot being built.
    updates: Vec<u8>,
}

pub struct SnapshotParams {
    pub tick: u32,
    pub budget: usize,
    pub view_max: usize,
    pub view_radius: f32,
}

/// Recomputes who `link` sees and at which tier.
fn refresh_view(
    link: &mut Link,
    me: u16,
    here: Vec2,
    grid: &Grid,
    p: &SnapshotParams,
    scratch: &mut Scratch,
) {
    grid.nearest(
        here,
        p.view_radius,
        p.view_max + 1,
        &mut scratch.nearest,
        &mut scratch.cells,
    );
    let enc = &mut link.encoder;
    for &(id, _, tier) in &scratch.nearest {
        if id == me {
            continue;
        }
        let slot = enc.track(id, ViewInfo::default());
        let info = &mut enc.tracked_mut()[slot].extra;
        info.tier = tier;
        info.seen = p.tick;
    }
    let mut slot = 0;
    while slot < enc.tracked().len() {
        let t = &enc.tracked()[slot];
        if t.id == me || t.extra.seen == p.tick {
            slot += 1;
        } else {
            enc.forget_slot(slot);
        }
    }
}

fn is_due(tier: u8, id: u16, tick: u32) -> bool {
    let period = TIER_PERIODS[tier as usize];
    period == 1 || tick.wrapping_add(id as u32).is_multiple_of(period)
}

/// Builds the snapshot for one client and records it in the client's encoder.
pub fn build(
    link: &mut Link,
    room: &RoomView,
    grid: &Grid,
    p: &SnapshotParams,
    scratch: &mut Scratch,
) -> Option<Vec<u8>> {
    let me = link.avatar()?;
    let my_state = room.state(me)?;
    let client_phase = link.client_id as u32;
    let enc = &mut link.encoder;

    // 1. Who is in view: recomputed every few ticks (staggered across clients); in between,
    //    only departures (left, or away) are noticed.
    if p.tick
        .wrapping_add(client_phase)
        .is_multiple_of(VIEW_REFRESH_TICKS)
        || enc.tracked().len() <= 1
    {
        refresh_view(link, me, ground_pos(&my_state), grid, p, scratch);
    } else {
        let mut slot = 0;
        while slot < enc.tracked().len() {
            if room.state(enc.tracked()[slot].id).is_some() {
                slot += 1;
            } else {
                enc.forget_slot(slot);
            }
        }
    }
    let enc = &mut link.encoder;

    // 2. Due this tick: by tier, plus newcomers and whatever did not fit last time.
    scratch.due.clear();
    for (slot, t) in enc.tracked().iter().enumerate() {
        if t.id == me {
            continue;
        }
        let fresh = !t.was_sent();
        if fresh || t.extra.owed || is_due(t.extra.tier, t.id, p.tick) {
            scratch.due.push((
                slot as u32,
                if fresh { 0 } else { t.extra.tier },
                t.extra.owed,
            ));
        }
    }
    // Nearest tiers first, and within a tier what was owed.
    scratch
        .due
        .sort_unstable_by_key(|&(_, tier, owed)| (tier, !owed));

    // 3. Fill the byte budget, writing the wire bytes directly; one's own avatar always first.
    //    The header (tick, ack, two counts) takes at most 16 bytes, a removal at most 3.
    let header = 16 + 3 * enc.removals().len();
    let bytes = &mut scratch.updates;
    bytes.clear();
    put_update(bytes, &enc.update_for(me, &my_state, p.tick));
    let mut count = 1;
    enc.record(me, p.tick, my_state);
    let (tracked, acks) = enc.parts_mut();
    for &(slot, _, _) in &scratch.due {
        let t = &mut tracked[slot as usize];
        let Some(state) = room.state(t.id) else {
            continue;
        };
        if !t.needs_update(acks, &state) {
            t.extra.owed = false;
            continue;
        }
        let before = bytes.len();
        put_update(bytes, &t.update_for(acks, &state, p.tick));
        if header + bytes.len() > p.budget {
            bytes.truncate(before);
            t.extra.owed = true; // Next tick, ahead of its tier.
            continue;
        }
        count += 1;
        t.extra.owed = false;
        t.record(acks, p.tick, state);
    }
    let ack_input = room.last_input.get(me as usize).copied().unwrap_or(0);
    let out = snapshot_bytes(p.tick, ack_input, count, bytes, enc.removals());
    enc.sent_snapshot(p.tick);
    Some(out)
}
