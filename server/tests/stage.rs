//! Talks against a real server with bots: the hand queue kept in order across a reconnect,
//! the floor only after the person's yes, only hosts give the floor or start a talk, mute-all
//! sparing whoever has the floor, the floor holder heard by the whole hall through the
//! broadcast slot (also 66 m away), the audience hearing only its neighbours while a talk
//! runs, and written questions (the lab's console: `console.rs`).

mod common;

use std::time::Duration;

use common::stage::{
    forum_with_host, last_stage, place, queue, quiet_while_settled, refused, stage, talk,
};
use common::voicer::{Voicer, pump, pump_until, staff_bot};
use common::web::login;
use common::{TestServer, pump_bots_until};
use stadtlab_bots::{Bot, BotOptions};
use stadtlab_shared::protocol::{ServerMsg, StageCmd, StageMsg, StageRefusal, VoiceMsg};

#[test]
fn hands_queue_in_order_across_a_reconnect_and_the_floor_needs_a_yes() {
    let (server, mut host) = forum_with_host();
    let mut ada = server.bot("forum", "Ada");
    let mut ben = server.bot("forum", "Ben");
    let mut cem = server.bot("forum", "Cem");
    let (ada_id, ben_id, cem_id) = (ada.me.unwrap(), ben.me.unwrap(), cem.me.unwrap());

    // Only hosts start a talk or give the floor.
    stage(&mut ada, StageCmd::Talk { on: true });
    stage(&mut ada, StageCmd::GiveFloor { avatar: ada_id });
    pump_bots_until(
        &mut [&mut ada],
        "Ada refused",
        |b| refused(b[0]) == Some(StageRefusal::NotAllowed),
        10,
    );
    stage(&mut host, StageCmd::Talk { on: true });
    pump_bots_until(
        &mut [&mut host, &mut ada],
        "the talk runs",
        |b| talk(b[1]).is_some_and(|t| t.running),
        10,
    );

    for bot in [&mut ada, &mut ben, &mut cem] {
        stage(bot, StageCmd::RaiseHand);
        pump_bots_until(
            &mut [bot],
            "my place",
            |b| place(b[0]).flatten().is_some(),
            10,
        );
    }
    let order = |host: &Bot| queue(host).map(|q| q.iter().map(|h| h.avatar).collect::<Vec<_>>());
    pump_bots_until(
        &mut [&mut host],
        "three hands",
        |b| order(b[0]).is_some_and(|q| q.len() == 3),
        10,
    );
    assert_eq!(order(&host), Some(vec![ada_id, ben_id, cem_id]));
    assert_eq!(place(&cem), Some(Some(3)));

    // Ben's connection drops; he comes back with his session: still second.
    let session = ben.join.session.clone();
    ben.disconnect();
    drop(ben);
    let mut ben = server.bot_with(
        "forum",
        "Ben",
        BotOptions {
            session: Some(session),
            ..Default::default()
        },
    );
    pump_bots_until(
        &mut [&mut ben],
        "Ben's place after the reconnect",
        |b| place(b[0]) == Some(Some(2)),
        10,
    );
    stage(&mut cem, StageCmd::LowerHand);
    stage(&mut cem, StageCmd::RaiseHand);
    pump_bots_until(
        &mut [&mut host, &mut cem],
        "Cem last again",
        |b| {
            order(b[0]).is_some_and(|q| q.len() == 3 && q[2] == cem_id)
                && place(b[1]) == Some(Some(3))
        },
        10,
    );

    // An answer nobody asked for does nothing.
    stage(&mut cem, StageCmd::AnswerFloor { accept: true });
    pump_bots_until(
        &mut [&mut cem],
        "Cem refused",
        |b| refused(b[0]) == Some(StageRefusal::NotOffered),
        10,
    );
    // The floor is offered to Ada; until she says yes nobody has it.
    stage(&mut host, StageCmd::GiveFloor { avatar: ada_id });
    pump_bots_until(
        &mut [&mut host, &mut ada],
        "Ada is asked",
        |b| {
            last_stage(b[1], |m| {
                matches!(m, StageMsg::FloorOffered { .. }).then_some(())
            })
            .is_some()
        },
        10,
    );
    assert_eq!(
        talk(&ada).and_then(|t| t.floor),
        None,
        "the floor before her yes"
    );
    stage(&mut ada, StageCmd::AnswerFloor { accept: true });
    pump_bots_until(
        &mut [&mut host, &mut ada, &mut cem],
        "Ada has the floor",
        |b| {
            talk(b[2]).is_some_and(|t| t.floor == Some(ada_id) && t.on_air.contains(&ada_id))
                && place(b[1]) == Some(None)
        },
        10,
    );
    pump_bots_until(
        &mut [&mut host],
        "Ada's hand lowered",
        |b| order(b[0]) == Some(vec![ben_id, cem_id]),
        10,
    );

    // Mute all but the stage: Ben and Cem are muted, Ada (on air) is not.
    stage(&mut host, StageCmd::MuteAllButStage);
    let muted = |b: &Bot| {
        b.inbox
            .iter()
            .any(|m| matches!(m, ServerMsg::Voice(VoiceMsg::Muted { muted: true, .. })))
    };
    pump_bots_until(
        &mut [&mut host, &mut ben, &mut cem, &mut ada],
        "the audience muted",
        |b| muted(b[1]) && muted(b[2]),
        10,
    );
    assert!(!muted(&ada), "the floor holder stays on air");
    // Asking to unmute lifts the server's mute and asks; it turns nothing on.
    stage(&mut host, StageCmd::AskUnmute { avatar: ben_id });
    pump_bots_until(
        &mut [&mut host, &mut ben],
        "Ben asked",
        |b| {
            last_stage(b[1], |m| {
                matches!(m, StageMsg::UnmuteAsked { .. }).then_some(())
            })
            .is_some()
        },
        10,
    );

    // The host takes the floor back; the talk ends and the hands go.
    stage(&mut host, StageCmd::TakeFloor);
    pump_bots_until(
        &mut [&mut host, &mut cem],
        "the floor back",
        |b| talk(b[1]).is_some_and(|t| t.floor.is_none()),
        10,
    );
    stage(&mut host, StageCmd::Talk { on: false });
    pump_bots_until(
        &mut [&mut host, &mut cem],
        "the talk over",
        |b| talk(b[1]).is_some_and(|t| !t.running) && order(b[0]) == Some(vec![]),
        10,
    );
}

#[test]
fn the_floor_is_heard_across_the_hall_and_the_audience_only_by_its_neighbours() {
    let server = TestServer::start();
    server.add_staff();
    let staff = login(&server.base);
    // Forum spawns in join order: (6, 3), (15.5, 3), (25, 3), … (72.5, 3).
    let mut host = Voicer::join(staff_bot(&server, &staff, "forum"));
    let mut ada = Voicer::join(server.bot("forum", "Ada")); // 15.5
    let mut ben = Voicer::join(server.bot("forum", "Ben")); // 25: 9.5 m from Ada
    let mut others: Vec<Bot> = (0..4)
        .map(|i| server.bot("forum", &format!("X{i}")))
        .collect();
    let mut far = Voicer::join(server.bot("forum", "Fenna")); // 72.5: 57 m from Ada
    for b in &mut others {
        b.pump();
    }
    let ada_id = ada.id();
    pump_until(
        &mut [&mut host, &mut ada, &mut ben, &mut far],
        "voices connected",
        |v| v.iter().all(|v| v.peer.connected),
    );
    // Before a talk: Ben hears Ada (9.5 m), Fenna does not (57 m).
    ada.talking = true;
    pump_until(
        &mut [&mut host, &mut ada, &mut ben, &mut far],
        "Ben hears Ada",
        |v| v[2].peer.total_received() > 25,
    );
    assert_eq!(far.peer.total_received(), 0, "57 m away, no talk: nothing");

    // A talk starts: the audience hears only neighbours (3 m), so Ben no longer hears Ada.
    stage(&mut host.bot, StageCmd::Talk { on: true });
    let heard = quiet_while_settled(&mut [&mut host, &mut ada, &mut ben, &mut far], 2);
    assert!(
        heard <= 3,
        "during a talk the audience hears only its neighbours: Ben got {heard} frames"
    );

    // Ada gets the floor (after saying yes): everyone hears her, Fenna too, in the broadcast slot.
    stage(&mut host.bot, StageCmd::GiveFloor { avatar: ada_id });
    pump(
        &mut [&mut host, &mut ada, &mut ben, &mut far],
        Duration::from_millis(300),
    );
    stage(&mut ada.bot, StageCmd::AnswerFloor { accept: true });
    pump_until(
        &mut [&mut host, &mut ada, &mut ben, &mut far],
        "Fenna hears Ada",
        |v| v[3].peer.received[6] > 25 && v[2].peer.received[6] > 25,
    );
    assert_eq!(
        far.peer.slots[6],
        Some(ada_id),
        "the broadcast slot carries Ada"
    );

    // Taken back: nothing more of Ada reaches Fenna.
    stage(&mut host.bot, StageCmd::TakeFloor);
    let heard = quiet_while_settled(&mut [&mut host, &mut ada, &mut ben, &mut far], 3);
    assert!(
        heard <= 3,
        "after the floor is taken back Fenna got {heard} frames"
    );
    drop(others);
}

fn questions(bot: &Bot) -> Vec<stadtlab_shared::protocol::domain::stage::Question> {
    let mut list: Vec<stadtlab_shared::protocol::domain::stage::Question> = Vec::new();
    for m in &bot.inbox {
        if let ServerMsg::Stage(StageMsg::Question(q)) = m {
            match list.iter_mut().find(|k| k.id == q.id) {
                Some(k) => *k = q.clone(),
                None => list.push(q.clone()),
            }
        }
    }
    list
}

#[test]
fn written_questions_are_voted_shown_and_answered() {
    let (server, mut host) = forum_with_host();
    let mut ada = server.bot("forum", "Ada");
    let mut ben = server.bot("forum", "Ben");
    stage(&mut host, StageCmd::Talk { on: true });

    // Bad questions get their reason; nothing reaches the others.
    stage(&mut ada, StageCmd::Ask { text: "   ".into() });
    pump_bots_until(
        &mut [&mut ada],
        "an empty question refused",
        |b| refused(b[0]) == Some(StageRefusal::BadQuestion),
        10,
    );
    stage(
        &mut ada,
        StageCmd::Ask {
            text: "x".repeat(400),
        },
    );
    stage(
        &mut ada,
        StageCmd::Ask {
            text: "Wer\u{202e}bezahlt?".into(),
        },
    );
    stage(
        &mut ada,
        StageCmd::Ask {
            text: "Was kostet das?".into(),
        },
    );
    stage(
        &mut ben,
        StageCmd::Ask {
            text: "Wo steht der Sensor?".into(),
        },
    );
    pump_bots_until(
        &mut [&mut host, &mut ada, &mut ben],
        "two questions everywhere",
        |b| b.iter().all(|bot| questions(bot).len() == 2),
        10,
    );
    let list = questions(&host);
    let id_of = |name: &str| list.iter().find(|q| q.by == name).map(|q| q.id).unwrap();
    let (ada_q, ben_q) = (id_of("Ada"), id_of("Ben"));
    assert_eq!(
        list.iter().find(|q| q.id == ada_q).unwrap().text,
        "Was kostet das?"
    );

    // Votes: once per person; one's own does not count; an unknown question is refused.
    stage(&mut ada, StageCmd::Upvote { question: ben_q });
    stage(&mut ada, StageCmd::Upvote { question: ben_q });
    stage(&mut ada, StageCmd::Upvote { question: ada_q });
    stage(&mut host, StageCmd::Upvote { question: ben_q });
    stage(&mut ben, StageCmd::Upvote { question: 999 });
    pump_bots_until(
        &mut [&mut host, &mut ada, &mut ben],
        "two votes for Ben's question",
        |b| {
            questions(b[0])
                .iter()
                .find(|q| q.id == ben_q)
                .is_some_and(|q| q.votes == 2)
                && refused(b[2]) == Some(StageRefusal::NoSuchQuestion)
        },
        10,
    );
    let ada_votes = questions(&host)
        .iter()
        .find(|q| q.id == ada_q)
        .map(|q| q.votes);
    assert_eq!(ada_votes, Some(0), "Ada's own vote does not count");

    // Only hosts put a question on the screen or mark it answered.
    stage(
        &mut ben,
        StageCmd::ShowQuestion {
            question: Some(ben_q),
        },
    );
    pump_bots_until(
        &mut [&mut ben],
        "Ben refused",
        |b| refused(b[0]) == Some(StageRefusal::NotAllowed),
        10,
    );
    stage(
        &mut host,
        StageCmd::ShowQuestion {
            question: Some(ben_q),
        },
    );
    stage(&mut host, StageCmd::MarkAnswered { question: ben_q });
    let on_screen = |b: &Bot| {
        last_stage(b, |m| match m {
            StageMsg::OnScreen { question } => Some(*question),
            _ => None,
        })
    };
    pump_bots_until(
        &mut [&mut host, &mut ada, &mut ben],
        "on screen and answered",
        |b| {
            on_screen(b[1]) == Some(Some(ben_q))
                && questions(b[1]).iter().any(|q| q.id == ben_q && q.answered)
        },
        10,
    );
    // A late joiner gets the questions and the screen.
    let mut cem = server.bot("forum", "Cem");
    pump_bots_until(
        &mut [&mut cem],
        "Cem sees the questions",
        |b| questions(b[0]).len() == 2 && on_screen(b[0]) == Some(Some(ben_q)),
        10,
    );
}
