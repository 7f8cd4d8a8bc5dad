//! Which speaker feeds which spatial slot of one listener, decided every planning round from
//! where people stand and who is talking (the RFC 6464 voice flags the SFU reads; no audio is
//! decoded). A slot keeps its speaker while that speaker is in reach; it changes to another
//! only while its speaker is silent, so nobody is cut off mid-sentence. Slots nobody talks in
//! carry the nearest silent speakers, so a first word is heard without waiting for a plan.

use glam::Vec3;
use stadtlab_shared::protocol::domain::voice::SPATIAL_SLOTS;

/// Someone whose voice may be forwarded (in voice and not muted by a moderator).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Speaker {
    pub avatar: u16,
    pub pos: Vec3,
    /// Voiced within the last moments.
    pub talking: bool,
}

fn reach(a: Vec3, b: Vec3) -> f32 {
    (a.x - b.x).hypot(a.z - b.z)
}

/// The listener's slots after this round, from `current` (what they carry now). `skip` is a
/// speaker the listener hears elsewhere (the broadcast slot).
pub fn assign(
    listener: u16,
    at: Vec3,
    current: &[Option<u16>],
    speakers: &[Speaker],
    skip: Option<u16>,
    radius: f32,
) -> Vec<Option<u16>> {
    let in_reach =
        |s: &&Speaker| s.avatar != listener && Some(s.avatar) != skip && reach(s.pos, at) <= radius;
    let find = |avatar: u16| {
        speakers
            .iter()
            .filter(in_reach)
            .find(|s| s.avatar == avatar)
    };
    let mut slots: Vec<Option<u16>> = (0..SPATIAL_SLOTS)
        .map(|i| {
            current
                .get(i)
                .copied()
                .flatten()
                .filter(|a| find(*a).is_some())
        })
        .collect();
    let mut waiting: Vec<&Speaker> = speakers
        .iter()
        .filter(in_reach)
        .filter(|s| s.talking && !slots.contains(&Some(s.avatar)))
        .collect();
    waiting.sort_by(|a, b| reach(a.pos, at).total_cmp(&reach(b.pos, at)));
    for speaker in waiting {
        let free = slots.iter().position(Option::is_none);
        // Otherwise the slot of the farthest silent speaker.
        let silent = || {
            slots
                .iter()
                .enumerate()
                .filter_map(|(i, s)| Some((i, find((*s)?)?)))
                .filter(|(_, s)| !s.talking)
                .max_by(|a, b| reach(a.1.pos, at).total_cmp(&reach(b.1.pos, at)))
                .map(|(i, _)| i)
        };
        match free.or_else(silent) {
            Some(i) => slots[i] = Some(speaker.avatar),
            // Every slot carries someone talking: the new voice waits for a pause.
            None => break,
        }
    }
    let mut quiet: Vec<&Speaker> = speakers
        .iter()
        .filter(in_reach)
        .filter(|s| !slots.contains(&Some(s.avatar)))
        .collect();
    quiet.sort_by(|a, b| reach(a.pos, at).total_cmp(&reach(b.pos, at)));
    for (slot, speaker) in slots.iter_mut().filter(|s| s.is_none()).zip(quiet) {
        *slot = Some(speaker.avatar);
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;
    use stadtlab_shared::protocol::domain::voice::HEARING_RADIUS_M;

    fn s(avatar: u16, x: f32, talking: bool) -> Speaker {
        Speaker {
            avatar,
            pos: Vec3::new(x, 0.0, 0.0),
            talking,
        }
    }

    #[test]
    fn talkers_in_reach_get_slots_nearest_first() {
        let speakers = [
            s(1, 3.0, true),
            s(2, 30.0, true),
            s(3, 1.0, true),
            s(9, 0.0, true),
        ];
        let slots = assign(9, Vec3::ZERO, &[], &speakers, None, HEARING_RADIUS_M);
        assert_eq!(
            &slots[..3],
            &[Some(3), Some(1), None],
            "not oneself, not beyond reach"
        );
        assert_eq!(slots.len(), SPATIAL_SLOTS);
    }

    #[test]
    fn a_slot_changes_speaker_only_in_silence() {
        let mut speakers: Vec<Speaker> = (1..=SPATIAL_SLOTS as u16)
            .map(|a| s(a, a as f32, true))
            .collect();
        let full = assign(0, Vec3::ZERO, &[], &speakers, None, HEARING_RADIUS_M);
        assert!(full.iter().all(Option::is_some));
        // A nearer voice starts while all six talk: it waits.
        speakers.push(s(7, 0.5, true));
        assert_eq!(
            assign(0, Vec3::ZERO, &full, &speakers, None, HEARING_RADIUS_M),
            full
        );
        // The farthest falls silent: its slot goes to the waiting voice.
        speakers[SPATIAL_SLOTS - 1].talking = false;
        let next = assign(0, Vec3::ZERO, &full, &speakers, None, HEARING_RADIUS_M);
        assert_eq!(next[SPATIAL_SLOTS - 1], Some(7));
        assert_eq!(next[..SPATIAL_SLOTS - 1], full[..SPATIAL_SLOTS - 1]);
    }

    #[test]
    fn speakers_who_walk_away_or_are_heard_elsewhere_leave_their_slot() {
        let speakers = [s(1, 2.0, false), s(2, 4.0, true)];
        let slots = assign(
            0,
            Vec3::ZERO,
            &[Some(1), Some(2)],
            &speakers,
            Some(2),
            HEARING_RADIUS_M,
        );
        assert_eq!(
            &slots[..2],
            &[Some(1), None],
            "a silent speaker in reach keeps the slot"
        );
        let gone = [s(1, 50.0, true)];
        assert_eq!(
            assign(0, Vec3::ZERO, &[Some(1)], &gone, None, HEARING_RADIUS_M)[0],
            None
        );
    }
}
