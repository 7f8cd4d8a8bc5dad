use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use stadtlab_bots::Transport;
use stadtlab_bots::bench::{self, BenchConfig};
use stadtlab_bots::load::{Load, LoadConfig};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TransportArg {
    Udp,
    Websocket,
    Webtransport,
}

impl From<TransportArg> for Transport {
    fn from(t: TransportArg) -> Self {
        match t {
            TransportArg::Udp => Transport::Udp,
            TransportArg::Websocket => Transport::WebSocket,
            TransportArg::Webtransport => Transport::WebTransport,
        }
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "stadtlab-bots",
    about = "Headless stadtlab visitors: load generator and benchmark"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Walk N bots around a room of a running server and report once a second.
    Run {
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        server: String,
        #[arg(long, default_value = "stadtlabor")]
        room: String,
        #[arg(long, default_value_t = 10)]
        bots: usize,
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        #[arg(long, value_enum, default_value_t = TransportArg::Udp)]
        transport: TransportArg,
    },
    /// Start (or target) a server, load it, and print the benchmark line last.
    Bench {
        #[arg(long, default_value_t = 1000)]
        bots: usize,
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        #[arg(long, default_value = "forum")]
        room: String,
        #[arg(long, value_enum, default_value_t = TransportArg::Udp)]
        transport: TransportArg,
        /// Target a running server instead of starting one.
        #[arg(long)]
        server: Option<String>,
        /// The targeted server's process id (for CPU and memory figures).
        #[arg(long)]
        server_pid: Option<u32>,
        /// The `stadtlab` binary to start (default: next to this one).
        #[arg(long)]
        server_bin: Option<PathBuf>,
        #[arg(long)]
        scenes_dir: Option<PathBuf>,
        /// Class visits instead of one public room: this many at once (`--bots` is ignored).
        #[arg(long, default_value_t = 0)]
        visits: usize,
        /// Pupils per class visit (plus one guide each).
        #[arg(long, default_value_t = 25)]
        class_size: usize,
        /// Start the server with impact counting off (to measure what counting costs).
        #[arg(long)]
        no_counting: bool,
    },
    /// Start a server, gather listeners and speakers in the forum, connect their voices to the
    /// SFU and print the voice line last.
    VoiceBench {
        #[arg(long, default_value_t = 100)]
        listeners: usize,
        #[arg(long, default_value_t = 1)]
        speakers: usize,
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// The `stadtlab` binary to start (default: next to this one).
        #[arg(long)]
        server_bin: Option<PathBuf>,
        #[arg(long)]
        scenes_dir: Option<PathBuf>,
        /// A town meeting: the listeners walk the forum while one speaker, given the floor in a
        /// talk by a staff host, is heard by all of them through the broadcast slot; prints
        /// the game's tick figures beside the SFU's.
        #[arg(long)]
        talk: bool,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Cmd::Run {
            server,
            room,
            bots,
            seconds,
            transport,
        } => {
            let mut load = Load::new(
                LoadConfig {
                    base: server,
                    room,
                    bots,
                    transport: transport.into(),
                    join_per_second: 100,
                    visits: Vec::new(),
                    class_size: 0,
                },
                30,
            );
            load.ramp_up(Duration::from_secs(60));
            for e in load.join_failures.iter().take(3) {
                eprintln!("join failed: {e}");
            }
            let w = load.run(Duration::from_secs(seconds), |w| {
                println!(
                    "connected={} snapshots/s={:.0} down_kbps_mean={:.1} down_kbps_max={:.1} confirm_p50_ms={:.1} confirm_p95_ms={:.1}",
                    w.connected, w.snapshots_per_second, w.down_kbps_mean, w.down_kbps_max, w.confirm_p50_ms, w.confirm_p95_ms
                );
            });
            load.disconnect_all();
            println!("done: {w:?}");
        }
        Cmd::Bench {
            bots,
            seconds,
            room,
            transport,
            server,
            server_pid,
            server_bin,
            scenes_dir,
            visits,
            class_size,
            no_counting,
        } => {
            bench::run(BenchConfig {
                counting: !no_counting,
                bots: if visits > 0 {
                    visits * (class_size + 1)
                } else {
                    bots
                },
                visits,
                class_size,
                staff: false,
                seconds,
                // Class visits are instances of the lab.
                room: if visits > 0 {
                    "stadtlabor".into()
                } else {
                    room
                },
                transport: transport.into(),
                server,
                server_pid,
                server_bin,
                scenes_dir,
            })?;
        }
        Cmd::VoiceBench {
            listeners,
            speakers,
            seconds,
            server_bin,
            scenes_dir,
            talk,
        } => {
            stadtlab_bots::voice_bench::run(stadtlab_bots::voice_bench::VoiceBenchConfig {
                listeners,
                speakers: if talk { 1 } else { speakers },
                seconds,
                talk,
                bench: BenchConfig {
                    bots: listeners + speakers,
                    seconds,
                    room: "forum".into(),
                    transport: Transport::Udp,
                    server: None,
                    server_pid: None,
                    server_bin,
                    scenes_dir,
                    visits: 0,
                    class_size: 0,
                    staff: talk,
                    counting: true,
                },
            })?;
        }
    }
    Ok(())
}
