//! For tests and benchmarks: a screenshot after a while, quitting after a while, frame-time
//! figures; and for everyone, saying goodbye to the server when the window closes.

use bevy::app::AppExit;
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};

use crate::avatars::AvatarStats;
use crate::launch::Launch;
use crate::world::RoomStats;

pub struct HarnessPlugin;

impl Plugin for HarnessPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<FrameTimes>()
            .add_systems(Update, (record_frame, screenshot_and_exit).chain())
            .add_systems(Last, goodbye_on_exit);
    }
}

/// Frame times after the warm-up (render pipelines compile during the first seconds).
#[derive(Resource, Debug, Default)]
pub struct FrameTimes {
    pub millis: Vec<f32>,
    started: f32,
}

/// Seconds to wait before measuring: pipeline compilation under software rendering.
const WARM_UP_S: f32 = 5.0;

fn record_frame(time: Res<Time<Real>>, launch: Res<Launch>, mut times: ResMut<FrameTimes>) {
    if !launch.frame_stats {
        return;
    }
    let now = time.elapsed_secs();
    if times.started == 0.0 {
        times.started = now;
    }
    if now - times.started > WARM_UP_S {
        times.millis.push(time.delta_secs() * 1000.0);
    }
}

pub fn percentile(sorted: &[f32], p: f32) -> f32 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f32 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn screenshot_and_exit(
    mut commands: Commands,
    time: Res<Time<Real>>,
    launch: Res<Launch>,
    times: Res<FrameTimes>,
    avatars: Res<AvatarStats>,
    room: Res<RoomStats>,
    mut taken: Local<bool>,
    mut exit: MessageWriter<AppExit>,
) {
    let now = time.elapsed_secs();
    if let Some(path) = &launch.screenshot
        && !*taken
        && now > launch.screenshot_after
    {
        *taken = true;
        info!("screenshot to {}", path.display());
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(path.clone()));
    }
    if launch.exit_after.is_some_and(|after| now > after) {
        if launch.frame_stats {
            let mut sorted = times.millis.clone();
            sorted.sort_by(f32::total_cmp);
            let mean = sorted.iter().sum::<f32>() / sorted.len().max(1) as f32;
            println!(
                "frames: n={} frame_ms_mean={:.1} frame_ms_p50={:.1} frame_ms_p95={:.1} avatars={} avatar_batches={} room_triangles={} room_materials={}",
                sorted.len(),
                mean,
                percentile(&sorted, 0.5),
                percentile(&sorted, 0.95),
                avatars.avatars,
                avatars.batches,
                room.triangles,
                room.materials,
            );
        }
        exit.write(AppExit::Success);
    }
}

fn goodbye_on_exit(mut exits: MessageReader<AppExit>, link: Option<NonSendMut<crate::net::Link>>) {
    if exits.read().next().is_some() {
        crate::net::say_goodbye(link);
    }
}
