//! Voice through the server's SFU with bots as str0m peers: forwarding to listeners within the
//! hearing radius and nobody beyond it, the speaking flag in snapshots, a moderator's mute
//! stopping the packets in the SFU (and allowing them again), the guide's broadcast reaching
//! the class and nobody outside it, and every class of bad signalling refused while the others
//! keep talking.

mod common;

use std::time::Duration;

use common::TestServer;
use common::voicer::{Voicer, pump, pump_until, staff_bot};
use common::web::{login, send_json};
use stadtlab_bots::BotOptions;
use stadtlab_bots::voice::VoicePeer;
use stadtlab_shared::protocol::domain::voice::{MAX_SDP_BYTES, SPATIAL_SLOTS};
use stadtlab_shared::protocol::{
    AvatarState, ClientMsg, ModerationCmd, ServerMsg, VoiceCmd, VoiceMsg, VoiceRefusal,
};

#[test]
fn voices_reach_who_stands_near_and_a_mute_holds_in_the_sfu() {
    let server = TestServer::start();
    server.add_staff();
    let staff = login(&server.base);
    // The forum's spawn points are 9.5 m apart in a row: Ada speaks; Ben (9.5 m) and Cem
    // (19 m) are in reach, Dora (28.5 m) is not.
    let mut ada = Voicer::join(server.bot("forum", "Ada"));
    let mut ben = Voicer::join(server.bot("forum", "Ben"));
    let mut cem = Voicer::join(server.bot("forum", "Cem"));
    let mut dora = Voicer::join(server.bot("forum", "Dora"));
    let mut lea = staff_bot(&server, &staff, "forum");
    let all = &mut [&mut ada, &mut ben, &mut cem, &mut dora];
    pump_until(all, "everyone's voice connected", |v| {
        v.iter().all(|v| v.peer.connected)
    });
    all[0].talking = true;
    let ada_id = all[0].id();
    pump_until(all, "Ben hears Ada", |v| v[1].peer.total_received() > 50);
    pump(all, Duration::from_millis(500));
    assert!(all[2].peer.total_received() > 20, "Cem at 19 m hears Ada");
    assert_eq!(
        all[3].peer.total_received(),
        0,
        "Dora beyond 20 m hears nothing"
    );
    assert!(
        all[1].peer.slots.contains(&Some(ada_id)),
        "a slot of Ben's carries Ada"
    );
    assert!(
        !all[3].peer.slots.contains(&Some(ada_id)),
        "none of Dora's does"
    );
    assert_eq!(all[0].peer.total_received(), 0, "nobody hears themselves");
    // Everyone sees who speaks, also without sound.
    let flags = all[3].bot.decoder.state(ada_id).unwrap().flags;
    assert!(
        flags & AvatarState::FLAG_SPEAKING != 0,
        "Dora sees Ada speaking"
    );
    let delays = &all[1].peer.delays;
    let mut sorted = delays.clone();
    sorted.sort();
    let p95 = sorted[sorted.len() * 95 / 100];
    assert!(
        p95 < Duration::from_millis(200),
        "forward delay p95 {p95:?}"
    );

    // Staff mute Ada's voice: the SFU stops forwarding her, she is told by whom.
    lea.send(&ClientMsg::Moderation(ModerationCmd::MuteVoice {
        target: ada_id,
        muted: true,
    }));
    pump_until(all, "Ada is told", |v| {
        v[0].peer.muted_by == Some(("Lea".into(), true))
    });
    pump(all, Duration::from_millis(300));
    let before = all[1].peer.total_received();
    pump(all, Duration::from_millis(800));
    assert!(
        all[1].peer.total_received() <= before + 2,
        "nothing of Ada is forwarded while muted"
    );
    pump_until(all, "the speaking flag goes", |v| {
        v[1].bot.decoder.state(ada_id).unwrap().flags & AvatarState::FLAG_SPEAKING == 0
    });
    // Allowed again: she still talks, so Ben hears her again.
    lea.send(&ClientMsg::Moderation(ModerationCmd::MuteVoice {
        target: ada_id,
        muted: false,
    }));
    let before = all[1].peer.total_received();
    pump_until(all, "Ben hears Ada again", |v| {
        v[1].peer.total_received() > before + 25
    });
    // A visitor cannot mute anyone.
    all[1]
        .bot
        .send(&ClientMsg::Moderation(ModerationCmd::MuteVoice {
            target: ada_id,
            muted: true,
        }));
    pump(all, Duration::from_millis(300));
    assert_eq!(all[0].peer.muted_by, Some(("Lea".into(), false)));

    // Bad signalling gets its reason; Ada keeps being heard meanwhile.
    let before = all[1].peer.total_received();
    let bad = |v: &mut Voicer, sdp: String| {
        v.bot.send(&ClientMsg::Voice(VoiceCmd::Offer { sdp }));
    };
    bad(all[2], "not sdp at all".into());
    pump_until(all, "garbage refused", |v| {
        v[2].peer.refused == Some(VoiceRefusal::BadOffer)
    });
    bad(
        all[2],
        format!("v=0\r\n{}", "a=x\r\n".repeat(MAX_SDP_BYTES / 5)),
    );
    pump_until(all, "huge refused", |v| {
        v[2].peer.refused == Some(VoiceRefusal::TooLarge)
    });
    bad(
        all[2],
        "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=sendonly\r\n".into(),
    );
    pump_until(all, "video refused", |v| {
        v[2].peer.refused == Some(VoiceRefusal::NotAudioOnly)
    });
    all[2].bot.send(&ClientMsg::Voice(VoiceCmd::OfferPart {
        part: 1,
        parts: 3,
        text: "v=0".into(),
    }));
    pump_until(all, "a part out of order refused", |v| {
        v[2].peer.refused == Some(VoiceRefusal::BadOffer)
    });
    for _ in 0..4 {
        bad(all[2], "again".into());
    }
    pump_until(all, "the flood refused", |v| {
        v[2].peer.refused == Some(VoiceRefusal::TooMany)
    });
    pump(all, Duration::from_millis(800));
    assert!(
        all[1].peer.total_received() > before + 25,
        "Ada is still heard while Cem sends bad offers"
    );
    assert!(
        all[2].bot.rejection().is_none(),
        "bad offers are refused, not fatal"
    );
}

#[test]
fn the_guide_speaks_to_the_whole_class_and_nobody_else() {
    let server = TestServer::start();
    server.add_staff();
    let staff = login(&server.base);
    let ends_at = stadtlab_server::storage::unix_now() + 3600;
    let body =
        serde_json::json!({"title": "7b", "ends_at": ends_at, "capacity": 10, "room": "forum"});
    let reply = send_json(
        "POST",
        &format!("{}/api/visits", server.base),
        &staff.headers(),
        &body,
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let visit = reply.json();
    let code = visit["code"].as_str().unwrap().to_string();
    let key = visit["guide_link"]
        .as_str()
        .unwrap()
        .split("guide=")
        .nth(1)
        .unwrap()
        .to_string();
    let with = |guide: Option<String>| BotOptions {
        code: Some(code.clone()),
        guide,
        ..Default::default()
    };
    let mut guide = Voicer::join(server.bot_with("", "Frau Weber", with(Some(key))));
    // Pupils far from the guide (spawn points 9.5 m apart: the fourth is 28.5 m away).
    let mut pupils: Vec<Voicer> = (0..4)
        .map(|i| Voicer::join(server.bot_with("", &format!("Kind {i}"), with(None))))
        .collect();
    let mut outsider = Voicer::join(server.bot("forum", "Passant"));
    {
        let mut all: Vec<&mut Voicer> = pupils.iter_mut().collect();
        all.push(&mut guide);
        all.push(&mut outsider);
        pump_until(&mut all, "voice connected", |v| {
            v.iter().all(|v| v.peer.connected)
        });
    }
    // A pupil may not use the class broadcast.
    pupils[0]
        .bot
        .send(&ClientMsg::Voice(VoiceCmd::SpeakToClass { on: true }));
    guide.talking = true;
    guide
        .bot
        .send(&ClientMsg::Voice(VoiceCmd::SpeakToClass { on: true }));
    let guide_id = guide.id();
    let mut all: Vec<&mut Voicer> = pupils.iter_mut().collect();
    all.push(&mut guide);
    all.push(&mut outsider);
    pump_until(&mut all, "every pupil hears the guide", |v| {
        v[..4].iter().all(|p| {
            p.peer.received[SPATIAL_SLOTS] > 25 && p.peer.slots[SPATIAL_SLOTS] == Some(guide_id)
        })
    });
    assert_eq!(
        all[5].peer.total_received(),
        0,
        "the public room hears nothing"
    );
    assert!(
        all[0].bot.inbox.iter().any(|m| matches!(
            m,
            ServerMsg::Voice(VoiceMsg::Refused {
                reason: VoiceRefusal::NotAllowed
            })
        )),
        "the pupil was told no"
    );
    // Off again: the far pupil no longer hears the guide.
    all[4]
        .bot
        .send(&ClientMsg::Voice(VoiceCmd::SpeakToClass { on: false }));
    pump_until(&mut all, "the broadcast ends", |v| {
        v[3].peer.slots[SPATIAL_SLOTS].is_none()
    });
    let before = all[3].peer.total_received();
    pump(&mut all, Duration::from_millis(600));
    assert!(
        all[3].peer.total_received() <= before + 3,
        "28.5 m away: out of reach"
    );
}

#[test]
fn a_listener_who_reconnects_hears_again() {
    let server = TestServer::start();
    let mut ada = Voicer::join(server.bot("forum", "Ada"));
    let mut ben = Voicer::join(server.bot("forum", "Ben"));
    ada.talking = true;
    pump_until(&mut [&mut ada, &mut ben], "Ben hears Ada", |v| {
        v[1].peer.total_received() > 25
    });
    let session = ben.bot.join.session.clone();
    ben.bot.disconnect();
    drop(ben);
    // The same person again (the page reconnects with its session): a new voice offer, this
    // time in parts as a browser sends it over WebTransport.
    let again = server.bot_with(
        "forum",
        "Ben",
        BotOptions {
            session: Some(session),
            ..Default::default()
        },
    );
    let mut ben = Voicer {
        bot: again,
        peer: VoicePeer::new("127.0.0.1".parse().unwrap()).unwrap(),
        read: 0,
        talking: false,
    };
    ben.peer.offer_in_parts(&mut ben.bot);
    pump_until(&mut [&mut ada, &mut ben], "Ben hears Ada again", |v| {
        v[1].peer.total_received() > 25
    });
}

/// The default configuration binds every address (0.0.0.0): a datagram then does not say which
/// address it arrived at, and voice must connect all the same (it once did not).
#[test]
fn voice_connects_when_the_server_binds_every_address() {
    let server = TestServer::start_with(|c| c.game.bind_ip = "0.0.0.0".parse().unwrap());
    let mut ada = Voicer::join(server.bot("forum", "Ada"));
    let mut ben = Voicer::join(server.bot("forum", "Ben"));
    ada.talking = true;
    pump_until(&mut [&mut ada, &mut ben], "Ben hears Ada", |v| {
        v[0].peer.connected && v[1].peer.total_received() > 25
    });
}
