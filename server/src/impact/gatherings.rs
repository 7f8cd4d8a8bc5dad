//! Talks and class visits, counted as gatherings: how many listened and for how long, how
//! many pupils came and how many exhibits they stood at. Watched four times a second by the game
//! loop; the sessions of those who raised a hand live here only while the talk runs.

use std::collections::HashSet;

use serde::Serialize;
use utoipa::ToSchema;

/// A talk that ran, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
pub struct TalkAttendanceRow {
    /// The talk's key: answers to its closing question are added to this row. Random, and
    /// not exported.
    #[serde(skip)]
    pub id: String,
    pub day: String,
    pub room: String,
    /// Start on the lab's clock, `HH:MM`.
    pub started: String,
    pub minutes: i64,
    pub peak_listeners: i64,
    /// Mean listeners times 10 (one decimal without floats in the database).
    pub mean_listeners10: i64,
    pub listener_minutes: i64,
    pub hands_raised: i64,
    pub questions_asked: i64,
    /// Listeners per minute, comma-separated.
    pub curve: String,
    /// The talk's title from the programme (empty: started by hand).
    pub title: String,
    /// The largest head count the console reported for the physical hall.
    pub on_site: i64,
    /// Answers to "Hast du etwas Neues erfahren?".
    pub learned_yes: i64,
    pub learned_a_little: i64,
    pub learned_no: i64,
}

/// A class visit, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
pub struct ClassVisitRow {
    pub day: String,
    pub scene: String,
    pub pupils: i64,
    pub minutes: i64,
    pub exhibits: i64,
}

/// A talk while it runs.
#[derive(Debug)]
pub struct TalkWatch {
    key: String,
    title: String,
    started_unix: i64,
    on_site: u16,
    seconds: f64,
    listener_seconds: f64,
    peak: usize,
    hands: HashSet<String>,
    questions: usize,
    /// Listener-seconds and seconds of the minute being filled, and the minutes done.
    minute: (f64, f64),
    curve: Vec<u32>,
}

impl TalkWatch {
    pub fn new(key: String, title: String, started_unix: i64) -> TalkWatch {
        TalkWatch {
            key,
            title,
            started_unix,
            on_site: 0,
            seconds: 0.0,
            listener_seconds: 0.0,
            peak: 0,
            hands: HashSet::new(),
            questions: 0,
            minute: (0.0, 0.0),
            curve: Vec::new(),
        }
    }

    pub fn title_from(&mut self, title: &str) {
        if self.title != title {
            self.title = title.to_owned();
        }
    }

    /// `seconds` passed with `listeners` in the room, these hands up, questions asked and
    /// people in the physical hall as the console last counted them.
    pub fn sample<'a>(
        &mut self,
        seconds: f64,
        listeners: usize,
        hands: impl Iterator<Item = &'a str>,
        questions: usize,
        on_site: u16,
    ) {
        self.seconds += seconds;
        self.on_site = self.on_site.max(on_site);
        self.listener_seconds += listeners as f64 * seconds;
        self.peak = self.peak.max(listeners);
        for h in hands {
            if !self.hands.contains(h) {
                self.hands.insert(h.to_owned());
            }
        }
        self.questions = self.questions.max(questions);
        self.minute.0 += listeners as f64 * seconds;
        self.minute.1 += seconds;
        if self.minute.1 >= 60.0 {
            self.curve
                .push((self.minute.0 / self.minute.1).round() as u32);
            self.minute = (0.0, 0.0);
        }
    }

    pub fn finish(mut self, room: &str) -> TalkAttendanceRow {
        if self.minute.1 > 0.0 {
            self.curve
                .push((self.minute.0 / self.minute.1).round() as u32);
        }
        let mean = if self.seconds > 0.0 {
            self.listener_seconds / self.seconds
        } else {
            0.0
        };
        TalkAttendanceRow {
            id: self.key,
            day: super::day_of(self.started_unix),
            room: room.to_owned(),
            started: super::local_time::clock_of(self.started_unix),
            minutes: (self.seconds / 60.0).round() as i64,
            peak_listeners: self.peak as i64,
            mean_listeners10: (mean * 10.0).round() as i64,
            listener_minutes: (self.listener_seconds / 60.0).round() as i64,
            hands_raised: self.hands.len() as i64,
            questions_asked: self.questions as i64,
            curve: self
                .curve
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(","),
            title: self.title,
            on_site: self.on_site as i64,
            learned_yes: 0,
            learned_a_little: 0,
            learned_no: 0,
        }
    }
}

/// A class visit while its room is open.
#[derive(Debug)]
pub struct VisitWatch {
    started_unix: i64,
    seconds: f64,
    peak: usize,
    exhibits: HashSet<String>,
}

impl VisitWatch {
    pub fn new(started_unix: i64) -> VisitWatch {
        VisitWatch {
            started_unix,
            seconds: 0.0,
            peak: 0,
            exhibits: HashSet::new(),
        }
    }

    pub fn sample<'a>(&mut self, seconds: f64, pupils: usize, at: impl Iterator<Item = &'a str>) {
        self.seconds += seconds;
        self.peak = self.peak.max(pupils);
        for id in at {
            if !self.exhibits.contains(id) {
                self.exhibits.insert(id.to_owned());
            }
        }
    }

    pub fn finish(self, scene: &str) -> ClassVisitRow {
        ClassVisitRow {
            day: super::day_of(self.started_unix),
            scene: scene.to_owned(),
            pupils: self.peak as i64,
            minutes: (self.seconds / 60.0).round() as i64,
            exhibits: self.exhibits.len() as i64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_talk_keeps_its_curve_peak_and_hands_but_no_sessions() {
        // 2026-12-01 18:00 UTC.
        let mut t = TalkWatch::new("k".into(), "Offene Daten".into(), 1_796_148_000);
        for s in 0..150 {
            let listeners = if s < 60 { 10 } else { 20 };
            let hands = if s == 70 {
                vec!["a1", "b2"]
            } else {
                vec!["a1"]
            };
            t.sample(
                1.0,
                listeners,
                hands.into_iter(),
                s / 50,
                if s == 100 { 14 } else { 0 },
            );
        }
        let row = t.finish("forum");
        assert_eq!(
            (row.day.as_str(), row.started.as_str()),
            ("2026-12-01", "18:00")
        );
        assert_eq!(row.minutes, 3);
        assert_eq!(row.peak_listeners, 20);
        assert_eq!(row.mean_listeners10, 160);
        assert_eq!(row.listener_minutes, 40);
        assert_eq!((row.hands_raised, row.questions_asked), (2, 2));
        assert_eq!(row.curve, "10,20,20");
        assert_eq!((row.title.as_str(), row.on_site), ("Offene Daten", 14));
    }

    #[test]
    fn a_class_visit_counts_pupils_and_exhibits_as_a_class() {
        let mut v = VisitWatch::new(1_796_148_000);
        v.sample(60.0, 12, ["e1", "e2"].into_iter());
        v.sample(60.0, 25, ["e2"].into_iter());
        let row = v.finish("stadtlabor");
        assert_eq!((row.pupils, row.minutes, row.exhibits), (25, 2, 2));
    }
}
