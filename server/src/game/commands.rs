//! Commands for the game loop from outside it (the HTTP side, the visit scheduler): open and
//! close room instances, and exhibit changes. Sent over a channel; the loop applies them at
//! the start of a tick and never waits for anyone.

use std::sync::mpsc::{Receiver, Sender};
use std::time::Instant;

use stadtlab_shared::exhibit::ExhibitView;
use stadtlab_shared::protocol::domain::stage::Slides;

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
    /// A change to a room's talk from staff on the web or the programme's clock.
    Stage { room: RoomId, change: StageChange },
}

#[derive(Debug, Clone)]
pub enum StageChange {
    /// Talk mode on or off (off ends the talk: floor, hands and questions go, the closing
    /// question is asked). A talk of the programme brings its title and closing question.
    Talk {
        on: bool,
        programme: Option<ProgrammeTalk>,
    },
    /// Put slides on the stage screen, at their first page (`None`: take them down).
    Slides(Option<Slides>),
    /// Show this page of the slides on the screen (ignored past the last page).
    Page(u16),
}

/// What the programme says about a talk that starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeTalk {
    pub title: String,
    pub title_en: String,
    pub closing_question: Option<String>,
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
