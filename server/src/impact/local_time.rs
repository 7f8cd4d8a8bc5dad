//! The lab's days and clock times for the counts: a day is a day in the lab's time zone
//! (`[impact] time_zone`, Europe/Berlin by default), so that an evening talk or a visit after
//! midnight falls on the day people in the town would name, and a talk's start reads as on the
//! lab's clock. jiff reads the system's time zone database and falls back to a copy built in
//! (containers often have none). Until a zone is set (unit tests), days are UTC days.

use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::tz::TimeZone;

static ZONE: OnceLock<TimeZone> = OnceLock::new();
static UTC: TimeZone = TimeZone::UTC;

/// Sets the lab's time zone once, at start (a second call keeps the first zone).
pub fn set_time_zone(name: &str) -> Result<(), String> {
    let zone = TimeZone::get(name)
        .map_err(|e| format!("[impact] time_zone: `{name}` is not a known time zone ({e})"))?;
    let _ = ZONE.set(zone);
    Ok(())
}

fn zone() -> &'static TimeZone {
    ZONE.get().unwrap_or(&UTC)
}

/// The day a moment falls on in `zone`, `YYYY-MM-DD`, and the clock time, `HH:MM`.
pub fn day_and_clock_in(unix: i64, zone: &TimeZone) -> (String, String) {
    let at = Timestamp::from_second(unix)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(zone.clone());
    (at.date().to_string(), at.strftime("%H:%M").to_string())
}

/// The day a moment falls on in the lab's time zone, `YYYY-MM-DD`.
pub fn day_of(unix: i64) -> String {
    day_and_clock_in(unix, zone()).0
}

/// The clock time of a moment in the lab's time zone, `HH:MM`.
pub fn clock_of(unix: i64) -> String {
    day_and_clock_in(unix, zone()).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_clock_times_follow_the_labs_zone_with_summer_time() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        // 2026-12-01 23:30 UTC is already 2 December in Soest (winter: UTC+1).
        assert_eq!(
            day_and_clock_in(1_796_167_800, &berlin),
            ("2026-12-02".into(), "00:30".into())
        );
        // 2026-07-01 17:00 UTC is 19:00 in summer (UTC+2).
        assert_eq!(
            day_and_clock_in(1_782_925_200, &berlin),
            ("2026-07-01".into(), "19:00".into())
        );
        assert!(set_time_zone("Mars/Olympus").is_err());
    }
}
