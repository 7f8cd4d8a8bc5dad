//! The hint near an exhibit ("E: … ansehen", tappable) and the info panel beside the inspect
//! view: buttons (link, reset, close), title, organisation, text, link, controls, pictures.

use bevy::prelude::*;
use fluent_bundle::FluentValue;

use super::inspect::{Inspecting, NearExhibit};
use super::list::ShownExhibits;
use super::printable::Printable;
use super::stands::Stand;
use crate::i18n::{I18n, t};
use crate::settings::Settings;
use crate::ui::style::{self, font};

#[derive(Component)]
pub struct NearHint;
#[derive(Component)]
pub struct NearHintText;
#[derive(Component)]
pub struct InfoPanel;
#[derive(Component)]
pub struct InfoText;
#[derive(Component, Clone, Copy, PartialEq, Eq, Debug)]
pub enum InfoButton {
    /// Opens the exhibit's link (shown only when it has one).
    Link,
    Reset,
    Close,
    /// Printable exhibits: the file as uploaded, the repaired copy, the print bed, the
    /// problem spots on the model.
    Download,
    Repaired,
    Bed,
    Problems,
    /// A rating of 1–5 stars (shown until this visit rated the exhibit).
    Star(u8),
    /// After rating: write a short comment for the lab team (once).
    Comment,
}

impl InfoButton {
    /// Its name for the state hook (`download`, `star-4`, …).
    pub fn name(&self) -> String {
        match self {
            InfoButton::Star(n) => format!("star-{n}"),
            other => format!("{other:?}").to_lowercase(),
        }
    }
}

pub fn spawn_ui(mut commands: Commands) {
    commands.spawn((
        Button,
        NearHint,
        Node {
            position_type: PositionType::Absolute,
            bottom: Val::Px(64.0),
            left: Val::Percent(50.0),
            margin: UiRect::left(Val::Px(-160.0)),
            width: Val::Px(320.0),
            justify_content: JustifyContent::Center,
            padding: UiRect::axes(Val::Px(12.0), Val::Px(8.0)),
            display: Display::None,
            ..default()
        },
        BackgroundColor(style::PANEL),
        children![(
            Text::new(""),
            font(style::BODY_PX),
            TextColor(style::ACCENT),
            NearHintText
        )],
    ));
    commands
        .spawn((
            InfoPanel,
            Node {
                position_type: PositionType::Absolute,
                right: Val::Px(10.0),
                top: Val::Px(60.0),
                width: Val::Px(380.0),
                max_width: Val::Percent(45.0),
                max_height: Val::Percent(75.0),
                flex_direction: FlexDirection::Column,
                row_gap: Val::Px(8.0),
                padding: UiRect::all(Val::Px(12.0)),
                overflow: Overflow::clip_y(),
                display: Display::None,
                ..default()
            },
            BackgroundColor(style::PANEL),
            Interaction::default(),
        ))
        .with_children(|panel| {
            // Buttons first: on a small screen the text may be cut off, the buttons not.
            panel
                .spawn(Node {
                    column_gap: Val::Px(8.0),
                    row_gap: Val::Px(6.0),
                    flex_wrap: FlexWrap::Wrap,
                    ..default()
                })
                .with_children(|row| {
                    for b in [
                        InfoButton::Link,
                        InfoButton::Reset,
                        InfoButton::Close,
                        InfoButton::Download,
                        InfoButton::Repaired,
                        InfoButton::Bed,
                        InfoButton::Problems,
                        InfoButton::Star(1),
                        InfoButton::Star(2),
                        InfoButton::Star(3),
                        InfoButton::Star(4),
                        InfoButton::Star(5),
                        InfoButton::Comment,
                    ] {
                        row.spawn((b, style::button(Color::srgba(1.0, 1.0, 1.0, 0.12))));
                    }
                });
            // "Zum Nachdrucken" right under the maker: a long text must not push it out.
            for (i, px) in [
                (0, style::TITLE_PX + 2.0),
                (1, style::BODY_PX - 1.0),
                (5, style::BODY_PX - 1.0),
                (2, style::BODY_PX),
                (3, style::BODY_PX - 2.0),
                (4, style::BODY_PX - 2.0),
            ] {
                let color = if i == 5 {
                    style::ACCENT
                } else if i == 1 || i >= 3 {
                    style::MUTED
                } else {
                    style::TEXT
                };
                panel.spawn((
                    Text::new(""),
                    font(px),
                    TextColor(color),
                    InfoText,
                    InfoLine(i),
                ));
            }
            panel.spawn((
                super::pictures::PictureRow,
                Node {
                    column_gap: Val::Px(6.0),
                    flex_wrap: FlexWrap::Wrap,
                    ..default()
                },
            ));
        });
}

/// Which line of the info panel a text is: title, organisation, text, link, controls, and
/// for printable exhibits "Zum Nachdrucken".
#[derive(Component, Clone, Copy)]
pub struct InfoLine(usize);

pub fn buttons(
    hint: Query<&Interaction, (Changed<Interaction>, With<NearHint>)>,
    presses: crate::ui::taps::Presses<InfoButton>,
    near: Res<NearExhibit>,
    stands: Query<&Stand>,
    shown: Res<ShownExhibits>,
    mut inspecting: ResMut<Inspecting>,
    mut printable: ResMut<Printable>,
    mut ratings: ResMut<super::rating::Ratings>,
    mut outbox: ResMut<crate::net::Outbox>,
    launch: Res<crate::launch::Launch>,
    mut input: ResMut<crate::ui::chat::ChatInput>,
) {
    if hint.iter().any(|i| *i == Interaction::Pressed)
        && let Some(stand) = near
            .0
            .as_ref()
            .and_then(|id| stands.iter().find(|s| &s.id == id))
    {
        inspecting.open(stand);
    }
    for button in presses.read() {
        match button {
            InfoButton::Link => {
                let open = inspecting.id.as_ref().and_then(|id| shown.by_id.get(id));
                if let Some(url) = open.and_then(|e| e.link.as_ref()) {
                    crate::platform::open_link(url);
                }
            }
            InfoButton::Reset => inspecting.reset(),
            InfoButton::Close => inspecting.id = None,
            InfoButton::Download | InfoButton::Repaired => {
                let info = printable.info.as_ref();
                let url = if button == InfoButton::Download {
                    info.and_then(|i| i.download_url.as_ref())
                } else {
                    info.and_then(|i| i.repaired_url.as_ref())
                };
                if let Some(url) = url {
                    crate::platform::open_link(&format!(
                        "{}{url}",
                        launch.http_base.trim_end_matches('/')
                    ));
                }
            }
            InfoButton::Bed => printable.bed = !printable.bed,
            InfoButton::Problems => printable.problems = !printable.problems,
            InfoButton::Star(stars) => {
                if let Some(id) = &inspecting.id {
                    ratings.rate(&mut outbox, id, stars);
                }
            }
            InfoButton::Comment => {
                if let Some(id) = &inspecting.id {
                    input.open_for(crate::ui::chat::Writing::Comment {
                        exhibit: id.clone(),
                    });
                }
            }
        }
    }
}

pub fn refresh_ui(
    i18n: Res<I18n>,
    settings: Res<Settings>,
    near: Res<NearExhibit>,
    inspecting: Res<Inspecting>,
    shown: Res<ShownExhibits>,
    printable: Res<Printable>,
    ratings: Res<super::rating::Ratings>,
    mut hint: Query<&mut Node, (With<NearHint>, Without<InfoPanel>)>,
    mut panel: Query<&mut Node, (With<InfoPanel>, Without<NearHint>)>,
    mut hint_text: Query<&mut Text, (With<NearHintText>, Without<InfoText>)>,
    mut lines: Query<(&mut Text, &InfoLine), Without<NearHintText>>,
    mut button_labels: Query<
        (&InfoButton, &Children, &mut Node),
        (Without<InfoPanel>, Without<NearHint>),
    >,
    mut texts: Query<&mut Text, (Without<InfoLine>, Without<NearHintText>)>,
) {
    if !(settings.is_changed()
        || near.is_changed()
        || inspecting.is_changed()
        || shown.is_changed()
        || printable.is_changed()
        || ratings.is_changed())
    {
        return;
    }
    let lang = settings.language;
    let show = |on: bool| if on { Display::Flex } else { Display::None };
    let near_exhibit = near.0.as_ref().and_then(|id| shown.by_id.get(id));
    let hint_on = near_exhibit.is_some() && inspecting.id.is_none();
    for mut node in &mut hint {
        node.display = show(hint_on);
    }
    if let (Some(e), Ok(mut text)) = (near_exhibit, hint_text.single_mut()) {
        text.0 = i18n.text(
            lang,
            "exhibit-near",
            &[(
                "title",
                FluentValue::from(lang.pick(&e.title.de, &e.title.en).to_owned()),
            )],
        );
    }
    let open = inspecting.id.as_ref().and_then(|id| shown.by_id.get(id));
    for mut node in &mut panel {
        node.display = show(open.is_some());
    }
    let Some(e) = open else { return };
    let print = printable.info.as_ref();
    for (mut text, line) in &mut lines {
        text.0 = match line.0 {
            0 => lang.pick(&e.title.de, &e.title.en).to_owned(),
            1 => i18n.text(
                lang,
                "exhibit-by",
                &[("organisation", FluentValue::from(e.organisation.clone()))],
            ),
            2 => lang.pick(&e.text.de, &e.text.en).to_owned(),
            3 => e
                .link
                .as_ref()
                .map(|url| {
                    i18n.text(
                        lang,
                        "exhibit-link",
                        &[("url", FluentValue::from(url.clone()))],
                    )
                })
                .unwrap_or_default(),
            4 => t(&i18n, &settings, "exhibit-controls"),
            _ => print
                .map(|info| {
                    i18n.text(
                        lang,
                        "exhibit-print",
                        &[(
                            "summary",
                            FluentValue::from(super::printable::summary(
                                info,
                                lang == crate::settings::Language::German,
                            )),
                        )],
                    ) + &if printable.problems {
                        format!("\n{}", t(&i18n, &settings, "exhibit-print-problems-legend"))
                    } else {
                        String::new()
                    }
                })
                .unwrap_or_default(),
        };
    }
    for (button, children, mut node) in &mut button_labels {
        match button {
            InfoButton::Link => node.display = show(e.link.is_some()),
            InfoButton::Download => {
                node.display = show(print.is_some_and(|p| p.download_url.is_some()))
            }
            InfoButton::Repaired => {
                node.display = show(print.is_some_and(|p| p.repaired_url.is_some()))
            }
            InfoButton::Bed => node.display = show(print.is_some()),
            InfoButton::Problems => {
                node.display = show(print.is_some_and(|p| p.report.has_problem_spots()))
            }
            InfoButton::Star(_) => node.display = show(!ratings.rated.contains(&e.id)),
            InfoButton::Comment => node.display = show(ratings.may_comment(&e.id)),
            _ => {}
        }
        for child in children.iter() {
            if let Ok(mut text) = texts.get_mut(child) {
                let key = match button {
                    InfoButton::Star(n) => {
                        text.0 = format!("{n} ★");
                        continue;
                    }
                    InfoButton::Link => "exhibit-open-link",
                    InfoButton::Reset => "exhibit-reset",
                    InfoButton::Close => "exhibit-close",
                    InfoButton::Download => "exhibit-download",
                    InfoButton::Repaired => "exhibit-download-repaired",
                    InfoButton::Bed if printable.bed => "exhibit-print-bed-off",
                    InfoButton::Bed => "exhibit-print-bed",
                    InfoButton::Problems if printable.problems => "exhibit-print-problems-off",
                    InfoButton::Problems => "exhibit-print-problems",
                    InfoButton::Comment => "exhibit-comment",
                };
                text.0 = t(&i18n, &settings, key);
            }
        }
    }
}
