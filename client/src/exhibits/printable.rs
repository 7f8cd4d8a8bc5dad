//! Printable exhibits in the inspect view: what the server's report says for people who want
//! to print it ("Zum Nachdrucken": size, printers it fits, how hard, licence), the downloads,
//! and the print bed: the model at true size on a bed with a 1 cm grid, beside a 1-euro coin.

use bevy::prelude::*;
use serde::Deserialize;
use stadtlab_shared::scene::PEDESTAL_HEIGHT;

use super::download::{self, Inbox};
use super::inspect::Inspecting;
use super::stands::{ModelRoot, Stand};
use crate::launch::Launch;

/// The parts of `GET /api/exhibits/{id}/print` the client shows.
#[derive(Deserialize, Clone, Debug, PartialEq)]
pub struct PrintInfo {
    pub licence_name: DeEn,
    pub download_url: Option<String>,
    pub repaired_url: Option<String>,
    /// The view was scaled by this to fit its pedestal.
    pub view_scale: f32,
    pub report: PrintFigures,
}

#[derive(Deserialize, Clone, Debug, PartialEq)]
pub struct DeEn {
    pub de: String,
    pub en: String,
}

#[derive(Deserialize, Clone, Debug, PartialEq)]
pub struct PrintFigures {
    pub size_mm: [f32; 3],
    /// `easy`, `medium`, `hard`.
    pub difficulty: String,
    pub printers: Vec<PrinterFit>,
    /// Where the problems are, in the file's millimetres (see `print_problems`).
    #[serde(default)]
    pub open_edge_segments: Vec<[[f32; 3]; 2]>,
    #[serde(default)]
    pub overhang_triangles: Vec<[[f32; 3]; 3]>,
    #[serde(default)]
    pub bounds_mm: [[f32; 3]; 2],
}

impl PrintFigures {
    pub fn has_problem_spots(&self) -> bool {
        !self.open_edge_segments.is_empty() || !self.overhang_triangles.is_empty()
    }
}

#[derive(Deserialize, Clone, Debug, PartialEq)]
pub struct PrinterFit {
    pub printer: String,
    /// `as_is`, `turned_on_bed`, `on_its_side`, `too_large`.
    pub fit: String,
}

/// The inspected exhibit's print information and whether its print bed is shown.
#[derive(Resource, Default)]
pub struct Printable {
    /// The exhibit the information is for (asked or arrived).
    pub id: Option<String>,
    pub info: Option<PrintInfo>,
    pub bed: bool,
    /// Overhangs and holes highlighted on the model.
    pub problems: bool,
    inbox: Inbox,
}

/// Everything drawn for the print bed (removed when it is switched off).
#[derive(Component)]
pub struct PrintBed;

/// A 1-euro coin: 23.25 mm across, 2.33 mm thick.
const COIN: (f32, f32) = (0.023_25, 0.002_33);
const GRID_STEP: f32 = 0.01;

/// Asks the server when another exhibit is inspected; forgets when the view closes.
pub fn ask(inspecting: Res<Inspecting>, launch: Res<Launch>, mut printable: ResMut<Printable>) {
    if !inspecting.is_changed() || inspecting.id == printable.id {
        return;
    }
    printable.id = inspecting.id.clone();
    printable.info = None;
    printable.bed = false;
    printable.problems = false;
    if let Some(id) = &inspecting.id {
        let url = format!(
            "{}/api/exhibits/{id}/print",
            launch.http_base.trim_end_matches('/')
        );
        download::start(url, id.clone(), printable.inbox.clone());
    }
}

/// Takes the answer (a 404 means the exhibit is not printable: nothing is shown).
pub fn receive(mut printable: ResMut<Printable>) {
    let done: Vec<_> =
        std::mem::take(&mut *printable.inbox.lock().unwrap_or_else(|e| e.into_inner()));
    for (id, result) in done {
        if printable.id.as_deref() != Some(id.as_str()) {
            continue;
        }
        printable.info = result
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    }
}

/// B switches the print bed, G the problem spots, while a printable exhibit is inspected.
pub fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    focus: Res<crate::controls::UiFocus>,
    mut printable: ResMut<Printable>,
) {
    if focus.typing || printable.info.is_none() {
        return;
    }
    if keys.just_pressed(KeyCode::KeyB) {
        printable.bed = !printable.bed;
    }
    if keys.just_pressed(KeyCode::KeyG)
        && printable
            .info
            .as_ref()
            .is_some_and(|i| i.report.has_problem_spots())
    {
        printable.problems = !printable.problems;
    }
}

/// Draws or removes the bed; the model goes to true size on it and back.
pub fn show_bed(
    mut commands: Commands,
    printable: Res<Printable>,
    mut inspecting: ResMut<Inspecting>,
    stands: Query<(Entity, &Stand, &Children)>,
    mut roots: Query<&mut Transform, With<ModelRoot>>,
    beds: Query<Entity, With<PrintBed>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    if !printable.is_changed() {
        return;
    }
    for bed in &beds {
        commands.entity(bed).despawn();
    }
    for mut root in &mut roots {
        root.scale = Vec3::ONE;
        root.translation.y = PEDESTAL_HEIGHT;
    }
    let (Some(id), Some(info)) = (&printable.id, &printable.info) else {
        return;
    };
    let Some((stand_entity, stand, children)) = stands.iter().find(|(_, s, _)| &s.id == id) else {
        return;
    };
    if !printable.bed {
        inspecting.target = stand.centre;
        inspecting.nearest = super::inspect::DISTANCE.0;
        inspecting.distance = inspecting.distance.max(inspecting.nearest);
        return;
    }
    let true_size = 1.0 / info.view_scale.max(1e-6);
    let top = PEDESTAL_HEIGHT + 0.001;
    for child in children.iter() {
        if let Ok(mut root) = roots.get_mut(child) {
            root.scale = Vec3::splat(true_size);
            root.translation.y = top + 0.0004;
        }
    }
    let [w, d, h] = info.report.size_mm.map(|v| v * 0.001);
    let side = (w.max(d) * 1.6).clamp(0.1, 0.3);
    let turn = Quat::from_rotation_y(stand.yaw);
    let plate = materials.add(StandardMaterial {
        base_color: Color::srgb(0.12, 0.12, 0.13),
        perceptual_roughness: 0.6,
        ..default()
    });
    let line = materials.add(StandardMaterial {
        base_color: Color::srgb(0.55, 0.58, 0.6),
        unlit: true,
        ..default()
    });
    let coin = materials.add(StandardMaterial {
        base_color: Color::srgb(0.83, 0.69, 0.22),
        metallic: 0.8,
        perceptual_roughness: 0.35,
        ..default()
    });
    let mut spawn = |mesh: Mesh, material: Handle<StandardMaterial>, at: Vec3| {
        let e = commands
            .spawn((
                PrintBed,
                Mesh3d(meshes.add(mesh)),
                MeshMaterial3d(material),
                Transform::from_translation(turn * at).with_rotation(turn),
            ))
            .id();
        commands.entity(stand_entity).add_child(e);
    };
    spawn(
        Cuboid::new(side, 0.002, side).into(),
        plate,
        Vec3::new(0.0, top - 0.001, 0.0),
    );
    let lines = (side / GRID_STEP) as i32;
    for k in 0..=lines {
        let offset = -side / 2.0 + k as f32 * GRID_STEP;
        let width = if k % 5 == 0 { 0.0012 } else { 0.0005 };
        spawn(
            Cuboid::new(width, 0.0004, side).into(),
            line.clone(),
            Vec3::new(offset, top + 0.0002, 0.0),
        );
        spawn(
            Cuboid::new(side, 0.0004, width).into(),
            line.clone(),
            Vec3::new(0.0, top + 0.0002, offset),
        );
    }
    spawn(
        Cylinder::new(COIN.0 / 2.0, COIN.1).into(),
        coin,
        Vec3::new(w / 2.0 + 0.02, top + COIN.1 / 2.0, 0.0),
    );
    // Look at the model where it now stands, from close enough to see a coin.
    inspecting.target = stand.centre - Vec3::Y * (stand.centre.y - top - h / 2.0);
    inspecting.nearest = (w.max(d).max(h) * 2.0).clamp(0.08, super::inspect::DISTANCE.0);
    inspecting.distance = (w.max(d).max(h) * 5.0).clamp(inspecting.nearest, 1.5);
}

/// "40 × 25 × 55 mm · passt auf: A1 mini, MK4 · leicht zu drucken · CC BY 4.0"
pub fn summary(info: &PrintInfo, german: bool) -> String {
    let size = info.report.size_mm.map(|v| format!("{v:.0}")).join(" × ");
    let fits: Vec<&str> = info
        .report
        .printers
        .iter()
        .filter(|p| p.fit != "too_large")
        .map(|p| p.printer.as_str())
        .collect();
    let (fits_word, none, licence) = if german {
        (
            "passt auf",
            "passt auf keinen der Drucker",
            &info.licence_name.de,
        )
    } else {
        ("fits", "fits none of the printers", &info.licence_name.en)
    };
    let difficulty = match (info.report.difficulty.as_str(), german) {
        ("easy", true) => "leicht zu drucken",
        ("medium", true) => "mittelschwer zu drucken",
        (_, true) => "schwer zu drucken",
        ("easy", false) => "easy to print",
        ("medium", false) => "medium to print",
        (_, false) => "hard to print",
    };
    let fits = if fits.is_empty() {
        none.to_string()
    } else {
        format!("{fits_word}: {}", fits.join(", "))
    };
    format!("{size} mm · {fits} · {difficulty} · {licence}")
}
