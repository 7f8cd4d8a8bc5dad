//! Opus for the desktop (libopus through audiopus): 48 kHz mono, 20 ms frames, the VoIP
//! profile with in-band error correction. Also the RFC 6464 level of a frame, which the SFU
//! ranks speakers by without decoding.

use audiopus::coder::{Decoder, Encoder};
use audiopus::packet::Packet;
use audiopus::{Application, Bitrate, Channels, MutSignals, SampleRate};

/// Samples per 20 ms frame at 48 kHz.
pub const FRAME: usize = stadtlab_shared::voice_peer::FRAME_SAMPLES as usize;
/// Below this level (dBov) a frame counts as silence (the browsers' VAD says about the same).
const VOICED_DBOV: i8 = -50;

pub struct VoiceEncoder(Encoder);

impl VoiceEncoder {
    pub fn new() -> Result<VoiceEncoder, audiopus::Error> {
        let mut encoder = Encoder::new(SampleRate::Hz48000, Channels::Mono, Application::Voip)?;
        encoder.set_bitrate(Bitrate::BitsPerSecond(32_000))?;
        encoder.set_inband_fec(true)?;
        Ok(VoiceEncoder(encoder))
    }

    /// One 20 ms frame (960 samples, -1..1) to an Opus packet.
    pub fn encode(&mut self, pcm: &[f32]) -> Result<Vec<u8>, audiopus::Error> {
        let mut out = vec![0u8; 1500];
        let n = self.0.encode_float(pcm, &mut out)?;
        out.truncate(n);
        Ok(out)
    }
}

pub struct VoiceDecoder(Decoder);

impl VoiceDecoder {
    pub fn new() -> Result<VoiceDecoder, audiopus::Error> {
        Ok(VoiceDecoder(Decoder::new(
            SampleRate::Hz48000,
            Channels::Mono,
        )?))
    }

    /// One packet to 20 ms of samples; `None` conceals a lost packet. A packet that is not
    /// Opus gives silence (it came from the network: never trust it to decode).
    pub fn decode(&mut self, packet: Option<&[u8]>) -> Vec<f32> {
        let mut out = vec![0.0f32; FRAME];
        let packet = match packet.map(Packet::try_from) {
            Some(Ok(p)) => Some(p),
            Some(Err(_)) => return out,
            None => None,
        };
        let Ok(signals) = MutSignals::try_from(&mut out[..]) else {
            return vec![0.0; FRAME];
        };
        match self.0.decode_float(packet, signals, false) {
            Ok(n) => out.truncate(n.min(FRAME)),
            Err(_) => out.iter_mut().for_each(|s| *s = 0.0),
        }
        out.resize(FRAME, 0.0);
        out
    }
}

/// A frame's level in dBov (0 loudest, -127 silence) and whether it carries voice.
pub fn level(pcm: &[f32]) -> (i8, bool) {
    let power = pcm.iter().map(|s| s * s).sum::<f32>() / pcm.len().max(1) as f32;
    let db = if power > 0.0 {
        10.0 * power.log10()
    } else {
        -127.0
    };
    let db = db.clamp(-127.0, 0.0) as i8;
    (db, db > VOICED_DBOV)
}

/// The energy of a frame (sum of squares): what tests and the level meter look at.
pub fn energy(pcm: &[f32]) -> f32 {
    pcm.iter().map(|s| s * s).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(frame: usize) -> Vec<f32> {
        (0..FRAME)
            .map(|i| {
                let t = (frame * FRAME + i) as f32 / 48_000.0;
                0.3 * (2.0 * std::f32::consts::PI * 440.0 * t).sin()
            })
            .collect()
    }

    #[test]
    fn a_tone_survives_encoding_and_decoding() {
        let mut enc = VoiceEncoder::new().unwrap();
        let mut dec = VoiceDecoder::new().unwrap();
        let mut energy_in = 0.0;
        let mut energy_out = 0.0;
        for f in 0..25 {
            let pcm = tone(f);
            let packet = enc.encode(&pcm).unwrap();
            assert!(
                packet.len() < 200,
                "about 32 kbit/s: {} bytes",
                packet.len()
            );
            let out = dec.decode(Some(&packet));
            assert_eq!(out.len(), FRAME);
            if f >= 5 {
                energy_in += energy(&pcm);
                energy_out += energy(&out);
            }
        }
        let ratio = energy_out / energy_in;
        assert!((0.5..2.0).contains(&ratio), "energy ratio {ratio}");
    }

    #[test]
    fn a_lost_frame_is_concealed_and_garbage_is_silence() {
        let mut enc = VoiceEncoder::new().unwrap();
        let mut dec = VoiceDecoder::new().unwrap();
        for f in 0..5 {
            dec.decode(Some(&enc.encode(&tone(f)).unwrap()));
        }
        let concealed = dec.decode(None);
        assert!(energy(&concealed) > 0.0, "concealment continues the tone");
        let garbage = dec.decode(Some(&[0xff; 3]));
        assert_eq!(garbage.len(), FRAME);
        assert!(
            dec.decode(Some(&[])).iter().all(|s| *s == 0.0),
            "an empty packet"
        );
    }

    #[test]
    fn the_level_tells_voice_from_silence() {
        let (db, voiced) = level(&tone(0));
        assert!(
            (-14..=-10).contains(&db),
            "a 0.3 sine is about -13.5 dBov: {db}"
        );
        assert!(voiced);
        assert_eq!(level(&[0.0; FRAME]), (-127, false));
        assert!(!level(&[0.001; FRAME]).1, "-60 dBov hiss is not voice");
    }
}
