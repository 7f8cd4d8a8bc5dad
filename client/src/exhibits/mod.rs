//! Exhibits in the room: the list the server keeps us up to date with, pedestals with titles
//! and lazily loaded models, and the inspect view.
//!
//! - [`list`]: which exhibits the room shows (logic: works without a window)
//! - [`stands`], [`download`], [`model`]: pedestals, titles, model downloads and GLB reading
//! - [`inspect`]: opening and orbiting; [`info_panel`]: the near hint and the info panel;
//!   [`pictures`]: the panel's pictures and panel boards
//! - [`printable`]: printable models: "Zum Nachdrucken", downloads, the print bed

pub mod download;
pub mod info_panel;
pub mod inspect;
pub mod list;
pub mod model;
pub mod pictures;
pub mod print_problems;
pub mod printable;
pub mod rating;
pub mod stands;

use bevy::prelude::*;

/// The exhibit list, kept from server messages.
pub struct ExhibitListPlugin;

impl Plugin for ExhibitListPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<list::ShownExhibits>()
            .add_systems(PreUpdate, list::track.after(crate::net::NetSet::Receive));
    }
}

/// What the visitor sees of exhibits.
pub struct ExhibitsPlugin;

impl Plugin for ExhibitsPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<stands::ModelLoads>()
            .init_resource::<pictures::PanelPictures>()
            .init_resource::<inspect::Inspecting>()
            .init_resource::<inspect::NearExhibit>()
            .init_resource::<printable::Printable>()
            .init_resource::<rating::Ratings>()
            .add_systems(Startup, (stands::setup, info_panel::spawn_ui))
            .add_systems(
                Update,
                (
                    (
                        stands::sync,
                        stands::queue_downloads,
                        stands::receive_models,
                        pictures::dress_boards,
                    )
                        .chain(),
                    inspect::click
                        .after(crate::controls::look::mouse_look)
                        .before(crate::controls::click_walk::pick_target),
                    (
                        inspect::find_near,
                        inspect::page_requests,
                        inspect::keys,
                        info_panel::buttons,
                        rating::report_inspect,
                        rating::answers,
                        printable::ask,
                        printable::receive,
                        printable::keys,
                        printable::show_bed,
                        print_problems::show,
                        inspect::orbit,
                        info_panel::refresh_ui,
                        pictures::fetch,
                        pictures::show,
                    )
                        .chain()
                        .after(crate::controls::ControlsSet),
                    inspect::place_camera.after(crate::camera::CameraSet),
                ),
            );
    }
}
