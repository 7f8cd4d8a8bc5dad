//! A room's talk: whether it runs, who has the floor (only after saying yes), and the queue of
//! raised hands in order of raising. Hands are kept by session, so a visitor whose connection
//! drops and comes back keeps their place.

use std::collections::HashSet;
use std::time::Instant;

use stadtlab_shared::protocol::domain::stage::{
    MAX_HANDS, MAX_OPEN_QUESTIONS_PER_PERSON, MAX_QUESTIONS, Question, Slides,
};

#[derive(Debug, Clone)]
pub struct Hand {
    pub session: String,
    pub raised_at: Instant,
}

#[derive(Debug, Default)]
pub struct Stage {
    pub running: bool,
    /// Who has the floor now.
    pub floor: Option<u16>,
    /// Who was offered the floor and has not answered yet.
    pub offered: Option<u16>,
    /// In order of raising.
    pub hands: Vec<Hand>,
    /// Who the hall heard at the last plan (to tell clients only about changes).
    pub on_air: Vec<u16>,
    pub questions: Vec<AskedQuestion>,
    /// The question on the stage screen.
    pub on_screen: Option<u32>,
    /// The slides on the stage screen and their page.
    pub slides: Option<Slides>,
    /// The lab's console (see `StageCmd::Console`).
    pub console: Option<u16>,
    /// The running talk's key, title and closing question (for the counts).
    pub talk: Option<super::closing::TalkInfo>,
    /// The largest head count the console reported for the physical hall during this talk.
    pub on_site: u16,
    /// The last talk's closing question, while it can be answered.
    pub closing: Option<super::closing::ClosingRound>,
}

/// A written question with who asked and who supported it (sessions, never shown).
#[derive(Debug, Clone)]
pub struct AskedQuestion {
    pub question: Question,
    pub asker: String,
    pub voters: HashSet<String>,
}

/// Why a question was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskError {
    TooMany,
}

impl Stage {
    /// Raises `session`'s hand; returns false when the queue is full. Raising again keeps the
    /// place.
    pub fn raise(&mut self, session: &str, now: Instant) -> bool {
        if self.place(session).is_some() {
            return true;
        }
        if self.hands.len() >= MAX_HANDS {
            return false;
        }
        self.hands.push(Hand {
            session: session.to_string(),
            raised_at: now,
        });
        true
    }

    /// Lowers `session`'s hand; returns whether it was up.
    pub fn lower(&mut self, session: &str) -> bool {
        let before = self.hands.len();
        self.hands.retain(|h| h.session != session);
        self.hands.len() != before
    }

    /// 1 = next.
    pub fn place(&self, session: &str) -> Option<u16> {
        self.hands
            .iter()
            .position(|h| h.session == session)
            .map(|i| i as u16 + 1)
    }

    /// The talk ends: floor, offer, hands and questions go.
    pub fn end(&mut self) {
        self.running = false;
        self.floor = None;
        self.offered = None;
        self.hands.clear();
        self.questions.clear();
        self.on_screen = None;
        self.talk = None;
        self.on_site = 0;
    }

    /// Takes a checked question from `session` (shown as `by`).
    pub fn ask(&mut self, session: &str, by: &str, text: String) -> Result<Question, AskError> {
        let open = self
            .questions
            .iter()
            .filter(|q| q.asker == session && !q.question.answered)
            .count();
        if open >= MAX_OPEN_QUESTIONS_PER_PERSON || self.questions.len() >= MAX_QUESTIONS {
            return Err(AskError::TooMany);
        }
        let question = Question {
            id: self.questions.last().map_or(1, |q| q.question.id + 1),
            text,
            by: by.to_string(),
            votes: 0,
            answered: false,
        };
        self.questions.push(AskedQuestion {
            question: question.clone(),
            asker: session.to_string(),
            voters: HashSet::new(),
        });
        Ok(question)
    }

    /// One vote per person and question (the asker's own does not count); the question
    /// after it, if there is one, and whether the vote counted.
    pub fn upvote(&mut self, session: &str, id: u32) -> Option<(Question, bool)> {
        let q = self.questions.iter_mut().find(|q| q.question.id == id)?;
        let counted = q.asker != session && q.voters.insert(session.to_string());
        if counted {
            q.question.votes += 1;
        }
        Some((q.question.clone(), counted))
    }

    pub fn question_mut(&mut self, id: u32) -> Option<&mut Question> {
        self.questions
            .iter_mut()
            .find(|q| q.question.id == id)
            .map(|q| &mut q.question)
    }

    /// Open questions first, then by votes, then in order of asking (hosts' view).
    pub fn ranked(&self) -> Vec<Question> {
        let mut list: Vec<Question> = self.questions.iter().map(|q| q.question.clone()).collect();
        list.sort_by_key(|q| (q.answered, std::cmp::Reverse(q.votes), q.id));
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hands_keep_their_order_and_raising_again_keeps_the_place() {
        let mut s = Stage::default();
        let now = Instant::now();
        for who in ["a", "b", "c"] {
            assert!(s.raise(who, now));
        }
        assert!(s.raise("a", now));
        assert_eq!(s.place("a"), Some(1));
        assert_eq!(s.place("c"), Some(3));
        assert!(s.lower("a"));
        assert!(!s.lower("a"));
        assert_eq!(s.place("b"), Some(1));
        assert_eq!(s.place("a"), None);
    }

    #[test]
    fn one_vote_per_person_and_a_ranking_by_votes() {
        let mut s = Stage::default();
        let a = s.ask("ada", "Ada", "Wann?".into()).unwrap();
        let b = s.ask("ben", "Ben", "Wo?".into()).unwrap();
        assert_eq!(
            s.upvote("cem", b.id).map(|(q, c)| (q.votes, c)),
            Some((1, true))
        );
        assert_eq!(
            s.upvote("cem", b.id).map(|(q, c)| (q.votes, c)),
            Some((1, false))
        );
        assert_eq!(
            s.upvote("ben", b.id).map(|(q, c)| (q.votes, c)),
            Some((1, false)),
            "own"
        );
        assert_eq!(
            s.ranked().iter().map(|q| q.id).collect::<Vec<_>>(),
            [b.id, a.id]
        );
        s.question_mut(b.id).unwrap().answered = true;
        assert_eq!(s.ranked()[0].id, a.id, "answered ones go to the end");
        assert!(s.upvote("cem", 99).is_none());
    }

    #[test]
    fn a_person_has_a_few_open_questions_at_most() {
        let mut s = Stage::default();
        for i in 0..MAX_OPEN_QUESTIONS_PER_PERSON {
            assert!(s.ask("ada", "Ada", format!("Frage {i}")).is_ok());
        }
        assert_eq!(
            s.ask("ada", "Ada", "noch eine".into()),
            Err(AskError::TooMany)
        );
        assert!(s.ask("ben", "Ben", "meine".into()).is_ok());
    }

    #[test]
    fn the_queue_has_a_limit() {
        let mut s = Stage::default();
        let now = Instant::now();
        for i in 0..MAX_HANDS {
            assert!(s.raise(&i.to_string(), now));
        }
        assert!(!s.raise("one more", now));
    }
}
