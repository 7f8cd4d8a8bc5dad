//! The stage screen: the current page of the talk's slides on the room's projection screen
//! (the solid whose material is `screen`), live for everyone. Pages are PNGs the server
//! rendered; they are fetched like panel pictures. Hosts page with Page Down / Page Up (what
//! presentation clickers send) or `/folie N`.

use bevy::prelude::*;
use stadtlab_shared::protocol::{ClientMsg, Role, StageCmd};
use stadtlab_shared::scene::Scene;

use crate::exhibits::pictures::PanelPictures;
use crate::launch::Launch;
use crate::net::Outbox;
use crate::player::RoomGeometry;
use crate::roster::Me;
use crate::stage::Talk;
use crate::ui::labels::WorldLabel;

pub struct StageScreenPlugin;

impl Plugin for StageScreenPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(
            Update,
            (
                spawn_screen,
                show_page,
                show_question,
                page_keys
                    .before(crate::controls::ControlsSet)
                    .after(crate::ui::chat::type_text),
            ),
        );
    }
}

/// The picture plane on the screen; `shown` is the page path it shows.
#[derive(Component, Debug, Default)]
pub struct StageScreen {
    pub shown: Option<String>,
}

/// The question a host put on the screen, written over it.
#[derive(Component)]
pub struct ScreenQuestion;

/// Where the slides go: centre, facing direction (yaw) and size, 16:9 inside the screen.
pub fn screen_placement(scene: &Scene) -> Option<(Vec3, f32, Vec2)> {
    let s = scene.solids.iter().find(|s| s.material == "screen")?;
    let (min, max) = (Vec2::from(s.min), Vec2::from(s.max));
    let centre = (min + max) / 2.0;
    let room_centre = {
        let (lo, hi) = scene.floors.iter().fold(
            (Vec2::splat(f32::MAX), Vec2::splat(f32::MIN)),
            |(lo, hi), f| (lo.min(Vec2::from(f.min)), hi.max(Vec2::from(f.max))),
        );
        (lo + hi) / 2.0
    };
    let along_x = max.x - min.x >= max.y - min.y;
    // The face towards the room's middle, a hair in front of it.
    let (width, face, yaw) = if along_x {
        let front = room_centre.y < centre.y;
        let z = if front { min.y - 0.01 } else { max.y + 0.01 };
        let yaw = if front { std::f32::consts::PI } else { 0.0 };
        (max.x - min.x, Vec2::new(centre.x, z), yaw)
    } else {
        let front = room_centre.x < centre.x;
        let x = if front { min.x - 0.01 } else { max.x + 0.01 };
        let yaw = if front {
            -std::f32::consts::FRAC_PI_2
        } else {
            std::f32::consts::FRAC_PI_2
        };
        (max.y - min.y, Vec2::new(x, centre.y), yaw)
    };
    let tall = s.height - s.base;
    let h = tall.min(width * 9.0 / 16.0);
    let size = Vec2::new(h * 16.0 / 9.0, h);
    Some((Vec3::new(face.x, s.base + tall / 2.0, face.y), yaw, size))
}

fn spawn_screen(
    mut commands: Commands,
    room: Option<Res<RoomGeometry>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut done: Local<bool>,
) {
    let Some(room) = room else { return };
    if *done {
        return;
    }
    *done = true;
    let Some((at, yaw, size)) = screen_placement(&room.scene) else {
        return;
    };
    commands.spawn((
        Mesh3d(meshes.add(Rectangle::new(size.x, size.y))),
        MeshMaterial3d(materials.add(StandardMaterial {
            base_color: Color::srgb(0.12, 0.13, 0.16),
            // A projected picture lights itself.
            unlit: true,
            ..default()
        })),
        // Rectangle faces +Z; turned to face the room.
        Transform::from_translation(at).with_rotation(Quat::from_rotation_y(yaw)),
        Visibility::Hidden,
        StageScreen::default(),
        Name::new("stage-screen"),
    ));
    // The question's text, a little in front of the screen's lower part.
    let front = Quat::from_rotation_y(yaw) * Vec3::Z * 0.05;
    commands.spawn((
        ScreenQuestion,
        WorldLabel {
            de: String::new(),
            en: String::new(),
            fade_from: 25.0,
            fade_to: 60.0,
        },
        Transform::from_translation(at + front - Vec3::Y * size.y * 0.3),
        Visibility::Hidden,
    ));
}

/// Shows the question on the screen (asker and text), or nothing.
fn show_question(
    talk: Res<Talk>,
    mut labels: Query<(&mut WorldLabel, &mut Visibility), With<ScreenQuestion>>,
) {
    if !talk.is_changed() {
        return;
    }
    let Ok((mut label, mut visible)) = labels.single_mut() else {
        return;
    };
    let question = talk
        .on_screen
        .and_then(|id| talk.questions.iter().find(|q| q.id == id));
    *visible = if question.is_some() {
        Visibility::Inherited
    } else {
        Visibility::Hidden
    };
    if let Some(q) = question
        && !label.de.ends_with(&q.text)
    {
        label.de = format!("Frage von {}: {}", q.by, q.text);
        label.en = format!("Question from {}: {}", q.by, q.text);
    }
}

fn show_page(
    talk: Res<Talk>,
    launch: Res<Launch>,
    mut pictures: ResMut<PanelPictures>,
    mut screens: Query<(
        &mut StageScreen,
        &mut Visibility,
        &MeshMaterial3d<StandardMaterial>,
    )>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    let Ok((mut screen, mut visible, material)) = screens.single_mut() else {
        return;
    };
    let want = talk.slides.as_ref().map(|s| s.page_path());
    let Some(path) = want else {
        if screen.shown.take().is_some() {
            *visible = Visibility::Hidden;
        }
        return;
    };
    if screen.shown.as_ref() == Some(&path) {
        return;
    }
    pictures.bypass_change_detection().want(&path, &launch);
    // The previous page stays up until the next one has arrived.
    if let Some(picture) = pictures.get(&path).cloned()
        && let Some(mut m) = materials.get_mut(&material.0)
    {
        m.base_color = Color::WHITE;
        m.base_color_texture = Some(picture);
        *visible = Visibility::Visible;
        screen.shown = Some(path);
    }
}

fn page_keys(
    keys: Res<ButtonInput<KeyCode>>,
    input: Res<crate::ui::chat::ChatInput>,
    me: Res<Me>,
    talk: Res<Talk>,
    mut outbox: ResMut<Outbox>,
) {
    if input.open || me.1 < Role::Staff {
        return;
    }
    let Some(slides) = &talk.slides else { return };
    let page = if keys.just_pressed(KeyCode::PageDown) {
        slides.page.saturating_add(1).min(slides.pages)
    } else if keys.just_pressed(KeyCode::PageUp) {
        slides.page.saturating_sub(1).max(1)
    } else {
        return;
    };
    if page != slides.page {
        outbox.control(&ClientMsg::Stage(StageCmd::Page { page }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_labs_screen_faces_the_room_and_keeps_the_slides_shape() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenes");
        for name in ["stadtlabor", "forum"] {
            let text = std::fs::read_to_string(dir.join(format!("{name}.toml"))).unwrap();
            let scene = Scene::from_toml(&text).unwrap();
            let (at, yaw, size) = screen_placement(&scene).expect("a screen");
            assert!(
                (size.x / size.y - 16.0 / 9.0).abs() < 1e-3,
                "{name}: {size}"
            );
            // Both screens hang on the north wall and face south, into the room.
            assert!(
                (yaw - std::f32::consts::PI).abs() < 1e-5,
                "{name}: yaw {yaw}"
            );
            assert!(at.y > 1.9, "{name}: above the stage, {at}");
        }
    }
}
