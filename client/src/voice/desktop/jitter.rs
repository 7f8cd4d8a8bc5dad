//! A small jitter buffer for one receive slot: frames wait a little (three frames, 60 ms) so
//! that late and reordered packets still play in order, and a gap becomes Opus' own loss
//! concealment instead of a click. str0m has none (by design), the browsers have theirs.

use std::collections::BTreeMap;

use stadtlab_shared::voice_peer::FRAME_SAMPLES;

/// Frames held before playing starts (60 ms).
pub const TARGET_FRAMES: usize = 3;
/// More than this waiting and the oldest are dropped: latency must not grow without end.
pub const MAX_FRAMES: usize = 12;
/// Missing frames in a row after which the talk spurt counts as over (silence, not loss).
const END_AFTER_MISSING: u32 = 5;
/// A time this far from the expected one is another speaker in the slot or a new spurt.
const JUMP_SAMPLES: u64 = 48_000;

/// What to play for the next 20 ms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Playout {
    /// Decode this frame.
    Frame(Vec<u8>),
    /// A frame is missing inside a spurt: let the decoder conceal it.
    Lost,
    /// Nothing to play (not started, or the speaker paused).
    Silence,
}

#[derive(Debug, Default)]
pub struct JitterBuffer {
    frames: BTreeMap<u64, Vec<u8>>,
    /// The media time of the next frame to play, once playing.
    next: Option<u64>,
    missing: u32,
}

impl JitterBuffer {
    /// Takes a frame that arrived with its media time (48 kHz samples).
    pub fn push(&mut self, time: u64, payload: Vec<u8>) {
        let expected = self
            .next
            .or_else(|| self.frames.last_key_value().map(|(t, _)| t + FRAME_SAMPLES));
        if let Some(next) = expected {
            if time.abs_diff(next) > JUMP_SAMPLES {
                // Another speaker (the server switched the slot) or the same after a pause:
                // start over with this one.
                self.frames.clear();
                self.next = None;
                self.missing = 0;
            } else if self.next.is_some() && time < next {
                return; // too late: its turn has passed
            }
        }
        self.frames.insert(time, payload);
        while self.frames.len() > MAX_FRAMES {
            self.frames.pop_first();
            if let (Some(next), Some((&first, _))) = (self.next, self.frames.first_key_value()) {
                self.next = Some(next.max(first));
            }
        }
    }

    /// The next 20 ms.
    pub fn pop(&mut self) -> Playout {
        let Some(next) = self.next else {
            if self.frames.len() < TARGET_FRAMES {
                return Playout::Silence;
            }
            let (time, payload) = self.frames.pop_first().expect("not empty");
            self.next = Some(time + FRAME_SAMPLES);
            return Playout::Frame(payload);
        };
        self.next = Some(next + FRAME_SAMPLES);
        if let Some(payload) = self.frames.remove(&next) {
            self.missing = 0;
            return Playout::Frame(payload);
        }
        self.missing += 1;
        if self.missing >= END_AFTER_MISSING && self.frames.is_empty() {
            self.next = None;
            self.missing = 0;
            return Playout::Silence;
        }
        Playout::Lost
    }

    /// Frames waiting.
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(i: u64) -> (u64, Vec<u8>) {
        (1_000_000 + i * FRAME_SAMPLES, vec![i as u8])
    }

    fn push(buffer: &mut JitterBuffer, i: u64) {
        let (t, p) = frame(i);
        buffer.push(t, p);
    }

    #[test]
    fn waits_for_three_frames_then_plays_in_order_even_when_reordered() {
        let mut b = JitterBuffer::default();
        push(&mut b, 0);
        push(&mut b, 2);
        assert_eq!(
            b.pop(),
            Playout::Silence,
            "two frames are not enough to start"
        );
        push(&mut b, 1);
        for i in 0..3 {
            assert_eq!(b.pop(), Playout::Frame(vec![i]));
        }
    }

    #[test]
    fn a_gap_is_concealed_and_a_late_frame_is_dropped() {
        let mut b = JitterBuffer::default();
        for i in [0, 1, 2, 4] {
            push(&mut b, i);
        }
        assert_eq!(b.pop(), Playout::Frame(vec![0]));
        assert_eq!(b.pop(), Playout::Frame(vec![1]));
        assert_eq!(b.pop(), Playout::Frame(vec![2]));
        assert_eq!(b.pop(), Playout::Lost, "frame 3 never came");
        push(&mut b, 3);
        assert_eq!(b.len(), 1, "frame 3 came after its turn and is not kept");
        assert_eq!(b.pop(), Playout::Frame(vec![4]));
    }

    #[test]
    fn silence_after_the_speaker_stops_and_a_new_speaker_starts_over() {
        let mut b = JitterBuffer::default();
        for i in 0..3 {
            push(&mut b, i);
        }
        for _ in 0..3 {
            assert!(matches!(b.pop(), Playout::Frame(_)));
        }
        let tail: Vec<Playout> = (0..END_AFTER_MISSING).map(|_| b.pop()).collect();
        assert_eq!(tail.last(), Some(&Playout::Silence), "{tail:?}");
        // Another speaker in the slot: a time far away from the first.
        for i in 0..3 {
            b.push(9_000_000 + i * FRAME_SAMPLES, vec![100 + i as u8]);
        }
        assert_eq!(b.pop(), Playout::Frame(vec![100]));
    }

    #[test]
    fn latency_stays_bounded_when_frames_pile_up() {
        let mut b = JitterBuffer::default();
        for i in 0..40 {
            push(&mut b, i);
        }
        assert_eq!(b.len(), MAX_FRAMES);
        assert_eq!(b.pop(), Playout::Frame(vec![40 - MAX_FRAMES as u8]));
    }
}
