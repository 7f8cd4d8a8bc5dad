//! The exhibition end to end against a real server: the default exhibition, an exhibitor's
//! upload through an invite, staff approval appearing live in a connected bot's view, hiding
//! making it vanish, access rules, and persistence across a restart.

mod common;

use std::time::Duration;

use common::TestServer;
use common::web::{self, request};

fn wait_for(
    bot: &mut stadtlab_bots::Bot,
    what: &'static str,
    done: impl Fn(&stadtlab_bots::Bot) -> bool,
) {
    bot.pump_until(Duration::from_secs(10), what, |b| done(b))
        .unwrap_or_else(|e| panic!("{what}: {e}"));
}

#[test]
fn the_default_exhibition_greets_the_first_start() {
    let server = TestServer::start();
    let mut bot = server.bot("stadtlabor", "Anna");
    wait_for(&mut bot, "the default exhibits", |b| {
        b.exhibits.by_id.len() >= 12
    });
    let slots: std::collections::HashSet<_> = bot
        .exhibits
        .by_id
        .values()
        .map(|e| e.slot.clone())
        .collect();
    assert_eq!(
        slots.len(),
        bot.exhibits.by_id.len(),
        "one exhibit per pedestal"
    );
    let feeder = &bot.exhibits.by_id["vogelhaus"];
    assert!(feeder.title.de.contains("Vogelhaus"));
    assert!(!feeder.text.en.is_empty());
    // Every model downloads without signing in and is a valid glTF.
    for exhibit in bot.exhibits.by_id.values() {
        let url = format!("{}{}", server.base, exhibit.model.as_ref().unwrap());
        let mut resp = web::agent().get(&url).call().unwrap();
        assert_eq!(resp.status().as_u16(), 200);
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(10 << 20)
            .read_to_vec()
            .unwrap();
        let gltf = gltf::Gltf::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", exhibit.id));
        assert!(gltf.meshes().count() > 0);
    }
    let list = request("GET", &format!("{}/api/exhibits", server.base), &[], None).json();
    assert!(list.as_array().unwrap().len() >= 12);
    // Other rooms start empty.
    let mut forum = server.bot("forum", "Ben");
    forum
        .pump_until(Duration::from_secs(2), "forum", |_| false)
        .ok();
    assert!(forum.exhibits.by_id.is_empty());
}

#[test]
fn an_approved_upload_appears_live_and_a_hidden_one_vanishes() {
    let server = TestServer::start();
    server.add_staff();
    let base = &server.base;
    let mut visitor = server.bot("stadtlabor", "Carla");
    wait_for(&mut visitor, "defaults", |b| b.exhibits.by_id.len() >= 12);
    let shown_before = visitor.exhibits.by_id.len();

    let staff = web::login(base);
    let token = web::invite(base, &staff);
    let reply = web::upload(
        base,
        &token,
        "bank.glb",
        "model/gltf-binary",
        &web::bench_glb(),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let exhibit = reply.json();
    let id = exhibit["id"].as_str().unwrap().to_string();
    assert_eq!(exhibit["status"], "pending");
    let report = &exhibit["report"];
    assert!(report["triangles"].as_u64().unwrap() > 20);
    assert!(
        (report["scale"].as_f64().unwrap() - 0.5625).abs() < 0.01,
        "{report}"
    );
    assert!(report["notes"][0].as_str().unwrap().contains("scaled"));

    // Pending: not on show, invisible to the public, visible to its exhibitor and staff.
    visitor
        .pump_until(Duration::from_millis(500), "nothing", |_| false)
        .ok();
    assert_eq!(visitor.exhibits.by_id.len(), shown_before);
    let public = request("GET", &format!("{base}/api/exhibits/{id}"), &[], None);
    assert_eq!(public.status, 404);
    let mine = web::my_invite(base, &token);
    assert_eq!(mine["exhibits"][0]["id"], id.as_str());
    let pending = request(
        "GET",
        &format!("{base}/api/exhibits?status=pending"),
        &staff.headers(),
        None,
    )
    .json();
    assert!(
        pending
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == id.as_str())
    );
    let thumb = request(
        "GET",
        &format!("{base}/api/exhibits/{id}/thumbnail"),
        &staff.headers(),
        None,
    );
    assert_eq!(thumb.status, 200);

    // Approval: the visitor already in the room sees it appear, on a pedestal of its zone.
    let approved = request(
        "POST",
        &format!("{base}/api/exhibits/{id}/approve"),
        &staff.headers(),
        None,
    );
    assert_eq!(approved.status, 200, "{}", approved.body);
    wait_for(&mut visitor, "the approved exhibit", |b| {
        b.exhibits.by_id.contains_key(&id)
    });
    let shown = &visitor.exhibits.by_id[&id];
    assert!(shown.slot.starts_with("te-"), "{}", shown.slot);
    assert_eq!(shown.title.en, "Solar bench");
    let model = request(
        "GET",
        &format!("{base}{}", shown.model.as_ref().unwrap()),
        &[],
        None,
    );
    assert_eq!(model.status, 200);
    // A visitor who comes later gets it in the room's list.
    let mut later = server.bot("stadtlabor", "Dora");
    wait_for(&mut later, "the list with it", |b| {
        b.exhibits.by_id.contains_key(&id)
    });

    // Hiding: gone for everyone at once, and from the public API.
    let hidden = request(
        "POST",
        &format!("{base}/api/exhibits/{id}/hide"),
        &staff.headers(),
        None,
    );
    assert_eq!(hidden.status, 200, "{}", hidden.body);
    wait_for(&mut visitor, "the hidden exhibit gone", |b| {
        !b.exhibits.by_id.contains_key(&id)
    });
    wait_for(&mut later, "gone for the second visitor", |b| {
        !b.exhibits.by_id.contains_key(&id)
    });
    assert_eq!(
        request("GET", &format!("{base}/api/exhibits/{id}/model"), &[], None).status,
        404
    );
}

#[test]
fn a_rejection_reaches_the_exhibitor_with_its_reason() {
    let server = TestServer::start();
    server.add_staff();
    let base = &server.base;
    let staff = web::login(base);
    let token = web::invite(base, &staff);
    let id = web::upload_bench(base, &token);
    let body = br#"{"reason":"Bitte ein Foto der echten Bank beilegen."}"#.to_vec();
    let reply = request(
        "POST",
        &format!("{base}/api/exhibits/{id}/reject"),
        &staff.headers(),
        Some(("application/json", body)),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let mine = web::my_invite(base, &token);
    assert_eq!(mine["exhibits"][0]["status"], "rejected");
    assert_eq!(
        mine["exhibits"][0]["reject_reason"],
        "Bitte ein Foto der echten Bank beilegen."
    );
}

#[test]
fn nothing_without_the_right_cookie_or_token() {
    let server = TestServer::start();
    server.add_staff();
    let base = &server.base;
    let staff = web::login(base);
    let token = web::invite(base, &staff);
    let glb = web::bench_glb();

    // Uploads: no token, a made-up token.
    assert_eq!(
        web::upload(base, "", "b.glb", "model/gltf-binary", &glb).status,
        401
    );
    assert_eq!(
        web::upload(base, "not-a-token", "b.glb", "model/gltf-binary", &glb).status,
        401
    );
    let id = web::upload(base, &token, "b.glb", "model/gltf-binary", &glb).json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let approve = format!("{base}/api/exhibits/{id}/approve");
    // Moderation: no cookie; an invite token; a cookie without the CSRF token; a wrong one.
    assert_eq!(request("POST", &approve, &[], None).status, 401);
    let bearer = format!("Bearer {token}");
    assert_eq!(
        request("POST", &approve, &[("authorization", &bearer)], None).status,
        401
    );
    let no_csrf = request("POST", &approve, &[("cookie", &staff.cookie)], None);
    assert_eq!(no_csrf.status, 403);
    assert_eq!(no_csrf.json()["error"], "csrf");
    let wrong = request(
        "POST",
        &approve,
        &[("cookie", &staff.cookie), ("x-csrf-token", "guess")],
        None,
    );
    assert_eq!(wrong.status, 403);
    // Invites: only staff make them.
    let body = br#"{"label":"x"}"#.to_vec();
    let by_exhibitor = request(
        "POST",
        &format!("{base}/api/invites"),
        &[("authorization", &bearer)],
        Some(("application/json", body)),
    );
    assert_eq!(by_exhibitor.status, 401);
    // Wrong password.
    let body = br#"{"username":"anna","password":"wrong-password"}"#.to_vec();
    assert_eq!(
        request(
            "POST",
            &format!("{base}/api/session"),
            &[],
            Some(("application/json", body))
        )
        .status,
        401
    );
    // Another exhibitor does not see this pending upload.
    let other = web::invite(base, &staff);
    let other_bearer = format!("Bearer {other}");
    assert_eq!(
        request(
            "GET",
            &format!("{base}/api/exhibits/{id}"),
            &[("authorization", &other_bearer)],
            None
        )
        .status,
        404
    );
    // A withdrawn invite stops working.
    let invites = request(
        "GET",
        &format!("{base}/api/invites"),
        &staff.headers(),
        None,
    )
    .json();
    // The other invite is the one without uploads (both were made in the same second).
    let other_id = invites
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["uploads"] == 0)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let revoke = request(
        "POST",
        &format!("{base}/api/invites/{other_id}/revoke"),
        &staff.headers(),
        None,
    );
    assert_eq!(revoke.status, 204);
    assert_eq!(
        web::upload(base, &other, "b.glb", "model/gltf-binary", &glb).status,
        403
    );
    // Signed out: the cookie is worthless.
    assert_eq!(
        request(
            "DELETE",
            &format!("{base}/api/session"),
            &staff.headers(),
            None
        )
        .status,
        204
    );
    assert_eq!(
        request("POST", &approve, &staff.headers(), None).status,
        401
    );
}

#[test]
fn exhibits_survive_a_restart() {
    let mut first = TestServer::start();
    first.add_staff();
    let staff = web::login(&first.base);
    let token = web::invite(&first.base, &staff);
    let id = web::upload_bench(&first.base, &token);
    assert_eq!(web::moderate(&first.base, &staff, &id, "approve"), 200);
    let before = request("GET", &format!("{}/api/exhibits", first.base), &[], None).json();
    first.stop();

    let data = std::mem::replace(&mut first.data, tempfile::tempdir().unwrap());
    let scenes = std::mem::replace(&mut first.scenes, tempfile::tempdir().unwrap());
    let second = TestServer::start_config(common::config(data.path(), scenes.path()), data, scenes);
    let after = request("GET", &format!("{}/api/exhibits", second.base), &[], None).json();
    assert_eq!(before, after, "same exhibits, no second seeding");
    let mut bot = second.bot("stadtlabor", "Emil");
    wait_for(&mut bot, "the uploaded exhibit after a restart", |b| {
        b.exhibits.by_id.contains_key(&id)
    });
    let model = request(
        "GET",
        &format!("{}/api/exhibits/{id}/model", second.base),
        &[],
        None,
    );
    assert_eq!(model.status, 200);
}

#[test]
fn the_openapi_document_lists_the_exhibit_api() {
    let server = TestServer::start();
    let doc = request(
        "GET",
        &format!("{}/api/openapi.json", server.base),
        &[],
        None,
    )
    .json();
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/exhibits",
        "/api/exhibits/{id}",
        "/api/exhibits/{id}/approve",
        "/api/exhibits/{id}/reject",
        "/api/exhibits/{id}/hide",
        "/api/invites",
    ] {
        assert!(paths.contains_key(path), "{path} missing");
    }
    assert!(
        doc["paths"]["/api/exhibits"]["post"]["requestBody"]["content"]["multipart/form-data"]
            .is_object()
    );
}

#[test]
fn password_guessing_is_slowed_down() {
    let server = TestServer::start();
    server.add_staff();
    let url = format!("{}/api/session", server.base);
    let guess = |password: &str| {
        let body =
            serde_json::json!({ "username": web::STAFF_NAME, "password": password }).to_string();
        request(
            "POST",
            &url,
            &[],
            Some(("application/json", body.into_bytes())),
        )
        .status
    };
    let answers: Vec<u16> = (0..12).map(|i| guess(&format!("guess-{i}"))).collect();
    assert!(answers[..10].iter().all(|&s| s == 401), "{answers:?}");
    assert_eq!(answers[11], 429, "{answers:?}");
    // Even the right password waits now.
    assert_eq!(guess(web::STAFF_PASSWORD), 429);
}

#[test]
fn a_panel_without_a_model_goes_on_show() {
    let server = TestServer::start();
    server.add_staff();
    let base = &server.base;
    let staff = web::login(base);
    let token = web::invite(base, &staff);
    let mut visitor = server.bot("stadtlabor", "Ida");
    wait_for(&mut visitor, "defaults", |b| b.exhibits.by_id.len() >= 12);
    let mut picture = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut picture, 300, 200);
        enc.set_color(png::ColorType::Rgb);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&vec![180u8; 300 * 200 * 3]).unwrap();
    }
    let (kind, body) = web::multipart_parts(
        web::FIELDS,
        &[("image", "plakat.png", "image/png", &picture)],
    );
    let bearer = format!("Bearer {token}");
    let reply = request(
        "POST",
        &format!("{base}/api/exhibits"),
        &[("authorization", &bearer)],
        Some((&kind, body)),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let exhibit = reply.json();
    assert!(exhibit["model_url"].is_null());
    assert_eq!(exhibit["report"]["format"], "panel");
    let id = exhibit["id"].as_str().unwrap().to_string();
    assert_eq!(web::moderate(base, &staff, &id, "approve"), 200);
    wait_for(&mut visitor, "the panel", |b| {
        b.exhibits.by_id.contains_key(&id)
    });
    let panel = &visitor.exhibits.by_id[&id];
    assert!(panel.model.is_none());
    assert_eq!(panel.images.len(), 1);
    let picture = request("GET", &format!("{base}{}", panel.images[0]), &[], None);
    assert_eq!(picture.status, 200);
}

#[test]
fn staff_cookies_are_secure_behind_tls() {
    let set_cookie = |server: &TestServer| {
        server.add_staff();
        let body =
            serde_json::json!({ "username": web::STAFF_NAME, "password": web::STAFF_PASSWORD })
                .to_string();
        let reply = request(
            "POST",
            &format!("{}/api/session", server.base),
            &[],
            Some(("application/json", body.into_bytes())),
        );
        assert_eq!(reply.status, 200);
        reply
            .headers
            .iter()
            .find(|(k, _)| k == "set-cookie")
            .unwrap()
            .1
            .clone()
    };
    let behind_tls = set_cookie(&TestServer::start_with(|c| c.behind_tls = true));
    assert!(behind_tls.contains("; Secure"), "{behind_tls}");
    assert!(behind_tls.contains("HttpOnly") && behind_tls.contains("SameSite=Strict"));
    // Without TLS in front the flag would stop browsers from sending it over plain HTTP.
    let plain = set_cookie(&TestServer::start());
    assert!(!plain.contains("Secure"), "{plain}");
}
