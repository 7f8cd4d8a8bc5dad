//! The voice benchmark: start a server, bring listeners and speakers together in the forum
//! (within the hearing radius of the speakers), connect everyone's voice (str0m peers), let the
//! speakers talk and print what the SFU did, ending with the one-line summary:
//! `voice: listeners=N speakers=M sfu_cpu_cores=X forwarded_pps=X loss_pct=X forward_delay_p95_ms=X server_rss_mb=X`.

use std::time::{Duration, Instant};

use stadtlab_shared::quantize::{QuantPos, yaw_to_u16};

use crate::bench::{BenchConfig, spawn_server, thread_cpu_seconds};
use crate::voice::VoicePeer;
use crate::walker::Walker;
use crate::{Bot, BotOptions, Transport};

pub struct VoiceBenchConfig {
    pub listeners: usize,
    pub speakers: usize,
    pub seconds: u64,
    /// The town meeting: listeners walk, one speaker has the floor of a talk (see `--talk`).
    pub talk: bool,
    pub bench: BenchConfig,
}

/// Where everyone gathers: the middle of the spawn rows by the entrance wall, so nobody has a
/// column or a stand in the way (the hearing radius is 20 m).
const MEET: glam::Vec2 = glam::Vec2::new(39.0, 5.5);
const CLOSE_ENOUGH_M: f32 = 8.0;
/// Listeners that decrypt and check every frame; on a 2-core machine a thousand str0m
/// receivers beside the server would measure the benchmark, not the SFU.
const READING_LISTENERS: usize = 50;

fn pos(bot: &Bot) -> Option<glam::Vec2> {
    let p = QuantPos(bot.my_state()?.pos).to_vec3();
    Some(glam::Vec2::new(p.x, p.z))
}

pub fn run(config: VoiceBenchConfig) -> anyhow::Result<String> {
    let (server, base) = spawn_server(&config.bench)?;
    let pid = server.pid();
    // In a talk the last bot is the staff host who gives the speaker the floor.
    let total = config.listeners + config.speakers + usize::from(config.talk);
    println!("voice-bench: {total} bots into the forum at {base}");
    let staff_cookie = if config.talk {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Some(crate::visits::sign_in(&agent, &base, &crate::bench::staff_password())?.0)
    } else {
        None
    };
    let mut bots = Vec::with_capacity(total);
    for i in 0..total {
        let options = BotOptions {
            transport: Transport::Udp,
            staff_cookie: staff_cookie.clone().filter(|_| i + 1 == total),
            ..Default::default()
        };
        bots.push(Bot::join(&base, "forum", &format!("V{i}"), options)?);
        // Those already in keep their connections alive while the next one shakes hands.
        let start = Instant::now();
        while bots.last().is_some_and(|b| b.me.is_none()) {
            anyhow::ensure!(
                start.elapsed() < Duration::from_secs(30),
                "bot V{i} was not welcomed within 30 s"
            );
            bots.iter_mut().for_each(Bot::pump);
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    // Everyone walks to the middle (avatars do not block each other); in a talk nobody needs
    // to: the broadcast slot reaches the whole room.
    let end = Instant::now()
        + if config.talk {
            Duration::ZERO
        } else {
            Duration::from_secs(120)
        };
    let mut last_input = Instant::now();
    let mut last_report = Instant::now();
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
        if last_report.elapsed() >= Duration::from_secs(5) {
            last_report = Instant::now();
            println!("voice-bench: {away} still walking");
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
    // Speakers come first, then the listeners that read every frame (loss and delay are
    // measured on them); the rest keep their connections alive and count what they throw
    // away unread (see `VoicePeer::pump_without_media`).
    let reading = config.speakers + config.listeners.min(READING_LISTENERS);
    let mut walkers: Vec<Walker> = (0..total as u64).map(Walker::new).collect();
    let mut last_walk = Instant::now();
    let talk = config.talk;
    // Pumps every bot's game connection (walking them in a talk) and the voices of the bots
    // from `first` on (`peers` holds those; the measured window pumps the reading ones on a
    // thread of their own).
    let mut pump_from =
        |bots: &mut [Bot], first: usize, peers: &mut [(usize, VoicePeer)], speakers: usize| {
            // In a talk the listeners walk (30 inputs a second, like the load benchmark).
            let walk = talk && last_walk.elapsed() >= Duration::from_millis(33);
            if walk {
                last_walk = Instant::now();
            }
            let host = bots.len() - 1;
            for (i, bot) in bots.iter_mut().enumerate() {
                bot.pump();
                if walk && i >= speakers && i < host {
                    let intent = walkers[i].next(bot.my_state().map(|s| s.pos));
                    bot.send_input(intent.forward, intent.right, intent.yaw, intent.run);
                }
                let Some((read, peer)) = i.checked_sub(first).and_then(|j| peers.get_mut(j)) else {
                    continue;
                };
                *read = peer.read_inbox(bot, *read);
                if i < reading || !peer.connected {
                    peer.pump(i < speakers && peer.connected);
                } else {
                    peer.pump_without_media();
                }
            }
        };
    let mut pump_all = |bots: &mut [Bot], peers: &mut [(usize, VoicePeer)], speakers: usize| {
        pump_from(bots, 0, peers, speakers)
    };
    let end = Instant::now() + Duration::from_secs(120);
    while peers.iter().any(|(_, p)| !p.connected) && Instant::now() < end {
        pump_all(&mut bots, &mut peers, 0);
    }
    let connected = peers.iter().filter(|(_, p)| p.connected).count();
    let answered = peers.iter().filter(|(_, p)| p.answered()).count();
    let refused: Vec<_> = peers.iter().filter_map(|(_, p)| p.refused).collect();
    println!(
        "voice-bench: {connected} of {total} voices connected ({answered} answered, refused: {refused:?}); {reading} read every frame"
    );
    if config.talk {
        start_talk(&mut bots, &mut peers, &mut pump_all)?;
    }
    // Warm up a second, then measure a clean window.
    let warm = Instant::now() + Duration::from_secs(2);
    while Instant::now() < warm {
        pump_all(&mut bots, &mut peers, config.speakers);
    }
    let count = |peers: &[(usize, VoicePeer)]| {
        let read: u64 = peers[..reading]
            .iter()
            .map(|(_, p)| p.total_received())
            .sum();
        let dropped: u64 = peers[reading..].iter().map(|(_, p)| p.media_dropped).sum();
        let sent: u64 = peers.iter().map(|(_, p)| p.sent).sum();
        (read, dropped, sent)
    };
    let (read0, dropped0, sent0) = count(&peers);
    for (_, p) in &mut peers {
        p.delays.clear();
    }
    if config.talk {
        crate::bench::reset_stats(&base)?;
    }
    let cpu0 = thread_cpu_seconds(pid, "voice-sfu");
    let sfu0 = sfu_figures(&base);
    let t0 = Instant::now();
    let window = Duration::from_secs(config.seconds);
    let mut activity = config
        .talk
        .then(|| TalkActivity::new(config.speakers, bots.len() - 1, window));
    // The speakers and the reading listeners are pumped on a thread of their own: in the loop
    // over a thousand bots a frame would wait for its reader's turn, and the delay measured
    // would be the benchmark's, not the SFU's.
    let (measured, silent) = peers.split_at_mut(reading);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let speakers = config.speakers;
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                for (i, (_, peer)) in measured.iter_mut().enumerate() {
                    peer.pump(i < speakers && peer.connected);
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        while t0.elapsed() < window {
            if let Some(a) = &mut activity {
                a.step(&mut bots, t0.elapsed());
            }
            pump_from(&mut bots, reading, silent, speakers);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    let secs = t0.elapsed().as_secs_f64();
    let sfu1 = sfu_figures(&base);
    let cpu = thread_cpu_seconds(pid, "voice-sfu")
        .zip(cpu0)
        .map(|(a, b)| (a - b) / secs);
    let (read1, dropped1, sent1) = count(&peers);
    let (read, dropped, sent) = (read1 - read0, dropped1 - dropped0, sent1 - sent0);
    if config.talk {
        let stats = crate::bench::get_json(&format!("{base}/api/stats"))?;
        println!(
            "talk: listeners={} walking=true hands={} questions={} votes={} tick_p50_ms={:.2} tick_p99_ms={:.2} (the game loop beside the SFU)",
            config.listeners,
            activity.as_ref().map_or(0, |a| a.hands),
            activity.as_ref().map_or(0, |a| a.questions),
            activity.as_ref().map_or(0, |a| a.votes),
            stats["tick_p50_ms"].as_f64().unwrap_or(f64::NAN),
            stats["tick_p99_ms"].as_f64().unwrap_or(f64::NAN),
        );
    }
    // Every reading listener should get every speaker's frames (all stand within the radius,
    // and there are more slots than speakers up to six); a speaker hears the others. In a talk
    // the one speaker reaches everyone through the broadcast slot.
    let heard = config.speakers.min(6) as u64;
    let per_speaker = sent / config.speakers.max(1) as u64;
    let expected = per_speaker * heard * (reading - config.speakers) as u64
        + per_speaker * heard.saturating_sub(1) * config.speakers as u64;
    let loss = if expected > 0 {
        100.0 * (1.0 - read as f64 / expected as f64).max(0.0)
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
    // What left the SFU, beside what the bots read: when the two differ, the packets were lost
    // on the bots' side of the machine (a starved benchmark process), not in the SFU.
    if let (Some(a), Some(b)) = (&sfu0, &sfu1) {
        println!(
            "voice-bench: the SFU wrote {:.0} frames/s to listeners; the listeners took {:.0}/s off their sockets; the SFU's own forward time (read to last copy written) p95 <= {:.2} ms",
            (b.forwarded - a.forwarded) / secs,
            (read + dropped) as f64 / secs,
            forward_p95_ms(a, b).unwrap_or(f64::NAN)
        );
    }
    let line = format!(
        "voice: listeners={} speakers={} sfu_cpu_cores={:.2} forwarded_pps={:.0} loss_pct={:.2} forward_delay_p95_ms={:.1} server_rss_mb={:.1}",
        config.listeners,
        config.speakers,
        cpu.unwrap_or(f64::NAN),
        (read + dropped) as f64 / secs,
        loss,
        p95,
        rss
    );
    println!("{line}");
    drop(server);
    Ok(line)
}

/// What the SFU says of itself in `/metrics`: frames written to listeners, and its forward
/// time histogram (bucket bound in seconds, cumulative count).
struct SfuFigures {
    forwarded: f64,
    forward_buckets: Vec<(f64, f64)>,
}

fn sfu_figures(base: &str) -> Option<SfuFigures> {
    let text = ureq::get(&format!("{base}/metrics"))
        .call()
        .ok()?
        .body_mut()
        .read_to_string()
        .ok()?;
    let forwarded = text
        .lines()
        .find_map(|l| l.strip_prefix("stadtlab_voice_frames_forwarded_total "))
        .and_then(|v| v.trim().parse().ok())?;
    let forward_buckets = text
        .lines()
        .filter_map(|l| l.strip_prefix("stadtlab_voice_forward_seconds_bucket{le=\""))
        .filter_map(|l| {
            let (le, count) = l.split_once("\"} ")?;
            let le = if le == "+Inf" {
                f64::INFINITY
            } else {
                le.parse().ok()?
            };
            Some((le, count.trim().parse().ok()?))
        })
        .collect();
    Some(SfuFigures {
        forwarded,
        forward_buckets,
    })
}

/// The bucket bound (ms) under which 95 % of the frames forwarded between two readings fell.
fn forward_p95_ms(before: &SfuFigures, after: &SfuFigures) -> Option<f64> {
    let counts: Vec<(f64, f64)> = after
        .forward_buckets
        .iter()
        .zip(&before.forward_buckets)
        .map(|((le, a), (_, b))| (*le, a - b))
        .collect();
    let total = counts.last()?.1;
    counts
        .iter()
        .find(|(_, c)| *c >= 0.95 * total)
        .map(|(le, _)| le * 1000.0)
}

/// What the audience does during a measured talk: 20 raise their hands at once, 200 write a
/// question each over the first half of the window, and every asker supports three other
/// questions over the second half.
struct TalkActivity {
    first: usize,
    host: usize,
    window: Duration,
    hands: usize,
    questions: usize,
    votes: usize,
}

const BENCH_HANDS: usize = 20;
const BENCH_QUESTIONS: usize = 200;
const BENCH_VOTES_EACH: usize = 3;

impl TalkActivity {
    fn new(speakers: usize, host: usize, window: Duration) -> TalkActivity {
        TalkActivity {
            first: speakers,
            host,
            window,
            hands: 0,
            questions: 0,
            votes: 0,
        }
    }

    /// Sends whatever is due at `elapsed` into the window.
    fn step(&mut self, bots: &mut [Bot], elapsed: Duration) {
        use stadtlab_shared::protocol::{ClientMsg, StageCmd};
        let audience = self.host - self.first;
        let share = |goal: usize, from: f64, to: f64| {
            let f = ((elapsed.as_secs_f64() / self.window.as_secs_f64() - from) / (to - from))
                .clamp(0.0, 1.0);
            (goal as f64 * f) as usize
        };
        while self.hands < BENCH_HANDS.min(audience) {
            bots[self.first + self.hands].send(&ClientMsg::Stage(StageCmd::RaiseHand));
            self.hands += 1;
        }
        let askers = BENCH_QUESTIONS.min(audience);
        while self.questions < share(askers, 0.0, 0.5) {
            let text = format!(
                "Frage {}: Wie geht es mit dem Projekt weiter?",
                self.questions + 1
            );
            bots[self.first + self.questions].send(&ClientMsg::Stage(StageCmd::Ask { text }));
            self.questions += 1;
        }
        while self.votes < share(askers * BENCH_VOTES_EACH, 0.5, 1.0) {
            let voter = self.votes / BENCH_VOTES_EACH;
            // Question ids count from 1 in asking order; never one's own.
            let question = ((voter + 1 + self.votes % BENCH_VOTES_EACH * 7) % askers + 1) as u32;
            bots[self.first + voter].send(&ClientMsg::Stage(StageCmd::Upvote { question }));
            self.votes += 1;
        }
    }
}

/// The host (the last bot) starts a talk and offers the speaker (the first) the floor; the
/// speaker says yes.
fn start_talk(
    bots: &mut [Bot],
    peers: &mut [(usize, VoicePeer)],
    pump_all: &mut impl FnMut(&mut [Bot], &mut [(usize, VoicePeer)], usize),
) -> anyhow::Result<()> {
    use stadtlab_shared::protocol::{ClientMsg, ServerMsg, StageCmd, StageMsg};
    let speaker = bots[0]
        .me
        .ok_or_else(|| anyhow::anyhow!("the speaker is not in the room"))?;
    let host = bots.len() - 1;
    bots[host].send(&ClientMsg::Stage(StageCmd::Talk { on: true }));
    bots[host].send(&ClientMsg::Stage(StageCmd::GiveFloor { avatar: speaker }));
    let asked = |b: &Bot| {
        b.inbox
            .iter()
            .any(|m| matches!(m, ServerMsg::Stage(StageMsg::FloorOffered { .. })))
    };
    let end = Instant::now() + Duration::from_secs(20);
    while !asked(&bots[0]) {
        anyhow::ensure!(
            Instant::now() < end,
            "the speaker was not offered the floor"
        );
        pump_all(bots, peers, 0);
    }
    bots[0].send(&ClientMsg::Stage(StageCmd::AnswerFloor { accept: true }));
    println!("voice-bench: a talk runs; V0 has the floor");
    Ok(())
}
