//! Reading an exhibit's GLB into Bevy meshes and materials. The server rebuilds every model
//! into one simple form (indexed triangles, positions, normals, optional UVs, PNG/JPEG
//! images), so this reader stays small; anything it cannot read is skipped, never a panic.

use bevy::asset::RenderAssetUsages;
use bevy::image::{CompressedImageFormats, ImageSampler, ImageType};
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;

/// One drawable piece of a model.
pub struct ModelPart {
    pub mesh: Mesh,
    pub material: StandardMaterial,
    /// Decoded base colour texture, if the part has one.
    pub texture: Option<Image>,
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not a GLB model: {0}")]
    Gltf(#[from] gltf::Error),
    #[error("the model has no triangles")]
    Empty,
}

pub fn read(bytes: &[u8]) -> Result<Vec<ModelPart>, ModelError> {
    let gltf = gltf::Gltf::from_slice(bytes)?;
    let blob = gltf.blob.as_deref().unwrap_or(&[]);
    let mut parts = Vec::new();
    for mesh in gltf.meshes() {
        for prim in mesh.primitives() {
            if prim.mode() != gltf::mesh::Mode::Triangles {
                continue;
            }
            let reader = prim.reader(|b| match b.source() {
                gltf::buffer::Source::Bin => Some(blob),
                gltf::buffer::Source::Uri(_) => None,
            });
            let Some(positions) = reader.read_positions() else {
                continue;
            };
            let positions: Vec<[f32; 3]> = positions.collect();
            let n = positions.len();
            let normals: Vec<[f32; 3]> = reader
                .read_normals()
                .map(|ns| ns.collect())
                .unwrap_or_else(|| vec![[0.0, 1.0, 0.0]; n]);
            let indices: Vec<u32> = reader
                .read_indices()
                .map(|i| i.into_u32().collect())
                .unwrap_or_else(|| (0..n as u32).collect());
            if normals.len() != n || indices.iter().any(|&i| i as usize >= n) {
                continue;
            }
            let mut m = Mesh::new(
                PrimitiveTopology::TriangleList,
                RenderAssetUsages::RENDER_WORLD,
            );
            m.insert_attribute(Mesh::ATTRIBUTE_POSITION, positions);
            m.insert_attribute(Mesh::ATTRIBUTE_NORMAL, normals);
            if let Some(uvs) = reader.read_tex_coords(0) {
                let uvs: Vec<[f32; 2]> = uvs.into_f32().collect();
                if uvs.len() == n {
                    m.insert_attribute(Mesh::ATTRIBUTE_UV_0, uvs);
                }
            }
            m.insert_indices(Indices::U32(indices));
            let material = prim.material();
            let pbr = material.pbr_metallic_roughness();
            let [r, g, b, a] = pbr.base_color_factor();
            let [er, eg, eb] = material.emissive_factor();
            let texture = pbr
                .base_color_texture()
                .and_then(|info| image(blob, info.texture().source()));
            parts.push(ModelPart {
                mesh: m,
                material: StandardMaterial {
                    base_color: Color::linear_rgba(r, g, b, a),
                    metallic: pbr.metallic_factor(),
                    perceptual_roughness: pbr.roughness_factor(),
                    emissive: LinearRgba::rgb(er, eg, eb),
                    double_sided: material.double_sided(),
                    cull_mode: if material.double_sided() {
                        None
                    } else {
                        Some(bevy::render::render_resource::Face::Back)
                    },
                    alpha_mode: if material.alpha_mode() == gltf::material::AlphaMode::Blend {
                        AlphaMode::Blend
                    } else {
                        AlphaMode::Opaque
                    },
                    ..default()
                },
                texture,
            });
        }
    }
    if parts.is_empty() {
        return Err(ModelError::Empty);
    }
    Ok(parts)
}

fn image(blob: &[u8], source: gltf::Image) -> Option<Image> {
    let gltf::image::Source::View { view, mime_type } = source.source() else {
        return None;
    };
    let bytes = blob.get(view.offset()..view.offset() + view.length())?;
    let kind = match mime_type {
        "image/png" => ImageType::Extension("png"),
        // The server turns JPEG textures into PNG; anything else shows the base colour.
        _ => return None,
    };
    Image::from_buffer(
        bytes,
        kind,
        CompressedImageFormats::NONE,
        true,
        ImageSampler::linear(),
        RenderAssetUsages::RENDER_WORLD,
    )
    .ok()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use stadtlab_server::exhibits::defaults::DEFAULT_EXHIBITS;
    use stadtlab_server::exhibits::ingest::from_generated;

    #[test]
    fn reads_every_model_of_the_default_exhibition() {
        for exhibit in DEFAULT_EXHIBITS {
            let made = from_generated((exhibit.model)());
            let parts = read(&made.glb).unwrap_or_else(|e| panic!("{}: {e}", exhibit.id));
            assert!(!parts.is_empty());
            for part in parts {
                assert!(part.mesh.count_vertices() > 0);
            }
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(read(b"glTF broken").is_err());
        assert!(read(&[]).is_err());
    }
}
