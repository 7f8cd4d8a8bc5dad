//! What a room does with a command, one module per domain. Handlers are free functions on a
//! room [`Instance`](super::instance::Instance): they change its state and put what should
//! follow into an [`Outbox`] (messages to people, removals, events for storage and admission).
//! They never touch sockets or storage, so they are tested without either.

pub mod chat;
pub mod closing;
pub mod exhibits;
pub mod moderation;
pub mod presence;
pub mod stage;
pub mod tour;
pub mod voice;

use std::net::IpAddr;

use stadtlab_shared::protocol::{RejectReason, Role, ServerMsg};

use crate::admission::RoomId;

/// Who sent a command.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub avatar: u16,
    pub role: Role,
}

/// Something that happened in a room that the world outside the game loop records or acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum GameEvent {
    /// A moderation action (audit log).
    Audit {
        room: String,
        actor: String,
        actor_role: Role,
        action: &'static str,
        target: String,
        reason: String,
    },
    /// Keep this person out of `room` for a while (admission).
    Removed {
        room: RoomId,
        device_hash: Option<String>,
        session: String,
        minutes: u16,
    },
    /// Keep this person out for good (admission, and the bans table).
    Banned {
        id: String,
        name: String,
        device_hash: Option<String>,
        network: Option<IpAddr>,
        reason: String,
        by: String,
    },
    /// A visitor reported someone; staff read it with the chat that led up to it.
    Reported {
        room: String,
        reporter: String,
        target: String,
        reason: String,
        chat: Vec<(String, String)>,
    },
    /// A class visit was closed to newcomers (or opened again).
    Locked { room: RoomId, locked: bool },
    /// Someone opened an exhibit's inspect view (impact counts: a number, never a person).
    Inspected { exhibit: String },
    /// Someone rated an exhibit; the comment reaches staff only, without a name.
    Rated {
        exhibit: String,
        stars: u8,
        comment: Option<String>,
    },
    /// A comment on an exhibit rated before in the same visit (staff only, without a name).
    Commented {
        exhibit: String,
        stars: u8,
        text: String,
    },
    /// An answer to "did you learn something new?" after the talk `talk` (its impact key).
    Learned {
        talk: String,
        answer: stadtlab_shared::protocol::domain::stage::Learned,
    },
    /// A free answer to a talk's own closing question (staff only, without a name).
    ClosingAnswer {
        talk: String,
        title: String,
        question: String,
        text: String,
    },
}

/// What a handler wants done.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    /// To one avatar's connection.
    To(u16, ServerMsg),
    /// To everyone in the room, except one.
    All {
        msg: ServerMsg,
        except: Option<u16>,
    },
    /// Tell the avatar why, and take it out of the room.
    Remove {
        avatar: u16,
        reason: RejectReason,
    },
    Event(GameEvent),
    /// To the voice SFU.
    Sfu(crate::voice::SfuCmd),
}

#[derive(Debug, Default)]
pub struct Outbox(pub Vec<Out>);

impl Outbox {
    pub fn to(&mut self, avatar: u16, msg: ServerMsg) {
        self.0.push(Out::To(avatar, msg));
    }

    pub fn all(&mut self, msg: ServerMsg) {
        self.0.push(Out::All { msg, except: None });
    }

    pub fn event(&mut self, event: GameEvent) {
        self.0.push(Out::Event(event));
    }
}

#[cfg(test)]
mod closing_tests;
#[cfg(test)]
mod tests;
