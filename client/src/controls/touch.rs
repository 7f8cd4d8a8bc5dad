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

pub fn joystick_vector(origin: Vec2, now: Vec2) -> Vec2 {
    // Screen y grows downwards; pushing the thumb up walks forward.
    let v = Vec2::new(now.x - origin.x, origin.y - now.y) / JOYSTICK_RADIUS_PX;
    if v.length() > 1.0 { v.normalize() } else { v }
}

pub fn track_touches(
    touches: Res<Touches>,
    windows: Query<&Window, With<PrimaryWindow>>,
    settings: Res<Settings>,
    time: Res<Time>,
    mut joystick: ResMut<Joystick>,
    mut look: ResMut<Look>,
    mut click: ResMut<PendingClick>,
    mut started: Local<std::collections::HashMap<u64, (Vec2, f32)>>,
) {
    let Ok(window) = windows.single() else { return };
    let screen = Vec2::new(window.width(), window.height());
    let now = time.elapsed_secs();
    for touch in touches.iter_just_pressed() {
        if joystick.finger.is_none() && is_joystick_area(touch.position(), screen) {
            joystick.finger = Some(touch.id());
            joystick.origin = Some(touch.position());
        } else {
            started.insert(touch.id(), (touch.position(), now));
        }
    }
    for touch in touches.iter() {
        if Some(touch.id()) == joystick.finger {
            if let Some(origin) = joystick.origin {
                joystick.vector = joystick_vector(origin, touch.position());
            }
        } else {
            let d = touch.delta();
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
        } else if let Some((start, at)) = started.remove(&touch.id())
            && now - at < TAP_MAX_SECONDS
            && start.distance(touch.position()) < super::look::CLICK_SLOP_PX * 2.0
        {
            click.0 = Some(touch.position());
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
    fn joystick_only_in_the_lower_left() {
        let screen = Vec2::new(1000.0, 800.0);
        assert!(is_joystick_area(Vec2::new(100.0, 700.0), screen));
        assert!(!is_joystick_area(Vec2::new(900.0, 700.0), screen));
        assert!(!is_joystick_area(Vec2::new(100.0, 100.0), screen));
    }
}
