//! My own avatar: each fixed tick turns the current intent into an input frame, moves the
//! avatar at once with the same `movement::step` the server runs (prediction), sends the
//! frame, and replays unconfirmed frames on top of every server state (reconciliation).

use std::collections::VecDeque;

use bevy::prelude::*;
use stadtlab_shared::movement::AvatarMotion;
use stadtlab_shared::prediction::Predictor;
use stadtlab_shared::protocol::{DEFAULT_TICK_HZ, InputFrame, InputMsg, encode};
use stadtlab_shared::quantize::{QuantPos, axis_to_i8, yaw_from_u16, yaw_to_u16};
use stadtlab_shared::scene::{CollisionWorld, Scene, built_in};

use crate::controls::{Look, MoveIntent};
use crate::launch::Launch;
use crate::net::{Outbox, SnapshotArrived, Snapshots};
use crate::roster::Me;

pub struct PlayerPlugin;

impl Plugin for PlayerPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<MyMotion>()
            .init_resource::<Prediction>()
            .add_systems(PreStartup, load_room)
            .add_systems(
                PreUpdate,
                reconcile
                    .after(crate::net::NetSet::Receive)
                    .after(crate::roster::apply_control),
            )
            .add_systems(FixedUpdate, predict_and_send);
    }
}

/// The room's scene and the collision shapes built from it (the same file the server reads).
#[derive(Resource)]
pub struct RoomGeometry {
    pub scene: Scene,
    pub collision: CollisionWorld,
}

/// My avatar as predicted: the state after the newest tick and the one before, so that
/// frames between ticks can blend smoothly.
#[derive(Resource, Debug, Default, Clone, Copy)]
pub struct MyMotion {
    pub current: Option<AvatarMotion>,
    pub previous: Option<AvatarMotion>,
}

impl MyMotion {
    /// Standing still at `m` (no previous tick to blend from).
    pub fn still(m: AvatarMotion) -> Self {
        Self {
            current: Some(m),
            previous: Some(m),
        }
    }

    /// Where to draw me, `alpha` of the way from the previous tick to the current one.
    pub fn blended(&self, alpha: f32) -> Option<Vec3> {
        let cur = self.current?;
        let prev = self.previous.unwrap_or(cur);
        Some(prev.pos.lerp(cur.pos, alpha.clamp(0.0, 1.0)))
    }
}

#[derive(Resource, Default)]
pub struct Prediction {
    pub predictor: Option<Predictor>,
    next_seq: u32,
    recent: VecDeque<InputFrame>,
    /// The largest correction the server forced on us, metres (a test figure).
    pub max_correction: f32,
}

fn load_room(mut commands: Commands, launch: Res<Launch>, mut time: ResMut<Time<Fixed>>) {
    let name = launch.scene().to_owned();
    let scene = built_in(&name).unwrap_or_else(|| {
        warn!("room {name} has no built-in scene; showing the stadtLABOR");
        built_in("stadtlabor").expect("the lab scene is built in")
    });
    let collision = CollisionWorld::from_scene(&scene);
    let tick_hz = launch
        .ticket
        .as_ref()
        .map_or(DEFAULT_TICK_HZ, |t| t.tick_hz);
    *time = Time::<Fixed>::from_hz(tick_hz.max(1) as f64);
    // Offline (no seat): walk alone from the first spawn point, same movement rules.
    let mut prediction = Prediction {
        next_seq: 1,
        ..default()
    };
    if launch.ticket.is_none()
        && let Some(spawn) = scene.spawns.first()
    {
        let motion = AvatarMotion {
            pos: collision.place(Vec2::from(spawn.pos)),
            yaw: spawn.yaw_deg.to_radians(),
        };
        prediction.predictor = Some(Predictor::new(motion, tick_hz));
        commands.insert_resource(MyMotion::still(motion));
        commands.insert_resource(Look {
            yaw: motion.yaw,
            pitch: 0.0,
        });
    }
    commands.insert_resource(prediction);
    commands.insert_resource(RoomGeometry { scene, collision });
}

fn reconcile(
    mut arrived: MessageReader<SnapshotArrived>,
    snapshots: Res<Snapshots>,
    me: Res<Me>,
    room: Res<RoomGeometry>,
    mut prediction: ResMut<Prediction>,
    mut motion: ResMut<MyMotion>,
    mut look: ResMut<Look>,
) {
    let Some(my_id) = me.0 else {
        arrived.clear();
        return;
    };
    let Some(newest) = arrived.read().last() else {
        return;
    };
    let Some(state) = snapshots.decoder.state(my_id) else {
        return;
    };
    let tick_hz = snapshots.tick_hz.max(1);
    match prediction.predictor.as_mut() {
        None => {
            let start = AvatarMotion {
                pos: QuantPos(state.pos).to_vec3(),
                yaw: yaw_from_u16(state.yaw),
            };
            prediction.predictor = Some(Predictor::new(start, tick_hz));
            // Look where the server placed me (the spawn point faces into the room).
            look.yaw = start.yaw;
            *motion = MyMotion::still(start);
        }
        Some(predictor) => {
            predictor.reconcile(&state, newest.ack_input, &room.collision);
            let corrected = predictor.motion();
            let correction = predictor.last_correction;
            prediction.max_correction = prediction.max_correction.max(correction);
            motion.current = Some(corrected);
        }
    }
}

/// Builds this tick's frame from the intent (the look decides the direction).
pub fn frame_for(seq: u32, intent: &MoveIntent, look: &Look) -> InputFrame {
    InputFrame {
        seq,
        forward: axis_to_i8(intent.forward),
        right: axis_to_i8(intent.right),
        yaw: yaw_to_u16(look.yaw),
        run: intent.run,
    }
}

fn predict_and_send(
    intent: Res<MoveIntent>,
    look: Res<Look>,
    room: Res<RoomGeometry>,
    snapshots: Res<Snapshots>,
    me: Res<Me>,
    launch: Res<Launch>,
    mut prediction: ResMut<Prediction>,
    mut motion: ResMut<MyMotion>,
    mut outbox: ResMut<Outbox>,
) {
    let online = launch.ticket.is_some();
    if online && me.0.is_none() {
        return;
    }
    let seq = prediction.next_seq;
    let frame = frame_for(seq, &intent, &look);
    let Some(predictor) = prediction.predictor.as_mut() else {
        return;
    };
    let next = predictor.apply(frame, &room.collision);
    motion.previous = motion.current;
    motion.current = Some(next);
    prediction.next_seq += 1;
    if !online {
        return;
    }
    // Each message repeats the last frames: a lost packet costs nothing.
    prediction.recent.push_front(frame);
    prediction.recent.truncate(3);
    let msg = InputMsg {
        ack_snapshot: snapshots.decoder.ack_tick(),
        frames: prediction.recent.iter().copied().collect(),
    };
    outbox.input(encode(&msg));
}
