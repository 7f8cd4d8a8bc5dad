//! Where the buttons are on screen, in CSS pixels, for the state hook: tests tap them on a
//! touch screen, and accessibility tools can find them without seeing the canvas.

use bevy::prelude::*;
use serde::Serialize;

use super::hud::ToolButton;
use super::people::{PersonAction, PersonRow};
use super::stage_bar::StageButton;
use crate::class_visit::tools::TourButton;

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct ButtonRect {
    /// `chat`, `people`, `settings`, `help`, a guide tool (`follow`, `gather`, …), a talk button
    /// (`hand`, `speak`, `decline`), a row of the people list (`person-7`) or an action on it
    /// (`mute-7`, `report-7`, …), a button of the exhibit panel (`download`, `bed`, `star-4`, …).
    pub name: String,
    /// Centre and size, CSS pixels.
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// The buttons shown now, and the window's logical size.
#[derive(Resource, Debug, Default)]
pub struct ButtonRects(pub Vec<ButtonRect>, pub [f32; 2]);

pub fn publish(
    windows: Query<&Window, With<bevy::window::PrimaryWindow>>,
    tools: Query<(&ToolButton, &ComputedNode, &UiGlobalTransform)>,
    tours: Query<(&TourButton, &ComputedNode, &UiGlobalTransform)>,
    stage: Query<(&StageButton, &ComputedNode, &UiGlobalTransform)>,
    rows: Query<(&PersonRow, &ComputedNode, &UiGlobalTransform)>,
    actions: Query<(&PersonAction, &ComputedNode, &UiGlobalTransform)>,
    info: Query<(
        &crate::exhibits::info_panel::InfoButton,
        &ComputedNode,
        &UiGlobalTransform,
    )>,
    mut rects: ResMut<ButtonRects>,
) {
    let rect = |name: String, node: &ComputedNode, at: &UiGlobalTransform| {
        let scale = node.inverse_scale_factor();
        let size = node.size() * scale;
        let centre = at.affine().translation * scale;
        (size.x > 0.0).then_some(ButtonRect {
            name,
            x: centre.x.round(),
            y: centre.y.round(),
            w: size.x.round(),
            h: size.y.round(),
        })
    };
    let list: Vec<ButtonRect> = tools
        .iter()
        .filter_map(|(b, n, t)| rect(format!("{b:?}").to_lowercase(), n, t))
        .chain(
            tours
                .iter()
                .filter_map(|(b, n, t)| rect(format!("{b:?}").to_lowercase(), n, t)),
        )
        .chain(
            stage
                .iter()
                .filter_map(|(b, n, t)| rect(format!("{b:?}").to_lowercase(), n, t)),
        )
        .chain(
            rows.iter()
                .filter_map(|(r, n, t)| rect(format!("person-{}", r.0), n, t)),
        )
        .chain(
            actions
                .iter()
                .filter_map(|(a, n, t)| rect(format!("{}-{}", a.1.name(), a.0), n, t)),
        )
        .chain(info.iter().filter_map(|(b, n, t)| rect(b.name(), n, t)))
        .collect();
    if rects.0 != list {
        rects.0 = list;
    }
    if let Ok(w) = windows.single() {
        let size = [w.width(), w.height()];
        if rects.1 != size {
            rects.1 = size;
        }
    }
}
