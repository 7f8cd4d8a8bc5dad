//! A real server on loopback for integration tests: temp data folder, free ports, the shipped
//! scenes (plus any test scenes), and a tokio runtime that lives as long as the server.

#![allow(dead_code)]

pub mod attack_models;
pub mod impact;
pub mod stage;
pub mod visits;
pub mod voicer;
pub mod web;

use std::path::PathBuf;
use std::time::Duration;

use stadtlab_bots::{Bot, BotOptions};
use stadtlab_server::app::{self, RunningServer};
use stadtlab_server::config::Config;

pub struct TestServer {
    pub server: Option<RunningServer>,
    pub base: String,
    pub data: tempfile::TempDir,
    pub scenes: tempfile::TempDir,
    pub runtime: tokio::runtime::Runtime,
}

pub const SMALL_ROOM: &str = r#"
name = "kleinraum"
title = { de = "Kleiner Raum", en = "Small room" }
capacity = 3
floors = [{ min = [0, 0], max = [10, 10] }]
solids = [{ min = [5, 0], max = [5.2, 6], height = 3 }]
spawns = [{ pos = [2, 2] }, { pos = [3, 2] }, { pos = [2, 3] }]
"#;

pub fn config(data: &std::path::Path, scenes: &std::path::Path) -> Config {
    use_slide_renderer();
    let mut c = Config {
        data_dir: data.to_path_buf(),
        scenes_dir: scenes.to_path_buf(),
        web_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../web"),
        http: "127.0.0.1:0".parse().unwrap(),
        ..Default::default()
    };
    c.game.bind_ip = "127.0.0.1".parse().unwrap();
    c.game.udp_port = 0;
    c.game.webtransport_port = 0;
    c.game.websocket_port = 0;
    c.game.voice_port = 0;
    c.game.timeout_secs = 3;
    c.game.reconnect_grace_secs = 2;
    c
}

/// The server draws PDF slides in a child process of its own binary; inside a test program
/// that is the `stadtlab` binary Cargo built for the server's tests (none in other packages'
/// tests, which upload no slides).
pub fn use_slide_renderer() {
    if let Some(bin) = option_env!("CARGO_BIN_EXE_stadtlab") {
        stadtlab_server::slides::use_renderer(bin.into());
    }
}

impl TestServer {
    /// Creates the staff account the exhibition tests sign in with.
    pub fn add_staff(&self) {
        let storage = self.server.as_ref().unwrap().storage.clone();
        let hash = stadtlab_server::http::auth::hash_password(web::STAFF_PASSWORD).unwrap();
        self.runtime
            .block_on(storage.upsert_staff_user(web::STAFF_NAME, &hash))
            .unwrap();
    }

    pub fn start() -> TestServer {
        Self::start_with(|_| {})
    }

    pub fn start_with(tweak: impl FnOnce(&mut Config)) -> TestServer {
        let data = tempfile::tempdir().unwrap();
        let scenes = tempfile::tempdir().unwrap();
        let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scenes");
        for name in ["stadtlabor.toml", "forum.toml"] {
            std::fs::copy(shipped.join(name), scenes.path().join(name)).unwrap();
        }
        std::fs::write(scenes.path().join("kleinraum.toml"), SMALL_ROOM).unwrap();
        let mut cfg = config(data.path(), scenes.path());
        tweak(&mut cfg);
        Self::start_config(cfg, data, scenes)
    }

    pub fn start_config(
        cfg: Config,
        data: tempfile::TempDir,
        scenes: tempfile::TempDir,
    ) -> TestServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(app::start(cfg)).expect("server starts");
        let base = format!("http://{}", server.http_addr);
        TestServer {
            server: Some(server),
            base,
            data,
            scenes,
            runtime,
        }
    }

    pub fn stop(&mut self) {
        if let Some(s) = self.server.take() {
            self.runtime.block_on(s.shutdown());
        }
    }

    /// Stops and starts again on the same data folder (a new HTTP port).
    pub fn restart(&mut self) {
        self.stop();
        let cfg = config(self.data.path(), self.scenes.path());
        let server = self
            .runtime
            .block_on(app::start(cfg))
            .expect("server restarts");
        self.base = format!("http://{}", server.http_addr);
        self.server = Some(server);
    }

    pub fn bot(&self, room: &str, name: &str) -> Bot {
        self.bot_with(room, name, BotOptions::default())
    }

    pub fn bot_with(&self, room: &str, name: &str, options: BotOptions) -> Bot {
        let mut bot = Bot::join(&self.base, room, name, options).expect("join");
        bot.wait_welcome(Duration::from_secs(10)).expect("welcome");
        bot
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut resp = agent.get(&format!("{}{path}", self.base)).call().unwrap();
        (
            resp.status().as_u16(),
            resp.body_mut().read_to_string().unwrap(),
        )
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Pumps several bots together for `d`.
pub fn pump_all(bots: &mut [&mut Bot], d: Duration) {
    let end = std::time::Instant::now() + d;
    while std::time::Instant::now() < end {
        for b in bots.iter_mut() {
            b.pump();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Pumps several bots together until `done` holds; panics naming `what` after `secs` seconds.
pub fn pump_bots_until(
    bots: &mut [&mut Bot],
    what: &str,
    done: impl Fn(&[&mut Bot]) -> bool,
    secs: u64,
) {
    let end = std::time::Instant::now() + Duration::from_secs(secs);
    while std::time::Instant::now() < end {
        for b in bots.iter_mut() {
            b.pump();
        }
        if done(bots) {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("timed out waiting for {what}");
}

/// `ticks` ticks (33 ms each) of the `walkers` walking north (yaw 0) while the `watchers`
/// only receive.
pub fn walk(walkers: &mut [&mut Bot], watchers: &mut [&mut Bot], ticks: usize, run: bool) {
    for _ in 0..ticks {
        for b in walkers.iter_mut() {
            b.pump();
            b.send_input(127, 0, 0, run);
            b.flush();
        }
        for b in watchers.iter_mut() {
            b.pump();
        }
        std::thread::sleep(Duration::from_millis(33));
    }
}
