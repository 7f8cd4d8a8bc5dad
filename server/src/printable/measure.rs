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
    let Some((lo, hi)) = mesh.bounds() else {
        return [0.0; 6];
    };
    let limit = OVERHANG_DEGREES.to_radians().sin();
    let mut areas = [0.0; 6];
    for t in 0..mesh.triangles.len() {
        let [a, b, c] = mesh.corners(t);
        let cross = (b - a).cross(c - a).as_dvec3();
        let len = cross.length();
        if len == 0.0 {
            continue;
        }
        let n = cross / len;
        let area = len * 0.5;
        for (o, (_, up)) in ORIENTATIONS.iter().enumerate() {
            let up = up.as_dvec3();
            if n.dot(up) >= -(limit as f64) {
                continue;
            }
            // The bed is at the lowest point along `up`.
            let bed = if up.max_element() > 0.0 {
                lo.as_dvec3().dot(up)
            } else {
                hi.as_dvec3().dot(up)
            };
            let lowest = [a, b, c]
                .map(|p| p.as_dvec3().dot(up))
                .into_iter()
                .fold(f64::MAX, f64::min);
            let highest = [a, b, c]
                .map(|p| p.as_dvec3().dot(up))
                .into_iter()
                .fold(f64::MIN, f64::max);
            if lowest - bed < ON_BED_MM as f64 && highest - bed < ON_BED_MM as f64 {
                continue;
            }
            areas[o] += area;
        }
    }
    areas
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
