//! How thick the walls are, estimated the way Meshmixer's and Netfabb's thickness analyses
//! do: from points on the surface, a ray goes straight inwards; the distance to the first
//! face that looks back at it is the wall there. Needs a consistently oriented mesh.

use glam::Vec3;

use super::bvh::Bvh;
use super::limits::WALL_SAMPLES;
use super::measure::triangle_area;
use super::mesh::Mesh;

/// Walls thinner than this fail on an FDM printer with a 0.4 mm nozzle (two perimeters).
pub const THIN_MM: f32 = 0.8;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Walls {
    /// The thickness 5 % of the sampled surface is under (millimetres), if rays hit.
    pub p5_mm: Option<f32>,
    /// Share of the sampled surface with walls under [`THIN_MM`], 0–1.
    pub thin_share: f32,
    pub samples: usize,
}

pub fn estimate(mesh: &Mesh, bvh: &Bvh) -> Walls {
    let n = mesh.triangles.len();
    let stride = n.div_ceil(WALL_SAMPLES).max(1);
    let mut measured: Vec<(f32, f64)> = Vec::new();
    for t in (0..n).step_by(stride) {
        let [a, b, c] = mesh.corners(t);
        let cross = (b - a).cross(c - a);
        if cross.length_squared() == 0.0 {
            continue;
        }
        let normal = cross.normalize();
        let centre = (a + b + c) / 3.0;
        let inward = -normal;
        let start = centre + inward * 1e-4;
        let hit = bvh.nearest(start, inward, f32::MAX, |u| {
            let u = u as usize;
            if u == t {
                return None;
            }
            let [p, q, r] = mesh.corners(u);
            let other = (q - p).cross(r - p);
            // The far side of a wall faces the other way.
            if other.dot(normal) >= 0.0 {
                return None;
            }
            ray_hits(start, inward, [p, q, r])
        });
        if let Some(d) = hit {
            measured.push((d + 1e-4, triangle_area([a, b, c])));
        }
    }
    let samples = measured.len();
    if samples == 0 {
        return Walls {
            p5_mm: None,
            thin_share: 0.0,
            samples,
        };
    }
    measured.sort_by(|x, y| x.0.total_cmp(&y.0));
    let total: f64 = measured.iter().map(|m| m.1).sum();
    let thin: f64 = measured.iter().filter(|m| m.0 < THIN_MM).map(|m| m.1).sum();
    let mut acc = 0.0;
    let mut p5 = measured[0].0;
    for (d, area) in &measured {
        acc += area;
        p5 = *d;
        if acc >= total * 0.05 {
            break;
        }
    }
    Walls {
        p5_mm: Some(p5),
        thin_share: (thin / total.max(f64::MIN_POSITIVE)) as f32,
        samples,
    }
}

/// Distance along the ray to the triangle, if it meets it ahead.
fn ray_hits(origin: Vec3, dir: Vec3, [a, b, c]: [Vec3; 3]) -> Option<f32> {
    let e1 = b - a;
    let e2 = c - a;
    let h = dir.cross(e2);
    let det = e1.dot(h);
    if det.abs() < 1e-12 {
        return None;
    }
    let f = 1.0 / det;
    let s = origin - a;
    let u = f * s.dot(h);
    if !(0.0..=1.0).contains(&u) {
        return None;
    }
    let q = s.cross(e1);
    let v = f * dir.dot(q);
    if v < 0.0 || u + v > 1.0 {
        return None;
    }
    let t = f * e2.dot(q);
    (t > 0.0).then_some(t)
}
