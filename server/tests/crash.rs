//! A `kill -9` in the middle of an upload leaves neither a half-written blob nor a database
//! row: the real binary, killed while the body is still arriving, then started again.

mod common;
#[path = "common/process.rs"]
mod process;

use std::path::Path;
use std::time::Duration;

use common::web::{self, request};
use process::{create_staff, free_port, serve};

fn blob_files(data: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(data.join("blobs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn kill_9_during_an_upload_leaves_no_trace() {
    let data = tempfile::tempdir().unwrap();
    create_staff(data.path());
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = serve(data.path(), port);
    let staff = web::login(&base);
    let token = web::invite(&base, &staff);
    let blobs_before = blob_files(data.path());
    let rows_before = request(
        "GET",
        &format!("{base}/api/exhibits"),
        &staff.headers(),
        None,
    )
    .body;

    // Half of a 20 MB upload arrives, then the server dies without a chance to clean up.
    let addr = format!("127.0.0.1:{port}");
    let glb = web::bench_glb();
    let (kind, mut body) =
        web::multipart(web::FIELDS, Some(("big.glb", "model/gltf-binary", &glb)));
    body.truncate(body.len() - 100);
    let head = format!(
        "POST /api/exhibits HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\r\n",
        20 * 1024 * 1024
    );
    let writer =
        std::thread::spawn(move || web::raw_request(&addr, &head, &body, 10 * 1024 * 1024));
    std::thread::sleep(Duration::from_millis(500));
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    let _ = writer.join();

    let mut again = serve(data.path(), port);
    let staff = web::login(&base);
    assert_eq!(
        blob_files(data.path()),
        blobs_before,
        "no new or half-written blob"
    );
    let rows_after = request(
        "GET",
        &format!("{base}/api/exhibits"),
        &staff.headers(),
        None,
    )
    .body;
    assert_eq!(
        rows_after, rows_before,
        "no exhibit row from the broken upload"
    );
    // And the server works as before: the same upload, complete this time, is taken.
    let reply = web::upload(&base, &token, "big.glb", "model/gltf-binary", &glb);
    assert_eq!(reply.status, 201, "{}", reply.body);
    again.kill().unwrap();
    again.wait().unwrap();
}
