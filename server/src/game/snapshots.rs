//! Building each client's snapshot: interest → priorities → byte budget → delta encoding.
//!
//! Runs for every client every tick, so it works on dense, per-room arrays of avatar states and
//! per-client view lists rather than on the avatars themselves (cache misses were the cost).

use glam::Vec2;
use stadtlab_shared::protocol::{AvatarState, EntityUpdate, SnapshotMsg, encode};

use super::interest::{Grid, NEW_WEIGHT};
use super::link::{Link, ViewEntry};

/// The view (who is near) is recomputed every this many ticks, staggered across clients.
pub const VIEW_REFRESH_TICKS: u32 = 3;

/// Bytes of a postcard varint.
fn varint_len(v: u32) -> usize {
    match v {
        0..=0x7f => 1,
        0x80..=0x3fff => 2,
        0x4000..=0x1f_ffff => 3,
        0x20_0000..=0x0fff_ffff => 4,
        _ => 5,
    }
}

fn zigzag(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

/// The exact encoded size of one update (postcard: varints, zigzag for signed).
pub fn update_len(u: &EntityUpdate) -> usize {
    varint_len(u.id as u32)
        + 1
        + u.dpos.iter().map(|d| varint_len(zigzag(*d))).sum::<usize>()
        + varint_len(zigzag(u.dyaw as i32))
        + 1
}

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
    nearest: Vec<(u16, f32, f32)>,
    cells: Vec<(u16, Vec2)>,
    eligible: Vec<(u32, f32)>,
    states: Vec<(u16, AvatarState)>,
}

pub struct SnapshotParams {
    pub tick: u32,
    pub budget: usize,
    pub view_max: usize,
    pub view_radius: f32,
}

/// Recomputes who `link` sees and with which update weight.
fn refresh_view(link: &mut Link, me: u16, here: Vec2, grid: &Grid, p: &SnapshotParams, scratch: &mut Scratch) {
    grid.nearest(here, p.view_radius, p.view_max + 1, &mut scratch.nearest, &mut scratch.cells);
    for &(id, _, weight) in &scratch.nearest {
        if id == me {
            continue;
        }
        match link.view_slot(id) {
            Some(i) => {
                link.view[i].weight = weight;
                link.view[i].seen = p.tick;
            }
            None => link.view_insert(ViewEntry { id, weight, priority: 0.0, seen: p.tick }),
        }
    }
    let mut i = 0;
    while i < link.view.len() {
        if link.view[i].seen == p.tick {
            i += 1;
        } else {
            let id = link.view[i].id;
            link.view_remove(i);
            link.encoder.forget(id);
        }
    }
}

/// Builds the snapshot for one client and records it in the client's encoder.
pub fn build(link: &mut Link, room: &RoomView, grid: &Grid, p: &SnapshotParams, scratch: &mut Scratch) -> Option<Vec<u8>> {
    let me = link.avatar()?;
    let my_state = room.state(me)?;

    // 1. Who is in view (recomputed every few ticks; in between only departures count).
    if (p.tick.wrapping_add(link.client_id as u32)) % VIEW_REFRESH_TICKS == 0 || link.view.is_empty() {
        refresh_view(link, me, ground_pos(&my_state), grid, p, scratch);
    } else {
        let mut i = 0;
        while i < link.view.len() {
            let id = link.view[i].id;
            if room.state(id).is_some() {
                i += 1;
            } else {
                link.view_remove(i);
                link.encoder.forget(id);
            }
        }
    }

    // 2. Priorities grow by weight; whoever reaches 1 and changed is eligible.
    scratch.eligible.clear();
    for (slot, entry) in link.view.iter_mut().enumerate() {
        let Some(state) = room.state(entry.id) else { continue };
        if !link.encoder.needs_update(entry.id, &state) {
            entry.priority = 0.0;
            continue;
        }
        entry.priority += if link.encoder.knows(entry.id) { entry.weight } else { NEW_WEIGHT };
        if entry.priority >= 1.0 {
            scratch.eligible.push((slot as u32, entry.priority));
        }
    }

    // 3. Highest priority first within the byte budget; one's own avatar always.
    scratch.eligible.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
    let removed: Vec<u16> = link.encoder.removals().to_vec();
    let mut used = 12 + removed.iter().map(|r| varint_len(*r as u32)).sum::<usize>();
    let mut entities: Vec<EntityUpdate> = Vec::with_capacity(scratch.eligible.len().min(64) + 1);
    scratch.states.clear();
    let own = link.encoder.update_for(me, &my_state, p.tick);
    used += update_len(&own);
    entities.push(own);
    scratch.states.push((me, my_state));
    for &(slot, _) in &scratch.eligible {
        let entry = &mut link.view[slot as usize];
        let Some(state) = room.state(entry.id) else { continue };
        let u = link.encoder.update_for(entry.id, &state, p.tick);
        let len = update_len(&u);
        if used + len > p.budget {
            continue; // Smaller ones may still fit; the rest keep their priority.
        }
        used += len;
        entry.priority = 0.0;
        entities.push(u);
        scratch.states.push((entry.id, state));
    }
    let ack_input = room.last_input.get(me as usize).copied().unwrap_or(0);
    let msg = SnapshotMsg { tick: p.tick, ack_input, entities, removed };
    link.encoder.record_sent(p.tick, &scratch.states);
    Some(encode(&msg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_len_is_exact() {
        for u in [
            EntityUpdate { id: 3, base_age: 1, dpos: [5, 0, -3], dyaw: 10, flags: 0 },
            EntityUpdate { id: 300, base_age: 0, dpos: [123456, 40, -99999], dyaw: -32000, flags: 1 },
            EntityUpdate { id: u16::MAX, base_age: 255, dpos: [i32::MIN, i32::MAX, 0], dyaw: i16::MIN, flags: 255 },
        ] {
            assert_eq!(update_len(&u), encode(&u).len(), "{u:?}");
        }
    }
}
