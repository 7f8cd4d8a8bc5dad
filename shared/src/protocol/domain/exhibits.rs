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

/// The longest comment that comes with a rating (characters).
pub const MAX_COMMENT_CHARS: usize = 280;

/// client → server: what a visitor does with an exhibit, for the impact counts (never kept
/// per person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExhibitCmd {
    /// I opened its inspect view.
    Inspected { id: String },
    /// My rating, 1–5 stars, with an optional short comment for the lab team.
    Rate {
        id: String,
        stars: u8,
        comment: Option<String>,
    },
    /// A short comment for the lab team on an exhibit I rated this visit (once; it is kept
    /// with the stars I gave, without my name).
    Comment { id: String, text: String },
}

/// server → client: the answer to a rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RatingAnswer {
    Thanks {
        id: String,
    },
    /// The comment was taken.
    Commented {
        id: String,
    },
    /// Rated before (one rating per exhibit and visit), or nothing to rate.
    Refused {
        id: String,
        reason: RatingRefusal,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RatingRefusal {
    AlreadyRated,
    NoSuchExhibit,
    /// A comment on an exhibit not rated this visit, or a second comment.
    NotRated,
    /// Stars outside 1–5, or a comment too long or with control characters.
    Invalid,
}
