//! The stadtlab visitor client: one Bevy code base for the desktop and the browser.
//!
//! Read it as a table of contents: each module is one plugin with one job.
//! - [`launch`]: where the seat comes from (the desktop joins itself, the browser page hands it over)
//! - [`net`]: the renet2 connection, control messages and snapshots in, inputs and chat out
//! - [`roster`]: people in the room, the chat log, my id
//! - [`player`]: my avatar, predicted from my inputs and reconciled with the server
//! - [`controls`]: keyboard, mouse look, touch joystick and click-to-walk, mapped to one intent
//! - [`camera`]: first person by default, third person on request
//! - [`avatars`]: everyone else, interpolated, instanced, with a level of detail
//! - [`world`]: the room built from the same scene file the server uses
//! - [`exhibits`]: exhibits on pedestals, their models loaded lazily, the inspect view
//! - [`ui`]: chat, people, settings, help, name tags, world labels
//! - [`i18n`]: German and English texts (Fluent)
//! - [`settings`]: what a visitor can change, kept between visits
//! - [`state_hook`]: the client's state as JSON for tests and accessibility tools
//! - [`harness`]: screenshots, frame-time figures and timed exits for tests and benchmarks

// Bevy systems receive their data as parameters and queries as nested tuples: long
// parameter lists and complex types are the idiom here, not a smell.
#![allow(clippy::too_many_arguments, clippy::type_complexity)]

pub mod avatars;
pub mod camera;
pub mod class_visit;
pub mod controls;
pub mod exhibits;
pub mod harness;
pub mod i18n;
pub mod launch;
pub mod moderation;
pub mod net;
pub mod platform;
pub mod player;
pub mod programme_board;
pub mod roster;
pub mod settings;
pub mod stage;
pub mod stage_screen;
pub mod state_hook;
pub mod ui;
pub mod voice;
pub mod world;

use bevy::prelude::*;
use bevy::window::WindowResolution;

use launch::Launch;

/// Everything that does not need a window or a GPU: networking, roster, prediction, controls
/// state. Tests add this to `MinimalPlugins`.
pub struct ClientLogicPlugin;

impl Plugin for ClientLogicPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins((
            settings::SettingsPlugin,
            i18n::I18nPlugin,
            net::NetPlugin,
            roster::RosterPlugin,
            player::PlayerPlugin,
            controls::ControlsPlugin,
            exhibits::ExhibitListPlugin,
            class_visit::ClassVisitLogicPlugin,
            moderation::ModerationPlugin,
            voice::VoicePlugin,
            stage::StageLogicPlugin,
            state_hook::StateHookPlugin,
        ));
    }
}

/// What the visitor sees: the room, the avatars, the camera and the panels.
pub struct ClientViewPlugin;

impl Plugin for ClientViewPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins((
            world::WorldPlugin,
            avatars::AvatarsPlugin,
            camera::CameraPlugin,
            exhibits::ExhibitsPlugin,
            ui::UiPlugin,
            class_visit::ClassVisitViewPlugin,
            stage::StageViewPlugin,
            stage_screen::StageScreenPlugin,
            programme_board::ProgrammeBoardPlugin,
            harness::HarnessPlugin,
        ));
    }
}

/// Builds and runs the whole client for this platform.
pub fn run() {
    let launch = match launch::from_platform() {
        Ok(launch) => launch,
        Err(message) => {
            platform::show_fatal(&message);
            return;
        }
    };
    app(launch).run();
}

pub fn app(launch: Launch) -> App {
    let mut app = App::new();
    let resolution = WindowResolution::new(launch.window_size.0, launch.window_size.1);
    // On touch screens in the browser the canvas's drawing buffer came out at its CSS size while
    // the device's pixel ratio was applied on top: the UI was laid out in half the screen's
    // width and drawn twice too large. One logical pixel per CSS pixel fixes the layout (and
    // draws fewer pixels on old phones); touch positions are scaled to match
    // (`controls::touch::touch_scale`).
    #[cfg(target_arch = "wasm32")]
    let resolution = if platform::is_touch_screen() {
        resolution.with_scale_factor_override(1.0)
    } else {
        resolution
    };
    let window = Window {
        title: "stadtlab".into(),
        resolution,
        canvas: Some("#stadtlab-canvas".into()),
        fit_canvas_to_parent: true,
        // Let the page keep browser shortcuts (zoom, reload) working.
        prevent_default_event_handling: false,
        ..default()
    };
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(window),
                ..default()
            })
            .set(bevy::log::LogPlugin {
                filter: "wgpu=error,naga=warn,bevy_render=warn,bevy_winit=warn".into(),
                ..default()
            }),
    );
    app.insert_resource(launch);
    app.add_plugins((ClientLogicPlugin, ClientViewPlugin));
    app
}
