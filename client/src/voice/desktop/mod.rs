//! Voice in the desktop client: the same SFU, signalling and slots as the browser, with its own
//! engine (str0m, Opus, a jitter buffer per slot, distance gain and stereo panning by the
//! browsers' curve) and cpal for the sound card. Push-to-talk (hold M) is the default: the
//! desktop has no echo cancellation, so an open microphone would feed the room back into itself
//! unless the visitor wears headphones (`--open-mic`, or the settings, for those who do). The
//! settings (O) switch voice on and off, choose the microphone mode, the volume of others and
//! "only the nearest", and show the microphone's level.

pub mod codec;
pub mod devices;
pub mod engine;
pub mod jitter;
pub mod spatial;

use std::net::{IpAddr, SocketAddr, UdpSocket};

use bevy::prelude::*;
use fluent_bundle::FluentValue;
use glam::Vec2;
use stadtlab_shared::protocol::domain::voice::{RECEIVE_SLOTS, SPATIAL_SLOTS};
use stadtlab_shared::protocol::join::Transport;
use stadtlab_shared::protocol::{ClientMsg, ServerMsg, VoiceCmd, VoiceMsg};
use stadtlab_shared::quantize::QuantPos;

use crate::controls::Look;
use crate::i18n::I18n;
use crate::launch::Launch;
use crate::net::{LinkStatus, Outbox, ServerEvent, Snapshots};
use crate::player::MyMotion;
use crate::roster::{ChatLine, ChatLog, Me};
use crate::settings::{Settings, clamp_voice_volume};
use crate::ui::OpenPanels;
use crate::voice::MicMeter;
use devices::AudioDevices;
use engine::{AudioRings, VoiceEngine};
use spatial::{Placement, keep_nearest, place};

/// Voices kept with "only the nearest" (as in the browser's voice bar).
const NEAREST: usize = 2;

/// How this run's voice was asked for (desktop flags; tests set the rings themselves).
#[derive(Debug, Clone)]
pub struct VoiceOptions {
    pub enabled: bool,
    /// Open the sound card (tests pass false and feed `rings` themselves).
    pub sound_card: bool,
    /// Send whenever the microphone hears something (headphones only: no echo cancellation).
    pub open_mic: bool,
    /// Volume of others, 0..=1.
    pub volume: f32,
    /// Sample queues to use instead of fresh ones (tests).
    pub rings: Option<AudioRings>,
}

impl Default for VoiceOptions {
    /// Off: the desktop's flags switch it on (`--no-voice` keeps it off), and tests that do
    /// not ask for voice stay without it.
    fn default() -> Self {
        VoiceOptions {
            enabled: false,
            sound_card: true,
            open_mic: false,
            volume: 1.0,
            rings: None,
        }
    }
}

/// The desktop's voice, while connected.
#[derive(Resource, Default)]
pub struct DesktopVoice {
    engine: Option<VoiceEngine>,
    devices: Option<AudioDevices>,
    /// Which avatar each slot carries (spatial, then broadcast), as the server said.
    slots: Vec<Option<u16>>,
    /// Set after a failure that a retry would not fix (no sound card): no more attempts.
    given_up: bool,
}

impl DesktopVoice {
    /// The engine, when voice is connected (tests read its state).
    pub fn engine(&self) -> Option<&VoiceEngine> {
        self.engine.as_ref()
    }
}

pub fn build(app: &mut App) {
    app.init_resource::<DesktopVoice>()
        .add_systems(Startup, apply_flags)
        .add_systems(PreUpdate, messages.after(crate::net::NetSet::Receive))
        .add_systems(Update, (start_and_stop, place_and_talk).chain());
}

/// The command line's voice choices are where the settings start (the desktop keeps no
/// settings between runs).
fn apply_flags(launch: Res<Launch>, mut settings: ResMut<Settings>) {
    settings.open_mic = launch.voice.open_mic;
    settings.voice_volume = clamp_voice_volume(launch.voice.volume);
}

/// The local address that reaches the server's game address (the voice candidate must be a
/// real address of this machine, not 0.0.0.0).
fn local_ip_towards(server: IpAddr) -> std::io::Result<IpAddr> {
    let any: IpAddr = if server.is_ipv4() {
        [0, 0, 0, 0].into()
    } else {
        [0u16; 8].into()
    };
    let socket = UdpSocket::bind(SocketAddr::new(any, 0))?;
    socket.connect(SocketAddr::new(server, 9))?;
    Ok(socket.local_addr()?.ip())
}

fn server_ip(launch: &Launch) -> Option<IpAddr> {
    let ticket = launch.ticket.as_ref()?;
    [Some(&ticket.connect), ticket.fallback.as_ref()]
        .into_iter()
        .flatten()
        .find(|c| c.transport == Transport::Udp)
        .and_then(|c| c.address.parse::<SocketAddr>().ok())
        .map(|a| a.ip())
}

fn notice(chat: &mut ChatLog, i18n: &I18n, settings: &Settings, key: &str, reason: Option<&str>) {
    let args: Vec<(&str, FluentValue)> = reason
        .map(|r| vec![("reason", FluentValue::from(r.to_string()))])
        .unwrap_or_default();
    chat.push(ChatLine::Notice(i18n.text(settings.language, key, &args)));
}

#[allow(clippy::too_many_arguments)]
fn start_and_stop(
    mut voice: ResMut<DesktopVoice>,
    launch: Res<Launch>,
    status: Res<LinkStatus>,
    me: Res<Me>,
    mut outbox: ResMut<Outbox>,
    mut chat: ResMut<ChatLog>,
    i18n: Res<I18n>,
    settings: Res<Settings>,
) {
    let online = *status == LinkStatus::Connected && me.0.is_some();
    if !online {
        // The server ends the voice connection with the game connection; a reconnect offers
        // anew.
        voice.engine = None;
        voice.slots.clear();
        return;
    }
    if !settings.voice {
        // Switched off in the settings: the server stops forwarding to us, and the microphone
        // and speakers rest.
        if voice.engine.take().is_some() {
            outbox.control(&ClientMsg::Voice(VoiceCmd::Leave));
            voice.slots.clear();
            notice(&mut chat, &i18n, &settings, "voice-desktop-off", None);
        }
        return;
    }
    if voice.engine.is_some() || voice.given_up || !launch.voice.enabled {
        return;
    }
    let Some(ip) = server_ip(&launch).and_then(|s| local_ip_towards(s).ok()) else {
        voice.given_up = true;
        return;
    };
    // One pair of sample queues for the sound card and the engine (tests bring their own).
    let rings = launch.voice.rings.clone().unwrap_or_default();
    if launch.voice.sound_card && voice.devices.is_none() {
        match AudioDevices::open(rings.clone()) {
            Ok((devices, opened)) => {
                voice.devices = Some(devices);
                if !opened.microphone {
                    notice(&mut chat, &i18n, &settings, "voice-desktop-no-mic", None);
                }
            }
            Err(reason) => {
                notice(
                    &mut chat,
                    &i18n,
                    &settings,
                    "voice-desktop-no-sound",
                    Some(&reason),
                );
                voice.given_up = true;
                return;
            }
        }
    }
    match VoiceEngine::start(ip, rings) {
        Ok(mut engine) => {
            if let Some(sdp) = engine.take_offer() {
                outbox.control(&ClientMsg::Voice(VoiceCmd::Offer { sdp }));
            }
            let key = if settings.open_mic {
                "voice-desktop-open-mic"
            } else {
                "voice-desktop-ready"
            };
            notice(&mut chat, &i18n, &settings, key, None);
            voice.engine = Some(engine);
        }
        Err(reason) => {
            notice(
                &mut chat,
                &i18n,
                &settings,
                "voice-desktop-failed",
                Some(&reason),
            );
            voice.given_up = true;
        }
    }
}

fn messages(mut events: MessageReader<ServerEvent>, mut voice: ResMut<DesktopVoice>) {
    for ServerEvent(msg) in events.read() {
        match msg {
            ServerMsg::Voice(VoiceMsg::Answer { sdp }) => {
                if let Some(engine) = &voice.engine {
                    engine.answer(sdp.clone());
                }
            }
            ServerMsg::Voice(VoiceMsg::Slots { spatial, broadcast }) => {
                voice.slots = spatial.clone();
                voice.slots.resize(SPATIAL_SLOTS, None);
                voice.slots.push(*broadcast);
            }
            _ => {}
        }
    }
}

/// Every frame: where each slot's speaker stands relative to me, whether I talk, and the
/// settings (volume, only the nearest, the level meter while the settings are open).
#[allow(clippy::too_many_arguments)]
fn place_and_talk(
    voice: Res<DesktopVoice>,
    settings: Res<Settings>,
    open: Option<Res<OpenPanels>>,
    snapshots: Res<Snapshots>,
    motion: Res<MyMotion>,
    look: Res<Look>,
    keys: Res<ButtonInput<KeyCode>>,
    mut meter: ResMut<MicMeter>,
) {
    let Some(engine) = &voice.engine else {
        meter.set_if_neq(MicMeter(None));
        return;
    };
    let listener = motion.current.map(|m| Vec2::new(m.pos.x, m.pos.z));
    let mut placements = [None; RECEIVE_SLOTS];
    for (slot, avatar) in voice.slots.iter().enumerate().take(RECEIVE_SLOTS) {
        let Some(id) = avatar else { continue };
        placements[slot] = if slot == SPATIAL_SLOTS {
            Some(Placement::CENTRE)
        } else {
            let source = snapshots.decoder.state(*id).map(|s| {
                let p = QuantPos(s.pos).to_vec3();
                Vec2::new(p.x, p.z)
            });
            match (listener, source) {
                (Some(me), Some(them)) => Some(place(me, look.yaw, them)),
                _ => Some(Placement::CENTRE),
            }
        };
    }
    if settings.nearest_voices {
        keep_nearest(&mut placements[..SPATIAL_SLOTS], NEAREST);
    }
    let talking = settings.open_mic || keys.pressed(KeyCode::KeyM);
    let metering = open.is_some_and(|o| o.settings);
    let mut level = None;
    engine.update(|s| {
        s.placements = placements;
        s.talking = talking;
        s.metering = metering;
        s.volume = settings.voice_volume;
        level = (talking || metering).then_some(s.mic_level);
    });
    meter.set_if_neq(MicMeter(level));
}
