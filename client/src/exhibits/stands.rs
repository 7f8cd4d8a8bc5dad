//! Exhibits standing in the room: a pedestal per exhibit, its title floating above (shown when
//! walking close), and its model, downloaded lazily, nearest first, a few at a time.

use std::collections::HashMap;

use bevy::prelude::*;
use stadtlab_shared::exhibit::ExhibitView;
use stadtlab_shared::scene::{PEDESTAL_HALF, PEDESTAL_HEIGHT};

use super::download::{self, Inbox};
use super::list::ShownExhibits;
use super::model;
use super::pictures::{Board, PanelPictures};
use crate::launch::Launch;
use crate::player::MyMotion;
use crate::ui::labels::WorldLabel;

/// An exhibit's stand (the pedestal entity).
#[derive(Component, Debug, Clone)]
pub struct Stand {
    pub id: String,
    /// Where the model's middle is, for the inspect camera and click tests.
    pub centre: Vec3,
    pub yaw: f32,
}

/// The entity the model's meshes hang from (top of the pedestal, turned to face the room).
#[derive(Component)]
pub struct ModelRoot;

/// Title labels: readable from 5 m, gone at 9 m (the room is 20 m long).
const TITLE_FADE: (f32, f32) = (5.0, 9.0);
/// Frames drawn before the first model download starts (entering the room stays fast).
const FRAMES_BEFORE_MODELS: u64 = 5;
/// Models downloading at once.
const PARALLEL_DOWNLOADS: usize = 2;

#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    Waiting,
    Loading,
    Loaded,
    Failed(String),
}

#[derive(Resource, Default)]
pub struct ModelLoads {
    pub by_id: HashMap<String, Load>,
    inbox: Inbox,
}

#[derive(Resource)]
pub struct StandAssets {
    pedestal: Handle<Mesh>,
    stone: Handle<StandardMaterial>,
    board: Handle<Mesh>,
    /// The picture's face on the front of a board (a rectangle: upright UVs seen from +Z).
    picture: Handle<Mesh>,
}

/// A panel exhibit's board on its pedestal: width, height, thickness (metres).
const BOARD: Vec3 = Vec3::new(0.84, 0.6, 0.03);

pub fn setup(
    mut commands: Commands,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    commands.insert_resource(StandAssets {
        pedestal: meshes.add(Cuboid::new(
            PEDESTAL_HALF * 2.0,
            PEDESTAL_HEIGHT,
            PEDESTAL_HALF * 2.0,
        )),
        board: meshes.add(Cuboid::new(BOARD.x, BOARD.y, BOARD.z)),
        picture: meshes.add(Rectangle::new(BOARD.x - 0.04, BOARD.y - 0.04)),
        // Light sandstone, like the Grünsandstein of Soest's churches in daylight.
        stone: materials.add(StandardMaterial {
            base_color: Color::srgb(0.78, 0.76, 0.66),
            perceptual_roughness: 0.9,
            ..default()
        }),
    });
}

fn model_url(launch: &Launch, exhibit: &ExhibitView) -> Option<String> {
    exhibit
        .model
        .as_ref()
        .map(|path| format!("{}{path}", launch.http_base.trim_end_matches('/')))
}

/// Adds stands for new exhibits and removes those no longer shown.
pub fn sync(
    mut commands: Commands,
    shown: Res<ShownExhibits>,
    assets: Res<StandAssets>,
    stands: Query<(Entity, &Stand)>,
    mut loads: ResMut<ModelLoads>,
    mut pictures: ResMut<PanelPictures>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    launch: Res<Launch>,
) {
    if !shown.is_changed() {
        return;
    }
    for (entity, stand) in &stands {
        if !shown.by_id.contains_key(&stand.id) {
            commands.entity(entity).despawn();
            loads.by_id.remove(&stand.id);
        }
    }
    let standing: Vec<&str> = stands.iter().map(|(_, s)| s.id.as_str()).collect();
    for exhibit in shown
        .by_id
        .values()
        .filter(|e| !standing.contains(&e.id.as_str()))
    {
        let base = Vec3::from(exhibit.pos);
        let yaw = exhibit.yaw_deg.to_radians();
        let stand = commands
            .spawn((
                Stand {
                    id: exhibit.id.clone(),
                    centre: base + Vec3::Y * (PEDESTAL_HEIGHT + 0.45),
                    yaw,
                },
                Transform::from_translation(base),
                Visibility::default(),
                children![
                    (
                        Mesh3d(assets.pedestal.clone()),
                        MeshMaterial3d(assets.stone.clone()),
                        Transform::from_xyz(0.0, PEDESTAL_HEIGHT / 2.0, 0.0),
                    ),
                    (
                        ModelRoot,
                        Transform::from_xyz(0.0, PEDESTAL_HEIGHT, 0.0)
                            .with_rotation(Quat::from_rotation_y(yaw)),
                        Visibility::default(),
                    ),
                    (
                        WorldLabel {
                            de: exhibit.title.de.clone(),
                            en: exhibit.title.en.clone(),
                            fade_from: TITLE_FADE.0,
                            fade_to: TITLE_FADE.1,
                        },
                        Transform::from_xyz(0.0, PEDESTAL_HEIGHT + 1.15, 0.0),
                    ),
                ],
            ))
            .id();
        if exhibit.model.is_some() {
            loads.by_id.insert(exhibit.id.clone(), Load::Waiting);
        } else if let Some(picture) = exhibit.images.first() {
            // A panel: its first picture on a board, leaning back a little.
            pictures.bypass_change_detection().want(picture, &launch);
            let board = commands
                .spawn((
                    Mesh3d(assets.board.clone()),
                    MeshMaterial3d(assets.stone.clone()),
                    Transform::from_xyz(0.0, PEDESTAL_HEIGHT + BOARD.y / 2.0 + 0.02, 0.0)
                        .with_rotation(Quat::from_rotation_y(yaw) * Quat::from_rotation_x(-0.2)),
                    children![(
                        Board {
                            picture: picture.clone(),
                        },
                        Mesh3d(assets.picture.clone()),
                        MeshMaterial3d(materials.add(StandardMaterial {
                            base_color: Color::WHITE,
                            perceptual_roughness: 0.8,
                            ..default()
                        })),
                        Transform::from_xyz(0.0, 0.0, BOARD.z / 2.0 + 0.002),
                    )],
                ))
                .id();
            commands.entity(stand).add_child(board);
        }
    }
}

/// Starts the nearest waiting downloads while fewer than [`PARALLEL_DOWNLOADS`] run.
pub fn queue_downloads(
    mut loads: ResMut<ModelLoads>,
    shown: Res<ShownExhibits>,
    me: Res<MyMotion>,
    launch: Res<Launch>,
    rate: Res<crate::state_hook::FrameRate>,
) {
    // The room first: models wait until a few frames have been drawn.
    if rate.total_frames < FRAMES_BEFORE_MODELS
        || !loads.by_id.values().any(|l| *l == Load::Waiting)
    {
        return;
    }
    let running = loads
        .by_id
        .values()
        .filter(|l| **l == Load::Loading)
        .count();
    if running >= PARALLEL_DOWNLOADS {
        return;
    }
    let here = me.current.map_or(Vec3::new(10.0, 0.0, 1.0), |m| m.pos);
    let mut waiting: Vec<(&ExhibitView, f32)> = loads
        .by_id
        .iter()
        .filter(|(_, l)| **l == Load::Waiting)
        .filter_map(|(id, _)| shown.by_id.get(id))
        .map(|e| (e, Vec3::from(e.pos).distance_squared(here)))
        .collect();
    waiting.sort_by(|a, b| a.1.total_cmp(&b.1));
    let starts: Vec<(String, String)> = waiting
        .into_iter()
        .take(PARALLEL_DOWNLOADS - running)
        .filter_map(|(e, _)| Some((e.id.clone(), model_url(&launch, e)?)))
        .collect();
    for (id, url) in starts {
        download::start(url, id.clone(), loads.inbox.clone());
        loads.by_id.insert(id, Load::Loading);
    }
}

/// Turns finished downloads into meshes under their stand's model root.
pub fn receive_models(
    mut commands: Commands,
    mut loads: ResMut<ModelLoads>,
    stands: Query<(&Stand, &Children)>,
    roots: Query<Entity, With<ModelRoot>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut images: ResMut<Assets<Image>>,
) {
    let done: Vec<_> = std::mem::take(&mut *loads.inbox.lock().unwrap_or_else(|e| e.into_inner()));
    for (id, result) in done {
        let Some((_, children)) = stands.iter().find(|(s, _)| s.id == id) else {
            continue;
        };
        let Some(root) = children.iter().find(|c| roots.contains(*c)) else {
            continue;
        };
        let parts = result.and_then(|bytes| model::read(&bytes).map_err(|e| e.to_string()));
        match parts {
            Ok(parts) => {
                for part in parts {
                    let mut material = part.material;
                    material.base_color_texture = part.texture.map(|t| images.add(t));
                    let child = commands
                        .spawn((
                            Mesh3d(meshes.add(part.mesh)),
                            MeshMaterial3d(materials.add(material)),
                            Transform::default(),
                        ))
                        .id();
                    commands.entity(root).add_child(child);
                }
                loads.by_id.insert(id, Load::Loaded);
            }
            Err(e) => {
                warn!("exhibit {id}: model not shown: {e}");
                loads.by_id.insert(id, Load::Failed(e));
            }
        }
    }
}
