//! stadtlab-shared: everything server, client and bots must agree on.
//!
//! - [`protocol`]: the wire (versions, channels, messages, limits, codec, snapshot deltas).
//! - [`scene`]: the room description both the server (collision, spawns, capacity) and the
//!   client (rendering) read from `scenes/*.toml`.
//! - [`movement`]: the one movement function; the server runs it authoritatively and clients
//!   run it for prediction.
//! - [`prediction`], [`interpolation`]: a client's own avatar predicted and reconciled, the
//!   others rendered smoothly a little in the past.
//! - [`names`], [`chat`]: validators for text that people type.
//! - [`exhibit`]: exhibits as clients see them, and the rules for their texts.
//! - `voice_peer` (feature `voice-peer`): the native voice client, a WebRTC peer of the
//!   server's SFU (bots and the desktop client; the browser has its own).
//!
//! No Bevy, no tokio: this crate builds for wasm32 and keeps the server free of the renderer.

pub mod chat;
pub mod exhibit;
pub mod interpolation;
pub mod movement;
pub mod names;
pub mod prediction;
pub mod protocol;
pub mod quantize;
pub mod scene;
#[cfg(feature = "voice-peer")]
pub mod voice_peer;
