//! Shared looks: readable sizes, high contrast (white on near-black, ≥ 12:1).

use bevy::prelude::*;

pub const TEXT: Color = Color::srgb(0.97, 0.97, 0.97);
pub const MUTED: Color = Color::srgb(0.8, 0.82, 0.86);
pub const PANEL: Color = Color::srgba(0.06, 0.07, 0.1, 0.86);
pub const ACCENT: Color = Color::srgb(1.0, 0.84, 0.3);
pub const BODY_PX: f32 = 17.0;
pub const TITLE_PX: f32 = 20.0;

/// DejaVu Sans cut to Latin script and UI symbols (assets/fonts/make-subset.sh): Bevy's own
/// default font is ASCII only, and German needs ä, ö, ü, ß.
const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-stadtlab.ttf");

/// Installs our font as the default one every `TextFont` uses.
pub fn install_font(mut fonts: ResMut<Assets<Font>>) {
    let _ = fonts.insert(&Handle::<Font>::default(), Font::from_bytes(FONT.to_vec()));
}

pub fn font(px: f32) -> TextFont {
    TextFont::from_font_size(px)
}

pub fn panel_node() -> Node {
    Node {
        position_type: PositionType::Absolute,
        flex_direction: FlexDirection::Column,
        padding: UiRect::all(Val::Px(12.0)),
        row_gap: Val::Px(6.0),
        ..default()
    }
}

/// A layer over the whole screen (not itself pressable): for centring a panel, or a fade.
pub fn full_screen() -> Node {
    Node {
        position_type: PositionType::Absolute,
        left: Val::Px(0.0),
        right: Val::Px(0.0),
        top: Val::Px(0.0),
        bottom: Val::Px(0.0),
        ..default()
    }
}

/// A button with one text line, at least 40 px high (a finger's width on a phone).
pub fn button(background: Color) -> impl Bundle {
    (
        Button,
        Node {
            padding: UiRect::axes(Val::Px(12.0), Val::Px(8.0)),
            min_height: Val::Px(40.0),
            align_items: AlignItems::Center,
            ..default()
        },
        BackgroundColor(background),
        children![(Text::new(""), font(BODY_PX), TextColor(TEXT))],
    )
}
