//! How the triangles hang together: shared edges, open edges (holes), edges of three or more
//! faces (non-manifold), neighbours that disagree about inside and outside, separate parts.
//! The definitions follow what slicers report (PrusaSlicer and its forks count "open
//! edges" from face neighbours; Netfabb calls a mesh printable when it is closed, manifold
//! and consistently oriented).

use std::collections::HashMap;

use glam::Vec3;

use super::limits::MAX_HIGHLIGHT_EDGES;
use super::mesh::Mesh;

/// Across edge k of a triangle (corner k to corner k+1): no face.
pub const OPEN: u32 = u32::MAX;
/// Across edge k: two or more other faces.
pub const CROWDED: u32 = u32::MAX - 1;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Topology {
    /// Triangles whose corners coincide (after welding): they have no area and no edges.
    pub collapsed: Vec<u32>,
    /// Triangles with three distinct corners on one line (slivers): no area, but they close
    /// the surface, so they stay.
    pub slivers: usize,
    pub open_edges: usize,
    /// Closed loops of open edges.
    pub holes: usize,
    pub non_manifold_edges: usize,
    /// Edges whose two faces run the same way round (one of them faces the wrong way).
    pub orientation_conflicts: usize,
    /// Pieces that touch nowhere.
    pub parts: usize,
    /// Some open edges, for drawing where the holes are.
    pub open_segments: Vec<[Vec3; 2]>,
    /// Per triangle, the face across each of its edges ([`OPEN`], [`CROWDED`] or an index).
    pub neighbours: Vec<[u32; 3]>,
    /// Per triangle, bit k set: the face across edge k runs that edge the same way.
    pub same_way: Vec<u8>,
}

/// Merges corners at exactly the same point; returns how many were merged.
pub fn weld(mesh: &mut Mesh) -> usize {
    let mut ids: HashMap<[u32; 3], u32> = HashMap::with_capacity(mesh.positions.len());
    let mut remap = Vec::with_capacity(mesh.positions.len());
    let mut kept = Vec::with_capacity(mesh.positions.len());
    for p in &mesh.positions {
        let p = *p + Vec3::ZERO;
        let id = *ids
            .entry(p.to_array().map(f32::to_bits))
            .or_insert_with(|| {
                kept.push(p);
                (kept.len() - 1) as u32
            });
        remap.push(id);
    }
    let merged = mesh.positions.len() - kept.len();
    if merged > 0 {
        for t in &mut mesh.triangles {
            *t = t.map(|i| remap[i as usize]);
        }
        mesh.positions = kept;
    }
    merged
}

pub fn analyse(mesh: &Mesh) -> Topology {
    let n = mesh.triangles.len();
    let mut topo = Topology {
        neighbours: vec![[OPEN; 3]; n],
        same_way: vec![0; n],
        ..Topology::default()
    };
    let mut half_edges: Vec<(u64, u32)> = Vec::with_capacity(n * 3);
    for (t, tri) in mesh.triangles.iter().enumerate() {
        let [a, b, c] = *tri;
        if a == b || b == c || a == c {
            topo.collapsed.push(t as u32);
            continue;
        }
        let [pa, pb, pc] = mesh.corners(t);
        if (pb - pa).cross(pc - pa) == Vec3::ZERO {
            topo.slivers += 1;
        }
        for k in 0..3 {
            let (from, to) = (tri[k], tri[(k + 1) % 3]);
            let key = ((from.min(to) as u64) << 32) | from.max(to) as u64;
            half_edges.push((key, (t as u32) * 8 + (k as u32) * 2 + (from < to) as u32));
        }
    }
    half_edges.sort_unstable();
    let mut boundary = UnionFind::new(mesh.positions.len());
    let mut boundary_vertices = Vec::new();
    for group in half_edges.chunk_by(|x, y| x.0 == y.0) {
        match group {
            [(key, _)] => {
                topo.open_edges += 1;
                let (a, b) = ((key >> 32) as u32, *key as u32);
                boundary.union(a, b);
                boundary_vertices.push(a);
                if topo.open_segments.len() < MAX_HIGHLIGHT_EDGES {
                    topo.open_segments
                        .push([mesh.positions[a as usize], mesh.positions[b as usize]]);
                }
            }
            [(_, x), (_, y)] => {
                let (tx, kx, fx) = unpack(*x);
                let (ty, ky, fy) = unpack(*y);
                topo.neighbours[tx][kx] = ty as u32;
                topo.neighbours[ty][ky] = tx as u32;
                if fx == fy {
                    topo.orientation_conflicts += 1;
                    topo.same_way[tx] |= 1 << kx;
                    topo.same_way[ty] |= 1 << ky;
                }
            }
            crowd => {
                topo.non_manifold_edges += 1;
                for (_, v) in crowd {
                    let (t, k, _) = unpack(*v);
                    topo.neighbours[t][k] = CROWDED;
                }
            }
        }
    }
    boundary_vertices.sort_unstable();
    boundary_vertices.dedup();
    let mut loops: Vec<u32> = boundary_vertices
        .iter()
        .map(|&v| boundary.find(v))
        .collect();
    loops.sort_unstable();
    loops.dedup();
    topo.holes = loops.len();
    topo.parts = count_parts(mesh);
    topo
}

fn unpack(v: u32) -> (usize, usize, bool) {
    ((v / 8) as usize, ((v / 2) % 4) as usize, v % 2 == 1)
}

/// Pieces connected through shared corners.
pub fn count_parts(mesh: &Mesh) -> usize {
    let mut uf = UnionFind::new(mesh.positions.len());
    let mut used = vec![false; mesh.positions.len()];
    for &[a, b, c] in &mesh.triangles {
        uf.union(a, b);
        uf.union(b, c);
        used[a as usize] = true;
    }
    let mut roots: Vec<u32> = (0..mesh.positions.len() as u32)
        .filter(|&v| used[v as usize])
        .map(|v| uf.find(v))
        .collect();
    roots.sort_unstable();
    roots.dedup();
    roots.len()
}

pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let up = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = up;
            x = up;
        }
        x
    }

    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
}
