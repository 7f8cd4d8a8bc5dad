//! The SFU loop: one UDP socket for every voice peer (and the same port on TCP for networks
//! that block UDP, see `tcp`) and one str0m `Rtc` (sans-IO, ICE-lite) per peer, on a thread of
//! its own. It takes commands from the game loop (offers, the plan of
//! who feeds which receive slot, moderator mutes, leaving) and answers with SDP answers,
//! refusals and who is talking. Frames are forwarded as they arrive: never decoded, never kept.

use std::collections::HashMap;
use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

use stadtlab_shared::protocol::VoiceRefusal;
use str0m::change::SdpOffer;
use str0m::media::{MediaData, Mid};
use str0m::net::{Protocol, Receive, TcpType, Transmit};
use str0m::{Candidate, Event, Input, Output, Rtc};

use super::offer::OfferShape;
use super::tcp::TcpSide;
use crate::admission::RoomId;
use crate::metrics::VoiceCounters;

/// One person in voice: their avatar in a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeerKey {
    pub room: RoomId,
    pub avatar: u16,
}

/// game → SFU.
#[derive(Debug, Clone, PartialEq)]
pub enum SfuCmd {
    /// A checked offer; `host` is the address the client reached the game at.
    Offer {
        key: PeerKey,
        sdp: String,
        shape: OfferShape,
        host: IpAddr,
    },
    Leave {
        key: PeerKey,
    },
    /// What this listener's receive slots carry: the spatial ones, then the broadcast slot.
    Plan {
        key: PeerKey,
        slots: Vec<Option<PeerKey>>,
    },
    /// A moderator's mute: nothing of this peer is forwarded while set.
    Block {
        key: PeerKey,
        blocked: bool,
    },
    Stop,
}

/// SFU → game.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SfuEvent {
    Answer {
        key: PeerKey,
        sdp: String,
    },
    Refused {
        key: PeerKey,
        reason: VoiceRefusal,
    },
    Talking {
        key: PeerKey,
        talking: bool,
    },
    /// The peer's connection ended (it left, or ICE/DTLS timed out).
    Gone {
        key: PeerKey,
    },
}

/// How long a voice counts as talking after its last voiced frame.
const TALK_HOLD: Duration = Duration::from_millis(600);

struct Peer {
    rtc: Rtc,
    /// Its local candidates' address (UDP and TCP share it): str0m matches a packet's
    /// destination against it, and a socket bound to 0.0.0.0 does not say which address a
    /// packet came in at.
    candidate: SocketAddr,
    send: Mid,
    receive: Vec<Mid>,
    slots: Vec<Option<PeerKey>>,
    blocked: bool,
    last_voiced: Option<Instant>,
    talking: bool,
    /// When it next wants `Input::Timeout`.
    wake: Instant,
}

/// Where packets leave: the UDP socket, or the TCP connection they are addressed to.
pub struct Wire {
    pub socket: UdpSocket,
    /// Offer the UDP candidate (off: TCP only, where the host's firewall lets only TCP in).
    pub udp: bool,
    pub tcp: Option<TcpSide>,
}

impl Wire {
    fn send(&self, t: &Transmit) {
        match (t.proto, &self.tcp) {
            (Protocol::Udp, _) => {
                let _ = self.socket.send_to(&t.contents, t.destination);
            }
            (Protocol::Tcp, Some(tcp)) => {
                tcp.send(t.destination, &t.contents);
            }
            _ => {}
        }
    }
}

pub struct Sfu {
    wire: Wire,
    /// The port clients are told (behind NAT or an orchestrator's mapping it differs).
    public_port: u16,
    peers: HashMap<PeerKey, Peer>,
    /// Which peer a remote address belongs to (found by ICE once, then looked up).
    routes: HashMap<(Protocol, SocketAddr), PeerKey>,
    events: Sender<SfuEvent>,
    counters: VoiceCounters,
}

/// Whether a frame carries voice, from the RFC 6464 header extension (the V flag or a level
/// above -50 dBov: 0 is loudest, -127 silence; browsers set both), else its size (Opus DTX and
/// comfort noise are tiny).
fn voiced(data: &MediaData) -> bool {
    match (data.ext_vals.voice_activity, data.ext_vals.audio_level) {
        (None, None) => data.data.len() > 10,
        (v, level) => v == Some(true) || level.is_some_and(|l| l > -50),
    }
}

/// Polls one peer until it wants its timer: sends what it transmits, collects its microphone
/// frames (unless a moderator blocked it), notes whether it ended. str0m's one rule: every
/// mutation of an `Rtc` is followed by this.
fn drain(
    key: PeerKey,
    peer: &mut Peer,
    wire: &Wire,
    frames: &mut Vec<(PeerKey, MediaData)>,
    gone: &mut Vec<PeerKey>,
) -> Instant {
    loop {
        if !peer.rtc.is_alive() {
            gone.push(key);
            return Instant::now();
        }
        match peer.rtc.poll_output() {
            Ok(Output::Timeout(t)) => {
                peer.wake = t;
                return t;
            }
            Ok(Output::Transmit(t)) => wire.send(&t),
            Ok(Output::Event(Event::MediaData(data))) => {
                if data.mid == peer.send && !peer.blocked {
                    if voiced(&data) {
                        peer.last_voiced = Some(data.network_time);
                    }
                    frames.push((key, data));
                }
            }
            Ok(Output::Event(Event::Connected)) => {
                tracing::info!(room = %key.room.0, avatar = key.avatar, "voice connected");
            }
            Ok(Output::Event(_)) => {}
            Err(e) => {
                tracing::debug!(error = %e, "voice peer failed");
                peer.rtc.disconnect();
            }
        }
    }
}

impl Sfu {
    pub fn new(
        wire: Wire,
        public_port: u16,
        events: Sender<SfuEvent>,
        counters: VoiceCounters,
    ) -> std::io::Result<Sfu> {
        Ok(Sfu {
            wire,
            public_port,
            peers: HashMap::new(),
            routes: HashMap::new(),
            events,
            counters,
        })
    }

    /// Runs until `Stop` or the game loop goes away.
    pub fn run(mut self, commands: Receiver<SfuCmd>) {
        let mut buf = vec![0u8; 2000];
        let mut next = self.drive(Instant::now());
        loop {
            let mut changed = false;
            loop {
                match commands.try_recv() {
                    Ok(SfuCmd::Stop) | Err(TryRecvError::Disconnected) => return,
                    Ok(cmd) => {
                        self.command(cmd);
                        changed = true;
                    }
                    Err(TryRecvError::Empty) => break,
                }
            }
            // Every peer is driven when one wants its timer or a command changed something;
            // a datagram drives only the peer it is for (see `receive`).
            let now = Instant::now();
            if changed || now >= next {
                next = self.drive(now);
            }
            // Commands wait at most a few milliseconds (the game plans every 100 ms).
            let wait = next
                .saturating_duration_since(Instant::now())
                .clamp(Duration::from_millis(1), Duration::from_millis(5));
            let _ = self.wire.socket.set_read_timeout(Some(wait));
            match self.wire.socket.recv_from(&mut buf) {
                Ok((n, source)) => {
                    if let Some(wake) = self.receive(&buf[..n], source, Protocol::Udp) {
                        next = next.min(wake);
                    }
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) => tracing::debug!(error = %e, "voice socket"),
            }
            // TCP frames wait at most one socket timeout (a few milliseconds).
            while let Some(frame) = self
                .wire
                .tcp
                .as_ref()
                .and_then(|t| t.frames.try_recv().ok())
            {
                match self.receive(&frame.bytes, frame.source, Protocol::Tcp) {
                    Some(wake) => next = next.min(wake),
                    // Nobody's: a stray or hostile connection.
                    None => {
                        if let Some(tcp) = &self.wire.tcp {
                            tcp.close(frame.source);
                        }
                    }
                }
            }
        }
    }

    fn command(&mut self, cmd: SfuCmd) {
        match cmd {
            SfuCmd::Offer {
                key,
                sdp,
                shape,
                host,
            } => self.offer(key, &sdp, shape, host),
            SfuCmd::Leave { key } => {
                if let Some(mut peer) = self.forget(key) {
                    peer.rtc.disconnect();
                }
            }
            SfuCmd::Plan { key, slots } => {
                if let Some(peer) = self.peers.get_mut(&key) {
                    peer.slots = slots;
                }
            }
            SfuCmd::Block { key, blocked } => {
                if let Some(peer) = self.peers.get_mut(&key) {
                    peer.blocked = blocked;
                }
            }
            SfuCmd::Stop => {}
        }
    }

    fn offer(&mut self, key: PeerKey, sdp: &str, shape: OfferShape, host: IpAddr) {
        let refuse = |events: &Sender<SfuEvent>, reason| {
            let _ = events.send(SfuEvent::Refused { key, reason });
        };
        let offer = match SdpOffer::from_sdp_string(sdp) {
            Ok(offer) => offer,
            Err(e) => {
                tracing::debug!(error = %e, "voice offer not parsed");
                return refuse(&self.events, VoiceRefusal::BadOffer);
            }
        };
        let mut rtc = Rtc::builder()
            .set_ice_lite(true)
            .clear_codecs()
            .enable_opus(true, false)
            .build(Instant::now());
        let address = SocketAddr::new(host, self.public_port);
        let udp = self.wire.udp.then(|| Candidate::host(address, "udp"));
        // Passive: the browser connects to us; its priority is below UDP's (str0m's type
        // preference for TCP host candidates), so it is used only when UDP fails.
        let tcp = self.wire.tcp.as_ref().map(|_| {
            Candidate::builder()
                .tcp()
                .host(address)
                .tcptype(TcpType::Passive)
                .build()
        });
        let candidates: Vec<Candidate> = udp.into_iter().chain(tcp).flatten().collect();
        if candidates.is_empty() {
            return refuse(&self.events, VoiceRefusal::Disabled);
        }
        for candidate in candidates {
            rtc.add_local_candidate(candidate);
        }
        let answer = match rtc.sdp_api().accept_offer(offer) {
            Ok(answer) => answer,
            Err(e) => {
                tracing::debug!(error = %e, "voice offer not accepted");
                return refuse(&self.events, VoiceRefusal::BadOffer);
            }
        };
        // Registered before the answer leaves: the client's first STUN check may come first.
        let blocked = self.peers.get(&key).is_some_and(|p| p.blocked);
        self.peers.insert(
            key,
            Peer {
                rtc,
                candidate: address,
                send: Mid::from(shape.send.as_str()),
                receive: shape
                    .receive
                    .iter()
                    .map(|m| Mid::from(m.as_str()))
                    .collect(),
                slots: Vec::new(),
                blocked,
                last_voiced: None,
                talking: false,
                wake: Instant::now(),
            },
        );
        tracing::info!(room = %key.room.0, avatar = key.avatar, "voice offer answered");
        let _ = self.events.send(SfuEvent::Answer {
            key,
            sdp: answer.to_sdp_string(),
        });
    }

    /// Hands a packet to the peer it belongs to (known by its address after the first one;
    /// a new address is matched by ICE), drains that peer and forwards what it sent. Returns
    /// when that peer next wants its timer, or `None` when no peer takes the packet.
    fn receive(&mut self, bytes: &[u8], source: SocketAddr, proto: Protocol) -> Option<Instant> {
        let input = |destination| {
            Some(Input::Receive(
                Instant::now(),
                Receive {
                    proto,
                    source,
                    destination,
                    contents: bytes.try_into().ok()?,
                },
            ))
        };
        let accepts = |peer: &Peer| input(peer.candidate).is_some_and(|i| peer.rtc.accepts(&i));
        let known = self
            .routes
            .get(&(proto, source))
            .copied()
            .filter(|key| self.peers.get(key).is_some_and(accepts));
        let key = match known {
            Some(key) => key,
            None => {
                let key = *self.peers.iter().find(|(_, p)| accepts(p))?.0;
                self.routes.insert((proto, source), key);
                key
            }
        };
        let peer = self.peers.get_mut(&key)?;
        let _ = peer.rtc.handle_input(input(peer.candidate)?);
        let mut frames = Vec::new();
        let mut gone = Vec::new();
        let wake = drain(key, peer, &self.wire, &mut frames, &mut gone);
        self.bury(gone);
        if frames.is_empty() {
            Some(wake)
        } else {
            Some(wake.min(self.forward(frames)))
        }
    }

    fn bury(&mut self, gone: Vec<PeerKey>) {
        for key in gone {
            tracing::info!(room = %key.room.0, avatar = key.avatar, "voice peer gone");
            self.forget(key);
            let _ = self.events.send(SfuEvent::Gone { key });
        }
    }

    /// Drops a peer and the addresses it was known by (closing its TCP connections).
    fn forget(&mut self, key: PeerKey) -> Option<Peer> {
        let tcp = self.wire.tcp.as_ref();
        self.routes.retain(|(proto, source), k| {
            let keep = *k != key;
            if let (false, Protocol::Tcp, Some(tcp)) = (keep, proto, tcp) {
                tcp.close(*source);
            }
            keep
        });
        self.peers.remove(&key)
    }

    /// Wakes the peers whose timer is due (a new peer is due at once) and drains them, forwards
    /// media, reports talking; returns the earliest time a peer wants to be woken. Peers that
    /// are not due are left alone: polling one is not free, and with hundreds of peers some
    /// timer is always about to fire.
    fn drive(&mut self, now: Instant) -> Instant {
        let mut next = now + Duration::from_millis(100);
        let mut frames: Vec<(PeerKey, MediaData)> = Vec::new();
        let mut gone = Vec::new();
        for (key, peer) in self.peers.iter_mut() {
            if peer.wake <= now {
                let _ = peer.rtc.handle_input(Input::Timeout(now));
                drain(*key, peer, &self.wire, &mut frames, &mut gone);
            }
            next = next.min(peer.wake);
        }
        self.bury(gone);
        if !frames.is_empty() {
            next = next.min(self.forward(frames));
        }
        let now = Instant::now();
        for (key, peer) in self.peers.iter_mut() {
            let talking = !peer.blocked
                && peer
                    .last_voiced
                    .is_some_and(|t| now.duration_since(t) < TALK_HOLD);
            if talking != peer.talking {
                peer.talking = talking;
                let _ = self.events.send(SfuEvent::Talking { key: *key, talking });
            }
        }
        next
    }

    /// Writes each frame into the slots that carry its speaker; returns when the earliest of
    /// those listeners wants its timer.
    fn forward(&mut self, frames: Vec<(PeerKey, MediaData)>) -> Instant {
        let mut wake = Instant::now() + Duration::from_millis(100);
        let mut out = 0u64;
        let n = frames.len() as u64;
        for (source, data) in frames {
            let read_at = data.network_time;
            for (key, listener) in self.peers.iter_mut() {
                if *key == source {
                    continue;
                }
                let Some(slot) = listener.slots.iter().position(|s| *s == Some(source)) else {
                    continue;
                };
                let Some(&mid) = listener.receive.get(slot) else {
                    continue;
                };
                let Some(writer) = listener.rtc.writer(mid) else {
                    continue;
                };
                let Some(pt) = writer.match_params(data.params) else {
                    continue;
                };
                if writer
                    .write(pt, data.network_time, data.time, data.data.clone())
                    .is_ok()
                {
                    out += 1;
                }
                // The single-mutation rule: drain before the next write.
                while let Ok(output) = listener.rtc.poll_output() {
                    match output {
                        Output::Transmit(t) => self.wire.send(&t),
                        // str0m paces what it sends: what is not out yet leaves at this
                        // time, so the loop must wake the listener then, not at its next tick.
                        Output::Timeout(t) => {
                            listener.wake = t;
                            wake = wake.min(t);
                            break;
                        }
                        Output::Event(_) => {}
                    }
                }
            }
            self.counters
                .forward_seconds
                .observe(read_at.elapsed().as_secs_f64());
        }
        self.counters.frames_in.inc_by(n);
        self.counters.frames_out.inc_by(out);
        wake
    }
}
