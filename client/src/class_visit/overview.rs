//! The guide's overview: a top-down map of the room, its walls drawn, with every pupil's dot
//! and name, so that nobody gets lost. Opened with the tool bar (key 7); drawn from the same snapshot states as
//! the avatars (a class of 25 is always inside the interest radius of a room this size).

use bevy::prelude::*;
use stadtlab_shared::quantize::QuantPos;

use super::Visit;
use crate::net::Snapshots;
use crate::player::{MyMotion, RoomGeometry};
use crate::roster::{Me, People};
use crate::ui::style::{self, font};

/// The map's edge, CSS pixels.
const MAP_PX: f32 = 280.0;
const DOT_PX: f32 = 10.0;

#[derive(Component)]
pub struct OverviewMap;

/// A person's dot on the map.
#[derive(Component)]
pub struct OverviewDot(pub u16);

/// A wall on the map (drawn once, the first time the map opens).
#[derive(Component)]
pub struct OverviewWall;

pub fn spawn(mut commands: Commands) {
    commands.spawn((
        OverviewMap,
        Node {
            position_type: PositionType::Absolute,
            left: Val::Px(10.0),
            bottom: Val::Px(70.0),
            width: Val::Px(MAP_PX),
            height: Val::Px(MAP_PX),
            max_width: Val::Vw(90.0),
            max_height: Val::Vh(50.0),
            display: Display::None,
            ..default()
        },
        BackgroundColor(style::PANEL),
        GlobalZIndex(6),
    ));
}

/// The room's floor bounds (x, z).
fn bounds(room: &RoomGeometry) -> (Vec2, Vec2) {
    let mut min = Vec2::splat(f32::MAX);
    let mut max = Vec2::splat(f32::MIN);
    for f in &room.scene.floors {
        min = min.min(Vec2::from(f.min));
        max = max.max(Vec2::from(f.max));
    }
    (min, max)
}

#[allow(clippy::too_many_arguments)]
pub fn draw(
    mut commands: Commands,
    visit: Res<Visit>,
    me: Res<Me>,
    people: Res<People>,
    snapshots: Res<Snapshots>,
    mine: Res<MyMotion>,
    room: Res<RoomGeometry>,
    mut map: Query<(Entity, &mut Node), With<OverviewMap>>,
    mut dots: Query<(Entity, &OverviewDot, &mut Node), Without<OverviewMap>>,
    walls: Query<(), With<OverviewWall>>,
) {
    let Ok((map_entity, mut map_node)) = map.single_mut() else {
        return;
    };
    let shown = visit.overview && visit.title.is_some();
    map_node.display = if shown { Display::Flex } else { Display::None };
    if !shown {
        return;
    }
    let (min, max) = bounds(&room);
    let size = (max - min).max(Vec2::splat(1.0));
    let scale = (MAP_PX - DOT_PX) / size.x.max(size.y);
    let to_map = |p: Vec3| (Vec2::new(p.x, p.z) - min) * scale;
    if walls.is_empty() {
        // Walls people bump into (lintels above doors are not walls).
        for solid in room.scene.solids.iter().filter(|s| s.base <= 1.8) {
            let a = (Vec2::from(solid.min) - min) * scale;
            let b = (Vec2::from(solid.max) - min) * scale;
            commands.entity(map_entity).with_child((
                OverviewWall,
                Node {
                    position_type: PositionType::Absolute,
                    left: Val::Px(a.x + DOT_PX / 2.0),
                    top: Val::Px(a.y + DOT_PX / 2.0),
                    width: Val::Px((b.x - a.x).max(1.0)),
                    height: Val::Px((b.y - a.y).max(1.0)),
                    ..default()
                },
                BackgroundColor(style::MUTED.with_alpha(0.5)),
            ));
        }
    }
    let mut positions: Vec<(u16, Vec2)> = people
        .by_id
        .values()
        .filter(|p| Some(p.id) != me.0)
        .filter_map(|p| {
            let state = snapshots.decoder.state(p.id)?;
            Some((p.id, to_map(QuantPos(state.pos).to_vec3())))
        })
        .collect();
    if let (Some(id), Some(m)) = (me.0, mine.current) {
        positions.push((id, to_map(m.pos)));
    }
    for (entity, dot, mut node) in &mut dots {
        match positions.iter().position(|(id, _)| *id == dot.0) {
            Some(i) => {
                let (_, at) = positions.swap_remove(i);
                node.left = Val::Px(at.x);
                node.top = Val::Px(at.y);
            }
            None => commands.entity(entity).despawn(),
        }
    }
    for (id, at) in positions {
        let Some(person) = people.by_id.get(&id) else {
            continue;
        };
        let color = Color::srgb_u8(
            (person.color >> 16) as u8,
            (person.color >> 8) as u8,
            person.color as u8,
        );
        let name = if Some(id) == me.0 {
            format!("{} ★", person.name)
        } else {
            person.name.clone()
        };
        commands.entity(map_entity).with_child((
            OverviewDot(id),
            Node {
                position_type: PositionType::Absolute,
                left: Val::Px(at.x),
                top: Val::Px(at.y),
                column_gap: Val::Px(3.0),
                align_items: AlignItems::Center,
                ..default()
            },
            children![
                (
                    Node {
                        width: Val::Px(DOT_PX),
                        height: Val::Px(DOT_PX),
                        border_radius: BorderRadius::MAX,
                        ..default()
                    },
                    BackgroundColor(color),
                ),
                (Text::new(name), font(11.0), TextColor(style::TEXT)),
            ],
        ));
    }
}
