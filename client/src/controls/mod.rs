//! Every way of moving, mapped to one [`MoveIntent`] and one [`Look`]: keyboard, mouse look
//! (drag, or pointer lock on the right button), the touch joystick, and click-to-walk.

pub mod click_walk;
pub mod keys;
pub mod look;
pub mod touch;

use bevy::prelude::*;

pub struct ControlsPlugin;

impl Plugin for ControlsPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<MoveIntent>()
            .init_resource::<Look>()
            .init_resource::<UiFocus>()
            .init_resource::<touch::Joystick>()
            .init_resource::<click_walk::WalkTarget>()
            .init_resource::<click_walk::LastTap>()
            .init_resource::<click_walk::PendingClick>()
            .add_systems(
                Update,
                (
                    (look::keyboard_turn, look::mouse_look, touch::track_touches),
                    click_walk::pick_target,
                    combine_intent,
                )
                    .chain()
                    .in_set(ControlsSet),
            );
    }
}

/// Runs before the camera and the player read the intent.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ControlsSet;

/// Where I want to go this frame, relative to where I look: forward/right in [-1, 1].
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq)]
pub struct MoveIntent {
    pub forward: f32,
    pub right: f32,
    pub run: bool,
}

/// Where I look: yaw as the server counts it (0 = +Z), pitch up positive, radians.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq)]
pub struct Look {
    pub yaw: f32,
    pub pitch: f32,
}

pub const MAX_PITCH: f32 = 1.2;

impl Look {
    pub fn turn(&mut self, dyaw: f32, dpitch: f32) {
        self.yaw = (self.yaw + dyaw).rem_euclid(std::f32::consts::TAU);
        self.pitch = (self.pitch + dpitch).clamp(-MAX_PITCH, MAX_PITCH);
    }
}

/// Set by the panels: while someone types, keys are text, not movement.
#[derive(Resource, Debug, Default, Clone, Copy)]
pub struct UiFocus {
    pub typing: bool,
    pub menu_open: bool,
    /// The pointer is over a panel: clicks belong to the panel.
    pub pointer_over_ui: bool,
}

fn combine_intent(
    keys: Res<ButtonInput<KeyCode>>,
    focus: Res<UiFocus>,
    joystick: Res<touch::Joystick>,
    mut target: ResMut<click_walk::WalkTarget>,
    look: Res<Look>,
    me: Res<crate::player::MyMotion>,
    settings: Res<crate::settings::Settings>,
    mut intent: ResMut<MoveIntent>,
) {
    let from_keys = if focus.typing || focus.menu_open {
        keys::KeyAxes::default()
    } else {
        keys::axes(|k| keys.pressed(k))
    };
    let mut next = MoveIntent {
        forward: from_keys.forward + joystick.vector.y,
        right: from_keys.right + joystick.vector.x,
        run: from_keys.run || joystick.vector.length() > 0.95,
    };
    if next.forward != 0.0 || next.right != 0.0 {
        // Any manual move cancels a click-to-walk target.
        target.0 = None;
    } else if let (Some(goal), Some(pos)) = (target.0, me.current.map(|m| m.pos)) {
        match click_walk::intent_towards(pos, goal, look.yaw) {
            Some(towards) => next = towards,
            None => target.0 = None,
        }
    }
    if settings.reduce_motion {
        next.run = false;
    }
    next.forward = next.forward.clamp(-1.0, 1.0);
    next.right = next.right.clamp(-1.0, 1.0);
    if *intent != next {
        *intent = next;
    }
}
