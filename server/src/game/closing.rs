//! After a talk: the closing question ("Hast du etwas Neues erfahren?" and the talk's own
//! question set by staff), asked of everyone who heard its end. Who was asked and who answered
//! are kept by session only while the round is open (like raised hands), so that each person
//! answers once; the answers leave without them.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use stadtlab_shared::protocol::domain::stage::ClosingQuestion;

/// How long the closing question can be answered after the talk's end.
pub const OPEN_FOR: Duration = Duration::from_secs(15 * 60);

/// The talk running on a stage, as the counts know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalkInfo {
    /// The talk's key in the impact counts (random, made at its start).
    pub key: String,
    /// From the programme (German, as stored; English for the panel); empty for a talk started
    /// by hand.
    pub title: String,
    pub title_en: String,
    pub closing_question: Option<String>,
}

/// A closing question being answered.
#[derive(Debug)]
pub struct ClosingRound {
    pub talk: TalkInfo,
    opened: Instant,
    asked: HashSet<String>,
    learned: HashSet<String>,
    answered: HashSet<String>,
}

/// Why an answer was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotTaken {
    NotAsked,
    AlreadyAnswered,
}

/// Which of the two questions an answer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Learned,
    FreeAnswer,
}

impl ClosingRound {
    pub fn open(talk: TalkInfo, asked: HashSet<String>, now: Instant) -> ClosingRound {
        ClosingRound {
            talk,
            opened: now,
            asked,
            learned: HashSet::new(),
            answered: HashSet::new(),
        }
    }

    pub fn question(&self) -> ClosingQuestion {
        ClosingQuestion {
            title: self.talk.title.clone(),
            title_en: self.talk.title_en.clone(),
            question: self.talk.closing_question.clone(),
        }
    }

    pub fn is_open(&self, now: Instant) -> bool {
        now.duration_since(self.opened) < OPEN_FOR
    }

    /// Takes `session`'s answer to `part` once, if they were asked and the round is open.
    pub fn take(&mut self, session: &str, part: Part, now: Instant) -> Result<(), NotTaken> {
        let free_question = self.talk.closing_question.is_some();
        if !self.is_open(now)
            || !self.asked.contains(session)
            || (part == Part::FreeAnswer && !free_question)
        {
            return Err(NotTaken::NotAsked);
        }
        let done = match part {
            Part::Learned => &mut self.learned,
            Part::FreeAnswer => &mut self.answered,
        };
        if done.insert(session.to_owned()) {
            Ok(())
        } else {
            Err(NotTaken::AlreadyAnswered)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(question: Option<&str>) -> ClosingRound {
        let talk = TalkInfo {
            key: "k".into(),
            title: "Bürgerhaushalt".into(),
            title_en: "Citizens' budget".into(),
            closing_question: question.map(str::to_owned),
        };
        let asked = ["ada", "ben"].map(String::from).into_iter().collect();
        ClosingRound::open(talk, asked, Instant::now())
    }

    #[test]
    fn each_person_asked_answers_each_part_once() {
        let mut r = round(Some("Was nimmst du mit?"));
        let now = Instant::now();
        assert_eq!(r.take("ada", Part::Learned, now), Ok(()));
        assert_eq!(
            r.take("ada", Part::Learned, now),
            Err(NotTaken::AlreadyAnswered)
        );
        assert_eq!(r.take("ada", Part::FreeAnswer, now), Ok(()));
        assert_eq!(r.take("cem", Part::Learned, now), Err(NotTaken::NotAsked));
    }

    #[test]
    fn no_free_answer_without_a_question_and_nothing_after_the_round_closed() {
        let mut r = round(None);
        let now = Instant::now();
        assert_eq!(
            r.take("ada", Part::FreeAnswer, now),
            Err(NotTaken::NotAsked)
        );
        let later = now + OPEN_FOR + Duration::from_secs(1);
        assert_eq!(r.take("ben", Part::Learned, later), Err(NotTaken::NotAsked));
    }
}
