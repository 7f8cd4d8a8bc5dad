//! Building each client's snapshot: interest → priorities → byte budget → delta encoding.

use glam::Vec2;
use stadtlab_shared::protocol::{AvatarState, EntityUpdate, SnapshotMsg, encode};

use super::interest::{Grid, NEW_WEIGHT};
use super::link::Link;
use super::room::Room;

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

/// Reusable buffers for snapshot building, one set per game loop.
#[derive(Debug, Default)]
pub struct Scratch {
    nearest: Vec<(u16, f32, f32)>,
    cells: Vec<(u16, Vec2)>,
    eligible: Vec<(u16, f32)>,
}

pub struct SnapshotParams {
    pub tick: u32,
    pub budget: usize,
    pub view_max: usize,
    pub view_radius: f32,
}

/// Builds the snapshot for one client in `room` and records it in the client's encoder.
/// Returns the encoded message.
pub fn build(link: &mut Link, room: &Room, grid: &Grid, p: &SnapshotParams, scratch: &mut Scratch) -> Option<Vec<u8>> {
    let me = link.avatar()?;
    let my = room.avatar(me)?;
    let here = Vec2::new(my.motion.pos.x, my.motion.pos.z);
    let slots = room.avatars.len();
    if link.priority.len() < slots {
        link.priority.resize(slots, 0.0);
        link.seen.resize(slots, 0);
        link.in_view.resize(slots, false);
    }

    // 1. Who is in view, and how fast their priority grows.
    grid.nearest(here, p.view_radius, p.view_max + 1, &mut scratch.nearest, &mut scratch.cells);
    scratch.eligible.clear();
    for &(id, _, weight) in &scratch.nearest {
        if id == me {
            continue;
        }
        let Some(other) = room.avatar(id) else { continue };
        let i = id as usize;
        link.seen[i] = p.tick;
        if !link.encoder.needs_update(id, &other.state) {
            link.priority[i] = 0.0;
            continue;
        }
        let boost = if link.encoder.knows(id) { weight } else { NEW_WEIGHT };
        link.priority[i] += boost;
        if link.priority[i] >= 1.0 {
            scratch.eligible.push((id, link.priority[i]));
        }
    }

    // 2. Track who is in view; whoever left it is forgotten.
    for &(id, _, _) in &scratch.nearest {
        let i = id as usize;
        if id != me && link.seen[i] == p.tick && !link.in_view[i] {
            link.in_view[i] = true;
            link.view.push(id);
        }
    }
    let (seen, in_view, priority, encoder) = (&link.seen, &mut link.in_view, &mut link.priority, &mut link.encoder);
    link.view.retain(|&id| {
        let i = id as usize;
        let still = seen[i] == p.tick;
        if !still {
            in_view[i] = false;
            priority[i] = 0.0;
            encoder.forget(id);
        }
        still
    });

    // 3. Highest priority first, within the byte budget; one's own avatar always.
    scratch.eligible.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
    let removed: Vec<u16> = link.encoder.removals().to_vec();
    let mut used = 12 + removed.iter().map(|r| varint_len(*r as u32)).sum::<usize>();
    let mut entities: Vec<EntityUpdate> = Vec::with_capacity(scratch.eligible.len() + 1);
    let mut states: Vec<(u16, AvatarState)> = Vec::with_capacity(scratch.eligible.len() + 1);
    let own = link.encoder.update_for(me, &my.state, p.tick);
    used += update_len(&own);
    entities.push(own);
    states.push((me, my.state));
    for &(id, _) in &scratch.eligible {
        let Some(other) = room.avatar(id) else { continue };
        let u = link.encoder.update_for(id, &other.state, p.tick);
        let len = update_len(&u);
        if used + len > p.budget {
            continue; // Try smaller ones; the rest keep their priority for the next tick.
        }
        used += len;
        link.priority[id as usize] = 0.0;
        entities.push(u);
        states.push((id, other.state));
    }
    let msg = SnapshotMsg { tick: p.tick, ack_input: my.last_input_seq, entities, removed };
    link.encoder.record_sent(p.tick, states);
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
