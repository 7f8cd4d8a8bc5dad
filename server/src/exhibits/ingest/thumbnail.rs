//! A small picture of a model for the staff page and the upload report: its triangles
//! rasterised from the front, a little from the right and above, with one light. No GPU
//! and no texture decoding: staff need to see what it is, not how it is painted.
//! The pixel tests are budgeted: a model of many screen-filling triangles (cheap to upload,
//! 100,000 × 65,536 tests to draw) gets a picture of the triangles that fit the budget.

use glam::{Mat4, Vec3, Vec4};

use super::budget::Deadline;
use super::limits::THUMBNAIL_PIXEL_BUDGET;
use super::report::Problem;
use crate::exhibits::glb::Model;

pub const THUMBNAIL_SIZE: u32 = 256;

/// Renders `model` (already on its pedestal) as a PNG.
pub fn render(model: &Model, deadline: Deadline) -> Result<Vec<u8>, Problem> {
    let mut budget = THUMBNAIL_PIXEL_BUDGET;
    let size = THUMBNAIL_SIZE as usize;
    let mut color = vec![[236u8, 239, 241, 255]; size * size];
    let mut depth = vec![f32::INFINITY; size * size];
    if let Some((lo, hi)) = model.bounds() {
        let centre = (Vec3::from(lo) + Vec3::from(hi)) / 2.0;
        let radius = ((Vec3::from(hi) - Vec3::from(lo)).length() / 2.0).max(1e-3);
        let eye = centre + Vec3::new(0.6, 0.45, 1.0).normalize() * radius * 3.0;
        let view = Mat4::look_at_rh(eye, centre, Vec3::Y);
        let proj = Mat4::orthographic_rh(-radius, radius, -radius, radius, 0.0, radius * 6.0);
        let clip = proj * view;
        let light = Vec3::new(0.4, 0.8, 0.6).normalize();
        for (part, material) in model.parts.iter().zip(&model.materials) {
            let base = Vec3::new(
                material.base_color[0],
                material.base_color[1],
                material.base_color[2],
            );
            let screen: Vec<Vec3> = part
                .positions
                .iter()
                .map(|p| {
                    let c = clip * Vec4::new(p[0], p[1], p[2], 1.0);
                    Vec3::new(
                        (c.x * 0.5 + 0.5) * size as f32,
                        (0.5 - c.y * 0.5) * size as f32,
                        c.z,
                    )
                })
                .collect();
            for (n, tri) in part.indices.chunks_exact(3).enumerate() {
                if n % 4096 == 0 {
                    deadline.check("drawing the thumbnail")?;
                }
                let [a, b, c] = [tri[0], tri[1], tri[2]].map(|i| screen[i as usize]);
                let world =
                    [tri[0], tri[1], tri[2]].map(|i| Vec3::from(part.positions[i as usize]));
                let normal = (world[1] - world[0])
                    .cross(world[2] - world[0])
                    .normalize_or_zero();
                let shade = 0.35 + 0.65 * normal.dot(light).abs();
                let lit = (base * shade).powf(1.0 / 2.2) * 255.0;
                let rgba = [lit.x as u8, lit.y as u8, lit.z as u8, 255];
                fill(&mut color, &mut depth, size, [a, b, c], rgba, &mut budget);
            }
        }
    }
    Ok(crate::exhibits::image_codec::encode_png(
        color.as_flattened(),
        size,
        size,
        png::ColorType::Rgba,
    ))
}

/// Fills one triangle with a depth test (edge functions over its bounding box), if its
/// bounding box fits what is left of the pixel budget.
fn fill(
    color: &mut [[u8; 4]],
    depth: &mut [f32],
    size: usize,
    [a, b, c]: [Vec3; 3],
    rgba: [u8; 4],
    budget: &mut u64,
) {
    let area = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    if area.abs() < 1e-6 || ![a, b, c].iter().all(|v| v.is_finite()) {
        return;
    }
    let min_x = a.x.min(b.x).min(c.x).floor().max(0.0) as usize;
    let max_x = (a.x.max(b.x).max(c.x).ceil() as usize).min(size - 1);
    let min_y = a.y.min(b.y).min(c.y).floor().max(0.0) as usize;
    let max_y = (a.y.max(b.y).max(c.y).ceil() as usize).min(size - 1);
    if min_x > max_x || min_y > max_y {
        return;
    }
    let cost = ((max_x - min_x + 1) * (max_y - min_y + 1)) as u64;
    if cost > *budget {
        return;
    }
    *budget -= cost;
    for y in min_y..=max_y {
        for x in min_x..=max_x {
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            let w0 = ((b.x - px) * (c.y - py) - (b.y - py) * (c.x - px)) / area;
            let w1 = ((c.x - px) * (a.y - py) - (c.y - py) * (a.x - px)) / area;
            let w2 = 1.0 - w0 - w1;
            if w0 < 0.0 || w1 < 0.0 || w2 < 0.0 {
                continue;
            }
            let z = w0 * a.z + w1 * b.z + w2 * c.z;
            let i = y * size + x;
            if z < depth[i] {
                depth[i] = z;
                color[i] = rgba;
            }
        }
    }
}
