//! Visitors join, walk, see each other and chat, over UDP and WebSocket.

mod common;

use std::time::Duration;

use common::{TestServer, pump_all, walk};
use stadtlab_bots::{BotOptions, Transport};
use stadtlab_shared::movement::WALK_SPEED;
use stadtlab_shared::protocol::{ChatMsg, ServerMsg};

#[test]
fn two_visitors_see_each_other_walk_and_chat() {
    let server = TestServer::start();
    let mut anna = server.bot("stadtlabor", "Anna");
    let mut ben = server.bot("stadtlabor", "Ben");
    let anna_id = anna.me.unwrap();
    ben.pump_until(Duration::from_secs(5), "Anna in Ben's view", |b| {
        b.decoder.state(anna_id).is_some()
    })
    .unwrap();
    assert_eq!(
        ben.people.get(&anna_id).map(|p| p.name.as_str()),
        Some("Anna")
    );
    anna.pump_until(Duration::from_secs(5), "Ben in Anna's list", |b| {
        b.people.len() == 2
    })
    .unwrap();

    let start = anna.my_state().expect("own state");
    let seen_start = ben.decoder.state(anna_id).unwrap();
    assert_eq!(start.pos, seen_start.pos);
    // Walk north (yaw 0 = +z) for one second at 30 inputs per second.
    walk(&mut [&mut anna], &mut [&mut ben], 30, false);
    pump_all(&mut [&mut anna, &mut ben], Duration::from_millis(400));
    let end = anna.my_state().unwrap();
    let walked = (end.pos[2] - start.pos[2]) as f32 / 100.0;
    assert!(
        (walked - WALK_SPEED).abs() < 0.15,
        "30 ticks of walking should move {WALK_SPEED} m, moved {walked} m"
    );
    assert_eq!(
        ben.decoder.state(anna_id).unwrap().pos,
        end.pos,
        "Ben sees where Anna is"
    );
    assert!(anna.confirm_delays.len() >= 25, "moves are confirmed");

    anna.chat("Hallo Ben!");
    anna.flush();
    pump_all(&mut [&mut anna, &mut ben], Duration::from_millis(300));
    ben.pump_until(Duration::from_secs(5), "chat", |b| {
        b.inbox.iter().any(|m| matches!(m, ServerMsg::Chat(ChatMsg::Line { from, text, .. }) if *from == anna_id && text == "Hallo Ben!"))
    })
    .unwrap();
}

#[test]
fn udp_websocket_and_webtransport_visitors_share_a_room() {
    let server = TestServer::start();
    let mut udp = server.bot("stadtlabor", "Carla");
    let mut ws = server.bot_with(
        "stadtlabor",
        "Deniz",
        BotOptions {
            transport: Transport::WebSocket,
            ..Default::default()
        },
    );
    let mut wt = server.bot_with(
        "stadtlabor",
        "Elif",
        BotOptions {
            transport: Transport::WebTransport,
            ..Default::default()
        },
    );
    let ids = [udp.me.unwrap(), ws.me.unwrap(), wt.me.unwrap()];
    assert!(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);
    // The browser transports walk; the UDP visitor watches.
    walk(&mut [&mut ws, &mut wt], &mut [&mut udp], 20, true);
    pump_all(
        &mut [&mut udp, &mut ws, &mut wt],
        Duration::from_millis(500),
    );
    for bot in [&ws, &wt] {
        let own = bot.my_state().unwrap();
        assert_eq!(
            udp.decoder.state(bot.me.unwrap()).map(|s| s.pos),
            Some(own.pos)
        );
        assert!(
            bot.confirm_delays.len() >= 15,
            "moves confirmed over every transport"
        );
    }
    assert!(ws.decoder.state(ids[2]).is_some() && wt.decoder.state(ids[1]).is_some());
}

#[test]
fn disconnect_and_rejoin_keeps_the_avatar() {
    let server = TestServer::start_with(|c| c.game.reconnect_grace_secs = 30);
    let mut anna = server.bot("stadtlabor", "Anna");
    let mut ben = server.bot("stadtlabor", "Ben");
    let anna_id = anna.me.unwrap();
    walk(&mut [&mut anna], &mut [], 15, false);
    anna.pump_until(Duration::from_secs(2), "moves applied", |b| {
        b.last_ack_input >= 15
    })
    .unwrap();
    let before = anna.my_state().unwrap();
    let session = anna.join.session.clone();
    anna.disconnect();
    drop(anna);
    ben.pump_until(Duration::from_secs(8), "Anna away", |b| {
        b.people.get(&anna_id).is_some_and(|p| p.away)
    })
    .unwrap();

    let mut again = server.bot_with(
        "stadtlabor",
        "ignored",
        BotOptions {
            session: Some(session),
            ..Default::default()
        },
    );
    assert!(again.join.rejoin);
    assert_eq!(again.join.name, "Anna");
    assert_eq!(again.me, Some(anna_id), "same avatar");
    again
        .pump_until(Duration::from_secs(3), "own state", |b| {
            b.my_state().is_some()
        })
        .unwrap();
    assert_eq!(again.my_state().unwrap().pos, before.pos, "same place");
    ben.pump_until(Duration::from_secs(5), "Anna back", |b| {
        b.people.get(&anna_id).is_some_and(|p| !p.away)
    })
    .unwrap();
}

#[test]
fn silent_clients_time_out_and_leave_after_the_grace_period() {
    let server = TestServer::start();
    let anna = server.bot("stadtlabor", "Anna");
    let anna_id = anna.me.unwrap();
    let mut ben = server.bot("stadtlabor", "Ben");
    // Anna's process "hangs": no more packets. The server times her out (3 s in tests),
    // marks her away, and after the grace period (2 s) she is gone.
    ben.pump_until(Duration::from_secs(10), "Anna away", |b| {
        b.people.get(&anna_id).is_some_and(|p| p.away)
    })
    .unwrap();
    ben.pump_until(Duration::from_secs(10), "Anna left", |b| {
        !b.people.contains_key(&anna_id)
    })
    .unwrap();
    ben.pump_until(Duration::from_secs(3), "Anna removed from view", |b| {
        b.decoder.state(anna_id).is_none()
    })
    .unwrap();
    drop(anna);
}

#[test]
fn leaving_on_purpose_removes_the_avatar_at_once() {
    let server = TestServer::start_with(|c| c.game.reconnect_grace_secs = 60);
    let mut anna = server.bot("stadtlabor", "Anna");
    let mut ben = server.bot("stadtlabor", "Ben");
    let anna_id = anna.me.unwrap();
    ben.pump_until(Duration::from_secs(3), "Anna listed", |b| {
        b.people.contains_key(&anna_id)
    })
    .unwrap();
    anna.leave();
    pump_all(&mut [&mut anna], Duration::from_millis(300));
    // Well inside the 60 s grace period, she is gone, not away.
    ben.pump_until(Duration::from_secs(3), "Anna left", |b| {
        !b.people.contains_key(&anna_id)
    })
    .unwrap();
    let (_, rooms) = server.get("/api/rooms/stadtlabor");
    assert!(rooms.contains("\"occupancy\":1"), "{rooms}");
}
