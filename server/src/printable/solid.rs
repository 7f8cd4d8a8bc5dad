//! Closed, outward-facing solids built from code: the lab's own printable exhibits and the
//! test fixtures with known answers.

use glam::Vec3;

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

/// A flat outline in the x–z plane with holes, pushed `depth` along +y. Rings may run
/// either way round; the caps are triangulated with earcut.
pub fn extrude(outline: &[(f32, f32)], holes: &[Vec<(f32, f32)>], depth: f32) -> Mesh {
    let area = |ring: &[(f32, f32)]| -> f32 {
        (0..ring.len())
            .map(|i| {
                let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
                a.0 * b.1 - b.0 * a.1
            })
            .sum::<f32>()
            / 2.0
    };
    // Outline counter-clockwise, holes clockwise (in x–z): then one rule makes every wall.
    let mut rings: Vec<Vec<(f32, f32)>> = vec![outline.to_vec()];
    rings.extend(holes.iter().cloned());
    for (k, ring) in rings.iter_mut().enumerate() {
        if (area(ring) > 0.0) != (k == 0) {
            ring.reverse();
        }
    }
    let flat: Vec<[f32; 2]> = rings.iter().flatten().map(|&(x, z)| [x, z]).collect();
    let mut hole_starts = Vec::new();
    let mut at = 0u32;
    for ring in &rings[..rings.len() - 1] {
        at += ring.len() as u32;
        hole_starts.push(at);
    }
    let mut caps: Vec<u32> = Vec::new();
    earcut::Earcut::new().earcut(flat.iter().copied(), &hole_starts, &mut caps);
    let n = flat.len() as u32;
    let mut positions: Vec<Vec3> = flat.iter().map(|&[x, z]| Vec3::new(x, 0.0, z)).collect();
    positions.extend(flat.iter().map(|&[x, z]| Vec3::new(x, depth, z)));
    let mut triangles: Vec<[u32; 3]> = Vec::new();
    for c in caps.chunks_exact(3) {
        let mut c = [c[0], c[1], c[2]];
        if area(&c.map(|i| (flat[i as usize][0], flat[i as usize][1]))) < 0.0 {
            c.swap(1, 2);
        }
        triangles.push([c[0], c[2], c[1]]);
        triangles.push([c[0] + n, c[1] + n, c[2] + n]);
    }
    let mut start = 0u32;
    for ring in &rings {
        let len = ring.len() as u32;
        for k in 0..len {
            let (i, j) = (start + k, start + (k + 1) % len);
            triangles.push([i, j, j + n]);
            triangles.push([i, j + n, i + n]);
        }
        start += len;
    }
    let mut mesh = Mesh::default();
    mesh.push_part(&positions, &triangles, PLAIN);
    if super::measure::signed_volume(&mesh) < 0.0 {
        for t in &mut mesh.triangles {
            t.swap(1, 2);
        }
    }
    mesh
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
