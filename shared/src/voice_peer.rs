//! A native voice peer of the server's SFU: a str0m client on its own UDP socket that offers
//! the microphone and the receive slots as a browser does (the offer and answer travel over the
//! game connection, which the caller owns), sends one Opus frame at a time and hands back what
//! arrives in each slot. Bots speak through it, and so does the desktop client.
//!
//! Where UDP is blocked it also reaches the SFU over TCP: after the answer it connects to the
//! server's passive TCP candidate and offers an active one of its own (RFC 6544, packets framed
//! by a two-byte length, RFC 4571); ICE then picks UDP when it works, TCP when it does not.

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use str0m::change::{SdpAnswer, SdpPendingOffer};
use str0m::media::{Direction, Frequency, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive, TcpType, Transmit};
use str0m::{Candidate, Event, Input, Output, Rtc};

use crate::protocol::domain::voice::RECEIVE_SLOTS;

/// Samples per 20 ms Opus frame at 48 kHz.
pub const FRAME_SAMPLES: u64 = 960;

/// A frame that arrived in a receive slot.
#[derive(Debug, Clone)]
pub struct Received {
    /// 0.. [`crate::protocol::domain::voice::SPATIAL_SLOTS`] spatial, then the broadcast slot.
    pub slot: usize,
    /// The frame's media time in 48 kHz samples (consecutive frames are 960 apart; a jump
    /// means another speaker or a new talk spurt).
    pub time: u64,
    pub payload: Vec<u8>,
}

/// Which ways to the SFU a peer tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transports {
    Udp,
    Tcp,
    /// Both: UDP when it gets through, TCP otherwise (the desktop client).
    Both,
}

/// The peer's TCP connection to the SFU, once the answer named the server's TCP candidate.
struct TcpLink {
    stream: TcpStream,
    local: SocketAddr,
    remote: SocketAddr,
    /// Bytes read but not yet a whole frame.
    inbox: Vec<u8>,
    /// Framed bytes not yet taken by the socket.
    outbox: Vec<u8>,
}

impl TcpLink {
    fn connect(server: SocketAddr) -> Option<TcpLink> {
        let stream = TcpStream::connect_timeout(&server, Duration::from_secs(3)).ok()?;
        stream.set_nonblocking(true).ok()?;
        let _ = stream.set_nodelay(true);
        Some(TcpLink {
            local: stream.local_addr().ok()?,
            remote: server,
            stream,
            inbox: Vec::new(),
            outbox: Vec::new(),
        })
    }

    fn queue(&mut self, packet: &[u8]) {
        if let Ok(n) = u16::try_from(packet.len()) {
            self.outbox.extend_from_slice(&n.to_be_bytes());
            self.outbox.extend_from_slice(packet);
        }
        self.flush();
    }

    fn flush(&mut self) {
        while !self.outbox.is_empty() {
            match self.stream.write(&self.outbox) {
                Ok(0) => return,
                Ok(n) => {
                    self.outbox.drain(..n);
                }
                Err(_) => return,
            }
        }
    }

    /// Reads what arrived and returns the whole frames in it.
    fn frames(&mut self) -> Vec<Vec<u8>> {
        let mut buf = [0u8; 4096];
        loop {
            match self.stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => self.inbox.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let mut frames = Vec::new();
        while self.inbox.len() >= 2 {
            let n = u16::from_be_bytes([self.inbox[0], self.inbox[1]]) as usize;
            if self.inbox.len() < 2 + n {
                break;
            }
            frames.push(self.inbox[2..2 + n].to_vec());
            self.inbox.drain(..2 + n);
        }
        frames
    }
}

/// The server's passive TCP candidate in an SDP answer
/// (`a=candidate:<foundation> 1 tcp <priority> <ip> <port> typ host tcptype passive`).
fn tcp_candidate(sdp: &str) -> Option<SocketAddr> {
    sdp.lines().find_map(|line| {
        let fields: Vec<&str> = line.strip_prefix("a=candidate:")?.split(' ').collect();
        let passive = fields.windows(2).any(|w| w == ["tcptype", "passive"]);
        if fields.get(2)?.eq_ignore_ascii_case("tcp") && passive {
            Some(SocketAddr::new(
                fields.get(4)?.parse().ok()?,
                fields.get(5)?.parse().ok()?,
            ))
        } else {
            None
        }
    })
}

pub struct VoicePeer {
    rtc: Rtc,
    socket: Option<UdpSocket>,
    local: Option<SocketAddr>,
    transports: Transports,
    tcp: Option<TcpLink>,
    offer: Option<String>,
    pending: Option<SdpPendingOffer>,
    send: Mid,
    receive: Vec<Mid>,
    connected: bool,
    media_time: u64,
    /// Something arrived over UDP (ICE then uses it rather than TCP).
    udp_heard: bool,
    /// The server's TCP candidate, while a peer that tries both waits to see whether UDP gets
    /// through before it opens a connection nobody may need.
    tcp_fallback: Option<(SocketAddr, Instant)>,
}

/// How long a peer that tries both waits for UDP before it connects over TCP.
pub const UDP_GRACE: Duration = Duration::from_secs(2);

/// What the benchmark's silent listeners throw away unread: RTP and RTCP. Returns whether
/// `packet` is one of them and counts the RTP ones in `dropped`.
/// RFC 7983: RTP and RTCP start with 128..=191, STUN with 0..=3, DTLS with 20..=63; RTCP's
/// packet types 200..=204 sit where RTP has marker bit and payload type.
fn thrown_away(packet: &[u8], dropped: &mut usize) -> bool {
    if packet.len() < 2 || !(128..=191).contains(&packet[0]) {
        return false;
    }
    if !(72..=76).contains(&(packet[1] & 0x7f)) {
        *dropped += 1;
    }
    true
}

impl VoicePeer {
    /// A peer on a fresh UDP port of `ip` (the address the SFU answers at).
    pub fn new(ip: IpAddr) -> std::io::Result<VoicePeer> {
        VoicePeer::with(ip, Transports::Udp)
    }

    /// A peer that tries the given ways (TCP connects once the answer is in).
    pub fn with(ip: IpAddr, transports: Transports) -> std::io::Result<VoicePeer> {
        static CRYPTO: std::sync::Once = std::sync::Once::new();
        CRYPTO.call_once(|| str0m::crypto::from_feature_flags().install_process_default());
        let mut rtc = Rtc::builder()
            .clear_codecs()
            .enable_opus(true, false)
            .build(Instant::now());
        let (socket, local) = if transports == Transports::Tcp {
            (None, None)
        } else {
            let socket = UdpSocket::bind(SocketAddr::new(ip, 0))?;
            socket.set_nonblocking(true)?;
            let local = socket.local_addr()?;
            if let Ok(c) = Candidate::host(local, "udp") {
                rtc.add_local_candidate(c);
            }
            (Some(socket), Some(local))
        };
        let mut api = rtc.sdp_api();
        let send = api.add_media(MediaKind::Audio, Direction::SendOnly, None, None, None);
        let receive: Vec<Mid> = (0..RECEIVE_SLOTS)
            .map(|_| api.add_media(MediaKind::Audio, Direction::RecvOnly, None, None, None))
            .collect();
        let (offer, pending) = api
            .apply()
            .ok_or_else(|| std::io::Error::other("str0m made no offer"))?;
        Ok(VoicePeer {
            rtc,
            socket,
            local,
            transports,
            tcp: None,
            offer: Some(offer.to_sdp_string()),
            pending: Some(pending),
            send,
            receive,
            connected: false,
            media_time: 0,
            udp_heard: false,
            tcp_fallback: None,
        })
    }

    /// The SDP offer, once: the caller sends it to the server over the game connection.
    pub fn take_offer(&mut self) -> Option<String> {
        self.offer.take()
    }

    /// Completes the negotiation with the server's answer; false if it does not fit the offer.
    /// A TCP-only peer connects to the server's TCP candidate now; one that tries both does so
    /// only if UDP has not connected within [`UDP_GRACE`] (see `pump`).
    pub fn accept_answer(&mut self, sdp: &str) -> bool {
        let (Some(pending), Ok(answer)) = (self.pending.take(), SdpAnswer::from_sdp_string(sdp))
        else {
            return false;
        };
        if self.rtc.sdp_api().accept_answer(pending, answer).is_err() {
            return false;
        }
        match (self.transports, tcp_candidate(sdp)) {
            (Transports::Tcp, Some(server)) => self.connect_tcp(server),
            (Transports::Both, Some(server)) => {
                self.tcp_fallback = Some((server, Instant::now() + UDP_GRACE));
            }
            _ => {}
        }
        true
    }

    /// Opens the TCP connection to the SFU and offers it to ICE as an active candidate.
    fn connect_tcp(&mut self, server: SocketAddr) {
        self.tcp = TcpLink::connect(server);
        let active = self.tcp.as_ref().and_then(|link| {
            Candidate::builder()
                .tcp()
                .host(link.local)
                .tcptype(TcpType::Active)
                .build()
                .ok()
        });
        if let Some(c) = active {
            self.rtc.add_local_candidate(c);
        }
    }

    /// Whether media flows over TCP (the TCP connection is up and UDP is not tried or failed).
    pub fn over_tcp(&self) -> bool {
        self.tcp.is_some() && (self.socket.is_none() || !self.udp_heard)
    }

    /// Whether the offer went out and the answer was accepted.
    pub fn answered(&self) -> bool {
        self.offer.is_none() && self.pending.is_none()
    }

    /// ICE and DTLS are through: frames can flow.
    pub fn connected(&self) -> bool {
        self.connected
    }

    /// Drives the connection: datagrams in and out, timers. Frames that arrived are appended to
    /// `received`.
    pub fn pump(&mut self, received: &mut Vec<Received>) {
        self.pump_filtered(received, true);
    }

    /// Keeps the connection alive (ICE checks, DTLS) but throws the media away unread: the
    /// voice benchmark's silent majority of listeners, so that decrypting 50,000 packets a
    /// second on the benchmark's side does not starve the server it measures.
    /// Returns how many RTP packets it threw away.
    pub fn pump_without_media(&mut self) -> usize {
        self.pump_filtered(&mut Vec::new(), false)
    }

    fn pump_filtered(&mut self, received: &mut Vec<Received>, media: bool) -> usize {
        if let Some((server, due)) = self.tcp_fallback
            && Instant::now() >= due
        {
            self.tcp_fallback = None;
            if !self.connected {
                self.connect_tcp(server);
            }
        }
        let mut buf = [0u8; 2000];
        let mut dropped = 0;
        while let (Some(socket), Some(local)) = (&self.socket, self.local) {
            let Ok((n, source)) = socket.recv_from(&mut buf) else {
                break;
            };
            if !media && thrown_away(&buf[..n], &mut dropped) {
                continue;
            }
            self.udp_heard = true;
            self.handle(Protocol::Udp, source, local, &buf[..n], received);
        }
        let frames = self.tcp.as_mut().map(|link| {
            link.flush();
            (link.remote, link.local, link.frames())
        });
        if let Some((remote, local, frames)) = frames {
            for frame in frames {
                if !media && thrown_away(&frame, &mut dropped) {
                    continue;
                }
                self.handle(Protocol::Tcp, remote, local, &frame, received);
            }
        }
        let _ = self.rtc.handle_input(Input::Timeout(Instant::now()));
        self.drain(received);
        dropped
    }

    /// Hands one packet that arrived to str0m and drains what it answers.
    fn handle(
        &mut self,
        proto: Protocol,
        source: SocketAddr,
        destination: SocketAddr,
        bytes: &[u8],
        received: &mut Vec<Received>,
    ) {
        let Ok(contents) = bytes.try_into() else {
            return;
        };
        let input = Input::Receive(
            Instant::now(),
            Receive {
                proto,
                source,
                destination,
                contents,
            },
        );
        let _ = self.rtc.handle_input(input);
        self.drain(received);
    }

    fn transmit(&mut self, t: &Transmit) {
        match (t.proto, &self.socket, &mut self.tcp) {
            (Protocol::Udp, Some(socket), _) => {
                let _ = socket.send_to(&t.contents, t.destination);
            }
            (Protocol::Tcp, _, Some(link)) if link.remote == t.destination => {
                link.queue(&t.contents);
            }
            _ => {}
        }
    }

    /// Sends one 20 ms frame from the microphone with its RFC 6464 level (dBov, 0 loudest,
    /// -127 silence) and voice-activity flag, which the SFU ranks speakers by.
    pub fn send_frame(&mut self, payload: Vec<u8>, level: i8, voiced: bool) -> bool {
        if !self.connected {
            return false;
        }
        let Some(writer) = self.rtc.writer(self.send) else {
            return false;
        };
        let Some(pt) = writer.payload_params().next().map(|p| p.pt()) else {
            return false;
        };
        let time = MediaTime::new(self.media_time, Frequency::FORTY_EIGHT_KHZ);
        self.media_time += FRAME_SAMPLES;
        let sent = writer
            .audio_level(level, voiced)
            .write(pt, Instant::now(), time, payload)
            .is_ok();
        let mut ignored = Vec::new();
        self.drain(&mut ignored);
        sent
    }

    fn drain(&mut self, received: &mut Vec<Received>) {
        while let Ok(output) = self.rtc.poll_output() {
            match output {
                Output::Timeout(_) => break,
                Output::Transmit(t) => self.transmit(&t),
                Output::Event(Event::Connected) => self.connected = true,
                Output::Event(Event::MediaData(data)) => {
                    if let Some(slot) = self.receive.iter().position(|m| *m == data.mid) {
                        received.push(Received {
                            slot,
                            time: data.time.rebase(Frequency::FORTY_EIGHT_KHZ).numer(),
                            payload: data.data.to_vec(),
                        });
                    }
                }
                Output::Event(_) => {}
            }
        }
    }
}
