//! What an offer must look like before str0m sees it: not too large, audio only, the
//! microphone m-line first and then exactly the receive slots. Anything else is refused with a
//! reason for the sender alone.

use stadtlab_shared::protocol::VoiceRefusal;
use stadtlab_shared::protocol::domain::voice::{MAX_SDP_BYTES, RECEIVE_SLOTS};

/// The media ids (`a=mid`) of a checked offer, in m-line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferShape {
    /// The microphone.
    pub send: String,
    /// The receive slots: the spatial ones, then the broadcast slot.
    pub receive: Vec<String>,
}

pub fn check(sdp: &str) -> Result<OfferShape, VoiceRefusal> {
    if sdp.len() > MAX_SDP_BYTES {
        return Err(VoiceRefusal::TooLarge);
    }
    if !sdp.starts_with("v=0") {
        return Err(VoiceRefusal::BadOffer);
    }
    // m-sections in order: kind, direction, mid.
    let mut sections: Vec<(String, Option<&str>, Option<String>)> = Vec::new();
    for line in sdp.lines().map(str::trim_end) {
        if let Some(m) = line.strip_prefix("m=") {
            let kind = m.split(' ').next().unwrap_or("").to_string();
            sections.push((kind, None, None));
        } else if let Some(last) = sections.last_mut() {
            match line {
                "a=sendonly" | "a=recvonly" | "a=sendrecv" | "a=inactive" => {
                    last.1 = Some(&line[2..]);
                }
                _ => {
                    if let Some(mid) = line.strip_prefix("a=mid:") {
                        last.2 = Some(mid.to_string());
                    }
                }
            }
        }
    }
    if sections.iter().any(|(kind, _, _)| kind != "audio") {
        return Err(VoiceRefusal::NotAudioOnly);
    }
    if sections.len() != 1 + RECEIVE_SLOTS {
        return Err(VoiceRefusal::BadOffer);
    }
    let mut mids = Vec::with_capacity(sections.len());
    for (i, (_, direction, mid)) in sections.into_iter().enumerate() {
        let fits = match (i, direction) {
            (0, Some("sendonly" | "sendrecv")) => true,
            (_, Some("recvonly")) => i > 0,
            _ => false,
        };
        let Some(mid) = mid.filter(|m| fits && !m.is_empty() && m.len() <= 16) else {
            return Err(VoiceRefusal::BadOffer);
        };
        mids.push(mid);
    }
    let send = mids.remove(0);
    Ok(OfferShape {
        send,
        receive: mids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(kinds: &[(&str, &str)]) -> String {
        let mut sdp = String::from("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        for (i, (kind, dir)) in kinds.iter().enumerate() {
            sdp += &format!(
                "m={kind} 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:{i}\r\na={dir}\r\n"
            );
        }
        sdp
    }

    fn good() -> Vec<(&'static str, &'static str)> {
        let mut v = vec![("audio", "sendonly")];
        v.extend(std::iter::repeat_n(("audio", "recvonly"), RECEIVE_SLOTS));
        v
    }

    #[test]
    fn a_microphone_and_the_slots_pass() {
        let shape = check(&offer(&good())).unwrap();
        assert_eq!(shape.send, "0");
        assert_eq!(shape.receive.len(), RECEIVE_SLOTS);
        assert_eq!(shape.receive[0], "1");
    }

    #[test]
    fn every_kind_of_bad_offer_has_its_reason() {
        assert_eq!(check("hello"), Err(VoiceRefusal::BadOffer));
        let huge = format!("v=0\r\n{}", "a=x\r\n".repeat(MAX_SDP_BYTES));
        assert_eq!(check(&huge), Err(VoiceRefusal::TooLarge));
        let mut video = good();
        video[3] = ("video", "recvonly");
        assert_eq!(check(&offer(&video)), Err(VoiceRefusal::NotAudioOnly));
        let mut data = good();
        data.push(("application", "sendrecv"));
        assert_eq!(check(&offer(&data)), Err(VoiceRefusal::NotAudioOnly));
        assert_eq!(check(&offer(&good()[..3])), Err(VoiceRefusal::BadOffer));
        let mut backwards = good();
        backwards[0] = ("audio", "recvonly");
        assert_eq!(check(&offer(&backwards)), Err(VoiceRefusal::BadOffer));
        let mut sending_slot = good();
        sending_slot[2] = ("audio", "sendonly");
        assert_eq!(check(&offer(&sending_slot)), Err(VoiceRefusal::BadOffer));
    }
}
