//! Delta encoding of avatar states against baselines the client has acknowledged.
//!
//! Each [`EntityUpdate`] names its own baseline (`base_age` ticks back), because interest
//! management sends near avatars every tick and far ones rarely: one snapshot-wide baseline
//! would force far avatars to be sent whole. The server side is [`DeltaEncoder`] (one per
//! client), the client side [`DeltaDecoder`]. A client acknowledges the newest snapshot it
//! decoded completely; the server only ever deltas against states from snapshots whose tick
//! it has seen acknowledged.

use std::collections::VecDeque;

use super::{AvatarState, EntityUpdate, SnapshotMsg};

/// The oldest baseline the server will use; older ones mean a full state is sent.
pub const MAX_BASE_AGE: u32 = 60;
/// Ticks of acknowledgement history the server keeps per client.
const ACK_WINDOW: usize = 64;
/// Recent sends remembered per entity; the newest acknowledged one is the baseline.
const SENT_RING: usize = 4;

/// Which snapshot ticks a client has acknowledged, over the last [`ACK_WINDOW`] ticks.
#[derive(Debug, Clone)]
pub struct AckSet {
    sent: [u32; ACK_WINDOW],
    acked: [u32; ACK_WINDOW],
}

impl Default for AckSet {
    fn default() -> Self {
        Self {
            sent: [0; ACK_WINDOW],
            acked: [0; ACK_WINDOW],
        }
    }
}

impl AckSet {
    pub fn is_acked(&self, tick: u32) -> bool {
        tick != 0 && self.acked[tick as usize % ACK_WINDOW] == tick
    }
}

/// One entity a client is told about: its recent sends, its newest acknowledged state, and
/// the caller's own per-entity data (the server keeps interest bookkeeping there).
#[derive(Debug, Clone, Copy)]
pub struct Tracked<T> {
    pub id: u16,
    /// Position of the newest entry in `sent`.
    head: u8,
    /// (tick, state) of recent sends, a ring; tick 0 = empty.
    sent: [(u32, AvatarState); SENT_RING],
    /// The newest acknowledged send that has left the ring.
    acked: Option<(u32, AvatarState)>,
    pub extra: T,
}

impl<T> Tracked<T> {
    fn new(id: u16, extra: T) -> Self {
        Self {
            id,
            head: 0,
            sent: [(0, AvatarState::default()); SENT_RING],
            acked: None,
            extra,
        }
    }

    /// Whether this entity was ever put into a snapshot for the client.
    pub fn was_sent(&self) -> bool {
        self.sent[self.head as usize].0 != 0
    }

    /// The newest acknowledged state young enough to delta against at `tick`.
    fn baseline(&self, acks: &AckSet, tick: u32) -> Option<(u32, AvatarState)> {
        let young = |&(t, _): &(u32, AvatarState)| tick > t && tick - t <= MAX_BASE_AGE;
        (0..SENT_RING)
            .map(|back| self.sent[(self.head as usize + SENT_RING - back) % SENT_RING])
            .find(|(t, _)| acks.is_acked(*t))
            .or(self.acked)
            .filter(young)
    }

    /// Whether the client may not have `state` yet.
    pub fn needs_update(&self, acks: &AckSet, state: &AvatarState) -> bool {
        let (t, s) = self.sent[self.head as usize];
        !(acks.is_acked(t) && s == *state)
    }

    /// The update at `tick`, relative to the acked baseline where one is young enough.
    pub fn update_for(&self, acks: &AckSet, state: &AvatarState, tick: u32) -> EntityUpdate {
        delta(self.id, self.baseline(acks, tick), state, tick)
    }

    /// Remembers that `state` went out at `tick`.
    pub fn record(&mut self, acks: &AckSet, tick: u32, state: AvatarState) {
        let next = (self.head as usize + 1) % SENT_RING;
        // The oldest entry leaves the ring: keep it if it is the newest acknowledged one.
        let (t, s) = self.sent[next];
        if acks.is_acked(t) && self.acked.is_none_or(|(a, _)| a < t) {
            self.acked = Some((t, s));
        }
        self.sent[next] = (tick, state);
        self.head = next as u8;
    }
}

fn delta(
    id: u16,
    baseline: Option<(u32, AvatarState)>,
    state: &AvatarState,
    tick: u32,
) -> EntityUpdate {
    match baseline {
        Some((t, base)) => EntityUpdate {
            id,
            base_age: (tick - t) as u8,
            dpos: [
                state.pos[0].wrapping_sub(base.pos[0]),
                state.pos[1].wrapping_sub(base.pos[1]),
                state.pos[2].wrapping_sub(base.pos[2]),
            ],
            dyaw: state.yaw.wrapping_sub(base.yaw) as i16,
            flags: state.flags,
        },
        None => EntityUpdate {
            id,
            base_age: 0,
            dpos: state.pos,
            dyaw: state.yaw as i16,
            flags: state.flags,
        },
    }
}

/// Server side: what one client has been sent and has acknowledged.
///
/// Dense on purpose: the ~150 entities a client sees sit side by side and are walked for every
/// client every tick. Acknowledgements are O(1): they only mark a tick; each entity finds its
/// baseline among its own few recent sends.
#[derive(Debug)]
pub struct DeltaEncoder<T = ()> {
    /// Entity id → position in `tracked` + 1; 0 = not tracked.
    index: Vec<u16>,
    tracked: Vec<Tracked<T>>,
    acks: AckSet,
    /// Removals not yet acknowledged, with the first tick they went out (0 = not yet).
    pending_removals: Vec<(u16, u32)>,
    removal_ids: Vec<u16>,
}

impl<T> Default for DeltaEncoder<T> {
    fn default() -> Self {
        Self {
            index: Vec::new(),
            tracked: Vec::new(),
            acks: AckSet::default(),
            pending_removals: Vec::new(),
            removal_ids: Vec::new(),
        }
    }
}

impl<T: Copy + Default> DeltaEncoder<T> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn slot(&self, id: u16) -> Option<usize> {
        match self.index.get(id as usize) {
            Some(&i) if i > 0 => Some(i as usize - 1),
            _ => None,
        }
    }

    pub fn tracked(&self) -> &[Tracked<T>] {
        &self.tracked
    }

    /// The tracked entities and the acknowledgements, for walking and updating them at once.
    pub fn parts_mut(&mut self) -> (&mut [Tracked<T>], &AckSet) {
        (&mut self.tracked, &self.acks)
    }

    pub fn tracked_mut(&mut self) -> &mut [Tracked<T>] {
        &mut self.tracked
    }

    /// Starts tracking `id` (not yet sent); returns its slot.
    pub fn track(&mut self, id: u16, extra: T) -> usize {
        if let Some(slot) = self.slot(id) {
            return slot;
        }
        let idx = id as usize;
        if self.index.len() <= idx {
            self.index.resize(idx + 1, 0);
        }
        self.tracked.push(Tracked::new(id, extra));
        self.index[idx] = self.tracked.len() as u16;
        if !self.pending_removals.is_empty() {
            self.pending_removals.retain(|(r, _)| *r != id);
        }
        self.tracked.len() - 1
    }

    /// Stops tracking the entity in `slot`; if the client knew it, it is told to forget it
    /// (listed in snapshots until one of them is acked). The last slot moves into `slot`.
    pub fn forget_slot(&mut self, slot: usize) {
        let gone = self.tracked.swap_remove(slot);
        self.index[gone.id as usize] = 0;
        if let Some(moved) = self.tracked.get(slot) {
            self.index[moved.id as usize] = slot as u16 + 1;
        }
        if gone.was_sent() && !self.pending_removals.iter().any(|(r, _)| *r == gone.id) {
            self.pending_removals.push((gone.id, 0));
        }
    }

    pub fn forget(&mut self, id: u16) {
        if let Some(slot) = self.slot(id) {
            self.forget_slot(slot);
        }
    }

    /// Whether `state` must be sent for `id`.
    pub fn needs_update(&self, id: u16, state: &AvatarState) -> bool {
        self.slot(id)
            .is_none_or(|i| self.tracked[i].needs_update(&self.acks, state))
    }

    /// The update for `id` at `tick` (a full state if `id` is not tracked).
    pub fn update_for(&self, id: u16, state: &AvatarState, tick: u32) -> EntityUpdate {
        match self.slot(id) {
            Some(i) => self.tracked[i].update_for(&self.acks, state, tick),
            None => delta(id, None, state, tick),
        }
    }

    /// Removals to put into the next snapshot.
    pub fn removals(&mut self) -> &[u16] {
        self.removal_ids.clear();
        self.removal_ids
            .extend(self.pending_removals.iter().map(|(id, _)| *id));
        &self.removal_ids
    }

    /// Processes the client's acknowledgement of snapshot `tick`.
    pub fn on_ack(&mut self, tick: u32) {
        let slot = tick as usize % ACK_WINDOW;
        if tick == 0 || self.acks.sent[slot] != tick || self.acks.acked[slot] == tick {
            return; // Never sent, too old, or already known: ignore rather than trust.
        }
        self.acks.acked[slot] = tick;
        // A removal is known once any snapshot that carried it is acknowledged.
        self.pending_removals
            .retain(|&(_, first)| first == 0 || first > tick);
    }

    /// Records that `state` for `id` went out in snapshot `tick` (tracking it if needed).
    pub fn record(&mut self, id: u16, tick: u32, state: AvatarState) {
        let slot = self.track(id, T::default());
        self.tracked[slot].record(&self.acks, tick, state);
    }

    /// Closes snapshot `tick`: from now on an acknowledgement of it counts.
    pub fn sent_snapshot(&mut self, tick: u32) {
        let slot = tick as usize % ACK_WINDOW;
        self.acks.sent[slot] = tick;
        self.acks.acked[slot] = 0;
        for (_, first) in &mut self.pending_removals {
            if *first == 0 {
                *first = tick;
            }
        }
    }

    /// Records a whole snapshot at once: the states it carried, then closes it.
    pub fn record_sent(&mut self, tick: u32, states: &[(u16, AvatarState)]) {
        for &(id, state) in states {
            self.record(id, tick, state);
        }
        self.sent_snapshot(tick);
    }
}

/// Client side: reconstructs avatar states from delta snapshots.
#[derive(Debug, Default)]
pub struct DeltaDecoder {
    /// Indexed by entity id: recent (tick, state) pairs, oldest first.
    history: Vec<VecDeque<(u32, AvatarState)>>,
    /// The newest snapshot applied.
    newest_tick: u32,
    /// The newest snapshot applied without a missing baseline: what the client acks.
    complete_tick: u32,
    pub missing_baselines: u64,
}

/// What applying a snapshot did.
#[derive(Debug, PartialEq, Eq)]
pub enum Applied {
    /// Older than one already applied: ignored.
    Stale,
    Applied {
        updated: usize,
        removed: usize,
        missing_baselines: usize,
    },
}

impl DeltaDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The tick to acknowledge in the next input message.
    pub fn ack_tick(&self) -> u32 {
        self.complete_tick
    }

    pub fn apply(&mut self, snap: &SnapshotMsg) -> Applied {
        if snap.tick <= self.newest_tick && self.newest_tick != 0 {
            return Applied::Stale;
        }
        let mut missing = 0;
        for id in &snap.removed {
            if let Some(h) = self.history.get_mut(*id as usize) {
                h.clear();
            }
        }
        for u in &snap.entities {
            let idx = u.id as usize;
            if self.history.len() <= idx {
                self.history.resize_with(idx + 1, VecDeque::new);
            }
            let h = &mut self.history[idx];
            let state = if u.base_age == 0 {
                AvatarState {
                    pos: u.dpos,
                    yaw: u.dyaw as u16,
                    flags: u.flags,
                }
            } else {
                let base_tick = snap.tick.wrapping_sub(u.base_age as u32);
                let Some(&(_, base)) = h.iter().rev().find(|(t, _)| *t == base_tick) else {
                    missing += 1;
                    continue;
                };
                AvatarState {
                    pos: [
                        base.pos[0].wrapping_add(u.dpos[0]),
                        base.pos[1].wrapping_add(u.dpos[1]),
                        base.pos[2].wrapping_add(u.dpos[2]),
                    ],
                    yaw: base.yaw.wrapping_add(u.dyaw as u16),
                    flags: u.flags,
                }
            };
            h.push_back((snap.tick, state));
            while h
                .front()
                .is_some_and(|(t, _)| snap.tick - t > MAX_BASE_AGE + 4)
            {
                h.pop_front();
            }
        }
        self.newest_tick = snap.tick;
        if missing == 0 {
            self.complete_tick = snap.tick;
        }
        self.missing_baselines += missing as u64;
        Applied::Applied {
            updated: snap.entities.len() - missing,
            removed: snap.removed.len(),
            missing_baselines: missing,
        }
    }

    /// The newest known state of `id`.
    pub fn state(&self, id: u16) -> Option<AvatarState> {
        self.history
            .get(id as usize)
            .and_then(|h| h.back())
            .map(|(_, s)| *s)
    }

    /// All avatars the client currently knows, with their newest state.
    pub fn states(&self) -> impl Iterator<Item = (u16, AvatarState)> + '_ {
        self.history
            .iter()
            .enumerate()
            .filter_map(|(id, h)| h.back().map(|(_, s)| (id as u16, *s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn st(x: i32, yaw: u16) -> AvatarState {
        AvatarState {
            pos: [x, 0, -x],
            yaw,
            flags: 0,
        }
    }

    /// What the server would send at `tick` for the true states, recorded in `enc`.
    fn next_snapshot(
        enc: &mut DeltaEncoder,
        truth: &[Option<AvatarState>],
        tick: u32,
    ) -> SnapshotMsg {
        let mut states = Vec::new();
        let mut entities = Vec::new();
        for (eid, s) in truth.iter().enumerate() {
            if let Some(s) = s
                && enc.needs_update(eid as u16, s)
            {
                entities.push(enc.update_for(eid as u16, s, tick));
                states.push((eid as u16, *s));
            }
        }
        let snap = SnapshotMsg {
            tick,
            ack_input: 0,
            entities,
            removed: enc.removals().to_vec(),
        };
        enc.record_sent(tick, &states);
        snap
    }

    /// Runs encoder and decoder against each other over a lossy link.
    fn simulate(moves: &[(u16, i32, u16)], lost: &[bool]) {
        let mut enc: DeltaEncoder = DeltaEncoder::new();
        let mut dec = DeltaDecoder::new();
        let mut truth: Vec<Option<AvatarState>> = vec![None; 8];
        for (i, &(id, x, yaw)) in moves.iter().enumerate() {
            let tick = i as u32 + 1;
            let id = id % 8;
            if x % 11 == 0 && truth[id as usize].is_some() {
                truth[id as usize] = None;
                enc.forget(id);
            } else {
                truth[id as usize] = Some(st(x, yaw));
            }
            let snap = next_snapshot(&mut enc, &truth, tick);
            if !lost.get(i).copied().unwrap_or(false) {
                // Round trip through the codec too.
                let snap: SnapshotMsg =
                    crate::protocol::decode(&crate::protocol::encode(&snap), usize::MAX).unwrap();
                dec.apply(&snap);
                enc.on_ack(dec.ack_tick());
            }
        }
        // After a final lossless round the client must agree with the server exactly.
        for extra in 0..2u32 {
            let tick = moves.len() as u32 + 1 + extra;
            let snap = next_snapshot(&mut enc, &truth, tick);
            dec.apply(&snap);
            enc.on_ack(dec.ack_tick());
        }
        for (eid, s) in truth.iter().enumerate() {
            assert_eq!(dec.state(eid as u16), *s, "entity {eid}");
        }
    }

    proptest! {
        #[test]
        fn decoder_converges_over_lossy_link(
            moves in prop::collection::vec((any::<u16>(), -5000i32..5000, any::<u16>()), 1..200),
            lost in prop::collection::vec(prop::bool::weighted(0.3), 0..200),
        ) {
            simulate(&moves, &lost);
        }
    }

    #[test]
    fn unchanged_acked_entities_are_not_resent() {
        let mut enc: DeltaEncoder = DeltaEncoder::new();
        let s = st(100, 7);
        assert!(enc.needs_update(3, &s));
        enc.record_sent(1, &[(3, s)]);
        assert!(enc.needs_update(3, &s), "not acked yet");
        enc.on_ack(1);
        assert!(!enc.needs_update(3, &s));
        let moved = st(103, 7);
        let u = enc.update_for(3, &moved, 2);
        assert_eq!((u.base_age, u.dpos), (1, [3, 0, -3]));
    }
}
