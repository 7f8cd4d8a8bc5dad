//! The pictures on an exhibit's info panel: fetched when the panel opens (the server hands out
//! PNGs of at most 1024 px), shown in a row under the text.

use std::collections::{HashMap, HashSet};

use bevy::asset::RenderAssetUsages;
use bevy::image::{CompressedImageFormats, ImageSampler, ImageType};
use bevy::prelude::*;

use super::download::{self, Inbox};
use super::inspect::Inspecting;
use super::list::ShownExhibits;
use crate::launch::Launch;

/// Width of a picture on the panel, pixels.
const PICTURE_PX: f32 = 112.0;

#[derive(Resource, Default)]
pub struct PanelPictures {
    loaded: HashMap<String, Handle<Image>>,
    requested: HashSet<String>,
    inbox: Inbox,
}

/// The row of pictures in the info panel.
#[derive(Component)]
pub struct PictureRow;

impl PanelPictures {
    /// Starts downloading `path` unless it is already on its way.
    pub fn want(&mut self, path: &str, launch: &Launch) {
        if self.requested.insert(path.to_string()) {
            let url = format!("{}{path}", launch.http_base.trim_end_matches('/'));
            download::start(url, path.to_string(), self.inbox.clone());
        }
    }

    pub fn get(&self, path: &str) -> Option<&Handle<Image>> {
        self.loaded.get(path)
    }
}

/// A panel exhibit's board, showing `picture` once it has arrived.
#[derive(Component, Debug, Clone)]
pub struct Board {
    pub picture: String,
}

/// Puts each board's picture on it as soon as it is loaded.
pub fn dress_boards(
    mut commands: Commands,
    boards: Query<(Entity, &Board, &MeshMaterial3d<StandardMaterial>)>,
    pictures: Res<PanelPictures>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    if !pictures.is_changed() {
        return;
    }
    for (entity, board, material) in &boards {
        if let (Some(picture), Some(mut m)) =
            (pictures.get(&board.picture), materials.get_mut(&material.0))
        {
            m.base_color_texture = Some(picture.clone());
            commands.entity(entity).remove::<Board>();
        }
    }
}

/// Starts downloads for the open exhibit's pictures; turns finished ones into images.
pub fn fetch(
    inspecting: Res<Inspecting>,
    shown: Res<ShownExhibits>,
    launch: Res<Launch>,
    mut pictures: ResMut<PanelPictures>,
    mut images: ResMut<Assets<Image>>,
) {
    if let Some(exhibit) = inspecting.id.as_ref().and_then(|id| shown.by_id.get(id)) {
        for path in &exhibit.images {
            // Asking is not a change: only an arrived picture redraws the panel and boards.
            pictures.bypass_change_detection().want(path, &launch);
        }
    }
    let done: Vec<_> =
        std::mem::take(&mut *pictures.inbox.lock().unwrap_or_else(|e| e.into_inner()));
    for (path, result) in done {
        let image = result.ok().and_then(|bytes| {
            Image::from_buffer(
                &bytes,
                ImageType::Extension("png"),
                CompressedImageFormats::NONE,
                true,
                ImageSampler::linear(),
                RenderAssetUsages::RENDER_WORLD,
            )
            .ok()
        });
        match image {
            Some(image) => {
                let handle = images.add(image);
                pictures.loaded.insert(path, handle);
            }
            None => warn!("panel picture {path} could not be shown"),
        }
    }
}

/// Redraws the row when the panel opens or a picture arrives.
pub fn show(
    mut commands: Commands,
    inspecting: Res<Inspecting>,
    shown: Res<ShownExhibits>,
    pictures: Res<PanelPictures>,
    rows: Query<Entity, With<PictureRow>>,
) {
    if !(inspecting.is_changed() || pictures.is_changed()) {
        return;
    }
    let Ok(row) = rows.single() else { return };
    commands.entity(row).despawn_related::<Children>();
    let Some(exhibit) = inspecting.id.as_ref().and_then(|id| shown.by_id.get(id)) else {
        return;
    };
    for path in &exhibit.images {
        if let Some(handle) = pictures.loaded.get(path) {
            let child = commands
                .spawn((
                    ImageNode::new(handle.clone()),
                    Node {
                        width: Val::Px(PICTURE_PX),
                        ..default()
                    },
                ))
                .id();
            commands.entity(row).add_child(child);
        }
    }
}
