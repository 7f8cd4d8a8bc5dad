//! The real `stadtlab` binary as a child process (for kill -9, memory limits, RSS figures).
//! Not part of `common`: other crates include `common` too, and only the server's own tests
//! know where Cargo put the binary (`#[path = "common/process.rs"] mod process;`).

#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::web;

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The binary with a data folder, the shipped scenes and web folder, game ports chosen freely.
pub fn command(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stadtlab"));
    cmd.env("STADTLAB_DATA_DIR", data)
        .env(
            "STADTLAB_SCENES_DIR",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenes"),
        )
        .env(
            "STADTLAB_WEB_DIR",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../web"),
        )
        .env("STADTLAB_UDP_PORT", "0")
        .env("STADTLAB_WEBTRANSPORT_PORT", "0")
        .env("STADTLAB_WEBSOCKET_PORT", "0")
        .env("STADTLAB_VOICE_PORT", "0")
        .env("STADTLAB_GAME_BIND_IP", "127.0.0.1")
        .env_remove("STADTLAB_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Creates the tests' staff account in the data folder (`stadtlab admin create-user`).
pub fn create_staff(data: &Path) {
    let status = command(data)
        .args(["admin", "create-user", web::STAFF_NAME])
        .env("STADTLAB_ADMIN_PASSWORD", web::STAFF_PASSWORD)
        .status()
        .unwrap();
    assert!(status.success());
}

/// Starts `cmd` serving HTTP on `port` and waits until it answers.
pub fn serve_command(mut cmd: Command, port: u16) -> Child {
    let mut child = cmd
        .env("STADTLAB_HTTP", format!("127.0.0.1:{port}"))
        .spawn()
        .unwrap();
    let end = Instant::now() + Duration::from_secs(60);
    let url = format!("http://127.0.0.1:{port}/healthz");
    while Instant::now() < end {
        if web::agent()
            .get(&url)
            .call()
            .is_ok_and(|r| r.status() == 200)
        {
            return child;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not come up");
}

pub fn serve(data: &Path, port: u16) -> Child {
    serve_command(command(data), port)
}

/// (resident, peak resident) of a process in MB, from /proc.
pub fn rss_mb(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(f64::NAN)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
