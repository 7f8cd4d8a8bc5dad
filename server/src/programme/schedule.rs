//! `/programme.json`: the schedule format of frab and pretalx (CCC, FOSDEM), which conference
//! apps (EventFahrplan, Giggity) and info-beamer read: a conference with days, rooms per day
//! and events per room. Times are given in UTC (the server knows no time zone database).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::storage::TalkRow;

fn at(unix: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(unix, 0).unwrap_or_default()
}

fn duration(seconds: i64) -> String {
    let minutes = (seconds.max(0) + 59) / 60;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn event(t: &TalkRow, base: &str, lang: &str) -> Value {
    let start = at(t.starts_at);
    let (title, description) = if lang == "en" {
        (&t.title_en, &t.description_en)
    } else {
        (&t.title_de, &t.description_de)
    };
    json!({
        "guid": uuid_like(&t.id),
        "id": t.created_at,
        "code": t.id,
        "date": start.to_rfc3339(),
        "start": start.format("%H:%M").to_string(),
        "duration": duration(t.ends_at - t.starts_at),
        "room": t.room,
        "slug": format!("stadtlab-{}", t.id),
        "url": format!("{}/r/{}", base.trim_end_matches('/'), t.room),
        "title": title,
        "subtitle": "",
        "track": null,
        "type": "Talk",
        "language": lang,
        "abstract": description,
        "description": description,
        "logo": null,
        "persons": [{ "public_name": t.speaker }],
        "links": [],
        "attachments": [],
        "do_not_record": true,
    })
}

/// A stable identifier in the GUID shape the format expects, made from the talk's id.
fn uuid_like(id: &str) -> String {
    use sha2::{Digest, Sha256};
    let h = hex::encode(&Sha256::digest(id.as_bytes())[..16]);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The schedule of `talks` (in order of their start).
pub fn schedule(talks: &[TalkRow], rooms: &[String], base: &str, lang: &str) -> Value {
    let mut days: BTreeMap<String, Vec<&TalkRow>> = BTreeMap::new();
    for t in talks {
        days.entry(at(t.starts_at).format("%Y-%m-%d").to_string())
            .or_default()
            .push(t);
    }
    let day_list: Vec<Value> = days
        .iter()
        .enumerate()
        .map(|(index, (date, talks))| {
            let mut per_room: BTreeMap<&str, Vec<Value>> =
                rooms.iter().map(|r| (r.as_str(), Vec::new())).collect();
            for t in talks {
                per_room
                    .entry(t.room.as_str())
                    .or_default()
                    .push(event(t, base, lang));
            }
            json!({
                "index": index,
                "date": date,
                "day_start": at(talks.iter().map(|t| t.starts_at).min().unwrap_or(0)).to_rfc3339(),
                "day_end": at(talks.iter().map(|t| t.ends_at).max().unwrap_or(0)).to_rfc3339(),
                "rooms": per_room,
            })
        })
        .collect();
    let first = days.keys().next().cloned().unwrap_or_default();
    let last = days.keys().last().cloned().unwrap_or_default();
    json!({
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": { "name": "stadtlab", "version": env!("CARGO_PKG_VERSION") },
        "schedule": {
            "version": talks.iter().map(|t| t.created_at).max().unwrap_or(0).to_string(),
            "base_url": base,
            "conference": {
                "acronym": "stadtlab",
                "title": if lang == "en" { "stadtLABOR talks" } else { "stadtLABOR Vorträge" },
                "start": first,
                "end": last,
                "daysCount": days.len(),
                "timeslot_duration": "00:15",
                "time_zone_name": "UTC",
                "rooms": rooms.iter().map(|r| json!({ "name": r, "guid": uuid_like(r) })).collect::<Vec<_>>(),
                "days": day_list,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_round_up_to_minutes() {
        assert_eq!(duration(3600), "01:00");
        assert_eq!(duration(45 * 60 + 1), "00:46");
        assert_eq!(uuid_like("a").len(), 36);
    }
}
