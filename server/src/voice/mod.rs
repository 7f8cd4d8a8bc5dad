//! Voice: the SFU inside the server (str0m, one UDP port for all peers, on its own thread),
//! checked offers, and the plan of who each listener hears. Signalling travels over the game
//! connection (`game::handlers::voice`); the game loop plans the slots (`game::voice_plan`)
//! and never waits for the SFU: both sides talk through channels.
//!
//! The server never decodes audio and never records it: frames are forwarded as they arrive.

pub mod offer;
pub mod sfu;
pub mod slots;
pub mod tcp;

use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::sync::mpsc::{Receiver, Sender};
use std::thread::JoinHandle;

use stadtlab_shared::protocol::domain::voice::{RECEIVE_SLOTS, SPATIAL_SLOTS};

use crate::config::GameConfig;
use crate::game::rate::TokenBucket;
use crate::metrics::VoiceCounters;
pub use sfu::{PeerKey, SfuCmd, SfuEvent};

/// Offers one person may send in a burst, and the refill per second (a flood is refused).
const OFFER_BURST: f32 = 5.0;
const OFFERS_PER_SECOND: f32 = 0.1;

/// A person's voice, as the game loop keeps it.
#[derive(Debug)]
pub struct AvatarVoice {
    /// An offer was answered; the SFU holds a peer for this avatar.
    pub joined: bool,
    /// Who stopped their voice, while stopped.
    pub muted_by: Option<String>,
    /// Voiced within the last moments (reported by the SFU).
    pub talking: bool,
    /// What the receive slots carry, as last planned (spatial, then broadcast).
    pub slots: Vec<Option<u16>>,
    pub offers: TokenBucket,
    /// The parts of an offer that arrives in pieces, so far.
    pub offer_parts: Vec<String>,
}

impl AvatarVoice {
    pub fn new() -> AvatarVoice {
        AvatarVoice {
            joined: false,
            muted_by: None,
            talking: false,
            slots: vec![None; RECEIVE_SLOTS],
            offers: TokenBucket::new(OFFER_BURST, OFFERS_PER_SECOND),
            offer_parts: Vec::new(),
        }
    }

    pub fn spatial(&self) -> &[Option<u16>] {
        &self.slots[..SPATIAL_SLOTS]
    }
}

impl Default for AvatarVoice {
    fn default() -> Self {
        Self::new()
    }
}

/// The game loop's end of the SFU.
pub struct VoiceLink {
    pub commands: Sender<SfuCmd>,
    pub events: Receiver<SfuEvent>,
}

/// The running SFU thread.
pub struct VoiceHandle {
    pub addr: SocketAddr,
    commands: Sender<SfuCmd>,
    thread: Option<JoinHandle<()>>,
}

impl VoiceHandle {
    pub fn stop(&mut self) {
        let _ = self.commands.send(SfuCmd::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for VoiceHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Binds the voice port on UDP and, for ICE-TCP, the same number on TCP. Port 0 takes a free
/// UDP port; its number may be taken on TCP (the ranges are shared by outgoing connections),
/// so a few are tried.
fn bind(config: &GameConfig) -> anyhow::Result<(UdpSocket, Option<TcpListener>)> {
    let tries = if config.voice_port == 0 { 20 } else { 1 };
    let mut last = None;
    for _ in 0..tries {
        let socket = UdpSocket::bind(SocketAddr::new(config.bind_ip, config.voice_port))
            .map_err(|e| anyhow::anyhow!("binding the voice port {}: {e}", config.voice_port))?;
        if !config.voice_tcp {
            return Ok((socket, None));
        }
        let addr = socket.local_addr()?;
        match TcpListener::bind(addr) {
            Ok(listener) => return Ok((socket, Some(listener))),
            Err(e) => last = Some((addr.port(), e)),
        }
    }
    let (port, e) = last.expect("tried at least once");
    anyhow::bail!(
        "binding the voice port {port} on TCP (voice over TCP; `--voice-tcp false` turns it off): {e}"
    )
}

/// Binds the voice port and starts the SFU; returns its handle and the game loop's link.
pub fn start(
    config: &GameConfig,
    counters: VoiceCounters,
) -> anyhow::Result<(VoiceHandle, VoiceLink)> {
    str0m::crypto::from_feature_flags().install_process_default();
    let (socket, listener) = bind(config)?;
    let addr = socket.local_addr()?;
    let public_port = config.public_voice_port.unwrap_or(addr.port());
    let tcp = match listener {
        Some(listener) => Some(tcp::start(listener, counters.tcp_connections.clone())?),
        None => None,
    };
    let wire = sfu::Wire {
        socket,
        udp: config.voice_udp,
        tcp,
    };
    let (cmd_tx, cmd_rx) = std::sync::mpsc::channel();
    let (event_tx, event_rx) = std::sync::mpsc::channel();
    let sfu = sfu::Sfu::new(wire, public_port, event_tx, counters)?;
    let thread = std::thread::Builder::new()
        .name("voice-sfu".into())
        .spawn(move || sfu.run(cmd_rx))?;
    Ok((
        VoiceHandle {
            addr,
            commands: cmd_tx.clone(),
            thread: Some(thread),
        },
        VoiceLink {
            commands: cmd_tx,
            events: event_rx,
        },
    ))
}
