//! The end of a talk: its closing question asked of everyone who heard it (not staff, not the
//! console), answers taken once per person and passed on without who gave them; and the head
//! count the lab's console reports for the physical hall.

use std::collections::HashSet;
use std::time::Instant;

use stadtlab_shared::protocol::domain::stage::{
    Learned, MAX_CLOSING_ANSWER_CHARS, MAX_HEAD_COUNT, StageMsg, StageRefusal,
};
use stadtlab_shared::protocol::{Role, ServerMsg};

use super::{Actor, GameEvent, Outbox};
use crate::game::closing::{ClosingRound, NotTaken, Part, TalkInfo};
use crate::game::commands::ProgrammeTalk;
use crate::game::instance::Instance;

fn refuse(out: &mut Outbox, actor: &Actor, reason: StageRefusal) {
    out.to(actor.avatar, ServerMsg::Stage(StageMsg::Refused { reason }));
}

/// A talk starts (or a talk started by hand is taken over by the programme): it gets its key
/// and the programme's title and question; the last talk's closing question closes.
pub fn start_talk(inst: &mut Instance, programme: Option<ProgrammeTalk>, out: &mut Outbox) {
    if inst.stage.closing.take().is_some() {
        out.all(ServerMsg::Stage(StageMsg::Closing(None)));
    }
    let talk = inst.stage.talk.get_or_insert_with(|| TalkInfo {
        key: crate::http::auth::new_token(),
        title: String::new(),
        title_en: String::new(),
        closing_question: None,
    });
    if let Some(p) = programme {
        talk.title = p.title;
        talk.title_en = p.title_en;
        talk.closing_question = p.closing_question;
    }
}

/// The closing question closes once its time is up: the sessions asked leave memory, and the
/// panels go.
pub fn expire(inst: &mut Instance, now: Instant, out: &mut Outbox) {
    if inst.stage.closing.as_ref().is_some_and(|c| !c.is_open(now)) {
        inst.stage.closing = None;
        out.all(ServerMsg::Stage(StageMsg::Closing(None)));
    }
}

/// The talk ended: everyone in the room but staff and the console is asked.
pub fn ask(inst: &mut Instance, talk: TalkInfo, out: &mut Outbox) {
    let asked: Vec<(u16, String)> = inst
        .room
        .avatars
        .iter()
        .flatten()
        .filter(|a| a.client.is_some() && a.role < Role::Staff)
        .filter(|a| Some(a.id) != inst.stage.console)
        .map(|a| (a.id, a.session.clone()))
        .collect();
    let sessions: HashSet<String> = asked.iter().map(|(_, s)| s.clone()).collect();
    let round = ClosingRound::open(talk, sessions, Instant::now());
    let question = round.question();
    for (avatar, _) in asked {
        out.to(
            avatar,
            ServerMsg::Stage(StageMsg::Closing(Some(question.clone()))),
        );
    }
    inst.stage.closing = Some(round);
}

/// Takes `actor`'s answer to `part` of the closing round; the talk it was for, or `None`
/// after telling them why not.
fn take(inst: &mut Instance, actor: &Actor, part: Part, out: &mut Outbox) -> Option<TalkInfo> {
    let session = inst.room.avatar(actor.avatar)?.session.clone();
    let Some(round) = inst.stage.closing.as_mut() else {
        refuse(out, actor, StageRefusal::NotAsked);
        return None;
    };
    match round.take(&session, part, Instant::now()) {
        Ok(()) => {
            out.to(actor.avatar, ServerMsg::Stage(StageMsg::AnswerTaken));
            Some(round.talk.clone())
        }
        Err(NotTaken::NotAsked) => {
            refuse(out, actor, StageRefusal::NotAsked);
            None
        }
        Err(NotTaken::AlreadyAnswered) => {
            refuse(out, actor, StageRefusal::AlreadyAnswered);
            None
        }
    }
}

/// "Did you learn something new?": counted for the talk, never for the person.
pub fn learned(inst: &mut Instance, actor: &Actor, answer: Learned, out: &mut Outbox) {
    if let Some(talk) = take(inst, actor, Part::Learned, out) {
        out.event(GameEvent::Learned {
            talk: talk.key,
            answer,
        });
    }
}

/// A free answer to the talk's own question: checked like chat, passed on without a name.
pub fn free_answer(inst: &mut Instance, actor: &Actor, text: &str, out: &mut Outbox) {
    let text = text.trim();
    if text.is_empty()
        || text.chars().count() > MAX_CLOSING_ANSWER_CHARS
        || text.chars().any(char::is_control)
    {
        return refuse(out, actor, StageRefusal::BadAnswer);
    }
    // Answers draw on the chat allowance: a flood is refused.
    let allowed = inst
        .room
        .avatar_mut(actor.avatar)
        .is_some_and(|a| a.chat.try_take(Instant::now()));
    if !allowed {
        return refuse(out, actor, StageRefusal::BadAnswer);
    }
    if let Some(talk) = take(inst, actor, Part::FreeAnswer, out) {
        out.event(GameEvent::ClosingAnswer {
            talk: talk.key,
            title: talk.title,
            question: talk.closing_question.unwrap_or_default(),
            text: text.to_owned(),
        });
    }
}

/// Hosts (the console): people in the physical hall now; the talk keeps the largest.
pub fn head_count(inst: &mut Instance, actor: &Actor, people: u16, out: &mut Outbox) {
    if people > MAX_HEAD_COUNT {
        return refuse(out, actor, StageRefusal::BadAnswer);
    }
    inst.stage.on_site = inst.stage.on_site.max(people);
    out.to(actor.avatar, ServerMsg::Stage(StageMsg::AnswerTaken));
}
