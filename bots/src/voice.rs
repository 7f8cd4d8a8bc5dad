//! A bot as a voice peer: the shared str0m client (`stadtlab_shared::voice_peer`) with the
//! bot's game connection for signalling; it sends a 20 ms frame every 20 ms while "talking"
//! and counts what arrives in each slot.
//!
//! The frames are an Opus TOC byte followed by the send time: the SFU forwards without
//! decoding, ranks speakers by the RFC 6464 flags the bot sets, and the receiving bot reads the
//! forward delay from the payload. (Bots talk to bots; browsers and the desktop client speak
//! real Opus.)

use std::net::IpAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use stadtlab_shared::protocol::domain::voice::RECEIVE_SLOTS;
use stadtlab_shared::protocol::{ClientMsg, ServerMsg, VoiceCmd, VoiceMsg, VoiceRefusal};
pub use stadtlab_shared::voice_peer::Transports;
use stadtlab_shared::voice_peer::{self, Received};

use crate::Bot;

const FRAME: Duration = Duration::from_millis(20);
/// Opus TOC: SILK wideband 20 ms, one frame (what a voice packet starts with).
const TOC: u8 = 0x48;

pub struct VoicePeer {
    peer: voice_peer::VoicePeer,
    /// Frames received per receive slot.
    pub received: Vec<u64>,
    /// Media packets thrown away unread by [`VoicePeer::pump_without_media`].
    pub media_dropped: u64,
    /// Send-to-receive delays of forwarded frames.
    pub delays: Vec<Duration>,
    pub connected: bool,
    pub sent: u64,
    next_frame: Option<Instant>,
    /// What the server said each slot carries (spatial, then broadcast).
    pub slots: Vec<Option<u16>>,
    pub muted_by: Option<(String, bool)>,
    pub refused: Option<VoiceRefusal>,
    arrived: Vec<Received>,
}

fn unix_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

impl VoicePeer {
    /// A peer on a fresh UDP port of `ip` (the address the SFU answers at).
    pub fn new(ip: IpAddr) -> std::io::Result<VoicePeer> {
        VoicePeer::with(ip, Transports::Udp)
    }

    /// A peer that reaches the SFU the given ways (TCP: as a visitor whose network blocks UDP).
    pub fn with(ip: IpAddr, transports: Transports) -> std::io::Result<VoicePeer> {
        Ok(VoicePeer {
            peer: voice_peer::VoicePeer::with(ip, transports)?,
            received: vec![0; RECEIVE_SLOTS],
            media_dropped: 0,
            delays: Vec::new(),
            connected: false,
            sent: 0,
            next_frame: None,
            slots: vec![None; RECEIVE_SLOTS],
            muted_by: None,
            refused: None,
            arrived: Vec::new(),
        })
    }

    /// Sends the offer over the bot's game connection (once).
    pub fn offer(&mut self, bot: &mut Bot) {
        if let Some(sdp) = self.peer.take_offer() {
            bot.send(&ClientMsg::Voice(VoiceCmd::Offer { sdp }));
        }
    }

    /// Sends the offer in parts, as a browser does over WebTransport (once).
    pub fn offer_in_parts(&mut self, bot: &mut Bot) {
        use stadtlab_shared::protocol::domain::voice::OFFER_PART_BYTES;
        if let Some(sdp) = self.peer.take_offer() {
            let pieces: Vec<&[u8]> = sdp.as_bytes().chunks(OFFER_PART_BYTES).collect();
            for (i, piece) in pieces.iter().enumerate() {
                bot.send(&ClientMsg::Voice(VoiceCmd::OfferPart {
                    part: i as u8,
                    parts: pieces.len() as u8,
                    text: String::from_utf8_lossy(piece).into_owned(),
                }));
            }
        }
    }

    /// Reads what the server said about voice since `from` in the bot's inbox; returns the new
    /// position. The answer completes the negotiation.
    pub fn read_inbox(&mut self, bot: &Bot, from: usize) -> usize {
        for msg in &bot.inbox[from.min(bot.inbox.len())..] {
            match msg {
                ServerMsg::Voice(VoiceMsg::Answer { sdp }) => {
                    self.peer.accept_answer(sdp);
                }
                ServerMsg::Voice(VoiceMsg::Slots { spatial, broadcast }) => {
                    self.slots = spatial.clone();
                    self.slots.push(*broadcast);
                }
                ServerMsg::Voice(VoiceMsg::Muted { by, muted }) => {
                    self.muted_by = Some((by.clone(), *muted));
                }
                ServerMsg::Voice(VoiceMsg::Refused { reason }) => self.refused = Some(*reason),
                _ => {}
            }
        }
        bot.inbox.len()
    }

    /// Drives the connection: datagrams in and out, timers, and one frame per 20 ms while
    /// `talking`.
    pub fn pump(&mut self, talking: bool) {
        self.peer.pump(&mut self.arrived);
        self.connected = self.peer.connected();
        self.count_arrived();
        if !(talking && self.connected) {
            self.next_frame = None;
            return;
        }
        let now = Instant::now();
        let mut due = self.next_frame.unwrap_or(now);
        while due <= now {
            due += FRAME;
            self.next_frame = Some(due);
            let mut payload = vec![TOC];
            payload.extend_from_slice(&unix_micros().to_be_bytes());
            payload.resize(40, 0x55);
            if self.peer.send_frame(payload, -20, true) {
                self.sent += 1;
            }
        }
    }

    /// Keeps the connection alive without reading the media (see
    /// [`voice_peer::VoicePeer::pump_without_media`]).
    pub fn pump_without_media(&mut self) {
        self.media_dropped += self.peer.pump_without_media() as u64;
        self.connected = self.peer.connected();
    }

    fn count_arrived(&mut self) {
        for frame in self.arrived.drain(..) {
            self.received[frame.slot] += 1;
            if frame.payload.len() >= 9 {
                let mut sent = [0u8; 8];
                sent.copy_from_slice(&frame.payload[1..9]);
                let delay = unix_micros().saturating_sub(u64::from_be_bytes(sent));
                self.delays.push(Duration::from_micros(delay));
            }
        }
    }

    /// Whether the server's answer arrived and was accepted.
    pub fn answered(&self) -> bool {
        self.peer.answered()
    }

    /// Whether its media flows over TCP.
    pub fn over_tcp(&self) -> bool {
        self.peer.over_tcp()
    }

    /// Frames received in all slots.
    pub fn total_received(&self) -> u64 {
        self.received.iter().sum()
    }
}
