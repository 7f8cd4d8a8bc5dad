//! A native voice peer of the server's SFU: a str0m client on its own UDP socket that offers
//! the microphone and the receive slots as a browser does (the offer and answer travel over the
//! game connection, which the caller owns), sends one Opus frame at a time and hands back what
//! arrives in each slot. Bots speak through it, and so does the desktop client.

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::time::Instant;

use str0m::change::{SdpAnswer, SdpPendingOffer};
use str0m::media::{Direction, Frequency, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
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

pub struct VoicePeer {
    rtc: Rtc,
    socket: UdpSocket,
    local: SocketAddr,
    offer: Option<String>,
    pending: Option<SdpPendingOffer>,
    send: Mid,
    receive: Vec<Mid>,
    connected: bool,
    media_time: u64,
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
        let (offer, pending) = api
            .apply()
            .ok_or_else(|| std::io::Error::other("str0m made no offer"))?;
        Ok(VoicePeer {
            rtc,
            socket,
            local,
            offer: Some(offer.to_sdp_string()),
            pending: Some(pending),
            send,
            receive,
            connected: false,
            media_time: 0,
        })
    }

    /// The SDP offer, once: the caller sends it to the server over the game connection.
    pub fn take_offer(&mut self) -> Option<String> {
        self.offer.take()
    }

    /// Completes the negotiation with the server's answer; false if it does not fit the offer.
    pub fn accept_answer(&mut self, sdp: &str) -> bool {
        let (Some(pending), Ok(answer)) = (self.pending.take(), SdpAnswer::from_sdp_string(sdp))
        else {
            return false;
        };
        self.rtc.sdp_api().accept_answer(pending, answer).is_ok()
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
        let mut buf = [0u8; 2000];
        let mut dropped = 0;
        while let Ok((n, source)) = self.socket.recv_from(&mut buf) {
            // RFC 7983: RTP and RTCP start with 128..=191, STUN with 0..=3, DTLS with 20..=63;
            // RTCP's packet types 200..=204 sit where RTP has marker bit and payload type.
            if !media && n > 1 && (128..=191).contains(&buf[0]) {
                if !(72..=76).contains(&(buf[1] & 0x7f)) {
                    dropped += 1;
                }
                continue;
            }
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
            self.drain(received);
        }
        let _ = self.rtc.handle_input(Input::Timeout(Instant::now()));
        self.drain(received);
        dropped
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
                Output::Transmit(t) => {
                    let _ = self.socket.send_to(&t.contents, t.destination);
                }
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
