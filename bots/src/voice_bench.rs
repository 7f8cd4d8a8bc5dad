//! The voice benchmark: start a server, bring listeners and speakers together in the forum
//! (within the hearing radius of the speakers), connect everyone's voice (str0m peers), let the
//! speakers talk and print what the SFU did, ending with the one-line summary:
//! `voice: listeners=N speakers=M sfu_cpu_cores=X forwarded_pps=X loss_pct=X forward_delay_p95_ms=X server_rss_mb=X`.

use std::time::{Duration, Instant};

use stadtlab_shared::quantize::{QuantPos, yaw_to_u16};

use crate::bench::{BenchConfig, spawn_server, thread_cpu_seconds};
use crate::voice::VoicePeer;
use crate::{Bot, BotOptions, Transport};

pub struct VoiceBenchConfig {
    pub listeners: usize,
    pub speakers: usize,
    pub seconds: u64,
    pub bench: BenchConfig,
}

/// Where everyone gathers: the forum's middle (the hearing radius is 20 m).
const MEET: glam::Vec2 = glam::Vec2::new(40.0, 25.0);
const CLOSE_ENOUGH_M: f32 = 8.0;

fn pos(bot: &Bot) -> Option<glam::Vec2> {
    let p = QuantPos(bot.my_state()?.pos).to_vec3();
    Some(glam::Vec2::new(p.x, p.z))
}

pub fn run(config: VoiceBenchConfig) -> anyhow::Result<String> {
    let (server, base) = spawn_server(&config.bench)?;
    let pid = server.pid();
    let total = config.listeners + config.speakers;
    println!("voice-bench: {total} bots into the forum at {base}");
    let mut bots = Vec::with_capacity(total);
    for i in 0..total {
        let options = BotOptions {
            transport: Transport::Udp,
            ..Default::default()
        };
        let mut bot = Bot::join(&base, "forum", &format!("V{i}"), options)?;
        bot.wait_welcome(Duration::from_secs(30))?;
        bots.push(bot);
    }
    // Everyone walks to the middle (avatars do not block each other).
    let end = Instant::now() + Duration::from_secs(120);
    let mut last_input = Instant::now();
    loop {
        let mut away = 0;
        let send = last_input.elapsed() >= Duration::from_millis(33);
        for bot in &mut bots {
            bot.pump();
            let Some(at) = pos(bot) else { continue };
            let to = MEET - at;
            if to.length() > CLOSE_ENOUGH_M {
                away += 1;
                if send {
                    bot.send_input(127, 0, yaw_to_u16(to.x.atan2(to.y)), true);
                }
            }
        }
        if send {
            last_input = Instant::now();
        }
        if away == 0 || Instant::now() > end {
            println!("voice-bench: gathered ({away} still walking)");
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let ip = "127.0.0.1".parse()?;
    let mut peers: Vec<(usize, VoicePeer)> = Vec::with_capacity(total);
    for bot in bots.iter_mut() {
        let mut peer = VoicePeer::new(ip)?;
        peer.offer(bot);
        peers.push((0, peer));
    }
    let pump_all = |bots: &mut [Bot], peers: &mut [(usize, VoicePeer)], speakers: usize| {
        for (i, (bot, (read, peer))) in bots.iter_mut().zip(peers.iter_mut()).enumerate() {
            bot.pump();
            *read = peer.read_inbox(bot, *read);
            peer.pump(i < speakers && peer.connected);
        }
    };
    let end = Instant::now() + Duration::from_secs(120);
    while peers.iter().any(|(_, p)| !p.connected) && Instant::now() < end {
        pump_all(&mut bots, &mut peers, 0);
    }
    let connected = peers.iter().filter(|(_, p)| p.connected).count();
    println!("voice-bench: {connected} of {total} voices connected");
    // Warm up a second, then measure a clean window.
    let warm = Instant::now() + Duration::from_secs(2);
    while Instant::now() < warm {
        pump_all(&mut bots, &mut peers, config.speakers);
    }
    let received0: u64 = peers.iter().map(|(_, p)| p.total_received()).sum();
    let sent0: u64 = peers.iter().map(|(_, p)| p.sent).sum();
    for (_, p) in &mut peers {
        p.delays.clear();
    }
    let cpu0 = thread_cpu_seconds(pid, "voice-sfu");
    let t0 = Instant::now();
    let window = Duration::from_secs(config.seconds);
    while t0.elapsed() < window {
        pump_all(&mut bots, &mut peers, config.speakers);
    }
    let secs = t0.elapsed().as_secs_f64();
    let cpu = thread_cpu_seconds(pid, "voice-sfu")
        .zip(cpu0)
        .map(|(a, b)| (a - b) / secs);
    let received: u64 = peers.iter().map(|(_, p)| p.total_received()).sum::<u64>() - received0;
    let sent: u64 = peers.iter().map(|(_, p)| p.sent).sum::<u64>() - sent0;
    // Every listener should get every speaker's frames (all stand within the radius, and
    // there are more slots than speakers up to six).
    let heard = config.speakers.min(6) as u64;
    let expected = (sent / config.speakers.max(1) as u64) * heard * config.listeners as u64
        + (sent / config.speakers.max(1) as u64) * heard.saturating_sub(1) * config.speakers as u64;
    let loss = if expected > 0 {
        100.0 * (1.0 - received as f64 / expected as f64).max(0.0)
    } else {
        0.0
    };
    let mut delays: Vec<Duration> = peers
        .iter()
        .flat_map(|(_, p)| p.delays.iter().copied())
        .collect();
    delays.sort();
    let p95 = delays
        .get(delays.len() * 95 / 100)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    let rss = crate::bench::rss_mb(pid);
    let line = format!(
        "voice: listeners={} speakers={} sfu_cpu_cores={:.2} forwarded_pps={:.0} loss_pct={:.2} forward_delay_p95_ms={:.1} server_rss_mb={:.1}",
        config.listeners,
        config.speakers,
        cpu.unwrap_or(f64::NAN),
        received as f64 / secs,
        loss,
        p95,
        rss
    );
    println!("{line}");
    drop(server);
    Ok(line)
}
