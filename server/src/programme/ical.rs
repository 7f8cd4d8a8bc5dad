//! `/programme.ics`: every coming talk as a calendar event (RFC 5545, written by the
//! `icalendar` crate), for people's calendar apps and sites that read iCal (Gather does).

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

use crate::storage::TalkRow;

fn at(unix: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(unix, 0).unwrap_or_default()
}

/// The calendar of `talks`; `base` is the server's public address (links into the rooms).
pub fn calendar(talks: &[TalkRow], base: &str, lang: &str) -> String {
    let mut cal = Calendar::new();
    cal.name(if lang == "en" {
        "stadtLABOR talks"
    } else {
        "stadtLABOR Vorträge"
    });
    for t in talks {
        let (title, description) = if lang == "en" {
            (&t.title_en, &t.description_en)
        } else {
            (&t.title_de, &t.description_de)
        };
        let link = format!("{}/r/{}", base.trim_end_matches('/'), t.room);
        cal.push(
            Event::new()
                .uid(&format!("{}@stadtlab", t.id))
                .summary(&format!("{title} ({})", t.speaker))
                .description(&format!("{description}\n\n{link}"))
                .location(&link)
                .url(&link)
                .starts(at(t.starts_at))
                .ends(at(t.ends_at))
                .timestamp(at(t.created_at))
                .done(),
        );
    }
    cal.done().to_string()
}
