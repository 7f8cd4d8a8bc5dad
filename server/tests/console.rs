//! The lab's console against a real server: only hosts may make their connection the
//! console; it is heard by the whole hall (also 66 m away) and hears only the floor, not the
//! audience near it.

mod common;

use std::time::Duration;

use common::TestServer;
use common::stage::{quiet_while_settled, refused, stage, talk};
use common::voicer::{Voicer, pump, pump_until, staff_bot};
use common::web::login;
use stadtlab_bots::Bot;
use stadtlab_shared::protocol::{StageCmd, StageRefusal};

#[test]
fn the_labs_console_is_heard_by_the_hall_hears_only_the_floor_and_only_hosts_may_be_one() {
    let server = TestServer::start();
    server.add_staff();
    let staff = login(&server.base);
    // Spawns in join order: the console at (6, 3), Ada next to it at (15.5, 3), Fenna far off.
    let mut console = Voicer::join(staff_bot(&server, &staff, "forum"));
    let mut ada = Voicer::join(server.bot("forum", "Ada"));
    let mut others: Vec<Bot> = (0..5)
        .map(|i| server.bot("forum", &format!("X{i}")))
        .collect();
    let mut far = Voicer::join(server.bot("forum", "Fenna")); // 72.5: 66 m from the console
    for b in &mut others {
        b.pump();
    }
    let (console_id, ada_id) = (console.id(), ada.id());
    pump_until(
        &mut [&mut console, &mut ada, &mut far],
        "voices connected",
        |v| v.iter().all(|v| v.peer.connected),
    );

    // A visitor may not make themselves the console.
    stage(&mut ada.bot, StageCmd::Console { on: true });
    pump_until(&mut [&mut console, &mut ada, &mut far], "refused", |v| {
        refused(&v[1].bot) == Some(StageRefusal::NotAllowed)
    });

    // The host's connection becomes the console: on air for the whole hall, 66 m away too.
    stage(&mut console.bot, StageCmd::Console { on: true });
    stage(&mut console.bot, StageCmd::Talk { on: true });
    console.talking = true;
    pump_until(
        &mut [&mut console, &mut ada, &mut far],
        "Fenna hears the hall",
        |v| v[2].peer.slots[6] == Some(console_id) && v[2].peer.received[6] > 25,
    );
    let state = talk(&far.bot).expect("the talk's state");
    assert_eq!(state.console, Some(console_id));
    assert!(state.on_air.contains(&console_id));

    // Ada talks 9.5 m from the console: the hall's loudspeakers do not play her.
    console.talking = false;
    ada.talking = true;
    let heard = quiet_while_settled(&mut [&mut console, &mut ada, &mut far], 0);
    assert!(
        heard <= 3,
        "the console heard {heard} frames of the audience"
    );
    assert!(
        console.peer.slots[..6].iter().all(Option::is_none),
        "{:?}",
        console.peer.slots
    );

    // Given the floor, Ada is heard in the hall through the console.
    stage(&mut console.bot, StageCmd::GiveFloor { avatar: ada_id });
    pump(
        &mut [&mut console, &mut ada, &mut far],
        Duration::from_millis(300),
    );
    stage(&mut ada.bot, StageCmd::AnswerFloor { accept: true });
    pump_until(
        &mut [&mut console, &mut ada, &mut far],
        "the hall hears Ada",
        |v| v[0].peer.slots[6] == Some(ada_id) && v[0].peer.received[6] > 25,
    );
    drop(others);
}
