//! One message enum per domain, both directions, nested inside [`super::ClientMsg`] and
//! [`super::ServerMsg`]. A newcomer finds a feature's wire messages by its name here.

pub mod chat;
pub mod exhibits;
pub mod moderation;
pub mod presence;
pub mod stage;
pub mod tour;
pub mod voice;
