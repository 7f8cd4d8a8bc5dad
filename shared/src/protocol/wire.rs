//! Hand-written encoding of snapshots, byte-for-byte what postcard produces (a property test
//! holds it to that): the server writes one snapshot per client per tick, and writing the
//! bytes directly lets it fill the byte budget as it goes instead of encoding twice.

use super::{EntityUpdate, SnapshotMsg};

/// Appends `v` as a postcard (LEB128) varint.
pub fn put_varint(buf: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

fn zigzag32(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

fn zigzag16(v: i16) -> u32 {
    (((v << 1) ^ (v >> 15)) as u16) as u32
}

/// Appends one entity update.
pub fn put_update(buf: &mut Vec<u8>, u: &EntityUpdate) {
    put_varint(buf, u.id as u32);
    buf.push(u.base_age);
    for d in u.dpos {
        put_varint(buf, zigzag32(d));
    }
    put_varint(buf, zigzag16(u.dyaw));
    buf.push(u.flags);
}

/// A snapshot from its parts: `updates` holds `count` updates already written by
/// [`put_update`].
pub fn snapshot_bytes(
    tick: u32,
    ack_input: u32,
    count: usize,
    updates: &[u8],
    removed: &[u16],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + updates.len() + 3 * removed.len());
    put_varint(&mut out, tick);
    put_varint(&mut out, ack_input);
    put_varint(&mut out, count as u32);
    out.extend_from_slice(updates);
    put_varint(&mut out, removed.len() as u32);
    for r in removed {
        put_varint(&mut out, *r as u32);
    }
    out
}

/// The whole message at once (tests and tools; the server builds it piecewise).
pub fn snapshot_to_bytes(msg: &SnapshotMsg) -> Vec<u8> {
    let mut updates = Vec::new();
    for u in &msg.entities {
        put_update(&mut updates, u);
    }
    snapshot_bytes(
        msg.tick,
        msg.ack_input,
        msg.entities.len(),
        &updates,
        &msg.removed,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::encode;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn same_bytes_as_postcard(
            tick in any::<u32>(), ack_input in any::<u32>(),
            entities in prop::collection::vec(
                (any::<u16>(), any::<u8>(), any::<[i32; 3]>(), any::<i16>(), any::<u8>())
                    .prop_map(|(id, base_age, dpos, dyaw, flags)| EntityUpdate { id, base_age, dpos, dyaw, flags }),
                0..200),
            removed in prop::collection::vec(any::<u16>(), 0..50),
        ) {
            let msg = SnapshotMsg { tick, ack_input, entities, removed };
            prop_assert_eq!(snapshot_to_bytes(&msg), encode(&msg));
        }
    }
}
