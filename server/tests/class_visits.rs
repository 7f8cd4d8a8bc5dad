//! Class visits against the real server: staff create a visit, a guide and a class of 25 join
//! by link and code, the guide leads them (follow, hold still, gather, look here), locks the
//! visit, switches the pupils' chat off; the visit warns before its end and closes.

mod common;

use std::time::{Duration, Instant};

use common::TestServer;
use common::visits::{create_visit, pupil};
use common::web::login;
use stadtlab_bots::{Bot, BotOptions};
use stadtlab_shared::chat::ChatError;
use stadtlab_shared::protocol::{
    ChatMsg, ClientMsg, RejectReason, Role, ServerMsg, TourCmd, TourMsg,
};
use stadtlab_shared::quantize::{QuantPos, yaw_to_u16};
use stadtlab_shared::scene::{CollisionWorld, built_in};

const PUPILS: usize = 25;

fn pos(bot: &Bot) -> glam::Vec3 {
    QuantPos(bot.my_state().expect("a state").pos).to_vec3()
}

/// Walkable within the centimetre the wire rounds positions to.
fn clear_of_walls(world: &CollisionWorld, at: glam::Vec3) -> bool {
    let d = [-0.015, 0.0, 0.015];
    d.iter()
        .flat_map(|x| d.iter().map(move |z| glam::Vec2::new(at.x + x, at.z + z)))
        .any(|p| world.walkable(p))
}

fn pump(bots: &mut [Bot], guide: &mut Bot, d: Duration) {
    let end = Instant::now() + d;
    while Instant::now() < end {
        guide.pump();
        for b in bots.iter_mut() {
            b.pump();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_guide_leads_a_class_through_a_private_room() {
    let server = TestServer::start();
    server.add_staff();
    let staff = login(&server.base);
    let visit = create_visit(&server, &staff, 3600, 30);
    let code = visit["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 7);
    let guide_link = visit["guide_link"].as_str().unwrap();
    let guide_key = guide_link.split("guide=").nth(1).unwrap().to_string();
    assert!(visit["open"].as_bool().unwrap());

    // The private room is not in the public list.
    let (_, rooms) = server.get("/api/rooms");
    assert!(!rooms.contains("visit-"), "{rooms}");

    // A wrong code and a wrong guide key get clear answers.
    let wrong = Bot::join(
        &server.base,
        "",
        "Mallory",
        BotOptions {
            code: Some("AAA-AAA".into()),
            ..Default::default()
        },
    );
    assert!(format!("{}", wrong.err().unwrap()).contains("unknown_code"));
    let wrong_key = Bot::join(
        &server.base,
        "",
        "Mallory",
        BotOptions {
            code: Some(code.clone()),
            guide: Some("00".repeat(16)),
            ..Default::default()
        },
    );
    assert!(format!("{}", wrong_key.err().unwrap()).contains("wrong_guide_key"));

    let mut guide = server.bot_with(
        "",
        "Frau Weber",
        BotOptions {
            code: Some(code.to_lowercase().replace('-', " ")),
            guide: Some(guide_key),
            ..Default::default()
        },
    );
    assert_eq!(guide.role, Role::Guide);
    let mut pupils: Vec<Bot> = (0..PUPILS)
        .map(|i| {
            server.bot_with(
                "",
                &format!("Kind {i}"),
                BotOptions {
                    code: Some(code.clone()),
                    ..Default::default()
                },
            )
        })
        .collect();
    assert!(pupils.iter().all(|p| p.role == Role::Visitor));
    pump(&mut pupils, &mut guide, Duration::from_millis(500));
    assert_eq!(guide.people.len(), PUPILS + 1);
    assert!(guide.people.values().any(|p| p.role == Role::Guide));

    // A pupil's guide tools are refused (and count as misbehaviour): nothing changes.
    pupils[0].send(&ClientMsg::Tour(TourCmd::Hold { on: true }));
    pump(&mut pupils, &mut guide, Duration::from_millis(300));
    assert!(!guide.tour.as_ref().is_some_and(|t| t.hold));

    // Follow me: the guide runs ~20 m in two legs; the class arrives behind, none in a wall.
    guide.send(&ClientMsg::Tour(TourCmd::Follow { on: true }));
    pump(&mut pupils, &mut guide, Duration::from_millis(300));
    assert_eq!(guide.tour.as_ref().unwrap().followers.len(), PUPILS);
    let start = pos(&guide);
    for (yaw, secs) in [(0.0f32, 2.5f32), (std::f32::consts::FRAC_PI_2, 2.5)] {
        let end = Instant::now() + Duration::from_secs_f32(secs);
        while Instant::now() < end {
            guide.send_input(127, 0, yaw_to_u16(yaw), true);
            pump(&mut pupils, &mut guide, Duration::from_millis(33));
        }
    }
    pump(&mut pupils, &mut guide, Duration::from_secs(6));
    let there = pos(&guide);
    let walked = start.distance(there);
    assert!(walked > 8.0, "the guide walked {walked} m");
    let world = CollisionWorld::from_scene(&built_in("stadtlabor").unwrap());
    for p in &pupils {
        let at = pos(p);
        assert!(
            at.distance(there) < 7.0,
            "{} stayed behind: {at} vs guide {there}",
            p.join.name
        );
        assert!(
            clear_of_walls(&world, at),
            "{} stands in a wall at {at}",
            p.join.name
        );
    }

    // A pupil who walks away steps out; one button brings them back.
    for _ in 0..10 {
        pupils[1].send_input(127, 0, 0, false);
        pump(&mut pupils, &mut guide, Duration::from_millis(33));
    }
    pump(&mut pupils, &mut guide, Duration::from_millis(300));
    let me = pupils[1].me.unwrap();
    assert!(!guide.tour.as_ref().unwrap().followers.contains(&me));
    pupils[1].send(&ClientMsg::Tour(TourCmd::FollowAgain));
    pump(&mut pupils, &mut guide, Duration::from_millis(300));
    assert!(guide.tour.as_ref().unwrap().followers.contains(&me));
    guide.send(&ClientMsg::Tour(TourCmd::Follow { on: false }));

    // Hold still: inputs are ignored while it is on.
    guide.send(&ClientMsg::Tour(TourCmd::Hold { on: true }));
    pump(&mut pupils, &mut guide, Duration::from_millis(300));
    assert!(pupils[2].tour.as_ref().unwrap().hold);
    let before = pos(&pupils[2]);
    for _ in 0..30 {
        pupils[2].send_input(127, 0, 0, true);
        pump(&mut pupils, &mut guide, Duration::from_millis(33));
    }
    assert!(
        pos(&pupils[2]).distance(before) < 0.05,
        "a held pupil moved"
    );
    guide.send(&ClientMsg::Tour(TourCmd::Hold { on: false }));

    // Gather: everyone next to the guide at once.
    for _ in 0..30 {
        pupils[3].send_input(127, 0, 0, true);
        pump(&mut pupils, &mut guide, Duration::from_millis(33));
    }
    guide.send(&ClientMsg::Tour(TourCmd::Gather));
    pump(&mut pupils, &mut guide, Duration::from_millis(500));
    let g = pos(&guide);
    for p in &pupils {
        assert!(pos(p).distance(g) < 7.0, "{} was not gathered", p.join.name);
    }
    assert!(
        pupils[3]
            .inbox
            .contains(&ServerMsg::Tour(TourMsg::Gathered))
    );

    // Look here: one exhibit's panel opens for everyone.
    let exhibit = guide
        .exhibits
        .by_id
        .keys()
        .next()
        .expect("an exhibit")
        .clone();
    guide.send(&ClientMsg::Tour(TourCmd::LookHere {
        exhibit: Some(exhibit.clone()),
    }));
    pump(&mut pupils, &mut guide, Duration::from_millis(300));
    for p in &pupils {
        assert!(p.inbox.contains(&ServerMsg::Tour(TourMsg::LookHere {
            exhibit: Some(exhibit.clone())
        })));
    }

    // Pupils' chat off: a pupil's line is refused with a reason; the guide still speaks.
    guide.send(&ClientMsg::Tour(TourCmd::PupilChat { on: false }));
    pump(&mut pupils, &mut guide, Duration::from_millis(300));
    pupils[4].chat("Hallo!");
    guide.chat("Schaut mal hier.");
    pump(&mut pupils, &mut guide, Duration::from_millis(400));
    assert!(pupils[4].inbox.contains(&ServerMsg::Chat(ChatMsg::Refused {
        reason: ChatError::PupilChatOff
    })));
    assert!(pupils[5].inbox.iter().any(
        |m| matches!(m, ServerMsg::Chat(ChatMsg::Line { text, .. }) if text == "Schaut mal hier.")
    ));

    // Lock: nobody else comes in, even with the code.
    guide.send(&ClientMsg::Tour(TourCmd::Lock { on: true }));
    pump(&mut pupils, &mut guide, Duration::from_millis(300));
    let late = Bot::join(
        &server.base,
        "",
        "Nachzügler",
        BotOptions {
            code: Some(code.clone()),
            ..Default::default()
        },
    );
    assert!(format!("{}", late.err().unwrap()).contains("visit_locked"));
}

#[test]
fn a_visit_warns_before_its_end_and_then_closes() {
    let server = TestServer::start();
    server.add_staff();
    let staff = login(&server.base);
    let visit = create_visit(&server, &staff, 6, 5);
    let code = visit["code"].as_str().unwrap().to_string();
    let mut a = pupil(&server, &code, "Ada");
    let mut b = pupil(&server, &code, "Ben");
    // Less than 5 minutes left: the warning comes at once.
    let _ = a.pump_until(Duration::from_secs(3), "warning", |bot| {
        bot.inbox
            .iter()
            .any(|m| matches!(m, ServerMsg::Tour(TourMsg::EndsSoon { .. })))
    });
    assert!(
        a.inbox
            .iter()
            .any(|m| matches!(m, ServerMsg::Tour(TourMsg::EndsSoon { .. })))
    );
    let end = Instant::now() + Duration::from_secs(15);
    while Instant::now() < end && (a.rejection().is_none() || b.rejection().is_none()) {
        a.pump();
        b.pump();
        std::thread::sleep(Duration::from_millis(20));
    }
    for bot in [&a, &b] {
        assert!(bot.inbox.contains(&ServerMsg::Rejected {
            reason: RejectReason::VisitEnded
        }));
    }
    // The code no longer opens anything.
    let after = Bot::join(
        &server.base,
        "",
        "Zu spät",
        BotOptions {
            code: Some(code),
            ..Default::default()
        },
    );
    assert!(format!("{}", after.err().unwrap()).contains("unknown_code"));
}

#[test]
fn guessing_codes_is_limited_per_address() {
    let server = TestServer::start();
    let mut limited = false;
    for i in 0..15 {
        let err = Bot::join(
            &server.base,
            "",
            "Rate",
            BotOptions {
                code: Some(format!("AAA-AA{}", ["A", "C", "D"][i % 3])),
                ..Default::default()
            },
        )
        .err()
        .unwrap();
        if format!("{err}").contains("too_many_codes") {
            limited = true;
            break;
        }
    }
    assert!(limited, "code guessing was never limited");
}
