//! Smooth movement of other people's avatars: render a little behind the newest snapshot and
//! blend between the two states around that moment. Far avatars arrive less often (interest
//! tiers); the blend then simply spans a longer gap.

use std::collections::VecDeque;

use glam::Vec3;

use crate::protocol::AvatarState;
use crate::quantize::{QuantPos, yaw_from_u16};

/// How far behind the newest snapshot to render, in seconds: covers a lost packet or two.
pub const DEFAULT_DELAY: f64 = 0.1;
/// Samples kept per avatar (far avatars update every ninth tick: this spans several seconds).
const MAX_SAMPLES: usize = 16;

#[derive(Debug, Clone, Default)]
pub struct Interpolator {
    /// (server time in seconds, state), oldest first.
    samples: VecDeque<(f64, AvatarState)>,
}

impl Interpolator {
    /// Adds the state the server had at `time` (snapshot tick / tick rate). Older or equal
    /// times than the newest sample are ignored.
    pub fn push(&mut self, time: f64, state: AvatarState) {
        if self.samples.back().is_some_and(|(t, _)| *t >= time) {
            return;
        }
        if self.samples.len() == MAX_SAMPLES {
            self.samples.pop_front();
        }
        self.samples.push_back((time, state));
    }

    /// Position and yaw at `time`: blended between samples, held at the ends (no guessing
    /// beyond what the server said, so nobody walks through a wall on screen).
    pub fn sample(&self, time: f64) -> Option<(Vec3, f32)> {
        let first = self.samples.front()?;
        let at = |s: &AvatarState| (QuantPos(s.pos).to_vec3(), yaw_from_u16(s.yaw));
        if time <= first.0 {
            return Some(at(&first.1));
        }
        for pair in self.samples.iter().collect::<Vec<_>>().windows(2) {
            let ((t0, a), (t1, b)) = (pair[0], pair[1]);
            if time <= *t1 {
                let f = ((time - t0) / (t1 - t0)) as f32;
                let (pa, ya) = at(a);
                let (pb, _) = at(b);
                // Shortest way round for the facing.
                let dyaw =
                    (b.yaw.wrapping_sub(a.yaw) as i16) as f32 / 65536.0 * std::f32::consts::TAU;
                return Some((pa.lerp(pb, f), ya + dyaw * f));
            }
        }
        self.samples.back().map(|(_, s)| at(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(x: i32, yaw: u16) -> AvatarState {
        AvatarState {
            pos: [x, 0, 0],
            yaw,
            flags: 0,
        }
    }

    #[test]
    fn blends_between_samples_and_holds_at_the_ends() {
        let mut i = Interpolator::default();
        i.push(1.0, st(0, 0));
        i.push(1.3, st(300, 0)); // a far avatar: 9 ticks apart
        i.push(1.2, st(999, 0)); // late and out of order: ignored
        assert_eq!(i.sample(0.5).unwrap().0.x, 0.0);
        assert!((i.sample(1.1).unwrap().0.x - 1.0).abs() < 1e-4);
        assert!((i.sample(1.25).unwrap().0.x - 2.5).abs() < 1e-4);
        assert_eq!(i.sample(9.0).unwrap().0.x, 3.0, "no extrapolation");
        assert!(Interpolator::default().sample(1.0).is_none());
    }

    #[test]
    fn turns_the_short_way_round() {
        let mut i = Interpolator::default();
        i.push(0.0, st(0, 65000)); // just below a full turn
        i.push(1.0, st(0, 500)); // just past zero
        let (_, yaw) = i.sample(0.5).unwrap();
        let turns = (yaw / std::f32::consts::TAU).rem_euclid(1.0);
        assert!(!(0.1..0.9).contains(&turns), "went the long way: {turns}");
    }
}
