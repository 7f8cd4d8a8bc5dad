//! Benchmark: the impact dashboard's answer time for a year of figures: 365 days × 50
//! exhibits, 2 rooms, 150 talks and 200 class visits in a real SQLite file; then the queries
//! and JSON the dashboard's requests run (rooms, exhibits, talks, class visits), timed over
//! repeated answers. (The cost of counting in the game loop is the bots benchmark run with
//! and without `--no-counting`, see the README.)
//!
//! Run: `cargo bench -p stadtlab-server --bench impact` (prints one `bench-impact:` line).

use std::time::Instant;

use stadtlab_server::impact::export;
use stadtlab_server::impact::gatherings::{ClassVisitRow, TalkAttendanceRow};
use stadtlab_server::impact::tally::{Counts, ExhibitCounts, RoomCounts};
use stadtlab_server::storage::Storage;

const DAYS: i64 = 365;
const EXHIBITS: usize = 50;
const ANSWERS: u32 = 20;

fn day(i: i64) -> String {
    stadtlab_server::impact::day_of(1_767_225_600 + i * 86_400)
}

fn year() -> Counts {
    let mut counts = Counts::default();
    for d in 0..DAYS {
        for room in ["stadtlabor", "forum"] {
            counts.rooms.insert(
                (day(d), room.into()),
                RoomCounts {
                    visitors: 40 + d % 17,
                    joins: 55 + d % 23,
                    phone: 20,
                    computer: 30,
                    app: 5 + d % 23,
                    udp: 5,
                    webtransport: 30,
                    websocket: 20 + d % 23,
                },
            );
        }
        for e in 0..EXHIBITS {
            counts.exhibits.insert(
                (day(d), format!("exhibit-{e:02}")),
                ExhibitCounts {
                    seconds_near: (600 + 37 * e as i64 + d) as f64,
                    downloads: (e as i64 + d) % 7,
                    inspects: 5 + (e as i64 * d) % 11,
                    ratings: (e as i64 + 2 * d) % 6,
                    stars: 4 * ((e as i64 + 2 * d) % 6),
                },
            );
        }
    }
    for t in 0..150 {
        counts.talks.push(TalkAttendanceRow {
            id: format!("talk-{t}"),
            title: format!("Vortrag {t}"),
            on_site: 25,
            learned_yes: 30,
            learned_a_little: 12,
            learned_no: 4,
            day: day(t * 2),
            room: "forum".into(),
            started: "18:00".into(),
            minutes: 90,
            peak_listeners: 120,
            mean_listeners10: 950,
            listener_minutes: 8_550,
            hands_raised: 12,
            questions_asked: 9,
            curve: (0..90)
                .map(|m| (60 + m % 40).to_string())
                .collect::<Vec<_>>()
                .join(","),
        });
    }
    for v in 0..200 {
        counts.visits.push(ClassVisitRow {
            day: day(v),
            scene: "stadtlabor".into(),
            pupils: 25,
            minutes: 60,
            exhibits: 12,
        });
    }
    counts
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    runtime.block_on(async {
        let storage = Storage::open(&url).await.expect("storage");
        let counts = year();
        let rows = counts.exhibits.len();
        let start = Instant::now();
        storage.add_impact(&counts).await.expect("a year written");
        let write_s = start.elapsed().as_secs_f64();
        let (from, to) = (day(0), day(DAYS - 1));
        let mut bytes = 0;
        let start = Instant::now();
        for _ in 0..ANSWERS {
            let rooms = storage.room_days(&from, &to, None).await.expect("rooms");
            let exhibits = storage.exhibit_days(&from, &to).await.expect("exhibits");
            let talks = storage.talks(&from, &to).await.expect("talks");
            let visits = storage.class_visits(&from, &to).await.expect("visits");
            for sheet in [
                export::rooms(&rooms),
                export::exhibits(&exhibits),
                export::talks(&talks),
                export::class_visits(&visits),
            ] {
                bytes = bytes.max(export::to_json(&sheet, 1).to_string().len());
            }
        }
        let answer_ms = start.elapsed().as_secs_f64() * 1000.0 / ANSWERS as f64;
        println!(
            "bench-impact: days={DAYS} exhibits={EXHIBITS} exhibit_rows={rows} talks=150 class_visits=200 write_s={write_s:.2} dashboard_answer_ms={answer_ms:.0} largest_json_kb={}",
            bytes / 1024
        );
    });
}
