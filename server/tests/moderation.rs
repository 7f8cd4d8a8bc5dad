//! Moderation against the real server: staff enter with their session, mute a troll's chat,
//! remove (rejoin refused for a while), ban (refused after a restart and under a new name,
//! admitted again once lifted); a visitor's moderation message is refused; every action is in
//! the audit log; reports reach staff with the chat before them.

mod common;

use std::time::Duration;

use common::TestServer;
use common::web::{StaffSession, login, request};
use stadtlab_bots::bot::new_device_key;
use stadtlab_bots::{Bot, BotOptions};
use stadtlab_shared::chat::ChatError;
use stadtlab_shared::protocol::{
    ChatMsg, ClientMsg, ModerationCmd, ModerationMsg, ModerationRefusal, RejectReason, Role,
    ServerMsg,
};

fn staff_bot(server: &TestServer, staff: &StaffSession) -> Bot {
    server.bot_with(
        "stadtlabor",
        "Lea",
        BotOptions {
            staff_cookie: Some(staff.cookie.clone()),
            ..Default::default()
        },
    )
}

fn pump(bots: &mut [&mut Bot], ms: u64) {
    common::pump_all(bots, Duration::from_millis(ms));
}

fn get_json(server: &TestServer, staff: &StaffSession, path: &str) -> serde_json::Value {
    let reply = request(
        "GET",
        &format!("{}{path}", server.base),
        &staff.headers(),
        None,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()
}

#[test]
fn staff_mute_remove_and_ban_and_a_ban_survives_a_restart() {
    let mut server = TestServer::start_with(|c| c.game.removal_minutes = 15);
    server.add_staff();
    let staff = login(&server.base);
    let mut lea = staff_bot(&server, &staff);
    assert_eq!(lea.role, Role::Staff);
    // A cookie that is not a live session gives no rights.
    let fake = server.bot_with(
        "stadtlabor",
        "Fake",
        BotOptions {
            staff_cookie: Some("stadtlab_staff=0123".into()),
            ..Default::default()
        },
    );
    assert_eq!(fake.role, Role::Visitor);

    let device = new_device_key();
    let troll_options = || BotOptions {
        device: Some(device.clone()),
        ..Default::default()
    };
    let mut troll = server.bot_with("stadtlabor", "Troll", troll_options());
    let mut anna = server.bot("stadtlabor", "Anna");
    pump(&mut [&mut lea, &mut troll, &mut anna], 300);
    let troll_id = troll.me.unwrap();
    assert!(
        lea.people
            .values()
            .any(|p| p.role == Role::Staff && p.name == "Lea")
    );

    // A visitor's moderation is refused (a strike) and changes nothing.
    anna.send(&ClientMsg::Moderation(ModerationCmd::Remove {
        target: troll_id,
        reason: "weg".into(),
    }));
    pump(&mut [&mut lea, &mut troll, &mut anna], 300);
    assert!(troll.rejection().is_none());
    assert!(
        anna.inbox
            .contains(&ServerMsg::Moderation(ModerationMsg::Refused {
                reason: ModerationRefusal::NotAllowed
            }))
    );

    // Report: staff see it with the chat before it.
    troll.chat("Spam spam spam");
    pump(&mut [&mut lea, &mut troll, &mut anna], 300);
    anna.send(&ClientMsg::Moderation(ModerationCmd::Report {
        target: troll_id,
        reason: "Spam im Chat".into(),
    }));
    pump(&mut [&mut lea, &mut troll, &mut anna], 300);
    assert!(
        anna.inbox
            .contains(&ServerMsg::Moderation(ModerationMsg::Reported))
    );

    // Mute in chat: the troll's lines are dropped and the troll sees why.
    lea.send(&ClientMsg::Moderation(ModerationCmd::MuteChat {
        target: troll_id,
        muted: true,
    }));
    pump(&mut [&mut lea, &mut troll, &mut anna], 300);
    assert!(
        troll
            .inbox
            .contains(&ServerMsg::Moderation(ModerationMsg::ChatMuted {
                muted: true,
                by: "Lea".into()
            }))
    );
    troll.chat("Noch mehr Spam");
    pump(&mut [&mut lea, &mut troll, &mut anna], 300);
    assert!(troll.inbox.contains(&ServerMsg::Chat(ChatMsg::Refused {
        reason: ChatError::Muted
    })));
    assert!(!anna.inbox.iter().any(
        |m| matches!(m, ServerMsg::Chat(ChatMsg::Line { text, .. }) if text == "Noch mehr Spam")
    ));

    // Remove: out at once, rejoining refused with the time left, also with a new name.
    lea.send(&ClientMsg::Moderation(ModerationCmd::Remove {
        target: troll_id,
        reason: "Bitte Pause".into(),
    }));
    let _ = troll.pump_until(Duration::from_secs(3), "removal", |b| {
        b.rejection().is_some()
    });
    assert!(troll.inbox.contains(&ServerMsg::Rejected {
        reason: RejectReason::Removed {
            minutes: 15,
            reason: "Bitte Pause".into()
        }
    }));
    let again = Bot::join(&server.base, "stadtlabor", "Troll2", troll_options());
    let text = format!("{}", again.err().expect("refused"));
    assert!(
        text.contains("removed") && text.contains("15 minutes"),
        "{text}"
    );
    // Removal is from one room: the forum is still open.
    let mut elsewhere = server.bot_with("forum", "Troll", troll_options());
    elsewhere.disconnect();

    // Ban: in another room, refused everywhere, after a restart, under a new name.
    let mut troll = server.bot_with("forum", "Troll", troll_options());
    let mut lea_forum = server.bot_with(
        "forum",
        "Lea",
        BotOptions {
            staff_cookie: Some(staff.cookie.clone()),
            ..Default::default()
        },
    );
    pump(&mut [&mut lea_forum, &mut troll], 300);
    lea_forum.send(&ClientMsg::Moderation(ModerationCmd::Ban {
        target: troll.me.unwrap(),
        reason: "Beleidigungen".into(),
    }));
    let _ = troll.pump_until(Duration::from_secs(3), "ban", |b| b.rejection().is_some());
    assert!(troll.inbox.contains(&ServerMsg::Rejected {
        reason: RejectReason::Banned {
            reason: "Beleidigungen".into()
        }
    }));
    drop((lea, lea_forum, anna, troll, fake));
    std::thread::sleep(Duration::from_millis(300));
    server.restart();
    let refused = Bot::join(&server.base, "stadtlabor", "Ganz Neu", troll_options());
    let text = format!("{}", refused.err().expect("banned"));
    assert!(
        text.contains("banned") && text.contains("Beleidigungen"),
        "{text}"
    );

    // Staff page: the ban, the audit log, the report.
    let staff = login(&server.base);
    let bans = get_json(&server, &staff, "/api/moderation/bans");
    assert_eq!(bans[0]["name"], "Troll");
    assert_eq!(bans[0]["banned_by"], "Lea");
    assert!(
        bans[0].get("device_hash").is_none(),
        "keys stay on the server"
    );
    let audit = get_json(&server, &staff, "/api/moderation/audit");
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    for action in ["report", "mute_chat", "remove", "ban"] {
        assert!(actions.contains(&action), "{action} missing in {actions:?}");
    }
    let reports = get_json(&server, &staff, "/api/moderation/reports");
    assert_eq!(reports[0]["target"], "Troll");
    assert!(reports[0]["chat"].to_string().contains("Spam spam spam"));

    // Lifting the ban admits again.
    let id = bans[0]["id"].as_str().unwrap();
    let reply = request(
        "POST",
        &format!("{}/api/moderation/bans/{id}/lift", server.base),
        &staff.headers(),
        None,
    );
    assert_eq!(reply.status, 204, "{}", reply.body);
    server.bot_with("forum", "Wieder da", troll_options());
}
