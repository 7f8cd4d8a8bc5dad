//! Where the seat comes from. The desktop client joins over HTTP itself (flags below); in the
//! browser the landing page has already joined and leaves the answer in `window.stadtlabTicket`.

use bevy::prelude::*;
use stadtlab_shared::protocol::join::JoinAnswer;

/// How this run was started: the seat plus what tests and benchmarks ask for.
#[derive(Resource, Debug, Clone)]
pub struct Launch {
    /// `None` runs the client offline (the view with demo avatars, for benchmarks and tests).
    pub ticket: Option<JoinAnswer>,
    /// The scene to show when offline.
    pub offline_room: String,
    pub window_size: (u32, u32),
    /// Write the state JSON to this file twice a second (desktop test hook).
    pub state_file: Option<std::path::PathBuf>,
    /// Save a screenshot here once the scene has rendered for `screenshot_after` seconds.
    pub screenshot: Option<std::path::PathBuf>,
    pub screenshot_after: f32,
    /// Quit after this many seconds (tests, benchmarks).
    pub exit_after: Option<f32>,
    /// Spawn this many local avatars in front of the camera (the frame-time benchmark).
    pub demo_avatars: usize,
    /// Print frame-time figures when quitting.
    pub frame_stats: bool,
    /// Open this exhibit's inspect view as soon as it stands in the room (desktop
    /// `--inspect ID`: screenshots and checks of the inspect view).
    pub inspect: Option<String>,
    /// Where HTTP requests go (exhibit models): the server's address on the desktop, empty
    /// in the browser (the page's own origin).
    pub http_base: String,
    /// Voice on the desktop (the browser's page has its own).
    #[cfg(not(target_arch = "wasm32"))]
    pub voice: crate::voice::desktop::VoiceOptions,
}

impl Default for Launch {
    fn default() -> Self {
        Self {
            ticket: None,
            offline_room: "stadtlabor".into(),
            window_size: (1280, 720),
            state_file: None,
            screenshot: None,
            screenshot_after: 3.0,
            exit_after: None,
            demo_avatars: 0,
            frame_stats: false,
            http_base: String::new(),
            inspect: None,
            #[cfg(not(target_arch = "wasm32"))]
            voice: Default::default(),
        }
    }
}

impl Launch {
    pub fn room(&self) -> &str {
        self.ticket
            .as_ref()
            .map_or(self.offline_room.as_str(), |t| t.room.as_str())
    }

    /// The scene to draw and walk in: a class visit's room shows its public room's scene.
    pub fn scene(&self) -> &str {
        match &self.ticket {
            Some(t) if !t.scene.is_empty() => &t.scene,
            _ => self.room(),
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use crate::platform::launch_from_page as from_platform;
#[cfg(not(target_arch = "wasm32"))]
pub use desktop::from_platform;

#[cfg(not(target_arch = "wasm32"))]
mod desktop {
    use super::*;
    use clap::Parser;
    use stadtlab_shared::protocol::PROTOCOL_VERSION;
    use stadtlab_shared::protocol::join::JoinRequest;

    /// The stadtlab desktop client.
    #[derive(Parser, Debug)]
    #[command(version, about)]
    struct Args {
        /// The lab's web address.
        #[arg(long, env = "STADTLAB_SERVER", default_value = "http://127.0.0.1:8080")]
        server: String,
        #[arg(long, default_value = "stadtlabor")]
        room: String,
        #[arg(long, env = "STADTLAB_NAME", default_value = "Gast")]
        name: String,
        /// Avatar colour as #rrggbb.
        #[arg(long, default_value = "#1e66f5")]
        color: String,
        /// Show the room without joining (with --demo-avatars for benchmarks).
        #[arg(long)]
        offline: bool,
        #[arg(long, default_value_t = 0)]
        demo_avatars: usize,
        /// Write the client's state as JSON to this file twice a second.
        #[arg(long)]
        state_file: Option<std::path::PathBuf>,
        /// Save a PNG screenshot after --screenshot-after seconds of rendering.
        #[arg(long)]
        screenshot: Option<std::path::PathBuf>,
        #[arg(long, default_value_t = 3.0)]
        screenshot_after: f32,
        #[arg(long)]
        exit_after: Option<f32>,
        #[arg(long, default_value_t = 1280)]
        width: u32,
        #[arg(long, default_value_t = 720)]
        height: u32,
        /// Print frame-time figures when quitting.
        #[arg(long)]
        frame_stats: bool,
        /// Open this exhibit's inspect view once it is in the room.
        #[arg(long)]
        inspect: Option<String>,
        /// Join without voice (no sound card, no microphone).
        #[arg(long)]
        no_voice: bool,
        /// Send whenever the microphone hears something instead of while M is held. Only with
        /// headphones: the desktop has no echo cancellation.
        #[arg(long)]
        open_mic: bool,
        /// Volume of the others' voices, 0 to 1.
        #[arg(long, default_value_t = 1.0)]
        voice_volume: f32,
    }

    pub fn from_platform() -> Result<Launch, String> {
        let args = Args::parse();
        let ticket = if args.offline {
            None
        } else {
            Some(join(&args.server, &args.room, &args.name, &args.color)?)
        };
        Ok(Launch {
            ticket,
            offline_room: args.room,
            window_size: (args.width, args.height),
            state_file: args.state_file,
            screenshot: args.screenshot,
            screenshot_after: args.screenshot_after,
            exit_after: args.exit_after,
            demo_avatars: args.demo_avatars,
            frame_stats: args.frame_stats,
            http_base: args.server.trim_end_matches('/').to_string(),
            inspect: args.inspect,
            voice: crate::voice::desktop::VoiceOptions {
                enabled: !args.no_voice && !args.offline,
                open_mic: args.open_mic,
                volume: args.voice_volume.clamp(0.0, 1.0),
                ..Default::default()
            },
        })
    }

    fn join(server: &str, room: &str, name: &str, color: &str) -> Result<JoinAnswer, String> {
        let body = JoinRequest {
            name: name.into(),
            protocol: PROTOCOL_VERSION,
            color: Some(color.into()),
            device: Some(device_key()),
            ..Default::default()
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(std::time::Duration::from_secs(10)))
            .build()
            .into();
        let url = format!("{}/api/rooms/{room}/join", server.trim_end_matches('/'));
        let mut resp = agent
            .post(&url)
            .send_json(&body)
            .map_err(|e| format!("cannot reach {server}: {e}"))?;
        let status = resp.status().as_u16();
        let text = resp.body_mut().read_to_string().unwrap_or_default();
        if status != 200 {
            let message = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v["message"].as_str().map(str::to_owned))
                .unwrap_or(text);
            return Err(format!(
                "the server refused to let us in ({status}): {message}"
            ));
        }
        serde_json::from_str(&text).map_err(|e| format!("unexpected answer from {server}: {e}"))
    }
}

/// The desktop's device key (what removals and bans are keyed on), kept in a file in the
/// user's config folder; a fresh one when the file cannot be read or written.
#[cfg(not(target_arch = "wasm32"))]
fn device_key() -> String {
    let folder = std::env::var_os("XDG_CONFIG_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".config")))
        .map(|c| c.join("stadtlab"));
    let file = folder.as_ref().map(|f| f.join("device"));
    if let Some(key) = file
        .as_ref()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .map(|k| k.trim().to_string())
        .filter(|k| stadtlab_shared::protocol::join::valid_device_key(k))
    {
        return key;
    }
    // Random enough for an identifier that is not a secret: the standard hasher's keys come
    // from the operating system's randomness.
    use std::hash::BuildHasher;
    let random = std::collections::hash_map::RandomState::new();
    let key = format!(
        "{:016x}{:016x}",
        random.hash_one(std::time::SystemTime::now()),
        random.hash_one(std::process::id())
    );
    if let (Some(folder), Some(file)) = (folder, file) {
        let _ = std::fs::create_dir_all(folder);
        let _ = std::fs::write(file, &key);
    }
    key
}
