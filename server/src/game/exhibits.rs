//! Exhibits on show: the game keeps each room's list, sends it to everyone who enters, and
//! passes changes from the HTTP side (approve, hide) to everyone in the room at once.

use std::sync::mpsc::{Receiver, Sender};

use stadtlab_shared::exhibit::ExhibitView;
use stadtlab_shared::protocol::ServerMsg;

use super::Game;

/// A change to what a room shows, sent by the HTTP handlers.
#[derive(Debug, Clone)]
pub enum ExhibitNews {
    Shown {
        room: String,
        exhibit: Box<ExhibitView>,
    },
    Gone {
        room: String,
        id: String,
    },
}

/// The HTTP side's end of the channel.
pub type NewsSender = Sender<ExhibitNews>;

pub fn channel() -> (NewsSender, Receiver<ExhibitNews>) {
    std::sync::mpsc::channel()
}

impl Game {
    pub(super) fn apply_exhibit_news(&mut self) {
        while let Ok(news) = self.exhibit_news.try_recv() {
            let (room_name, msg) = match news {
                ExhibitNews::Shown { room, exhibit } => {
                    (room, ServerMsg::ExhibitShown { exhibit: *exhibit })
                }
                ExhibitNews::Gone { room, id } => (room, ServerMsg::ExhibitGone { id }),
            };
            let Some(idx) = self.rooms.iter().position(|r| r.name == room_name) else {
                continue;
            };
            self.rooms[idx].exhibits.apply(&msg);
            self.broadcast(idx, &msg, None);
        }
    }
}
