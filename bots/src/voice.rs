//! A bot as a voice peer: a str0m client on its own UDP socket that offers the microphone and
//! the receive slots as a browser does (signalling through the bot's game connection), sends a
//! 20 ms frame every 20 ms while "talking", and counts what arrives in each slot.
//!
//! The frames are an Opus TOC byte followed by the send time: the SFU forwards without
//! decoding, ranks speakers by the RFC 6464 flags the bot sets, and the receiving bot reads the
//! forward delay from the payload. (Bots talk to bots; browsers in tests speak real Opus.)

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use stadtlab_shared::protocol::domain::voice::RECEIVE_SLOTS;
use stadtlab_shared::protocol::{ClientMsg, ServerMsg, VoiceCmd, VoiceMsg, VoiceRefusal};
use str0m::change::{SdpAnswer, SdpPendingOffer};
use str0m::media::{Direction, Frequency, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc};

use crate::Bot;

const FRAME: Duration = Duration::from_millis(20);
/// Opus TOC: SILK wideband 20 ms, one frame (what a voice packet starts with).
const TOC: u8 = 0x48;

pub struct VoicePeer {
    rtc: Rtc,
    socket: UdpSocket,
    local: SocketAddr,
    offer: Option<String>,
    pending: Option<SdpPendingOffer>,
    send: Mid,
    receive: Vec<Mid>,
    /// Frames received per receive slot.
    pub received: Vec<u64>,
    /// Send-to-receive delays of forwarded frames.
    pub delays: Vec<Duration>,
    pub connected: bool,
    pub sent: u64,
    next_frame: Option<Instant>,
    media_time: u64,
    /// What the server said each slot carries (spatial, then broadcast).
    pub slots: Vec<Option<u16>>,
    pub muted_by: Option<(String, bool)>,
    pub refused: Option<VoiceRefusal>,
}

fn unix_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

impl VoicePeer {
    /// A peer on a fresh UDP port of `ip` (the address the SFU answers at).
    pub fn new(ip: IpAddr) -> std::io::Result<VoicePeer> {
        static CRYPTO: std::sync::Once = std::sync::Once::new();
        CRYPTO.call_once(|| str0m::crypto::from_feature_flags().install_process_default());
        let socket = UdpSocket::bind(SocketAddr::new(ip, 0))?;
        socket.set_nonblocking(true)?;
        let local = socket.local_addr()?;
        let mut rtc = Rtc::builder()
            .clear_codecs()
            .enable_opus(true, false)
            .build(Instant::now());
        if let Ok(c) = Candidate::host(local, "udp") {
            rtc.add_local_candidate(c);
        }
        let mut api = rtc.sdp_api();
        let send = api.add_media(MediaKind::Audio, Direction::SendOnly, None, None, None);
        let receive: Vec<Mid> = (0..RECEIVE_SLOTS)
            .map(|_| api.add_media(MediaKind::Audio, Direction::RecvOnly, None, None, None))
            .collect();
        let (offer, pending) = api.apply().expect("media were added");
        Ok(VoicePeer {
            rtc,
            socket,
            local,
            offer: Some(offer.to_sdp_string()),
            pending: Some(pending),
            send,
            receive,
            received: vec![0; RECEIVE_SLOTS],
            delays: Vec::new(),
            connected: false,
            sent: 0,
            next_frame: None,
            media_time: 0,
            slots: vec![None; RECEIVE_SLOTS],
            muted_by: None,
            refused: None,
        })
    }

    /// Sends the offer over the bot's game connection (once).
    pub fn offer(&mut self, bot: &mut Bot) {
        if let Some(sdp) = self.offer.take() {
            bot.send(&ClientMsg::Voice(VoiceCmd::Offer { sdp }));
        }
    }

    /// Sends the offer in parts, as a browser does over WebTransport (once).
    pub fn offer_in_parts(&mut self, bot: &mut Bot) {
        use stadtlab_shared::protocol::domain::voice::OFFER_PART_BYTES;
        if let Some(sdp) = self.offer.take() {
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
                    if let (Some(pending), Ok(answer)) =
                        (self.pending.take(), SdpAnswer::from_sdp_string(sdp))
                    {
                        let _ = self.rtc.sdp_api().accept_answer(pending, answer);
                    }
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
        let mut buf = [0u8; 2000];
        while let Ok((n, source)) = self.socket.recv_from(&mut buf) {
            let Ok(contents) = buf[..n].try_into() else {
                continue;
            };
            let input = Input::Receive(
                Instant::now(),
                Receive {
                    proto: Protocol::Udp,
                    source,
                    destination: self.local,
                    contents,
                },
            );
            let _ = self.rtc.handle_input(input);
            self.drain();
        }
        let now = Instant::now();
        let _ = self.rtc.handle_input(Input::Timeout(now));
        self.drain();
        if !(talking && self.connected) {
            self.next_frame = None;
            return;
        }
        let mut due = self.next_frame.unwrap_or(now);
        while due <= now {
            due += FRAME;
            self.next_frame = Some(due);
            let Some(writer) = self.rtc.writer(self.send) else {
                return;
            };
            let Some(pt) = writer.payload_params().next().map(|p| p.pt()) else {
                return;
            };
            let mut payload = vec![TOC];
            payload.extend_from_slice(&unix_micros().to_be_bytes());
            payload.resize(40, 0x55);
            let time = MediaTime::new(self.media_time, Frequency::FORTY_EIGHT_KHZ);
            self.media_time += 960;
            if writer
                .audio_level(-20, true)
                .write(pt, now, time, payload)
                .is_ok()
            {
                self.sent += 1;
            }
            self.drain();
        }
    }

    fn drain(&mut self) {
        while let Ok(output) = self.rtc.poll_output() {
            match output {
                Output::Timeout(_) => break,
                Output::Transmit(t) => {
                    let _ = self.socket.send_to(&t.contents, t.destination);
                }
                Output::Event(Event::Connected) => self.connected = true,
                Output::Event(Event::MediaData(data)) => {
                    if let Some(slot) = self.receive.iter().position(|m| *m == data.mid) {
                        self.received[slot] += 1;
                        if data.data.len() >= 9 {
                            let mut sent = [0u8; 8];
                            sent.copy_from_slice(&data.data[1..9]);
                            let delay = unix_micros().saturating_sub(u64::from_be_bytes(sent));
                            self.delays.push(Duration::from_micros(delay));
                        }
                    }
                }
                Output::Event(_) => {}
            }
        }
    }

    /// Frames received in all slots.
    pub fn total_received(&self) -> u64 {
        self.received.iter().sum()
    }
}
