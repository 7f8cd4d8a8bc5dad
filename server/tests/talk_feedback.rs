//! After a talk of the programme: everyone who heard it is asked "Hast du etwas Neues
//! erfahren?" and the talk's own question; the answers are counted per talk (and the head
//! count the lab's console reported for the physical hall) and the free answers reach staff
//! without a name. A real server, real bots, the real database and exports.

mod common;

use common::impact::exported;
use common::stage::last_stage;
use common::voicer::staff_bot;
use common::web::{self, request, send_json};
use common::{TestServer, pump_all, pump_bots_until};
use stadtlab_bots::Bot;
use stadtlab_server::impact::day_of;
use stadtlab_server::storage::unix_now;
use stadtlab_shared::protocol::domain::stage::{ClosingQuestion, Learned};
use stadtlab_shared::protocol::{ClientMsg, StageCmd, StageMsg, StageRefusal};
use std::time::Duration;

fn send(bot: &mut Bot, cmd: StageCmd) {
    bot.send(&ClientMsg::Stage(cmd));
    bot.flush();
}

fn closing(bot: &Bot) -> Option<ClosingQuestion> {
    last_stage(bot, |m| match m {
        StageMsg::Closing(q) => Some(q.clone()),
        _ => None,
    })
    .flatten()
}

fn taken_or_refused(bot: &Bot) -> Option<Result<(), StageRefusal>> {
    last_stage(bot, |m| match m {
        StageMsg::AnswerTaken => Some(Ok(())),
        StageMsg::Refused { reason } => Some(Err(*reason)),
        _ => None,
    })
}

/// Sends `cmd` and waits for the server's answer to it.
fn answer(bot: &mut Bot, cmd: StageCmd) -> Result<(), StageRefusal> {
    bot.inbox.clear();
    send(bot, cmd);
    pump_bots_until(
        &mut [&mut *bot],
        "an answer",
        |b| taken_or_refused(b[0]).is_some(),
        5,
    );
    taken_or_refused(bot).unwrap()
}

#[test]
fn a_talks_closing_question_is_answered_once_and_counted_without_names() {
    let server = TestServer::start_with(|c| {
        c.impact.min_count = 1;
        // The bots answer one at a time; the others wait unpumped meanwhile.
        c.game.timeout_secs = 30;
    });
    server.add_staff();
    let staff = web::login(&server.base);
    let talks = format!("{}/api/talks", server.base);
    let now = unix_now();
    let talk = |question: &str| {
        serde_json::json!({
            "room": "forum", "title_de": "Offene Daten in Soest", "title_en": "Open data in Soest",
            "speaker": "Ada Lovelace", "starts_at": now + 2, "ends_at": now + 8,
            "closing_question": question,
        })
    };
    // The question follows the rules of a title: one line, not too long.
    for bad in ["zwei\nZeilen", &"?".repeat(201)] {
        let reply = send_json("POST", &talks, &staff.headers(), &talk(bad));
        assert_eq!(reply.status, 422, "{}", reply.body);
        assert!(reply.body.contains("closing_question"), "{}", reply.body);
    }
    let created = send_json(
        "POST",
        &talks,
        &staff.headers(),
        &talk("Welches Datenset sollte die Stadt als Nächstes öffnen?"),
    );
    assert_eq!(created.status, 201, "{}", created.body);

    // The lab's console counts the hall; two visitors listen online.
    let mut console = staff_bot(&server, &staff, "forum");
    let mut ada = server.bot("forum", "Ada");
    let mut ben = server.bot("forum", "Ben");
    // Everyone is pumped while waiting: a bot left alone for seconds misses its connection's
    // keep-alives.
    pump_bots_until(
        &mut [&mut ada, &mut ben, &mut console],
        "the talk started by the programme",
        |b| common::stage::talk(b[0]).is_some_and(|t| t.running),
        10,
    );
    assert_eq!(
        answer(&mut console, StageCmd::HeadCount { people: 17 }),
        Ok(())
    );
    assert_eq!(
        answer(&mut ada, StageCmd::HeadCount { people: 99 }),
        Err(StageRefusal::NotAllowed),
        "only hosts count the hall"
    );
    assert_eq!(
        answer(
            &mut ada,
            StageCmd::Learned {
                answer: Learned::Yes
            }
        ),
        Err(StageRefusal::NotAsked),
        "nothing to answer while the talk runs"
    );

    // The talk ends: both visitors are asked, the host is not.
    pump_bots_until(
        &mut [&mut ada, &mut ben, &mut console],
        "the closing question",
        |b| closing(b[0]).is_some() && closing(b[1]).is_some(),
        15,
    );
    let asked = closing(&ada).unwrap();
    assert_eq!(
        (asked.title.as_str(), asked.title_en.as_str()),
        ("Offene Daten in Soest", "Open data in Soest")
    );
    assert_eq!(
        asked.question.as_deref(),
        Some("Welches Datenset sollte die Stadt als Nächstes öffnen?")
    );
    pump_all(&mut [&mut console], Duration::from_millis(300));
    assert!(closing(&console).is_none(), "staff are not asked");

    let yes = StageCmd::Learned {
        answer: Learned::Yes,
    };
    assert_eq!(answer(&mut ada, yes.clone()), Ok(()));
    assert_eq!(
        answer(&mut ada, yes),
        Err(StageRefusal::AlreadyAnswered),
        "once per person"
    );
    assert_eq!(
        answer(
            &mut ben,
            StageCmd::Learned {
                answer: Learned::ALittle
            }
        ),
        Ok(())
    );
    let text = |t: &str| StageCmd::Answer { text: t.into() };
    for bad in ["", "mit\u{7}Klingel", &"x".repeat(281)] {
        assert_eq!(
            answer(&mut ben, text(bad)),
            Err(StageRefusal::BadAnswer),
            "{bad:?}"
        );
    }
    assert_eq!(answer(&mut ben, text("Die Baumkataster-Daten")), Ok(()));
    assert_eq!(
        answer(&mut ben, text("noch eins")),
        Err(StageRefusal::AlreadyAnswered)
    );

    // Staff see the counts in the export and the free answer among the answers.
    let export = exported(&server, &staff, "talks.json?exact=true");
    let rows = export.json();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == "Offene Daten in Soest")
        .unwrap_or_else(|| panic!("the talk's row: {rows}"));
    assert_eq!(
        [
            &row["on_site"],
            &row["learned_yes"],
            &row["learned_a_little"],
            &row["learned_no"]
        ],
        [17, 1, 1, 0],
        "{row}"
    );
    assert_eq!(row["day"], day_of(unix_now()).as_str());
    let answers_url = format!("{}/api/impact/answers", server.base);
    assert_eq!(request("GET", &answers_url, &[], None).status, 401);
    let answers = request("GET", &answers_url, &staff.headers(), None).json();
    let list = answers.as_array().unwrap();
    assert_eq!(list.len(), 1, "{answers}");
    assert_eq!(list[0]["text"], "Die Baumkataster-Daten");
    assert_eq!(list[0]["title"], "Offene Daten in Soest");
    let everything = format!("{rows}{answers}");
    for who in ["Ada", "Ben"] {
        assert!(!everything.contains(who), "{who} is stored");
    }
    // The CSV carries the same columns as the data dictionary says.
    let csv = exported(&server, &staff, "talks.csv");
    let header = csv.body.lines().next().unwrap().to_owned();
    for column in [
        "title",
        "on_site",
        "learned_yes",
        "learned_a_little",
        "learned_no",
    ] {
        assert!(header.split(',').any(|c| c == column), "{header}");
    }
    for bot in [&mut console, &mut ada, &mut ben] {
        bot.leave();
    }
}
