//! Configuration, layered: built-in defaults < TOML file < environment (`STADTLAB_*`) < flags.
//! `stadtlab` with no arguments serves http://localhost:8080 with a SQLite file and the game
//! transports on local ports, creating `./data` on first start.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use serde::Deserialize;

#[derive(Debug, Parser)]
#[command(
    name = "stadtlab",
    version,
    about = "stadtlab: the self-hosted virtual city lab"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub overrides: Overrides,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the lab (the default).
    Serve,
    /// Print the effective configuration as TOML and exit.
    PrintConfig,
    /// Administration: staff accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Draws a PDF from stdin into slide pages on stdout: the server runs this as a child
    /// process of itself, under a memory limit (not for people).
    #[command(name = "render-slides", hide = true)]
    RenderSlides,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a staff account (or set a new password for an existing one). The password is
    /// read from STADTLAB_ADMIN_PASSWORD, or else from the first line of standard input.
    CreateUser {
        /// Login name: 2-32 of a-z, 0-9, '.', '-', '_'.
        username: String,
    },
}

/// Settings that can come from the environment or the command line.
#[derive(Debug, Args, Default)]
pub struct Overrides {
    /// TOML configuration file.
    #[arg(long, env = "STADTLAB_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Folder for the database file, keys and uploads.
    #[arg(long, env = "STADTLAB_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL (sqlite://… or postgres://…); default: SQLite in the data folder.
    #[arg(long, env = "STADTLAB_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// HTTP listen address.
    #[arg(long, env = "STADTLAB_HTTP", global = true)]
    pub http: Option<SocketAddr>,
    /// IP the game sockets bind to.
    #[arg(long, env = "STADTLAB_GAME_BIND_IP", global = true)]
    pub game_bind_ip: Option<IpAddr>,
    /// IP clients are told to connect to (the host's public address behind NAT).
    #[arg(long, env = "STADTLAB_PUBLIC_IP", global = true)]
    pub public_ip: Option<IpAddr>,
    /// UDP port for native clients (0 = any free port).
    #[arg(long, env = "STADTLAB_UDP_PORT", global = true)]
    pub udp_port: Option<u16>,
    /// UDP port for browser WebTransport (0 = any free port).
    #[arg(long, env = "STADTLAB_WEBTRANSPORT_PORT", global = true)]
    pub webtransport_port: Option<u16>,
    /// TCP port for browser WebSocket (0 = any free port).
    #[arg(long, env = "STADTLAB_WEBSOCKET_PORT", global = true)]
    pub websocket_port: Option<u16>,
    /// UDP port of the voice SFU, one for all peers (0 = any free port).
    #[arg(long, env = "STADTLAB_VOICE_PORT", global = true)]
    pub voice_port: Option<u16>,
    /// Port voice clients use when it differs from the bound one (NAT, Agones).
    #[arg(long, env = "STADTLAB_PUBLIC_VOICE_PORT", global = true)]
    pub public_voice_port: Option<u16>,
    /// Run without voice (offers are refused with a clear reason).
    #[arg(long, env = "STADTLAB_NO_VOICE", global = true)]
    pub no_voice: Option<bool>,
    /// Offer voice over UDP (false: over TCP only, where the host's firewall lets only TCP in).
    #[arg(long, env = "STADTLAB_VOICE_UDP", global = true)]
    pub voice_udp: Option<bool>,
    /// Also listen for voice on TCP at the voice port, for visitors whose network blocks UDP.
    #[arg(long, env = "STADTLAB_VOICE_TCP", global = true)]
    pub voice_tcp: Option<bool>,
    /// Simulation ticks per second.
    #[arg(long, env = "STADTLAB_TICK_HZ", global = true)]
    pub tick_hz: Option<u32>,
    /// Folder with scene files.
    #[arg(long, env = "STADTLAB_SCENES_DIR", global = true)]
    pub scenes_dir: Option<PathBuf>,
    /// Folder with the web client.
    #[arg(long, env = "STADTLAB_WEB_DIR", global = true)]
    pub web_dir: Option<PathBuf>,
    /// Only host these rooms (comma-separated); default: every scene. For one room per game
    /// server process, e.g. under Kubernetes/Agones.
    #[arg(long, env = "STADTLAB_ROOMS", value_delimiter = ',', global = true)]
    pub rooms: Option<Vec<String>>,
    /// Join requests one address may make at once (then `--joins-per-minute`).
    #[arg(long, env = "STADTLAB_JOIN_BURST", global = true)]
    pub join_burst: Option<u32>,
    #[arg(long, env = "STADTLAB_JOINS_PER_MINUTE", global = true)]
    pub joins_per_minute: Option<u32>,
    /// Seats one address may hold before they are taken.
    #[arg(long, env = "STADTLAB_MAX_PENDING_PER_ADDRESS", global = true)]
    pub max_pending_per_address: Option<u32>,
    /// Take the client address from X-Forwarded-For (only behind your own reverse proxy).
    #[arg(long, env = "STADTLAB_TRUST_FORWARDED_FOR", global = true)]
    pub trust_forwarded_for: Option<bool>,
    /// Port clients use for UDP when it differs from the bound one (NAT, Agones).
    #[arg(long, env = "STADTLAB_PUBLIC_UDP_PORT", global = true)]
    pub public_udp_port: Option<u16>,
    #[arg(long, env = "STADTLAB_PUBLIC_WEBTRANSPORT_PORT", global = true)]
    pub public_webtransport_port: Option<u16>,
    #[arg(long, env = "STADTLAB_PUBLIC_WEBSOCKET_PORT", global = true)]
    pub public_websocket_port: Option<u16>,
    /// Second UDP port for WebTransport: every certificate rotation moves new visitors to the
    /// other of the two ports (0 = any free port).
    #[arg(long, env = "STADTLAB_WEBTRANSPORT_ALT_PORT", global = true)]
    pub webtransport_alt_port: Option<u16>,
    #[arg(long, env = "STADTLAB_PUBLIC_WEBTRANSPORT_ALT_PORT", global = true)]
    pub public_webtransport_alt_port: Option<u16>,
    /// Seconds between WebTransport certificate rotations (browsers accept at most 14 days).
    #[arg(long, env = "STADTLAB_WEBTRANSPORT_CERT_ROTATE_SECS", global = true)]
    pub webtransport_cert_rotate_secs: Option<u64>,
    /// Log as JSON lines (for log collectors) instead of text.
    #[arg(long, env = "STADTLAB_LOG_JSON", global = true)]
    pub log_json: Option<bool>,
    /// Blob store for exhibit files: s3://bucket/prefix (credentials from AWS_* variables);
    /// default: the folder blobs/ in the data folder.
    #[arg(long, env = "STADTLAB_BLOB_URL", global = true)]
    pub blob_url: Option<String>,
    /// The server is reached through HTTPS (a TLS proxy in front): staff cookies get `Secure`.
    #[arg(long, env = "STADTLAB_BEHIND_TLS", global = true)]
    pub behind_tls: Option<bool>,
    /// Seconds a client may take to send a request's headers before the connection is closed.
    #[arg(long, env = "STADTLAB_HTTP_HEADER_TIMEOUT_SECS", global = true)]
    pub http_header_timeout_secs: Option<u64>,
    /// Seconds an HTTP connection may stay open without a request.
    #[arg(long, env = "STADTLAB_HTTP_IDLE_TIMEOUT_SECS", global = true)]
    pub http_idle_timeout_secs: Option<u64>,
    /// Open HTTP connections at most (more wait to be accepted).
    #[arg(long, env = "STADTLAB_HTTP_MAX_CONNECTIONS", global = true)]
    pub http_max_connections: Option<usize>,
    /// Seconds an unreferenced blob is kept before the sweep may delete it.
    #[arg(long, env = "STADTLAB_BLOB_SWEEP_GRACE_SECS", global = true)]
    pub blob_sweep_grace_secs: Option<u64>,
    /// A secret that allows operations calls (`/api/stats?reset=true`) without a staff
    /// session, sent as `X-Ops-Token` (for benchmarks and monitoring).
    #[arg(long, env = "STADTLAB_OPS_TOKEN", global = true)]
    pub ops_token: Option<String>,
    /// Minutes someone removed from a room (by staff or a guide) is refused when rejoining.
    #[arg(long, env = "STADTLAB_REMOVAL_MINUTES", global = true)]
    pub removal_minutes: Option<u16>,
    /// Count impact figures (visits, time near exhibits, talks…): `false` switches it off.
    #[arg(long, env = "STADTLAB_IMPACT_COUNTING", global = true)]
    pub impact_counting: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub http: SocketAddr,
    pub scenes_dir: PathBuf,
    pub web_dir: PathBuf,
    pub rooms: Option<Vec<String>>,
    pub log_json: bool,
    /// Join requests one network address may make at once, and per minute after that.
    /// A school class behind one router joins together, hence the generous burst.
    pub join_burst: u32,
    pub joins_per_minute: u32,
    /// Seats one address may hold before they are taken (reserving without connecting must
    /// not fill a room).
    pub max_pending_per_address: u32,
    /// Behind a reverse proxy every request comes from the proxy: then the client address is
    /// the first X-Forwarded-For entry. Never enable without such a proxy (clients could forge it).
    pub trust_forwarded_for: bool,
    /// The Agones SDK sidecar's HTTP address; set, the server reports Ready and health to it.
    /// Defaults to 127.0.0.1:$AGONES_SDK_HTTP_PORT when Agones started this process.
    pub agones_sdk: Option<SocketAddr>,
    /// Blob store URL (`s3://bucket/prefix`); `None`: `<data_dir>/blobs`.
    pub blob_url: Option<String>,
    /// Visitors reach the server over HTTPS (through a proxy): cookies are marked `Secure`.
    pub behind_tls: bool,
    /// Slow or silent HTTP clients are closed after these; behind a reverse proxy the proxy's
    /// own limits apply first (set these at least as long as the proxy's).
    pub http_header_timeout_secs: u64,
    pub http_idle_timeout_secs: u64,
    pub http_max_connections: usize,
    /// Unreferenced blobs younger than this are kept (an upload of this or another room server
    /// sharing the bucket may be on its way).
    pub blob_sweep_grace_secs: u64,
    pub ops_token: Option<String>,
    /// The lab's own printers, listed in printable models' reports beside the common ones
    /// (`[[printers]]` tables with `name`, `width_mm`, `depth_mm`, `height_mm`).
    pub printers: Vec<crate::printable::printers::Printer>,
    /// Impact counts (`[impact]`).
    pub impact: ImpactConfig,
    pub game: GameConfig,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImpactConfig {
    /// Count at all (visits, time near exhibits, downloads); off, nothing is counted.
    pub counting: bool,
    /// Counts under this are left empty in the exports (1 to `min_count - 1`).
    pub min_count: i64,
    /// Seconds between writes of the counts to storage (what a crash can lose).
    pub write_secs: u64,
    /// Days comments to ratings are kept; the counts themselves are kept.
    pub keep_comments_days: u32,
    /// The lab's time zone (IANA name): the counts' days and talk start times follow it.
    pub time_zone: String,
}

impl Default for ImpactConfig {
    fn default() -> Self {
        ImpactConfig {
            counting: true,
            min_count: 5,
            write_secs: 60,
            keep_comments_days: 90,
            time_zone: "Europe/Berlin".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct GameConfig {
    pub bind_ip: IpAddr,
    pub public_ip: IpAddr,
    pub udp_port: u16,
    pub webtransport_port: u16,
    pub websocket_port: u16,
    pub voice_port: u16,
    pub public_voice_port: Option<u16>,
    pub voice: bool,
    /// Offer the UDP candidate (false: TCP only).
    pub voice_udp: bool,
    /// Listen on TCP at the voice port too and offer it (ICE over TCP, RFC 6544).
    pub voice_tcp: bool,
    pub tick_hz: u32,
    /// Seconds a connect token from the join endpoint stays valid.
    pub token_expire_secs: u64,
    /// Seconds of silence before a connection is dropped.
    pub timeout_secs: i32,
    /// Seconds a dropped visitor can come back into the same avatar.
    pub reconnect_grace_secs: u64,
    /// Snapshot payload budget per client and tick, in bytes (bandwidth = this × tick rate).
    pub snapshot_budget_bytes: usize,
    /// Avatars a client sees at most.
    pub view_max: usize,
    /// Metres beyond which avatars are not sent at all.
    pub view_radius: f32,
    /// Ports clients are told to use when a NAT or an orchestrator maps ports (default: the
    /// bound ones).
    pub public_udp_port: Option<u16>,
    pub public_webtransport_port: Option<u16>,
    pub public_websocket_port: Option<u16>,
    /// The second WebTransport port (certificate rotation alternates between the two).
    pub webtransport_alt_port: u16,
    pub public_webtransport_alt_port: Option<u16>,
    /// A new self-signed WebTransport certificate this often (12 days: browsers accept one
    /// for at most 14 days by its hash).
    pub webtransport_cert_rotate_secs: u64,
    /// Seconds a WebSocket connection may take to send its upgrade request.
    pub websocket_handshake_timeout_secs: u64,
    /// Minutes a removed person is refused when rejoining that room.
    pub removal_minutes: u16,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            database_url: None,
            http: SocketAddr::from((Ipv4Addr::UNSPECIFIED, 8080)),
            scenes_dir: PathBuf::from("scenes"),
            web_dir: PathBuf::from("web"),
            rooms: None,
            log_json: false,
            join_burst: 60,
            joins_per_minute: 60,
            max_pending_per_address: 40,
            trust_forwarded_for: false,
            agones_sdk: std::env::var("AGONES_SDK_HTTP_PORT")
                .ok()
                .and_then(|p| p.parse::<u16>().ok())
                .map(|port| SocketAddr::from((Ipv4Addr::LOCALHOST, port))),
            blob_url: None,
            behind_tls: false,
            http_header_timeout_secs: 10,
            http_idle_timeout_secs: 60,
            http_max_connections: 2048,
            blob_sweep_grace_secs: 3600,
            ops_token: None,
            printers: Vec::new(),
            impact: ImpactConfig::default(),
            game: GameConfig::default(),
        }
    }
}

impl Default for GameConfig {
    fn default() -> Self {
        Self {
            bind_ip: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            public_ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            udp_port: 5000,
            webtransport_port: 5001,
            websocket_port: 5002,
            voice_port: 5003,
            public_voice_port: None,
            voice: true,
            voice_udp: true,
            voice_tcp: true,
            tick_hz: stadtlab_shared::protocol::DEFAULT_TICK_HZ,
            // Short: a seat is reserved right before connecting; a lapsed one is fetched again.
            token_expire_secs: 15,
            // Generous: an old laptop or a phone in software rendering can stall for many
            // seconds while it builds a shader for a newly shown model, and a phone may
            // switch apps for a moment; both should come back without losing the session.
            timeout_secs: 30,
            reconnect_grace_secs: 60,
            snapshot_budget_bytes: 480,
            view_max: 160,
            view_radius: 40.0,
            public_udp_port: None,
            public_webtransport_port: None,
            public_websocket_port: None,
            webtransport_alt_port: 5004,
            public_webtransport_alt_port: None,
            webtransport_cert_rotate_secs: 12 * 24 * 3600,
            websocket_handshake_timeout_secs: 5,
            removal_minutes: 15,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is invalid: {source}")]
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("invalid setting: {0}")]
    Invalid(String),
}

impl Config {
    pub fn load(overrides: &Overrides) -> Result<Config, ConfigError> {
        let mut config = match &overrides.config {
            Some(path) => Self::from_file(path)?,
            None => Config::default(),
        };
        config.apply(overrides);
        config.validate()?;
        Ok(config)
    }

    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| ConfigError::Parse {
            path: path.into(),
            source,
        })
    }

    fn apply(&mut self, o: &Overrides) {
        macro_rules! set {
            ($field:expr, $value:expr) => {
                if let Some(v) = $value.clone() {
                    $field = v;
                }
            };
        }
        set!(self.data_dir, o.data_dir);
        if o.database_url.is_some() {
            self.database_url = o.database_url.clone();
        }
        set!(self.http, o.http);
        set!(self.scenes_dir, o.scenes_dir);
        set!(self.web_dir, o.web_dir);
        if o.rooms.is_some() {
            self.rooms = o.rooms.clone();
        }
        set!(self.log_json, o.log_json);
        set!(self.join_burst, o.join_burst);
        set!(self.joins_per_minute, o.joins_per_minute);
        set!(self.max_pending_per_address, o.max_pending_per_address);
        set!(self.trust_forwarded_for, o.trust_forwarded_for);
        if o.blob_url.is_some() {
            self.blob_url = o.blob_url.clone();
        }
        set!(self.behind_tls, o.behind_tls);
        set!(self.http_header_timeout_secs, o.http_header_timeout_secs);
        set!(self.http_idle_timeout_secs, o.http_idle_timeout_secs);
        set!(self.http_max_connections, o.http_max_connections);
        set!(self.blob_sweep_grace_secs, o.blob_sweep_grace_secs);
        if o.ops_token.is_some() {
            self.ops_token = o.ops_token.clone();
        }
        set!(self.game.bind_ip, o.game_bind_ip);
        set!(self.game.public_ip, o.public_ip);
        set!(self.game.udp_port, o.udp_port);
        set!(self.game.webtransport_port, o.webtransport_port);
        set!(self.game.websocket_port, o.websocket_port);
        set!(self.game.voice_port, o.voice_port);
        if o.public_voice_port.is_some() {
            self.game.public_voice_port = o.public_voice_port;
        }
        if let Some(off) = o.no_voice {
            self.game.voice = !off;
        }
        set!(self.game.voice_udp, o.voice_udp);
        set!(self.game.voice_tcp, o.voice_tcp);
        set!(self.game.tick_hz, o.tick_hz);
        set!(self.game.removal_minutes, o.removal_minutes);
        set!(self.impact.counting, o.impact_counting);
        if o.public_udp_port.is_some() {
            self.game.public_udp_port = o.public_udp_port;
        }
        set!(self.game.webtransport_alt_port, o.webtransport_alt_port);
        set!(
            self.game.webtransport_cert_rotate_secs,
            o.webtransport_cert_rotate_secs
        );
        if o.public_webtransport_alt_port.is_some() {
            self.game.public_webtransport_alt_port = o.public_webtransport_alt_port;
        }
        if o.public_webtransport_port.is_some() {
            self.game.public_webtransport_port = o.public_webtransport_port;
        }
        if o.public_websocket_port.is_some() {
            self.game.public_websocket_port = o.public_websocket_port;
        }
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let g = &self.game;
        if !(1..=120).contains(&g.tick_hz) {
            return Err(ConfigError::Invalid(format!(
                "game.tick_hz = {} (allowed 1..=120)",
                g.tick_hz
            )));
        }
        if g.snapshot_budget_bytes < 64 || g.snapshot_budget_bytes > 60_000 {
            return Err(ConfigError::Invalid(
                "game.snapshot_budget_bytes must be 64..=60000".into(),
            ));
        }
        if g.public_ip.is_unspecified() {
            return Err(ConfigError::Invalid(
                "game.public_ip must be an address clients can reach".into(),
            ));
        }
        if !(1..=13 * 24 * 3600).contains(&g.webtransport_cert_rotate_secs) {
            return Err(ConfigError::Invalid(
                "game.webtransport_cert_rotate_secs must be 1 s to 13 days (certificates live 14 days)".into(),
            ));
        }
        if g.view_max == 0 || g.view_radius.is_nan() || g.view_radius <= 0.0 {
            return Err(ConfigError::Invalid(
                "game.view_max and game.view_radius must be positive".into(),
            ));
        }
        Ok(())
    }

    /// The database URL, defaulting to a SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("stadtlab.sqlite").display()
            )
        })
    }
}
