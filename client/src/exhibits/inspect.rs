//! Looking at an exhibit: walk close and the hint says `E`; `E`, a click on the exhibit or a tap
//! on the hint opens the inspect view: the camera orbits the model. Drag or arrow keys turn,
//! wheel, pinch or +/- zoom, R resets, Esc or E closes. Walking is paused meanwhile. The hint
//! and the info panel beside the view are drawn by [`super::info_panel`].

use bevy::input::mouse::{AccumulatedMouseMotion, AccumulatedMouseScroll};
use bevy::input::touch::Touches;
use bevy::prelude::*;

use super::list::ShownExhibits;
use super::stands::Stand;
use crate::camera::CameraHeld;
use crate::controls::UiFocus;
use crate::controls::click_walk::PendingClick;
use crate::player::MyMotion;
use crate::settings::Settings;
use crate::ui::OpenPanels;

/// Closer than this (metres, on the floor) an exhibit counts as near.
pub const NEAR_M: f32 = 2.2;
const DEFAULT_DISTANCE: f32 = 1.5;
/// How far (per metre of distance) the view turns right of the model: the panel covers the
/// right side of the screen.
const PANEL_SHIFT: f32 = 0.3;
const DEFAULT_PITCH: f32 = 0.3;
pub const DISTANCE: (f32, f32) = (0.5, 4.0);
const PITCH: (f32, f32) = (-0.3, 1.35);
/// A click within this radius of a model's middle picks it.
const PICK_RADIUS: f32 = 0.6;

/// The exhibit being inspected and the orbit around it.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct Inspecting {
    pub id: Option<String>,
    pub yaw: f32,
    pub pitch: f32,
    pub distance: f32,
    pub target: Vec3,
    front_yaw: f32,
    /// How close the camera may come (metres): nearer for a small model at true size.
    pub nearest: f32,
}

impl Inspecting {
    pub fn open(&mut self, stand: &Stand) {
        *self = Inspecting {
            id: Some(stand.id.clone()),
            yaw: stand.yaw,
            pitch: DEFAULT_PITCH,
            distance: DEFAULT_DISTANCE,
            target: stand.centre,
            front_yaw: stand.yaw,
            nearest: DISTANCE.0,
        };
    }

    pub fn reset(&mut self) {
        self.yaw = self.front_yaw;
        self.pitch = DEFAULT_PITCH;
        self.distance = DEFAULT_DISTANCE;
    }

    pub fn orbit(&mut self, dyaw: f32, dpitch: f32, zoom: f32) {
        self.yaw = (self.yaw + dyaw).rem_euclid(std::f32::consts::TAU);
        self.pitch = (self.pitch + dpitch).clamp(PITCH.0, PITCH.1);
        let nearest = if self.nearest > 0.0 {
            self.nearest.min(DISTANCE.0)
        } else {
            DISTANCE.0
        };
        self.distance = (self.distance * zoom).clamp(nearest, DISTANCE.1);
    }

    /// The camera pose: on a sphere around the model, looking a little to the model's right,
    /// so that the model stands in the part of the view the info panel leaves free.
    pub fn camera(&self) -> Transform {
        let (sy, cy) = self.yaw.sin_cos();
        let (sp, cp) = self.pitch.sin_cos();
        let eye = self.target + Vec3::new(sy * cp, sp, cy * cp) * self.distance;
        let forward = (self.target - eye).normalize();
        let right = forward.cross(Vec3::Y).normalize_or_zero();
        Transform::from_translation(eye)
            .looking_at(self.target + right * self.distance * PANEL_SHIFT, Vec3::Y)
    }
}

/// The nearest exhibit within [`NEAR_M`], if any.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct NearExhibit(pub Option<String>);

pub fn find_near(me: Res<MyMotion>, stands: Query<&Stand>, mut near: ResMut<NearExhibit>) {
    let Some(pos) = me.current.map(|m| m.pos) else {
        return;
    };
    let here = Vec2::new(pos.x, pos.z);
    let next = stands
        .iter()
        .map(|s| (s, Vec2::new(s.centre.x, s.centre.z).distance(here)))
        .filter(|(_, d)| *d <= NEAR_M)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(s, _)| s.id.clone());
    if near.0 != next {
        near.0 = next;
    }
}

/// `E` opens the near exhibit or closes the open one; Esc closes.
pub fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    focus: Res<UiFocus>,
    near: Res<NearExhibit>,
    stands: Query<&Stand>,
    mut inspecting: ResMut<Inspecting>,
) {
    if focus.typing {
        return;
    }
    if inspecting.id.is_some() {
        if keys.just_pressed(KeyCode::Escape) || keys.just_pressed(KeyCode::KeyE) {
            inspecting.id = None;
        }
        return;
    }
    if keys.just_pressed(KeyCode::KeyE)
        && let Some(stand) = near
            .0
            .as_ref()
            .and_then(|id| stands.iter().find(|s| &s.id == id))
    {
        inspecting.open(stand);
    }
}

/// `window.stadtlab.inspect(id)` (browser) or `--inspect ID` (desktop, once) opens an exhibit
/// from anywhere in the room.
pub fn page_requests(
    stands: Query<&Stand>,
    launch: Res<crate::launch::Launch>,
    mut from_launch_done: Local<bool>,
    mut inspecting: ResMut<Inspecting>,
) {
    if let Some(id) = crate::platform::take_inspect_request()
        && let Some(stand) = stands.iter().find(|s| s.id == id)
    {
        inspecting.open(stand);
    }
    if !*from_launch_done
        && let Some(id) = &launch.inspect
        && let Some(stand) = stands.iter().find(|s| &s.id == id)
    {
        *from_launch_done = true;
        inspecting.open(stand);
    }
}

/// A click on an exhibit inspects it (and is not a walk target).
pub fn click(
    mut pending: ResMut<PendingClick>,
    focus: Res<UiFocus>,
    cameras: Query<(&Camera, &GlobalTransform), With<Camera3d>>,
    stands: Query<&Stand>,
    mut inspecting: ResMut<Inspecting>,
) {
    let Some(at) = pending.0 else { return };
    if focus.pointer_over_ui || inspecting.id.is_some() {
        return;
    }
    let Ok((camera, cam_tf)) = cameras.single() else {
        return;
    };
    let Ok(ray) = camera.viewport_to_world(cam_tf, at) else {
        return;
    };
    let hit = stands
        .iter()
        .filter_map(|s| {
            let t = (s.centre - ray.origin).dot(*ray.direction);
            let closest = ray.origin + *ray.direction * t.max(0.0);
            (closest.distance(s.centre) <= PICK_RADIUS && t > 0.0).then_some((s, t))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((stand, _)) = hit {
        pending.0 = None;
        inspecting.open(stand);
    }
}

/// Mouse, keyboard and touch turn and zoom the orbit.
pub fn orbit(
    mut inspecting: ResMut<Inspecting>,
    keys: Res<ButtonInput<KeyCode>>,
    buttons: Res<ButtonInput<MouseButton>>,
    motion: Res<AccumulatedMouseMotion>,
    scroll: Res<AccumulatedMouseScroll>,
    touches: Res<Touches>,
    focus: Res<UiFocus>,
    settings: Res<Settings>,
    time: Res<Time>,
) {
    if inspecting.id.is_none() || focus.typing {
        return;
    }
    let dt = time.delta_secs();
    let k = 0.006 * settings.sensitivity;
    let (mut dyaw, mut dpitch, mut zoom) = (0.0, 0.0, 1.0);
    if buttons.pressed(MouseButton::Left) && !focus.pointer_over_ui {
        dyaw -= motion.delta.x * k;
        dpitch += motion.delta.y * k;
    }
    if scroll.delta.y != 0.0 {
        zoom *= (1.0 - 0.1 * scroll.delta.y.clamp(-3.0, 3.0)).max(0.5);
    }
    let held = |codes: &[KeyCode]| codes.iter().any(|&c| keys.pressed(c));
    if held(&[KeyCode::ArrowLeft, KeyCode::KeyA]) {
        dyaw -= 1.5 * dt;
    }
    if held(&[KeyCode::ArrowRight, KeyCode::KeyD]) {
        dyaw += 1.5 * dt;
    }
    if held(&[KeyCode::ArrowUp, KeyCode::KeyW]) {
        dpitch += 1.0 * dt;
    }
    if held(&[KeyCode::ArrowDown, KeyCode::KeyS]) {
        dpitch -= 1.0 * dt;
    }
    if held(&[KeyCode::Equal, KeyCode::NumpadAdd, KeyCode::PageUp]) {
        zoom *= 1.0 - 0.9 * dt;
    }
    if held(&[KeyCode::Minus, KeyCode::NumpadSubtract, KeyCode::PageDown]) {
        zoom *= 1.0 + 0.9 * dt;
    }
    let fingers: Vec<_> = touches.iter().collect();
    match fingers.as_slice() {
        [one] => {
            dyaw -= one.delta().x * k;
            dpitch += one.delta().y * k;
        }
        [a, b] => {
            let now = a.position().distance(b.position());
            let before = a.previous_position().distance(b.previous_position());
            if now > 1.0 && before > 1.0 {
                zoom *= before / now;
            }
        }
        _ => {}
    }
    if keys.just_pressed(KeyCode::KeyR) {
        inspecting.reset();
    } else if dyaw != 0.0 || dpitch != 0.0 || zoom != 1.0 {
        inspecting.orbit(dyaw, dpitch, zoom);
    }
}

/// Holds the camera while inspecting; closes when the exhibit vanishes (hidden by staff).
pub fn place_camera(
    mut inspecting: ResMut<Inspecting>,
    shown: Res<ShownExhibits>,
    mut held: ResMut<CameraHeld>,
    mut open: ResMut<OpenPanels>,
    mut cameras: Query<&mut Transform, With<Camera3d>>,
) {
    if let Some(id) = &inspecting.id
        && !shown.by_id.contains_key(id)
    {
        inspecting.id = None;
    }
    let on = inspecting.id.is_some();
    if held.0 != on {
        held.0 = on;
    }
    if open.inspecting != on {
        open.inspecting = on;
        // The exhibit gets the whole view: no help panel over it.
        open.help = false;
    }
    if on {
        for mut tf in &mut cameras {
            *tf = inspecting.camera();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_orbit_starts_in_front_and_stays_in_bounds() {
        let stand = Stand {
            id: "x".into(),
            centre: Vec3::new(1.0, 1.35, 1.4),
            yaw: std::f32::consts::FRAC_PI_2,
        };
        let mut view = Inspecting::default();
        view.open(&stand);
        let cam = view.camera();
        assert!(
            cam.translation.x > stand.centre.x + 1.0,
            "in front of an exhibit facing +X"
        );
        let towards = (stand.centre - cam.translation).normalize();
        assert!(
            cam.forward().as_vec3().dot(towards) > 0.9,
            "the model stays in view"
        );
        view.orbit(0.0, 10.0, 100.0);
        assert_eq!(view.pitch, PITCH.1);
        assert_eq!(view.distance, DISTANCE.1);
        view.reset();
        assert_eq!(view.camera(), cam);
    }
}
