//! The model the lab shows for a printable file: glTF's y-up metres, flat-shaded (printed
//! things have hard edges), one material per colour, double-sided (an open or flipped model
//! still shows every face), and simplified with meshoptimizer when it has more triangles
//! than an old laptop should draw. The download keeps every triangle.

use glam::Vec3;

use super::limits::MAX_VIEW_TRIANGLES;
use super::mesh::Mesh;
use crate::exhibits::glb::{Material, Model, Part};

/// File millimetres (z up) to glTF metres (y up): a rotation, so faces keep their winding.
fn to_gltf(p: Vec3) -> [f32; 3] {
    [p.x * 0.001, p.z * 0.001, -p.y * 0.001]
}

pub fn model(mesh: &Mesh) -> Model<'static> {
    let mut groups: Vec<([f32; 4], Vec<u32>)> = Vec::new();
    for run in &mesh.colours {
        let at = match groups.iter().position(|(c, _)| *c == run.rgba) {
            Some(i) => i,
            None => {
                groups.push((run.rgba, Vec::new()));
                groups.len() - 1
            }
        };
        for t in run.first..run.first + run.count {
            groups[at].1.extend_from_slice(&mesh.triangles[t]);
        }
    }
    let total = mesh.triangles.len();
    let mut model = Model::default();
    for (i, (rgba, indices)) in groups.into_iter().enumerate() {
        let indices = if total > MAX_VIEW_TRIANGLES {
            let share = (indices.len() / 3) as f64 / total as f64;
            let target = ((MAX_VIEW_TRIANGLES as f64 * share) as usize).max(1) * 3;
            simplify(&mesh.positions, &indices, target)
        } else {
            indices
        };
        let mut part = Part::default();
        for t in indices.chunks_exact(3) {
            let [a, b, c] = [t[0], t[1], t[2]].map(|i| mesh.positions[i as usize]);
            let n = (b - a).cross(c - a).normalize_or_zero();
            let normal = [n.x, n.z, -n.y];
            let base = part.positions.len() as u32;
            for p in [a, b, c] {
                part.positions.push(to_gltf(p));
                part.normals.push(normal);
            }
            part.indices.extend([base, base + 1, base + 2]);
        }
        model.materials.push(Material {
            name: format!("print-{i}"),
            base_color: rgba,
            metallic: 0.0,
            roughness: 0.55,
            emissive: [0.0; 3],
            base_color_texture: None,
            double_sided: true,
            blend: rgba[3] < 1.0,
        });
        model.parts.push(part);
    }
    model
}

/// Fewer triangles, keeping the shape: the error allowed grows until the target is met.
fn simplify(positions: &[Vec3], indices: &[u32], target: usize) -> Vec<u32> {
    let points: Vec<[f32; 3]> = positions.iter().map(|p| p.to_array()).collect();
    let adapter = meshopt::VertexDataAdapter::new(meshopt::typed_to_bytes(&points), 12, 0)
        .expect("tightly packed positions");
    let mut result = indices.to_vec();
    for error in [0.002, 0.01, 0.05, 0.2] {
        result = meshopt::simplify(
            indices,
            &adapter,
            target,
            error,
            meshopt::SimplifyOptions::None,
            None,
        );
        if result.len() <= target {
            break;
        }
    }
    if result.len() > target {
        // Whatever the shape: the lab shows at most the budget.
        result = meshopt::simplify_sloppy(indices, &adapter, target, 1.0, None);
    }
    result
}
