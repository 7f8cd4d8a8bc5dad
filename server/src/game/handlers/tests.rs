//! The per-domain handlers on a room instance, without sockets or storage: moderation, chat
//! and the class visit's tour tools (the closing question after a talk: `closing_tests`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use stadtlab_shared::chat::ChatError;
use stadtlab_shared::protocol::{
    ChatCmd, ChatMsg, ModerationCmd, ModerationMsg, ModerationRefusal, RejectReason, Role,
    ServerMsg, TourCmd, TourMsg, TourRefusal,
};
use stadtlab_shared::scene::built_in;

use super::{Actor, GameEvent, Out, Outbox, chat, moderation, tour};
use crate::admission::{RoomId, Seat};
use crate::game::instance::{Instance, VisitRuntime};
use crate::game::room::Room;

pub(super) fn seat(name: &str, role: Role) -> Seat {
    let mut seat = Seat::closed();
    seat.name = name.into();
    seat.session = format!("s-{name}");
    seat.role = role;
    seat.device_hash = Some(format!("d-{name}"));
    seat
}

/// A room with a guide (id 0), a staff member (1) and two pupils (2, 3).
/// A room of `scene` with these people in it (avatar ids 0, 1, … in this order).
pub(super) fn room_with(scene: &str, people: &[(&str, Role)]) -> Room {
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

pub(super) fn actor(avatar: u16, role: Role) -> Actor {
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
