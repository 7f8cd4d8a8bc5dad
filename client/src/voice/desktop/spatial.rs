//! Where a voice sounds from on the desktop: the browsers' distance curve (shared with them,
//! `distance_gain`) and equal-power stereo panning by the side the speaker stands on. No HRTF
//! on the desktop: panning needs no data file and is what most headsets make of it anyway.

use glam::Vec2;
use stadtlab_shared::protocol::domain::voice::distance_gain;

/// How loud and from which side one slot plays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub gain: f32,
    /// -1 fully left, 0 centre, 1 fully right.
    pub pan: f32,
}

impl Placement {
    /// The broadcast slot (the guide, the stage): full volume, from the front.
    pub const CENTRE: Placement = Placement {
        gain: 1.0,
        pan: 0.0,
    };

    /// Left and right gains (equal power: the sum of squares stays the gain squared).
    pub fn channel_gains(self) -> (f32, f32) {
        let angle = (self.pan.clamp(-1.0, 1.0) + 1.0) * std::f32::consts::FRAC_PI_4;
        (self.gain * angle.cos(), self.gain * angle.sin())
    }
}

/// A speaker at `source` heard by a listener at `listener` looking along `yaw` (the movement
/// convention: yaw 0 looks along +Z, "right" is -X there).
pub fn place(listener: Vec2, yaw: f32, source: Vec2) -> Placement {
    let to = source - listener;
    let distance = to.length();
    let (sin, cos) = yaw.sin_cos();
    let right = Vec2::new(-cos, sin);
    let pan = if distance > 0.01 {
        to.dot(right) / distance
    } else {
        0.0
    };
    Placement {
        gain: distance_gain(distance),
        pan,
    }
}

/// "Only the nearest": silences every spatial placement but the `keep` loudest (the loudest
/// are the nearest, by the distance curve). The broadcast slot is not among `spatial`.
pub fn keep_nearest(spatial: &mut [Option<Placement>], keep: usize) {
    let mut by_gain: Vec<(usize, f32)> = spatial
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|p| (i, p.gain)))
        .collect();
    by_gain.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (i, _) in by_gain.into_iter().skip(keep) {
        spatial[i] = None;
    }
}

/// Adds a mono frame into an interleaved stereo mix at its placement, times the volume of
/// others the visitor chose.
pub fn mix_into(stereo: &mut [f32], mono: &[f32], placement: Placement, volume: f32) {
    let (left, right) = placement.channel_gains();
    for (out, sample) in stereo.chunks_exact_mut(2).zip(mono) {
        out[0] += sample * left * volume;
        out[1] += sample * right * volume;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_nearest_keeps_the_two_loudest_spatial_voices() {
        let at = |m: f32| Some(place(Vec2::ZERO, 0.0, Vec2::new(0.0, m)));
        let mut spatial = [at(12.0), None, at(3.0), at(18.0), at(6.0), None];
        keep_nearest(&mut spatial, 2);
        let kept: Vec<usize> = (0..6).filter(|i| spatial[*i].is_some()).collect();
        assert_eq!(kept, vec![2, 4]);
    }

    #[test]
    fn a_speaker_on_the_right_is_louder_in_the_right_ear() {
        // Looking along +Z (yaw 0), -X is to the right.
        let p = place(Vec2::ZERO, 0.0, Vec2::new(-3.0, 0.0));
        assert!((p.pan - 1.0).abs() < 1e-5, "{p:?}");
        let (l, r) = p.channel_gains();
        assert!(r > 0.99 && l < 0.01, "{l} {r}");
        // Turned around (yaw π), the same speaker is on the left.
        let p = place(Vec2::ZERO, std::f32::consts::PI, Vec2::new(-3.0, 0.0));
        assert!((p.pan + 1.0).abs() < 1e-4, "{p:?}");
    }

    #[test]
    fn in_front_is_centred_and_equal_power() {
        let p = place(Vec2::ZERO, 0.0, Vec2::new(0.0, 4.0));
        assert!(p.pan.abs() < 1e-5);
        let (l, r) = p.channel_gains();
        assert!((l - r).abs() < 1e-5);
        assert!((l * l + r * r - p.gain * p.gain).abs() < 1e-5);
    }

    #[test]
    fn farther_is_quieter_by_the_browsers_curve() {
        let near = place(Vec2::ZERO, 0.0, Vec2::new(0.0, 2.0));
        let mid = place(Vec2::ZERO, 0.0, Vec2::new(0.0, 10.0));
        let far = place(Vec2::ZERO, 0.0, Vec2::new(0.0, 19.0));
        assert_eq!(near.gain, 1.0, "within the reference distance: full volume");
        assert!(mid.gain < near.gain && far.gain < mid.gain);
        assert!((mid.gain - distance_gain(10.0)).abs() < 1e-6);
    }

    #[test]
    fn mixing_adds_each_voice_at_its_side_and_volume() {
        let mut stereo = vec![0.0; 4];
        mix_into(
            &mut stereo,
            &[1.0, 1.0],
            Placement {
                gain: 1.0,
                pan: 1.0,
            },
            0.5,
        );
        mix_into(
            &mut stereo,
            &[1.0, 1.0],
            Placement {
                gain: 1.0,
                pan: -1.0,
            },
            1.0,
        );
        assert!((stereo[0] - 1.0).abs() < 1e-5, "left: the second voice");
        assert!(
            (stereo[1] - 0.5).abs() < 1e-5,
            "right: the first at half volume"
        );
    }
}
