//! Exhibits on show in the room.

use serde::{Deserialize, Serialize};

use crate::exhibit::ExhibitView;

/// server → client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ExhibitMsg {
    /// Every exhibit on show in the room (after Welcome).
    All { exhibits: Vec<ExhibitView> },
    /// An exhibit was approved or changed: show it (replacing one with the same id).
    Shown { exhibit: Box<ExhibitView> },
    /// An exhibit was hidden or removed: take it away.
    Gone { id: String },
}
