//! Printable models end to end against a real server: a school uploads an STL with a
//! licence, reads the report, staff approve it, a visitor sees it appear and downloads the
//! original and the repaired copy; the licence rule; refused files; the lab's own printables.

mod common;

use std::time::Duration;

use common::TestServer;
use common::web::{self, request};
use glam::Vec3;
use stadtlab_server::printable::{self, printers::common_printers, solid::cuboid};

fn wait_for(
    bot: &mut stadtlab_bots::Bot,
    what: &'static str,
    done: impl Fn(&stadtlab_bots::Bot) -> bool,
) {
    bot.pump_until(Duration::from_secs(10), what, |b| done(b))
        .unwrap_or_else(|e| panic!("{what}: {e}"));
}

/// A 20 mm cube with one face turned inwards.
fn flipped_cube() -> Vec<u8> {
    let mut cube = cuboid(Vec3::ZERO, Vec3::splat(20.0));
    cube.triangles[3].swap(1, 2);
    printable::write_stl(&cube)
}

fn upload(base: &str, token: &str, licence: Option<&str>, name: &str, bytes: &[u8]) -> web::Reply {
    let mut fields = web::FIELDS.to_vec();
    if let Some(l) = licence {
        fields.push(("licence", l));
    }
    let (content_type, body) = web::multipart(&fields, Some((name, "model/stl", bytes)));
    let auth = format!("Bearer {token}");
    request(
        "POST",
        &format!("{base}/api/exhibits"),
        &[("authorization", &auth)],
        Some((&content_type, body)),
    )
}

/// GET with optional headers; status and the raw body.
fn fetch(url: &str, headers: &[(&str, &str)]) -> (u16, Vec<u8>, String) {
    let mut req = web::agent().get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut resp = req.call().unwrap();
    let status = resp.status().as_u16();
    let disposition = resp
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = resp
        .body_mut()
        .with_config()
        .limit(80 << 20)
        .read_to_vec()
        .unwrap();
    (status, body, disposition)
}

#[test]
fn a_school_uploads_an_stl_staff_approve_and_a_visitor_takes_it_home() {
    let server = TestServer::start();
    server.add_staff();
    let base = &server.base;
    let mut visitor = server.bot("stadtlabor", "Carla");
    wait_for(&mut visitor, "defaults", |b| b.exhibits.by_id.len() >= 15);
    let staff = web::login(base);
    let token = web::invite(base, &staff);
    let stl = flipped_cube();
    let reply = upload(base, &token, Some("cc-by-4.0"), "nistkasten.stl", &stl);
    assert_eq!(reply.status, 201, "{}", reply.body);
    let id = reply.json()["id"].as_str().unwrap().to_string();

    // The exhibitor reads the report before anyone else may see it.
    let bearer = format!("Bearer {token}");
    let print = request(
        "GET",
        &format!("{base}/api/exhibits/{id}/print"),
        &[("authorization", &bearer)],
        None,
    );
    assert_eq!(print.status, 200, "{}", print.body);
    let info = print.json();
    let report = &info["report"];
    assert_eq!(report["verdict"], "repaired");
    assert_eq!(report["flipped_faces"], 1);
    assert_eq!(report["size_mm"], serde_json::json!([20.0, 20.0, 20.0]));
    assert_eq!(report["unit_assumed"], true);
    assert_eq!(report["checker"], printable::report::CHECKER);
    let sentences: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["de"].as_str().unwrap())
        .collect();
    assert!(
        sentences
            .iter()
            .any(|s| s.contains("nach innen statt nach außen")),
        "{sentences:?}"
    );
    assert_eq!(info["licence"], "cc-by-4.0");
    assert_eq!(
        request("GET", &format!("{base}/api/exhibits/{id}/print"), &[], None).status,
        404
    );

    // Staff approve; the visitor sees it appear.
    assert_eq!(web::moderate(base, &staff, &id, "approve"), 200);
    wait_for(&mut visitor, "the printable exhibit", |b| {
        b.exhibits.by_id.contains_key(&id)
    });
    let public = request("GET", &format!("{base}/api/exhibits/{id}/print"), &[], None).json();
    let (status, original, disposition) = fetch(
        &format!("{base}{}", public["download_url"].as_str().unwrap()),
        &[],
    );
    assert_eq!(status, 200);
    assert_eq!(original, stl, "the original is handed out unchanged");
    assert!(disposition.contains("nistkasten.stl"), "{disposition}");
    let (status, repaired, disposition) = fetch(
        &format!("{base}{}", public["repaired_url"].as_str().unwrap()),
        &[],
    );
    assert_eq!(status, 200);
    assert!(
        disposition.contains("nistkasten-repariert.stl"),
        "{disposition}"
    );
    let again =
        printable::check(&repaired, printable::formats::Kind::Stl, &common_printers()).unwrap();
    assert_eq!(again.report.verdict, "ok");
    assert_eq!(again.report.triangles, 12);
}

#[test]
fn the_licence_decides_who_may_download() {
    let server = TestServer::start();
    server.add_staff();
    let base = &server.base;
    let staff = web::login(base);
    let token = web::invite(base, &staff);
    let cube = printable::write_stl(&cuboid(Vec3::ZERO, Vec3::splat(15.0)));
    let missing = upload(base, &token, None, "wuerfel.stl", &cube);
    assert_eq!(
        (missing.status, missing.json()["error"].as_str()),
        (422, Some("licence_required"))
    );
    let unknown = upload(base, &token, Some("gpl-3.0"), "wuerfel.stl", &cube);
    assert_eq!(
        (unknown.status, unknown.json()["error"].as_str()),
        (422, Some("invalid_field"))
    );
    let reply = upload(
        base,
        &token,
        Some("all-rights-reserved"),
        "wuerfel.stl",
        &cube,
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let id = reply.json()["id"].as_str().unwrap().to_string();
    assert_eq!(web::moderate(base, &staff, &id, "approve"), 200);
    let public = request("GET", &format!("{base}/api/exhibits/{id}/print"), &[], None).json();
    assert!(public["download_url"].is_null(), "{public}");
    assert!(public["repaired_url"].is_null());
    assert_eq!(public["report"]["verdict"], "ok");
    let file = format!("{base}/api/exhibits/{id}/print/file");
    let (status, body, _) = fetch(&file, &[]);
    assert_eq!(status, 403);
    assert!(String::from_utf8_lossy(&body).contains("download_not_allowed"));
    assert_eq!(fetch(&file, &staff.headers()).0, 200, "staff may");
    let bearer = format!("Bearer {token}");
    let (status, body, _) = fetch(&file, &[("authorization", &bearer)]);
    assert_eq!((status, body), (200, cube), "the maker may");
    // No repaired copy when nothing needed repair.
    let staff_view = request(
        "GET",
        &format!("{base}/api/exhibits/{id}/print"),
        &staff.headers(),
        None,
    )
    .json();
    assert!(staff_view["download_url"].is_string() && staff_view["repaired_url"].is_null());
}

#[test]
fn broken_printable_files_are_refused_and_nothing_is_stored() {
    let server = TestServer::start();
    server.add_staff();
    let base = &server.base;
    let staff = web::login(base);
    let token = web::invite(base, &staff);
    let before = web::my_invite(base, &token);
    let mut cut = printable::write_stl(&cuboid(Vec3::ZERO, Vec3::splat(15.0)));
    cut.truncate(cut.len() - 30);
    let reply = upload(base, &token, Some("cc0-1.0"), "kaputt.stl", &cut);
    assert_eq!(reply.status, 422, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["report"]["problems"][0]["rule"], "stl_facet_count");
    assert!(body["message"].as_str().unwrap().contains("cut off"));
    let glb_named_stl = upload(
        base,
        &token,
        Some("cc0-1.0"),
        "modell.stl",
        &web::bench_glb(),
    );
    assert_eq!(
        glb_named_stl.json()["report"]["problems"][0]["rule"],
        "format_mismatch"
    );
    let text = upload(
        base,
        &token,
        Some("cc0-1.0"),
        "notiz.obj",
        b"hello, no model here",
    );
    assert_eq!(text.status, 422);
    // Nothing half-stored: the invite's uploads were given back, no new exhibits.
    let after = web::my_invite(base, &token);
    assert_eq!(before["uploads_left"], after["uploads_left"], "{after}");
    assert!(after["exhibits"].as_array().unwrap().is_empty(), "{after}");
    let list = request(
        "GET",
        &format!("{base}/api/exhibits?status=pending"),
        &staff.headers(),
        None,
    )
    .json();
    assert!(list.as_array().unwrap().is_empty(), "{list}");
}

#[test]
fn the_lab_shows_its_own_printable_models_with_reports() {
    let server = TestServer::start();
    let base = &server.base;
    for id in [
        "druck-osthofentor",
        "druck-futterhaus-halter",
        "druck-schluesselanhaenger",
    ] {
        let info = request("GET", &format!("{base}/api/exhibits/{id}/print"), &[], None);
        assert_eq!(info.status, 200, "{id}: {}", info.body);
        let info = info.json();
        let report = &info["report"];
        assert_ne!(report["verdict"], "problems", "{id}: {report}");
        assert_eq!(report["holes"], 0, "{id}");
        assert_eq!(info["licence"], "cc-by-4.0");
        let (status, stl, _) = fetch(
            &format!("{base}{}", info["download_url"].as_str().unwrap()),
            &[],
        );
        assert_eq!(status, 200);
        assert!(
            printable::formats::sniff(&stl) == printable::formats::Kind::Stl,
            "{id}"
        );
    }
    // The gate's arch hangs in the air standing up; lying on its side it does not.
    let gate = request(
        "GET",
        &format!("{base}/api/exhibits/druck-osthofentor/print"),
        &[],
        None,
    )
    .json();
    assert!(
        gate["report"]["overhang"]["as_is_cm2"].as_f64().unwrap() > 0.5,
        "{}",
        gate["report"]["overhang"]
    );
    assert_eq!(gate["report"]["overhang"]["best_cm2"], 0.0);
}
