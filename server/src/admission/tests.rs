//! Seats, capacity, hoarding, barriers and locks, without sockets.

use super::*;

fn open_lab(capacity: usize, ttl: Duration) -> (Admission, RoomId) {
    let a = Admission::new(ttl, 1000);
    let id = a.open_room("lab", "lab", capacity, RoomKind::Public);
    (a, id)
}

fn ask(room: RoomId, name: &str) -> JoinAsk<'_> {
    JoinAsk {
        room,
        name,
        color: 0,
        session: None,
        origin: None,
        device: None,
        role: Role::Visitor,
        host: None,
        entry: None,
    }
}
#[test]
fn capacity_counts_people_and_open_seats() {
    let (lobby, lab) = open_lab(2, Duration::from_secs(30));
    let a = lobby.reserve(ask(lab, "Anna")).unwrap();
    lobby.reserve(ask(lab, "Ben")).unwrap();
    assert_eq!(
        lobby.reserve(ask(lab, "Cem")).unwrap_err(),
        JoinRefusal::RoomFull {
            capacity: 2,
            pending: 2
        }
    );
    let seat = lobby.take_seat(a.client_id).unwrap();
    lobby.session_started(&seat);
    lobby.set_occupied(lab, 1);
    // Anna's seat became a person: still full.
    assert!(lobby.reserve(ask(lab, "Cem")).is_err());
    // Anna coming back with her session does not need a new place.
    let again = lobby
        .reserve(JoinAsk {
            session: Some(a.session.as_str()),
            origin: None,
            ..ask(lab, "ignored")
        })
        .unwrap();
    assert!(again.rejoin);
    assert_eq!(again.name, "Anna");
    assert_eq!(
        lobby
            .reserve(JoinAsk {
                session: None,
                origin: None,
                ..ask(RoomId(99), "Anna")
            })
            .unwrap_err(),
        JoinRefusal::UnknownRoom
    );
}

#[test]
fn seats_are_taken_once_and_expire() {
    let (lobby, lab) = open_lab(10, Duration::from_millis(0));
    let r = lobby.reserve(ask(lab, "Anna")).unwrap();
    assert!(lobby.take_seat(r.client_id).is_none(), "expired");
    let (lobby, lab) = open_lab(10, Duration::from_secs(30));
    let r = lobby.reserve(ask(lab, "Anna")).unwrap();
    assert!(lobby.take_seat(r.client_id).is_some());
    assert!(
        lobby.take_seat(r.client_id).is_none(),
        "a token cannot be used twice"
    );
}
#[test]
fn one_address_cannot_hoard_seats() {
    let (lobby, lab) = open_lab(500, Duration::from_secs(30));
    let origin = Some(IpAddr::from([203, 0, 113, 7]));
    for i in 0..40 {
        lobby
            .reserve(JoinAsk {
                session: None,
                origin,
                ..ask(lab, &format!("Kind {i}"))
            })
            .unwrap();
    }
    assert_eq!(
        lobby
            .reserve(JoinAsk {
                session: None,
                origin,
                ..ask(lab, "Noch eins")
            })
            .unwrap_err(),
        JoinRefusal::TooManyPending
    );
    // Someone else still gets in.
    lobby
        .reserve(JoinAsk {
            session: None,
            origin: Some(IpAddr::from([198, 51, 100, 1])),
            ..ask(lab, "Anna")
        })
        .unwrap();
}
#[test]
fn seats_reserved_from_many_addresses_leave_room_for_real_visitors() {
    let (lobby, lab) = open_lab(200, Duration::from_secs(30));
    let mut held = 0;
    for a in 1..=6u8 {
        for i in 0..40 {
            let origin = Some(IpAddr::from([127, 0, 0, a]));
            if lobby
                .reserve(JoinAsk {
                    session: None,
                    origin,
                    ..ask(lab, &format!("S{a}-{i}"))
                })
                .is_ok()
            {
                held += 1;
            }
        }
    }
    // The squatters bump each other; never more than a quarter of the room is held.
    assert_eq!(
        lobby.occupancy(lab).unwrap().connecting,
        max_connecting(200)
    );
    assert!(held >= max_connecting(200));
    // A real visitor gets a seat: the biggest hoarder gives one up.
    let anna = lobby
        .reserve(JoinAsk {
            session: None,
            origin: Some(IpAddr::from([198, 51, 100, 1])),
            ..ask(lab, "Anna")
        })
        .unwrap();
    assert!(lobby.take_seat(anna.client_id).is_some());
}

#[test]
fn a_full_room_says_that_seats_are_held_by_joins_still_connecting() {
    let (lobby, lab) = open_lab(12, Duration::from_secs(30));
    for i in 0..10u8 {
        let origin = Some(IpAddr::from([10, 0, 0, i]));
        lobby
            .reserve(JoinAsk {
                session: None,
                origin,
                ..ask(lab, "Kind")
            })
            .unwrap();
    }
    // Everyone holds one seat: nobody is bumped, the answer says why.
    let refusal = lobby
        .reserve(JoinAsk {
            session: None,
            origin: Some(IpAddr::from([10, 0, 1, 1])),
            ..ask(lab, "Anna")
        })
        .unwrap_err();
    assert!(matches!(
        refusal,
        JoinRefusal::TooManyConnecting { pending: 10 }
    ));
    assert!(
        refusal.to_string().contains("still connecting"),
        "{refusal}"
    );
}

#[test]
fn a_second_join_with_the_same_session_replaces_the_first_seat() {
    let (lobby, lab) = open_lab(20, Duration::from_secs(30));
    let first = lobby.reserve(ask(lab, "Anna")).unwrap();
    let second = lobby
        .reserve(JoinAsk {
            session: Some(first.session.as_str()),
            origin: None,
            ..ask(lab, "Anna")
        })
        .unwrap();
    assert_eq!(second.session, first.session);
    assert_eq!(lobby.occupancy(lab).unwrap().connecting, 1);
    assert!(lobby.take_seat(first.client_id).is_none());
    assert!(lobby.take_seat(second.client_id).is_some());
}

#[test]
fn a_whole_class_may_connect_at_once_but_not_more() {
    let a = Admission::new(Duration::from_secs(30), 1000);
    let visit = a.open_room(
        "visit-x",
        "lab",
        26,
        RoomKind::Visit(Box::new(VisitEntry {
            visit_id: "x".into(),
            code: "ACDEFG".into(),
            guide_key_hash: String::new(),
            locked: false,
        })),
    );
    let school = Some(IpAddr::from([192, 0, 2, 1]));
    for i in 0..26 {
        a.reserve(JoinAsk {
            origin: school,
            ..ask(visit, &format!("Kind {i}"))
        })
        .unwrap();
    }
    assert!(matches!(
        a.reserve(ask(visit, "Noch eins")),
        Err(JoinRefusal::RoomFull { .. })
    ));
    // Locked: newcomers are refused, staff still come in.
    a.set_locked(visit, true);
    assert_eq!(
        a.reserve(ask(visit, "Spät")).unwrap_err(),
        JoinRefusal::Locked
    );
}

#[test]
fn bans_and_removals_hold_at_the_door_but_not_for_staff() {
    let (a, lab) = open_lab(10, Duration::from_secs(30));
    a.ban(BanEntry {
        id: "b".into(),
        device_hash: Some(device_hash("00112233445566778899aabbccddeeff")),
        network: None,
        reason: "Spam".into(),
        created_at: crate::storage::unix_now(),
    });
    let banned = JoinAsk {
        device: Some("00112233445566778899AABBCCDDEEFF"),
        ..ask(lab, "Neuer Name")
    };
    assert!(matches!(
        a.reserve(banned.clone()),
        Err(JoinRefusal::Banned { .. })
    ));
    assert!(
        a.reserve(JoinAsk {
            role: Role::Staff,
            host: None,
            ..banned
        })
        .is_ok()
    );
    a.remove(
        lab,
        Some(device_hash("aa".repeat(8).as_str())),
        "s1".into(),
        Duration::from_secs(900),
    );
    let removed = a
        .reserve(JoinAsk {
            device: Some(&"aa".repeat(8)),
            ..ask(lab, "Wieder da")
        })
        .unwrap_err();
    assert_eq!(removed, JoinRefusal::Removed { minutes: 15 });
}
