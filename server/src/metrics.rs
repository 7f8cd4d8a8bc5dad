//! Prometheus metrics (`GET /metrics`) and the exact tick statistics behind `GET /api/stats`.

use std::collections::VecDeque;
use std::sync::Mutex;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RoomLabel {
    pub room: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TransportLabel {
    pub transport: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabel {
    pub reason: String,
}

/// The parts of a tick, timed separately (see `game/mod.rs` for their order).
#[derive(Debug, Clone, Copy)]
pub enum TickPhase {
    Receive,
    Messages,
    Simulate,
    Snapshots,
    Send,
}

impl TickPhase {
    pub const COUNT: usize = 5;
    pub const NAMES: [&'static str; TickPhase::COUNT] =
        ["receive", "messages", "simulate", "snapshots", "send"];
}

/// What the voice SFU counts (shared with its thread; the counters are atomic).
#[derive(Debug, Clone)]
pub struct VoiceCounters {
    pub frames_in: Counter,
    pub frames_out: Counter,
    pub tcp_connections: Gauge,
    /// From a frame read off the socket to its last copy written to a listener: the SFU's own
    /// share of the forward delay (time queued in the socket before it is read not included).
    pub forward_seconds: Histogram,
}

impl Default for VoiceCounters {
    fn default() -> Self {
        VoiceCounters {
            frames_in: Counter::default(),
            frames_out: Counter::default(),
            tcp_connections: Gauge::default(),
            // 0.05 ms .. ~0.8 s
            forward_seconds: Histogram::new(exponential_buckets(0.00005, 2.0, 15)),
        }
    }
}

/// Tick durations kept for exact percentiles (30 s at 30 Hz).
const TICK_WINDOW: usize = 900;

pub struct Metrics {
    registry: Registry,
    pub connected_clients: Family<RoomLabel, Gauge>,
    pub tick_duration: Histogram,
    pub bytes_sent: Family<TransportLabel, Counter>,
    pub bytes_received: Family<TransportLabel, Counter>,
    pub rejected_input: Family<ReasonLabel, Counter>,
    pub joins: Family<ReasonLabel, Counter>,
    pub voice: VoiceCounters,
    recent_ticks: Mutex<VecDeque<f64>>,
    /// Sum of seconds per phase and the tick count, since the last stats reset.
    phase_sums: Mutex<([f64; TickPhase::COUNT], u64)>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("stadtlab");
        let connected_clients = Family::<RoomLabel, Gauge>::default();
        registry.register(
            "connected_clients",
            "Clients connected per room",
            connected_clients.clone(),
        );
        // 0.1 ms .. ~0.8 s
        let tick_duration = Histogram::new(exponential_buckets(0.0001, 2.0, 14));
        registry.register(
            "tick_duration_seconds",
            "Duration of one server tick (all rooms)",
            tick_duration.clone(),
        );
        let bytes_sent = Family::<TransportLabel, Counter>::default();
        registry.register(
            "transport_sent_bytes",
            "Bytes sent by the game transports",
            bytes_sent.clone(),
        );
        let bytes_received = Family::<TransportLabel, Counter>::default();
        registry.register(
            "transport_received_bytes",
            "Bytes received by the game transports",
            bytes_received.clone(),
        );
        let rejected_input = Family::<ReasonLabel, Counter>::default();
        registry.register(
            "rejected_input",
            "Client messages dropped or refused, by reason",
            rejected_input.clone(),
        );
        let joins = Family::<ReasonLabel, Counter>::default();
        registry.register("joins", "Join requests by result", joins.clone());
        let voice = VoiceCounters::default();
        registry.register(
            "voice_frames_received",
            "Voice frames that reached the SFU from speakers",
            voice.frames_in.clone(),
        );
        registry.register(
            "voice_frames_forwarded",
            "Voice frames the SFU wrote to listeners",
            voice.frames_out.clone(),
        );
        registry.register(
            "voice_forward_seconds",
            "From a voice frame read by the SFU to its last copy written to a listener",
            voice.forward_seconds.clone(),
        );
        registry.register(
            "voice_tcp_connections",
            "Open voice connections over TCP (networks that block UDP)",
            voice.tcp_connections.clone(),
        );
        Self {
            registry,
            connected_clients,
            tick_duration,
            bytes_sent,
            bytes_received,
            rejected_input,
            joins,
            voice,
            recent_ticks: Mutex::new(VecDeque::with_capacity(TICK_WINDOW)),
            phase_sums: Mutex::new(([0.0; TickPhase::COUNT], 0)),
        }
    }

    pub fn reject(&self, reason: &str) {
        self.rejected_input
            .get_or_create(&ReasonLabel {
                reason: reason.to_string(),
            })
            .inc();
    }

    pub fn join_result(&self, result: &str) {
        self.joins
            .get_or_create(&ReasonLabel {
                reason: result.to_string(),
            })
            .inc();
    }

    pub fn record_tick(&self, seconds: f64) {
        self.tick_duration.observe(seconds);
        let mut recent = self.recent_ticks.lock().unwrap_or_else(|e| e.into_inner());
        if recent.len() == TICK_WINDOW {
            recent.pop_front();
        }
        recent.push_back(seconds);
    }

    /// (p50, p99, max) of the recent tick durations in milliseconds, and the sample count.
    pub fn tick_percentiles_ms(&self) -> (f64, f64, f64, usize) {
        let mut v: Vec<f64> = self
            .recent_ticks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .copied()
            .collect();
        if v.is_empty() {
            return (0.0, 0.0, 0.0, 0);
        }
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize] * 1000.0;
        (at(0.5), at(0.99), at(1.0), v.len())
    }

    pub fn clear_recent_ticks(&self) {
        self.recent_ticks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        *self.phase_sums.lock().unwrap_or_else(|e| e.into_inner()) = ([0.0; TickPhase::COUNT], 0);
    }

    pub fn record_phases(&self, laps: &[f64; TickPhase::COUNT]) {
        let mut sums = self.phase_sums.lock().unwrap_or_else(|e| e.into_inner());
        for (sum, lap) in sums.0.iter_mut().zip(laps) {
            *sum += lap;
        }
        sums.1 += 1;
    }

    /// Mean milliseconds per phase since the last reset.
    pub fn phase_means_ms(&self) -> Vec<(&'static str, f64)> {
        let sums = self.phase_sums.lock().unwrap_or_else(|e| e.into_inner());
        let n = sums.1.max(1) as f64;
        TickPhase::NAMES
            .iter()
            .zip(sums.0)
            .map(|(name, s)| (*name, s / n * 1000.0))
            .collect()
    }

    pub fn encode(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .expect("writing to a String");
        out
    }
}
