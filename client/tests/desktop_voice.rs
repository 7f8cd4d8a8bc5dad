//! The desktop's voice against a real server, without a sound card: two desktop clients (the
//! client's logic plugins, each with its voice engine) join; one holds M and "speaks" a tone
//! into its microphone queue; the other's engine receives the Opus frames through the SFU,
//! decodes them, places them by where the speaker stands, and plays them into its speaker
//! queue. Letting go of M stops the sending. The settings (the same rows the panel changes)
//! open the microphone, turn the others down, switch voice off and on again, and show the
//! microphone's level without sending.

#[path = "../../server/tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use bevy::input::InputPlugin;
use bevy::prelude::*;
use stadtlab_bots::join::JoinRequest;
use stadtlab_client::ClientLogicPlugin;
use stadtlab_client::launch::Launch;
use stadtlab_client::roster::{ChatLine, ChatLog};
use stadtlab_client::settings::Settings;
use stadtlab_client::ui::OpenPanels;
use stadtlab_client::ui::panels::SettingRow;
use stadtlab_client::voice::MicMeter;
use stadtlab_client::voice::desktop::engine::{AudioRings, EngineState};
use stadtlab_client::voice::desktop::{DesktopVoice, VoiceOptions};
use stadtlab_shared::protocol::PROTOCOL_VERSION;
use stadtlab_shared::protocol::domain::voice::SPATIAL_SLOTS;

use common::TestServer;

struct Desktop {
    app: App,
    rings: AudioRings,
}

fn desktop(server: &TestServer, name: &str) -> Desktop {
    let req = JoinRequest {
        name: name.into(),
        protocol: PROTOCOL_VERSION,
        ..Default::default()
    };
    let ticket = stadtlab_bots::join::join(&server.base, "forum", &req).expect("join");
    let rings = AudioRings::default();
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, InputPlugin))
        .insert_resource(Launch {
            ticket: Some(ticket),
            voice: VoiceOptions {
                enabled: true,
                sound_card: false,
                rings: Some(rings.clone()),
                ..Default::default()
            },
            ..Launch::default()
        })
        .add_plugins(ClientLogicPlugin);
    Desktop { app, rings }
}

impl Desktop {
    fn voice(&self) -> Option<EngineState> {
        self.app
            .world()
            .resource::<DesktopVoice>()
            .engine()
            .map(|e| e.snapshot())
    }

    /// What a click on a settings row (or Enter / arrow right, `dir` 1; arrow left, -1) does.
    fn change(&mut self, row: SettingRow, dir: i32) {
        let mut settings = self.app.world_mut().resource_mut::<Settings>();
        row.change(&mut settings, dir);
    }

    fn notices(&self) -> Vec<String> {
        let chat = self.app.world().resource::<ChatLog>();
        chat.lines
            .iter()
            .filter_map(|l| match l {
                ChatLine::Notice(text) => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    fn hold_m(&mut self, held: bool) {
        let mut keys = self.app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
        if held {
            keys.press(KeyCode::KeyM);
        } else {
            keys.release(KeyCode::KeyM);
        }
    }
}

/// A 440 Hz tone for the microphone, 20 ms at a time.
fn tone(frame: u64) -> Vec<f32> {
    (0..960)
        .map(|i| {
            let t = (frame * 960 + i) as f32 / 48_000.0;
            0.3 * (2.0 * std::f32::consts::PI * 440.0 * t).sin()
        })
        .collect()
}

/// Runs both clients (~60 frames a second); the speaker's microphone gets a tone frame every
/// 20 ms, the listener's speaker queue is drained as a sound card would.
fn run_until(
    all: &mut [&mut Desktop],
    secs: u64,
    what: &str,
    done: impl Fn(&[&mut Desktop]) -> bool,
) {
    let start = Instant::now();
    let mut frames = 0;
    while start.elapsed() < Duration::from_secs(secs) {
        for d in all.iter_mut() {
            d.app.update();
        }
        let due = start.elapsed().as_millis() as u64 / 20;
        while frames < due {
            for d in all.iter() {
                d.rings.capture.lock().unwrap().extend(tone(frames));
                d.rings.playback.lock().unwrap().clear();
            }
            frames += 1;
        }
        if done(all) {
            return;
        }
        std::thread::sleep(Duration::from_millis(16));
    }
    let states: Vec<_> = all.iter().map(|d| d.voice()).collect();
    panic!("timed out: {what}; voice states: {states:#?}");
}

/// Runs both clients for `secs` seconds.
fn wait(all: &mut [&mut Desktop], secs: u64) {
    let since = Instant::now();
    run_until(all, secs + 5, "the time to pass", |_| {
        since.elapsed() >= Duration::from_secs(secs)
    });
}

/// Ada and Ben on the desktop, both in voice.
fn connected_pair(server: &TestServer) -> (Desktop, Desktop) {
    let mut ada = desktop(server, "Ada");
    let mut ben = desktop(server, "Ben");
    run_until(
        &mut [&mut ada, &mut ben],
        20,
        "both voices connect",
        |all| all.iter().all(|d| d.voice().is_some_and(|v| v.connected)),
    );
    (ada, ben)
}

#[test]
fn a_desktop_visitor_hears_another_and_speaks_with_push_to_talk() {
    let server = TestServer::start();
    let (mut ada, mut ben) = connected_pair(&server);
    // Nobody holds M: nothing is sent, whatever the microphone hears.
    wait(&mut [&mut ada, &mut ben], 1);
    assert_eq!(ada.voice().unwrap().frames_sent, 0, "sent without M held");

    ada.hold_m(true);
    run_until(&mut [&mut ada, &mut ben], 15, "Ben hears Ada", |all| {
        let ben = all[1].voice().unwrap();
        ben.frames_received > 50 && ben.played_energy > 10.0
    });
    let ada_state = ada.voice().unwrap();
    assert!(ada_state.frames_sent > 50);
    assert!(
        ada_state.mic_level > -20,
        "the tone's level: {}",
        ada_state.mic_level
    );
    // Ada is in one of Ben's spatial slots, placed by where she stands (both are in the
    // forum's spawn rows, well within the hearing radius).
    let placed = ben.voice().unwrap().placements[..SPATIAL_SLOTS]
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>();
    assert_eq!(placed.len(), 1, "{placed:?}");
    assert!(placed[0].gain > 0.1 && placed[0].gain <= 1.0, "{placed:?}");

    // Letting go of M stops the sending.
    ada.hold_m(false);
    wait(&mut [&mut ada, &mut ben], 1);
    let sent = ada.voice().unwrap().frames_sent;
    wait(&mut [&mut ada, &mut ben], 1);
    assert_eq!(
        ada.voice().unwrap().frames_sent,
        sent,
        "still sending after M"
    );
}

#[test]
fn the_settings_open_the_microphone_turn_others_down_switch_voice_off_and_show_the_level() {
    let server = TestServer::start();
    let (mut ada, mut ben) = connected_pair(&server);
    // "Mikrofon: offen": Ada is heard without holding M.
    ada.change(SettingRow::MicMode, 1);
    run_until(
        &mut [&mut ada, &mut ben],
        15,
        "Ben hears Ada's open microphone",
        |all| all[1].voice().unwrap().frames_received > 50,
    );
    // Ben turns the others down to 50 %.
    for _ in 0..5 {
        ben.change(SettingRow::VoiceVolume, -1);
    }
    wait(&mut [&mut ada, &mut ben], 1);
    assert_eq!(ben.voice().unwrap().volume, 0.5);

    // Ada switches voice off: her engine stops, the server stops forwarding her, she is told.
    ada.change(SettingRow::Voice, 1);
    run_until(&mut [&mut ada, &mut ben], 5, "Ada out of voice", |all| {
        all[0].voice().is_none()
    });
    assert!(
        ada.notices()
            .iter()
            .any(|n| n.starts_with("Sprachchat aus")),
        "{:?}",
        ada.notices()
    );
    // The server took her out of voice: none of Ben's slots carries her any more.
    run_until(
        &mut [&mut ada, &mut ben],
        5,
        "Ada in none of Ben's slots",
        |all| {
            all[1]
                .voice()
                .unwrap()
                .placements
                .iter()
                .all(Option::is_none)
        },
    );
    let heard = ben.voice().unwrap().frames_received;
    // On again: a new offer, and Ben hears her again.
    ada.change(SettingRow::Voice, 1);
    run_until(
        &mut [&mut ada, &mut ben],
        20,
        "Ben hears Ada again",
        |all| {
            all[0].voice().is_some_and(|v| v.connected)
                && all[1].voice().unwrap().frames_received > heard + 50
        },
    );

    // Ben (push to talk, M not held) opens the settings: the meter shows the tone his
    // microphone hears, and nothing is sent.
    ben.app.init_resource::<OpenPanels>();
    ben.app.world_mut().resource_mut::<OpenPanels>().settings = true;
    run_until(
        &mut [&mut ada, &mut ben],
        10,
        "Ben's level meter shows the tone",
        |all| {
            all[1]
                .app
                .world()
                .resource::<MicMeter>()
                .0
                .is_some_and(|db| db > -20)
        },
    );
    assert_eq!(ben.voice().unwrap().frames_sent, 0, "metering sent frames");
}
