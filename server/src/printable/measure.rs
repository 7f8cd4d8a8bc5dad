//! Sizes that come from the corners alone: volume (from positions, not from the normals a
//! file stores, which exporters get wrong), surface, and the area that would hang in the
//! air in each of the six ways the model can lie on the bed.

use glam::{DVec3, Vec3};

use super::mesh::Mesh;

/// Cubic millimetres; negative when the faces point inwards.
pub fn signed_volume(mesh: &Mesh) -> f64 {
    let mut sum = 0.0;
    for t in 0..mesh.triangles.len() {
        let [a, b, c] = mesh.corners(t).map(|p| p.as_dvec3());
        sum += a.dot(b.cross(c));
    }
    sum / 6.0
}

/// Square millimetres.
pub fn area(mesh: &Mesh) -> f64 {
    (0..mesh.triangles.len())
        .map(|t| triangle_area(mesh.corners(t)))
        .sum()
}

pub fn triangle_area([a, b, c]: [Vec3; 3]) -> f64 {
    let (a, b, c) = (a.as_dvec3(), b.as_dvec3(), c.as_dvec3());
    (b - a).cross(c - a).length() * 0.5
}

/// The six ways to lie on the bed: which way of the file is up.
pub const ORIENTATIONS: [(&str, Vec3); 6] = [
    ("+z", Vec3::Z),
    ("-z", Vec3::NEG_Z),
    ("+x", Vec3::X),
    ("-x", Vec3::NEG_X),
    ("+y", Vec3::Y),
    ("-y", Vec3::NEG_Y),
];

/// Faces tilted further than this from the vertical, facing down, need support (the
/// "45° rule"; Cura measures its overhang angle the same way, from the vertical).
pub const OVERHANG_DEGREES: f32 = 45.0;
/// Faces this close to the bed lie on it and need nothing.
const ON_BED_MM: f32 = 0.05;

/// Down-facing area (mm²) per orientation, in the order of [`ORIENTATIONS`].
pub fn overhang_areas(mesh: &Mesh) -> [f64; 6] {
    let Some(bounds) = mesh.bounds() else {
        return [0.0; 6];
    };
    let mut areas = [0.0; 6];
    for t in 0..mesh.triangles.len() {
        let corners = mesh.corners(t);
        for (o, (_, up)) in ORIENTATIONS.iter().enumerate() {
            if let Some(area) = hanging_area(corners, *up, bounds) {
                areas[o] += area;
            }
        }
    }
    areas
}

/// The triangles that hang in the air standing as the file does (+z up), largest first, at
/// most `limit`: the view highlights them.
pub fn hanging_as_is(mesh: &Mesh, limit: usize) -> Vec<usize> {
    let Some(bounds) = mesh.bounds() else {
        return Vec::new();
    };
    let mut hanging: Vec<(f64, usize)> = (0..mesh.triangles.len())
        .filter_map(|t| hanging_area(mesh.corners(t), Vec3::Z, bounds).map(|a| (a, t)))
        .collect();
    hanging.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    hanging.into_iter().take(limit).map(|(_, t)| t).collect()
}

/// The area (mm²) of a triangle that needs support with `up` as up, or `None`: it faces down
/// more than [`OVERHANG_DEGREES`] from the vertical and does not lie on the bed.
fn hanging_area([a, b, c]: [Vec3; 3], up: Vec3, (lo, hi): (Vec3, Vec3)) -> Option<f64> {
    let cross = (b - a).cross(c - a).as_dvec3();
    let len = cross.length();
    if len == 0.0 {
        return None;
    }
    let limit = OVERHANG_DEGREES.to_radians().sin() as f64;
    let up = up.as_dvec3();
    if (cross / len).dot(up) >= -limit {
        return None;
    }
    // The bed is at the lowest point along `up`.
    let bed = if up.max_element() > 0.0 {
        lo.as_dvec3().dot(up)
    } else {
        hi.as_dvec3().dot(up)
    };
    let heights = [a, b, c].map(|p| p.as_dvec3().dot(up) - bed);
    let on_bed = heights.iter().all(|h| *h < ON_BED_MM as f64);
    (!on_bed).then_some(len * 0.5)
}

/// The file's points (used ones only), for turning the model on the bed.
pub fn used_points(mesh: &Mesh) -> Vec<DVec3> {
    let mut used = vec![false; mesh.positions.len()];
    for t in &mesh.triangles {
        for &i in t {
            used[i as usize] = true;
        }
    }
    mesh.positions
        .iter()
        .zip(used)
        .filter(|(_, u)| *u)
        .map(|(p, _)| p.as_dvec3())
        .collect()
}
