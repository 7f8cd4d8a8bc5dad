//! The one movement rule. The server applies it to every input it accepts; a client applies the
//! same function to predict its own avatar, so both agree to the centimetre.

use glam::{Vec2, Vec3};

use crate::protocol::InputFrame;
use crate::quantize::{axis_from_i8, yaw_from_u16};
use crate::scene::CollisionWorld;

/// Walking speed in m/s (a calm museum pace).
pub const WALK_SPEED: f32 = 1.8;
/// Running speed in m/s.
pub const RUN_SPEED: f32 = 4.0;
/// The fastest any accepted input can move an avatar, per second.
pub const MAX_SPEED: f32 = RUN_SPEED;

/// Where an avatar stands and faces.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AvatarMotion {
    pub pos: Vec3,
    pub yaw: f32,
}

/// Applies one input frame of `dt` seconds. The input's direction is clamped to length 1, so no
/// input can move faster than [`MAX_SPEED`]; walls and floor edges stop the avatar, sliding
/// along them axis by axis.
pub fn step(
    motion: AvatarMotion,
    input: &InputFrame,
    dt: f32,
    world: &CollisionWorld,
) -> AvatarMotion {
    let yaw = yaw_from_u16(input.yaw);
    let local = Vec2::new(axis_from_i8(input.right), axis_from_i8(input.forward));
    let local = if local.length_squared() > 1.0 {
        local.normalize()
    } else {
        local
    };
    // Right-handed and Y-up like the client's renderer: yaw 0 faces +Z, positive yaw turns
    // towards +X, which is a turn to the left as seen from above; "right" is then -X at yaw 0.
    let (sin, cos) = yaw.sin_cos();
    let forward = Vec2::new(sin, cos);
    let right = Vec2::new(-cos, sin);
    let speed = if input.run { RUN_SPEED } else { WALK_SPEED };
    let delta = (forward * local.y + right * local.x) * speed * dt.clamp(0.0, 0.1);

    let mut p = Vec2::new(motion.pos.x, motion.pos.z);
    for axis in [Vec2::X, Vec2::Y] {
        let candidate = p + delta * axis;
        if world.walkable(candidate) {
            p = candidate;
        }
    }
    AvatarMotion {
        pos: world.place(p),
        yaw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantize::yaw_to_u16;
    use crate::scene::Scene;

    fn world() -> CollisionWorld {
        let scene = Scene::from_toml(
            r#"
            name = "t"
            capacity = 4
            title = { de = "t", en = "t" }
            floors = [{ min = [0, 0], max = [10, 10] }, { min = [6, 6], max = [10, 10], height = 0.4 }]
            solids = [{ min = [4, 0], max = [4.2, 10], height = 3 }]
            spawns = [{ pos = [1, 1] }]
            "#,
        )
        .unwrap();
        CollisionWorld::from_scene(&scene)
    }

    fn frame(forward: i8, right: i8, yaw: f32, run: bool) -> InputFrame {
        InputFrame {
            seq: 0,
            forward,
            right,
            yaw: yaw_to_u16(yaw),
            run,
        }
    }

    #[test]
    fn walks_at_walking_speed_and_faces_yaw() {
        let w = world();
        let mut m = AvatarMotion {
            pos: Vec3::new(1.0, 0.0, 1.0),
            yaw: 0.0,
        };
        for _ in 0..30 {
            m = step(m, &frame(127, 0, 0.0, false), 1.0 / 30.0, &w);
        }
        assert!((m.pos.z - (1.0 + WALK_SPEED)).abs() < 0.01, "{:?}", m.pos);
        assert!((m.pos.x - 1.0).abs() < 0.001);
    }

    #[test]
    fn diagonal_input_is_not_faster() {
        let w = world();
        let start = AvatarMotion {
            pos: Vec3::new(1.0, 0.0, 1.0),
            yaw: 0.0,
        };
        let m = step(start, &frame(127, 127, 0.0, true), 0.1, &w);
        let moved = Vec2::new(m.pos.x - 1.0, m.pos.z - 1.0).length();
        assert!(moved <= RUN_SPEED * 0.1 + 1e-4, "moved {moved}");
    }

    #[test]
    fn walls_and_edges_stop_the_avatar() {
        let w = world();
        let mut m = AvatarMotion {
            pos: Vec3::new(3.0, 0.0, 2.0),
            yaw: 0.0,
        };
        let east = std::f32::consts::FRAC_PI_2;
        for _ in 0..100 {
            m = step(m, &frame(127, 0, east, true), 0.05, &w);
        }
        assert!(m.pos.x < 4.0 - 0.29, "went through the wall: {:?}", m.pos);
        let mut m = AvatarMotion {
            pos: Vec3::new(1.0, 0.0, 1.0),
            yaw: 0.0,
        };
        for _ in 0..100 {
            m = step(m, &frame(-127, 0, 0.0, true), 0.05, &w);
        }
        assert!(m.pos.z > 0.0, "left the floor: {:?}", m.pos);
    }

    #[test]
    fn stands_on_the_highest_floor() {
        let w = world();
        let m = AvatarMotion {
            pos: Vec3::new(7.0, 0.0, 7.0),
            yaw: 0.0,
        };
        let m = step(m, &frame(0, 0, 0.0, false), 0.03, &w);
        assert!((m.pos.y - 0.4).abs() < 1e-6);
    }
}
