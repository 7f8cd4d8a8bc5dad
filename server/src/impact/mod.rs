//! Impact without tracking: counts the lab can show its funders (visits per day and room,
//! time spent near exhibits, downloads of print files, joins by kind of device and transport)
//! without storing who anyone was. Counts gather in memory ([`tally`]) and are added to the
//! day's totals in storage every minute; [`definitions`] says in words what is stored, for the
//! exports' data dictionary and the privacy page.

pub mod definitions;
pub mod dwell;
pub mod export;
pub mod gatherings;
pub mod local_time;
pub mod privacy_page;
pub mod tally;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use stadtlab_shared::protocol::join::Transport;

use crate::storage::{Storage, StorageError, unix_now};
pub use local_time::day_of;
use tally::Tally;
pub use tally::{Counts, DeviceKind, EntryKind};

/// The room name class visits are counted under (each visit's own room is not kept).
pub const CLASS_VISITS: &str = "klassenbesuch";

/// The counts in memory, shared by the HTTP side (joins, downloads) and the game loop (time
/// near exhibits). Switched off, nothing is counted at all.
pub struct Impact {
    counting: bool,
    tally: Mutex<Tally>,
    /// One write at a time: a reader that writes first (an export) must not read storage
    /// while another write's counts are still on their way there.
    writing: tokio::sync::Mutex<()>,
}

impl Impact {
    pub fn new(counting: bool) -> Arc<Impact> {
        Arc::new(Impact {
            counting,
            tally: Mutex::new(Tally::new(&day_of(unix_now()))),
            writing: tokio::sync::Mutex::new(()),
        })
    }

    /// Whether anything is counted (off: the game loop does not even look).
    pub fn counting(&self) -> bool {
        self.counting
    }

    fn tally(&self) -> MutexGuard<'_, Tally> {
        self.tally.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds to the tally with today's day, when counting.
    fn count(&self, add: impl FnOnce(&mut Tally, &str)) {
        if self.counting {
            let day = day_of(unix_now());
            add(&mut self.tally(), &day);
        }
    }

    pub fn joined(&self, room: &str, device: Option<&str>, kind: DeviceKind, transport: Transport) {
        self.count(|t, day| t.joined(day, room, device, kind, transport));
    }

    /// Seconds people stood near exhibits (one lock for many).
    pub fn near(&self, seconds_by_exhibit: &[(String, f64)]) {
        if seconds_by_exhibit.is_empty() {
            return;
        }
        self.count(|t, day| {
            for (exhibit, seconds) in seconds_by_exhibit {
                t.near(day, exhibit, *seconds);
            }
        });
    }

    pub fn inspected(&self, exhibit: &str) {
        self.count(|t, day| t.inspected(day, exhibit));
    }

    pub fn rated(&self, exhibit: &str, stars: u8) {
        self.count(|t, day| t.rated(day, exhibit, stars));
    }

    pub fn downloaded(&self, exhibit: &str) {
        self.count(|t, day| t.downloaded(day, exhibit));
    }

    pub fn talk(&self, row: gatherings::TalkAttendanceRow) {
        self.count(|t, _| t.talk(row));
    }

    /// An answer to a talk's "did you learn something new?" (`talk`: its key).
    pub fn learned(&self, talk: &str, answer: stadtlab_shared::protocol::domain::stage::Learned) {
        self.count(|t, _| t.learned(talk, answer));
    }

    pub fn class_visit(&self, row: gatherings::ClassVisitRow) {
        self.count(|t, _| t.class_visit(row));
    }

    /// Adds what was counted since the last write to the stored totals.
    pub async fn write(&self, storage: &Storage) -> Result<(), StorageError> {
        let _one_at_a_time = self.writing.lock().await;
        let counts = self.tally().take();
        if counts.is_empty() {
            return Ok(());
        }
        match storage.add_impact(&counts).await {
            Ok(mut waiting) => {
                waiting.retain(|_, c| {
                    c.tries += 1;
                    c.tries < tally::LEARNED_TRIES
                });
                if !waiting.is_empty() {
                    self.tally().put_back(Counts {
                        learned: waiting,
                        ..Counts::default()
                    });
                }
                Ok(())
            }
            Err(e) => {
                self.tally().put_back(counts);
                Err(e)
            }
        }
    }
}

/// Writes the counts every `every` until the server stops, and deletes comments older than
/// `keep_comments_days` (at start and once a day).
pub async fn write_every(
    impact: Arc<Impact>,
    storage: Storage,
    every: Duration,
    keep_comments_days: u32,
) {
    let mut clock = tokio::time::interval(every);
    let mut swept = String::new();
    loop {
        clock.tick().await;
        if let Err(e) = impact.write(&storage).await {
            tracing::warn!(error = %e, "impact counts not written; trying again later");
        }
        let today = day_of(unix_now());
        if swept != today {
            let first_kept = day_of(unix_now() - keep_comments_days as i64 * 86_400);
            match storage.delete_comments_before(&first_kept).await {
                Ok(n) => {
                    swept = today;
                    if n > 0 {
                        tracing::info!(deleted = n, "comments past their keeping time deleted");
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "old comments not deleted; trying again later")
                }
            }
        }
    }
}
