//! The receive slots with bots as voice peers: when all six spatial slots of a listener carry
//! people who talk, a nearer voice waits (nobody is cut off mid-sentence); when one of them
//! falls silent, that slot switches to the nearer speaker, and the listener receives them there.

mod common;

use std::time::{Duration, Instant};

use common::TestServer;
use common::voicer::{Voicer, pump, pump_until};
use stadtlab_shared::protocol::domain::voice::SPATIAL_SLOTS;

/// A row of places 1 m apart in a hall small enough that everyone is within the hearing radius.
/// The listener stands at x = 1; six speakers at 4..9 (3 to 8 m away); the latecomer at 2 (1 m).
const CHOIR: &str = r#"
name = "chor"
title = { de = "Chorprobe", en = "Choir practice" }
capacity = 10
floors = [{ min = [0, 0], max = [12, 10] }]
solids = []
spawns = [
  { pos = [1, 5] },
  { pos = [4, 5] }, { pos = [5, 5] }, { pos = [6, 5] },
  { pos = [7, 5] }, { pos = [8, 5] }, { pos = [9, 5] },
  { pos = [2, 5] },
]
"#;

#[test]
fn a_nearer_speaker_waits_for_a_pause_then_takes_the_slot_of_the_one_who_fell_silent() {
    let server = TestServer::start_with(|c| {
        std::fs::write(c.scenes_dir.join("chor.toml"), CHOIR).unwrap();
    });
    let mut lea = Voicer::join(server.bot("chor", "Lea"));
    let mut choir: Vec<Voicer> = (1..=SPATIAL_SLOTS)
        .map(|i| Voicer::join(server.bot("chor", &format!("S{i}"))))
        .collect();
    let mut ned = Voicer::join(server.bot("chor", "Ned"));
    let far = choir.last().unwrap().id();
    let ned_id = ned.id();
    let singers: Vec<u16> = choir.iter().map(Voicer::id).collect();
    let mut all: Vec<&mut Voicer> = vec![&mut lea];
    all.extend(choir.iter_mut());
    all.push(&mut ned);
    pump_until(&mut all, "every voice connected", |v| {
        v.iter().all(|v| v.peer.connected)
    });
    for singer in &mut all[1..=SPATIAL_SLOTS] {
        singer.talking = true;
    }
    let spatial = |v: &[&mut Voicer]| v[0].peer.slots[..SPATIAL_SLOTS].to_vec();
    pump_until(&mut all, "Lea's six slots carry the six singers", |v| {
        singers.iter().all(|s| spatial(v).contains(&Some(*s)))
    });

    // Ned, nearer than all of them, starts while all six sing: he waits.
    all[SPATIAL_SLOTS + 1].talking = true;
    pump(&mut all, Duration::from_millis(1500));
    assert!(
        !spatial(&all).contains(&Some(ned_id)),
        "Ned cut a singer off: {:?}",
        spatial(&all)
    );

    // The farthest singer falls silent: his slot goes to Ned.
    let slot = spatial(&all).iter().position(|s| *s == Some(far)).unwrap();
    all[SPATIAL_SLOTS].talking = false;
    pump_until(&mut all, "the farthest singer's slot carries Ned", |v| {
        spatial(v)[slot] == Some(ned_id)
    });
    let others: Vec<Option<u16>> = spatial(&all)
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != slot)
        .map(|(_, s)| *s)
        .collect();
    assert!(
        singers[..SPATIAL_SLOTS - 1]
            .iter()
            .all(|s| others.contains(&Some(*s))),
        "the other singers keep their slots: {:?}",
        spatial(&all)
    );
    // And Lea receives Ned in that slot.
    let before = all[0].peer.received[slot];
    let end = Instant::now() + Duration::from_secs(2);
    while Instant::now() < end && all[0].peer.received[slot] < before + 25 {
        pump(&mut all, Duration::from_millis(50));
    }
    assert!(
        all[0].peer.received[slot] >= before + 25,
        "Lea received {} frames in Ned's slot",
        all[0].peer.received[slot] - before
    );
}
