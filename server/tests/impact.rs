//! Impact counts against a real server and its real database: entries and unique visitors
//! per day and room, time a bot stands at an exhibit, downloads of a print file; the exports
//! (parsed with a real CSV reader) against the data dictionary, small counts left out, and
//! nothing in the counts' tables or the exports that says who anyone was.

mod common;

use std::collections::BTreeMap;
use std::f32::consts::FRAC_PI_2;
use std::time::{Duration, Instant};

use common::TestServer;
use common::impact::{exported, today_row};
use common::web::{self, request};
use sqlx::Row;
use stadtlab_bots::options::new_device_key;
use stadtlab_bots::{Bot, BotOptions};
use stadtlab_shared::protocol::{ClientMsg, ExhibitCmd, RatingAnswer, RatingRefusal, ServerMsg};
use stadtlab_shared::quantize::{QuantPos, yaw_to_u16};

/// The bird-feeder bracket of the lab's own printables stands here (slot te-7).
const BRACKET: (&str, [f32; 2]) = ("druck-futterhaus-halter", [15.2, 1.2]);

fn join(server: &TestServer, name: &str, device: &str) -> Bot {
    server.bot_with(
        "stadtlabor",
        name,
        BotOptions {
            device: Some(device.to_owned()),
            ..Default::default()
        },
    )
}

/// The keyring stands here (slot te-8), north of the bracket.
const KEYRING: (&str, [f32; 2]) = ("druck-schluesselanhaenger", [15.2, 4.6]);
/// The exhibits within reach of the route (the gate, te-6, is never the nearest).
const ON_ROUTE: [(&str, [f32; 2]); 3] = [("druck-osthofentor", [16.6, 2.9]), BRACKET, KEYRING];

/// The scripted route: east from the entrance to the bracket (exhibit A), stand `at_a`; north
/// to the keyring (B), stand `at_b`; leave. Returns the seconds the bot stood nearest to each
/// exhibit within 2.5 m, as it saw itself (the rule the server counts by).
fn walk_route(walker: &mut Bot, at_a: Duration, at_b: Duration) -> BTreeMap<&'static str, f64> {
    let mut near: BTreeMap<&'static str, f64> = BTreeMap::new();
    let mut last = Instant::now();
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut step = |bot: &mut Bot, forward: i8, yaw: f32| {
        bot.pump();
        bot.send_input(forward, 0, yaw_to_u16(yaw), false);
        bot.flush();
        std::thread::sleep(Duration::from_millis(33));
        let p = QuantPos(bot.my_state().expect("my avatar").pos).to_vec3();
        let now = Instant::now();
        let nearest = ON_ROUTE
            .iter()
            .map(|(id, [x, z])| (*id, ((p.x - x).powi(2) + (p.z - z).powi(2)).sqrt()))
            .filter(|(_, d)| *d < 2.5)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((id, _)) = nearest {
            *near.entry(id).or_default() += (now - last).as_secs_f64();
        }
        last = now;
        assert!(now < deadline, "the route took too long at {p:?}");
        p
    };
    // West of the timber post at (14, 4): the way north stays free.
    while step(walker, 127, FRAC_PI_2).x < 13.3 {}
    let standing = Instant::now();
    while standing.elapsed() < at_a {
        step(walker, 0, FRAC_PI_2);
    }
    // Yaw 0 faces +z.
    while step(walker, 127, 0.0).z < KEYRING.1[1] {}
    let standing = Instant::now();
    while standing.elapsed() < at_b {
        step(walker, 0, 0.0);
    }
    walker.leave();
    near
}

#[test]
fn visits_time_at_an_exhibit_and_downloads_are_counted_without_saying_who() {
    let server = TestServer::start_with(|c| c.impact.min_count = 1);
    server.add_staff();
    let staff = web::login(&server.base);
    let base = &server.base;

    // The walker comes first: alone in the room it starts at the entrance (10, 1.2). It opens
    // the keyring's inspect view on the way, stands 10 s at the bracket and 20 s at the keyring.
    let walker_key = new_device_key();
    let mut walker = join(&server, "Qwanda", &walker_key);
    walker.send(&ClientMsg::Exhibit(ExhibitCmd::Inspected {
        id: KEYRING.0.into(),
    }));
    let near = walk_route(
        &mut walker,
        Duration::from_secs(10),
        Duration::from_secs(20),
    );

    // Ada comes twice with the same device (one visitor, two entries), Ben once.
    let (ada_key, ben_key) = (new_device_key(), new_device_key());
    let mut ada = join(&server, "Qada", &ada_key);
    ada.leave();
    let mut ada = join(&server, "Qada", &ada_key);
    let mut ben = join(&server, "Qben", &ben_key);
    let sessions = [ada.join.session.clone(), ben.join.session.clone()];

    // Two downloads by visitors; staff checking the file do not count.
    let file = format!("{base}/api/exhibits/{}/print/file", BRACKET.0);
    for _ in 0..2 {
        assert_eq!(request("GET", &file, &[], None).status, 200);
    }
    assert_eq!(request("GET", &file, &staff.headers(), None).status, 200);

    let rooms = exported(&server, &staff, "rooms.json").json();
    let lab = today_row(&rooms, "room", "stadtlabor");
    assert_eq!(lab["visitors"], 3, "{lab}");
    assert_eq!(lab["joins"], 4, "{lab}");
    assert_eq!(
        (lab["joins_app"].clone(), lab["joins_udp"].clone()),
        (4.into(), 4.into())
    );
    assert_eq!(lab["joins_phone"], 0);

    let exhibits = exported(&server, &staff, "exhibits.json").json();
    let bracket = today_row(&exhibits, "exhibit", BRACKET.0);
    assert_eq!(bracket["downloads"], 2, "{bracket}");
    let keyring = today_row(&exhibits, "exhibit", KEYRING.0);
    assert_eq!(keyring["inspects"], 1, "{keyring}");
    for (id, stood) in &near {
        let stored = today_row(&exhibits, "exhibit", id)["seconds_near"]
            .as_f64()
            .unwrap();
        assert!(
            (stored - stood).abs() <= 1.0,
            "stored {stored} s near {id}, the bot stood {stood:.1} s there ({near:?})"
        );
    }
    assert!(
        near[BRACKET.0] >= 10.0 && near[KEYRING.0] >= 20.0,
        "{near:?}"
    );

    // The same figures as CSV, with the dictionary's columns.
    let csv_text = exported(&server, &staff, "rooms.csv").body;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let dictionary = request(
        "GET",
        &format!("{base}/api/impact/dictionary.csv"),
        &[],
        None,
    );
    let mut described = csv::Reader::from_reader(dictionary.body.as_bytes());
    let rooms_columns: Vec<String> = described
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[0] == "rooms")
        .map(|r| r[2].to_owned())
        .collect();
    assert_eq!(header, rooms_columns);
    let row = reader
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[1] == "stadtlabor")
        .expect("the lab's row");
    assert_eq!(&row[2], "3");

    // Nothing in the counts says who anyone was: not in the exports, not in the tables.
    let mut everything = String::new();
    for name in ["rooms.csv", "rooms.json", "exhibits.csv", "exhibits.json"] {
        everything.push_str(&exported(&server, &staff, name).body);
    }
    let storage = server.server.as_ref().unwrap().storage.clone();
    // Every table of the database, not only the counts' (the names are unusual enough not to
    // occur in the lab's own texts).
    let tables: Vec<String> = server
        .runtime
        .block_on(
            // sqlx's own migration log (versions, checksums) holds a type the Any driver
            // cannot read, and nothing of anyone's.
            sqlx::query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_sqlx%' ESCAPE '\\'",
            )
                .fetch_all(storage.pool()),
        )
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String, _>(0).unwrap())
        .collect();
    assert!(tables.iter().any(|t| t == "impact_room_days"), "{tables:?}");
    for table in &tables {
        let rows = server
            .runtime
            .block_on(
                sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM {table}")))
                    .fetch_all(storage.pool()),
            )
            .unwrap();
        for row in rows {
            for i in 0..row.len() {
                let cell = row
                    .try_get::<Option<String>, _>(i)
                    .map(Option::unwrap_or_default)
                    .or_else(|_| row.try_get::<Option<i64>, _>(i).map(|n| format!("{n:?}")))
                    .or_else(|_| row.try_get::<Option<f64>, _>(i).map(|n| format!("{n:?}")))
                    .or_else(|_| {
                        row.try_get::<Option<Vec<u8>>, _>(i)
                            .map(|b| String::from_utf8_lossy(&b.unwrap_or_default()).into_owned())
                    })
                    .unwrap_or_default();
                everything.push_str(&cell);
                everything.push('\n');
            }
        }
    }
    for personal in [
        "Qwanda",
        "Qada",
        "Qben",
        "127.0.0.1",
        &walker_key,
        &ada_key,
        &ben_key,
    ]
    .into_iter()
    .chain(sessions.iter().map(String::as_str))
    {
        assert!(!everything.contains(personal), "{personal} is stored");
    }
    ada.leave();
    ben.leave();
}

#[test]
fn small_counts_are_left_out_and_the_privacy_page_says_what_is_stored() {
    let server = TestServer::start();
    server.add_staff();
    let staff = web::login(&server.base);
    let base = &server.base;
    let mut bot = join(&server, "Cem", &new_device_key());
    let rooms = exported(&server, &staff, "rooms.json").json();
    let lab = today_row(&rooms, "room", "stadtlabor");
    assert!(lab["visitors"].is_null(), "one visitor is under 5: {lab}");
    assert_eq!(lab["joins_phone"], 0, "zero says nothing about anyone");
    let csv_text = exported(&server, &staff, "rooms.csv").body;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!((&row[1], &row[2]), ("stadtlabor", ""));
    bot.leave();

    // Refusals: not signed in, no such export, a day that is not one.
    let plain = request("GET", &format!("{base}/api/impact/rooms.csv"), &[], None);
    assert_eq!(plain.status, 401);
    for (path, status) in [
        ("visitors.csv", 404),
        ("rooms.xml", 404),
        ("rooms.csv?from=yesterday", 400),
        ("rooms.csv?to=2026-13-40", 400),
    ] {
        let reply = request(
            "GET",
            &format!("{base}/api/impact/{path}"),
            &staff.headers(),
            None,
        );
        assert_eq!(reply.status, status, "{path}: {}", reply.body);
    }

    let page = request("GET", &format!("{base}/datenschutz"), &[], None);
    assert_eq!(page.status, 200);
    for says in [
        "Was nie gespeichert wird",
        "What is never stored",
        "<code>visitors</code>",
        "IP-Adressen",
        "von 1 bis 4 leer",
    ] {
        assert!(page.body.contains(says), "{says}");
    }
}

fn rating_answer(bot: &mut Bot, id: &str) -> RatingAnswer {
    let answer = |b: &Bot| {
        b.inbox.iter().rev().find_map(|m| match m {
            ServerMsg::Rating(a) => Some(a.clone()),
            _ => None,
        })
    };
    bot.inbox.clear();
    bot.pump_until(Duration::from_secs(10), "a rating answer", |b| {
        answer(b).is_some()
    })
    .unwrap_or_else(|e| panic!("{id}: {e}"));
    answer(bot).unwrap()
}

#[test]
fn inspect_views_and_ratings_count_once_per_visit_and_old_comments_go() {
    let mut server = TestServer::start_with(|c| c.impact.min_count = 1);
    server.add_staff();
    let base = server.base.clone();
    let id = BRACKET.0;
    let mut bot = join(&server, "Dora", &new_device_key());
    for _ in 0..3 {
        bot.send(&ClientMsg::Exhibit(ExhibitCmd::Inspected { id: id.into() }));
    }
    bot.send(&ClientMsg::Exhibit(ExhibitCmd::Inspected {
        id: "nirgends".into(),
    }));
    let rate = |stars, comment: Option<&str>, exhibit: &str| {
        ClientMsg::Exhibit(ExhibitCmd::Rate {
            id: exhibit.into(),
            stars,
            comment: comment.map(String::from),
        })
    };
    let refused = |reason| RatingAnswer::Refused {
        id: id.into(),
        reason,
    };
    for (msg, expected) in [
        (rate(0, None, id), refused(RatingRefusal::Invalid)),
        (rate(6, None, id), refused(RatingRefusal::Invalid)),
        (
            rate(3, Some(&"x".repeat(281)), id),
            refused(RatingRefusal::Invalid),
        ),
        (
            rate(3, Some("a\u{7}b"), id),
            refused(RatingRefusal::Invalid),
        ),
        (
            rate(4, Some("  Den drucken wir nach!  "), id),
            RatingAnswer::Thanks { id: id.into() },
        ),
        (rate(1, None, id), refused(RatingRefusal::AlreadyRated)),
    ] {
        bot.send(&msg);
        bot.flush();
        assert_eq!(rating_answer(&mut bot, id), expected, "{msg:?}");
    }
    bot.send(&rate(5, None, "nirgends"));
    bot.flush();
    assert_eq!(
        rating_answer(&mut bot, "nirgends"),
        RatingAnswer::Refused {
            id: "nirgends".into(),
            reason: RatingRefusal::NoSuchExhibit
        }
    );

    let staff = web::login(&base);
    let exhibits = exported(&server, &staff, "exhibits.json").json();
    let bracket = today_row(&exhibits, "exhibit", id);
    assert_eq!(
        (
            bracket["inspects"].clone(),
            bracket["ratings"].clone(),
            bracket["stars"].clone()
        ),
        (1.into(), 1.into(), 4.into()),
        "{bracket}"
    );
    let comments = request(
        "GET",
        &format!("{base}/api/impact/comments"),
        &staff.headers(),
        None,
    );
    assert_eq!(comments.status, 200);
    let comments = comments.json();
    assert_eq!(comments[0]["text"], "Den drucken wir nach!");
    assert_eq!(comments[0]["stars"], 4);
    assert!(!comments.to_string().contains("Dora"));
    assert_eq!(
        request("GET", &format!("{base}/api/impact/comments"), &[], None).status,
        401,
        "comments reach staff only"
    );
    bot.leave();

    // A comment older than the keeping time (90 days) is deleted when the server starts.
    let storage = server.server.as_ref().unwrap().storage.clone();
    server
        .runtime
        .block_on(storage.insert_comment("2020-01-01", id, 2, "alt"))
        .unwrap();
    server.restart();
    let staff = web::login(&server.base);
    let texts = || -> Vec<String> {
        let kept = request(
            "GET",
            &format!("{}/api/impact/comments?from=2019-01-01", server.base),
            &staff.headers(),
            None,
        )
        .json();
        kept.as_array()
            .unwrap()
            .iter()
            .map(|c| c["text"].as_str().unwrap().to_owned())
            .collect()
    };
    // The sweep runs as the server starts, beside the first requests.
    let deadline = Instant::now() + Duration::from_secs(10);
    while texts().len() > 1 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(texts(), ["Den drucken wir nach!"]);
}
