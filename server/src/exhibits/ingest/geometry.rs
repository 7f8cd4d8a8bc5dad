//! The model's geometry in world space: every node instance the scene draws, its triangles
//! read through the range-checked accessor reader, one part per glTF material; texture
//! transforms applied to the UVs, smooth normals where the file has none.

use std::collections::HashMap;

use glam::{Mat3, Mat4, Vec3};
use gltf::mesh::Mode;

use super::accessors;
use super::budget::Deadline;
use super::document::Parsed;
use super::report::{Problem, Report};
use crate::exhibits::glb::{Image, Material, Model, Part};

/// Node visits allowed while walking the scene (instancing included).
const MAX_NODE_VISITS: usize = 20_000;
const MAX_NODE_DEPTH: usize = 64;

/// Every node instance the default scene draws, with its world transform.
pub fn instances(doc: &gltf::Document) -> Result<Vec<(Mat4, gltf::Mesh<'_>)>, Problem> {
    fn walk<'d>(
        node: gltf::Node<'d>,
        parent: Mat4,
        depth: usize,
        visits: &mut usize,
        out: &mut Vec<(Mat4, gltf::Mesh<'d>)>,
    ) -> Result<(), Problem> {
        *visits += 1;
        if depth > MAX_NODE_DEPTH || *visits > MAX_NODE_VISITS {
            return Err(Problem::new(
                "node_hierarchy",
                format!(
                    "the node hierarchy is deeper than {MAX_NODE_DEPTH} levels or has more than {MAX_NODE_VISITS} node instances (or loops back on itself)"
                ),
            ));
        }
        let world = parent * Mat4::from_cols_array_2d(&node.transform().matrix());
        if let Some(mesh) = node.mesh() {
            out.push((world, mesh));
        }
        for child in node.children() {
            walk(child, world, depth + 1, visits, out)?;
        }
        Ok(())
    }
    let mut out = Vec::new();
    let mut visits = 0;
    match doc.default_scene().or_else(|| doc.scenes().next()) {
        Some(scene) => {
            for node in scene.nodes() {
                walk(node, Mat4::IDENTITY, 0, &mut visits, &mut out)?;
            }
        }
        // No scene: every mesh once, where it was modelled.
        None => out.extend(doc.meshes().map(|m| (Mat4::IDENTITY, m))),
    }
    Ok(out)
}

/// Geometry: one part per glTF material, in world space.
pub fn read<'a>(
    parsed: &Parsed,
    instances: &[(Mat4, gltf::Mesh<'_>)],
    views: &accessors::Views<'a>,
    images: &HashMap<usize, Image<'a>>,
    deadline: Deadline,
    report: &mut Report,
) -> Result<Model<'a>, Problem> {
    let mut model = Model::default();
    let mut part_of: HashMap<Option<usize>, usize> = HashMap::new();
    let mut image_slots: HashMap<usize, usize> = HashMap::new();
    let mut computed_normals = false;
    let mut transformed = false;
    for (world, mesh) in instances {
        deadline.check("reading the geometry")?;
        let normal_matrix = Mat3::from_mat4(*world).inverse().transpose();
        let mirrored = Mat3::from_mat4(*world).determinant() < 0.0;
        for prim in mesh.primitives().filter(|p| p.mode() == Mode::Triangles) {
            let Some(positions) = prim.get(&gltf::Semantic::Positions) else {
                continue;
            };
            let positions: Vec<Vec3> = accessors::floats::<3>(&positions, views, "POSITION")?
                .into_iter()
                .map(|p| world.transform_point3(Vec3::from(p)))
                .collect();
            let n = positions.len();
            let mut indices: Vec<u32> = match prim.indices() {
                Some(i) => accessors::indices(&i, views)?,
                None => (0..n as u32).collect(),
            };
            indices.truncate(indices.len() / 3 * 3);
            if let Some(bad) = indices.iter().find(|&&i| i as usize >= n) {
                return Err(Problem::new(
                    "index_out_of_range",
                    format!(
                        "mesh {} uses vertex {bad}, but has only {n} vertices",
                        mesh.index()
                    ),
                ));
            }
            if mirrored {
                for tri in indices.chunks_mut(3) {
                    tri.swap(1, 2);
                }
            }
            let normals: Vec<Vec3> = match prim.get(&gltf::Semantic::Normals) {
                Some(acc) => accessors::floats::<3>(&acc, views, "NORMAL")?
                    .into_iter()
                    .map(|v| (normal_matrix * Vec3::from(v)).normalize_or_zero())
                    .collect(),
                None => {
                    computed_normals = true;
                    smooth_normals(&positions, &indices)
                }
            };
            let material = prim.material();
            let mut uvs: Vec<[f32; 2]> = match prim.get(&gltf::Semantic::TexCoords(0)) {
                Some(acc) => accessors::floats::<2>(&acc, views, "TEXCOORD_0")?,
                None => Vec::new(),
            };
            if let Some(t) = material
                .index()
                .and_then(|m| parsed.texture_transforms.get(&m))
            {
                uvs.iter_mut().for_each(|uv| *uv = t.apply(*uv));
                transformed = true;
            }
            let key = material.index();
            let part_index = *part_of.entry(key).or_insert_with(|| {
                model.materials.push(convert_material(
                    &material,
                    images,
                    &mut image_slots,
                    &mut model.images,
                ));
                model.parts.push(Part::default());
                model.parts.len() - 1
            });
            let part = &mut model.parts[part_index];
            let has_uvs = uvs.len() == n;
            // Parts with and without UVs merge: missing ones become (0, 0).
            if has_uvs && part.uvs.is_empty() && !part.positions.is_empty() {
                part.uvs = vec![[0.0; 2]; part.positions.len()];
            }
            let base = part.positions.len() as u32;
            part.positions
                .extend(positions.iter().map(|p| p.to_array()));
            part.normals.extend(normals.iter().map(|v| v.to_array()));
            if has_uvs {
                part.uvs.extend(uvs);
            } else if !part.uvs.is_empty() {
                part.uvs.extend(std::iter::repeat_n([0.0; 2], n));
            }
            part.indices.extend(indices.iter().map(|i| base + i));
        }
    }
    if computed_normals {
        report
            .notes
            .push("some meshes had no normals: smooth normals were computed".into());
    }
    if transformed {
        report.notes.push(
            "texture transforms (KHR_texture_transform) were applied to the texture coordinates"
                .into(),
        );
    }
    Ok(model)
}

fn convert_material<'a>(
    material: &gltf::Material,
    images: &HashMap<usize, Image<'a>>,
    slots: &mut HashMap<usize, usize>,
    out_images: &mut Vec<Image<'a>>,
) -> Material {
    let pbr = material.pbr_metallic_roughness();
    let texture = pbr.base_color_texture().and_then(|info| {
        let source = info.texture().source().index();
        if let Some(&slot) = slots.get(&source) {
            return Some(slot);
        }
        let image = images.get(&source)?;
        out_images.push(image.clone());
        slots.insert(source, out_images.len() - 1);
        Some(out_images.len() - 1)
    });
    Material {
        name: format!("material {}", material.index().unwrap_or(0)),
        base_color: pbr.base_color_factor(),
        metallic: pbr.metallic_factor(),
        roughness: pbr.roughness_factor(),
        emissive: material.emissive_factor(),
        base_color_texture: texture,
        double_sided: material.double_sided(),
        blend: material.alpha_mode() == gltf::material::AlphaMode::Blend,
    }
}

/// Per-vertex normals as the area-weighted mean of the faces around each vertex.
fn smooth_normals(positions: &[Vec3], indices: &[u32]) -> Vec<Vec3> {
    let mut normals = vec![Vec3::ZERO; positions.len()];
    for tri in indices.chunks_exact(3) {
        let [a, b, c] = [tri[0], tri[1], tri[2]].map(|i| positions[i as usize]);
        let face = (b - a).cross(c - a);
        for &i in tri {
            normals[i as usize] += face;
        }
    }
    normals
        .into_iter()
        .map(|n| n.try_normalize().unwrap_or(Vec3::Y))
        .collect()
}
