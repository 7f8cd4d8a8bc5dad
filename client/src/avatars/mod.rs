//! Everyone in the room: an avatar per person the server tells us about, drawn a little in
//! the past between two snapshots (interpolation), with a coarse mesh far away. My own avatar
//! shows in third person only, at the predicted position.

pub mod mesh;
mod server_clock;

use std::collections::HashMap;

use bevy::prelude::*;
use stadtlab_shared::interpolation::{DEFAULT_DELAY, Interpolator};

use crate::launch::Launch;
use crate::net::{SnapshotArrived, Snapshots};
use crate::player::{MyMotion, RoomGeometry};
use crate::roster::{Me, People};
use crate::settings::Settings;
use mesh::{Detail, avatar_mesh};
pub use server_clock::ServerClock;

pub struct AvatarsPlugin;

impl Plugin for AvatarsPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<ServerClock>()
            .init_resource::<AvatarStats>()
            .add_systems(Startup, (setup_assets, spawn_demo_avatars).chain())
            .add_systems(
                Update,
                (
                    server_clock::track,
                    sync_avatars,
                    push_samples,
                    place_remote,
                    place_mine,
                    walk_demo_avatars,
                    choose_detail,
                )
                    .chain()
                    .after(crate::controls::ControlsSet),
            );
    }
}

/// Another person's avatar.
#[derive(Component, Debug)]
pub struct RemoteAvatar {
    pub id: u16,
    pub color: u32,
    pub name: String,
    pub detail: Detail,
    samples: Interpolator,
    /// Seconds between this avatar's last two updates (far avatars update less often).
    interval: f64,
    last_time: f64,
}

impl RemoteAvatar {
    fn new(id: u16, color: u32, name: String) -> Self {
        Self {
            id,
            color,
            name,
            detail: Detail::Near,
            samples: Interpolator::default(),
            interval: 0.0,
            last_time: 0.0,
        }
    }
}

/// My own avatar (seen in third person).
#[derive(Component)]
pub struct MyAvatar;

/// A local avatar for the frame-time benchmark (`--demo-avatars`).
#[derive(Component)]
pub struct DemoAvatar {
    centre: Vec3,
    phase: f32,
}

/// Figures for the benchmark: avatars drawn and the batches they need.
#[derive(Resource, Debug, Default, Clone, Copy)]
pub struct AvatarStats {
    pub avatars: usize,
    /// Distinct (mesh, material) pairs among visible avatars: what Bevy batches into one draw.
    pub batches: usize,
}

/// Meshes per colour and detail, all sharing one vertex-colour material.
#[derive(Resource)]
pub struct AvatarAssets {
    material: Handle<StandardMaterial>,
    meshes: HashMap<(u32, Detail), Handle<Mesh>>,
}

impl AvatarAssets {
    fn mesh(&mut self, meshes: &mut Assets<Mesh>, color: u32, detail: Detail) -> Handle<Mesh> {
        self.meshes
            .entry((color & 0xff_ffff, detail))
            .or_insert_with(|| meshes.add(avatar_mesh(color, detail)))
            .clone()
    }
}

fn setup_assets(mut commands: Commands, mut materials: ResMut<Assets<StandardMaterial>>) {
    let material = materials.add(StandardMaterial {
        base_color: Color::WHITE,
        perceptual_roughness: 0.7,
        ..default()
    });
    commands.insert_resource(AvatarAssets {
        material,
        meshes: HashMap::new(),
    });
}

fn avatar_bundle(
    assets: &mut AvatarAssets,
    meshes: &mut Assets<Mesh>,
    color: u32,
    at: Transform,
) -> impl Bundle {
    (
        Mesh3d(assets.mesh(meshes, color, Detail::Near)),
        MeshMaterial3d(assets.material.clone()),
        at,
    )
}

/// Spawns avatars for people who arrived, despawns those who left.
fn sync_avatars(
    mut commands: Commands,
    people: Res<People>,
    me: Res<Me>,
    motion: Res<MyMotion>,
    mut assets: ResMut<AvatarAssets>,
    mut meshes: ResMut<Assets<Mesh>>,
    remote: Query<(Entity, &RemoteAvatar)>,
    mine: Query<Entity, With<MyAvatar>>,
    launch: Res<Launch>,
) {
    if mine.is_empty()
        && let Some(m) = motion.current
    {
        let color =
            me.0.and_then(|id| people.by_id.get(&id))
                .map_or(0x1e66f5, |p| p.color);
        let bundle = avatar_bundle(
            &mut assets,
            &mut meshes,
            color,
            Transform::from_translation(m.pos),
        );
        commands.spawn((bundle, MyAvatar, Visibility::Hidden));
    }
    if !people.is_changed() || launch.ticket.is_none() {
        return;
    }
    let mut present = std::collections::HashSet::new();
    for (entity, avatar) in &remote {
        if people.by_id.contains_key(&avatar.id) {
            present.insert(avatar.id);
        } else {
            commands.entity(entity).despawn();
        }
    }
    for person in people.by_id.values() {
        if Some(person.id) == me.0 || present.contains(&person.id) {
            continue;
        }
        let bundle = avatar_bundle(&mut assets, &mut meshes, person.color, Transform::default());
        commands.spawn((
            bundle,
            // Hidden until the first snapshot places it.
            Visibility::Hidden,
            RemoteAvatar::new(person.id, person.color, crate::roster::tagged_name(person)),
        ));
    }
}

fn push_samples(
    mut arrived: MessageReader<SnapshotArrived>,
    snapshots: Res<Snapshots>,
    mut avatars: Query<&mut RemoteAvatar>,
) {
    let hz = snapshots.tick_hz.max(1) as f64;
    let mut newest: HashMap<u16, f64> = HashMap::new();
    for snap in arrived.read() {
        for id in &snap.updated {
            newest.insert(*id, snap.tick as f64 / hz);
        }
    }
    if newest.is_empty() {
        return;
    }
    for mut avatar in &mut avatars {
        if let (Some(&t), Some(state)) =
            (newest.get(&avatar.id), snapshots.decoder.state(avatar.id))
        {
            if avatar.last_time > 0.0 {
                avatar.interval = t - avatar.last_time;
            }
            avatar.last_time = t;
            avatar.samples.push(t, state);
        }
    }
}

fn place_remote(
    clock: Res<ServerClock>,
    time: Res<Time<Real>>,
    mut avatars: Query<(&RemoteAvatar, &mut Transform, &mut Visibility)>,
) {
    let Some(now) = clock.server_now(time.elapsed_secs_f64()) else {
        return;
    };
    for (avatar, mut tf, mut vis) in &mut avatars {
        // Far avatars update every few ticks: stay one interval behind them.
        let delay = DEFAULT_DELAY.max(avatar.interval + 0.05);
        if let Some((pos, yaw)) = avatar.samples.sample(now - delay) {
            tf.translation = pos;
            tf.rotation = Quat::from_rotation_y(yaw);
            if *vis != Visibility::Inherited {
                *vis = Visibility::Inherited;
            }
        }
    }
}

fn place_mine(
    motion: Res<MyMotion>,
    look: Res<crate::controls::Look>,
    settings: Res<Settings>,
    fixed: Res<Time<Fixed>>,
    mut mine: Query<(&mut Transform, &mut Visibility), With<MyAvatar>>,
) {
    let Ok((mut tf, mut vis)) = mine.single_mut() else {
        return;
    };
    if let Some(pos) = motion.blended(fixed.overstep_fraction()) {
        tf.translation = pos;
        tf.rotation = Quat::from_rotation_y(look.yaw);
    }
    let want = if settings.third_person {
        Visibility::Inherited
    } else {
        Visibility::Hidden
    };
    if *vis != want {
        *vis = want;
    }
}

fn spawn_demo_avatars(
    mut commands: Commands,
    launch: Res<Launch>,
    room: Res<RoomGeometry>,
    mut assets: ResMut<AvatarAssets>,
    mut meshes: ResMut<Assets<Mesh>>,
) {
    const COLORS: [u32; 8] = [
        0x1e66f5, 0xd20f39, 0x40a02b, 0xdf8e1d, 0x8839ef, 0x179299, 0xfe640b, 0x5c5f77,
    ];
    let Some(spawn) = room.scene.spawns.first() else {
        return;
    };
    // A crowd in rows in front of the entrance, all in view of the first-person camera.
    let origin = Vec3::new(spawn.pos[0], 0.0, spawn.pos[1] + 2.5);
    let per_row = 20;
    for i in 0..launch.demo_avatars {
        let (row, col) = (i / per_row, i % per_row);
        let centre = origin
            + Vec3::new(
                (col as f32 - per_row as f32 / 2.0) * 0.85,
                0.0,
                row as f32 * 0.9,
            );
        let color = COLORS[i % COLORS.len()];
        let bundle = avatar_bundle(
            &mut assets,
            &mut meshes,
            color,
            Transform::from_translation(centre),
        );
        commands.spawn((
            bundle,
            RemoteAvatar::new(60_000 + i as u16, color, format!("Demo {i}")),
            DemoAvatar {
                centre,
                phase: i as f32 * 0.7,
            },
        ));
    }
}

fn walk_demo_avatars(time: Res<Time>, mut q: Query<(&DemoAvatar, &mut Transform)>) {
    let t = time.elapsed_secs();
    for (demo, mut tf) in &mut q {
        let a = t * 0.8 + demo.phase;
        tf.translation = demo.centre + Vec3::new(a.cos() * 0.25, 0.0, a.sin() * 0.25);
        tf.rotation = Quat::from_rotation_y(a + std::f32::consts::PI);
    }
}

/// Switches meshes by distance to the camera and counts batches.
fn choose_detail(
    cameras: Query<&GlobalTransform, With<Camera3d>>,
    mut assets: ResMut<AvatarAssets>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut avatars: Query<(&mut RemoteAvatar, &Transform, &mut Mesh3d, &Visibility)>,
    mut stats: ResMut<AvatarStats>,
) {
    let Ok(cam) = cameras.single() else { return };
    let eye = cam.translation();
    let mut batches = std::collections::HashSet::new();
    let mut count = 0;
    for (mut avatar, tf, mut mesh, vis) in &mut avatars {
        let detail = if tf.translation.distance(eye) > mesh::FAR_M {
            Detail::Far
        } else {
            Detail::Near
        };
        if detail != avatar.detail {
            avatar.detail = detail;
            mesh.0 = assets.mesh(&mut meshes, avatar.color, detail);
        }
        if *vis != Visibility::Hidden {
            count += 1;
            batches.insert((avatar.color & 0xff_ffff, detail));
        }
    }
    *stats = AvatarStats {
        avatars: count,
        batches: batches.len(),
    };
}
