//! The exports for researchers: CSV and JSON of the stored totals, the columns exactly those
//! of [`super::definitions`], and counts under the minimum suppressed (an empty cell, `null` in
//! JSON) so that no small group, and nobody alone, can be picked out. Zero stays zero: it
//! says nothing about anyone. Sums of seconds are not counts of people and stay.

use serde_json::{Map, Value};

use super::definitions::{CLASS_VISITS, EXHIBIT_DAYS, ROOM_DAYS, TABLES, TALKS, Table};
use crate::storage::{ClassVisitRow, ExhibitDayRow, RoomDayRow, TalkAttendanceRow};

pub enum Cell {
    Text(String),
    Count(i64),
    /// A sum (seconds): never suppressed.
    Sum(i64),
    /// A sum that would give away what few people did (the stars of 2 ratings): left out
    /// whenever the count it belongs to is.
    SumOf(i64, i64),
}

pub struct Sheet {
    pub table: &'static Table,
    pub rows: Vec<Vec<Cell>>,
}

/// Whether a count is too small to publish.
pub fn suppressed(count: i64, min_count: i64) -> bool {
    count > 0 && count < min_count
}

pub fn rooms(rows: &[RoomDayRow]) -> Sheet {
    Sheet {
        table: &ROOM_DAYS,
        rows: rows
            .iter()
            .map(|r| {
                let mut cells = vec![Cell::Text(r.day.clone()), Cell::Text(r.room.clone())];
                cells.extend(
                    [
                        r.visitors,
                        r.joins,
                        r.joins_phone,
                        r.joins_computer,
                        r.joins_app,
                        r.joins_udp,
                        r.joins_webtransport,
                        r.joins_websocket,
                    ]
                    .map(Cell::Count),
                );
                cells
            })
            .collect(),
    }
}

pub fn exhibits(rows: &[ExhibitDayRow]) -> Sheet {
    Sheet {
        table: &EXHIBIT_DAYS,
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.day.clone()),
                    Cell::Text(r.exhibit.clone()),
                    Cell::Sum(r.seconds_near),
                    Cell::Count(r.downloads),
                    Cell::Count(r.inspects),
                    Cell::Count(r.ratings),
                    Cell::SumOf(r.stars, r.ratings),
                ]
            })
            .collect(),
    }
}

pub fn talks(rows: &[TalkAttendanceRow]) -> Sheet {
    Sheet {
        table: &TALKS,
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.day.clone()),
                    Cell::Text(r.room.clone()),
                    Cell::Text(r.title.clone()),
                    Cell::Text(r.started.clone()),
                    Cell::Sum(r.minutes),
                    Cell::Count(r.peak_listeners),
                    Cell::Text(format!("{:.1}", r.mean_listeners10 as f64 / 10.0)),
                    Cell::Sum(r.listener_minutes),
                    Cell::Count(r.hands_raised),
                    Cell::Count(r.questions_asked),
                    Cell::Text(r.curve.clone()),
                    Cell::Count(r.on_site),
                    Cell::Count(r.learned_yes),
                    Cell::Count(r.learned_a_little),
                    Cell::Count(r.learned_no),
                ]
            })
            .collect(),
    }
}

pub fn class_visits(rows: &[ClassVisitRow]) -> Sheet {
    Sheet {
        table: &CLASS_VISITS,
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.day.clone()),
                    Cell::Text(r.scene.clone()),
                    Cell::Count(r.pupils),
                    Cell::Sum(r.minutes),
                    Cell::Sum(r.exhibits),
                ]
            })
            .collect(),
    }
}

fn shown(cell: &Cell, min_count: i64) -> Option<String> {
    match cell {
        Cell::Text(t) => Some(t.clone()),
        Cell::Count(n) | Cell::SumOf(_, n) if suppressed(*n, min_count) => None,
        Cell::Count(n) | Cell::Sum(n) | Cell::SumOf(n, _) => Some(n.to_string()),
    }
}

pub fn to_csv(sheet: &Sheet, min_count: i64) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = sheet.table.columns.iter().map(|c| c.name).collect();
    // Writing to memory cannot fail.
    let _ = out.write_record(&header);
    for row in &sheet.rows {
        let _ = out.write_record(row.iter().map(|c| shown(c, min_count).unwrap_or_default()));
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub fn to_json(sheet: &Sheet, min_count: i64) -> Value {
    Value::Array(
        sheet
            .rows
            .iter()
            .map(|row| {
                let mut object = Map::new();
                for (column, cell) in sheet.table.columns.iter().zip(row) {
                    let value = match (cell, shown(cell, min_count)) {
                        (_, None) => Value::Null,
                        (Cell::Text(t), _) => Value::String(t.clone()),
                        (Cell::Count(n) | Cell::Sum(n) | Cell::SumOf(n, _), _) => Value::from(*n),
                    };
                    object.insert(column.name.into(), value);
                }
                Value::Object(object)
            })
            .collect(),
    )
}

/// The data dictionary as CSV: one row per column of every export.
pub fn dictionary_csv(min_count: i64) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record([
        "export",
        "row",
        "column",
        "meaning_de",
        "meaning_en",
        "suppressed_under",
    ]);
    for table in TABLES {
        for c in table.columns {
            let counted = !matches!(c.name, "day" | "room" | "exhibit" | "seconds_near");
            let under = if counted {
                min_count.to_string()
            } else {
                String::new()
            };
            let _ = out.write_record([table.export, table.row_en, c.name, c.de, c.en, &under]);
        }
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(day: &str, visitors: i64) -> RoomDayRow {
        RoomDayRow {
            day: day.into(),
            room: "forum".into(),
            visitors,
            joins: visitors * 2,
            joins_phone: 0,
            joins_computer: visitors * 2,
            joins_app: 0,
            joins_udp: 0,
            joins_webtransport: 3,
            joins_websocket: 0,
        }
    }

    #[test]
    fn small_counts_are_left_out_and_zero_and_sums_stay() {
        let sheet = rooms(&[row("2026-12-01", 4), row("2026-12-02", 12)]);
        let csv = to_csv(&sheet, 5);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let names: Vec<&str> = ROOM_DAYS.columns.iter().map(|c| c.name).collect();
        assert_eq!(header, names, "the columns of the data dictionary");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(&rows[0][2], "", "4 visitors: suppressed");
        assert_eq!(&rows[0][3], "8");
        assert_eq!(&rows[0][4], "0", "zero says nothing about anyone");
        assert_eq!(&rows[0][8], "", "3 joins over WebTransport: suppressed");
        assert_eq!(&rows[1][2], "12");
        let json = to_json(&sheet, 5);
        assert!(json[0]["visitors"].is_null());
        assert_eq!(json[1]["visitors"], 12);
        let seconds = exhibits(&[ExhibitDayRow {
            day: "2026-12-01".into(),
            exhibit: "e".into(),
            seconds_near: 3,
            downloads: 2,
            inspects: 7,
            ratings: 2,
            stars: 9,
        }]);
        let json = to_json(&seconds, 5);
        assert_eq!(json[0]["seconds_near"], 3);
        assert!(json[0]["downloads"].is_null());
        assert_eq!(json[0]["inspects"], 7);
        assert!(
            json[0]["ratings"].is_null() && json[0]["stars"].is_null(),
            "two ratings' stars would tell what two people gave"
        );
    }

    #[test]
    fn the_dictionary_names_every_exported_column() {
        let csv = dictionary_csv(5);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let described: Vec<String> = reader.records().map(|r| r.unwrap()[2].to_owned()).collect();
        for table in TABLES {
            for c in table.columns {
                assert!(described.iter().any(|d| d == c.name), "{}", c.name);
            }
        }
    }
}
