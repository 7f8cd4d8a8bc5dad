//! Click (or tap) a spot on the floor and the avatar walks there: for trackpads, for people
//! who find keys and mouse at once hard, for phones.

use bevy::prelude::*;

use super::{MoveIntent, UiFocus};
use crate::player::RoomGeometry;

/// Where I am walking to, if I clicked somewhere.
#[derive(Resource, Debug, Default, Clone, Copy)]
pub struct WalkTarget(pub Option<Vec3>);

/// A click or tap at this screen position, not yet turned into a target.
#[derive(Resource, Debug, Default, Clone, Copy)]
pub struct PendingClick(pub Option<Vec2>);

/// What the last click or tap on the room did: the state hook shows it, so a test (or a
/// bug report) can tell a tap that missed the floor from one that never arrived.
#[derive(Resource, Debug, Default, Clone, Copy)]
pub struct LastTap(pub Option<(Vec2, TapOutcome)>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TapOutcome {
    Walk,
    /// A panel or menu had the pointer.
    OverUi,
    /// Nothing walkable under the point (a wall, beyond the room, the front of the stage).
    NoFloor,
}

impl TapOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            TapOutcome::Walk => "walk",
            TapOutcome::OverUi => "over-ui",
            TapOutcome::NoFloor => "no-floor",
        }
    }
}

/// Closer than this counts as arrived.
pub const ARRIVED_M: f32 = 0.25;
/// Slow down over the last stretch instead of overshooting.
const BRAKE_M: f32 = 0.8;

/// The move that heads from `pos` to `goal` for someone looking along `yaw`; `None` on arrival.
pub fn intent_towards(pos: Vec3, goal: Vec3, yaw: f32) -> Option<MoveIntent> {
    let d = Vec2::new(goal.x - pos.x, goal.z - pos.z);
    let dist = d.length();
    if dist < ARRIVED_M {
        return None;
    }
    let dir = d / dist * (dist / BRAKE_M).min(1.0);
    let (sin, cos) = yaw.sin_cos();
    // The same frame as `shared::movement::step`: forward (sin, cos), right (-cos, sin).
    Some(MoveIntent {
        forward: dir.dot(Vec2::new(sin, cos)),
        right: dir.dot(Vec2::new(-cos, sin)),
        run: false,
    })
}

/// Where a ray hits walkable floor, trying each floor height of the room.
pub fn floor_hit(ray: Ray3d, room: &RoomGeometry) -> Option<Vec3> {
    let mut heights: Vec<f32> = room.scene.floors.iter().map(|f| f.height).collect();
    heights.sort_by(|a, b| b.total_cmp(a));
    heights.dedup();
    heights.into_iter().find_map(|h| {
        let t = ray.intersect_plane(Vec3::Y * h, InfinitePlane3d::new(Vec3::Y))?;
        let p = ray.get_point(t);
        let on = room.collision.floor_height(Vec2::new(p.x, p.z));
        (on.is_some_and(|fh| (fh - h).abs() < 0.01) && room.collision.walkable(Vec2::new(p.x, p.z)))
            .then_some(p)
    })
}

pub fn pick_target(
    mut click: ResMut<PendingClick>,
    focus: Res<UiFocus>,
    cameras: Query<(&Camera, &GlobalTransform), With<Camera3d>>,
    room: Option<Res<RoomGeometry>>,
    mut target: ResMut<WalkTarget>,
    mut last: ResMut<LastTap>,
) {
    let Some(at) = click.0.take() else { return };
    if focus.pointer_over_ui || focus.menu_open {
        last.0 = Some((at, TapOutcome::OverUi));
        return;
    }
    let (Some(room), Ok((camera, cam_tf))) = (room, cameras.single()) else {
        return;
    };
    let hit = camera
        .viewport_to_world(cam_tf, at)
        .ok()
        .and_then(|ray| floor_hit(ray, &room));
    if hit.is_some() {
        target.0 = hit;
    }
    let outcome = if hit.is_some() {
        TapOutcome::Walk
    } else {
        TapOutcome::NoFloor
    };
    last.0 = Some((at, outcome));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_for_the_goal_whatever_the_view() {
        let pos = Vec3::ZERO;
        let goal = Vec3::new(0.0, 0.0, 5.0);
        let ahead = intent_towards(pos, goal, 0.0).unwrap();
        assert!((ahead.forward - 1.0).abs() < 1e-5 && ahead.right.abs() < 1e-5);
        // Looking along +X (yaw π/2), a goal at +Z is on the right-hand side.
        let side = intent_towards(pos, goal, std::f32::consts::FRAC_PI_2).unwrap();
        assert!(
            side.forward.abs() < 1e-5 && (side.right - 1.0).abs() < 1e-5,
            "{side:?}"
        );
        assert!(
            intent_towards(pos, Vec3::new(0.1, 0.0, 0.1), 0.0).is_none(),
            "arrived"
        );
    }
}
