//! The camera: first person by default (eye height, no head bob), third person behind the
//! avatar on request (V). Follows the predicted position blended between ticks.

use bevy::core_pipeline::tonemapping::Tonemapping;
use bevy::prelude::*;

use crate::avatars::mesh::EYE_HEIGHT_M;
use crate::controls::{Look, UiFocus};
use crate::player::MyMotion;
use crate::settings::Settings;

pub struct CameraPlugin;

impl Plugin for CameraPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<CameraHeld>()
            .add_systems(Startup, spawn_camera)
            .add_systems(
                Update,
                (toggle_view, follow, apply_quality)
                    .chain()
                    .in_set(CameraSet)
                    .after(crate::controls::ControlsSet),
            );
    }
}

/// The camera systems; whoever holds the camera runs after them.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CameraSet;

/// Set while another view owns the camera (inspecting an exhibit): it stops following me.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CameraHeld(pub bool);

const THIRD_PERSON_BACK_M: f32 = 3.2;
const THIRD_PERSON_UP_M: f32 = 0.6;

fn spawn_camera(mut commands: Commands, settings: Res<Settings>) {
    commands.spawn((
        Camera3d::default(),
        // Reinhard needs no lookup tables: the LUT files would add a megabyte to the download.
        Tonemapping::ReinhardLuminance,
        msaa_for(&settings),
        Projection::Perspective(PerspectiveProjection {
            fov: 70f32.to_radians(),
            near: 0.05,
            ..default()
        }),
        Transform::from_xyz(10.0, EYE_HEIGHT_M, 1.0).looking_to(Vec3::Z, Vec3::Y),
    ));
}

fn msaa_for(settings: &Settings) -> Msaa {
    if settings.smooth_edges {
        Msaa::Sample4
    } else {
        Msaa::Off
    }
}

fn apply_quality(
    settings: Res<Settings>,
    mut commands: Commands,
    cameras: Query<(Entity, &Msaa), With<Camera3d>>,
) {
    if !settings.is_changed() {
        return;
    }
    for (entity, msaa) in &cameras {
        let want = msaa_for(&settings);
        if *msaa != want {
            commands.entity(entity).insert(want);
        }
    }
}

fn toggle_view(
    keys: Res<ButtonInput<KeyCode>>,
    focus: Res<UiFocus>,
    mut settings: ResMut<Settings>,
) {
    if !focus.typing && keys.just_pressed(KeyCode::KeyV) {
        settings.third_person = !settings.third_person;
    }
}

/// Where the camera stands and looks for an avatar at `pos` looking along `look`.
pub fn camera_pose(pos: Vec3, look: &Look, third_person: bool) -> Transform {
    let (sy, cy) = look.yaw.sin_cos();
    let (sp, cp) = look.pitch.sin_cos();
    let dir = Vec3::new(sy * cp, sp, cy * cp);
    let eye = pos + Vec3::Y * EYE_HEIGHT_M;
    if third_person {
        let from = eye + Vec3::Y * THIRD_PERSON_UP_M - dir * THIRD_PERSON_BACK_M;
        Transform::from_translation(from).looking_at(eye + dir * 2.0, Vec3::Y)
    } else {
        Transform::from_translation(eye).looking_to(dir, Vec3::Y)
    }
}

fn follow(
    motion: Res<MyMotion>,
    look: Res<Look>,
    settings: Res<Settings>,
    fixed: Res<Time<Fixed>>,
    held: Res<CameraHeld>,
    mut cameras: Query<&mut Transform, With<Camera3d>>,
) {
    if held.0 {
        return;
    }
    let Some(pos) = motion.blended(fixed.overstep_fraction()) else {
        return;
    };
    let pose = camera_pose(pos, &look, settings.third_person);
    for mut tf in &mut cameras {
        *tf = pose;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_person_looks_where_the_avatar_walks() {
        let look = Look {
            yaw: 0.0,
            pitch: 0.0,
        };
        let tf = camera_pose(Vec3::ZERO, &look, false);
        assert!((tf.forward().as_vec3() - Vec3::Z).length() < 1e-5);
        assert!((tf.translation.y - EYE_HEIGHT_M).abs() < 1e-5);
        let behind = camera_pose(Vec3::ZERO, &look, true);
        assert!(behind.translation.z < -2.0, "third person stands behind");
    }
}
