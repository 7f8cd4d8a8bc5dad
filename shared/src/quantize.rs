//! Fixed-point forms of positions and angles as they travel on the wire.
//!
//! Centimetres keep walking smooth (a step at 30 Hz is ~7 cm) while small deltas fit in one
//! varint byte; 16-bit yaw gives 0.0055° steps, far below what a name tag or head shows.

use glam::Vec3;
use serde::{Deserialize, Serialize};

/// Wire units per metre.
pub const UNITS_PER_METRE: f32 = 100.0;

/// Position in centimetres. i32 gives ±21 km: any scene fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct QuantPos(pub [i32; 3]);

impl QuantPos {
    pub fn from_vec3(v: Vec3) -> Self {
        let q = |f: f32| {
            (f * UNITS_PER_METRE)
                .round()
                .clamp(i32::MIN as f32, i32::MAX as f32) as i32
        };
        Self([q(v.x), q(v.y), q(v.z)])
    }

    pub fn to_vec3(self) -> Vec3 {
        Vec3::new(
            self.0[0] as f32 / UNITS_PER_METRE,
            self.0[1] as f32 / UNITS_PER_METRE,
            self.0[2] as f32 / UNITS_PER_METRE,
        )
    }
}

/// Yaw (rotation about the vertical axis) in 1/65536 of a turn.
pub fn yaw_to_u16(yaw_radians: f32) -> u16 {
    let turns = (yaw_radians / std::f32::consts::TAU).rem_euclid(1.0);
    ((turns * 65536.0).round() as u32 & 0xFFFF) as u16
}

pub fn yaw_from_u16(yaw: u16) -> f32 {
    yaw as f32 / 65536.0 * std::f32::consts::TAU
}

/// A movement axis in [-1, 1] as a signed byte.
pub fn axis_to_i8(v: f32) -> i8 {
    (v.clamp(-1.0, 1.0) * 127.0).round() as i8
}

pub fn axis_from_i8(v: i8) -> f32 {
    (v as f32 / 127.0).clamp(-1.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn position_round_trip_within_half_a_centimetre(x in -1000.0f32..1000.0, y in -10.0f32..50.0, z in -1000.0f32..1000.0) {
            let v = Vec3::new(x, y, z);
            let back = QuantPos::from_vec3(v).to_vec3();
            prop_assert!((back - v).abs().max_element() <= 0.0051);
        }

        #[test]
        fn yaw_round_trip(yaw in -20.0f32..20.0) {
            let back = yaw_from_u16(yaw_to_u16(yaw));
            let diff = (back - yaw.rem_euclid(std::f32::consts::TAU)).abs();
            let diff = diff.min(std::f32::consts::TAU - diff);
            prop_assert!(diff < 0.0002);
        }
    }
}
