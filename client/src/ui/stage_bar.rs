//! The talk's buttons for everyone in a room with a stage: raise or lower my hand (R), and
//! while a host offers me the floor, "speak" (J) and "decline" (N), for people who use a
//! mouse or a touch screen rather than keys; presses of the closing panel's buttons too.

use bevy::prelude::*;
use fluent_bundle::FluentValue;
use stadtlab_shared::protocol::domain::stage::Learned;
use stadtlab_shared::protocol::{ClientMsg, StageCmd};

use super::style;
use crate::i18n::I18n;
use crate::net::Outbox;
use crate::player::RoomGeometry;
use crate::settings::Settings;
use crate::stage::Talk;

#[derive(Component, Clone, Copy, PartialEq, Eq, Debug)]
pub enum StageButton {
    Hand,
    Speak,
    Decline,
    /// The closing panel (`closing_panel`): "did you learn something new?" …
    Yes,
    ALittle,
    No,
    /// … write the free answer, close the panel.
    Write,
    Dismiss,
}

#[derive(Component)]
pub struct StageBar;

/// "Speak" stands out (white text on green keeps its contrast).
const SPEAK: Color = Color::srgb(0.1, 0.42, 0.2);

pub fn spawn(mut commands: Commands) {
    commands
        .spawn((
            StageBar,
            // A full-width row (not itself a button) that centres the buttons above the
            // bottom edge, clear of the joystick and the voice bar.
            Node {
                position_type: PositionType::Absolute,
                left: Val::Px(0.0),
                right: Val::Px(0.0),
                bottom: Val::Px(64.0),
                justify_content: JustifyContent::Center,
                column_gap: Val::Px(8.0),
                display: Display::None,
                ..default()
            },
            GlobalZIndex(4),
        ))
        .with_children(|bar| {
            bar.spawn((StageButton::Speak, style::button(SPEAK)));
            bar.spawn((StageButton::Decline, style::button(style::PANEL)));
            bar.spawn((StageButton::Hand, style::button(style::PANEL)));
        });
}

pub fn clicks(
    presses: super::taps::Presses<StageButton>,
    mut talk: ResMut<Talk>,
    mut outbox: ResMut<Outbox>,
    mut input: ResMut<super::chat::ChatInput>,
) {
    for button in presses.read() {
        let cmd = match button {
            StageButton::Yes | StageButton::ALittle | StageButton::No => {
                if let Some(c) = talk.closing.as_mut() {
                    c.learned = true;
                }
                let answer = match button {
                    StageButton::Yes => Learned::Yes,
                    StageButton::ALittle => Learned::ALittle,
                    _ => Learned::No,
                };
                StageCmd::Learned { answer }
            }
            StageButton::Write => {
                input.open_for(super::chat::Writing::ClosingAnswer);
                continue;
            }
            StageButton::Dismiss => {
                if let Some(c) = talk.closing.as_mut() {
                    c.dismissed = true;
                }
                continue;
            }
            StageButton::Hand if talk.my_place.is_some() => StageCmd::LowerHand,
            StageButton::Hand => StageCmd::RaiseHand,
            StageButton::Speak | StageButton::Decline => {
                talk.offered_by = None;
                StageCmd::AnswerFloor {
                    accept: button == StageButton::Speak,
                }
            }
        };
        outbox.control(&ClientMsg::Stage(cmd));
    }
}

#[allow(clippy::type_complexity)]
pub fn refresh(
    i18n: Res<I18n>,
    settings: Res<Settings>,
    talk: Res<Talk>,
    room: Res<RoomGeometry>,
    mut bar: Query<&mut Node, (With<StageBar>, Without<StageButton>)>,
    mut buttons: Query<(&StageButton, &Children, &mut Node), Without<StageBar>>,
    mut texts: Query<&mut Text>,
) {
    if !(talk.is_changed() || settings.is_changed()) {
        return;
    }
    if let Ok(mut node) = bar.single_mut() {
        node.display = if room.scene.has_stage() {
            Display::Flex
        } else {
            Display::None
        };
    }
    let lang = settings.language;
    let offered = talk.offered_by.is_some();
    for (button, children, mut node) in &mut buttons {
        let (shown, text) = match button {
            StageButton::Hand => match talk.my_place {
                Some(place) => (
                    !offered,
                    i18n.text(
                        lang,
                        "stage-button-lower",
                        &[("place", FluentValue::from(place))],
                    ),
                ),
                None => (!offered, i18n.text(lang, "stage-button-raise", &[])),
            },
            StageButton::Speak => (offered, i18n.text(lang, "stage-button-speak", &[])),
            StageButton::Decline => (offered, i18n.text(lang, "stage-button-decline", &[])),
            // The closing panel's own (see `closing_panel::refresh`).
            _ => continue,
        };
        node.display = if shown { Display::Flex } else { Display::None };
        for child in children.iter() {
            if let Ok(mut t) = texts.get_mut(child) {
                t.0 = text.clone();
            }
        }
    }
}
