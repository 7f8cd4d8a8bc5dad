//! Moderation from the client: chat commands (`/melden`, `/stumm`, `/entfernen`, `/sperren`
//! and their English names) sent as moderation messages, the hosts' talk commands (`/vortrag`,
//! `/wort`, `/wortzurück`, `/handrunter`, `/allestumm`, `/bitteton`, `/zeigen`, `/beantwortet`, `/folie`)
//! the console's head count of the hall (`/saal 23`), everyone's written questions (`/frage`,
//! `/plus`) and answers to a talk's closing question (`/fazit ja|bisschen|nein`, `/antwort …`)
//! sent as stage messages,
//! and the server's answers shown as notices in the chat. Whether someone may do it is decided by the server, never here.

use bevy::prelude::*;
use fluent_bundle::FluentValue;
use stadtlab_shared::protocol::domain::stage::Learned;
use stadtlab_shared::protocol::{
    ClientMsg, ModerationCmd, ModerationMsg, ModerationRefusal, PresenceEntry, ServerMsg, StageCmd,
};

use crate::i18n::I18n;
use crate::net::ServerEvent;
use crate::roster::{ChatLine, ChatLog, People};
use crate::settings::Settings;

pub struct ModerationPlugin;

impl Plugin for ModerationPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(PreUpdate, notices.after(crate::net::NetSet::Receive));
    }
}

/// Why a typed command was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// Not a command we know: show the list.
    Usage,
    UnknownPerson,
}

/// Reads a chat line starting with `/`: the command, then a person's name as the room knows
/// it (the longest name that fits, so that names with spaces work), then the reason.
pub fn parse_command<'a>(
    line: &str,
    people: impl Iterator<Item = &'a PresenceEntry>,
) -> Result<ClientMsg, CommandError> {
    let rest = line.strip_prefix('/').ok_or(CommandError::Usage)?;
    let (word, rest) = rest.split_once(' ').unwrap_or((rest, ""));
    let rest = rest.trim();
    let lower = rest.to_lowercase();
    let person = people
        .filter(|p| {
            let name = p.name.to_lowercase();
            lower == name || lower.starts_with(&format!("{name} "))
        })
        .max_by_key(|p| p.name.len());
    if let Some(cmd) = stage_command(word, rest, person) {
        return cmd.map(ClientMsg::Stage);
    }
    let make = |target: u16, reason: String| match word.to_lowercase().as_str() {
        "melden" | "report" => Ok(ModerationCmd::Report { target, reason }),
        "stumm" | "mute" => Ok(ModerationCmd::MuteChat {
            target,
            muted: true,
        }),
        "laut" | "unmute" => Ok(ModerationCmd::MuteChat {
            target,
            muted: false,
        }),
        "entfernen" | "remove" => Ok(ModerationCmd::Remove { target, reason }),
        "sperren" | "ban" => Ok(ModerationCmd::Ban { target, reason }),
        _ => Err(CommandError::Usage),
    };
    // An unknown command is a usage error even before the name is checked.
    make(0, String::new())?;
    let person = person.ok_or(CommandError::UnknownPerson)?;
    let reason = rest[person.name.len().min(rest.len())..].trim().to_string();
    make(person.id, reason).map(ClientMsg::Moderation)
}

/// The hosts' talk commands (`/vortrag an`, `/wort Name`, …); `None` if `word` is not one.
fn stage_command(
    word: &str,
    rest: &str,
    person: Option<&PresenceEntry>,
) -> Option<Result<StageCmd, CommandError>> {
    let person = || person.map(|p| p.id).ok_or(CommandError::UnknownPerson);
    let number = || {
        rest.trim_start_matches('#')
            .parse::<u32>()
            .map_err(|_| CommandError::Usage)
    };
    let on = matches!(rest.to_lowercase().as_str(), "an" | "on" | "start" | "");
    Some(match word.to_lowercase().as_str() {
        "vortrag" | "talk" => Ok(StageCmd::Talk { on }),
        "konsole" | "console" => Ok(StageCmd::Console { on }),
        "wort" | "floor" => person().map(|avatar| StageCmd::GiveFloor { avatar }),
        "wortzurück" | "wortzurueck" | "takefloor" => Ok(StageCmd::TakeFloor),
        "handrunter" | "lowerhand" => match rest.to_lowercase().as_str() {
            "alle" | "all" => Ok(StageCmd::LowerAllHands),
            _ => person().map(|avatar| StageCmd::LowerHandOf { avatar }),
        },
        "allestumm" | "muteall" => Ok(StageCmd::MuteAllButStage),
        "bitteton" | "askunmute" => person().map(|avatar| StageCmd::AskUnmute { avatar }),
        "frage" | "ask" if !rest.is_empty() => Ok(StageCmd::Ask {
            text: rest.to_string(),
        }),
        "plus" | "upvote" => number().map(|question| StageCmd::Upvote { question }),
        "zeigen" | "show" => match rest.to_lowercase().as_str() {
            "aus" | "off" => Ok(StageCmd::ShowQuestion { question: None }),
            _ => number().map(|q| StageCmd::ShowQuestion { question: Some(q) }),
        },
        "beantwortet" | "answered" => number().map(|question| StageCmd::MarkAnswered { question }),
        "saal" | "hall" => number().and_then(|people| {
            u16::try_from(people)
                .map(|people| StageCmd::HeadCount { people })
                .map_err(|_| CommandError::Usage)
        }),
        "fazit" | "learned" => match rest.to_lowercase().as_str() {
            "ja" | "yes" => Ok(Learned::Yes),
            "bisschen" | "etwas" | "alittle" | "a little" => Ok(Learned::ALittle),
            "nein" | "no" => Ok(Learned::No),
            _ => Err(CommandError::Usage),
        }
        .map(|answer| StageCmd::Learned { answer }),
        "antwort" | "answer" if !rest.is_empty() => Ok(StageCmd::Answer {
            text: rest.to_string(),
        }),
        "folie" | "slide" => number().and_then(|page| {
            u16::try_from(page)
                .map(|page| StageCmd::Page { page })
                .map_err(|_| CommandError::Usage)
        }),
        _ => return None,
    })
}

/// The text for a command that was not sent.
pub fn command_error_text(i18n: &I18n, settings: &Settings, e: &CommandError) -> String {
    let key = match e {
        CommandError::Usage => "mod-usage",
        CommandError::UnknownPerson => "mod-unknown-person",
    };
    i18n.text(settings.language, key, &[])
}

fn notices(
    mut events: MessageReader<ServerEvent>,
    i18n: Res<I18n>,
    settings: Res<Settings>,
    people: Res<People>,
    mut chat: ResMut<ChatLog>,
) {
    let lang = settings.language;
    for ServerEvent(msg) in events.read() {
        let ServerMsg::Moderation(m) = msg else {
            continue;
        };
        let text = match m {
            ModerationMsg::ChatMuted { muted, by } => i18n.text(
                lang,
                if *muted { "mod-muted" } else { "mod-unmuted" },
                &[("by", FluentValue::from(by.clone()))],
            ),
            ModerationMsg::Done { action, target } => {
                let name = people
                    .by_id
                    .get(target)
                    .map(|p| p.name.clone())
                    .unwrap_or_else(|| format!("#{target}"));
                // The audit log's action name, said in words (unknown ones as they are).
                let key = format!("mod-action-{}", action.replace('_', "-"));
                let word = i18n.text(lang, &key, &[]);
                let word = if word.is_empty() || word == key {
                    action.clone()
                } else {
                    word
                };
                i18n.text(
                    lang,
                    "mod-done",
                    &[
                        ("action", FluentValue::from(word)),
                        ("name", FluentValue::from(name)),
                    ],
                )
            }
            ModerationMsg::Reported => i18n.text(lang, "mod-reported", &[]),
            ModerationMsg::Refused { reason } => i18n.text(
                lang,
                match reason {
                    ModerationRefusal::NotAllowed => "mod-refused-not-allowed",
                    ModerationRefusal::NoSuchPerson => "mod-refused-no-such-person",
                    ModerationRefusal::Protected => "mod-refused-protected",
                    ModerationRefusal::BadReason => "mod-refused-bad-reason",
                    ModerationRefusal::TooMany => "mod-refused-too-many",
                },
                &[],
            ),
        };
        chat.push(ChatLine::Notice(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stadtlab_shared::protocol::Role;

    fn person(id: u16, name: &str) -> PresenceEntry {
        PresenceEntry {
            id,
            name: name.into(),
            color: 0,
            away: false,
            role: Role::Visitor,
        }
    }

    #[test]
    fn commands_find_names_with_spaces_and_keep_the_reason() {
        let people = [person(1, "Kind"), person(2, "Kind 4"), person(3, "Anna")];
        assert_eq!(
            parse_command("/entfernen kind 4 stört dauernd", people.iter()),
            Ok(ClientMsg::Moderation(ModerationCmd::Remove {
                target: 2,
                reason: "stört dauernd".into()
            }))
        );
        assert_eq!(
            parse_command("/mute Anna", people.iter()),
            Ok(ClientMsg::Moderation(ModerationCmd::MuteChat {
                target: 3,
                muted: true
            }))
        );
        assert_eq!(
            parse_command("/stumm Zoe", people.iter()),
            Err(CommandError::UnknownPerson)
        );
        assert_eq!(
            parse_command("/tanzen Anna", people.iter()),
            Err(CommandError::Usage)
        );
    }

    #[test]
    fn hosts_run_a_talk_by_command() {
        let people = [person(2, "Kind 4"), person(3, "Anna")];
        let stage = |line: &str| parse_command(line, people.iter());
        assert_eq!(
            stage("/vortrag an"),
            Ok(ClientMsg::Stage(StageCmd::Talk { on: true }))
        );
        assert_eq!(
            stage("/talk off"),
            Ok(ClientMsg::Stage(StageCmd::Talk { on: false }))
        );
        assert_eq!(
            stage("/wort kind 4"),
            Ok(ClientMsg::Stage(StageCmd::GiveFloor { avatar: 2 }))
        );
        assert_eq!(
            stage("/wortzurück"),
            Ok(ClientMsg::Stage(StageCmd::TakeFloor))
        );
        assert_eq!(
            stage("/handrunter alle"),
            Ok(ClientMsg::Stage(StageCmd::LowerAllHands))
        );
        assert_eq!(
            stage("/bitteton Anna"),
            Ok(ClientMsg::Stage(StageCmd::AskUnmute { avatar: 3 }))
        );
        assert_eq!(stage("/wort Zoe"), Err(CommandError::UnknownPerson));
        assert_eq!(
            stage("/saal 23"),
            Ok(ClientMsg::Stage(StageCmd::HeadCount { people: 23 }))
        );
        assert_eq!(stage("/saal viele"), Err(CommandError::Usage));
        assert_eq!(
            stage("/fazit bisschen"),
            Ok(ClientMsg::Stage(StageCmd::Learned {
                answer: Learned::ALittle
            }))
        );
        assert_eq!(
            stage("/antwort Mehr offene Daten"),
            Ok(ClientMsg::Stage(StageCmd::Answer {
                text: "Mehr offene Daten".into()
            }))
        );
        assert_eq!(
            stage("/frage Wie teuer war das?"),
            Ok(ClientMsg::Stage(StageCmd::Ask {
                text: "Wie teuer war das?".into()
            }))
        );
        assert_eq!(
            stage("/plus #3"),
            Ok(ClientMsg::Stage(StageCmd::Upvote { question: 3 }))
        );
        assert_eq!(
            stage("/zeigen aus"),
            Ok(ClientMsg::Stage(StageCmd::ShowQuestion { question: None }))
        );
        assert_eq!(
            stage("/folie 4"),
            Ok(ClientMsg::Stage(StageCmd::Page { page: 4 }))
        );
        assert_eq!(stage("/plus drei"), Err(CommandError::Usage));
    }
}
