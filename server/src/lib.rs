//! stadtlab-server: the authoritative server of a stadtlab installation.
//!
//! - [`config`]: settings from file, environment and flags.
//! - [`app`]: start and stop the whole server.
//! - [`game`]: the tick loop: transports, rooms, interest management, snapshots.
//! - [`http`]: REST API (join, rooms), health, metrics, the web client's files.
//! - [`storage`]: SQLite/PostgreSQL through sqlx, with migrations.
//! - [`metrics`]: Prometheus metrics.
//! - [`agones`]: Ready and health reports when running as an Agones game server.

pub mod admin;
pub mod agones;
pub mod app;
pub mod blobs;
pub mod config;
pub mod exhibits;
pub mod game;
pub mod http;
pub mod metrics;
pub mod storage;
