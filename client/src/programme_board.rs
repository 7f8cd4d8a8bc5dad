//! The programme in the room: the coming talks of this room (the next 24 hours) as a board
//! over its stage, in the visitor's language and local time, read from `/api/talks` on
//! entering and every minute.

use bevy::prelude::*;
use serde::Deserialize;

use crate::exhibits::download::{self, Inbox};
use crate::launch::Launch;
use crate::player::RoomGeometry;
use crate::ui::labels::WorldLabel;

pub struct ProgrammeBoardPlugin;

impl Plugin for ProgrammeBoardPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Board>()
            .add_systems(Update, (spawn_board, fetch, show).chain());
    }
}

/// A talk as `/api/talks` lists it (the fields the board shows).
#[derive(Deserialize, Debug, Clone, PartialEq)]
pub struct BoardTalk {
    pub room: String,
    pub title_de: String,
    pub title_en: String,
    pub speaker: String,
    pub starts_at: i64,
    pub ends_at: i64,
}

/// The programme as the board shows it (its lines also go to the state hook).
#[derive(Resource, Default)]
pub struct Board {
    /// The lines shown now, in German.
    pub lines: Vec<String>,
    inbox: Inbox,
    /// Seconds (real time) of the next fetch.
    next_fetch: f64,
    talks: Vec<BoardTalk>,
    changed: bool,
}

/// The board's anchor in the room.
#[derive(Component)]
struct BoardAnchor;

const FETCH_EVERY_S: f64 = 60.0;
/// Talks starting within this many seconds are shown.
const AHEAD_S: i64 = 24 * 3600;

/// The board's lines for `room` at `now` (unix seconds), `offset_s` east of UTC: what runs and
/// what comes within a day, in order.
pub fn board_lines(
    talks: &[BoardTalk],
    room: &str,
    now: i64,
    offset_s: i64,
    english: bool,
) -> Vec<String> {
    let clock = |t: i64| {
        let local = (t + offset_s).rem_euclid(86_400);
        format!("{:02}:{:02}", local / 3600, local % 3600 / 60)
    };
    let mut shown: Vec<&BoardTalk> = talks
        .iter()
        .filter(|t| t.room == room && t.ends_at > now && t.starts_at < now + AHEAD_S)
        .collect();
    shown.sort_by_key(|t| t.starts_at);
    shown
        .iter()
        .map(|t| {
            let title = if english { &t.title_en } else { &t.title_de };
            format!(
                "{}–{} {title} ({})",
                clock(t.starts_at),
                clock(t.ends_at),
                t.speaker
            )
        })
        .collect()
}

/// Seconds the visitor's clock is east of UTC (the browser knows; the desktop shows UTC).
fn local_offset_s() -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        -(js_sys::Date::new_0().get_timezone_offset() as i64) * 60
    }
    #[cfg(not(target_arch = "wasm32"))]
    0
}

fn unix_now() -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        (js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(target_arch = "wasm32"))]
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn spawn_board(mut commands: Commands, room: Option<Res<RoomGeometry>>, mut done: Local<bool>) {
    let Some(room) = room else { return };
    if *done {
        return;
    }
    *done = true;
    let Some(stage) = room
        .scene
        .zones
        .iter()
        .find(|z| z.kind == stadtlab_shared::scene::ZoneKind::Stage)
    else {
        return;
    };
    let centre = (Vec2::from(stage.min) + Vec2::from(stage.max)) / 2.0;
    commands.spawn((
        BoardAnchor,
        WorldLabel {
            de: String::new(),
            en: String::new(),
            fade_from: 12.0,
            fade_to: 30.0,
        },
        // Under the stage's name (3 m), above heads.
        Transform::from_xyz(centre.x, 2.3, centre.y),
        Visibility::Hidden,
    ));
}

fn fetch(mut board: ResMut<Board>, launch: Res<Launch>, time: Res<Time<Real>>) {
    let now = time.elapsed_secs_f64();
    // In the browser the address is the page's own (an empty base: relative URLs).
    let served = cfg!(target_arch = "wasm32") || !launch.http_base.is_empty();
    if served && now >= board.next_fetch {
        board.next_fetch = now + FETCH_EVERY_S;
        let url = format!("{}/api/talks", launch.http_base.trim_end_matches('/'));
        download::start(url, "talks".into(), board.inbox.clone());
    }
    let done: Vec<_> = std::mem::take(&mut *board.inbox.lock().unwrap_or_else(|e| e.into_inner()));
    for (_, result) in done {
        match result.map(|bytes| serde_json::from_slice::<Vec<BoardTalk>>(&bytes)) {
            Ok(Ok(talks)) => {
                board.changed |= talks != board.talks;
                board.talks = talks;
            }
            Ok(Err(e)) => warn!("the programme could not be read: {e}"),
            Err(e) => warn!("the programme could not be fetched: {e}"),
        }
    }
}

fn show(
    mut board: ResMut<Board>,
    launch: Res<Launch>,
    mut anchors: Query<(&mut WorldLabel, &mut Visibility), With<BoardAnchor>>,
    mut last_minute: Local<i64>,
) {
    let now = unix_now();
    // Redrawn when the programme changed, and each minute (a talk ends, the next shows).
    if !board.changed && now / 60 == *last_minute {
        return;
    }
    board.changed = false;
    *last_minute = now / 60;
    let Ok((mut label, mut visible)) = anchors.single_mut() else {
        return;
    };
    let offset = local_offset_s();
    let room = launch.room();
    let de = board_lines(&board.talks, room, now, offset, false);
    let en = board_lines(&board.talks, room, now, offset, true);
    *visible = if de.is_empty() {
        Visibility::Hidden
    } else {
        Visibility::Inherited
    };
    label.de = format!("Programm\n{}", de.join("\n"));
    board.lines = de;
    label.en = format!("Programme\n{}", en.join("\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn talk(room: &str, title: &str, starts_at: i64, ends_at: i64) -> BoardTalk {
        BoardTalk {
            room: room.into(),
            title_de: title.into(),
            title_en: format!("{title} (en)"),
            speaker: "Ada".into(),
            starts_at,
            ends_at,
        }
    }

    #[test]
    fn the_board_shows_this_rooms_running_and_coming_talks_in_local_time() {
        let now = 18 * 3600; // 18:00 UTC on day 0
        let talks = [
            talk("forum", "Später", now + 7200, now + 9000),
            talk("forum", "Jetzt", now - 600, now + 1800),
            talk("forum", "Vorbei", now - 7200, now - 3600),
            talk("stadtlabor", "Anderswo", now, now + 600),
            talk(
                "forum",
                "Übermorgen",
                now + 2 * 86_400,
                now + 2 * 86_400 + 60,
            ),
        ];
        // Berlin in winter: one hour east of UTC.
        assert_eq!(
            board_lines(&talks, "forum", now, 3600, false),
            ["18:50–19:30 Jetzt (Ada)", "21:00–21:30 Später (Ada)"]
        );
        assert_eq!(
            board_lines(&talks, "forum", now, 0, true)[0],
            "17:50–18:30 Jetzt (en) (Ada)"
        );
        assert!(board_lines(&talks, "keller", now, 0, false).is_empty());
    }
}
