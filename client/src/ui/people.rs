//! The people list (P or the toolbar): everyone in the room with their badge. A click or tap
//! on a name opens what one may do about that person: report; for the guide and staff also
//! mute or unmute their chat and remove them; for staff also ban. Actions that need a reason
//! put the matching chat command into the chat line, where the reason is typed and Enter sends
//! it (the same path as typing the command, so the keyboard reaches all of it). Whether it is
//! allowed is decided by the server; the list only leaves out what one's role never may.

use bevy::prelude::*;
use stadtlab_shared::protocol::{AvatarState, ClientMsg, ModerationCmd, Role};

use super::OpenPanels;
use super::chat::ChatInput;
use super::style::{self, font};
use crate::i18n::{I18n, t};
use crate::net::Outbox;
use crate::roster::{Me, People};
use crate::settings::{Language, Settings};

#[derive(Component)]
pub struct PeoplePanel;
#[derive(Component)]
pub struct PeopleTitle;
/// The container the rows are rebuilt in.
#[derive(Component)]
pub struct PeopleRows;
/// A person's row: clicking it opens their actions.
#[derive(Component, Clone, Copy, Debug)]
pub struct PersonRow(pub u16);
/// One action about one person.
#[derive(Component, Clone, Copy, Debug)]
pub struct PersonAction(pub u16, pub Action);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Report,
    Mute,
    Unmute,
    MuteVoice,
    UnmuteVoice,
    Remove,
    Ban,
}

impl Action {
    const ALL: [Action; 7] = [
        Action::Report,
        Action::Mute,
        Action::Unmute,
        Action::MuteVoice,
        Action::UnmuteVoice,
        Action::Remove,
        Action::Ban,
    ];

    /// What a role may ever do (the server checks each case: nobody mutes staff, say).
    pub fn offered_to(self, role: Role) -> bool {
        match self {
            Action::Report => true,
            Action::Mute
            | Action::Unmute
            | Action::MuteVoice
            | Action::UnmuteVoice
            | Action::Remove => role >= Role::Guide,
            Action::Ban => role == Role::Staff,
        }
    }

    /// The chat command for an action that needs a reason, in the visitor's language.
    fn command(self, lang: Language) -> Option<&'static str> {
        let (de, en) = match self {
            Action::Report => ("melden", "report"),
            Action::Remove => ("entfernen", "remove"),
            Action::Ban => ("sperren", "ban"),
            Action::Mute | Action::Unmute | Action::MuteVoice | Action::UnmuteVoice => {
                return None;
            }
        };
        Some(lang.pick(de, en))
    }

    fn label_key(self) -> &'static str {
        match self {
            Action::Report => "people-report",
            Action::Mute => "people-mute",
            Action::Unmute => "people-unmute",
            Action::MuteVoice => "people-mute-voice",
            Action::UnmuteVoice => "people-unmute-voice",
            Action::Remove => "people-remove",
            Action::Ban => "people-ban",
        }
    }

    /// Its name for tests and accessibility tools (`ui::rects`).
    pub fn name(self) -> &'static str {
        match self {
            Action::Report => "report",
            Action::Mute => "mute",
            Action::Unmute => "unmute",
            Action::MuteVoice => "mute-voice",
            Action::UnmuteVoice => "unmute-voice",
            Action::Remove => "remove",
            Action::Ban => "ban",
        }
    }
}

/// The person whose actions are open in the list.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Selected(pub Option<u16>);

pub fn spawn(mut commands: Commands) {
    commands.spawn((
        Node {
            right: Val::Px(10.0),
            top: Val::Px(10.0),
            min_width: Val::Px(220.0),
            max_width: Val::Px(420.0),
            max_height: Val::Percent(84.0),
            overflow: Overflow::clip(),
            display: Display::None,
            ..style::panel_node()
        },
        BackgroundColor(style::PANEL),
        Interaction::default(),
        GlobalZIndex(10),
        PeoplePanel,
        children![
            (
                Text::new(""),
                font(style::TITLE_PX),
                TextColor(style::TEXT),
                PeopleTitle
            ),
            (
                Node {
                    flex_direction: FlexDirection::Column,
                    row_gap: Val::Px(2.0),
                    ..default()
                },
                PeopleRows
            ),
        ],
    ));
}

fn row_button(background: Color, padding: f32) -> impl Bundle {
    (
        Button,
        Node {
            padding: UiRect::axes(Val::Px(padding), Val::Px(6.0)),
            min_height: Val::Px(36.0),
            align_items: AlignItems::Center,
            ..default()
        },
        BackgroundColor(background),
    )
}

fn label(text: String, color: Color) -> impl Bundle {
    (Text::new(text), font(style::BODY_PX), TextColor(color))
}

/// Rebuilds the rows when the room, the language, the selection or the panel changes.
#[allow(clippy::too_many_arguments)]
pub fn refresh(
    mut commands: Commands,
    i18n: Res<I18n>,
    settings: Res<Settings>,
    open: Res<OpenPanels>,
    people: Res<People>,
    me: Res<Me>,
    mut selected: ResMut<Selected>,
    mut panel: Query<&mut Node, With<PeoplePanel>>,
    mut title: Query<&mut Text, With<PeopleTitle>>,
    rows: Query<Entity, With<PeopleRows>>,
    snapshots: Res<crate::net::Snapshots>,
    talk: Res<crate::stage::Talk>,
    mut speaking_before: Local<Vec<u16>>,
) {
    // Who speaks changes with snapshots: rebuilt when that list changes, not every snapshot.
    let speaking_now: Vec<u16> = people
        .by_id
        .keys()
        .copied()
        .filter(|id| {
            snapshots
                .decoder
                .state(*id)
                .is_some_and(|s| s.flags & AvatarState::FLAG_SPEAKING != 0)
        })
        .collect();
    let speaking_changed = *speaking_before != speaking_now;
    if speaking_changed {
        *speaking_before = speaking_now;
    }
    if !(open.is_changed()
        || settings.is_changed()
        || people.is_changed()
        || me.is_changed()
        || selected.is_changed()
        || talk.is_changed()
        || speaking_changed)
    {
        return;
    }
    if let Ok(mut node) = panel.single_mut() {
        node.display = if open.people {
            Display::Flex
        } else {
            Display::None
        };
    }
    if let Some(id) = selected.0
        && (!people.by_id.contains_key(&id) || Some(id) == me.0)
    {
        selected.0 = None;
    }
    if let Ok(mut text) = title.single_mut() {
        text.0 = format!(
            "{}\n{}",
            t(&i18n, &settings, "people-title"),
            t(&i18n, &settings, "people-hint")
        );
    }
    let Ok(rows) = rows.single() else { return };
    commands.entity(rows).despawn_related::<Children>();
    if !open.people {
        return;
    }
    commands.entity(rows).with_children(|list| {
        for p in people.by_id.values() {
            let mut line = format!("• {}", crate::roster::tagged_name(p));
            if Some(p.id) == me.0 {
                line += &format!(" {}", t(&i18n, &settings, "people-you"));
            }
            if p.away {
                line += &format!(" {}", t(&i18n, &settings, "people-away"));
            }
            let speaking = snapshots
                .decoder
                .state(p.id)
                .is_some_and(|s| s.flags & AvatarState::FLAG_SPEAKING != 0);
            if speaking {
                line += &format!(" {}", t(&i18n, &settings, "people-speaking"));
            }
            // The talk: who the hall hears, and (for hosts) raised hands with their place.
            if talk.on_air(p.id) {
                line += &format!(" {}", t(&i18n, &settings, "people-on-air"));
            }
            if let Some(i) = talk.hands.iter().position(|h| h.avatar == p.id) {
                let place = fluent_bundle::FluentValue::from(i + 1);
                line += &format!(
                    " {}",
                    i18n.text(settings.language, "people-hand", &[("place", place)])
                );
            }
            let chosen = selected.0 == Some(p.id);
            let background = if chosen {
                Color::srgba(1.0, 1.0, 1.0, 0.12)
            } else {
                Color::NONE
            };
            let color = if chosen { style::ACCENT } else { style::TEXT };
            list.spawn((row_button(background, 6.0), PersonRow(p.id)))
                .with_child(label(line, color));
            if !chosen {
                continue;
            }
            list.spawn(Node {
                flex_wrap: FlexWrap::Wrap,
                column_gap: Val::Px(6.0),
                row_gap: Val::Px(6.0),
                margin: UiRect::left(Val::Px(16.0)),
                ..default()
            })
            .with_children(|actions| {
                for action in Action::ALL.into_iter().filter(|a| a.offered_to(me.1)) {
                    actions
                        .spawn((
                            row_button(Color::srgba(1.0, 1.0, 1.0, 0.08), 10.0),
                            PersonAction(p.id, action),
                        ))
                        .with_child(label(t(&i18n, &settings, action.label_key()), style::TEXT));
                }
            });
        }
    });
}

/// Clicks and taps on names and actions.
#[allow(clippy::too_many_arguments)]
pub fn clicks(
    rows: super::taps::Presses<PersonRow>,
    actions: super::taps::Presses<PersonAction>,
    open: Res<OpenPanels>,
    people: Res<People>,
    settings: Res<Settings>,
    mut selected: ResMut<Selected>,
    mut input: ResMut<ChatInput>,
    mut outbox: ResMut<Outbox>,
) {
    if !open.people {
        return;
    }
    for PersonRow(id) in rows.read() {
        selected.0 = if selected.0 == Some(id) {
            None
        } else {
            Some(id)
        };
    }
    for PersonAction(target, action) in actions.read() {
        match action {
            Action::Mute | Action::Unmute => {
                outbox.control(&ClientMsg::Moderation(ModerationCmd::MuteChat {
                    target,
                    muted: action == Action::Mute,
                }));
            }
            Action::MuteVoice | Action::UnmuteVoice => {
                outbox.control(&ClientMsg::Moderation(ModerationCmd::MuteVoice {
                    target,
                    muted: action == Action::MuteVoice,
                }));
            }
            _ => {
                let (Some(name), Some(command)) =
                    (people.name(target), action.command(settings.language))
                else {
                    continue;
                };
                // The reason is typed in the chat line; Enter sends the command.
                input.open = true;
                input.text = format!("/{command} {name} ");
            }
        }
        selected.0 = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_is_offered_what_it_may_do() {
        let offered = |role| {
            Action::ALL
                .into_iter()
                .filter(|a| a.offered_to(role))
                .map(Action::name)
                .collect::<Vec<_>>()
        };
        assert_eq!(offered(Role::Visitor), ["report"]);
        let guide = [
            "report",
            "mute",
            "unmute",
            "mute-voice",
            "unmute-voice",
            "remove",
        ];
        assert_eq!(offered(Role::Guide), guide);
        assert_eq!(offered(Role::Staff), [&guide[..], &["ban"]].concat());
    }

    #[test]
    fn commands_prefilled_are_the_ones_the_chat_reads() {
        let people = [stadtlab_shared::protocol::PresenceEntry {
            id: 7,
            name: "Ada Lovelace".into(),
            color: 0,
            away: false,
            role: Role::Visitor,
        }];
        for lang in [Language::German, Language::English] {
            for action in [Action::Report, Action::Remove, Action::Ban] {
                let line = format!("/{} Ada Lovelace stört", action.command(lang).unwrap());
                let msg = crate::moderation::parse_command(&line, people.iter()).unwrap();
                let ClientMsg::Moderation(cmd) = msg else {
                    panic!("{line}")
                };
                assert_eq!(cmd.target(), 7, "{line}");
            }
        }
    }
}
