//! Looking around: ←/→ turn (snap turns with "reduce motion"), dragging the
//! mouse looks, holding the right button captures the pointer (pointer lock in browsers).

use bevy::input::mouse::AccumulatedMouseMotion;
use bevy::prelude::*;
use bevy::window::{CursorGrabMode, CursorOptions, PrimaryWindow};

use super::{Look, UiFocus, keys};
use crate::settings::Settings;

/// Radians per second for held turn keys.
const KEY_TURN_SPEED: f32 = 2.0;
/// Radians per key press when turning in steps.
const SNAP_TURN: f32 = std::f32::consts::FRAC_PI_6;
/// Radians per pixel of mouse movement at sensitivity 1.
pub const MOUSE_RADIANS_PER_PIXEL: f32 = 0.004;
/// Pixels a pressed left button may move and still count as a click (click-to-walk).
pub const CLICK_SLOP_PX: f32 = 6.0;

/// The left button's press, to tell a click (walk there) from a drag (look around).
#[derive(Debug, Default, Clone, Copy)]
pub struct LeftDrag {
    pub pressed_at: Option<Vec2>,
    pub dragging: bool,
}

pub fn keyboard_turn(
    keys_in: Res<ButtonInput<KeyCode>>,
    focus: Res<UiFocus>,
    settings: Res<Settings>,
    time: Res<Time>,
    mut look: ResMut<Look>,
) {
    if focus.typing || focus.menu_open {
        return;
    }
    let axes = keys::axes(|k| keys_in.pressed(k));
    if axes.turn == 0.0 {
        return;
    }
    // Positive yaw turns left (see `shared::movement`), so turning right lowers it.
    if settings.reduce_motion {
        let pressed = |codes: &[KeyCode]| codes.iter().any(|&k| keys_in.just_pressed(k));
        if pressed(&[KeyCode::ArrowRight]) {
            look.turn(-SNAP_TURN, 0.0);
        } else if pressed(&[KeyCode::ArrowLeft]) {
            look.turn(SNAP_TURN, 0.0);
        }
    } else {
        look.turn(-axes.turn * KEY_TURN_SPEED * time.delta_secs(), 0.0);
    }
}

pub fn mouse_look(
    buttons: Res<ButtonInput<MouseButton>>,
    motion: Res<AccumulatedMouseMotion>,
    settings: Res<Settings>,
    focus: Res<UiFocus>,
    mut windows: Query<(&Window, &mut CursorOptions), With<PrimaryWindow>>,
    mut look: ResMut<Look>,
    mut drag: Local<LeftDrag>,
    mut click: ResMut<super::click_walk::PendingClick>,
) {
    let Ok((window, mut cursor)) = windows.single_mut() else {
        return;
    };
    let pointer = window.cursor_position();
    // Right button: capture the pointer while held, like many 3D viewers.
    if buttons.just_pressed(MouseButton::Right) && !focus.pointer_over_ui {
        cursor.grab_mode = CursorGrabMode::Locked;
        cursor.visible = false;
    }
    if buttons.just_released(MouseButton::Right) {
        cursor.grab_mode = CursorGrabMode::None;
        cursor.visible = true;
    }
    if buttons.just_pressed(MouseButton::Left) && !focus.pointer_over_ui {
        drag.pressed_at = pointer;
        drag.dragging = false;
    }
    if let (Some(start), Some(now)) = (drag.pressed_at, pointer)
        && buttons.pressed(MouseButton::Left)
        && start.distance(now) > CLICK_SLOP_PX
    {
        drag.dragging = true;
    }
    if buttons.just_released(MouseButton::Left) {
        if drag.pressed_at.is_some() && !drag.dragging {
            click.0 = pointer;
        }
        drag.pressed_at = None;
        drag.dragging = false;
    }
    // In a menu (or inspecting an exhibit) a drag belongs to that view.
    let looking = (buttons.pressed(MouseButton::Right) || drag.dragging) && !focus.menu_open;
    if looking && motion.delta != Vec2::ZERO {
        let k = MOUSE_RADIANS_PER_PIXEL * settings.sensitivity;
        look.turn(-motion.delta.x * k, -motion.delta.y * k);
    }
}
