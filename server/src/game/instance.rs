//! A room instance: one scene's room with its own id, people, chat and (for a class visit)
//! the visit's clock and switches. The registry holds them; handlers change them.

use std::time::Instant;

use crate::admission::RoomId;

use super::interest::Grid;
use super::room::Room;
use super::snapshots::RoomView;

/// A class visit's part of an instance.
#[derive(Debug)]
pub struct VisitRuntime {
    pub title: String,
    pub ends_at: Instant,
    /// The 5-minute warning was sent.
    pub warned: bool,
    pub locked: bool,
    pub pupil_chat: bool,
}

#[derive(Debug)]
pub struct Instance {
    pub id: RoomId,
    pub room: Room,
    /// The public room whose exhibition this instance shows (its own name when public).
    pub exhibition: String,
    pub visit: Option<VisitRuntime>,
    /// The talk on this room's stage.
    pub stage: super::stage::Stage,
    /// Snapshot data of this tick (see `snapshots`).
    pub grid: Grid,
    pub view: RoomView,
}

impl Instance {
    pub fn new(
        id: RoomId,
        room: Room,
        exhibition: String,
        visit: Option<VisitRuntime>,
    ) -> Instance {
        Instance {
            id,
            room,
            exhibition,
            visit,
            stage: Default::default(),
            grid: Grid::default(),
            view: RoomView::default(),
        }
    }
}
