//! stadtlab-bots: headless stadtlab clients.
//!
//! - [`join`]: the HTTP join call, as a browser makes it.
//! - [`bot`]: one connected client (renet2 over UDP or WebSocket) that decodes snapshots and
//!   measures what a visitor would feel (move confirmation delay, downstream bytes).
//! - [`pipe_socket`], [`ws_socket`], [`wt_socket`]: native WebSocket and WebTransport
//!   transports for renet2 (renet2 ships only browser ones), so tests reach every server socket.
//! - [`walker`]: plausible wandering for load tests.
//! - [`load`], [`bench`]: many bots at once, and the benchmark that prints the figures.
//! - [`voice`]: a bot as a voice peer of the server's SFU (str0m client).

pub mod bench;
pub mod bot;
pub mod join;
pub mod load;
pub mod options;
pub mod pipe_socket;
pub mod slides;
pub mod visits;
pub mod voice;
pub mod voice_bench;
pub mod walker;
pub mod ws_socket;
pub mod wt_socket;

pub use bot::{Bot, BotOptions, Transport};
