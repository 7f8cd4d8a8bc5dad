//! The guide's tool bar (follow me, gather, hold still, look here, lock, pupils' chat,
//! overview, speak to the class), each with a number key; the pupils' notices (hold still, the end is near) and
//! their "follow again" button (key F). Look-here messages open the exhibit for everyone.

use bevy::prelude::*;
use stadtlab_shared::protocol::{ClientMsg, Role, TourCmd, VoiceCmd};

use super::Visit;
use crate::exhibits::inspect::{Inspecting, NearExhibit};
use crate::exhibits::stands::Stand;
use crate::i18n::{I18n, t};
use crate::net::Outbox;
use crate::roster::Me;
use crate::settings::Settings;
use crate::ui::chat::ChatInput;
use crate::ui::style::{self, font};

#[derive(Component, Clone, Copy, PartialEq, Eq, Debug)]
pub enum TourButton {
    Follow,
    Gather,
    Hold,
    LookHere,
    Lock,
    PupilChat,
    Overview,
    /// The guide's voice through everyone's broadcast slot.
    SpeakToClass,
    /// The pupils' button.
    FollowAgain,
}

impl TourButton {
    const GUIDE: [TourButton; 8] = [
        TourButton::Follow,
        TourButton::Gather,
        TourButton::Hold,
        TourButton::LookHere,
        TourButton::Lock,
        TourButton::PupilChat,
        TourButton::Overview,
        TourButton::SpeakToClass,
    ];

    fn key(self) -> KeyCode {
        match self {
            TourButton::Follow => KeyCode::Digit1,
            TourButton::Gather => KeyCode::Digit2,
            TourButton::Hold => KeyCode::Digit3,
            TourButton::LookHere => KeyCode::Digit4,
            TourButton::Lock => KeyCode::Digit5,
            TourButton::PupilChat => KeyCode::Digit6,
            TourButton::Overview => KeyCode::Digit7,
            TourButton::SpeakToClass => KeyCode::Digit8,
            TourButton::FollowAgain => KeyCode::KeyF,
        }
    }

    /// The key as the button shows it.
    fn key_label(self) -> &'static str {
        match self {
            TourButton::Follow => "1",
            TourButton::Gather => "2",
            TourButton::Hold => "3",
            TourButton::LookHere => "4",
            TourButton::Lock => "5",
            TourButton::PupilChat => "6",
            TourButton::Overview => "7",
            TourButton::SpeakToClass => "8",
            TourButton::FollowAgain => "F",
        }
    }

    /// The label's text key and whether the switch it shows is on.
    fn label(self, visit: &Visit) -> (&'static str, Option<bool>) {
        let s = &visit.state;
        match self {
            TourButton::Follow => ("tour-follow", Some(s.follow)),
            TourButton::Gather => ("tour-gather", None),
            TourButton::Hold => ("tour-hold", Some(s.hold)),
            TourButton::LookHere => ("tour-look-here", None),
            TourButton::Lock => ("tour-lock", Some(s.locked)),
            TourButton::PupilChat => ("tour-pupil-chat", Some(s.pupil_chat)),
            TourButton::Overview => ("tour-overview", Some(visit.overview)),
            TourButton::SpeakToClass => ("tour-speak", Some(s.broadcast.is_some())),
            TourButton::FollowAgain => ("tour-follow-again", None),
        }
    }
}

#[derive(Component)]
pub struct GuideBar;
/// A short fade after being brought next to the guide (none with "reduce motion").
#[derive(Component)]
pub struct GatherFade;

/// Seconds the fade after a gather takes.
const FADE_SECS: f64 = 0.6;
#[derive(Component)]
pub struct VisitNotice;
#[derive(Component)]
pub struct VisitNoticeText;

pub fn spawn(mut commands: Commands) {
    commands
        .spawn((
            GuideBar,
            Node {
                position_type: PositionType::Absolute,
                top: Val::Px(56.0),
                left: Val::Px(10.0),
                right: Val::Px(10.0),
                flex_wrap: FlexWrap::Wrap,
                column_gap: Val::Px(6.0),
                row_gap: Val::Px(6.0),
                display: Display::None,
                ..default()
            },
            GlobalZIndex(5),
        ))
        .with_children(|bar| {
            for b in TourButton::GUIDE {
                bar.spawn((b, style::button(style::PANEL)));
            }
        });
    commands.spawn((
        VisitNotice,
        Node {
            position_type: PositionType::Absolute,
            top: Val::Px(56.0),
            left: Val::Px(10.0),
            right: Val::Px(10.0),
            flex_direction: FlexDirection::Column,
            align_items: AlignItems::Center,
            row_gap: Val::Px(6.0),
            display: Display::None,
            ..default()
        },
        GlobalZIndex(5),
        children![
            (
                Node {
                    padding: UiRect::axes(Val::Px(12.0), Val::Px(8.0)),
                    max_width: Val::Percent(100.0),
                    ..default()
                },
                BackgroundColor(style::PANEL),
                children![(
                    Text::new(""),
                    font(style::BODY_PX),
                    TextColor(style::ACCENT),
                    VisitNoticeText
                )],
            ),
            (TourButton::FollowAgain, style::button(style::PANEL)),
        ],
    ));
}

pub fn spawn_fade(mut commands: Commands) {
    commands.spawn((
        GatherFade,
        Node {
            display: Display::None,
            ..style::full_screen()
        },
        BackgroundColor(Color::BLACK),
        GlobalZIndex(20),
    ));
}

/// Fades the view in after a gather: the place changed at once, the eyes get a moment.
pub fn fade(
    visit: Res<Visit>,
    settings: Res<Settings>,
    time: Res<Time<Real>>,
    mut fade: Query<(&mut Node, &mut BackgroundColor), With<GatherFade>>,
) {
    let Ok((mut node, mut color)) = fade.single_mut() else {
        return;
    };
    let since = visit
        .gathered_at
        .map(|at| time.elapsed_secs_f64() - at)
        .filter(|s| *s < FADE_SECS && !settings.reduce_motion);
    match since {
        Some(s) => {
            node.display = Display::Flex;
            color.0 = Color::srgba(0.0, 0.0, 0.0, (1.0 - s / FADE_SECS) as f32);
        }
        None if node.display != Display::None => node.display = Display::None,
        None => {}
    }
}

fn leads(me: &Me, visit: &Visit) -> bool {
    visit.title.is_some() && me.1 >= Role::Guide
}

/// What a press of `button` sends (or does locally).
fn press(
    button: TourButton,
    visit: &mut Visit,
    near: &NearExhibit,
    inspecting: &Inspecting,
    outbox: &mut Outbox,
) {
    let s = &visit.state;
    if button == TourButton::SpeakToClass {
        let on = s.broadcast.is_none();
        outbox.control(&ClientMsg::Voice(VoiceCmd::SpeakToClass { on }));
        return;
    }
    let cmd = match button {
        TourButton::Follow => TourCmd::Follow { on: !s.follow },
        TourButton::Gather => TourCmd::Gather,
        TourButton::Hold => TourCmd::Hold { on: !s.hold },
        TourButton::LookHere => TourCmd::LookHere {
            exhibit: inspecting.id.clone().or_else(|| near.0.clone()),
        },
        TourButton::Lock => TourCmd::Lock { on: !s.locked },
        TourButton::PupilChat => TourCmd::PupilChat { on: !s.pupil_chat },
        TourButton::FollowAgain => TourCmd::FollowAgain,
        TourButton::Overview => {
            visit.overview = !visit.overview;
            return;
        }
        TourButton::SpeakToClass => return,
    };
    outbox.control(&ClientMsg::Tour(cmd));
}

pub fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    input: Res<ChatInput>,
    me: Res<Me>,
    mut visit: ResMut<Visit>,
    near: Res<NearExhibit>,
    inspecting: Res<Inspecting>,
    mut outbox: ResMut<Outbox>,
) {
    if input.open || visit.title.is_none() {
        return;
    }
    let buttons: &[TourButton] = if leads(&me, &visit) {
        &TourButton::GUIDE
    } else {
        &[TourButton::FollowAgain]
    };
    for &b in buttons {
        if keys.just_pressed(b.key()) {
            press(b, &mut visit, &near, &inspecting, &mut outbox);
        }
    }
}

pub fn clicks(
    presses: crate::ui::taps::Presses<TourButton>,
    mut visit: ResMut<Visit>,
    near: Res<NearExhibit>,
    inspecting: Res<Inspecting>,
    mut outbox: ResMut<Outbox>,
) {
    for button in presses.read() {
        press(button, &mut visit, &near, &inspecting, &mut outbox);
    }
}

#[allow(clippy::too_many_arguments)]
pub fn refresh(
    i18n: Res<I18n>,
    settings: Res<Settings>,
    me: Res<Me>,
    visit: Res<Visit>,
    time: Res<Time<Real>>,
    mut bar: Query<&mut Node, (With<GuideBar>, Without<VisitNotice>, Without<TourButton>)>,
    mut notice: Query<&mut Node, (With<VisitNotice>, Without<GuideBar>, Without<TourButton>)>,
    mut notice_text: Query<&mut Text, With<VisitNoticeText>>,
    mut buttons: Query<
        (&TourButton, &Children, &mut Node),
        (Without<GuideBar>, Without<VisitNotice>),
    >,
    mut texts: Query<&mut Text, Without<VisitNoticeText>>,
) {
    let leading = leads(&me, &visit);
    let in_visit = visit.title.is_some();
    if let Ok(mut node) = bar.single_mut() {
        node.display = if leading {
            Display::Flex
        } else {
            Display::None
        };
    }
    let lang = settings.language;
    let mut lines = Vec::new();
    if let Some((seconds, at)) = visit.ends_soon {
        let left = (seconds as f64 - (time.elapsed_secs_f64() - at)).max(0.0);
        let minutes = (left / 60.0).ceil() as i64;
        lines.push(i18n.text(lang, "tour-ends-soon", &[("minutes", minutes.into())]));
    }
    let mine = me.0;
    let following = mine.is_some_and(|id| visit.state.followers.contains(&id));
    if !leading && in_visit {
        if visit.state.hold {
            lines.push(t(&i18n, &settings, "tour-held"));
        } else if following {
            lines.push(t(&i18n, &settings, "tour-following"));
        }
    }
    let show_again = !leading && in_visit && visit.state.follow && !following;
    if let Ok(mut node) = notice.single_mut() {
        let shown = !leading && in_visit && (!lines.is_empty() || show_again);
        node.display = if shown { Display::Flex } else { Display::None };
        if leading && !lines.is_empty() {
            // The guide sees the warning in the bar's place of the status line instead.
            node.display = Display::Flex;
            node.top = Val::Px(110.0);
        }
    }
    if let Ok(mut text) = notice_text.single_mut() {
        let joined = lines.join("\n");
        if text.0 != joined {
            text.0 = joined;
        }
    }
    for (button, children, mut node) in &mut buttons {
        if *button == TourButton::FollowAgain {
            node.display = if show_again {
                Display::Flex
            } else {
                Display::None
            };
        }
        let (key, on) = button.label(&visit);
        let mut label = format!("{} · {}", button.key_label(), t(&i18n, &settings, key));
        if let Some(on) = on {
            label += &format!(
                ": {}",
                t(&i18n, &settings, if on { "tour-on" } else { "tour-off" })
            );
        }
        for child in children.iter() {
            if let Ok(mut text) = texts.get_mut(child)
                && text.0 != label
            {
                text.0 = label.clone();
            }
        }
    }
}

/// "Look here" from the guide: the exhibit's inspect view opens (or closes) for everyone.
pub fn look_here(
    mut visit: ResMut<Visit>,
    stands: Query<&Stand>,
    mut inspecting: ResMut<Inspecting>,
) {
    if !visit.look_here_pending {
        return;
    }
    match &visit.look_here {
        Some(id) => match stands.iter().find(|s| &s.id == id) {
            Some(stand) => inspecting.open(stand),
            // The model is not in the room yet: try again next frame.
            None => return,
        },
        None => inspecting.id = None,
    }
    visit.look_here_pending = false;
}
