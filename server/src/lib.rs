//! stadtlab-server: the authoritative server of a stadtlab installation.
//!
//! - [`config`]: settings from file, environment and flags.
//! - [`app`]: start and stop the whole server.
//! - [`admission`]: who may come into which room: seats, roles, bans, visit codes.
//! - [`game`]: the tick loop: transports, room instances and their handlers, snapshots.
//! - [`visits`]: class visits: opening their private rooms when their window starts.
//! - [`room_events`]: what rooms report (audit log, bans, reports), written to storage.
//! - [`http`]: REST API (join, rooms), health, metrics, the web client's files.
//! - [`printable`]: STL, 3MF and OBJ models: reading, the printability report, repairs.
//! - [`storage`]: SQLite/PostgreSQL through sqlx, with migrations.
//! - [`metrics`]: Prometheus metrics.
//! - [`agones`]: Ready and health reports when running as an Agones game server.

pub mod admin;
pub mod admission;
pub mod agones;
pub mod app;
pub mod blobs;
pub mod config;
pub mod exhibits;
pub mod game;
pub mod http;
pub mod impact;
pub mod metrics;
pub mod printable;
pub mod programme;
pub mod room_events;
pub mod slides;
pub mod storage;
pub mod visits;
pub mod voice;
