//! The settings (O) and the help overlay (F1/H). Settings are walked with the arrow keys or
//! clicked row by row. (The people list is in `people`.)

use bevy::prelude::*;
use fluent_bundle::FluentValue;

use super::OpenPanels;
use super::style::{self, font};
use crate::i18n::{I18n, t};
use crate::settings::Settings;
use crate::voice::MicMeter;

#[derive(Component)]
pub struct SettingsPanel;
#[derive(Component, Clone, Copy)]
pub struct HelpPanel;
#[derive(Component)]
pub struct HelpText;
#[derive(Component)]
pub struct SettingsTitle;
/// One settings row, by index into [`SettingRow::ALL`].
#[derive(Component, Clone, Copy)]
pub struct SettingsRowButton(pub usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// The voice rows are the desktop's; the browser's page has its own voice bar.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub enum SettingRow {
    Language,
    Sensitivity,
    ReduceMotion,
    View,
    Shadows,
    SmoothEdges,
    Profile,
    /// The desktop's voice (in the browser, the page's voice bar has these).
    Voice,
    MicMode,
    VoiceVolume,
    NearestVoices,
    /// A meter, not a switch: the microphone's level while the settings are open.
    MicLevel,
}

impl SettingRow {
    /// The rows in order; the voice rows only on the desktop.
    pub const ALL: &[SettingRow] = &[
        SettingRow::Language,
        SettingRow::Sensitivity,
        SettingRow::ReduceMotion,
        SettingRow::View,
        SettingRow::Shadows,
        SettingRow::SmoothEdges,
        #[cfg(not(target_arch = "wasm32"))]
        SettingRow::Voice,
        #[cfg(not(target_arch = "wasm32"))]
        SettingRow::MicMode,
        #[cfg(not(target_arch = "wasm32"))]
        SettingRow::VoiceVolume,
        #[cfg(not(target_arch = "wasm32"))]
        SettingRow::NearestVoices,
        #[cfg(not(target_arch = "wasm32"))]
        SettingRow::MicLevel,
        SettingRow::Profile,
    ];

    /// Changes the setting one step (`dir` is -1 or +1; toggles ignore the sign).
    pub fn change(self, settings: &mut Settings, dir: i32) {
        match self {
            SettingRow::Language => settings.language = settings.language.other(),
            SettingRow::Sensitivity => settings.nudge_sensitivity(dir),
            SettingRow::ReduceMotion => settings.reduce_motion = !settings.reduce_motion,
            SettingRow::View => settings.third_person = !settings.third_person,
            SettingRow::Shadows => settings.shadows = !settings.shadows,
            SettingRow::SmoothEdges => settings.smooth_edges = !settings.smooth_edges,
            SettingRow::Profile => crate::platform::back_to_landing_page(),
            SettingRow::Voice => settings.voice = !settings.voice,
            SettingRow::MicMode => settings.open_mic = !settings.open_mic,
            SettingRow::VoiceVolume => settings.nudge_voice_volume(dir),
            SettingRow::NearestVoices => settings.nearest_voices = !settings.nearest_voices,
            SettingRow::MicLevel => {}
        }
    }

    fn label(self, i18n: &I18n, s: &Settings, meter: &MicMeter) -> String {
        let lang = s.language;
        let onoff = |b: bool| FluentValue::from(t(i18n, s, if b { "on" } else { "off" }));
        match self {
            SettingRow::Language => t(i18n, s, "settings-language"),
            SettingRow::Sensitivity => i18n.text(
                lang,
                "settings-sensitivity",
                &[("value", format!("{:.1}", s.sensitivity).into())],
            ),
            SettingRow::ReduceMotion => i18n.text(
                lang,
                "settings-reduce-motion",
                &[("on", onoff(s.reduce_motion))],
            ),
            SettingRow::View => {
                let view = t(
                    i18n,
                    s,
                    if s.third_person {
                        "view-third"
                    } else {
                        "view-first"
                    },
                );
                i18n.text(lang, "settings-view", &[("view", view.into())])
            }
            SettingRow::Shadows => i18n.text(lang, "settings-shadows", &[("on", onoff(s.shadows))]),
            SettingRow::SmoothEdges => {
                i18n.text(lang, "settings-smooth", &[("on", onoff(s.smooth_edges))])
            }
            SettingRow::Profile => t(i18n, s, "settings-profile"),
            SettingRow::Voice => i18n.text(lang, "settings-voice", &[("on", onoff(s.voice))]),
            SettingRow::MicMode => {
                let mode = t(i18n, s, if s.open_mic { "mic-open" } else { "mic-ptt" });
                i18n.text(lang, "settings-mic-mode", &[("mode", mode.into())])
            }
            SettingRow::VoiceVolume => i18n.text(
                lang,
                "settings-voice-volume",
                &[("value", format!("{:.0}", s.voice_volume * 100.0).into())],
            ),
            SettingRow::NearestVoices => {
                i18n.text(lang, "settings-nearest", &[("on", onoff(s.nearest_voices))])
            }
            SettingRow::MicLevel => match meter.0 {
                Some(db) => i18n.text(
                    lang,
                    "settings-mic-level",
                    &[("meter", meter_bar(db).into())],
                ),
                None => t(i18n, s, "settings-mic-level-none"),
            },
        }
    }
}

/// A level in dBov (-60 and below: empty; 0: full) as a bar of ten marks that any font draws.
pub fn meter_bar(dbov: i8) -> String {
    let filled = ((f32::from(dbov) + 60.0) / 6.0).round().clamp(0.0, 10.0) as usize;
    format!("[{}{}]", "#".repeat(filled), "-".repeat(10 - filled))
}

pub fn spawn(mut commands: Commands) {
    // Within the screen on a phone and at 200 % zoom: at most 640 px wide, never taller than
    // the view (the text wraps inside, anything longer is clipped rather than drawn outside).
    let centred = || Node {
        left: Val::Percent(5.0),
        right: Val::Percent(5.0),
        top: Val::Percent(8.0),
        max_width: Val::Px(640.0),
        max_height: Val::Percent(84.0),
        margin: UiRect::horizontal(Val::Auto),
        overflow: Overflow::clip(),
        display: Display::None,
        ..style::panel_node()
    };
    commands
        .spawn((
            centred(),
            BackgroundColor(style::PANEL),
            Interaction::default(),
            // Panels sit above name tags and zone labels.
            GlobalZIndex(10),
            SettingsPanel,
        ))
        .with_children(|p| {
            p.spawn((
                Text::new(""),
                font(style::TITLE_PX),
                TextColor(style::TEXT),
                SettingsTitle,
            ));
            for i in 0..SettingRow::ALL.len() {
                p.spawn((
                    Button,
                    SettingsRowButton(i),
                    Node {
                        padding: UiRect::axes(Val::Px(10.0), Val::Px(6.0)),
                        min_height: Val::Px(36.0),
                        ..default()
                    },
                    BackgroundColor(Color::NONE),
                    children![(Text::new(""), font(style::BODY_PX), TextColor(style::TEXT))],
                ));
            }
        });
    commands.spawn((
        centred(),
        BackgroundColor(style::PANEL),
        Interaction::default(),
        GlobalZIndex(10),
        HelpPanel,
        children![(
            Text::new(""),
            font(style::BODY_PX),
            TextColor(style::TEXT),
            HelpText
        )],
    ));
}

pub fn settings_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut open: ResMut<OpenPanels>,
    mut settings: ResMut<Settings>,
    rows: Query<(&Interaction, &SettingsRowButton), Changed<Interaction>>,
) {
    if !open.settings {
        return;
    }
    for (interaction, row) in &rows {
        if *interaction == Interaction::Pressed {
            open.settings_row = row.0;
            SettingRow::ALL[row.0].change(&mut settings, 1);
        }
    }
    let n = SettingRow::ALL.len();
    if keys.just_pressed(KeyCode::ArrowDown) || keys.just_pressed(KeyCode::Tab) {
        open.settings_row = (open.settings_row + 1) % n;
    }
    if keys.just_pressed(KeyCode::ArrowUp) {
        open.settings_row = (open.settings_row + n - 1) % n;
    }
    let row = SettingRow::ALL[open.settings_row];
    if keys.just_pressed(KeyCode::ArrowRight)
        || keys.just_pressed(KeyCode::Enter)
        || keys.just_pressed(KeyCode::Space)
    {
        row.change(&mut settings, 1);
    }
    if keys.just_pressed(KeyCode::ArrowLeft) {
        row.change(&mut settings, -1);
    }
}

#[allow(clippy::too_many_arguments)]
pub fn refresh(
    i18n: Res<I18n>,
    settings: Res<Settings>,
    open: Res<OpenPanels>,
    meter: Res<MicMeter>,
    mut panels: ParamSet<(
        Query<&mut Node, With<SettingsPanel>>,
        Query<&mut Node, With<HelpPanel>>,
    )>,
    mut texts: ParamSet<(
        Query<&mut Text, With<HelpText>>,
        Query<&mut Text, With<SettingsTitle>>,
    )>,
    rows: Query<(&SettingsRowButton, &Children, &mut BackgroundColor)>,
    mut row_texts: Query<(&mut Text, &mut TextColor), (Without<HelpText>, Without<SettingsTitle>)>,
) {
    if !(open.is_changed() || settings.is_changed() || meter.is_changed()) {
        return;
    }
    let show = |on: bool| if on { Display::Flex } else { Display::None };
    if let Ok(mut n) = panels.p0().single_mut() {
        n.display = show(open.settings);
    }
    if let Ok(mut n) = panels.p1().single_mut() {
        n.display = show(open.help);
    }
    let lang = settings.language;
    if let Ok(mut text) = texts.p0().single_mut() {
        text.0 = format!(
            "{}\n\n{}\n\n{}",
            t(&i18n, &settings, "help-title"),
            i18n.text(lang, "help-body", &[]),
            t(&i18n, &settings, "help-close")
        );
    }
    if let Ok(mut text) = texts.p1().single_mut() {
        text.0 = format!(
            "{}  ({})",
            t(&i18n, &settings, "settings-title"),
            t(&i18n, &settings, "settings-hint")
        );
    }
    let mut rows = rows;
    for (row, children, mut bg) in &mut rows {
        let selected = row.0 == open.settings_row;
        bg.0 = if selected {
            Color::srgba(1.0, 1.0, 1.0, 0.12)
        } else {
            Color::NONE
        };
        for child in children.iter() {
            if let Ok((mut text, mut color)) = row_texts.get_mut(child) {
                let marker = if selected { "> " } else { "   " };
                let label = SettingRow::ALL[row.0].label(&i18n, &settings, &meter);
                text.0 = format!("{marker}{label}");
                color.0 = if selected { style::ACCENT } else { style::TEXT };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::meter_bar;

    #[test]
    fn the_level_meter_fills_from_minus_sixty_dbov_to_zero() {
        assert_eq!(meter_bar(-127), "[----------]");
        assert_eq!(meter_bar(-30), "[#####-----]");
        assert_eq!(meter_bar(0), "[##########]");
    }
}
