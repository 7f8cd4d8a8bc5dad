//! Encoding: postcard (serde, varints, a stable documented format), with a size cap checked
//! before any decoding so a hostile peer cannot make us allocate.

use serde::{Serialize, de::DeserializeOwned};
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("message of {size} bytes exceeds the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("malformed message: {0}")]
    Malformed(String),
    #[error("message has {0} unexpected trailing bytes")]
    TrailingBytes(usize),
}

pub fn encode<T: Serialize>(msg: &T) -> Vec<u8> {
    postcard::to_allocvec(msg).expect("in-memory serialisation of protocol types cannot fail")
}

/// Decodes exactly one message of at most `limit` bytes.
pub fn decode<T: DeserializeOwned>(bytes: &[u8], limit: usize) -> Result<T, DecodeError> {
    if bytes.len() > limit {
        return Err(DecodeError::TooLarge {
            size: bytes.len(),
            limit,
        });
    }
    let (msg, rest) =
        postcard::take_from_bytes(bytes).map_err(|e| DecodeError::Malformed(e.to_string()))?;
    if !rest.is_empty() {
        return Err(DecodeError::TrailingBytes(rest.len()));
    }
    Ok(msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::*;
    use proptest::prelude::*;

    fn arb_frame() -> impl Strategy<Value = InputFrame> {
        (
            any::<u32>(),
            any::<i8>(),
            any::<i8>(),
            any::<u16>(),
            any::<bool>(),
        )
            .prop_map(|(seq, forward, right, yaw, run)| InputFrame {
                seq,
                forward,
                right,
                yaw,
                run,
            })
    }

    fn arb_update() -> impl Strategy<Value = EntityUpdate> {
        (
            any::<u16>(),
            any::<u8>(),
            any::<[i32; 3]>(),
            any::<i16>(),
            any::<u8>(),
        )
            .prop_map(|(id, base_age, dpos, dyaw, flags)| EntityUpdate {
                id,
                base_age,
                dpos,
                dyaw,
                flags,
            })
    }

    fn arb_entry() -> impl Strategy<Value = PresenceEntry> {
        (any::<u16>(), ".{0,24}", any::<u32>(), any::<bool>(), 0u8..3).prop_map(
            |(id, name, color, away, role)| PresenceEntry {
                id,
                name,
                color,
                away,
                role: Role::from_byte(role).unwrap_or_default(),
            },
        )
    }

    fn arb_server_msg() -> impl Strategy<Value = ServerMsg> {
        prop_oneof![
            (
                any::<u16>(),
                any::<u16>(),
                "[a-z]{1,8}",
                "[a-z]{1,8}",
                any::<u16>(),
                any::<u32>()
            )
                .prop_map(|(protocol, you, room, scene, tick_hz, tick)| {
                    ServerMsg::Welcome {
                        protocol,
                        you,
                        room,
                        scene,
                        tick_hz,
                        tick,
                        role: Role::Guide,
                        visit: Some(String::from("7a")),
                    }
                }),
            prop::collection::vec(arb_entry(), 0..20)
                .prop_map(|people| ServerMsg::Presence(PresenceMsg::Everyone { people })),
            arb_entry().prop_map(|person| ServerMsg::Presence(PresenceMsg::Joined { person })),
            any::<u16>().prop_map(|id| ServerMsg::Presence(PresenceMsg::Left { id })),
            (any::<u16>(), ".{0,24}", ".{0,300}")
                .prop_map(|(from, name, text)| ServerMsg::Chat(ChatMsg::Line { from, name, text })),
            Just(ServerMsg::Chat(ChatMsg::Refused {
                reason: crate::chat::ChatError::RateLimited
            })),
            (any::<bool>(), prop::collection::vec(any::<u16>(), 0..30)).prop_map(
                |(on, followers)| {
                    ServerMsg::Tour(TourMsg::State(TourState {
                        guide: Some(1),
                        follow: on,
                        hold: !on,
                        locked: on,
                        pupil_chat: on,
                        followers,
                        broadcast: on.then_some(1),
                    }))
                }
            ),
            ".{0,200}".prop_map(|reason| ServerMsg::Rejected {
                reason: RejectReason::Removed {
                    minutes: 15,
                    reason
                }
            }),
            (any::<u16>(), any::<u16>()).prop_map(|(server, client)| ServerMsg::Rejected {
                reason: RejectReason::VersionMismatch { server, client }
            }),
        ]
    }

    proptest! {
        #[test]
        fn input_round_trip(ack in any::<u32>(), frames in prop::collection::vec(arb_frame(), 0..=limits::MAX_INPUT_FRAMES)) {
            let msg = InputMsg { ack_snapshot: ack, frames };
            let bytes = encode(&msg);
            prop_assert!(bytes.len() <= limits::MAX_INPUT_MSG_BYTES);
            prop_assert_eq!(decode::<InputMsg>(&bytes, limits::MAX_INPUT_MSG_BYTES).unwrap(), msg);
        }

        #[test]
        fn snapshot_round_trip(tick in any::<u32>(), ack_input in any::<u32>(),
                               entities in prop::collection::vec(arb_update(), 0..64),
                               removed in prop::collection::vec(any::<u16>(), 0..16)) {
            let msg = SnapshotMsg { tick, ack_input, entities, removed };
            let bytes = encode(&msg);
            prop_assert_eq!(decode::<SnapshotMsg>(&bytes, usize::MAX).unwrap(), msg);
        }

        #[test]
        fn client_msg_round_trip(text in ".{0,300}", protocol in any::<u16>()) {
            for msg in [ClientMsg::Chat(ChatCmd::Say { text: text.clone() }), ClientMsg::Hello { protocol, software: text.clone() }, ClientMsg::Leave,
                        ClientMsg::Moderation(ModerationCmd::Ban { target: protocol, reason: text.clone() }),
                        ClientMsg::Tour(TourCmd::LookHere { exhibit: Some(text.clone()) })] {
                let bytes = encode(&msg);
                prop_assert_eq!(decode::<ClientMsg>(&bytes, usize::MAX).unwrap(), msg);
            }
        }

        #[test]
        fn server_msg_round_trip(msg in arb_server_msg()) {
            let bytes = encode(&msg);
            prop_assert_eq!(decode::<ServerMsg>(&bytes, usize::MAX).unwrap(), msg);
        }

        /// Whatever arrives, decoding returns (a message or an error) and never panics.
        #[test]
        fn garbage_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
            let _ = decode::<ClientMsg>(&bytes, limits::MAX_CLIENT_CONTROL_BYTES);
            let _ = decode::<InputMsg>(&bytes, limits::MAX_INPUT_MSG_BYTES);
            let _ = decode::<ServerMsg>(&bytes, usize::MAX);
            let _ = decode::<SnapshotMsg>(&bytes, usize::MAX);
        }
    }

    #[test]
    fn truncated_and_oversize_are_errors() {
        let msg = ClientMsg::Chat(ChatCmd::Say {
            text: "Hallo Soest".into(),
        });
        let bytes = encode(&msg);
        assert!(matches!(
            decode::<ClientMsg>(&bytes[..bytes.len() - 1], 64),
            Err(DecodeError::Malformed(_))
        ));
        assert!(matches!(
            decode::<ClientMsg>(&bytes, 4),
            Err(DecodeError::TooLarge { .. })
        ));
        let mut long = bytes.clone();
        long.push(0);
        assert_eq!(
            decode::<ClientMsg>(&long, 64),
            Err(DecodeError::TrailingBytes(1))
        );
    }
}
