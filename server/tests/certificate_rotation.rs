//! The WebTransport certificate is replaced before browsers stop accepting it (14 days),
//! without a restart and without dropping visitors: here the rotation runs every 3 s.

mod common;

use std::time::Duration;

use common::TestServer;
use stadtlab_bots::{Bot, BotOptions, Transport};

fn webtransport() -> BotOptions {
    BotOptions {
        transport: Transport::WebTransport,
        ..Default::default()
    }
}

fn target(bot: &Bot) -> (String, String) {
    (
        bot.join.connect.address.clone(),
        bot.join.connect.cert_hash.clone().unwrap(),
    )
}

#[test]
fn the_certificate_rotates_and_connected_visitors_stay() {
    let server = TestServer::start_with(|c| c.game.webtransport_cert_rotate_secs = 4);
    let mut anna = server.bot_with("stadtlabor", "Anna", webtransport());
    let before = target(&anna);
    let anna_id = anna.me.unwrap();
    // Anna keeps talking to the server while the certificate changes under her.
    anna.pump_until(Duration::from_secs(5), "time passes", |_| false)
        .unwrap_err();
    let mut ben = server.bot_with("stadtlabor", "Ben", webtransport());
    let after = target(&ben);
    assert_ne!(before.1, after.1, "a new certificate hash");
    assert_ne!(before.0, after.0, "on the other port");
    // Ben came in through the new endpoint, Anna is still there through the old one.
    ben.pump_until(Duration::from_secs(5), "Ben sees Anna", |b| {
        b.people.contains_key(&anna_id)
    })
    .unwrap();
    anna.pump_until(Duration::from_secs(5), "Anna sees Ben", |b| {
        b.people.contains_key(&ben.me.unwrap())
    })
    .unwrap();
    assert!(anna.is_connected() && ben.is_connected());
    // A second rotation moves new visitors back to the first port, with yet another hash.
    ben.pump_until(Duration::from_secs(4), "time passes", |_| false)
        .unwrap_err();
    let cem = server.bot_with("stadtlabor", "Cem", webtransport());
    let third = target(&cem);
    assert_eq!(third.0, before.0);
    assert!(third.1 != before.1 && third.1 != after.1);
    assert!(ben.is_connected());
}
