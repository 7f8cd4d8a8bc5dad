//! The problem spots of a printable model in the inspect view, from the server's report:
//! faces that would hang in the air standing as the file does (red) and the edges of holes
//! (yellow), drawn on the model so that a beginner sees *where* the report means.

use bevy::asset::RenderAssetUsages;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;

use super::printable::{PrintFigures, Printable};
use super::stands::{ModelRoot, Stand};

/// Everything drawn for the problem spots (removed when they are switched off).
#[derive(Component)]
pub struct ProblemSpots;

const OVERHANG: Color = Color::srgba(0.9, 0.1, 0.1, 0.85);
const HOLE_EDGE: Color = Color::srgb(1.0, 0.85, 0.0);

/// File millimetres (z up) to the view model's frame: glTF metres (y up), centred as the
/// server centres a model on its pedestal (x/z middle, lowest point at 0), times its scale.
pub fn to_view(p: [f32; 3], bounds: [[f32; 3]; 2], scale: f32) -> Vec3 {
    let [lo, hi] = bounds;
    let gltf = Vec3::new(p[0], p[2], -p[1]);
    let centre = Vec3::new((lo[0] + hi[0]) / 2.0, lo[2], -(lo[1] + hi[1]) / 2.0);
    (gltf - centre) * 0.001 * scale
}

/// The model's largest edge in the view frame: offsets and line widths follow it.
fn view_size(report: &PrintFigures, scale: f32) -> f32 {
    report.size_mm.iter().fold(0.0f32, |m, v| m.max(*v)) * 0.001 * scale
}

/// The hanging triangles, lifted a little off the model's faces so they are not hidden in it.
pub fn overhang_mesh(report: &PrintFigures, scale: f32) -> Option<Mesh> {
    if report.overhang_triangles.is_empty() {
        return None;
    }
    let lift = view_size(report, scale) * 0.002;
    let mut positions = Vec::new();
    let mut normals = Vec::new();
    for t in &report.overhang_triangles {
        let [a, b, c] = t.map(|p| to_view(p, report.bounds_mm, scale));
        let n = (b - a).cross(c - a).normalize_or_zero();
        for p in [a, b, c] {
            positions.push((p + n * lift).to_array());
            normals.push(n.to_array());
        }
    }
    Some(triangles(positions, normals))
}

/// Each open edge as a thin cross of two strips, visible from every side.
pub fn hole_mesh(report: &PrintFigures, scale: f32) -> Option<Mesh> {
    if report.open_edge_segments.is_empty() {
        return None;
    }
    let half = view_size(report, scale) * 0.006;
    let mut positions = Vec::new();
    let mut normals = Vec::new();
    for [a, b] in &report.open_edge_segments {
        let [a, b] = [a, b].map(|p| to_view(*p, report.bounds_mm, scale));
        let along = (b - a).normalize_or_zero();
        if along == Vec3::ZERO {
            continue;
        }
        let (u, v) = along.any_orthonormal_pair();
        for side in [u, v] {
            let n = along.cross(side);
            for p in [a - side * half, b - side * half, b + side * half] {
                positions.push(p.to_array());
                normals.push(n.to_array());
            }
            for p in [a - side * half, b + side * half, a + side * half] {
                positions.push(p.to_array());
                normals.push(n.to_array());
            }
        }
    }
    Some(triangles(positions, normals))
}

fn triangles(positions: Vec<[f32; 3]>, normals: Vec<[f32; 3]>) -> Mesh {
    let count = positions.len() as u32;
    Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::RENDER_WORLD,
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
    .with_inserted_attribute(Mesh::ATTRIBUTE_NORMAL, normals)
    .with_inserted_indices(Indices::U32((0..count).collect()))
}

/// Draws or removes the spots on the inspected model (they hang from its root, so they
/// follow it onto the print bed at true size).
pub fn show(
    mut commands: Commands,
    printable: Res<Printable>,
    stands: Query<(&Stand, &Children)>,
    roots: Query<(), With<ModelRoot>>,
    spots: Query<Entity, With<ProblemSpots>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    if !printable.is_changed() {
        return;
    }
    for spot in &spots {
        commands.entity(spot).despawn();
    }
    let (Some(id), Some(info), true) = (&printable.id, &printable.info, printable.problems) else {
        return;
    };
    let Some((_, children)) = stands.iter().find(|(s, _)| &s.id == id) else {
        return;
    };
    let Some(root) = children.iter().find(|c| roots.contains(*c)) else {
        return;
    };
    let marked = |color: Color| StandardMaterial {
        base_color: color,
        unlit: true,
        cull_mode: None,
        alpha_mode: if color.alpha() < 1.0 {
            AlphaMode::Blend
        } else {
            AlphaMode::Opaque
        },
        // Drawn over the model's own faces where they lie in the same place.
        depth_bias: 50.0,
        ..default()
    };
    for (mesh, color) in [
        (overhang_mesh(&info.report, info.view_scale), OVERHANG),
        (hole_mesh(&info.report, info.view_scale), HOLE_EDGE),
    ] {
        let Some(mesh) = mesh else { continue };
        let spot = commands
            .spawn((
                ProblemSpots,
                Mesh3d(meshes.add(mesh)),
                MeshMaterial3d(materials.add(marked(color))),
                Transform::default(),
            ))
            .id();
        commands.entity(root).add_child(spot);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> PrintFigures {
        PrintFigures {
            size_mm: [30.0, 10.0, 30.0],
            difficulty: "medium".into(),
            printers: Vec::new(),
            open_edge_segments: vec![[[0.0, 0.0, 30.0], [30.0, 0.0, 30.0]]],
            overhang_triangles: vec![[[10.0, 0.0, 20.0], [30.0, 10.0, 20.0], [30.0, 0.0, 20.0]]],
            bounds_mm: [[0.0, 0.0, 0.0], [30.0, 10.0, 30.0]],
        }
    }

    #[test]
    fn file_millimetres_land_where_the_server_put_the_view_model() {
        let b = figures().bounds_mm;
        // The lowest point's middle is the root's origin; z up becomes y up; y becomes -z.
        assert_eq!(to_view([15.0, 5.0, 0.0], b, 1.0), Vec3::ZERO);
        let top = to_view([30.0, 10.0, 30.0], b, 1.0);
        assert!(
            (top - Vec3::new(0.015, 0.03, -0.005)).length() < 1e-6,
            "{top}"
        );
        let scaled = to_view([30.0, 10.0, 30.0], b, 2.0);
        assert!((scaled - top * 2.0).length() < 1e-6);
    }

    #[test]
    fn spots_are_drawn_only_where_the_report_has_some() {
        let f = figures();
        let overhang = overhang_mesh(&f, 1.0).expect("one hanging triangle");
        assert_eq!(overhang.count_vertices(), 3);
        // Lifted off the face, downwards: the face hangs.
        let Some(bevy::mesh::VertexAttributeValues::Float32x3(p)) =
            overhang.attribute(Mesh::ATTRIBUTE_POSITION)
        else {
            panic!("positions")
        };
        assert!(p.iter().all(|p| p[1] < 0.02), "{p:?}");
        assert_eq!(hole_mesh(&f, 1.0).expect("one edge").count_vertices(), 12);
        let clean = PrintFigures {
            open_edge_segments: Vec::new(),
            overhang_triangles: Vec::new(),
            ..f
        };
        assert!(overhang_mesh(&clean, 1.0).is_none() && hole_mesh(&clean, 1.0).is_none());
    }
}
