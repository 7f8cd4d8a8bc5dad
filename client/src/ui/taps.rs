//! Taps on a touch screen, read from the touches themselves: Bevy's `Interaction` needs the
//! finger still down when the frame runs, and a quick tap on a slow phone (or in software
//! rendering) is over before that. A tap counts where the finger lifts; while a finger is on
//! the screen the mouse path (`Interaction`) is ignored, so nothing happens twice.

use bevy::input::touch::Touches;
use bevy::prelude::*;

/// Whether `Interaction` presses should be read this frame (no touch involved).
pub fn mouse_frame(touches: &Touches) -> bool {
    touches.iter().next().is_none() && touches.iter_just_released().next().is_none()
}

/// Whether a point (logical pixels) lies inside a node.
pub fn inside(node: &ComputedNode, at: &UiGlobalTransform, point: Vec2) -> bool {
    let scale = node.inverse_scale_factor();
    let half = node.size() * scale / 2.0;
    let centre = at.affine().translation * scale;
    half.x > 0.0 && (point - centre).abs().cmple(half).all()
}

/// The components of the nodes a finger lifted from this frame. `scale`: see
/// `controls::touch::touch_scale`.
pub fn tapped<T: Component + Copy>(
    touches: &Touches,
    scale: f32,
    nodes: &Query<(&T, &ComputedNode, &UiGlobalTransform)>,
) -> Vec<T> {
    touches
        .iter_just_released()
        .flat_map(|touch| {
            nodes
                .iter()
                .filter(move |(_, node, at)| inside(node, at, touch.position() / scale))
                .map(|(t, _, _)| *t)
        })
        .collect()
}

/// The touch scale of the primary window (1 without one).
pub fn scale(windows: &Query<&Window, With<bevy::window::PrimaryWindow>>) -> f32 {
    windows
        .single()
        .map_or(1.0, crate::controls::touch::touch_scale)
}

/// The buttons of one kind pressed this frame, as a system parameter: mouse presses through
/// `Interaction` and taps read from the touches, never both for one press.
#[derive(bevy::ecs::system::SystemParam)]
pub struct Presses<'w, 's, T: Component + Copy> {
    clicked: Query<'w, 's, (&'static Interaction, &'static T), Changed<Interaction>>,
    placed: Query<
        'w,
        's,
        (
            &'static T,
            &'static ComputedNode,
            &'static UiGlobalTransform,
        ),
    >,
    touches: Res<'w, Touches>,
    windows: Query<'w, 's, &'static Window, With<bevy::window::PrimaryWindow>>,
}

impl<T: Component + Copy> Presses<'_, '_, T> {
    pub fn read(&self) -> Vec<T> {
        let mouse = mouse_frame(&self.touches);
        self.clicked
            .iter()
            .filter(|(i, _)| mouse && **i == Interaction::Pressed)
            .map(|(_, b)| *b)
            .chain(tapped(&self.touches, scale(&self.windows), &self.placed))
            .collect()
    }
}
