//! The per-domain handlers on a room instance, without sockets or storage.

use std::sync::Arc;
use std::time::{Duration, Instant};

use stadtlab_shared::chat::ChatError;
use stadtlab_shared::protocol::{
    ChatCmd, ChatMsg, ModerationCmd, ModerationMsg, ModerationRefusal, RejectReason, Role,
    ServerMsg, TourCmd, TourMsg, TourRefusal,
};
use stadtlab_shared::scene::built_in;

use stadtlab_shared::protocol::StageCmd;
use stadtlab_shared::protocol::domain::stage::{
    ClosingQuestion, Learned, MAX_CLOSING_ANSWER_CHARS, MAX_HEAD_COUNT, StageMsg, StageRefusal,
};

use super::{Actor, GameEvent, Out, Outbox, chat, moderation, stage, tour};
use crate::admission::{RoomId, Seat};
use crate::game::commands::{ProgrammeTalk, StageChange};
use crate::game::instance::{Instance, VisitRuntime};
use crate::game::room::Room;

fn seat(name: &str, role: Role) -> Seat {
    let mut seat = Seat::closed();
    seat.name = name.into();
    seat.session = format!("s-{name}");
    seat.role = role;
    seat.device_hash = Some(format!("d-{name}"));
    seat
}

/// A room with a guide (id 0), a staff member (1) and two pupils (2, 3).
/// A room of `scene` with these people in it (avatar ids 0, 1, … in this order).
fn room_with(scene: &str, people: &[(&str, Role)]) -> Room {
    let mut room = Room::new(Arc::new(built_in(scene).unwrap()));
    for (i, (name, role)) in people.iter().enumerate() {
        room.spawn(&seat(name, *role), i as u64 + 1);
    }
    room
}

fn visit() -> Instance {
    let room = room_with(
        "stadtlabor",
        &[
            ("Frau Weber", Role::Guide),
            ("Lea", Role::Staff),
            ("Ada", Role::Visitor),
            ("Ben", Role::Visitor),
        ],
    );
    Instance::new(
        RoomId(7),
        room,
        "stadtlabor".into(),
        Some(VisitRuntime {
            title: "7b".into(),
            ends_at: Instant::now() + Duration::from_secs(3600),
            warned: false,
            locked: false,
            pupil_chat: true,
        }),
    )
}

fn actor(avatar: u16, role: Role) -> Actor {
    Actor { avatar, role }
}

const RULES: moderation::Rules = moderation::Rules {
    removal_minutes: 15,
};

#[test]
fn a_guide_removes_a_pupil_but_not_staff() {
    let mut inst = visit();
    let mut out = Outbox::default();
    let guide = actor(0, Role::Guide);
    moderation::handle(
        &mut inst,
        &guide,
        ModerationCmd::Remove {
            target: 1,
            reason: "x".into(),
        },
        RULES,
        &mut out,
    );
    assert_eq!(
        out.0,
        vec![Out::To(
            0,
            ServerMsg::Moderation(ModerationMsg::Refused {
                reason: ModerationRefusal::Protected
            })
        )]
    );
    let mut out = Outbox::default();
    moderation::handle(
        &mut inst,
        &guide,
        ModerationCmd::Remove {
            target: 2,
            reason: "Pause".into(),
        },
        RULES,
        &mut out,
    );
    assert!(out.0.contains(&Out::Remove {
        avatar: 2,
        reason: RejectReason::Removed {
            minutes: 15,
            reason: "Pause".into()
        }
    }));
    assert!(out.0.iter().any(|o| matches!(
        o,
        Out::Event(GameEvent::Removed {
            room: RoomId(7),
            minutes: 15,
            ..
        })
    )));
    assert!(out.0.iter().any(|o| matches!(
        o,
        Out::Event(GameEvent::Audit {
            action: "remove",
            ..
        })
    )));
}

#[test]
fn a_muted_pupil_cannot_chat_and_pupils_chat_can_be_switched_off() {
    let mut inst = visit();
    let mut out = Outbox::default();
    moderation::handle(
        &mut inst,
        &actor(1, Role::Staff),
        ModerationCmd::MuteChat {
            target: 3,
            muted: true,
        },
        RULES,
        &mut out,
    );
    assert!(out.0.contains(&Out::To(
        3,
        ServerMsg::Moderation(ModerationMsg::ChatMuted {
            muted: true,
            by: "Lea".into()
        })
    )));
    let say = |text: &str| ChatCmd::Say { text: text.into() };
    let mut out = Outbox::default();
    assert_eq!(
        chat::handle(
            &mut inst,
            &actor(3, Role::Visitor),
            say("hi"),
            Instant::now(),
            &mut out
        ),
        Some(ChatError::Muted)
    );
    tour::handle(
        &mut inst,
        &actor(0, Role::Guide),
        TourCmd::PupilChat { on: false },
        &mut out,
    );
    assert_eq!(
        chat::handle(
            &mut inst,
            &actor(2, Role::Visitor),
            say("hi"),
            Instant::now(),
            &mut out
        ),
        Some(ChatError::PupilChatOff)
    );
    let mut out = Outbox::default();
    assert_eq!(
        chat::handle(
            &mut inst,
            &actor(0, Role::Guide),
            say("Hier!"),
            Instant::now(),
            &mut out
        ),
        None
    );
    assert!(
        matches!(&out.0[0], Out::All { msg: ServerMsg::Chat(ChatMsg::Line { text, .. }), .. } if text == "Hier!")
    );
    assert_eq!(inst.room.recent_chat.back().unwrap().1, "Hier!");
}

#[test]
fn tour_tools_change_the_visit_and_tell_everyone() {
    let mut inst = visit();
    let guide = actor(0, Role::Guide);
    let mut out = Outbox::default();
    tour::handle(&mut inst, &guide, TourCmd::Follow { on: true }, &mut out);
    let state = tour::state(&inst);
    assert_eq!(
        state.followers,
        vec![2, 3],
        "pupils follow; staff and the guide do not"
    );
    assert_eq!(state.guide, Some(0));
    tour::handle(&mut inst, &guide, TourCmd::Hold { on: true }, &mut out);
    tour::handle(&mut inst, &guide, TourCmd::Lock { on: true }, &mut out);
    assert!(out.0.contains(&Out::Event(GameEvent::Locked {
        room: RoomId(7),
        locked: true
    })));
    let audited: Vec<&str> = out
        .0
        .iter()
        .filter_map(|o| match o {
            Out::Event(GameEvent::Audit { action, .. }) => Some(*action),
            _ => None,
        })
        .collect();
    assert_eq!(
        audited,
        ["hold", "lock"],
        "follow is not audited, holding back is"
    );
    let state = tour::state(&inst);
    assert!(state.hold && state.locked && state.follow);
    let mut out = Outbox::default();
    tour::handle(
        &mut inst,
        &guide,
        TourCmd::LookHere {
            exhibit: Some("nope".into()),
        },
        &mut out,
    );
    assert_eq!(
        out.0,
        vec![Out::To(
            0,
            ServerMsg::Tour(TourMsg::Refused {
                reason: TourRefusal::NoSuchExhibit
            })
        )]
    );
    // Gather brings both pupils next to the guide.
    let mut out = Outbox::default();
    tour::handle(&mut inst, &guide, TourCmd::Gather, &mut out);
    assert!(
        out.0
            .contains(&Out::To(2, ServerMsg::Tour(TourMsg::Gathered)))
    );
    let g = inst.room.avatar(0).unwrap().motion.pos;
    assert!(inst.room.avatar(3).unwrap().motion.pos.distance(g) < 4.0);
}

#[test]
fn tour_tools_need_a_visit() {
    let mut inst = visit();
    inst.visit = None;
    let mut out = Outbox::default();
    tour::handle(&mut inst, &actor(1, Role::Staff), TourCmd::Gather, &mut out);
    assert_eq!(
        out.0,
        vec![Out::To(
            1,
            ServerMsg::Tour(TourMsg::Refused {
                reason: TourRefusal::NotAVisit
            })
        )]
    );
}

#[test]
fn the_visit_clock_warns_once_then_closes() {
    let mut inst = visit();
    let now = Instant::now();
    let mut out = Outbox::default();
    assert!(!tour::clock(&mut inst, now, &mut out));
    assert!(out.0.is_empty(), "an hour left: no warning yet");
    inst.visit.as_mut().unwrap().ends_at = now + Duration::from_secs(240);
    assert!(!tour::clock(&mut inst, now, &mut out));
    assert!(!tour::clock(&mut inst, now, &mut out));
    assert_eq!(
        out.0
            .iter()
            .filter(|o| matches!(
                o,
                Out::All {
                    msg: ServerMsg::Tour(TourMsg::EndsSoon { .. }),
                    ..
                }
            ))
            .count(),
        1
    );
    let mut out = Outbox::default();
    assert!(tour::clock(
        &mut inst,
        now + Duration::from_secs(241),
        &mut out
    ));
    assert_eq!(
        out.0
            .iter()
            .filter(|o| matches!(
                o,
                Out::Remove {
                    reason: RejectReason::VisitEnded,
                    ..
                }
            ))
            .count(),
        4
    );
}

#[test]
fn a_flood_of_reports_is_refused() {
    let mut inst = visit();
    let pupil = actor(2, Role::Visitor);
    let mut refused = 0;
    for _ in 0..20 {
        let mut out = Outbox::default();
        moderation::handle(
            &mut inst,
            &pupil,
            ModerationCmd::Report {
                target: 3,
                reason: "x".into(),
            },
            RULES,
            &mut out,
        );
        if out.0.contains(&Out::To(
            2,
            ServerMsg::Moderation(ModerationMsg::Refused {
                reason: ModerationRefusal::TooMany,
            }),
        )) {
            refused += 1;
        }
    }
    assert!(refused >= 14, "only {refused} of 20 reports refused");
}

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
