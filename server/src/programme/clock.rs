//! A talk's start opens talk mode in its room and puts its slides on the screen; its end
//! closes talk mode and takes them down. Checked every few seconds; each talk is started and
//! ended once per server run (after a restart mid-talk it starts again: the room's talk state
//! lives in memory).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use crate::admission::Admission;
use crate::game::commands::{CommandSender, ProgrammeTalk, RoomCommand, StageChange};
use crate::http::slides::slides_of;
use crate::storage::{Storage, StorageError, TalkRow, unix_now};

pub const CHECK_EVERY: Duration = Duration::from_secs(2);

/// Talks this server has started and not yet ended.
#[derive(Default)]
pub struct Running(HashSet<String>);

/// What should happen to `talk` at `now`, given whether it runs.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    Start,
    End,
    Nothing,
}

pub fn step(talk: &TalkRow, running: bool, now: i64) -> Step {
    let on = talk.starts_at <= now && now < talk.ends_at;
    match (on, running) {
        (true, false) => Step::Start,
        (false, true) => Step::End,
        _ => Step::Nothing,
    }
}

pub async fn run_due(
    storage: &Storage,
    admission: &Admission,
    commands: &CommandSender,
    running: &mut Running,
) -> Result<(), StorageError> {
    let now = unix_now();
    // Talks ended a little while ago are still read, so that their end is carried out.
    let talks = storage.talks_ending_after(now - 3600).await?;
    for talk in &talks {
        let is_running = running.0.contains(&talk.id);
        let step = step(talk, is_running, now);
        if step == Step::Nothing {
            continue;
        }
        let Some(room) = admission.public_room(&talk.room) else {
            continue;
        };
        let send = |change| {
            let _ = commands.send(RoomCommand::Stage { room, change });
        };
        if step == Step::Start {
            send(StageChange::Talk {
                on: true,
                programme: Some(ProgrammeTalk {
                    title: talk.title_de.clone(),
                    title_en: talk.title_en.clone(),
                    closing_question: talk.closing_question.clone(),
                }),
            });
            let deck = match &talk.deck_id {
                Some(id) => storage.deck(id).await?,
                None => None,
            };
            if let Some(deck) = deck {
                send(StageChange::Slides(Some(slides_of(&deck, 1))));
            }
            running.0.insert(talk.id.clone());
            tracing::info!(talk = %talk.id, room = %talk.room, "talk started by the programme");
        } else {
            send(StageChange::Talk {
                on: false,
                programme: None,
            });
            if talk.deck_id.is_some() {
                send(StageChange::Slides(None));
            }
            running.0.remove(&talk.id);
            tracing::info!(talk = %talk.id, room = %talk.room, "talk ended by the programme");
        }
    }
    // A talk deleted while running ends too.
    let known: HashSet<&str> = talks.iter().map(|t| t.id.as_str()).collect();
    running.0.retain(|id| known.contains(id.as_str()));
    Ok(())
}

/// Runs [`run_due`] every few seconds until the server stops.
pub async fn schedule(storage: Storage, admission: Arc<Admission>, commands: CommandSender) {
    let mut every = tokio::time::interval(CHECK_EVERY);
    let mut running = Running::default();
    loop {
        every.tick().await;
        if let Err(e) = run_due(&storage, &admission, &commands, &mut running).await {
            tracing::warn!(error = %e, "running the programme");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_talk_starts_in_its_window_and_ends_after_it() {
        let talk = TalkRow {
            id: "t".into(),
            room: "forum".into(),
            title_de: "x".into(),
            title_en: "x".into(),
            speaker: "y".into(),
            description_de: String::new(),
            description_en: String::new(),
            starts_at: 100,
            ends_at: 200,
            deck_id: None,
            created_by: "staff".into(),
            created_at: 0,
            closing_question: None,
        };
        assert_eq!(step(&talk, false, 99), Step::Nothing);
        assert_eq!(step(&talk, false, 100), Step::Start);
        assert_eq!(step(&talk, true, 150), Step::Nothing);
        assert_eq!(step(&talk, true, 200), Step::End);
        assert_eq!(step(&talk, false, 250), Step::Nothing);
    }
}
