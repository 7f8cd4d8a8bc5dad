//! The desktop's voice engine on its own thread: the shared str0m peer, Opus both ways, a
//! jitter buffer per receive slot, and the mix placed by where each speaker stands. It meets
//! the sound card only through two sample queues ([`AudioRings`]): the microphone fills
//! `capture`, the speakers drain `playback` (stereo, interleaved). Tests fill and drain them
//! themselves, so the whole path except the sound card runs headless.

use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use stadtlab_shared::protocol::domain::voice::RECEIVE_SLOTS;
use stadtlab_shared::voice_peer::{Received, Transports, VoicePeer};

use super::codec::{FRAME, VoiceDecoder, VoiceEncoder, energy, level};
use super::jitter::{JitterBuffer, Playout};
use super::spatial::{Placement, mix_into};

const TICK: Duration = Duration::from_millis(20);
/// Playback queued ahead of the sound card at most (more is dropped: latency, not a backlog).
const MAX_PLAYBACK_FRAMES: usize = 8;
/// Microphone samples kept at most while nobody takes them.
const MAX_CAPTURE_FRAMES: usize = 10;

/// The two sample queues between the engine and the sound card.
#[derive(Debug, Clone, Default)]
pub struct AudioRings {
    /// Mono 48 kHz from the microphone.
    pub capture: Arc<Mutex<VecDeque<f32>>>,
    /// Stereo 48 kHz (left, right, left, …) for the speakers.
    pub playback: Arc<Mutex<VecDeque<f32>>>,
}

/// What the game side sets and reads while the engine runs.
#[derive(Debug, Clone)]
pub struct EngineState {
    /// Where each slot plays from (spatial slots, then the broadcast slot); `None`: silent.
    pub placements: [Option<Placement>; RECEIVE_SLOTS],
    /// Push-to-talk held (or the open microphone chosen).
    pub talking: bool,
    /// Measure the microphone's level without sending (the settings' meter is shown).
    pub metering: bool,
    /// Volume of others, 0..=1.
    pub volume: f32,
    // Read back:
    pub connected: bool,
    pub frames_sent: u64,
    pub frames_received: u64,
    /// The loudness of the last microphone frame (dBov).
    pub mic_level: i8,
    /// Energy of everything played so far (tests and the level meter look at it).
    pub played_energy: f32,
}

impl Default for EngineState {
    fn default() -> Self {
        EngineState {
            placements: [None; RECEIVE_SLOTS],
            talking: false,
            metering: false,
            volume: 1.0,
            connected: false,
            frames_sent: 0,
            frames_received: 0,
            mic_level: -127,
            played_energy: 0.0,
        }
    }
}

pub struct VoiceEngine {
    pub state: Arc<Mutex<EngineState>>,
    offer: Option<String>,
    answers: std::sync::mpsc::Sender<String>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl VoiceEngine {
    /// Starts a peer on `ip` (the local address that reaches the server) and the engine thread.
    pub fn start(ip: IpAddr, rings: AudioRings) -> Result<VoiceEngine, String> {
        // UDP when it gets through, TCP to the voice port where a network blocks UDP.
        let mut peer = VoicePeer::with(ip, Transports::Both).map_err(|e| e.to_string())?;
        let offer = peer.take_offer();
        let encoder = VoiceEncoder::new().map_err(|e| e.to_string())?;
        let decoders = (0..RECEIVE_SLOTS)
            .map(|_| VoiceDecoder::new())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        let state = Arc::new(Mutex::new(EngineState::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (answers, answer_rx) = std::sync::mpsc::channel();
        let mut run = Run {
            peer,
            encoder,
            decoders,
            jitter: (0..RECEIVE_SLOTS)
                .map(|_| JitterBuffer::default())
                .collect(),
            rings,
            state: state.clone(),
            arrived: Vec::new(),
        };
        let stopping = stop.clone();
        let thread = std::thread::Builder::new()
            .name("voice".into())
            .spawn(move || run.run(&answer_rx, &stopping))
            .map_err(|e| e.to_string())?;
        Ok(VoiceEngine {
            state,
            offer,
            answers,
            stop,
            thread: Some(thread),
        })
    }

    /// The SDP offer, once, for the server.
    pub fn take_offer(&mut self) -> Option<String> {
        self.offer.take()
    }

    /// The server's answer.
    pub fn answer(&self, sdp: String) {
        let _ = self.answers.send(sdp);
    }

    /// Changes what the game side sets (placements, talking, volume).
    pub fn update(&self, f: impl FnOnce(&mut EngineState)) {
        if let Ok(mut s) = self.state.lock() {
            f(&mut s);
        }
    }

    /// A copy of the state.
    pub fn snapshot(&self) -> EngineState {
        self.state.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Drop for VoiceEngine {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Run {
    peer: VoicePeer,
    encoder: VoiceEncoder,
    decoders: Vec<VoiceDecoder>,
    jitter: Vec<JitterBuffer>,
    rings: AudioRings,
    state: Arc<Mutex<EngineState>>,
    arrived: Vec<Received>,
}

impl Run {
    fn run(&mut self, answers: &std::sync::mpsc::Receiver<String>, stop: &AtomicBool) {
        let mut next = Instant::now() + TICK;
        while !stop.load(Ordering::Relaxed) {
            if let Ok(sdp) = answers.try_recv() {
                self.peer.accept_answer(&sdp);
            }
            self.peer.pump(&mut self.arrived);
            let n = self.arrived.len() as u64;
            for frame in self.arrived.drain(..) {
                self.jitter[frame.slot].push(frame.time, frame.payload);
            }
            if let Ok(mut s) = self.state.lock() {
                s.connected = self.peer.connected();
                s.frames_received += n;
            }
            let now = Instant::now();
            if now >= next {
                // Behind by more than a few frames (a suspended laptop): skip, don't rush.
                next = if now - next > TICK * 5 {
                    now + TICK
                } else {
                    next + TICK
                };
                let state = self.state.lock().map(|s| s.clone()).unwrap_or_default();
                self.speak(&state);
                self.play(&state);
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// One frame from the microphone, if push-to-talk is held and a whole frame is there
    /// (while only metering: its level, nothing sent).
    fn speak(&mut self, state: &EngineState) {
        let frame: Option<Vec<f32>> = {
            let Ok(mut capture) = self.rings.capture.lock() else {
                return;
            };
            let excess = capture.len().saturating_sub(MAX_CAPTURE_FRAMES * FRAME);
            capture.drain(..excess);
            if !(state.talking || state.metering) {
                capture.clear();
                None
            } else if capture.len() >= FRAME {
                Some(capture.drain(..FRAME).collect())
            } else {
                None
            }
        };
        let Some(pcm) = frame else { return };
        let (db, voiced) = level(&pcm);
        if !state.talking {
            if let Ok(mut s) = self.state.lock() {
                s.mic_level = db;
            }
            return;
        }
        let Ok(packet) = self.encoder.encode(&pcm) else {
            return;
        };
        let sent = self.peer.send_frame(packet, db, voiced);
        if let Ok(mut s) = self.state.lock() {
            s.mic_level = db;
            s.frames_sent += u64::from(sent);
        }
    }

    /// 20 ms of every slot, placed and mixed, onto the playback queue.
    fn play(&mut self, state: &EngineState) {
        let mut stereo = vec![0.0f32; FRAME * 2];
        let mut any = false;
        for slot in 0..RECEIVE_SLOTS {
            let pcm = match self.jitter[slot].pop() {
                Playout::Frame(packet) => self.decoders[slot].decode(Some(&packet)),
                Playout::Lost => self.decoders[slot].decode(None),
                Playout::Silence => continue,
            };
            if let Some(placement) = state.placements[slot] {
                mix_into(&mut stereo, &pcm, placement, state.volume);
                any = true;
            }
        }
        // Several loud voices at once must not wrap around: a soft limit.
        for s in &mut stereo {
            *s = s.clamp(-1.0, 1.0);
        }
        let played = if any { energy(&stereo) } else { 0.0 };
        if let Ok(mut playback) = self.rings.playback.lock()
            && playback.len() < MAX_PLAYBACK_FRAMES * FRAME * 2
        {
            playback.extend(stereo);
        }
        if let Ok(mut s) = self.state.lock() {
            s.played_energy += played;
        }
    }
}
