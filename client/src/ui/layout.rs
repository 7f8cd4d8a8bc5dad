//! Laying the panels out for the screen they are on, in CSS pixels (the window's logical
//! size: a phone is ~390 wide, a laptop at 200 % zoom ~640–680). On a narrow screen the tool bar
//! and the chat move to the top, smaller, so that both thumbs have the bottom of the screen
//! (the joystick starts wherever the left thumb lands); the help card fits and closes with
//! one tap.

use bevy::prelude::*;
use bevy::window::PrimaryWindow;

use super::OpenPanels;
use super::chat::{ChatInput, ChatPanel};
use super::hud::Toolbar;
use super::panels::HelpPanel;
use super::style;

/// Narrower than this (logical pixels): the compact layout (phones; tablets and laptops,
/// also at 200 % zoom on a 1280 px screen, keep the bar at the bottom right).
pub const COMPACT_BELOW_PX: f32 = 600.0;

/// The screen is narrow (a phone, or a laptop zoomed in).
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Compact(pub bool);

/// Chat lines shown in the compact layout while the chat is closed.
pub const COMPACT_LINES: usize = 2;

pub fn detect(windows: Query<&Window, With<PrimaryWindow>>, mut compact: ResMut<Compact>) {
    let Ok(window) = windows.single() else {
        return;
    };
    let narrow = window.width() < COMPACT_BELOW_PX;
    if compact.0 != narrow {
        compact.0 = narrow;
    }
}

#[allow(clippy::type_complexity)]
pub fn apply(
    compact: Res<Compact>,
    mut toolbar: Query<&mut Node, (With<Toolbar>, Without<ChatPanel>)>,
    mut chat: Query<&mut Node, (With<ChatPanel>, Without<Toolbar>)>,
    buttons: Query<&Children, With<Button>>,
    mut fonts: Query<&mut TextFont>,
    bars: Query<&Children, With<Toolbar>>,
) {
    if !compact.is_changed() {
        return;
    }
    let narrow = compact.0;
    if let Ok(mut bar) = toolbar.single_mut() {
        if narrow {
            // A row at the top right, under the status line; it wraps rather than leaving the screen.
            bar.top = Val::Px(48.0);
            bar.bottom = Val::Auto;
            bar.right = Val::Px(6.0);
            bar.left = Val::Px(6.0);
            bar.justify_content = JustifyContent::FlexEnd;
            bar.flex_wrap = FlexWrap::Wrap;
            bar.column_gap = Val::Px(4.0);
            bar.row_gap = Val::Px(4.0);
        } else {
            bar.top = Val::Auto;
            bar.bottom = Val::Px(10.0);
            bar.right = Val::Px(10.0);
            bar.left = Val::Auto;
            bar.justify_content = JustifyContent::default();
            bar.flex_wrap = FlexWrap::NoWrap;
            bar.column_gap = Val::Px(8.0);
        }
    }
    if let Ok(mut panel) = chat.single_mut() {
        if narrow {
            panel.top = Val::Px(100.0);
            panel.bottom = Val::Auto;
            panel.left = Val::Px(6.0);
            panel.right = Val::Px(6.0);
            panel.min_width = Val::Auto;
            panel.max_width = Val::Percent(100.0);
            panel.padding = UiRect::all(Val::Px(6.0));
        } else {
            panel.top = Val::Auto;
            panel.bottom = Val::Px(10.0);
            panel.left = Val::Px(10.0);
            panel.right = Val::Auto;
            panel.min_width = Val::Px(260.0);
            panel.max_width = Val::Percent(45.0);
            panel.padding = UiRect::all(Val::Px(12.0));
        }
    }
    // Smaller type on the tool bar's buttons.
    let px = if narrow { 14.0 } else { style::BODY_PX };
    for children in &bars {
        for button in children.iter() {
            if let Ok(texts) = buttons.get(button) {
                for text in texts.iter() {
                    if let Ok(mut font) = fonts.get_mut(text) {
                        font.font_size = FontSize::Px(px);
                    }
                }
            }
        }
    }
}

/// The help card closes with one tap (or click) anywhere on it.
pub fn tap_closes_help(
    help: Query<&Interaction, (With<HelpPanel>, Changed<Interaction>)>,
    touches: Res<bevy::input::touch::Touches>,
    windows: Query<&Window, With<bevy::window::PrimaryWindow>>,
    placed: Query<(&HelpPanel, &ComputedNode, &UiGlobalTransform)>,
    input: Res<ChatInput>,
    mut open: ResMut<OpenPanels>,
) {
    if input.open || !open.help {
        return;
    }
    let clicked =
        super::taps::mouse_frame(&touches) && help.iter().any(|i| *i == Interaction::Pressed);
    if clicked || !super::taps::tapped(&touches, super::taps::scale(&windows), &placed).is_empty() {
        open.help = false;
    }
}
