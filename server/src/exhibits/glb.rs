//! Writing GLB files: the one form exhibits are stored and served in.
//!
//! Generated default exhibits and rebuilt uploads both end here, so clients only ever read
//! one simple shape of glTF: one mesh per material, indexed triangles, positions, normals,
//! optional texture coordinates, embedded PNG/JPEG images.

use std::borrow::Cow;

use serde_json::{Value, json};

/// A material as the exhibition uses it (glTF's metallic-roughness model).
#[derive(Debug, Clone, PartialEq)]
pub struct Material {
    pub name: String,
    pub base_color: [f32; 4],
    pub metallic: f32,
    pub roughness: f32,
    pub emissive: [f32; 3],
    /// Index into [`Model::images`].
    pub base_color_texture: Option<usize>,
    pub double_sided: bool,
    pub blend: bool,
}

impl Material {
    pub fn color(name: &str, rgb: u32) -> Material {
        let c = |shift: u32| ((rgb >> shift) & 0xff) as f32 / 255.0;
        Material {
            name: name.to_string(),
            base_color: [
                srgb_to_linear(c(16)),
                srgb_to_linear(c(8)),
                srgb_to_linear(c(0)),
                1.0,
            ],
            metallic: 0.0,
            roughness: 0.7,
            emissive: [0.0; 3],
            base_color_texture: None,
            double_sided: false,
            blend: false,
        }
    }

    pub fn metal(mut self) -> Material {
        self.metallic = 0.8;
        self.roughness = 0.35;
        self
    }

    pub fn glowing(mut self) -> Material {
        self.emissive = [self.base_color[0], self.base_color[1], self.base_color[2]];
        self
    }
}

fn srgb_to_linear(c: f32) -> f32 {
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// Triangles sharing one material.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Part {
    pub positions: Vec<[f32; 3]>,
    pub normals: Vec<[f32; 3]>,
    /// Empty, or one per position.
    pub uvs: Vec<[f32; 2]>,
    pub indices: Vec<u32>,
}

impl Part {
    pub fn triangles(&self) -> usize {
        self.indices.len() / 3
    }
}

/// An encoded PNG or JPEG; borrowed from the upload where possible (a 50 MB texture is not
/// copied on its way through).
#[derive(Debug, Clone, PartialEq)]
pub struct Image<'a> {
    pub mime: &'static str,
    pub bytes: Cow<'a, [u8]>,
}

/// A whole model: `parts[i]` is drawn with `materials[i]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model<'a> {
    pub materials: Vec<Material>,
    pub parts: Vec<Part>,
    pub images: Vec<Image<'a>>,
}

impl Model<'_> {
    pub fn triangles(&self) -> usize {
        self.parts.iter().map(Part::triangles).sum()
    }

    /// Smallest and largest corner over every position.
    pub fn bounds(&self) -> Option<([f32; 3], [f32; 3])> {
        let mut points = self.parts.iter().flat_map(|p| p.positions.iter());
        let first = *points.next()?;
        Some(points.fold((first, first), |(lo, hi), p| {
            (
                [lo[0].min(p[0]), lo[1].min(p[1]), lo[2].min(p[2])],
                [hi[0].max(p[0]), hi[1].max(p[1]), hi[2].max(p[2])],
            )
        }))
    }
}

/// The BIN chunk laid out before it is written: pieces at 4-aligned offsets, as glTF asks
/// of accessors. Pieces are written once, straight into the output file.
#[derive(Default)]
struct BinChunk<'m> {
    pieces: Vec<(usize, Cow<'m, [u8]>)>,
    len: usize,
    views: Vec<Value>,
}

impl<'m> BinChunk<'m> {
    fn push(&mut self, data: Cow<'m, [u8]>, target: Option<u32>) -> usize {
        self.len = self.len.next_multiple_of(4);
        let mut view = json!({ "buffer": 0, "byteOffset": self.len, "byteLength": data.len() });
        if let Some(t) = target {
            view["target"] = json!(t);
        }
        let at = self.len;
        self.len += data.len();
        self.pieces.push((at, data));
        self.views.push(view);
        self.views.len() - 1
    }
}

const ARRAY_BUFFER: u32 = 34962;
const ELEMENT_ARRAY_BUFFER: u32 = 34963;
const FLOAT: u32 = 5126;
const UNSIGNED_SHORT: u32 = 5123;
const UNSIGNED_INT: u32 = 5125;

fn floats<const N: usize>(items: &[[f32; N]]) -> Vec<u8> {
    items
        .iter()
        .flatten()
        .flat_map(|v| v.to_le_bytes())
        .collect()
}

/// Serialises `model` as a binary glTF 2.0 file.
pub fn write(model: &Model) -> Vec<u8> {
    let mut bin = BinChunk::default();
    let mut accessors = Vec::new();
    let mut meshes = Vec::new();
    let mut nodes = Vec::new();
    for (i, part) in model.parts.iter().enumerate() {
        if part.indices.is_empty() {
            continue;
        }
        let (lo, hi) = Model {
            parts: vec![part.clone()],
            ..Default::default()
        }
        .bounds()
        .unwrap_or(([0.0; 3], [0.0; 3]));
        let pos = bin.push(floats(&part.positions).into(), Some(ARRAY_BUFFER));
        accessors.push(json!({ "bufferView": pos, "componentType": FLOAT, "count": part.positions.len(), "type": "VEC3", "min": lo, "max": hi }));
        let mut attributes = json!({ "POSITION": accessors.len() - 1 });
        let nrm = bin.push(floats(&part.normals).into(), Some(ARRAY_BUFFER));
        accessors.push(json!({ "bufferView": nrm, "componentType": FLOAT, "count": part.normals.len(), "type": "VEC3" }));
        attributes["NORMAL"] = json!(accessors.len() - 1);
        if !part.uvs.is_empty() {
            let uv = bin.push(floats(&part.uvs).into(), Some(ARRAY_BUFFER));
            accessors.push(json!({ "bufferView": uv, "componentType": FLOAT, "count": part.uvs.len(), "type": "VEC2" }));
            attributes["TEXCOORD_0"] = json!(accessors.len() - 1);
        }
        // 16-bit indices where they fit: half the index bytes for most exhibits.
        let (index_bytes, kind): (Vec<u8>, u32) = if part.positions.len() <= u16::MAX as usize {
            let b = part
                .indices
                .iter()
                .flat_map(|&i| (i as u16).to_le_bytes())
                .collect();
            (b, UNSIGNED_SHORT)
        } else {
            let b = part.indices.iter().flat_map(|i| i.to_le_bytes()).collect();
            (b, UNSIGNED_INT)
        };
        let idx = bin.push(index_bytes.into(), Some(ELEMENT_ARRAY_BUFFER));
        accessors.push(json!({ "bufferView": idx, "componentType": kind, "count": part.indices.len(), "type": "SCALAR" }));
        meshes.push(json!({ "primitives": [{ "attributes": attributes, "indices": accessors.len() - 1, "material": i }] }));
        nodes.push(json!({ "mesh": meshes.len() - 1 }));
    }
    let images: Vec<Value> = model
        .images
        .iter()
        .map(|img| {
            let view = bin.push(Cow::Borrowed(&img.bytes[..]), None);
            json!({ "bufferView": view, "mimeType": img.mime })
        })
        .collect();
    let textures: Vec<Value> = (0..images.len())
        .map(|i| json!({ "source": i, "sampler": 0 }))
        .collect();
    let materials: Vec<Value> = model
        .materials
        .iter()
        .map(|m| {
            let mut pbr = json!({ "baseColorFactor": m.base_color, "metallicFactor": m.metallic, "roughnessFactor": m.roughness });
            if let Some(t) = m.base_color_texture {
                pbr["baseColorTexture"] = json!({ "index": t });
            }
            let mut mat = json!({ "name": m.name, "pbrMetallicRoughness": pbr, "emissiveFactor": m.emissive });
            if m.double_sided {
                mat["doubleSided"] = json!(true);
            }
            if m.blend {
                mat["alphaMode"] = json!("BLEND");
            }
            mat
        })
        .collect();
    let bin_len = bin.len.next_multiple_of(4);
    let mut doc = json!({
        "asset": { "version": "2.0", "generator": "stadtlab" },
        "scene": 0,
        "scenes": [{ "nodes": (0..nodes.len()).collect::<Vec<_>>() }],
        "nodes": nodes,
        "meshes": meshes,
        "materials": materials,
        "accessors": accessors,
        "bufferViews": bin.views,
        "buffers": [{ "byteLength": bin_len }],
    });
    if !images.is_empty() {
        doc["images"] = json!(images);
        doc["textures"] = json!(textures);
        // Linear filtering with mipmaps, repeat: what exporters write by default.
        doc["samplers"] = json!([{ "magFilter": 9729, "minFilter": 9987 }]);
    }
    let json = serde_json::to_vec(&doc).expect("JSON of plain values");
    let mut out = header(&json, bin_len);
    let bin_start = out.len();
    for (at, piece) in &bin.pieces {
        out.resize(bin_start + at, 0);
        out.extend_from_slice(piece);
    }
    out.resize(bin_start + bin_len, 0);
    out
}

/// A whole GLB from a JSON text and a BIN chunk.
pub fn assemble(json: &[u8], bin: &[u8]) -> Vec<u8> {
    let mut out = header(json, bin.len().next_multiple_of(4));
    out.extend_from_slice(bin);
    out.resize(out.len().next_multiple_of(4), 0);
    out
}

/// The GLB container up to the BIN chunk's data: header, JSON chunk (space-padded), BIN
/// chunk header; the buffer has room for the BIN data.
fn header(json: &[u8], bin_len: usize) -> Vec<u8> {
    let mut json = json.to_vec();
    while !json.len().is_multiple_of(4) {
        json.push(b' ');
    }
    let has_bin = bin_len > 0;
    let total = 12 + 8 + json.len() + if has_bin { 8 + bin_len } else { 0 };
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(b"glTF");
    out.extend_from_slice(&2u32.to_le_bytes());
    out.extend_from_slice(&(total as u32).to_le_bytes());
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(b"JSON");
    out.extend_from_slice(&json);
    if has_bin {
        out.extend_from_slice(&(bin_len as u32).to_le_bytes());
        out.extend_from_slice(b"BIN\0");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_glb_parses_with_the_gltf_crate() {
        let model = Model {
            materials: vec![Material::color("red", 0xd20f39)],
            parts: vec![Part {
                positions: vec![[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
                normals: vec![[0.0, 0.0, 1.0]; 3],
                uvs: vec![],
                indices: vec![0, 1, 2],
            }],
            images: vec![],
        };
        let bytes = write(&model);
        let gltf = gltf::Gltf::from_slice(&bytes).unwrap();
        assert_eq!(gltf.meshes().count(), 1);
        assert_eq!(gltf.materials().count(), 1);
        assert!(gltf.blob.is_some());
    }
}
