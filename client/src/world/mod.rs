//! The room, built from the same scene file the server reads: floors, half-timbered walls,
//! windows with daylight, the ceiling with its beams, a rug per exhibition zone, the stage
//! and its screen. One merged mesh per material.

pub mod boxes;
pub mod textures;

use std::collections::BTreeMap;

use bevy::light::{DirectionalLightShadowMap, NotShadowCaster};
use bevy::prelude::*;
use stadtlab_shared::scene::{Scene, ZoneKind};

use crate::player::RoomGeometry;
use crate::settings::Settings;
use crate::ui::labels::WorldLabel;
use boxes::BoxBatch;

pub struct WorldPlugin;

impl Plugin for WorldPlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(ClearColor(Color::srgb(0.72, 0.82, 0.92)))
            .insert_resource(GlobalAmbientLight {
                color: Color::srgb(1.0, 0.97, 0.92),
                brightness: 450.0,
                ..default()
            })
            .insert_resource(DirectionalLightShadowMap { size: 1024 })
            .init_resource::<RoomStats>()
            .add_systems(Startup, spawn_room)
            .add_systems(Update, apply_shadow_setting);
    }
}

const _: () = assert!(textures::SIZE <= 2048, "mobile texture budget");

/// What the room costs to draw (a benchmark figure and a test check).
#[derive(Resource, Debug, Default, Clone, Copy)]
pub struct RoomStats {
    pub triangles: usize,
    pub materials: usize,
}

/// Wall height: the pattern of the half-timbering is painted for this height.
const STOREY_M: f32 = 3.4;

/// How a scene material name looks.
struct Look {
    texture: Option<fn() -> Image>,
    color: Color,
    tile: f32,
    roughness: f32,
    emissive: LinearRgba,
}

fn look_of(name: &str) -> Look {
    let plain = |color: Color| Look {
        texture: None,
        color,
        tile: 1.0,
        roughness: 0.85,
        emissive: LinearRgba::BLACK,
    };
    let textured = |texture: fn() -> Image, tile: f32| Look {
        texture: Some(texture),
        color: Color::WHITE,
        tile,
        roughness: 0.9,
        emissive: LinearRgba::BLACK,
    };
    match name {
        "oak_floor" | "stage_wood" => textured(textures::oak_planks, 2.0),
        "cobblestone" | "stone_floor" => textured(textures::cobbles, 1.5),
        "half_timber" | "half_timber_windows" => textured(textures::half_timber, STOREY_M),
        "sandstone" => textured(textures::sandstone, 1.0),
        "plaster" | "ceiling" => textured(textures::plaster, 2.0),
        "timber" => plain(Color::srgb(0.22, 0.14, 0.09)),
        "screen" => Look {
            emissive: LinearRgba::rgb(0.35, 0.4, 0.5),
            ..plain(Color::srgb(0.85, 0.88, 0.92))
        },
        "window" => Look {
            emissive: LinearRgba::rgb(2.2, 2.5, 2.8),
            roughness: 0.2,
            ..plain(Color::srgb(0.8, 0.9, 1.0))
        },
        // The four fields of action, each with its own rug colour.
        "rug_0" => plain(Color::srgb(0.16, 0.4, 0.7)),
        "rug_1" => plain(Color::srgb(0.2, 0.55, 0.35)),
        "rug_2" => plain(Color::srgb(0.85, 0.5, 0.15)),
        "rug_3" => plain(Color::srgb(0.6, 0.25, 0.5)),
        _ => plain(Color::srgb(0.7, 0.7, 0.7)),
    }
}

/// Every box and plane of the room, grouped by material name.
pub fn room_batches(scene: &Scene) -> BTreeMap<String, BoxBatch> {
    let mut batches: BTreeMap<String, BoxBatch> = BTreeMap::new();
    fn batch<'a>(all: &'a mut BTreeMap<String, BoxBatch>, material: &str) -> &'a mut BoxBatch {
        all.entry(material.to_owned()).or_default()
    }
    for floor in &scene.floors {
        let (min, max) = (Vec2::from(floor.min), Vec2::from(floor.max));
        let tile = look_of(&floor.material).tile;
        if floor.height > 0.01 {
            batch(&mut batches, &floor.material).add_box(
                min.extend(0.0).xzy(),
                Vec3::new(max.x, floor.height, max.y),
                tile,
                floor.height,
            );
        } else {
            batch(&mut batches, &floor.material).add_plane(min, max, 0.0, true, tile);
        }
    }
    for solid in &scene.solids {
        let min = Vec3::new(solid.min[0], solid.base, solid.min[1]);
        let max = Vec3::new(solid.max[0], solid.height, solid.max[1]);
        let material = solid.material.as_str();
        batch(&mut batches, material).add_box(min, max, look_of(material).tile, STOREY_M);
        if material == "half_timber_windows" {
            add_windows(batch(&mut batches, "window"), min, max);
        }
    }
    // Ceiling and beams over the main floor.
    if let Some(main) = scene.floors.first() {
        let (min, max) = (Vec2::from(main.min), Vec2::from(main.max));
        batch(&mut batches, "ceiling").add_plane(min, max, STOREY_M, false, 2.0);
        let mut x = min.x + 2.0;
        while x < max.x - 0.5 {
            batch(&mut batches, "timber").add_box(
                Vec3::new(x - 0.12, STOREY_M - 0.28, min.y),
                Vec3::new(x + 0.12, STOREY_M, max.y),
                1.0,
                STOREY_M,
            );
            x += 4.0;
        }
    }
    let mut field = 0;
    for zone in &scene.zones {
        if zone.kind == ZoneKind::Exhibition {
            let (min, max) = (Vec2::from(zone.min), Vec2::from(zone.max));
            let inset = Vec2::splat(0.8);
            batch(&mut batches, &format!("rug_{}", field % 4)).add_plane(
                min + inset,
                max - inset,
                0.005,
                true,
                1.0,
            );
            field += 1;
        }
    }
    batches
}

/// Windows every 2.5 m along a wall, a little thicker than the wall so both sides show them.
fn add_windows(batch: &mut BoxBatch, min: Vec3, max: Vec3) {
    let along_x = (max.x - min.x) > (max.z - min.z);
    let (start, end) = if along_x {
        (min.x, max.x)
    } else {
        (min.z, max.z)
    };
    let mut c = start + 1.6;
    while c + 0.6 < end - 0.6 {
        let (lo, hi) = (c - 0.55, c + 0.55);
        let (y0, y1) = (1.0, 2.4);
        let (a, b) = if along_x {
            (
                Vec3::new(lo, y0, min.z - 0.02),
                Vec3::new(hi, y1, max.z + 0.02),
            )
        } else {
            (
                Vec3::new(min.x - 0.02, y0, lo),
                Vec3::new(max.x + 0.02, y1, hi),
            )
        };
        batch.add_box(a, b, 1.0, STOREY_M);
        c += 2.5;
    }
}

fn spawn_room(
    mut commands: Commands,
    room: Res<RoomGeometry>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut images: ResMut<Assets<Image>>,
    mut stats: ResMut<RoomStats>,
    settings: Res<Settings>,
) {
    let mut texture_cache: BTreeMap<usize, Handle<Image>> = BTreeMap::new();
    let batches = room_batches(&room.scene);
    stats.materials = batches.len();
    for (name, batch) in batches {
        stats.triangles += batch.triangles();
        let look = look_of(&name);
        let texture = look.texture.map(|paint| {
            texture_cache
                .entry(paint as usize)
                .or_insert_with(|| images.add(paint()))
                .clone()
        });
        let material = materials.add(StandardMaterial {
            base_color: look.color,
            base_color_texture: texture,
            perceptual_roughness: look.roughness,
            emissive: look.emissive,
            ..default()
        });
        let mut entity = commands.spawn((
            Mesh3d(meshes.add(batch.into_mesh())),
            MeshMaterial3d(material),
            Name::new(format!("room:{name}")),
        ));
        if name == "ceiling" || name == "window" {
            // Daylight comes in; the ceiling does not darken the room it lights.
            entity.insert(NotShadowCaster);
        }
    }
    // Daylight from the south-west, low enough to reach in through the windows.
    commands.spawn((
        DirectionalLight {
            illuminance: 5_000.0,
            shadow_maps_enabled: settings.shadows,
            ..default()
        },
        Transform::from_xyz(-6.0, 9.0, -4.0).looking_at(Vec3::new(10.0, 0.0, 6.0), Vec3::Y),
    ));
    for zone in &room.scene.zones {
        let centre = (Vec2::from(zone.min) + Vec2::from(zone.max)) / 2.0;
        let height = if zone.kind == ZoneKind::Stage {
            3.0
        } else {
            2.7
        };
        commands.spawn((
            WorldLabel {
                de: zone.name.de.clone(),
                en: zone.name.en.clone(),
                fade_from: 10.0,
                fade_to: 22.0,
            },
            Transform::from_xyz(centre.x, height, centre.y),
        ));
    }
}

fn apply_shadow_setting(settings: Res<Settings>, mut lights: Query<&mut DirectionalLight>) {
    if settings.is_changed() {
        for mut light in &mut lights {
            if light.shadow_maps_enabled != settings.shadows {
                light.shadow_maps_enabled = settings.shadows;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stadtlab_shared::scene::built_in;

    #[test]
    fn the_lab_stays_inside_the_mobile_budget() {
        let scene = built_in("stadtlabor").unwrap();
        let batches = room_batches(&scene);
        let triangles: usize = batches.values().map(BoxBatch::triangles).sum();
        assert!(triangles <= 50_000, "{triangles} triangles");
        assert!(batches.len() <= 25, "{} materials", batches.len());
        assert!(batches.contains_key("window"), "daylight windows");
        assert!(
            batches.keys().filter(|k| k.starts_with("rug_")).count() == 4,
            "four fields of action"
        );
    }
}
