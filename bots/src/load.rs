//! Many bots in one process, on one thread, ticking at the server's rate.

use std::time::{Duration, Instant};

use crate::bot::{Bot, BotOptions, Transport};
use crate::walker::Walker;

#[derive(Debug, Clone)]
pub struct LoadConfig {
    /// `http://host:port`
    pub base: String,
    pub room: String,
    pub bots: usize,
    pub transport: Transport,
    /// Bots joined per second while ramping up.
    pub join_per_second: usize,
    /// Fill these class visits instead of `room`: each gets a guide (who walks) and
    /// `class_size` pupils (who follow the guide).
    pub visits: Vec<crate::visits::VisitTicket>,
    pub class_size: usize,
}

/// Figures for one measurement window.
#[derive(Debug, Clone, Default)]
pub struct Window {
    pub seconds: f64,
    pub connected: usize,
    pub snapshots_per_second: f64,
    /// Mean over bots of each bot's downstream rate, kbit/s.
    pub down_kbps_mean: f64,
    /// The busiest bot's downstream rate, kbit/s.
    pub down_kbps_max: f64,
    pub confirm_p50_ms: f64,
    pub confirm_p95_ms: f64,
    pub confirm_samples: usize,
}

pub struct Load {
    pub config: LoadConfig,
    pub bots: Vec<(Bot, Walker)>,
    /// Which of `bots` are pupils: they stand still and let the server move them.
    pub pupils: Vec<bool>,
    pub join_failures: Vec<String>,
    tick: Duration,
}

fn percentile(sorted: &[f32], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize] as f64
}

impl Load {
    pub fn new(config: LoadConfig, tick_hz: u32) -> Load {
        Load {
            config,
            bots: Vec::new(),
            pupils: Vec::new(),
            join_failures: Vec::new(),
            tick: Duration::from_secs_f64(1.0 / tick_hz as f64),
        }
    }

    /// Joins all bots, ramping at `join_per_second`, while ticking those already in.
    pub fn ramp_up(&mut self, timeout: Duration) {
        let start = Instant::now();
        let mut next = Instant::now();
        let per_tick = (self.config.join_per_second as f64 * self.tick.as_secs_f64())
            .ceil()
            .max(1.0) as usize;
        while self.bots.len() + self.join_failures.len() < self.config.bots
            && start.elapsed() < timeout
        {
            for _ in 0..per_tick {
                let n = self.bots.len() + self.join_failures.len();
                if n >= self.config.bots {
                    break;
                }
                let name = format!("Bot {n}");
                let mut options = BotOptions {
                    transport: self.config.transport,
                    ..Default::default()
                };
                let mut pupil = false;
                if !self.config.visits.is_empty() {
                    let group = self.config.class_size + 1;
                    let visit = &self.config.visits[(n / group) % self.config.visits.len()];
                    options.code = Some(visit.code.clone());
                    pupil = !n.is_multiple_of(group);
                    if !pupil {
                        options.guide = Some(visit.guide_key.clone());
                    }
                }
                match Bot::join(&self.config.base, &self.config.room, &name, options) {
                    Ok(bot) => {
                        self.bots.push((bot, Walker::new(n as u64)));
                        self.pupils.push(pupil);
                    }
                    Err(e) => self.join_failures.push(e.to_string()),
                }
            }
            self.step();
            next += self.tick;
            sleep_until(&mut next);
        }
        // Let the last ones finish their handshake.
        let settle = Instant::now();
        while settle.elapsed() < Duration::from_secs(5)
            && self.bots.iter().any(|(b, _)| b.me.is_none())
        {
            self.step();
            next += self.tick;
            sleep_until(&mut next);
        }
    }

    /// One tick for every bot: receive, decide, send.
    pub fn step(&mut self) {
        for ((bot, walker), pupil) in self.bots.iter_mut().zip(&self.pupils) {
            bot.pump();
            if bot.me.is_some() {
                if *pupil {
                    // A pupil in a class that follows: no intent of its own.
                    bot.send_input(0, 0, 0, false);
                } else {
                    let intent = walker.next(bot.my_state().map(|s| s.pos));
                    bot.send_input(intent.forward, intent.right, intent.yaw, intent.run);
                }
                bot.flush();
            }
        }
    }

    /// Every guide asks its class to follow.
    pub fn guides_lead(&mut self) {
        for ((bot, _), pupil) in self.bots.iter_mut().zip(&self.pupils) {
            if !*pupil && bot.role >= stadtlab_shared::protocol::Role::Guide {
                bot.send(&stadtlab_shared::protocol::ClientMsg::Tour(
                    stadtlab_shared::protocol::TourCmd::Follow { on: true },
                ));
            }
        }
    }

    /// Runs for `duration` and measures.
    pub fn run(&mut self, duration: Duration, mut each_second: impl FnMut(&Window)) -> Window {
        let bytes0: Vec<u64> = self.bots.iter().map(|(b, _)| b.received_bytes()).collect();
        let snaps0: u64 = self.bots.iter().map(|(b, _)| b.snapshots).sum();
        for (bot, _) in &mut self.bots {
            bot.confirm_delays.clear();
        }
        let start = Instant::now();
        let mut next = Instant::now();
        let mut last_report = Instant::now();
        while start.elapsed() < duration {
            self.step();
            if last_report.elapsed() >= Duration::from_secs(1) {
                last_report = Instant::now();
                each_second(&self.window(start, &bytes0, snaps0));
            }
            next += self.tick;
            sleep_until(&mut next);
        }
        self.window(start, &bytes0, snaps0)
    }

    fn window(&self, start: Instant, bytes0: &[u64], snaps0: u64) -> Window {
        let seconds = start.elapsed().as_secs_f64().max(1e-3);
        let rates: Vec<f64> = self
            .bots
            .iter()
            .zip(bytes0)
            .map(|((b, _), b0)| (b.received_bytes() - b0) as f64 * 8.0 / 1000.0 / seconds)
            .collect();
        let mut delays: Vec<f32> = self
            .bots
            .iter()
            .flat_map(|(b, _)| b.confirm_delays.iter().copied())
            .collect();
        delays.sort_by(f32::total_cmp);
        let snaps: u64 = self.bots.iter().map(|(b, _)| b.snapshots).sum();
        Window {
            seconds,
            connected: self
                .bots
                .iter()
                .filter(|(b, _)| b.is_connected() && b.me.is_some())
                .count(),
            snapshots_per_second: (snaps - snaps0) as f64 / seconds,
            down_kbps_mean: if rates.is_empty() {
                0.0
            } else {
                rates.iter().sum::<f64>() / rates.len() as f64
            },
            down_kbps_max: rates.iter().copied().fold(0.0, f64::max),
            confirm_p50_ms: percentile(&delays, 0.5) * 1000.0,
            confirm_p95_ms: percentile(&delays, 0.95) * 1000.0,
            confirm_samples: delays.len(),
        }
    }

    pub fn disconnect_all(&mut self) {
        for (bot, _) in &mut self.bots {
            bot.disconnect();
        }
    }
}

fn sleep_until(next: &mut Instant) {
    let now = Instant::now();
    if *next > now {
        std::thread::sleep(*next - now);
    } else {
        *next = now; // Behind schedule: the bots are the bottleneck; do not burst.
    }
}
