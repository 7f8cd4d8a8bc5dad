//! Talks on the stage: a talk mode for the room, the queue of raised hands (kept by the
//! server, in order of raising), the floor given to someone only with their consent, written
//! questions with votes (for people without a microphone), and the hosts' tools (mute all but
//! the stage, ask someone to unmute, a question on the screen). Whoever the hall hears is
//! "on air": the floor holder and the staff standing on the stage.

use serde::{Deserialize, Serialize};

/// While a talk runs, the audience hears only its neighbours within this distance (whispering
/// works, the hall stays quiet); the stage is heard by everyone through the broadcast slot.
pub const TALK_HEARING_RADIUS_M: f32 = 3.0;
/// Hands kept at most (the rest are told the queue is full).
pub const MAX_HANDS: usize = 500;
/// Written questions kept at most per talk.
pub const MAX_QUESTIONS: usize = 300;
/// Written questions one person may have open at once.
pub const MAX_OPEN_QUESTIONS_PER_PERSON: usize = 3;
/// The longest free answer to a talk's closing question (characters).
pub const MAX_CLOSING_ANSWER_CHARS: usize = 280;
/// The largest head count the lab's console may report (the physical hall is far smaller).
pub const MAX_HEAD_COUNT: u16 = 1000;

/// client → server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageCmd {
    /// Anyone: raise my hand (again: my place stays).
    RaiseHand,
    /// Anyone: lower my hand.
    LowerHand,
    /// Anyone asked for the floor: yes, I speak now; or no.
    AnswerFloor { accept: bool },
    /// Hosts: talk mode on (the audience's hearing shrinks to neighbours) or off.
    Talk { on: bool },
    /// Hosts: offer the floor to this avatar (they are asked first).
    GiveFloor { avatar: u16 },
    /// Hosts: take the floor back.
    TakeFloor,
    /// Hosts: lower someone's hand.
    LowerHandOf { avatar: u16 },
    /// Hosts: lower every hand.
    LowerAllHands,
    /// Hosts: mute the voice of everyone but the stage and the floor (server-side).
    MuteAllButStage,
    /// Hosts: ask someone to turn their microphone on (a request, never forced).
    AskUnmute { avatar: u16 },
    /// Anyone: a written question (the chat's rules for text).
    Ask { text: String },
    /// Anyone: support a question (once per person).
    Upvote { question: u32 },
    /// Hosts: put a question on the stage screen for everyone (`None` clears it).
    ShowQuestion { question: Option<u32> },
    /// Hosts: the question was answered.
    MarkAnswered { question: u32 },
    /// Hosts: show this page of the room's slides (1 = first).
    Page { page: u16 },
    /// Hosts: this connection is the lab's console (the PC in the physical room): its
    /// microphone is on air wherever its avatar stands, and it hears only what is on air
    /// (the hall's loudspeakers must not play the virtual room's chatter). Off: an avatar again.
    Console { on: bool },
    /// Hosts (the console): this many people sit in the physical hall now (counted by eye).
    HeadCount { people: u16 },
    /// Anyone asked the closing question after a talk: did I learn something new?
    Learned { answer: Learned },
    /// Anyone asked: my answer to the talk's own closing question (no name is kept).
    Answer { text: String },
}

impl StageCmd {
    /// Whether only hosts (staff) may send it.
    pub fn hosts_only(&self) -> bool {
        !matches!(
            self,
            StageCmd::RaiseHand
                | StageCmd::LowerHand
                | StageCmd::AnswerFloor { .. }
                | StageCmd::Ask { .. }
                | StageCmd::Upvote { .. }
                | StageCmd::Learned { .. }
                | StageCmd::Answer { .. }
        )
    }
}

/// The room's talk as everyone sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TalkState {
    pub running: bool,
    /// Who has the floor (heard by the whole hall from where they stand).
    pub floor: Option<u16>,
    /// Everyone the hall hears now: the floor, the lab's console and the staff on the stage.
    pub on_air: Vec<u16>,
    /// The lab's console (the physical room), if one is connected.
    pub console: Option<u16>,
}

/// The answer to "Hast du etwas Neues erfahren?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Learned {
    Yes,
    ALittle,
    No,
}

impl Learned {
    pub const ALL: [Learned; 3] = [Learned::Yes, Learned::ALittle, Learned::No];
}

/// After a talk, to everyone who heard its end (staff and the console are not asked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingQuestion {
    /// The talk's title from the programme, German and English (empty for a talk started by
    /// hand).
    pub title: String,
    pub title_en: String,
    /// The question staff set for this talk, answered in free text (none: only "learned").
    pub question: Option<String>,
}

/// One raised hand, as hosts see the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaisedHand {
    pub avatar: u16,
    pub name: String,
    pub waiting_s: u32,
}

/// A written question as everyone sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: u32,
    pub text: String,
    /// The asker's name as shown in the room.
    pub by: String,
    pub votes: u32,
    pub answered: bool,
}

/// Why a stage command did nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageRefusal {
    NotAllowed,
    /// This room has no stage.
    NoStage,
    /// No such person in the room.
    NoSuchPerson,
    /// An answer to a question nobody asked.
    NotOffered,
    QueueFull,
    /// A question that is empty, too long or holds control characters.
    BadQuestion,
    /// Too many questions (from this person, or in this talk), or too fast.
    TooManyQuestions,
    NoSuchQuestion,
    /// Paging without slides, or past the last page.
    NoSuchPage,
    /// An answer to a closing question this person was not asked (or no longer: it closes
    /// after a while and when the next talk starts).
    NotAsked,
    /// Each closing question is answered once.
    AlreadyAnswered,
    /// An answer that is empty, too long or holds control characters; a head count out of range.
    BadAnswer,
}

/// The slides on the stage screen: the deck's pages are pictures at
/// `/api/slides/{deck}/pages/{page}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slides {
    pub deck: String,
    pub title: String,
    /// 1 = first.
    pub page: u16,
    pub pages: u16,
}

impl Slides {
    /// Where a client fetches the page shown now.
    pub fn page_path(&self) -> String {
        format!("/api/slides/{}/pages/{}", self.deck, self.page)
    }
}

/// server → client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageMsg {
    /// To everyone when it changes, and on entering.
    Talk(TalkState),
    /// To hosts when it changes: the hands in order of raising.
    Hands {
        queue: Vec<RaisedHand>,
    },
    /// To the one who raised: their place (1 = next), or `None` once lowered.
    YourHand {
        place: Option<u16>,
    },
    /// To the one asked: a host offers the floor; answer with [`StageCmd::AnswerFloor`].
    FloorOffered {
        by: String,
    },
    /// To hosts: the answer.
    FloorAnswered {
        avatar: u16,
        accepted: bool,
    },
    /// To one person: a host asks them to turn their microphone on.
    UnmuteAsked {
        by: String,
    },
    /// To everyone: a question is new or changed (votes, answered). Clients keep the list;
    /// entering, one gets every question of the talk.
    Question(Question),
    /// To everyone: the question on the stage screen (`None`: the screen shows the talk).
    OnScreen {
        question: Option<u32>,
    },
    Refused {
        reason: StageRefusal,
    },
    /// To everyone when the slides or their page change, and on entering (`None`: no slides).
    Slides(Option<Slides>),
    /// To those who heard a talk's end: its closing question; `None` when it closed.
    Closing(Option<ClosingQuestion>),
    /// To the one who answered: taken, thank you.
    AnswerTaken,
}
