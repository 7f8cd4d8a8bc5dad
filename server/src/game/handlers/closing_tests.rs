//! The closing question after a talk, on a room instance without sockets or storage: asked
//! once per visitor when a programme talk ends, answered once, counted for hosts only, closed
//! by the next talk or when its time is up.

use std::time::Instant;

use stadtlab_shared::protocol::domain::stage::{
    ClosingQuestion, Learned, MAX_CLOSING_ANSWER_CHARS, MAX_HEAD_COUNT, StageMsg, StageRefusal,
};
use stadtlab_shared::protocol::{Role, ServerMsg, StageCmd};

use super::tests::{actor, room_with};
use super::{GameEvent, Out, Outbox, stage};
use crate::admission::RoomId;
use crate::game::commands::{ProgrammeTalk, StageChange};
use crate::game::instance::Instance;

/// The forum (it has a stage) with a staff member (0) and two visitors (1, 2).
fn hall() -> Instance {
    let people = [
        ("Lea", Role::Staff),
        ("Ada", Role::Visitor),
        ("Ben", Role::Visitor),
    ];
    Instance::new(RoomId(3), room_with("forum", &people), "forum".into(), None)
}

fn to_one(out: &Outbox, avatar: u16) -> Vec<&ServerMsg> {
    out.0
        .iter()
        .filter_map(|o| match o {
            Out::To(a, msg) if *a == avatar => Some(msg),
            _ => None,
        })
        .collect()
}

#[test]
fn a_talks_end_asks_its_closing_question_once_per_visitor() {
    let mut inst = hall();
    let mut out = Outbox::default();
    let programme = ProgrammeTalk {
        title: "Offene Daten".into(),
        title_en: "Open data".into(),
        closing_question: Some("Was nimmst du mit?".into()),
    };
    let talk = |on, programme| StageChange::Talk { on, programme };
    stage::apply_change(&mut inst, talk(true, Some(programme)), &mut out);
    stage::handle(
        &mut inst,
        &actor(0, Role::Staff),
        StageCmd::HeadCount { people: 23 },
        &mut out,
    );
    assert_eq!(inst.stage.on_site, 23);
    stage::handle(
        &mut inst,
        &actor(1, Role::Visitor),
        StageCmd::RaiseHand,
        &mut out,
    );
    out.0.clear();
    stage::apply_change(&mut inst, talk(false, None), &mut out);
    assert!(
        to_one(&out, 1).contains(&&ServerMsg::Stage(StageMsg::YourHand { place: None })),
        "a hand still up goes down with the talk"
    );
    let asked = ServerMsg::Stage(StageMsg::Closing(Some(ClosingQuestion {
        title: "Offene Daten".into(),
        title_en: "Open data".into(),
        question: Some("Was nimmst du mit?".into()),
    })));
    assert!(to_one(&out, 1).contains(&&asked) && to_one(&out, 2).contains(&&asked));
    assert!(!to_one(&out, 0).contains(&&asked), "staff are not asked");
    let key = inst.stage.closing.as_ref().unwrap().talk.key.clone();

    let ada = actor(1, Role::Visitor);
    let mut out = Outbox::default();
    let yes = StageCmd::Learned {
        answer: Learned::Yes,
    };
    stage::handle(&mut inst, &ada, yes.clone(), &mut out);
    stage::handle(&mut inst, &ada, yes, &mut out);
    let answer = |text: &str| StageCmd::Answer { text: text.into() };
    stage::handle(&mut inst, &ada, answer("  Wie offen Soest ist. "), &mut out);
    stage::handle(&mut inst, &ada, answer("noch mal"), &mut out);
    stage::handle(
        &mut inst,
        &actor(2, Role::Visitor),
        answer(&"x".repeat(MAX_CLOSING_ANSWER_CHARS + 1)),
        &mut out,
    );
    let refused = |reason| Out::To(1, ServerMsg::Stage(StageMsg::Refused { reason }));
    assert_eq!(
        out.0,
        vec![
            Out::To(1, ServerMsg::Stage(StageMsg::AnswerTaken)),
            Out::Event(GameEvent::Learned {
                talk: key.clone(),
                answer: Learned::Yes
            }),
            refused(StageRefusal::AlreadyAnswered),
            Out::To(1, ServerMsg::Stage(StageMsg::AnswerTaken)),
            Out::Event(GameEvent::ClosingAnswer {
                talk: key,
                title: "Offene Daten".into(),
                question: "Was nimmst du mit?".into(),
                text: "Wie offen Soest ist.".into(),
            }),
            refused(StageRefusal::AlreadyAnswered),
            Out::To(
                2,
                ServerMsg::Stage(StageMsg::Refused {
                    reason: StageRefusal::BadAnswer
                })
            ),
        ]
    );
}

#[test]
fn only_hosts_report_a_head_count_and_a_new_talk_closes_the_last_question() {
    let mut inst = hall();
    let mut out = Outbox::default();
    let ada = actor(1, Role::Visitor);
    stage::handle(&mut inst, &ada, StageCmd::HeadCount { people: 5 }, &mut out);
    assert_eq!(inst.stage.on_site, 0);
    let lea = actor(0, Role::Staff);
    stage::handle(
        &mut inst,
        &lea,
        StageCmd::HeadCount {
            people: MAX_HEAD_COUNT + 1,
        },
        &mut out,
    );
    assert_eq!(inst.stage.on_site, 0);
    stage::handle(&mut inst, &lea, StageCmd::Talk { on: true }, &mut out);
    stage::handle(&mut inst, &lea, StageCmd::Talk { on: false }, &mut out);
    assert!(inst.stage.closing.is_some());
    out.0.clear();
    // A talk without a question of its own: only "learned" can be answered.
    stage::handle(
        &mut inst,
        &ada,
        StageCmd::Answer { text: "x".into() },
        &mut out,
    );
    stage::handle(&mut inst, &lea, StageCmd::Talk { on: true }, &mut out);
    stage::handle(
        &mut inst,
        &ada,
        StageCmd::Learned {
            answer: Learned::No,
        },
        &mut out,
    );
    let refused = |reason| Out::To(1, ServerMsg::Stage(StageMsg::Refused { reason }));
    assert_eq!(out.0[0], refused(StageRefusal::NotAsked));
    assert!(out.0.contains(&Out::All {
        msg: ServerMsg::Stage(StageMsg::Closing(None)),
        except: None
    }));
    assert_eq!(out.0.last(), Some(&refused(StageRefusal::NotAsked)));
}

#[test]
fn a_closing_question_closes_when_its_time_is_up() {
    use crate::game::closing::{ClosingRound, OPEN_FOR, TalkInfo};
    let mut inst = hall();
    let opened = Instant::now();
    let talk = TalkInfo {
        key: "k".into(),
        title: String::new(),
        title_en: String::new(),
        closing_question: None,
    };
    inst.stage.closing = Some(ClosingRound::open(talk, Default::default(), opened));
    let mut out = Outbox::default();
    super::closing::expire(&mut inst, opened + OPEN_FOR / 2, &mut out);
    assert!(
        inst.stage.closing.is_some() && out.0.is_empty(),
        "still open"
    );
    super::closing::expire(&mut inst, opened + OPEN_FOR, &mut out);
    assert!(
        inst.stage.closing.is_none(),
        "the sessions asked leave memory"
    );
    assert_eq!(
        out.0,
        vec![Out::All {
            msg: ServerMsg::Stage(StageMsg::Closing(None)),
            except: None
        }]
    );
}
