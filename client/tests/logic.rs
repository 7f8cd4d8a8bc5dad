//! The client's logic without a window or GPU (MinimalPlugins + input + the client's logic
//! plugins) against a real server on loopback, beside a real bot: joining, prediction of my
//! own walk agreeing with the server, seeing the bot move, chat both ways.

#[path = "../../server/tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use bevy::input::InputPlugin;
use bevy::prelude::*;
use stadtlab_bots::join::JoinRequest;
use stadtlab_client::ClientLogicPlugin;
use stadtlab_client::exhibits::list::ShownExhibits;
use stadtlab_client::launch::Launch;
use stadtlab_client::net::{LinkStatus, Outbox};
use stadtlab_client::player::{MyMotion, Prediction};
use stadtlab_client::roster::{ChatLog, Me};
use stadtlab_client::state_hook::build_state;
use stadtlab_shared::protocol::join::JoinAnswer;
use stadtlab_shared::protocol::{ChatCmd, ClientMsg, PROTOCOL_VERSION};

use common::TestServer;

fn join(server: &TestServer, name: &str) -> JoinAnswer {
    let req = JoinRequest {
        name: name.into(),
        protocol: PROTOCOL_VERSION,
        color: Some("#40a02b".into()),
        ..Default::default()
    };
    stadtlab_bots::join::join(&server.base, "stadtlabor", &req).expect("join")
}

fn client_app(ticket: JoinAnswer) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, InputPlugin))
        .insert_resource(Launch {
            ticket: Some(ticket),
            ..Launch::default()
        })
        .add_plugins(ClientLogicPlugin);
    app
}

/// Runs frames (~60 per second) until `done` holds.
fn run_until(
    app: &mut App,
    bots: &mut [&mut stadtlab_bots::Bot],
    secs: u64,
    what: &str,
    done: impl Fn(&App, &[&mut stadtlab_bots::Bot]) -> bool,
) {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        app.update();
        for b in bots.iter_mut() {
            b.pump();
        }
        if done(app, bots) {
            return;
        }
        std::thread::sleep(Duration::from_millis(16));
    }
    panic!("timed out: {what}");
}

fn my_pos(app: &App) -> Vec3 {
    app.world()
        .resource::<MyMotion>()
        .current
        .expect("placed")
        .pos
}

#[test]
fn walks_with_prediction_sees_a_bot_and_chats() {
    let server = TestServer::start();
    let mut bot = server.bot("stadtlabor", "Bot Bert");
    let mut app = client_app(join(&server, "Clara"));
    run_until(
        &mut app,
        &mut [&mut bot],
        15,
        "welcome and first snapshot",
        |app, _| {
            *app.world().resource::<LinkStatus>() == LinkStatus::Connected
                && app.world().resource::<MyMotion>().current.is_some()
        },
    );
    let me = app.world().resource::<Me>().0.expect("welcomed");
    run_until(
        &mut app,
        &mut [&mut bot],
        5,
        "the default exhibition",
        |app, _| app.world().resource::<ShownExhibits>().by_id.len() >= 12,
    );
    let start = my_pos(&app);

    // Hold W for 1.5 s: my prediction moves at once, the server agrees, the bot sees it.
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .press(KeyCode::KeyW);
    let walk_end = Instant::now() + Duration::from_millis(1500);
    run_until(&mut app, &mut [&mut bot], 5, "walking", |_, _| {
        Instant::now() > walk_end
    });
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .release(KeyCode::KeyW);
    let walked = my_pos(&app).distance(start);
    assert!(walked > 1.5, "predicted walk {walked} m");
    run_until(
        &mut app,
        &mut [&mut bot],
        5,
        "the bot sees me arrive",
        |app, bots| {
            let seen = bot_view(bots[0], me);
            seen.is_some_and(|p| p.distance(my_pos(app)) < 0.05)
        },
    );
    let correction = app.world().resource::<Prediction>().max_correction;
    assert!(
        correction < 0.3,
        "server corrected my prediction by {correction} m"
    );

    // The bot walks; the client's state shows it with its name and a new position.
    let state = build_state(app.world());
    let bert = state
        .avatars
        .iter()
        .find(|a| a.name == "Bot Bert")
        .expect("bot listed");
    let from = Vec3::from(bert.pos);
    for _ in 0..30 {
        bot.pump();
        bot.send_input(127, 0, 0, false);
        bot.flush();
        app.update();
        std::thread::sleep(Duration::from_millis(33));
    }
    run_until(
        &mut app,
        &mut [&mut bot],
        5,
        "the bot's walk arrives",
        |app, _| {
            let state = build_state(app.world());
            state
                .avatars
                .iter()
                .any(|a| a.name == "Bot Bert" && Vec3::from(a.pos).distance(from) > 0.5)
        },
    );

    // Chat both ways.
    app.world_mut()
        .resource_mut::<Outbox>()
        .control(&ClientMsg::Chat(ChatCmd::Say {
            text: "Guten Tag!".into(),
        }));
    bot.chat("Hallo Clara");
    run_until(&mut app, &mut [&mut bot], 5, "chat", |app, _| {
        build_state(app.world()).chat == ["Clara: Guten Tag!", "Bot Bert: Hallo Clara"]
            || build_state(app.world()).chat == ["Bot Bert: Hallo Clara", "Clara: Guten Tag!"]
    });
    assert!(app.world().resource::<ChatLog>().version >= 2);
}

fn bot_view(bot: &stadtlab_bots::Bot, id: u16) -> Option<Vec3> {
    bot.decoder
        .state(id)
        .map(|s| stadtlab_shared::quantize::QuantPos(s.pos).to_vec3())
}

#[test]
fn a_refused_seat_shows_the_reason() {
    let server = TestServer::start();
    let mut ticket = join(&server, "Dora");
    // A token for another room's server is refused by netcode: the link must say closed.
    ticket.connect.token = ticket.connect.token.replace('A', "B");
    let mut app = client_app(ticket);
    run_until(&mut app, &mut [], 20, "the link gives up", |app, _| {
        matches!(app.world().resource::<LinkStatus>(), LinkStatus::Closed(_))
    });
    assert!(app.world().resource::<Me>().0.is_none());
}

#[test]
fn an_approved_exhibit_appears_and_a_hidden_one_goes_without_reconnecting() {
    use common::web;
    let server = TestServer::start();
    server.add_staff();
    let mut app = client_app(join(&server, "Greta"));
    run_until(&mut app, &mut [], 15, "welcome and exhibits", |app, _| {
        app.world().resource::<ShownExhibits>().by_id.len() >= 12
    });
    let staff = web::login(&server.base);
    let token = web::invite(&server.base, &staff);
    let id = web::upload_bench(&server.base, &token);
    assert_eq!(web::moderate(&server.base, &staff, &id, "approve"), 200);
    run_until(&mut app, &mut [], 10, "the approved exhibit", |app, _| {
        app.world()
            .resource::<ShownExhibits>()
            .by_id
            .contains_key(&id)
    });
    assert_eq!(web::moderate(&server.base, &staff, &id, "hide"), 200);
    run_until(
        &mut app,
        &mut [],
        10,
        "the hidden exhibit gone",
        |app, _| {
            !app.world()
                .resource::<ShownExhibits>()
                .by_id
                .contains_key(&id)
        },
    );
    assert_eq!(*app.world().resource::<LinkStatus>(), LinkStatus::Connected);
}
