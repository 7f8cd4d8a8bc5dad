//! Commands for the game loop from outside it (the HTTP side, the visit scheduler): open and
//! close room instances, and exhibit changes. Sent over a channel; the loop applies them at
//! the start of a tick and never waits for anyone.

use std::sync::mpsc::{Receiver, Sender};
use std::time::Instant;

use stadtlab_shared::exhibit::ExhibitView;

use crate::admission::RoomId;

#[derive(Debug, Clone)]
pub enum RoomCommand {
    /// An exhibit of a public room's exhibition was approved or changed.
    ExhibitShown {
        exhibition: String,
        exhibit: Box<ExhibitView>,
    },
    /// An exhibit was hidden or removed.
    ExhibitGone { exhibition: String, id: String },
    /// Create the state of an instance admission has registered.
    Open {
        id: RoomId,
        scene: String,
        /// The public room whose exhibition it shows.
        exhibition: String,
        visit: Option<VisitOpening>,
    },
}

#[derive(Debug, Clone)]
pub struct VisitOpening {
    pub title: String,
    pub ends_at: Instant,
}

/// The sending end, for the HTTP side and the scheduler.
pub type CommandSender = Sender<RoomCommand>;

pub fn channel() -> (CommandSender, Receiver<RoomCommand>) {
    std::sync::mpsc::channel()
}
