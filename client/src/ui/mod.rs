//! The panels over the 3D view: status line and toolbar, chat, people, settings, help, and
//! labels that follow things in the room (name tags, zone names). Every action has a key;
//! every button can also be clicked or tapped.

pub mod chat;
pub mod closing_panel;
pub mod hud;
pub mod labels;
pub mod layout;
pub mod page_line;
pub mod panels;
pub mod people;
pub mod rects;
pub mod stage_bar;
pub mod style;
pub mod taps;

use bevy::prelude::*;

use crate::controls::UiFocus;

pub struct UiPlugin;

impl Plugin for UiPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<OpenPanels>()
            .init_resource::<chat::ChatInput>()
            .init_resource::<layout::Compact>()
            .init_resource::<rects::ButtonRects>()
            .init_resource::<people::Selected>()
            .add_systems(PreStartup, style::install_font)
            .add_systems(
                Startup,
                (
                    hud::spawn,
                    chat::spawn,
                    panels::spawn,
                    people::spawn,
                    stage_bar::spawn,
                    closing_panel::spawn,
                    open_help_on_first_visit,
                ),
            )
            .add_systems(
                Update,
                (
                    (
                        shortcuts,
                        chat::type_text,
                        chat::page_lines,
                        page_line::sync,
                        panels::settings_keys,
                        hud::toolbar_clicks,
                        people::clicks,
                        stage_bar::clicks,
                        layout::tap_closes_help,
                    ),
                    (layout::detect, layout::apply).chain(),
                    track_focus,
                    (
                        hud::refresh,
                        hud::draw_joystick,
                        chat::refresh,
                        panels::refresh,
                        people::refresh,
                        stage_bar::refresh,
                        closing_panel::refresh,
                    ),
                )
                    .chain()
                    .before(crate::controls::ControlsSet),
            )
            .add_systems(
                PostUpdate,
                (
                    (labels::spawn_name_tags, labels::place_labels).chain(),
                    rects::publish.after(bevy::ui::UiSystems::Layout),
                ),
            );
    }
}

/// Which panels are open.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct OpenPanels {
    pub people: bool,
    pub settings: bool,
    pub help: bool,
    /// The highlighted settings row.
    pub settings_row: usize,
    /// An exhibit is being inspected (walking pauses).
    pub inspecting: bool,
}

fn open_help_on_first_visit(mut open: ResMut<OpenPanels>) {
    if crate::platform::load_setting("stadtlab.seen_help").is_none() {
        open.help = true;
        crate::platform::save_setting("stadtlab.seen_help", "1");
    }
}

fn shortcuts(
    keys: Res<ButtonInput<KeyCode>>,
    input: Res<chat::ChatInput>,
    mut open: ResMut<OpenPanels>,
) {
    if input.open {
        return;
    }
    if keys.just_pressed(KeyCode::KeyP) {
        open.people = !open.people;
    }
    if keys.just_pressed(KeyCode::KeyO) {
        open.settings = !open.settings;
        open.help = false;
    }
    if keys.just_pressed(KeyCode::F1) || keys.just_pressed(KeyCode::KeyH) {
        open.help = !open.help;
        open.settings = false;
    }
    if keys.just_pressed(KeyCode::Escape) {
        open.settings = false;
        open.help = false;
    }
    let walking = [
        KeyCode::KeyW,
        KeyCode::KeyA,
        KeyCode::KeyS,
        KeyCode::KeyD,
        KeyCode::ArrowUp,
        KeyCode::ArrowDown,
    ];
    if open.help && !open.settings && keys.any_just_pressed(walking) {
        open.help = false;
    }
}

/// Tells the controls when keys are text and clicks belong to a panel.
fn track_focus(
    input: Res<chat::ChatInput>,
    open: Res<OpenPanels>,
    hovered: Query<&Interaction>,
    mut focus: ResMut<UiFocus>,
) {
    let next = UiFocus {
        typing: input.open,
        // Help does not hold anyone back: walking closes it (see `shortcuts`).
        menu_open: open.settings || open.inspecting,
        pointer_over_ui: hovered.iter().any(|i| *i != Interaction::None),
    };
    if focus.typing != next.typing
        || focus.menu_open != next.menu_open
        || focus.pointer_over_ui != next.pointer_over_ui
    {
        *focus = next;
    }
}
