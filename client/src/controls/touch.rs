//! Touch screens: a joystick where the left thumb lands (lower left), swipe anywhere else
//! to look, a short tap walks there.

use bevy::input::touch::Touches;
use bevy::prelude::*;
use bevy::window::PrimaryWindow;

use super::Look;
use super::click_walk::PendingClick;
use crate::settings::Settings;

/// Pixels from the joystick's centre to full deflection.
pub const JOYSTICK_RADIUS_PX: f32 = 60.0;
const TAP_MAX_SECONDS: f32 = 0.3;

/// Whether a touch released after `held_s` seconds, `frames` frames after it landed, having
/// moved `moved_px`, was a tap. On a slow phone (a few frames a second) even the quickest tap
/// is seen a frame later, more than `TAP_MAX_SECONDS` of frame time: released in the next
/// frame counts as a tap whatever the clock says.
pub fn is_tap(held_s: f32, frames: u64, moved_px: f32) -> bool {
    (held_s < TAP_MAX_SECONDS || frames <= 1) && moved_px < super::look::CLICK_SLOP_PX * 2.0
}

#[derive(Resource, Debug, Default, Clone)]
pub struct Joystick {
    /// x right, y forward; length ≤ 1.
    pub vector: Vec2,
    /// Where the thumb landed, for drawing the joystick.
    pub origin: Option<Vec2>,
    finger: Option<u64>,
}

/// Whether a touch that starts at `pos` drives the joystick: the lower left of the screen.
pub fn is_joystick_area(pos: Vec2, screen: Vec2) -> bool {
    pos.x < screen.x * 0.4 && pos.y > screen.y * 0.4
}

/// What touch positions are divided by to be in the window's logical pixels: 1 normally; the
/// device's pixel ratio where the UI runs at one logical pixel per CSS pixel (see `app`).
pub fn touch_scale(window: &Window) -> f32 {
    (window.resolution.base_scale_factor() / window.scale_factor()).max(f32::EPSILON)
}

/// Whether a point lies on a panel or button (those take the touch, not the room).
fn on_ui(ui: &Query<(&ComputedNode, &UiGlobalTransform), With<Interaction>>, point: Vec2) -> bool {
    ui.iter()
        .any(|(node, at)| crate::ui::taps::inside(node, at, point))
}

pub fn joystick_vector(origin: Vec2, now: Vec2) -> Vec2 {
    // Screen y grows downwards; pushing the thumb up walks forward.
    let v = Vec2::new(now.x - origin.x, origin.y - now.y) / JOYSTICK_RADIUS_PX;
    if v.length() > 1.0 { v.normalize() } else { v }
}

#[allow(clippy::too_many_arguments)]
pub fn track_touches(
    touches: Res<Touches>,
    windows: Query<&Window, With<PrimaryWindow>>,
    ui: Query<(&ComputedNode, &UiGlobalTransform), With<Interaction>>,
    settings: Res<Settings>,
    time: Res<Time>,
    mut joystick: ResMut<Joystick>,
    mut look: ResMut<Look>,
    mut click: ResMut<PendingClick>,
    mut started: Local<std::collections::HashMap<u64, (Vec2, f32, u64)>>,
    mut frame: Local<u64>,
) {
    *frame += 1;
    let Ok(window) = windows.single() else { return };
    let screen = Vec2::new(window.width(), window.height());
    let scale = touch_scale(window);
    let now = time.elapsed_secs();
    for touch in touches.iter_just_pressed() {
        let at = touch.position() / scale;
        if on_ui(&ui, at) {
            continue; // a button or panel: see `ui::taps`
        }
        if joystick.finger.is_none() && is_joystick_area(at, screen) {
            joystick.finger = Some(touch.id());
            joystick.origin = Some(at);
        } else {
            started.insert(touch.id(), (at, now, *frame));
        }
    }
    for touch in touches.iter() {
        if Some(touch.id()) == joystick.finger {
            if let Some(origin) = joystick.origin {
                joystick.vector = joystick_vector(origin, touch.position() / scale);
            }
        } else if started.contains_key(&touch.id()) {
            let d = touch.delta() / scale;
            let k = super::look::MOUSE_RADIANS_PER_PIXEL * settings.sensitivity;
            look.turn(-d.x * k, -d.y * k);
        }
    }
    for touch in touches
        .iter_just_released()
        .chain(touches.iter_just_canceled())
    {
        if Some(touch.id()) == joystick.finger {
            *joystick = Joystick::default();
        } else if let Some((start, at, landed)) = started.remove(&touch.id())
            && is_tap(
                now - at,
                *frame - landed,
                start.distance(touch.position() / scale),
            )
        {
            click.0 = Some(touch.position() / scale);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumb_up_walks_forward_and_deflection_is_capped() {
        let o = Vec2::new(100.0, 500.0);
        assert_eq!(
            joystick_vector(o, Vec2::new(100.0, 470.0)),
            Vec2::new(0.0, 0.5)
        );
        assert!((joystick_vector(o, Vec2::new(400.0, 500.0)).length() - 1.0).abs() < 1e-6);
    }

    #[test]
    fn a_quick_tap_counts_even_when_frames_are_slow() {
        assert!(is_tap(0.1, 5, 2.0));
        assert!(
            is_tap(0.6, 1, 2.0),
            "released in the next frame of a slow phone"
        );
        assert!(!is_tap(0.6, 4, 2.0), "held: a long press");
        assert!(!is_tap(0.1, 1, 40.0), "moved: a swipe");
    }

    #[test]
    fn joystick_only_in_the_lower_left() {
        let screen = Vec2::new(1000.0, 800.0);
        assert!(is_joystick_area(Vec2::new(100.0, 700.0), screen));
        assert!(!is_joystick_area(Vec2::new(900.0, 700.0), screen));
        assert!(!is_joystick_area(Vec2::new(100.0, 100.0), screen));
    }
}
