//! "Follow me": the class walks behind its guide as one group, moved by the server.
//!
//! The guide's path is kept as a trail of points; each follower aims at a point on that trail
//! a little further back the further down the group it is (five abreast), and walks there by
//! the same movement rule as everyone else. Aiming along the path the guide walked, not
//! straight at the guide, is what brings the group around walls and pedestals.

use std::collections::VecDeque;

use glam::{Vec2, Vec3};
use stadtlab_shared::protocol::InputFrame;
use stadtlab_shared::quantize::yaw_to_u16;
use stadtlab_shared::scene::CollisionWorld;

/// A new trail point every this many metres the guide walks.
const TRAIL_STEP: f32 = 0.5;
/// Trail points kept (100 m of path).
const TRAIL_POINTS: usize = 200;
/// Distance behind the guide of the first row, and between rows, metres.
const FIRST_ROW: f32 = 1.6;
const ROW_GAP: f32 = 0.8;
/// Followers per row, and the space between them: a class of 25 is five rows, the last
/// under 5 m behind the guide.
const ROW_WIDTH: usize = 5;
const SIDE_GAP: f32 = 0.8;
/// Close enough to one's place: stand.
const ARRIVED: f32 = 0.35;
/// Further than this from one's place: run.
const RUN_FROM: f32 = 3.0;

#[derive(Debug, Clone)]
pub struct Follow {
    pub guide: u16,
    /// Newest first.
    trail: VecDeque<Vec2>,
}

fn ground(p: Vec3) -> Vec2 {
    Vec2::new(p.x, p.z)
}

impl Follow {
    pub fn new(guide: u16, at: Vec3) -> Follow {
        Follow {
            guide,
            trail: VecDeque::from([ground(at)]),
        }
    }

    /// Adds the guide's position when it has moved far enough from the last point.
    pub fn record(&mut self, guide_pos: Vec3) {
        let p = ground(guide_pos);
        if self
            .trail
            .front()
            .is_none_or(|last| last.distance(p) >= TRAIL_STEP)
        {
            self.trail.push_front(p);
            self.trail.truncate(TRAIL_POINTS);
        }
    }

    /// The place of the follower of `rank` (0 = first) of `total`: on the trail behind the
    /// guide, shifted sideways within its row (each row centred on the path). A place inside a
    /// wall or off the floor moves onto the path itself, which the guide walked.
    pub fn place(&self, rank: usize, total: usize, world: Option<&CollisionWorld>) -> Vec2 {
        let row = rank / ROW_WIDTH;
        let back = FIRST_ROW + ROW_GAP * row as f32;
        let (point, direction) = self.along(back);
        let in_row = total.saturating_sub(row * ROW_WIDTH).clamp(1, ROW_WIDTH);
        let side = (rank % ROW_WIDTH) as f32 - (in_row as f32 - 1.0) / 2.0;
        let across = Vec2::new(-direction.y, direction.x);
        let beside = point + across * side * SIDE_GAP;
        match world {
            Some(w) if !w.walkable(beside) => point,
            _ => beside,
        }
    }

    /// The point `back` metres along the trail from the guide, and the walking direction there.
    fn along(&self, back: f32) -> (Vec2, Vec2) {
        let mut left = back;
        let mut points = self.trail.iter();
        let Some(mut newer) = points.next().copied() else {
            return (Vec2::ZERO, Vec2::Y);
        };
        let mut direction = Vec2::Y;
        for older in points.copied() {
            let segment = newer - older;
            let length = segment.length();
            if length > 1e-4 {
                direction = segment / length;
            }
            if length >= left {
                return (newer - direction * left, direction);
            }
            left -= length;
            newer = older;
        }
        // A short trail: the group waits where the guide started.
        (newer, direction)
    }
}

/// The input that walks a follower of `rank` (of `total`) standing at `pos` towards its
/// place, or `None` when it is there.
pub fn follow_frame(
    follow: &Follow,
    rank: usize,
    total: usize,
    pos: Vec3,
    world: &CollisionWorld,
) -> Option<InputFrame> {
    let to = follow.place(rank, total, Some(world)) - ground(pos);
    let distance = to.length();
    if distance < ARRIVED {
        return None;
    }
    // yaw 0 faces +Z and positive yaw turns towards +X (see `movement::step`).
    let yaw = to.x.atan2(to.y);
    Some(InputFrame {
        seq: 0,
        forward: 127,
        right: 0,
        yaw: yaw_to_u16(yaw),
        run: distance > RUN_FROM,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_line_up_behind_the_guide_along_the_path() {
        let mut f = Follow::new(0, Vec3::ZERO);
        for i in 1..=40 {
            f.record(Vec3::new(0.0, 0.0, i as f32 * 0.25));
        }
        // The guide walked +Z to z = 10: the first row stands 1.6 m behind, five abreast.
        let middle = f.place(2, 25, None);
        assert!(
            (middle - Vec2::new(0.0, 10.0 - FIRST_ROW)).length() < 0.3,
            "{middle}"
        );
        let side = f.place(0, 25, None);
        assert!((side.y - middle.y).abs() < 0.3 && (side.x - middle.x).abs() > 0.5);
        // Two followers stand either side of the path.
        let (a, b) = (f.place(0, 2, None), f.place(1, 2, None));
        assert!(
            (a.x + b.x).abs() < 0.01 && (a.x - b.x).abs() > 0.5,
            "{a} {b}"
        );
        let second_row = f.place(7, 25, None);
        assert!(
            second_row.y < middle.y - ROW_GAP * 0.9,
            "{second_row} {middle}"
        );
    }

    #[test]
    fn the_frame_walks_towards_the_place_and_stops_there() {
        let scene = stadtlab_shared::scene::Scene::from_toml(
            r#"
            name = "t"
            capacity = 4
            title = { de = "t", en = "t" }
            floors = [{ min = [-20, -20], max = [20, 20] }]
            spawns = [{ pos = [1, 1] }]
            "#,
        )
        .unwrap();
        let world = CollisionWorld::from_scene(&scene);
        let mut f = Follow::new(0, Vec3::ZERO);
        f.record(Vec3::new(0.0, 0.0, 10.0));
        let frame = follow_frame(&f, 2, 5, Vec3::ZERO, &world).unwrap();
        assert_eq!(frame.forward, 127);
        assert!(frame.run);
        let there = f.place(2, 5, Some(&world));
        assert!(follow_frame(&f, 2, 5, Vec3::new(there.x, 0.0, there.y), &world).is_none());
    }
}
