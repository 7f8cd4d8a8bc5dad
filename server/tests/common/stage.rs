//! Talk helpers for the stage and console tests: sending stage commands and reading the
//! newest stage messages a bot received.

use std::time::Duration;

use stadtlab_bots::Bot;
use stadtlab_shared::protocol::domain::stage::{RaisedHand, TalkState};
use stadtlab_shared::protocol::{ClientMsg, ServerMsg, StageCmd, StageMsg, StageRefusal};

use super::TestServer;
use super::voicer::{Voicer, pump, staff_bot};
use super::web::login;

pub fn stage(bot: &mut Bot, cmd: StageCmd) {
    bot.send(&ClientMsg::Stage(cmd));
}

pub fn last_stage<T>(bot: &Bot, pick: impl Fn(&StageMsg) -> Option<T>) -> Option<T> {
    bot.inbox.iter().rev().find_map(|m| match m {
        ServerMsg::Stage(s) => pick(s),
        _ => None,
    })
}

pub fn queue(bot: &Bot) -> Option<Vec<RaisedHand>> {
    last_stage(bot, |m| match m {
        StageMsg::Hands { queue } => Some(queue.clone()),
        _ => None,
    })
}

pub fn place(bot: &Bot) -> Option<Option<u16>> {
    last_stage(bot, |m| match m {
        StageMsg::YourHand { place } => Some(*place),
        _ => None,
    })
}

pub fn talk(bot: &Bot) -> Option<TalkState> {
    last_stage(bot, |m| match m {
        StageMsg::Talk(t) => Some(t.clone()),
        _ => None,
    })
}

pub fn refused(bot: &Bot) -> Option<StageRefusal> {
    last_stage(bot, |m| match m {
        StageMsg::Refused { reason } => Some(*reason),
        _ => None,
    })
}

/// A server and a staff host in the forum (the room with a stage).
pub fn forum_with_host() -> (TestServer, Bot) {
    let server = TestServer::start();
    server.add_staff();
    let staff = login(&server.base);
    let host = staff_bot(&server, &staff, "forum");
    (server, host)
}

/// Lets a change reach the SFU (a planning round or two), then returns how many frames
/// `who` received in the next two seconds.
pub fn quiet_while_settled(all: &mut [&mut Voicer], who: usize) -> u64 {
    pump(all, Duration::from_millis(800));
    let before = all[who].peer.total_received();
    pump(all, Duration::from_secs(2));
    all[who].peer.total_received() - before
}
