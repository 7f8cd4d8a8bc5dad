//! The counts between two writes to storage, and the day's visitor key. Unique visitors are
//! told apart by a keyed hash of their device key; the key is made at random each day, lives
//! only here and is never written anywhere, so yesterday's hashes cannot be matched to today's
//! (Plausible's and Matomo's cookieless counting works the same way).

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashSet};
use std::hash::BuildHasher;

use stadtlab_shared::protocol::domain::stage::Learned;
use stadtlab_shared::protocol::join::Transport;

/// What kind of program joined, from its User-Agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceKind {
    Phone,
    Computer,
    /// The desktop app, bots and other programs that are not a browser.
    App,
}

impl DeviceKind {
    pub fn from_user_agent(ua: Option<&str>) -> DeviceKind {
        match ua {
            Some(ua) if ua.starts_with("Mozilla/") => {
                if ["Mobi", "Android", "iPhone", "iPad"]
                    .iter()
                    .any(|m| ua.contains(m))
                {
                    DeviceKind::Phone
                } else {
                    DeviceKind::Computer
                }
            }
            _ => DeviceKind::App,
        }
    }
}

/// How a seat's holder came, counted once they are in the room (see `game::control`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryKind {
    pub device: DeviceKind,
    pub transport: Transport,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoomCounts {
    pub visitors: i64,
    pub joins: i64,
    pub phone: i64,
    pub computer: i64,
    pub app: i64,
    pub udp: i64,
    pub webtransport: i64,
    pub websocket: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExhibitCounts {
    pub seconds_near: f64,
    pub downloads: i64,
    pub inspects: i64,
    pub ratings: i64,
    pub stars: i64,
}

/// Writes an answer waits for its talk's row before it is dropped.
pub const LEARNED_TRIES: u8 = 3;

/// Answers to a talk's "did you learn something new?", added to its row once it is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LearnedCounts {
    pub yes: i64,
    pub a_little: i64,
    pub no: i64,
    /// Writes that found no row for the talk yet (its row follows within a second; a talk
    /// too short to be counted never gets one, and its answers are dropped after a few tries).
    pub tries: u8,
}

/// Counts to add to storage, keyed by (day, room) and (day, exhibit).
#[derive(Debug, Default, PartialEq)]
pub struct Counts {
    pub rooms: BTreeMap<(String, String), RoomCounts>,
    pub exhibits: BTreeMap<(String, String), ExhibitCounts>,
    pub talks: Vec<super::gatherings::TalkAttendanceRow>,
    pub visits: Vec<super::gatherings::ClassVisitRow>,
    /// By the talk's key.
    pub learned: BTreeMap<String, LearnedCounts>,
}

impl Counts {
    pub fn is_empty(&self) -> bool {
        self.rooms.is_empty()
            && self.exhibits.is_empty()
            && self.talks.is_empty()
            && self.visits.is_empty()
            && self.learned.is_empty()
    }
}

pub struct Tally {
    day: String,
    key: RandomState,
    /// Hashes of the devices seen today per room: never leave memory.
    seen: HashSet<(String, u64)>,
    counts: Counts,
}

impl Tally {
    pub fn new(day: &str) -> Tally {
        Tally {
            day: day.to_owned(),
            key: RandomState::new(),
            seen: HashSet::new(),
            counts: Counts::default(),
        }
    }

    /// A new day: a new key, and nobody has been seen.
    fn roll(&mut self, day: &str) {
        if self.day != day {
            self.day = day.to_owned();
            self.key = RandomState::new();
            self.seen.clear();
        }
    }

    /// Someone entered `room` (not a reconnect). `device` is the key the device keeps; without
    /// one every entry counts as a visitor.
    pub fn joined(
        &mut self,
        day: &str,
        room: &str,
        device: Option<&str>,
        kind: DeviceKind,
        transport: Transport,
    ) {
        self.roll(day);
        let new_visitor = match device {
            Some(d) => self.seen.insert((room.to_owned(), self.key.hash_one(d))),
            None => true,
        };
        let c = self
            .counts
            .rooms
            .entry((day.to_owned(), room.to_owned()))
            .or_default();
        c.visitors += new_visitor as i64;
        c.joins += 1;
        *match kind {
            DeviceKind::Phone => &mut c.phone,
            DeviceKind::Computer => &mut c.computer,
            DeviceKind::App => &mut c.app,
        } += 1;
        *match transport {
            Transport::Udp => &mut c.udp,
            Transport::Webtransport => &mut c.webtransport,
            Transport::Websocket => &mut c.websocket,
        } += 1;
    }

    pub fn near(&mut self, day: &str, exhibit: &str, seconds: f64) {
        self.exhibit(day, exhibit).seconds_near += seconds;
    }

    pub fn downloaded(&mut self, day: &str, exhibit: &str) {
        self.exhibit(day, exhibit).downloads += 1;
    }

    pub fn inspected(&mut self, day: &str, exhibit: &str) {
        self.exhibit(day, exhibit).inspects += 1;
    }

    pub fn rated(&mut self, day: &str, exhibit: &str, stars: u8) {
        let e = self.exhibit(day, exhibit);
        e.ratings += 1;
        e.stars += stars as i64;
    }

    fn exhibit(&mut self, day: &str, exhibit: &str) -> &mut ExhibitCounts {
        self.counts
            .exhibits
            .entry((day.to_owned(), exhibit.to_owned()))
            .or_default()
    }

    pub fn talk(&mut self, row: super::gatherings::TalkAttendanceRow) {
        self.counts.talks.push(row);
    }

    pub fn learned(&mut self, talk: &str, answer: Learned) {
        let c = self.counts.learned.entry(talk.to_owned()).or_default();
        match answer {
            Learned::Yes => c.yes += 1,
            Learned::ALittle => c.a_little += 1,
            Learned::No => c.no += 1,
        }
    }

    pub fn class_visit(&mut self, row: super::gatherings::ClassVisitRow) {
        self.counts.visits.push(row);
    }

    /// The counts since the last call (the day's key and who was seen stay).
    pub fn take(&mut self) -> Counts {
        std::mem::take(&mut self.counts)
    }

    /// Puts counts back that could not be written (the next write tries again).
    pub fn put_back(&mut self, counts: Counts) {
        self.counts.talks.extend(counts.talks);
        self.counts.visits.extend(counts.visits);
        for (k, c) in counts.learned {
            let t = self.counts.learned.entry(k).or_default();
            t.yes += c.yes;
            t.a_little += c.a_little;
            t.no += c.no;
            t.tries = t.tries.max(c.tries);
        }
        for (k, c) in counts.rooms {
            let t = self.counts.rooms.entry(k).or_default();
            t.visitors += c.visitors;
            t.joins += c.joins;
            t.phone += c.phone;
            t.computer += c.computer;
            t.app += c.app;
            t.udp += c.udp;
            t.webtransport += c.webtransport;
            t.websocket += c.websocket;
        }
        for (k, c) in counts.exhibits {
            let t = self.counts.exhibits.entry(k).or_default();
            t.seconds_near += c.seconds_near;
            t.downloads += c.downloads;
            t.inspects += c.inspects;
            t.ratings += c.ratings;
            t.stars += c.stars;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHONE: &str =
        "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126 Mobile Safari/537.36";

    #[test]
    fn a_device_counts_once_a_day_per_room_and_again_the_next_day() {
        let mut t = Tally::new("2026-12-01");
        let kind = DeviceKind::from_user_agent(Some(PHONE));
        assert_eq!(kind, DeviceKind::Phone);
        for _ in 0..3 {
            t.joined(
                "2026-12-01",
                "forum",
                Some("ab12"),
                kind,
                Transport::Websocket,
            );
        }
        t.joined(
            "2026-12-01",
            "stadtlabor",
            Some("ab12"),
            kind,
            Transport::Websocket,
        );
        t.joined(
            "2026-12-02",
            "forum",
            Some("ab12"),
            kind,
            Transport::Websocket,
        );
        let c = t.take();
        let forum = &c.rooms[&("2026-12-01".into(), "forum".into())];
        assert_eq!(
            (forum.visitors, forum.joins, forum.phone, forum.websocket),
            (1, 3, 3, 3)
        );
        assert_eq!(
            c.rooms[&("2026-12-01".into(), "stadtlabor".into())].visitors,
            1
        );
        assert_eq!(
            c.rooms[&("2026-12-02".into(), "forum".into())].visitors,
            1,
            "a new day, a new key: counted again, by design"
        );
        assert!(t.take().is_empty());
    }

    #[test]
    fn programs_that_are_not_browsers_count_as_apps() {
        assert_eq!(DeviceKind::from_user_agent(None), DeviceKind::App);
        assert_eq!(
            DeviceKind::from_user_agent(Some("ureq/2.12")),
            DeviceKind::App
        );
        assert_eq!(
            DeviceKind::from_user_agent(Some(
                "Mozilla/5.0 (X11; Linux x86_64) Chrome/126 Safari/537.36"
            )),
            DeviceKind::Computer
        );
    }

    #[test]
    fn counts_that_could_not_be_written_are_kept_for_the_next_write() {
        let mut t = Tally::new("2026-12-01");
        t.near("2026-12-01", "e1", 2.5);
        t.downloaded("2026-12-01", "e1");
        let first = t.take();
        t.near("2026-12-01", "e1", 1.0);
        t.put_back(first);
        let c = &t.take().exhibits[&("2026-12-01".into(), "e1".into())];
        assert_eq!((c.seconds_near, c.downloads), (3.5, 1));
    }
}
