//! Bots with a voice (str0m peers) for the voice and stage tests, and the staff bot.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use stadtlab_bots::voice::Transports;
use stadtlab_bots::voice::VoicePeer;
use stadtlab_bots::{Bot, BotOptions};

use super::TestServer;
use super::web::StaffSession;

pub struct Voicer {
    pub bot: Bot,
    pub peer: VoicePeer,
    pub read: usize,
    pub talking: bool,
}

impl Voicer {
    pub fn join(bot: Bot) -> Voicer {
        Voicer::join_by(bot, Transports::Udp)
    }

    /// A voice that reaches the SFU the given ways (TCP: a network that blocks UDP).
    pub fn join_by(bot: Bot, transports: Transports) -> Voicer {
        let mut v = Voicer {
            bot,
            peer: VoicePeer::with("127.0.0.1".parse().unwrap(), transports).unwrap(),
            read: 0,
            talking: false,
        };
        v.peer.offer(&mut v.bot);
        v
    }

    pub fn pump(&mut self) {
        self.bot.pump();
        self.read = self.peer.read_inbox(&self.bot, self.read);
        self.peer.pump(self.talking);
    }

    pub fn id(&self) -> u16 {
        self.bot.me.unwrap()
    }
}

pub fn pump(all: &mut [&mut Voicer], d: Duration) {
    let end = Instant::now() + d;
    while Instant::now() < end {
        for v in all.iter_mut() {
            v.pump();
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

pub fn pump_until(
    all: &mut [&mut Voicer],
    what: &str,
    mut done: impl FnMut(&[&mut Voicer]) -> bool,
) {
    let end = Instant::now() + Duration::from_secs(20);
    while Instant::now() < end {
        pump(all, Duration::from_millis(20));
        if done(all) {
            return;
        }
    }
    panic!("timed out waiting for {what}");
}

pub fn staff_bot(server: &TestServer, staff: &StaffSession, room: &str) -> Bot {
    server.bot_with(
        room,
        "Lea",
        BotOptions {
            staff_cookie: Some(staff.cookie.clone()),
            ..Default::default()
        },
    )
}
