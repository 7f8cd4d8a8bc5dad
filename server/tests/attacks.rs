//! The attack set against the real binary, started with its data memory limited to 1 GiB
//! (RLIMIT_DATA): each hostile upload is refused with the rule it broke or served within the
//! budget, the server keeps answering visitors, and its memory goes back down afterwards.

mod common;
#[path = "common/process.rs"]
mod process;

use std::os::unix::process::CommandExt;
use std::time::{Duration, Instant};

use common::attack_models as attack;
use common::web::{self, StaffSession, request};
use process::{command, create_staff, free_port, rss_mb, serve_command};

const LIMIT: u64 = 1024 * 1024 * 1024;

fn staff_upload(
    base: &str,
    staff: &StaffSession,
    file: Option<&[u8]>,
    images: &[&[u8]],
) -> web::Reply {
    let mut parts: Vec<web::Part> = file
        .map(|f| ("file", "model.glb", "model/gltf-binary", f))
        .into_iter()
        .collect();
    for image in images {
        parts.push(("image", "picture.png", "image/png", image));
    }
    let (kind, body) = web::multipart_parts(web::FIELDS, &parts);
    request(
        "POST",
        &format!("{base}/api/exhibits"),
        &staff.headers(),
        Some((&kind, body)),
    )
}

fn rule(reply: &web::Reply) -> String {
    reply.json()["report"]["problems"][0]["rule"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
fn the_attack_set_leaves_the_lab_answering_within_its_memory() {
    let data = tempfile::tempdir().unwrap();
    create_staff(data.path());
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut cmd = command(data.path());
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: LIMIT,
                rlim_max: LIMIT,
            };
            if libc::setrlimit(libc::RLIMIT_DATA, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut server = serve_command(cmd, port);
    let pid = server.id();
    let staff = web::login(&base);
    let (start_rss, _) = rss_mb(pid);

    let mut figures = Vec::new();
    let mut measure = |name: &str, reply: web::Reply, t0: Instant| {
        let (rss, peak) = rss_mb(pid);
        let line = format!(
            "attack {name}: status={} rule={} seconds={:.2} rss_mb={rss:.0} peak_mb={peak:.0}",
            reply.status,
            if reply.status == 201 {
                "-".into()
            } else {
                rule(&reply)
            },
            t0.elapsed().as_secs_f64()
        );
        println!("{line}");
        figures.push(line);
        reply
    };

    let t0 = Instant::now();
    let r = measure(
        "amplification",
        staff_upload(&base, &staff, Some(&attack::amplification()), &[]),
        t0,
    );
    assert_eq!(
        (r.status, rule(&r).as_str()),
        (422, "too_many_vertices"),
        "{}",
        r.body
    );

    let t0 = Instant::now();
    let r = measure(
        "shared_image_200",
        staff_upload(&base, &staff, Some(&attack::shared_image(200)), &[]),
        t0,
    );
    assert_eq!(
        (r.status, rule(&r).as_str()),
        (422, "too_many_images"),
        "{}",
        r.body
    );

    // 30 images under the image limit, all one 2048² picture: checked once each from the
    // header, never copied; accepted (the texture memory rule counts 30 × 16 MB = 480 MB).
    let t0 = Instant::now();
    let r = measure(
        "shared_image_30",
        staff_upload(&base, &staff, Some(&attack::shared_image(30)), &[]),
        t0,
    );
    assert_eq!(
        (r.status, rule(&r).as_str()),
        (422, "texture_memory"),
        "{}",
        r.body
    );

    let bomb = attack::png(8192, 8192);
    assert!(bomb.len() < 1024 * 1024, "a bomb is small: {}", bomb.len());
    let t0 = Instant::now();
    let r = measure(
        "image_bombs",
        staff_upload(&base, &staff, None, &[&bomb, &bomb, &bomb]),
        t0,
    );
    assert_eq!(
        (r.status, rule(&r).as_str()),
        (422, "image_too_large"),
        "{}",
        r.body
    );

    let t0 = Instant::now();
    let r = measure(
        "thumbnail_heavy",
        staff_upload(&base, &staff, Some(&attack::thumbnail_heavy()), &[]),
        t0,
    );
    assert_eq!(r.status, 201, "{}", r.body);

    // Four 60 MB uploads at once: they wait their turn in the ingest queue.
    let big = std::sync::Arc::new(attack::padded(60 * 1024 * 1024));
    let t0 = Instant::now();
    let parallel: Vec<_> = (0..4)
        .map(|_| {
            let (base, big) = (base.clone(), big.clone());
            let staff = StaffSession {
                cookie: staff.cookie.clone(),
                csrf: staff.csrf.clone(),
            };
            std::thread::spawn(move || staff_upload(&base, &staff, Some(&big), &[]))
        })
        .collect();
    for handle in parallel {
        let r = measure("parallel_60mb", handle.join().unwrap(), t0);
        assert_eq!(r.status, 201, "{}", r.body);
    }
    drop(big);

    // A loop of refused uploads with one invite is stopped, and costs the invite nothing
    // it could use.
    let token = web::invite(&base, &staff);
    // Small files, so that the refusal before reading the body still reaches the client.
    let broken = b"glTF\x02\0\0\0broken".to_vec();
    let mut statuses = Vec::new();
    for _ in 0..14 {
        statuses.push(web::upload(&base, &token, "a.glb", "model/gltf-binary", &broken).status);
    }
    assert_eq!(statuses[..10], [422; 10], "{statuses:?}");
    assert!(statuses[10..].iter().all(|&s| s == 429), "{statuses:?}");
    let invite = web::my_invite(&base, &token);
    assert_eq!(invite["uploads_left"], 5, "{invite}");
    assert_eq!(invite["refused_uploads"], 10, "{invite}");

    // Still answering visitors.
    let join = request(
        "POST",
        &format!("{base}/api/rooms/stadtlabor/join"),
        &[],
        Some((
            "application/json",
            serde_json::json!({"name": "Anna", "protocol": stadtlab_shared::protocol::PROTOCOL_VERSION})
                .to_string()
                .into_bytes(),
        )),
    );
    assert_eq!(join.status, 200, "{}", join.body);
    std::thread::sleep(Duration::from_secs(1));
    let (end_rss, peak) = rss_mb(pid);
    println!(
        "attack set: rss_start_mb={start_rss:.0} rss_end_mb={end_rss:.0} peak_mb={peak:.0} limit_mb=1024"
    );
    assert!(
        end_rss < start_rss + 100.0,
        "memory went back: {start_rss:.0} MB at start, {end_rss:.0} MB after"
    );
    assert!(server.try_wait().unwrap().is_none(), "the server is alive");
    server.kill().unwrap();
    server.wait().unwrap();
}
