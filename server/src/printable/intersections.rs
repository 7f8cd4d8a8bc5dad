//! Faces that cut through other faces of the model (Netfabb's fourth rule of a printable
//! mesh). Pairs come from the hierarchy; a pair counts when an edge of one triangle passes
//! through the inside of the other. Triangles sharing a corner are neighbours, not
//! intersections; faces lying flat on each other are not found (said in the report).

use std::time::Instant;

use glam::DVec3;

use super::bvh::Bvh;
use super::limits::INTERSECTION_BUDGET;
use super::mesh::Mesh;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intersections {
    /// Pairs of triangles that cut each other (found so far).
    pub pairs: u64,
    /// False when the time budget ran out before every triangle was looked at.
    pub complete: bool,
}

/// Pairs counted at most: beyond it the model is plainly broken and the count adds nothing.
const ENOUGH: u64 = 100_000;

pub fn find(mesh: &Mesh, bvh: &Bvh) -> Intersections {
    let started = Instant::now();
    let mut pairs = 0u64;
    for t in 0..mesh.triangles.len() {
        if t % 1024 == 0 && started.elapsed() > INTERSECTION_BUDGET {
            return Intersections {
                pairs,
                complete: false,
            };
        }
        let tri = mesh.triangles[t];
        let corners = mesh.corners(t);
        let lo = corners[0].min(corners[1]).min(corners[2]);
        let hi = corners[0].max(corners[1]).max(corners[2]);
        let a = corners.map(|p| p.as_dvec3());
        bvh.overlapping(lo, hi, |u| {
            let u = u as usize;
            if u <= t {
                return;
            }
            let (olo, ohi) = bvh.boxes[u];
            if olo.cmpgt(hi).any() || ohi.cmplt(lo).any() {
                return;
            }
            let other = mesh.triangles[u];
            if tri.iter().any(|i| other.contains(i)) {
                return;
            }
            let b = mesh.corners(u).map(|p| p.as_dvec3());
            if cut(&a, &b) {
                pairs += 1;
            }
        });
        if pairs >= ENOUGH {
            break;
        }
    }
    Intersections {
        pairs,
        complete: true,
    }
}

/// Whether two triangles without shared corners pass through each other.
pub fn cut(a: &[DVec3; 3], b: &[DVec3; 3]) -> bool {
    (0..3).any(|k| edge_through(a[k], a[(k + 1) % 3], b))
        || (0..3).any(|k| edge_through(b[k], b[(k + 1) % 3], a))
}

/// Whether the segment p→q crosses the triangle's inside (Möller–Trumbore, with the ends
/// and the triangle's rim excluded so that touching is not cutting).
fn edge_through(p: DVec3, q: DVec3, t: &[DVec3; 3]) -> bool {
    const EPS: f64 = 1e-9;
    let dir = q - p;
    let e1 = t[1] - t[0];
    let e2 = t[2] - t[0];
    let h = dir.cross(e2);
    let det = e1.dot(h);
    let scale = e1.length() * e2.length() * dir.length();
    if det.abs() <= EPS * scale {
        return false;
    }
    let f = 1.0 / det;
    let s = p - t[0];
    let u = f * s.dot(h);
    if u <= EPS || u >= 1.0 - EPS {
        return false;
    }
    let qv = s.cross(e1);
    let v = f * dir.dot(qv);
    if v <= EPS || u + v >= 1.0 - EPS {
        return false;
    }
    let along = f * e2.dot(qv);
    along > EPS && along < 1.0 - EPS
}
