//! Every class of bad game input against a running server: each is dropped or answered
//! clearly, and everyone else keeps being served.

mod common;

use std::net::UdpSocket;
use std::time::Duration;

use common::{TestServer, pump_all};
use rand::RngCore;
use stadtlab_bots::BotOptions;
use stadtlab_shared::chat::ChatError;
use stadtlab_shared::movement::RUN_SPEED;
use stadtlab_shared::protocol::{ChatMsg, RejectReason, ServerMsg, channel};

fn chat_rejections(inbox: &[ServerMsg]) -> Vec<ChatError> {
    inbox
        .iter()
        .filter_map(|m| match m {
            ServerMsg::Chat(ChatMsg::Refused { reason }) => Some(*reason),
            _ => None,
        })
        .collect()
}

#[test]
fn garbage_and_truncated_packets_are_dropped() {
    let server = TestServer::start();
    let mut anna = server.bot("stadtlabor", "Anna");
    let udp = server.server.as_ref().unwrap().issuer.udp;
    let junk = UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut rng = rand::rng();
    let snapshots_before = anna.snapshots;
    for i in 0..2000 {
        let len = [0, 1, 2, 7, 18, 64, 300, 1100, 1400, 4000][i % 10];
        let mut packet = vec![0u8; len];
        rng.fill_bytes(&mut packet);
        if i % 3 == 0 && len > 0 {
            packet[0] = (i % 8) as u8; // valid-looking netcode packet types, bad contents
        }
        let _ = junk.send_to(&packet, udp);
        if i % 100 == 0 {
            anna.pump();
        }
    }
    pump_all(&mut [&mut anna], Duration::from_millis(500));
    assert!(anna.is_connected());
    assert!(
        anna.snapshots > snapshots_before + 5,
        "Anna kept getting snapshots"
    );
    // And the server still lets people in.
    let ben = server.bot("stadtlabor", "Ben");
    assert!(ben.me.is_some());
}

#[test]
fn malformed_messages_end_in_a_clear_disconnect() {
    let server = TestServer::start();
    let mut anna = server.bot("stadtlabor", "Anna");
    let mut mallory = server.bot("stadtlabor", "Mallory");
    for i in 0..30u8 {
        // Garbage on the control channel, oversize control messages, garbage inputs.
        match i % 3 {
            0 => mallory.send_raw(channel::CONTROL, vec![0xff, i, 0xee]),
            1 => mallory.send_raw(channel::CONTROL, vec![1u8; 1700]),
            _ => mallory.send_raw(channel::INPUT, vec![0xff; 90]),
        }
        mallory.flush();
        pump_all(&mut [&mut mallory, &mut anna], Duration::from_millis(20));
    }
    // pump_until returns early (with the rejection as an error) once the message is in.
    let _ = mallory.pump_until(Duration::from_secs(5), "rejection", |b| {
        b.rejection().is_some()
    });
    assert!(mallory.inbox.contains(&ServerMsg::Rejected {
        reason: RejectReason::Misbehaving
    }));
    // pump_until returns at once while a rejection is in the inbox, so the disconnect that
    // follows it is waited for by hand (generously: the suite runs in parallel on 2 cores).
    let end = std::time::Instant::now() + Duration::from_secs(12);
    while !mallory.is_disconnected() && std::time::Instant::now() < end {
        mallory.pump();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(mallory.is_disconnected());
    let mallory_id = mallory.me.unwrap();
    anna.pump_until(Duration::from_secs(5), "Mallory gone", |b| {
        !b.people.contains_key(&mallory_id)
    })
    .unwrap();
    assert!(anna.is_connected());
}

#[test]
fn another_protocol_version_is_told_to_reload() {
    let server = TestServer::start();
    let mut old = stadtlab_bots::Bot::join(
        &server.base,
        "stadtlabor",
        "Oldtimer",
        BotOptions {
            hello_protocol: 0,
            ..Default::default()
        },
    )
    .unwrap();
    let err = old.wait_welcome(Duration::from_secs(5)).unwrap_err();
    assert!(err.to_string().contains("reload the page"), "{err}");
    assert!(old.me.is_none());
}

#[test]
fn oversize_invalid_and_flooding_chat() {
    let server = TestServer::start();
    let mut anna = server.bot("stadtlabor", "Anna");
    let mut ben = server.bot("stadtlabor", "Ben");
    anna.chat(&"x".repeat(301));
    anna.chat("bell\u{7}");
    anna.chat("   ");
    anna.flush();
    pump_all(&mut [&mut anna, &mut ben], Duration::from_millis(300));
    assert_eq!(
        chat_rejections(&anna.inbox),
        vec![
            ChatError::TooLong,
            ChatError::ControlCharacters,
            ChatError::Empty
        ]
    );
    for i in 0..12 {
        anna.chat(&format!("Nachricht {i}"));
    }
    anna.flush();
    pump_all(&mut [&mut anna, &mut ben], Duration::from_millis(500));
    let delivered = ben
        .inbox
        .iter()
        .filter(|m| matches!(m, ServerMsg::Chat(ChatMsg::Line { .. })))
        .count();
    assert_eq!(delivered, 5, "a burst of five, then the rate limit");
    let limited = chat_rejections(&anna.inbox)
        .iter()
        .filter(|r| **r == ChatError::RateLimited)
        .count();
    assert_eq!(limited, 7);
    assert!(
        anna.is_connected(),
        "a chatty visitor is slowed down, not thrown out"
    );
}

#[test]
fn speed_hacks_move_no_faster_than_running() {
    let server = TestServer::start();
    let mut cheat = server.bot("forum", "Flash");
    cheat
        .pump_until(Duration::from_secs(3), "own state", |b| {
            b.my_state().is_some()
        })
        .unwrap();
    let start = cheat.my_state().unwrap();
    let t0 = std::time::Instant::now();
    // Four fresh frames per tick, every tick, for two seconds: four times the allowed input.
    while t0.elapsed() < Duration::from_secs(2) {
        cheat.pump();
        cheat.send_input_burst(4, 127, 0);
        cheat.flush();
        std::thread::sleep(Duration::from_millis(33));
    }
    let elapsed = t0.elapsed().as_secs_f32();
    pump_all(&mut [&mut cheat], Duration::from_millis(500));
    let end = cheat.my_state().unwrap();
    let moved = ((end.pos[0] - start.pos[0]).pow(2) as f32
        + (end.pos[2] - start.pos[2]).pow(2) as f32)
        .sqrt()
        / 100.0;
    let allowed = RUN_SPEED * (elapsed + 0.5) + 0.1;
    assert!(moved > 1.0, "the cheat still moves ({moved} m)");
    assert!(
        moved <= allowed,
        "moved {moved} m in {elapsed} s; running allows {allowed} m"
    );
}

#[test]
fn out_of_phase_messages_count_as_misbehaviour() {
    use stadtlab_shared::protocol::{ClientMsg, encode};
    let server = TestServer::start();
    let mut anna = server.bot("stadtlabor", "Anna");
    // A second handshake after the first: each one is a strike; enough of them end the visit.
    for _ in 0..25 {
        let hello = ClientMsg::Hello {
            protocol: stadtlab_shared::protocol::PROTOCOL_VERSION,
            software: "x".into(),
        };
        anna.send_raw(channel::CONTROL, encode(&hello));
    }
    anna.flush();
    let _ = anna.pump_until(Duration::from_secs(5), "rejection", |b| {
        b.rejection().is_some()
    });
    assert!(anna.inbox.contains(&ServerMsg::Rejected {
        reason: RejectReason::Misbehaving
    }));
    let (_, metrics) = server.get("/metrics");
    assert!(
        metrics.contains("stadtlab_rejected_input_total{reason=\"out_of_phase\"}"),
        "{metrics}"
    );
}
