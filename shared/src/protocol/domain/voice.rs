//! Voice: signalling for the server's SFU over the game connection (an SDP offer with one
//! microphone m-line and a fixed set of receive slots, negotiated once), which speaker each
//! slot carries, and the guide's "speak to the class". The server never decodes audio.

use serde::{Deserialize, Serialize};

/// Receive slots placed in the room (the nearest speakers who are talking).
pub const SPATIAL_SLOTS: usize = 6;
/// Every offer's m-lines after the microphone: the spatial slots, then the broadcast slot
/// (the guide speaking to the class, the stage) which plays without distance fall-off.
pub const RECEIVE_SLOTS: usize = SPATIAL_SLOTS + 1;
/// The largest SDP offer taken (Chromium's offer with eight audio m-lines is about 15 KB: every
/// m-line lists all its audio codecs and header extensions).
pub const MAX_SDP_BYTES: usize = 32 * 1024;
/// The largest part of an offer sent in pieces ([`VoiceCmd::OfferPart`]).
pub const OFFER_PART_BYTES: usize = 900;
/// Parts an offer may come in.
pub const MAX_OFFER_PARTS: u8 = 40;
/// Speakers farther than this are not forwarded at all (at 20 m the browsers' distance curve
/// is down by about 24 dB already).
pub const HEARING_RADIUS_M: f32 = 20.0;
/// The browsers' and the desktop's distance curve (the Hubs avatar defaults: inverse model,
/// reference distance 5 m, roll-off 5).
pub const REF_DISTANCE_M: f32 = 5.0;
pub const ROLLOFF: f32 = 5.0;

/// The gain of a voice `distance` metres away (Web Audio's inverse distance model).
pub fn distance_gain(distance: f32) -> f32 {
    REF_DISTANCE_M / (REF_DISTANCE_M + ROLLOFF * (distance.max(REF_DISTANCE_M) - REF_DISTANCE_M))
}

/// client → server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VoiceCmd {
    /// Join voice: an SDP offer with the microphone m-line first (`sendonly`, or `sendrecv`),
    /// then [`RECEIVE_SLOTS`] `recvonly` audio m-lines. Audio only.
    Offer { sdp: String },
    /// The same offer in parts of at most [`OFFER_PART_BYTES`], in order: a browser's
    /// WebTransport datagrams carry about 1,200 bytes, and the game connection does not split
    /// a larger message from the browser into pieces that fit.
    OfferPart { part: u8, parts: u8, text: String },
    /// Leave voice (the connection to the SFU closes).
    Leave,
    /// The guide speaks to the whole class through everyone's broadcast slot.
    SpeakToClass { on: bool },
}

/// Why a voice command did nothing (said to the sender only; nobody else is disturbed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VoiceRefusal {
    /// This server runs without voice.
    Disabled,
    /// The offer is larger than [`MAX_SDP_BYTES`].
    TooLarge,
    /// Not SDP, or not the m-lines described at [`VoiceCmd::Offer`].
    BadOffer,
    /// Video or data channels in the offer: voice is audio only.
    NotAudioOnly,
    /// Too many offers in a short time.
    TooMany,
    /// Speaking to the class is for the guide (and staff) in a class visit.
    NotAllowed,
}

/// server → client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VoiceMsg {
    /// The SFU's answer (ICE-lite, the server's host candidate inside).
    Answer {
        sdp: String,
    },
    Refused {
        reason: VoiceRefusal,
    },
    /// Which avatar each receive slot carries now: place slot `i`'s sound at `spatial[i]`;
    /// `broadcast` plays without distance fall-off.
    Slots {
        spatial: Vec<Option<u16>>,
        broadcast: Option<u16>,
    },
    /// A moderator stopped (or again allowed) forwarding your voice. Allowing never turns a
    /// microphone on: the visitor decides.
    Muted {
        by: String,
        muted: bool,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_distance_curve_matches_web_audio_inverse() {
        assert_eq!(distance_gain(0.0), 1.0);
        assert_eq!(distance_gain(5.0), 1.0);
        assert!((distance_gain(10.0) - 1.0 / 6.0).abs() < 1e-6);
        assert!(distance_gain(HEARING_RADIUS_M) < 0.07);
    }
}
