//! Class visits: the guide leads the class through the room (follow, gather, hold still,
//! look here), closes the visit to late joiners and switches the pupils' chat.

use serde::{Deserialize, Serialize};

/// client → server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TourCmd {
    /// Guide: the class follows me (or stops following).
    Follow { on: bool },
    /// Guide: bring everyone next to me now.
    Gather,
    /// Guide: pupils cannot move while I explain.
    Hold { on: bool },
    /// Guide: open this exhibit's panel for everyone (`None` closes it).
    LookHere { exhibit: Option<String> },
    /// Guide: no more joins, even with the code.
    Lock { on: bool },
    /// Guide: pupils may chat.
    PupilChat { on: bool },
    /// Pupil: back into the group after walking away.
    FollowAgain,
}

impl TourCmd {
    /// Whether only the one who leads (guide or staff) may send it.
    pub fn leads(&self) -> bool {
        !matches!(self, TourCmd::FollowAgain)
    }
}

/// The visit's switches, as everyone in it sees them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TourState {
    /// The guide's avatar, while one is inside.
    pub guide: Option<u16>,
    pub follow: bool,
    pub hold: bool,
    pub locked: bool,
    pub pupil_chat: bool,
    /// Avatars following the guide now.
    pub followers: Vec<u16>,
    /// Who speaks to the whole class now (the broadcast slot of voice).
    pub broadcast: Option<u16>,
}

/// Why a tour command did nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TourRefusal {
    /// Tour tools work inside a class visit only.
    NotAVisit,
    NotAllowed,
    /// Look here: no such exhibit in this room.
    NoSuchExhibit,
    /// Follow again: the guide does not lead a group now.
    NotFollowing,
}

/// server → client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TourMsg {
    State(TourState),
    /// Open (or close) this exhibit's panel.
    LookHere {
        exhibit: Option<String>,
    },
    /// You were brought next to the guide (clients fade, or cut with "reduce motion").
    Gathered,
    /// The visit closes in this many seconds.
    EndsSoon {
        seconds: u32,
    },
    Refused {
        reason: TourRefusal,
    },
}
