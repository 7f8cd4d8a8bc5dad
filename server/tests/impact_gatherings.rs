//! Talks and class visits counted as gatherings against a real server: a talk's listeners,
//! hands and questions, a class visit's pupils, never who anyone was.

mod common;

use std::time::{Duration, Instant};

use common::impact::{exported, today_row};
use common::visits::{create_visit, pupil};
use common::voicer::staff_bot;
use common::web;
use common::{TestServer, pump_all};
use stadtlab_bots::Bot;
use stadtlab_shared::protocol::StageCmd;

fn send_stage(bot: &mut Bot, cmd: StageCmd) {
    common::stage::stage(bot, cmd);
    bot.flush();
}

#[test]
fn talks_and_class_visits_are_counted_as_gatherings() {
    let server = TestServer::start_with(|c| c.impact.min_count = 1);
    server.add_staff();
    let staff = web::login(&server.base);

    // A talk in the forum: the host and two listeners; one raises a hand, one asks.
    let mut host = staff_bot(&server, &staff, "forum");
    let mut ada = server.bot("forum", "Ada");
    let mut ben = server.bot("forum", "Ben");
    send_stage(&mut host, StageCmd::Talk { on: true });
    std::thread::sleep(Duration::from_millis(300));
    send_stage(&mut ada, StageCmd::RaiseHand);
    send_stage(
        &mut ben,
        StageCmd::Ask {
            text: "Wie viele Drucker hat das Lab?".into(),
        },
    );
    pump_all(&mut [&mut host, &mut ada, &mut ben], Duration::from_secs(3));
    send_stage(&mut host, StageCmd::Talk { on: false });
    pump_all(
        &mut [&mut host, &mut ada, &mut ben],
        Duration::from_millis(1500),
    );

    // A class visit of two pupils that ends after a few seconds.
    let visit = create_visit(&server, &staff, 4, 5);
    let code = visit["code"].as_str().unwrap().to_owned();
    let (mut cem, mut dora) = (pupil(&server, &code, "Cem"), pupil(&server, &code, "Dora"));
    let end = Instant::now() + Duration::from_secs(15);
    while Instant::now() < end && (cem.rejection().is_none() || dora.rejection().is_none()) {
        cem.pump();
        dora.pump();
        std::thread::sleep(Duration::from_millis(20));
    }
    // The loop notices the closed room within a second.
    std::thread::sleep(Duration::from_millis(1500));

    let talks = exported(&server, &staff, "talks.json").json();
    let talk = today_row(&talks, "room", "forum");
    assert_eq!(talk["peak_listeners"], 3, "{talk}");
    assert_eq!(
        (
            talk["hands_raised"].clone(),
            talk["questions_asked"].clone()
        ),
        (1.into(), 1.into())
    );
    assert!(talk["listener_minutes"].as_i64().unwrap() <= 1);
    let visits = exported(&server, &staff, "visits.json").json();
    let class = today_row(&visits, "scene", "stadtlabor");
    assert_eq!(class["pupils"], 2, "{class}");
    let everything = [talks.to_string(), visits.to_string()].concat();
    for name in ["Ada", "Ben", "Cem", "Dora", "Klasse 7b", "Drucker", &code] {
        assert!(!everything.contains(name), "{name} is stored");
    }
    for bot in [&mut host, &mut ada, &mut ben] {
        bot.leave();
    }
}
