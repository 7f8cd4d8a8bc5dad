//! What a visitor can change, kept between visits (the browser's localStorage).

use bevy::prelude::*;

use crate::platform::{load_setting, save_setting};

pub struct SettingsPlugin;

impl Plugin for SettingsPlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(Settings::load())
            .add_systems(Last, save_on_change);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    German,
    English,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::German => "de",
            Language::English => "en",
        }
    }

    pub fn from_code(code: &str) -> Language {
        if code.starts_with("en") {
            Language::English
        } else {
            Language::German
        }
    }

    /// The German or the English of a text kept in both.
    pub fn pick<'a>(self, de: &'a str, en: &'a str) -> &'a str {
        match self {
            Language::German => de,
            Language::English => en,
        }
    }

    pub fn other(self) -> Language {
        match self {
            Language::German => Language::English,
            Language::English => Language::German,
        }
    }
}

#[derive(Resource, Debug, Clone, PartialEq)]
pub struct Settings {
    pub language: Language,
    /// Mouse and touch look speed, 0.2–3.0 (1.0 = default).
    pub sensitivity: f32,
    /// Snap turns, no run, no camera glide: for people prone to motion sickness.
    pub reduce_motion: bool,
    pub third_person: bool,
    /// Shadows cost a lot on old laptops: off unless asked for.
    pub shadows: bool,
    /// Multisample anti-aliasing: the same, off unless asked for.
    pub smooth_edges: bool,
    /// Voice on the desktop (the browser's page bar keeps its own): in voice at all.
    pub voice: bool,
    /// Send whenever the microphone hears something instead of while M is held (headphones
    /// only: the desktop has no echo cancellation).
    pub open_mic: bool,
    /// Volume of the others' voices, 0.0–1.0 in tenths.
    pub voice_volume: f32,
    /// Hear only the two nearest voices (and the stage or guide): for people overwhelmed by
    /// many voices at once.
    pub nearest_voices: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            language: Language::German,
            sensitivity: 1.0,
            reduce_motion: false,
            third_person: false,
            shadows: false,
            smooth_edges: false,
            voice: true,
            open_mic: false,
            voice_volume: 1.0,
            nearest_voices: false,
        }
    }
}

pub const SENSITIVITY_RANGE: (f32, f32) = (0.2, 3.0);

impl Settings {
    fn load() -> Settings {
        let mut s = Settings::default();
        if let Some(lang) = load_setting("stadtlab.lang") {
            s.language = Language::from_code(&lang);
        }
        if let Some(v) = load_setting("stadtlab.sensitivity").and_then(|v| v.parse().ok()) {
            s.sensitivity = clamp_sensitivity(v);
        }
        s.reduce_motion = load_setting("stadtlab.reduce_motion").as_deref() == Some("1");
        s.third_person = load_setting("stadtlab.third_person").as_deref() == Some("1");
        s.shadows = load_setting("stadtlab.shadows").as_deref() == Some("1");
        s.smooth_edges = load_setting("stadtlab.smooth_edges").as_deref() == Some("1");
        s
    }

    pub fn nudge_sensitivity(&mut self, steps: i32) {
        self.sensitivity = clamp_sensitivity(self.sensitivity + steps as f32 * 0.1);
    }

    pub fn nudge_voice_volume(&mut self, steps: i32) {
        self.voice_volume = clamp_voice_volume(self.voice_volume + steps as f32 * 0.1);
    }
}

/// 0.0–1.0 in tenths (anything else, such as a flag's NaN, is full volume).
pub fn clamp_voice_volume(v: f32) -> f32 {
    if v.is_finite() {
        (v * 10.0).round().clamp(0.0, 10.0) / 10.0
    } else {
        1.0
    }
}

pub fn clamp_sensitivity(v: f32) -> f32 {
    if v.is_finite() {
        (v * 10.0)
            .round()
            .clamp(SENSITIVITY_RANGE.0 * 10.0, SENSITIVITY_RANGE.1 * 10.0)
            / 10.0
    } else {
        1.0
    }
}

fn save_on_change(settings: Res<Settings>) {
    if !settings.is_changed() || settings.is_added() {
        return;
    }
    let flag = |b: bool| if b { "1" } else { "0" };
    save_setting("stadtlab.lang", settings.language.code());
    save_setting("stadtlab.sensitivity", &settings.sensitivity.to_string());
    save_setting("stadtlab.reduce_motion", flag(settings.reduce_motion));
    save_setting("stadtlab.third_person", flag(settings.third_person));
    save_setting("stadtlab.shadows", flag(settings.shadows));
    save_setting("stadtlab.smooth_edges", flag(settings.smooth_edges));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitivity_stays_in_range_and_on_tenths() {
        let mut s = Settings::default();
        s.nudge_sensitivity(100);
        assert_eq!(s.sensitivity, SENSITIVITY_RANGE.1);
        s.nudge_sensitivity(-1);
        assert_eq!(s.sensitivity, 2.9);
        assert_eq!(clamp_sensitivity(f32::NAN), 1.0);
        assert_eq!(clamp_sensitivity(-4.0), SENSITIVITY_RANGE.0);
    }

    #[test]
    fn voice_volume_stays_between_silent_and_full() {
        let mut s = Settings::default();
        s.nudge_voice_volume(3);
        assert_eq!(s.voice_volume, 1.0);
        s.nudge_voice_volume(-4);
        assert_eq!(s.voice_volume, 0.6);
        s.nudge_voice_volume(-20);
        assert_eq!(s.voice_volume, 0.0);
        assert_eq!(clamp_voice_volume(f32::NAN), 1.0);
    }
}
