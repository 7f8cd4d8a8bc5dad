//! The game loop: one thread ticking every room at a fixed rate.
//!
//! Rooms are instances of scenes with ids ([`RoomId`]), held in a registry; they are opened
//! and closed while the server runs (`commands`). Each owns its state; commands reach it
//! through the per-domain `handlers`, whose outbox the loop delivers (`dispatch`).
//!
//! Order of a tick (the only place it is written down):
//! 1. transport: receive packets, connection events (`connections`)
//! 2. commands from outside (`commands`), client messages: handshake and per-domain commands
//!    (`control` → `handlers`), inputs (`inputs`)
//! 3. simulate each room (`room`, `follow`); visit clocks (`handlers::tour`)
//! 4. expire grace periods, close rejected links (`connections`)
//! 5. snapshots per client (`interest` → `snapshots`)
//! 6. transport: send packets

pub mod closing;
pub mod commands;
mod connections;
mod control;
mod dispatch;
pub mod follow;
pub mod handlers;
mod impact_clock;
mod inputs;
pub mod instance;
pub mod interest;
mod link;
pub mod rate;
pub mod room;
pub mod snapshots;
pub mod stage;
pub mod transport;
mod voice_plan;
mod websocket_front;
pub mod webtransport_rotation;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use glam::Vec2;
use renet2::RenetServer;
use renet2_netcode::NetcodeServerTransport;
use stadtlab_shared::protocol::{ServerMsg, channel, encode};
use stadtlab_shared::scene::Scene;

use crate::admission::{Admission, RoomId};
use crate::config::GameConfig;
use crate::metrics::{Metrics, RoomLabel};
use crate::storage::NetcodeKey;
use commands::RoomCommand;
use handlers::GameEvent;
use instance::Instance;
use link::Link;
use transport::TokenIssuer;

use crate::metrics::TickPhase;

/// Times the phases of one tick.
struct PhaseClock {
    last: Instant,
    laps: [f64; TickPhase::COUNT],
}

impl PhaseClock {
    fn start() -> Self {
        Self {
            last: Instant::now(),
            laps: [0.0; TickPhase::COUNT],
        }
    }

    fn lap(&mut self, phase: TickPhase) {
        let now = Instant::now();
        self.laps[phase as usize] = now.duration_since(self.last).as_secs_f64();
        self.last = now;
    }
}

/// Grid cell edge for interest queries, metres.
const GRID_CELL: f32 = 4.0;

pub struct GameParams {
    pub config: GameConfig,
    pub scenes: Vec<Arc<Scene>>,
    /// The public rooms, registered with admission: (id, scene name).
    pub public_rooms: Vec<(RoomId, String)>,
    pub key: NetcodeKey,
    pub admission: Arc<Admission>,
    pub metrics: Arc<Metrics>,
    pub runtime: tokio::runtime::Handle,
    /// Exhibits on show per public room at start.
    pub exhibits: HashMap<String, Vec<stadtlab_shared::exhibit::ExhibitView>>,
    pub commands: std::sync::mpsc::Receiver<RoomCommand>,
    /// What rooms report for storage (audit log, bans, reports).
    pub events: tokio::sync::mpsc::UnboundedSender<GameEvent>,
    /// The voice SFU's end for the game loop (none when voice is off).
    pub voice: Option<crate::voice::VoiceLink>,
    /// Impact counts: the loop adds the time people stand near exhibits.
    pub impact: Arc<crate::impact::Impact>,
}

/// The running game thread.
pub struct GameHandle {
    pub issuer: TokenIssuer,
    shutdown: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl GameHandle {
    /// Stops the loop after the current tick; clients are told the server is going.
    pub fn stop(&mut self) {
        self.shutdown.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for GameHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

struct Game {
    config: GameConfig,
    renet: RenetServer,
    transport: NetcodeServerTransport,
    /// The registry: every open room instance by id.
    rooms: BTreeMap<RoomId, Instance>,
    scenes: HashMap<String, Arc<Scene>>,
    /// Exhibits on show per public room, for instances opened later.
    exhibitions: HashMap<String, stadtlab_shared::exhibit::ShownExhibits>,
    links: HashMap<u64, Link>,
    admission: Arc<Admission>,
    metrics: Arc<Metrics>,
    tick: u32,
    scratch: snapshots::Scratch,
    commands: std::sync::mpsc::Receiver<RoomCommand>,
    events: tokio::sync::mpsc::UnboundedSender<GameEvent>,
    voice: Option<crate::voice::VoiceLink>,
    impact: Arc<crate::impact::Impact>,
    /// Seconds since the time near exhibits was last counted.
    dwell_clock: f32,
    /// Talks and class visits being watched, per room.
    watches: HashMap<RoomId, impact_clock::Watch>,
}

/// netcode's hard limit of connections per server process.
pub const NETCODE_MAX_CLIENTS: usize = 1024;
/// Connections kept free for rejoins that replace a live connection.
const REJOIN_HEADROOM: usize = 24;

/// Connections the transport accepts: netcode's limit, since class visits open rooms while the
/// server runs; admission keeps head-room for rejoins below it.
pub fn max_clients() -> usize {
    NETCODE_MAX_CLIENTS
}

/// People admission lets in across all rooms.
pub fn max_people() -> usize {
    max_clients().saturating_sub(REJOIN_HEADROOM)
}

/// Binds the transports and starts the loop on its own thread.
pub fn spawn(params: GameParams) -> anyhow::Result<GameHandle> {
    let shutdown = Arc::new(AtomicBool::new(false));
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let stop = shutdown.clone();
    let thread = std::thread::Builder::new()
        .name("game-loop".into())
        .spawn(move || {
            let _rt = params.runtime.enter();
            let max_clients = max_clients();
            let (transport, issuer) = match transport::bind(
                &params.config,
                &params.key,
                max_clients,
                params.runtime.clone(),
                &params.metrics,
            ) {
                Ok(t) => t,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            let _ = ready_tx.send(Ok(issuer));
            let mut game = Game {
                rooms: BTreeMap::new(),
                scenes: params
                    .scenes
                    .iter()
                    .map(|s| (s.name.clone(), s.clone()))
                    .collect(),
                exhibitions: params
                    .exhibits
                    .into_iter()
                    .map(|(room, exhibits)| {
                        let mut shown = stadtlab_shared::exhibit::ShownExhibits::default();
                        shown.apply(&stadtlab_shared::protocol::ExhibitMsg::All { exhibits });
                        (room, shown)
                    })
                    .collect(),
                config: params.config,
                renet: RenetServer::new(stadtlab_shared::protocol::connection_config()),
                transport,
                links: HashMap::new(),
                admission: params.admission,
                metrics: params.metrics,
                tick: 0,
                scratch: snapshots::Scratch::default(),
                commands: params.commands,
                events: params.events,
                voice: params.voice,
                impact: params.impact,
                dwell_clock: 0.0,
                watches: HashMap::new(),
            };
            for (id, scene) in params.public_rooms {
                game.open_room(id, &scene, None, None);
            }
            game.run(&stop);
        })?;
    let issuer = ready_rx
        .recv()
        .map_err(|_| anyhow::anyhow!("game loop died while starting"))??;
    Ok(GameHandle {
        issuer,
        shutdown,
        thread: Some(thread),
    })
}

impl Game {
    fn run(&mut self, stop: &AtomicBool) {
        let period = Duration::from_secs_f64(1.0 / self.config.tick_hz as f64);
        let mut next = Instant::now();
        let mut last = Instant::now();
        tracing::info!(
            tick_hz = self.config.tick_hz,
            rooms = self.rooms.len(),
            "game loop running"
        );
        while !stop.load(Ordering::Relaxed) {
            let start = Instant::now();
            self.tick(start.duration_since(last));
            last = start;
            self.metrics.record_tick(start.elapsed().as_secs_f64());
            next += period;
            let now = Instant::now();
            if next > now {
                std::thread::sleep(next - now);
            } else {
                // Fell behind: do not try to catch up with a burst of ticks.
                next = now;
            }
        }
        self.finish_watches();
        self.transport.disconnect_all(&mut self.renet);
        tracing::info!("game loop stopped");
    }

    fn tick(&mut self, elapsed: Duration) {
        self.tick = self.tick.wrapping_add(1);
        let mut phases = PhaseClock::start();
        self.renet.update(elapsed);
        if let Err(errors) = self.transport.update(elapsed, &mut self.renet) {
            for e in errors {
                tracing::debug!(error = ?e, "transport receive error");
            }
        }
        phases.lap(TickPhase::Receive);
        // Commands first: a room opened by the HTTP side exists before its first visitor
        // connects (the join answer is sent after the command).
        self.apply_commands();
        self.handle_connection_events();
        self.receive_messages();
        phases.lap(TickPhase::Messages);
        let dt = 1.0 / self.config.tick_hz as f32;
        // A late loop grants more input frames, so movement keeps real-time speed and input
        // latency does not pile up; the cap in `simulate` still bounds any one tick.
        let ticks_elapsed = (elapsed.as_secs_f32() / dt).clamp(0.0, 3.0);
        let mut stepped_out = Vec::new();
        for inst in self.rooms.values_mut() {
            if inst.room.simulate(dt, ticks_elapsed) {
                stepped_out.push(inst.id);
            }
        }
        for id in stepped_out {
            self.tour_state_changed(id);
        }
        self.run_visit_clocks();
        self.expire_closing_questions();
        self.count_time_near_exhibits(elapsed.as_secs_f32());
        self.voice_tick();
        self.expire_and_close();
        phases.lap(TickPhase::Simulate);
        self.send_snapshots();
        phases.lap(TickPhase::Snapshots);
        self.transport.send_packets(&mut self.renet);
        phases.lap(TickPhase::Send);
        self.metrics.record_phases(&phases.laps);
    }

    fn send_snapshots(&mut self) {
        for inst in self.rooms.values_mut() {
            let room = &inst.room;
            let present = room
                .avatars
                .iter()
                .flatten()
                .filter(|a| a.client.is_some())
                .map(|a| (a.id, Vec2::new(a.motion.pos.x, a.motion.pos.z)));
            inst.grid.rebuild(GRID_CELL, present);
            let view = &mut inst.view;
            view.states.clear();
            view.last_input.clear();
            for slot in &room.avatars {
                view.states.push(
                    slot.as_ref()
                        .filter(|a| a.client.is_some())
                        .map(|a| a.state),
                );
                view.last_input
                    .push(slot.as_ref().map_or(0, |a| a.last_input_seq));
            }
        }
        let params = snapshots::SnapshotParams {
            tick: self.tick,
            budget: self.config.snapshot_budget_bytes,
            view_max: self.config.view_max,
            view_radius: self.config.view_radius,
        };
        for link in self.links.values_mut() {
            let Some(inst) = self.rooms.get(&link.room) else {
                continue;
            };
            if let Some(bytes) =
                snapshots::build(link, &inst.view, &inst.grid, &params, &mut self.scratch)
            {
                self.renet
                    .send_message(link.client_id, channel::SNAPSHOT, bytes);
            }
        }
    }

    fn send(&mut self, client_id: u64, msg: &ServerMsg) {
        self.renet
            .send_message(client_id, channel::CONTROL, encode(msg));
    }

    /// Sends `msg` to everyone in `room` who completed the handshake, except `except`.
    fn broadcast(&mut self, room: RoomId, msg: &ServerMsg, except: Option<u64>) {
        let bytes = bytes::Bytes::from(encode(msg));
        for link in self.links.values() {
            // `is_connected`: several clients may drop in one tick; those whose disconnect
            // event is still queued have no connection left to send to.
            if link.room == room
                && link.avatar().is_some()
                && Some(link.client_id) != except
                && self.renet.is_connected(link.client_id)
            {
                self.renet
                    .send_message(link.client_id, channel::CONTROL, bytes.clone());
            }
        }
    }

    /// Tells admission how many places `room` has taken: avatars (away ones included) and
    /// connections still before their handshake, so that nobody slips in between.
    fn publish_occupancy(&self, room: RoomId) {
        let Some(inst) = self.rooms.get(&room) else {
            return;
        };
        let r = &inst.room;
        let handshaking = self
            .links
            .values()
            .filter(|l| {
                l.room == room
                    && matches!(&l.phase, link::Phase::AwaitingHello { seat, .. } if !seat.rejoin)
            })
            .count();
        self.admission
            .set_occupied(room, r.occupied() + handshaking);
        let connected = |i: &instance::Instance| {
            i.room
                .avatars
                .iter()
                .flatten()
                .filter(|a| a.client.is_some())
                .count()
        };
        // Class visits come and go with their own ids: one label for all of them keeps the
        // metric's series from growing with every visit.
        let (label, count) = if inst.visit.is_some() {
            let all: usize = self
                .rooms
                .values()
                .filter(|i| i.visit.is_some())
                .map(connected)
                .sum();
            ("class-visits".to_string(), all)
        } else {
            (r.name.clone(), connected(inst))
        };
        self.metrics
            .connected_clients
            .get_or_create(&RoomLabel { room: label })
            .set(count as i64);
    }
}
