//! The wire contract between the stadtlab server and its clients, read top to bottom:
//! version and netcode id, channels, limits, messages per direction, codec, snapshot deltas.

mod codec;
pub mod domain;
pub mod join;
mod messages;
pub mod roles;
pub mod snapshot;
pub mod wire;

pub use codec::{DecodeError, decode, encode};
pub use messages::*;

/// Bumped whenever any message changes shape. The join endpoint and the `Hello` handshake both
/// compare it, so an old cached browser client gets a clear "reload" message.
pub const PROTOCOL_VERSION: u16 = 8;

/// netcode's protocol id: fixed, so that clients of another [`PROTOCOL_VERSION`] still connect
/// far enough to be told why they cannot stay.
pub const NETCODE_PROTOCOL_ID: u64 = 0x5354_4144_544c_4142; // "STADTLAB"

/// Default simulation rate of a room.
pub const DEFAULT_TICK_HZ: u32 = 30;

/// Channel ids. Unreliable for what the next packet supersedes (inputs, snapshots),
/// reliable-ordered for what must arrive once and in order (handshake, chat, presence).
pub mod channel {
    /// client → server: [`super::InputMsg`], unreliable.
    pub const INPUT: u8 = 0;
    /// server → client: [`super::SnapshotMsg`], unreliable.
    pub const SNAPSHOT: u8 = 0;
    /// both directions: [`super::ClientMsg`] / [`super::ServerMsg`], reliable ordered.
    pub const CONTROL: u8 = 1;
}

/// Hard limits on what a peer may send. Anything larger is dropped and counted as malformed.
pub mod limits {
    /// An input message carries a handful of frames, nothing more.
    pub const MAX_INPUT_MSG_BYTES: usize = 96;
    /// Input frames per message: the newest first plus redundant copies against packet loss.
    pub const MAX_INPUT_FRAMES: usize = 4;
    /// A control message from a client (a voice offer is the largest; its SDP is checked
    /// against [`crate::protocol::domain::voice::MAX_SDP_BYTES`], everything else by its own rules).
    pub const MAX_CLIENT_CONTROL_BYTES: usize = crate::protocol::domain::voice::MAX_SDP_BYTES + 64;
    /// Malformed or out-of-phase messages tolerated before the server disconnects a client.
    pub const MAX_STRIKES: u32 = 20;
    /// Chat: messages allowed in a burst, and the refill rate per second.
    pub const CHAT_BURST: f32 = 5.0;
    pub const CHAT_PER_SECOND: f32 = 0.5;
    /// Chat: room-wide messages per second before the room says it is busy.
    pub const ROOM_CHAT_PER_SECOND: f32 = 20.0;
}

/// The renet channel layout, identical on both ends of a connection.
pub fn connection_config() -> renet2::ConnectionConfig {
    use renet2::{ChannelConfig, ConnectionConfig, SendType};
    use std::time::Duration;
    let reliable = |id, bytes| ChannelConfig {
        channel_id: id,
        max_memory_usage_bytes: bytes,
        send_type: SendType::ReliableOrdered {
            resend_time: Duration::from_millis(200),
        },
    };
    let unreliable = |id, bytes| ChannelConfig {
        channel_id: id,
        max_memory_usage_bytes: bytes,
        send_type: SendType::Unreliable {
            ordered_reliable_substrate: false,
        },
    };
    // A client that floods the reliable channel past its memory limit is disconnected by
    // renet itself; 64 KiB is ~50 maximum-size chat messages in flight.
    ConnectionConfig::from_channels(
        vec![
            unreliable(channel::SNAPSHOT, 256 * 1024),
            reliable(channel::CONTROL, 2 * 1024 * 1024),
        ],
        vec![
            unreliable(channel::INPUT, 16 * 1024),
            reliable(channel::CONTROL, 64 * 1024),
        ],
    )
}
