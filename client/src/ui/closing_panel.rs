//! After a talk: a small panel asks "Hast du etwas Neues erfahren?" (yes / a little / no) and
//! the talk's own question, answered in the line to type into (the chat's, see
//! `chat::Writing`). Answers are optional; the panel goes once all is answered or closed.
//! Presses are read in `stage_bar::clicks` with the talk's other buttons.

use bevy::prelude::*;
use fluent_bundle::FluentValue;

use super::stage_bar::StageButton;
use super::style::{self, font};
use crate::i18n::I18n;
use crate::settings::Settings;
use crate::stage::Talk;

#[derive(Component)]
pub struct ClosingPanel;

/// The panel's lines: the talk, the fixed question, the talk's own question.
#[derive(Component, Clone, Copy, PartialEq, Eq)]
pub enum ClosingLine {
    Talk,
    Learned,
    Question,
}

fn line(which: ClosingLine, color: Color) -> impl Bundle {
    (which, Text::new(""), font(style::BODY_PX), TextColor(color))
}

fn row() -> Node {
    Node {
        column_gap: Val::Px(8.0),
        flex_wrap: FlexWrap::Wrap,
        ..default()
    }
}

fn button(b: StageButton) -> impl Bundle {
    (b, style::button(Color::srgba(1.0, 1.0, 1.0, 0.12)))
}

pub fn spawn(mut commands: Commands) {
    // A screen-wide layer (not itself pressable) that centres the panel: on a phone it must
    // not sit under the tool bar or the chat.
    commands
        .spawn((
            ClosingPanel,
            Node {
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                display: Display::None,
                ..style::full_screen()
            },
            GlobalZIndex(6),
        ))
        .with_children(|layer| {
            layer
                .spawn((
                    Node {
                        position_type: PositionType::Relative,
                        width: Val::Px(420.0),
                        max_width: Val::Percent(92.0),
                        ..style::panel_node()
                    },
                    BackgroundColor(style::PANEL),
                    Interaction::default(),
                ))
                .with_children(|panel| {
                    panel.spawn(line(ClosingLine::Talk, style::MUTED));
                    panel.spawn(line(ClosingLine::Learned, style::TEXT));
                    panel.spawn(row()).with_children(|r| {
                        for b in [StageButton::Yes, StageButton::ALittle, StageButton::No] {
                            r.spawn(button(b));
                        }
                    });
                    panel.spawn(line(ClosingLine::Question, style::TEXT));
                    panel.spawn(row()).with_children(|r| {
                        r.spawn(button(StageButton::Write));
                        r.spawn(button(StageButton::Dismiss));
                    });
                });
        });
}

pub fn refresh(
    i18n: Res<I18n>,
    settings: Res<Settings>,
    talk: Res<Talk>,
    mut panel: Query<&mut Node, (With<ClosingPanel>, Without<StageButton>)>,
    mut lines: Query<(&ClosingLine, &mut Text, &mut Node), Without<ClosingPanel>>,
    mut buttons: Query<
        (&StageButton, &Children, &mut Node),
        (Without<ClosingPanel>, Without<ClosingLine>),
    >,
    mut texts: Query<&mut Text, Without<ClosingLine>>,
) {
    if !(talk.is_changed() || settings.is_changed()) {
        return;
    }
    let show = |on: bool| if on { Display::Flex } else { Display::None };
    let prompt = talk.closing.as_ref().filter(|c| c.shown());
    if let Ok(mut node) = panel.single_mut() {
        node.display = show(prompt.is_some());
    }
    let Some(prompt) = prompt else { return };
    let lang = settings.language;
    let own = prompt
        .question
        .question
        .as_ref()
        .filter(|_| !prompt.answered);
    for (line, mut text, mut node) in &mut lines {
        let (shown, value) = match line {
            ClosingLine::Talk => (
                true,
                if prompt.question.title.is_empty() {
                    i18n.text(lang, "closing-thanks", &[])
                } else {
                    i18n.text(
                        lang,
                        "closing-thanks-for",
                        &[(
                            "title",
                            FluentValue::from(
                                lang.pick(&prompt.question.title, &prompt.question.title_en)
                                    .to_owned(),
                            ),
                        )],
                    )
                },
            ),
            ClosingLine::Learned => (!prompt.learned, i18n.text(lang, "closing-learned", &[])),
            ClosingLine::Question => (own.is_some(), own.cloned().unwrap_or_default()),
        };
        node.display = show(shown);
        text.0 = value;
    }
    for (button, children, mut node) in &mut buttons {
        let (shown, key) = match button {
            StageButton::Yes => (!prompt.learned, "closing-yes"),
            StageButton::ALittle => (!prompt.learned, "closing-a-little"),
            StageButton::No => (!prompt.learned, "closing-no"),
            StageButton::Write => (own.is_some(), "closing-write"),
            StageButton::Dismiss => (true, "closing-dismiss"),
            _ => continue,
        };
        node.display = show(shown);
        for child in children.iter() {
            if let Ok(mut t) = texts.get_mut(child) {
                t.0 = i18n.text(lang, key, &[]);
            }
        }
    }
}
