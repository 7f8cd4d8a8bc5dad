//! Making a model ready for the lab: placed on its pedestal at a size that fits, and its
//! triangles and vertices ordered for the GPU's caches (meshoptimizer).

use stadtlab_shared::scene::EXHIBIT_FIT;

use super::limits::{MAX_EXTENT, MIN_EXTENT};
use super::report::{Problem, Report};
use crate::exhibits::glb::{Model, Part};
use crate::exhibits::image_codec;

/// Models whose largest edge lies in this range keep their size; others are scaled to
/// [`EXHIBIT_FIT`] (a 40 m building shrinks, a 2 cm ring grows so that it can be seen).
const KEEP_SIZE: std::ops::RangeInclusive<f32> = 0.3..=EXHIBIT_FIT;

/// Centres the model on its pedestal (x/z centre at 0, lowest point at y = 0) and scales it
/// to fit; says so in the report.
pub fn place_on_pedestal(model: &mut Model, report: &mut Report) -> Result<(), Problem> {
    let Some((lo, hi)) = model.bounds() else {
        return Err(Problem::new(
            "no_geometry",
            "the model has no triangles to show: check that the export included the meshes",
        ));
    };
    let finite = lo.iter().chain(hi.iter()).all(|v| v.is_finite());
    let size = [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]];
    let largest = size.iter().copied().fold(0.0f32, f32::max);
    if !finite || !(MIN_EXTENT..=MAX_EXTENT).contains(&largest) {
        return Err(Problem::new(
            "bounding_box",
            format!(
                "the model's bounding box is {:.4} × {:.4} × {:.4} m, which cannot be right (allowed: largest edge {MIN_EXTENT} m to {MAX_EXTENT} m, no infinite or missing coordinates)",
                size[0], size[1], size[2]
            ),
        ));
    }
    report.size = Some(size);
    let scale = if KEEP_SIZE.contains(&largest) {
        1.0
    } else {
        EXHIBIT_FIT / largest
    };
    report.scale = scale;
    if scale != 1.0 {
        report.notes.push(format!(
            "scaled by {scale:.4} to fit its pedestal: it was {:.2} × {:.2} × {:.2} m, now at most {EXHIBIT_FIT} m",
            size[0], size[1], size[2]
        ));
    }
    let centre = [(lo[0] + hi[0]) / 2.0, lo[1], (lo[2] + hi[2]) / 2.0];
    for part in &mut model.parts {
        for p in &mut part.positions {
            for k in 0..3 {
                p[k] = (p[k] - centre[k]) * scale;
            }
        }
    }
    Ok(())
}

/// Re-encodes JPEG and WebP textures as PNG: clients then need one image decoder only (the
/// browser bundle has no JPEG or WebP decoder; photogrammetry scans usually come with JPEG
/// textures, Sketchfab and gltf-transform exports often with WebP). One texture is decoded at
/// a time; sizes were checked from the headers before.
pub fn textures_to_png(model: &mut Model, report: &mut Report) -> Result<(), Problem> {
    let mut converted = 0;
    for (i, image) in model.images.iter_mut().enumerate() {
        let decoded = match image.mime {
            "image/jpeg" => image_codec::decode_jpeg(&image.bytes),
            "image/webp" => image_codec::decode_webp(&image.bytes),
            _ => continue,
        };
        let (pixels, w, h, color) = decoded.ok_or_else(|| {
            Problem::new(
                "broken_image",
                format!("texture {i} ({}) cannot be decoded", image.mime),
            )
        })?;
        image.bytes = image_codec::encode_png(&pixels, w, h, color).into();
        image.mime = "image/png";
        converted += 1;
    }
    if converted > 0 {
        report.notes.push(format!(
            "{converted} JPEG/WebP texture(s) were converted to PNG"
        ));
    }
    Ok(())
}

#[derive(Clone, Copy, Default)]
struct Vertex {
    position: [f32; 3],
    normal: [f32; 3],
    uv: [f32; 2],
}

/// Reorders triangles for the post-transform vertex cache, then vertices in the order the
/// triangles use them (fewer cache misses when fetching).
pub fn optimize(part: &mut Part) {
    let n = part.positions.len();
    if n == 0 || part.indices.is_empty() {
        return;
    }
    let has_uvs = part.uvs.len() == n;
    let vertices: Vec<Vertex> = (0..n)
        .map(|i| Vertex {
            position: part.positions[i],
            normal: part.normals[i],
            uv: if has_uvs { part.uvs[i] } else { [0.0; 2] },
        })
        .collect();
    let mut indices = meshopt::optimize_vertex_cache(&part.indices, n);
    let vertices = meshopt::optimize_vertex_fetch(&mut indices, &vertices);
    part.indices = indices;
    part.positions = vertices.iter().map(|v| v.position).collect();
    part.normals = vertices.iter().map(|v| v.normal).collect();
    if has_uvs {
        part.uvs = vertices.iter().map(|v| v.uv).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exhibits::glb::Material;

    fn quad(scale: f32) -> Model<'static> {
        Model {
            materials: vec![Material::color("m", 0xffffff)],
            parts: vec![Part {
                positions: vec![
                    [0.0, 0.0, 0.0],
                    [scale, 0.0, 0.0],
                    [scale, scale, 0.0],
                    [0.0, scale, 0.0],
                ],
                normals: vec![[0.0, 0.0, 1.0]; 4],
                uvs: vec![],
                indices: vec![0, 1, 2, 0, 2, 3],
            }],
            images: vec![],
        }
    }

    #[test]
    fn big_models_shrink_to_the_pedestal_and_say_so() {
        let mut model = quad(40.0);
        let mut report = Report::default();
        place_on_pedestal(&mut model, &mut report).unwrap();
        let (lo, hi) = model.bounds().unwrap();
        assert!((hi[1] - lo[1] - EXHIBIT_FIT).abs() < 1e-4);
        assert_eq!(lo[1], 0.0);
        assert!(report.notes[0].contains("scaled"));
    }

    #[test]
    fn degenerate_and_absurd_sizes_are_refused() {
        for s in [0.0, 1e6, f32::NAN] {
            let mut model = quad(s);
            assert!(
                place_on_pedestal(&mut model, &mut Report::default()).is_err(),
                "{s}"
            );
        }
    }

    #[test]
    fn optimisation_keeps_the_triangles() {
        let mut model = quad(1.0);
        let before = model.parts[0].triangles();
        optimize(&mut model.parts[0]);
        assert_eq!(model.parts[0].triangles(), before);
        assert_eq!(model.parts[0].positions.len(), 4);
    }
}
