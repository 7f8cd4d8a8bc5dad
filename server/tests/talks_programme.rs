//! Slides and the programme against a real server: staff upload a PDF made here and hostile
//! ones (refused with reasons over HTTP), put the deck on the forum's screen; visitors (bots)
//! see the page, late joiners too; only hosts page; the programme's clock starts a talk with
//! its slides and ends it; `/programme.ics` and `/programme.json` are read by real parsers.

mod common;

use std::str::FromStr;

use common::voicer::staff_bot;
use common::web::{StaffSession, login, multipart_parts, request, send_json};
use common::{TestServer, pump_bots_until};
use icalendar::{Calendar, CalendarComponent, Component};
use stadtlab_bots::{Bot, slides};
use stadtlab_shared::protocol::domain::stage::Slides;
use stadtlab_shared::protocol::{ClientMsg, ServerMsg, StageCmd, StageMsg, StageRefusal};

fn upload_pdf(
    server: &TestServer,
    staff: &StaffSession,
    title: &str,
    pdf: &[u8],
) -> common::web::Reply {
    let (kind, body) = multipart_parts(
        &[("title", title)],
        &[("file", "deck.pdf", "application/pdf", pdf)],
    );
    request(
        "POST",
        &format!("{}/api/slides", server.base),
        &staff.headers(),
        Some((&kind, body)),
    )
}

fn slides_seen(bot: &Bot) -> Option<Option<Slides>> {
    bot.inbox.iter().rev().find_map(|m| match m {
        ServerMsg::Stage(StageMsg::Slides(s)) => Some(s.clone()),
        _ => None,
    })
}

fn talk_running(bot: &Bot) -> Option<bool> {
    bot.inbox.iter().rev().find_map(|m| match m {
        ServerMsg::Stage(StageMsg::Talk(t)) => Some(t.running),
        _ => None,
    })
}

#[test]
fn slides_are_uploaded_shown_paged_by_hosts_only_and_bad_pdfs_are_refused() {
    let server = TestServer::start();
    server.add_staff();
    let staff = login(&server.base);

    // Hostile and broken files: a reason each, nothing stored.
    let mut cut = slides::deck(2, "cut");
    cut.truncate(cut.len() / 2);
    for (what, pdf, rule) in [
        ("cut off", cut, "invalid_pdf"),
        ("encrypted", slides::password_protected(), "pdf_encrypted"),
        ("page bomb", slides::page_bomb(5000), "too_many_pages"),
        (
            "huge page",
            slides::sized_page(30_000.0, 500.0),
            "page_too_large",
        ),
    ] {
        let reply = upload_pdf(&server, &staff, what, &pdf);
        assert_eq!(reply.status, 422, "{what}: {}", reply.body);
        assert_eq!(reply.json()["error"], rule, "{what}: {}", reply.body);
    }
    let listed = request(
        "GET",
        &format!("{}/api/slides", server.base),
        &staff.headers(),
        None,
    );
    assert_eq!(
        listed.json().as_array().unwrap().len(),
        0,
        "nothing refused was kept"
    );
    // Without a staff session: no upload.
    let (kind, body) = multipart_parts(
        &[("title", "x")],
        &[("file", "d.pdf", "application/pdf", &slides::deck(1, "x"))],
    );
    assert_eq!(
        request(
            "POST",
            &format!("{}/api/slides", server.base),
            &[],
            Some((&kind, body))
        )
        .status,
        401
    );

    let reply = upload_pdf(
        &server,
        &staff,
        "Stadtlabor heute",
        &slides::deck(4, "Stadtlabor"),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let deck = reply.json();
    let id = deck["id"].as_str().unwrap().to_string();
    assert_eq!(deck["pages"], 4);
    let page = request(
        "GET",
        &format!("{}/api/slides/{id}/pages/2", server.base),
        &[],
        None,
    );
    assert_eq!(page.status, 200);
    assert!(
        page.headers
            .iter()
            .any(|(k, v)| k == "content-type" && v == "image/png")
    );
    assert_eq!(
        request(
            "GET",
            &format!("{}/api/slides/{id}/pages/5", server.base),
            &[],
            None
        )
        .status,
        404
    );

    let mut host = staff_bot(&server, &staff, "forum");
    let mut visitor = server.bot("forum", "Ada");
    let stage_url = format!("{}/api/rooms/forum/stage", server.base);
    let shown = send_json(
        "POST",
        &stage_url,
        &staff.headers(),
        &serde_json::json!({ "talk": true, "deck": id }),
    );
    assert_eq!(shown.status, 204, "{}", shown.body);
    pump_bots_until(
        &mut [&mut host, &mut visitor],
        "the slides on the screen",
        |b| {
            slides_seen(b[1])
                .flatten()
                .is_some_and(|s| s.page == 1 && s.pages == 4)
        },
        10,
    );
    assert_eq!(
        slides_seen(&visitor).flatten().unwrap().page_path(),
        format!("/api/slides/{id}/pages/1")
    );

    // A visitor may not page; a host may, within the deck.
    visitor.send(&ClientMsg::Stage(StageCmd::Page { page: 3 }));
    pump_bots_until(
        &mut [&mut host, &mut visitor],
        "the visitor refused",
        |b| {
            b[1].inbox.iter().any(|m| {
                matches!(
                    m,
                    ServerMsg::Stage(StageMsg::Refused {
                        reason: StageRefusal::NotAllowed
                    })
                )
            })
        },
        10,
    );
    host.send(&ClientMsg::Stage(StageCmd::Page { page: 9 }));
    pump_bots_until(
        &mut [&mut host, &mut visitor],
        "paging past the end refused",
        |b| {
            b[0].inbox.iter().any(|m| {
                matches!(
                    m,
                    ServerMsg::Stage(StageMsg::Refused {
                        reason: StageRefusal::NoSuchPage
                    })
                )
            })
        },
        10,
    );
    host.send(&ClientMsg::Stage(StageCmd::Page { page: 3 }));
    pump_bots_until(
        &mut [&mut host, &mut visitor],
        "page 3 for everyone",
        |b| slides_seen(b[1]).flatten().is_some_and(|s| s.page == 3),
        10,
    );
    // Paging from the web (the console, the staff page).
    send_json(
        "POST",
        &stage_url,
        &staff.headers(),
        &serde_json::json!({ "page": 2 }),
    );
    pump_bots_until(
        &mut [&mut host, &mut visitor],
        "page 2 from the web",
        |b| slides_seen(b[1]).flatten().is_some_and(|s| s.page == 2),
        10,
    );

    // A late joiner sees the current page at once.
    let mut late = server.bot("forum", "Ben");
    pump_bots_until(
        &mut [&mut late],
        "the late joiner's slides",
        |b| slides_seen(b[0]).flatten().is_some_and(|s| s.page == 2),
        10,
    );

    // Taken down for everyone; a room without a stage has none to show on.
    send_json(
        "POST",
        &stage_url,
        &staff.headers(),
        &serde_json::json!({ "deck": "" }),
    );
    pump_bots_until(
        &mut [&mut visitor],
        "the slides taken down",
        |b| slides_seen(b[0]) == Some(None),
        10,
    );
    let lab_less = send_json(
        "POST",
        &format!("{}/api/rooms/nowhere/stage", server.base),
        &staff.headers(),
        &serde_json::json!({ "page": 1 }),
    );
    assert_eq!(lab_less.status, 404);
}

#[test]
fn the_programme_starts_and_ends_a_talk_and_its_feeds_parse() {
    let server = TestServer::start();
    server.add_staff();
    let staff = login(&server.base);
    let deck = upload_pdf(&server, &staff, "Offene Daten", &slides::deck(2, "Daten")).json();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let talks = format!("{}/api/talks", server.base);
    let talk = |starts: i64, ends: i64, room: &str, title: &str| {
        serde_json::json!({
            "room": room, "title_de": title, "title_en": format!("{title} (en)"), "speaker": "Ada Lovelace",
            "description_de": "Wie die Stadt ihre Daten teilt.", "description_en": "How the town shares its data.",
            "starts_at": starts, "ends_at": ends, "deck_id": deck["id"],
        })
    };
    // Bad plans are refused with the field named.
    for (body, field) in [
        (talk(now + 100, now + 50, "forum", "Rückwärts"), "ends_at"),
        (talk(now + 100, now + 200, "keller", "Nirgends"), "room"),
        (talk(now + 100, now + 200, "forum", ""), "title_de"),
    ] {
        let reply = send_json("POST", &talks, &staff.headers(), &body);
        assert_eq!(reply.status, 422, "{}", reply.body);
        assert!(reply.body.contains(field), "{field}: {}", reply.body);
    }
    assert_eq!(
        send_json(
            "POST",
            &talks,
            &[],
            &talk(now + 100, now + 200, "forum", "Ohne")
        )
        .status,
        401
    );

    let mut visitor = server.bot("forum", "Ada");
    // Starts in 2 s, ends 5 s later: the clock checks every 2 s.
    let created = send_json(
        "POST",
        &talks,
        &staff.headers(),
        &talk(now + 2, now + 7, "forum", "Offene Daten in Soest"),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    send_json(
        "POST",
        &talks,
        &staff.headers(),
        &talk(now + 3600, now + 7200, "forum", "Später: Stadtgrün"),
    );
    pump_bots_until(
        &mut [&mut visitor],
        "the talk started by the programme, with its slides",
        |b| {
            talk_running(b[0]) == Some(true)
                && slides_seen(b[0]).flatten().is_some_and(|s| s.pages == 2)
        },
        20,
    );
    pump_bots_until(
        &mut [&mut visitor],
        "the talk ended by the programme",
        |b| talk_running(b[0]) == Some(false) && slides_seen(b[0]) == Some(None),
        20,
    );

    // The list, the calendar feed and the schedule JSON.
    let list = request("GET", &talks, &[], None).json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let ics = request("GET", &format!("{}/programme.ics", server.base), &[], None);
    assert_eq!(ics.status, 200);
    assert!(
        ics.headers
            .iter()
            .any(|(k, v)| k == "content-type" && v.starts_with("text/calendar"))
    );
    let calendar =
        Calendar::from_str(&ics.body).unwrap_or_else(|e| panic!("not iCal ({e}): {}", ics.body));
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(events.len(), 2);
    assert!(
        events
            .iter()
            .any(|e| e.get_summary() == Some("Später: Stadtgrün (Ada Lovelace)")),
        "{}",
        ics.body
    );
    assert!(
        events
            .iter()
            .all(|e| e.get_start().is_some() && e.get_end().is_some())
    );
    let english = request(
        "GET",
        &format!("{}/programme.ics?lang=en", server.base),
        &[],
        None,
    );
    assert!(english.body.contains("Später: Stadtgrün (en)"));

    let json = request("GET", &format!("{}/programme.json", server.base), &[], None).json();
    let conference = &json["schedule"]["conference"];
    assert_eq!(conference["acronym"], "stadtlab");
    let day = &conference["days"][0];
    let forum = day["rooms"]["forum"]
        .as_array()
        .expect("the forum's talks of the day");
    assert!(
        forum.iter().any(|e| e["title"] == "Später: Stadtgrün"
            && e["duration"] == "01:00"
            && e["persons"][0]["public_name"] == "Ada Lovelace"),
        "{json}"
    );
    assert!(
        forum
            .iter()
            .all(|e| e["guid"].as_str().is_some_and(|g| g.len() == 36))
    );

    // Deleting a talk takes it off the programme.
    let id = created.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        request("DELETE", &format!("{talks}/{id}"), &staff.headers(), None).status,
        204
    );
    assert_eq!(
        request("GET", &talks, &[], None)
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
