//! Closed, outward-facing solids built from code: the lab's own printable exhibits and the
//! test fixtures with known answers.

use glam::Vec3;
use spade::{ConstrainedDelaunayTriangulation, Point2, Triangulation};

use super::mesh::{Mesh, PLAIN};

/// An axis-aligned box from `lo` to `hi` (millimetres), faces pointing out.
pub fn cuboid(lo: Vec3, hi: Vec3) -> Mesh {
    let p = |x: bool, y: bool, z: bool| {
        Vec3::new(
            if x { hi.x } else { lo.x },
            if y { hi.y } else { lo.y },
            if z { hi.z } else { lo.z },
        )
    };
    let positions: Vec<Vec3> = (0..8)
        .map(|i| p(i & 1 != 0, i & 2 != 0, i & 4 != 0))
        .collect();
    // Corner i has x = bit 0, y = bit 1, z = bit 2; each face as two triangles, counter-
    // clockwise seen from outside.
    let triangles = vec![
        [0, 2, 1],
        [1, 2, 3], // bottom (z = lo)
        [4, 5, 6],
        [5, 7, 6], // top
        [0, 1, 4],
        [1, 5, 4], // front (y = lo)
        [2, 6, 3],
        [3, 6, 7], // back
        [0, 4, 2],
        [2, 4, 6], // left (x = lo)
        [1, 3, 5],
        [3, 7, 5], // right
    ];
    let mut mesh = Mesh::default();
    mesh.push_part(&positions, &triangles, PLAIN);
    mesh
}

/// A flat region in the x–z plane (millimetres): an outline and the holes in it. Rings may
/// run either way round.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Region {
    pub outline: Vec<(f32, f32)>,
    pub holes: Vec<Vec<(f32, f32)>>,
}

/// Twice the signed area of a ring in x–z; positive when it runs counter-clockwise.
fn ring_area(ring: &[(f32, f32)]) -> f32 {
    (0..ring.len())
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum()
}

impl Region {
    /// The outline counter-clockwise and the holes clockwise: then the solid lies on the left
    /// of every ring, and one rule makes every wall.
    fn oriented(&self) -> Vec<Vec<(f32, f32)>> {
        let mut rings = vec![self.outline.clone()];
        rings.extend(self.holes.iter().cloned());
        for (k, ring) in rings.iter_mut().enumerate() {
            if (ring_area(ring) > 0.0) != (k == 0) {
                ring.reverse();
            }
        }
        rings
    }
}

/// Whether a point lies inside the rings, counting crossings (holes are outside).
fn inside(rings: &[Vec<(f32, f32)>], (px, pz): (f32, f32)) -> bool {
    let mut inside = false;
    for ring in rings {
        for k in 0..ring.len() {
            let (a, b) = (ring[k], ring[(k + 1) % ring.len()]);
            if (a.1 > pz) != (b.1 > pz) && px < a.0 + (pz - a.1) / (b.1 - a.1) * (b.0 - a.0) {
                inside = !inside;
            }
        }
    }
    inside
}

/// Triangles with their own corners (the checks weld corners at the same point).
#[derive(Default)]
struct Soup {
    positions: Vec<Vec3>,
    triangles: Vec<[u32; 3]>,
}

impl Soup {
    fn triangle(&mut self, corners: [Vec3; 3]) {
        let at = self.positions.len() as u32;
        self.positions.extend(corners);
        self.triangles.push([at, at + 1, at + 2]);
    }

    /// A flat cap at height `y` over `rings` (an outline and its holes, or several), facing
    /// +y when `up`, else -y: a constrained Delaunay triangulation of the ring edges, keeping
    /// the triangles inside (even-odd). Every corner stays a corner, so the walls that meet
    /// the cap along its rings share its edges.
    fn cap(&mut self, rings: &[Vec<(f32, f32)>], y: f32, up: bool) {
        let mut cdt = ConstrainedDelaunayTriangulation::<Point2<f64>>::new();
        for ring in rings {
            let corners: Vec<_> = ring
                .iter()
                .filter_map(|&(x, z)| cdt.insert(Point2::new(x as f64, z as f64)).ok())
                .collect();
            for k in 0..corners.len() {
                cdt.add_constraint(corners[k], corners[(k + 1) % corners.len()]);
            }
        }
        for face in cdt.inner_faces() {
            let mut c = face.vertices().map(|v| {
                let p = v.position();
                (p.x as f32, p.y as f32)
            });
            let centre = (
                (c[0].0 + c[1].0 + c[2].0) / 3.0,
                (c[0].1 + c[1].1 + c[2].1) / 3.0,
            );
            if !inside(rings, centre) {
                continue;
            }
            // Counter-clockwise in x–z faces -y.
            if (ring_area(&c) > 0.0) == up {
                c.swap(1, 2);
            }
            self.triangle(c.map(|(x, z)| Vec3::new(x, y, z)));
        }
    }

    /// Walls along a ring with the solid on its left, from `y0` up to `y1`, facing out.
    fn wall(&mut self, ring: &[(f32, f32)], y0: f32, y1: f32) {
        for k in 0..ring.len() {
            let (a, b) = (ring[k], ring[(k + 1) % ring.len()]);
            let [a0, a1, b0, b1] =
                [(a, y0), (a, y1), (b, y0), (b, y1)].map(|((x, z), y)| Vec3::new(x, y, z));
            self.triangle([a0, b1, b0]);
            self.triangle([a0, a1, b1]);
        }
    }

    fn into_mesh(self) -> Mesh {
        let mut mesh = Mesh::default();
        mesh.push_part(&self.positions, &self.triangles, PLAIN);
        debug_assert!(
            super::measure::signed_volume(&mesh) > 0.0,
            "faces point out"
        );
        mesh
    }
}

/// A flat outline in the x–z plane with holes, pushed `depth` along +y.
pub fn extrude(outline: &[(f32, f32)], holes: &[Vec<(f32, f32)>], depth: f32) -> Mesh {
    let base = Region {
        outline: outline.to_vec(),
        holes: holes.to_vec(),
    };
    extrude_with_relief(&base, depth, &[], 0.0)
}

/// `base` pushed `depth` along +y, with `relief` (lettering, a sign) standing `height` out of
/// its front face (y = 0, towards -y: the side a visitor sees in the lab). One closed
/// surface: the front face has the relief's outlines cut out, and the relief's walls meet
/// it there.
pub fn extrude_with_relief(base: &Region, depth: f32, relief: &[Region], height: f32) -> Mesh {
    let mut soup = Soup::default();
    let rings = base.oriented();
    soup.cap(&rings, depth, true);
    for ring in &rings {
        soup.wall(ring, 0.0, depth);
    }
    let mut front = rings.clone();
    for r in relief {
        let raised = r.oriented();
        front.push(raised[0].clone());
        for hole in &raised[1..] {
            soup.cap(std::slice::from_ref(hole), 0.0, false);
        }
        for ring in &raised {
            soup.wall(ring, -height, 0.0);
        }
        soup.cap(&raised, -height, false);
    }
    soup.cap(&front, 0.0, false);
    soup.into_mesh()
}

/// Points on a circular arc in the x–z plane, from `from` to `to` radians.
pub fn arc(centre: (f32, f32), radius: f32, from: f32, to: f32, steps: u32) -> Vec<(f32, f32)> {
    (0..=steps)
        .map(|i| {
            let a = from + (to - from) * i as f32 / steps as f32;
            (centre.0 + radius * a.cos(), centre.1 + radius * a.sin())
        })
        .collect()
}

/// A ring (`inner` > 0) around the z axis from z = 0 to `height`.
pub fn ring(outer: f32, inner: f32, height: f32, segments: u32) -> Mesh {
    let mut positions = Vec::new();
    for &z in &[0.0, height] {
        for &r in &[outer, inner] {
            for s in 0..segments {
                let a = s as f32 / segments as f32 * std::f32::consts::TAU;
                positions.push(Vec3::new(r * a.cos(), r * a.sin(), z));
            }
        }
    }
    let at = |level: u32, ring: u32, s: u32| level * 2 * segments + ring * segments + s % segments;
    let mut triangles = Vec::new();
    for s in 0..segments {
        let quad = |t: &mut Vec<[u32; 3]>, a: u32, b: u32, c: u32, d: u32| {
            t.push([a, b, c]);
            t.push([a, c, d]);
        };
        // Outside wall, inside wall, top, bottom.
        quad(
            &mut triangles,
            at(0, 0, s),
            at(0, 0, s + 1),
            at(1, 0, s + 1),
            at(1, 0, s),
        );
        quad(
            &mut triangles,
            at(0, 1, s + 1),
            at(0, 1, s),
            at(1, 1, s),
            at(1, 1, s + 1),
        );
        quad(
            &mut triangles,
            at(1, 0, s),
            at(1, 0, s + 1),
            at(1, 1, s + 1),
            at(1, 1, s),
        );
        quad(
            &mut triangles,
            at(0, 0, s + 1),
            at(0, 0, s),
            at(0, 1, s),
            at(0, 1, s + 1),
        );
    }
    let mut mesh = Mesh::default();
    mesh.push_part(&positions, &triangles, PLAIN);
    mesh
}

/// Moves a mesh.
pub fn translated(mut mesh: Mesh, by: Vec3) -> Mesh {
    for p in &mut mesh.positions {
        *p += by;
    }
    mesh
}

/// Several meshes as one (separate pieces, or pieces meeting at shared corners).
pub fn merged(parts: &[(Mesh, [f32; 4])]) -> Mesh {
    let mut out = Mesh::default();
    for (m, rgba) in parts {
        out.push_part(&m.positions, &m.triangles, *rgba);
    }
    out
}
