//! Labels that follow things in the room: name tags over avatars (facing the camera by
//! construction: they are drawn flat on the screen) and zone names; both fade with distance.

use bevy::prelude::*;

use super::style::{self, font};
use crate::avatars::RemoteAvatar;
use crate::avatars::mesh::HEAD_TOP_M;
use crate::settings::Settings;

/// A text placed in the room (zone names).
#[derive(Component, Debug, Clone)]
pub struct WorldLabel {
    pub de: String,
    pub en: String,
    /// Fully visible nearer than this, gone beyond `fade_to` (metres).
    pub fade_from: f32,
    pub fade_to: f32,
}

/// The screen node drawing the label of `target`.
#[derive(Component)]
pub struct LabelNode {
    target: Entity,
    /// Metres above the target's origin.
    lift: f32,
}

/// Tag backgrounds: dark, and green while the person speaks (white text on both ≥ 7:1).
const TAG: Color = Color::srgb(0.05, 0.06, 0.09);
const SPEAKING_TAG: Color = Color::srgb(0.08, 0.42, 0.2);
/// On air in a talk (the whole hall hears them): a red tag, as the light over a studio door.
const ON_AIR_TAG: Color = Color::srgb(0.6, 0.08, 0.08);

/// Name tags: full up to 8 m, gone at 20 m (a crowd stays readable).
const TAG_FADE: (f32, f32) = (8.0, 20.0);

/// How visible a label is at `distance`: 1 near, 0 far, linear between.
pub fn fade(distance: f32, from: f32, to: f32) -> f32 {
    ((to - distance) / (to - from)).clamp(0.0, 1.0)
}

fn label_node(target: Entity, lift: f32, text: String, px: f32) -> impl Bundle {
    (
        Node {
            position_type: PositionType::Absolute,
            padding: UiRect::axes(Val::Px(6.0), Val::Px(2.0)),
            ..default()
        },
        BackgroundColor(Color::srgba(0.05, 0.06, 0.09, 0.7)),
        Visibility::Hidden,
        // Name tags sit below the panels.
        GlobalZIndex(-1),
        LabelNode { target, lift },
        children![(Text::new(text), font(px), TextColor(style::TEXT))],
    )
}

pub fn spawn_name_tags(
    mut commands: Commands,
    avatars: Query<(Entity, &RemoteAvatar), Added<RemoteAvatar>>,
    labels: Query<(Entity, &WorldLabel), Added<WorldLabel>>,
    settings: Res<Settings>,
) {
    for (entity, avatar) in &avatars {
        commands.spawn(label_node(
            entity,
            HEAD_TOP_M + 0.2,
            avatar.name.clone(),
            15.0,
        ));
    }
    for (entity, label) in &labels {
        let text = settings.language.pick(&label.de, &label.en).to_owned();
        commands.spawn(label_node(entity, 0.0, text, style::TITLE_PX));
    }
}

#[allow(clippy::too_many_arguments)]
pub fn place_labels(
    mut commands: Commands,
    cameras: Query<(&Camera, &GlobalTransform), With<Camera3d>>,
    targets: Query<
        (
            &GlobalTransform,
            Option<Ref<WorldLabel>>,
            Option<&Visibility>,
            Option<&RemoteAvatar>,
        ),
        Without<LabelNode>,
    >,
    snapshots: Res<crate::net::Snapshots>,
    settings: Res<Settings>,
    mut nodes: Query<(
        Entity,
        &LabelNode,
        &mut Node,
        &mut Visibility,
        &ComputedNode,
        &Children,
        &mut BackgroundColor,
    )>,
    mut texts: Query<(&mut Text, &mut TextColor)>,
    open: Res<super::OpenPanels>,
    talk: Res<crate::stage::Talk>,
) {
    let Ok((camera, cam_tf)) = cameras.single() else {
        return;
    };
    // Inspecting an exhibit: labels of the room would float over it.
    if open.inspecting {
        for (_, _, _, mut vis, ..) in &mut nodes {
            if *vis != Visibility::Hidden {
                *vis = Visibility::Hidden;
            }
        }
        return;
    }
    let eye = cam_tf.translation();
    let mut gone = Vec::new();
    for (entity, label, mut node, mut vis, computed, children, mut bg) in &mut nodes {
        let Ok((target_tf, world_label, view, avatar)) = targets.get(label.target) else {
            gone.push(entity);
            continue;
        };
        let at = target_tf.translation() + Vec3::Y * label.lift;
        let (from, to) = world_label
            .as_ref()
            .map_or(TAG_FADE, |l| (l.fade_from, l.fade_to));
        let alpha = fade(at.distance(eye), from, to);
        let hidden_target = view.is_some_and(|v| *v == Visibility::Hidden);
        let screen = camera.world_to_viewport(cam_tf, at).ok();
        let Some(screen) = screen.filter(|_| alpha > 0.02 && !hidden_target) else {
            if *vis != Visibility::Hidden {
                *vis = Visibility::Hidden;
            }
            continue;
        };
        let size = computed.size() * computed.inverse_scale_factor();
        node.left = Val::Px(screen.x - size.x / 2.0);
        node.top = Val::Px(screen.y - size.y);
        if *vis != Visibility::Inherited {
            *vis = Visibility::Inherited;
        }
        // Who speaks shows on the tag (also for people without sound): a green tag.
        let speaking = avatar
            .and_then(|a| snapshots.decoder.state(a.id))
            .is_some_and(|s| s.flags & stadtlab_shared::protocol::AvatarState::FLAG_SPEAKING != 0);
        let on_air = avatar.is_some_and(|a| talk.on_air(a.id));
        bg.0 = if on_air {
            ON_AIR_TAG
        } else if speaking {
            SPEAKING_TAG
        } else {
            TAG
        }
        .with_alpha(0.85 * alpha);
        for child in children.iter() {
            if let Ok((mut text, mut color)) = texts.get_mut(child) {
                color.0 = style::TEXT.with_alpha(alpha);
                // A label whose text changes (the programme board) is redrawn then too.
                if let Some(l) = &world_label
                    && (settings.is_changed() || l.is_changed())
                {
                    text.0 = settings.language.pick(&l.de, &l.en).to_owned();
                }
            }
        }
    }
    for entity in gone {
        commands.entity(entity).despawn();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fade_between_the_two_distances() {
        assert_eq!(fade(2.0, 8.0, 20.0), 1.0);
        assert_eq!(fade(14.0, 8.0, 20.0), 0.5);
        assert_eq!(fade(30.0, 8.0, 20.0), 0.0);
    }
}
