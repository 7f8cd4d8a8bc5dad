//! The status line (room, people, connection) and the toolbar with one button per panel.

use bevy::prelude::*;
use fluent_bundle::FluentValue;

use super::OpenPanels;
use super::chat::ChatInput;
use super::style::{self, font};
use crate::i18n::{I18n, t};
use crate::net::LinkStatus;
use crate::player::RoomGeometry;
use crate::roster::People;
use crate::settings::Settings;

#[derive(Component)]
pub struct StatusLine;

/// The bar of tool buttons (laid out by `layout` for the screen it is on).
#[derive(Component)]
pub struct Toolbar;

#[derive(Component, Clone, Copy, PartialEq, Eq, Debug)]
pub enum ToolButton {
    Chat,
    People,
    Settings,
    Help,
}

impl ToolButton {
    fn key(self) -> &'static str {
        match self {
            ToolButton::Chat => "button-chat",
            ToolButton::People => "button-people",
            ToolButton::Settings => "button-settings",
            ToolButton::Help => "button-help",
        }
    }
}

pub fn spawn(mut commands: Commands) {
    commands.spawn((
        Node {
            position_type: PositionType::Absolute,
            left: Val::Px(10.0),
            top: Val::Px(10.0),
            padding: UiRect::axes(Val::Px(10.0), Val::Px(6.0)),
            ..default()
        },
        BackgroundColor(style::PANEL),
        Interaction::default(),
        children![(
            Text::new(""),
            font(style::BODY_PX),
            TextColor(style::TEXT),
            StatusLine
        )],
    ));
    let buttons = [
        ToolButton::Chat,
        ToolButton::People,
        ToolButton::Settings,
        ToolButton::Help,
    ];
    commands
        .spawn((
            Toolbar,
            Node {
                position_type: PositionType::Absolute,
                right: Val::Px(10.0),
                bottom: Val::Px(10.0),
                column_gap: Val::Px(8.0),
                ..default()
            },
        ))
        .with_children(|bar| {
            for b in buttons {
                bar.spawn((b, style::button(style::PANEL)));
            }
        });
}

pub fn toolbar_clicks(
    presses: super::taps::Presses<ToolButton>,
    mut open: ResMut<OpenPanels>,
    mut input: ResMut<ChatInput>,
) {
    for button in presses.read() {
        match button {
            ToolButton::Chat if input.open => {
                input.open = false;
                input.purpose = super::chat::Writing::Chat;
            }
            ToolButton::Chat => input.open_for(super::chat::Writing::Chat),
            ToolButton::People => open.people = !open.people,
            ToolButton::Settings => {
                open.settings = !open.settings;
                open.help = false;
            }
            ToolButton::Help => {
                open.help = !open.help;
                open.settings = false;
            }
        }
    }
}

pub fn refresh(
    i18n: Res<I18n>,
    settings: Res<Settings>,
    status: Res<LinkStatus>,
    people: Res<People>,
    room: Res<RoomGeometry>,
    mut line: Query<&mut Text, With<StatusLine>>,
    buttons: Query<(&ToolButton, &Children)>,
    mut texts: Query<&mut Text, Without<StatusLine>>,
) {
    if !(settings.is_changed() || status.is_changed() || people.is_changed()) {
        return;
    }
    let lang = settings.language;
    let title = lang.pick(&room.scene.title.de, &room.scene.title.en);
    let state = match &*status {
        LinkStatus::Offline => t(&i18n, &settings, "status-offline"),
        LinkStatus::Connecting => t(&i18n, &settings, "status-connecting"),
        LinkStatus::Connected => {
            let n = people.by_id.len() as i64;
            i18n.text(lang, "people-count", &[("count", FluentValue::from(n))])
        }
        LinkStatus::Closed(reason) => {
            i18n.text(lang, "status-closed", &[("reason", reason.clone().into())])
        }
        LinkStatus::Rejected(reason) => rejection_text(&i18n, lang, reason),
    };
    if let Ok(mut text) = line.single_mut() {
        text.0 = format!("{title} · {state}");
    }
    for (button, children) in &buttons {
        for child in children.iter() {
            if let Ok(mut text) = texts.get_mut(child) {
                text.0 = t(&i18n, &settings, button.key());
            }
        }
    }
}

/// The touch joystick's ring and knob, drawn where the thumb landed.
#[derive(Component)]
pub struct JoystickRing;
#[derive(Component)]
pub struct JoystickKnob;

const RING_PX: f32 = crate::controls::touch::JOYSTICK_RADIUS_PX * 2.0;
const KNOB_PX: f32 = 44.0;

pub fn spawn_joystick(mut commands: Commands) {
    commands.spawn((
        Node {
            position_type: PositionType::Absolute,
            width: Val::Px(RING_PX),
            height: Val::Px(RING_PX),
            border: UiRect::all(Val::Px(3.0)),
            border_radius: BorderRadius::MAX,
            display: Display::None,
            ..default()
        },
        BorderColor::all(Color::srgba(1.0, 1.0, 1.0, 0.7)),
        BackgroundColor(Color::srgba(0.0, 0.0, 0.0, 0.2)),
        JoystickRing,
        children![(
            Node {
                position_type: PositionType::Absolute,
                width: Val::Px(KNOB_PX),
                height: Val::Px(KNOB_PX),
                border_radius: BorderRadius::MAX,
                ..default()
            },
            BackgroundColor(Color::srgba(1.0, 1.0, 1.0, 0.75)),
            JoystickKnob,
        )],
    ));
}

pub fn draw_joystick(
    joystick: Res<crate::controls::touch::Joystick>,
    mut ring: Query<&mut Node, (With<JoystickRing>, Without<JoystickKnob>)>,
    mut knob: Query<&mut Node, (With<JoystickKnob>, Without<JoystickRing>)>,
) {
    if !joystick.is_changed() {
        return;
    }
    let (Ok(mut ring), Ok(mut knob)) = (ring.single_mut(), knob.single_mut()) else {
        return;
    };
    let Some(origin) = joystick.origin else {
        ring.display = Display::None;
        return;
    };
    ring.display = Display::Flex;
    ring.left = Val::Px(origin.x - RING_PX / 2.0);
    ring.top = Val::Px(origin.y - RING_PX / 2.0);
    let r = crate::controls::touch::JOYSTICK_RADIUS_PX;
    let centre = RING_PX / 2.0 - KNOB_PX / 2.0 - 3.0;
    knob.left = Val::Px(centre + joystick.vector.x * r);
    knob.top = Val::Px(centre - joystick.vector.y * r);
}

/// Why the server showed us out, in the visitor's language (with the moderator's reason, if
/// one was given).
pub fn rejection_text(
    i18n: &I18n,
    lang: crate::settings::Language,
    reason: &stadtlab_shared::protocol::RejectReason,
) -> String {
    use stadtlab_shared::protocol::RejectReason as R;
    let text = match reason {
        R::VersionMismatch { server, client } => i18n.text(
            lang,
            "reject-version",
            &[
                ("server", FluentValue::from(*server as i64)),
                ("client", FluentValue::from(*client as i64)),
            ],
        ),
        R::NoSeat => i18n.text(lang, "reject-no-seat", &[]),
        R::Misbehaving => i18n.text(lang, "reject-misbehaving", &[]),
        R::ReplacedByNewConnection => i18n.text(lang, "reject-replaced", &[]),
        R::Left => i18n.text(lang, "reject-left", &[]),
        R::Removed { minutes, .. } => i18n.text(
            lang,
            "reject-removed",
            &[("minutes", FluentValue::from(*minutes as i64))],
        ),
        R::Banned { .. } => i18n.text(lang, "reject-banned", &[]),
        R::VisitEnded => i18n.text(lang, "reject-visit-ended", &[]),
    };
    match reason {
        R::Removed { reason, .. } | R::Banned { reason } if !reason.is_empty() => i18n.text(
            lang,
            "reject-with-reason",
            &[
                ("text", FluentValue::from(text)),
                ("reason", FluentValue::from(reason.clone())),
            ],
        ),
        _ => text,
    }
}
