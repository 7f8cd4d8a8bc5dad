//! Parsing the glTF JSON the way exporters write it: numbers like `1.0` where the schema wants
//! an integer (the JSON schema allows them), extensions we can handle taken out of
//! `extensionsRequired`, ones we cannot named with the export setting that avoids them,
//! optional ones ignored with a note. What the lab needs from extensions is read here, before
//! the gltf crate's typed document (which drops unknown extension data) is built.

use std::collections::HashMap;

use serde_json::Value;

use super::report::Problem;

/// Extensions the ingest reads itself.
const HANDLED: &[&str] = &[
    "KHR_mesh_quantization",
    "KHR_texture_transform",
    "EXT_meshopt_compression",
    "EXT_texture_webp",
    "KHR_materials_emissive_strength",
];

/// `KHR_texture_transform` of a material's base colour texture: uv' = T · R · S · uv.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextureTransform {
    pub offset: [f32; 2],
    pub rotation: f32,
    pub scale: [f32; 2],
}

impl TextureTransform {
    pub fn apply(&self, uv: [f32; 2]) -> [f32; 2] {
        let (s, c) = self.rotation.sin_cos();
        let (x, y) = (uv[0] * self.scale[0], uv[1] * self.scale[1]);
        [
            c * x - s * y + self.offset[0],
            s * x + c * y + self.offset[1],
        ]
    }
}

/// `EXT_meshopt_compression` of one bufferView.
#[derive(Debug, Clone, PartialEq)]
pub struct MeshoptView {
    pub buffer: usize,
    pub offset: usize,
    pub length: usize,
    pub stride: usize,
    pub count: usize,
    pub mode: String,
    pub filter: String,
}

/// The typed document plus what the lab reads from its extensions.
pub struct Parsed {
    pub doc: gltf::Document,
    /// Per material index.
    pub texture_transforms: HashMap<usize, TextureTransform>,
    /// Per bufferView index.
    pub meshopt_views: HashMap<usize, MeshoptView>,
    /// Buffers that only stand in for compressed data (`fallback`): never read.
    pub fallback_buffers: Vec<usize>,
    pub notes: Vec<String>,
}

/// Parses and validates the glTF JSON.
pub fn parse(json: &[u8]) -> Result<Parsed, Problem> {
    let mut value: Value = serde_json::from_slice(json)
        .map_err(|e| Problem::new("not_gltf", format!("the glTF JSON cannot be read: {e}")))?;
    if !value.is_object() {
        return Err(Problem::new("not_gltf", "the glTF JSON is not an object"));
    }
    integral_numbers(&mut value);
    let mut notes = Vec::new();
    required_extensions(&mut value)?;
    optional_extensions(&value, &mut notes);
    let custom = custom_attributes(&mut value);
    if !custom.is_empty() {
        notes.push(format!(
            "custom vertex attribute(s) {} were ignored",
            custom.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    let webp = webp_sources(&mut value)?;
    if webp > 0 {
        notes.push(format!("{webp} WebP texture(s) were converted to PNG"));
    }
    let texture_transforms = texture_transforms(&value);
    let (meshopt_views, fallback_buffers) = meshopt(&value)?;
    let root: gltf::json::Root = serde_json::from_value(value)
        .map_err(|e| Problem::new("not_gltf", format!("the glTF JSON cannot be read: {e}")))?;
    primitive_references(&root)?;
    let doc = gltf::Document::from_json(root).map_err(|e| match e {
        gltf::Error::Validation(errors) => {
            let shown: Vec<String> = errors
                .iter()
                .take(5)
                .map(|(path, err)| format!("{path}: {err}"))
                .collect();
            Problem::new(
                "invalid_gltf",
                format!(
                    "the glTF breaks the specification in {} place(s): {}",
                    errors.len(),
                    shown.join("; ")
                ),
            )
        }
        other => Problem::new("invalid_gltf", format!("the glTF is invalid: {other}")),
    })?;
    Ok(Parsed {
        doc,
        texture_transforms,
        meshopt_views,
        fallback_buffers,
        notes,
    })
}

/// `1.0` → `1`: the glTF JSON schema's "integer" accepts numbers with a zero fraction, serde
/// does not; floats are read from integers either way.
fn integral_numbers(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            if f.fract() == 0.0 && f.abs() < 9.0e15 {
                *value = if f < 0.0 {
                    Value::from(f as i64)
                } else {
                    Value::from(f as u64)
                };
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(map) => map.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// The elements of the top-level array `key` with their indices (none when it is missing).
fn items<'v>(value: &'v Value, key: &str) -> impl Iterator<Item = (usize, &'v Value)> {
    value[key].as_array().into_iter().flatten().enumerate()
}

fn names(value: &Value, key: &str) -> Vec<String> {
    value[key]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The export setting that avoids an extension we cannot read.
fn unsupported(ext: &str) -> Problem {
    let message = match ext {
        "KHR_draco_mesh_compression" => "the model is Draco-compressed (KHR_draco_mesh_compression), which the lab cannot read: export again without it (Blender: glTF export › Data › Mesh › Compression off; Sketchfab: download the plain glTF/GLB, not the \"compressed\" one)".to_string(),
        "KHR_texture_basisu" => "the textures are KTX2/Basis Universal (KHR_texture_basisu) without a PNG or JPEG fallback: export the textures as PNG or JPEG (Blender: glTF export › Data › Material › Images: Automatic or JPEG; gltf-transform: leave out `etc1s`/`uastc`)".to_string(),
        other => format!(
            "the model needs the glTF extension {other}, which the lab cannot read: export without it"
        ),
    };
    Problem::new("unsupported_extension", message)
}

fn required_extensions(value: &mut Value) -> Result<(), Problem> {
    for ext in names(value, "extensionsRequired") {
        if !HANDLED.contains(&ext.as_str()) {
            return Err(unsupported(&ext));
        }
    }
    if let Some(map) = value.as_object_mut() {
        map.remove("extensionsRequired");
    }
    Ok(())
}

fn optional_extensions(value: &Value, notes: &mut Vec<String>) {
    let ignored: Vec<String> = names(value, "extensionsUsed")
        .into_iter()
        .filter(|e| !HANDLED.contains(&e.as_str()))
        .collect();
    if !ignored.is_empty() {
        notes.push(format!(
            "ignored glTF extension(s) {}: the model is drawn without them",
            ignored.join(", ")
        ));
    }
}

/// Application-specific vertex attributes (`_FEATURE_ID_0`, `_BATCHID`): the lab has no use
/// for them; taken out before the typed document (which would call them invalid).
fn custom_attributes(value: &mut Value) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    let meshes = value.get_mut("meshes").and_then(Value::as_array_mut);
    for mesh in meshes.into_iter().flatten() {
        let primitives = mesh.get_mut("primitives").and_then(Value::as_array_mut);
        for prim in primitives.into_iter().flatten() {
            if let Some(attributes) = prim.get_mut("attributes").and_then(Value::as_object_mut) {
                attributes.retain(|name, _| {
                    let custom = name.starts_with('_');
                    if custom {
                        names.insert(name.clone());
                    }
                    !custom
                });
            }
        }
    }
    names
}

/// Textures whose only source is `EXT_texture_webp` get it as their source (the image is
/// converted to PNG later); ones with a basisu source only are refused.
fn webp_sources(value: &mut Value) -> Result<usize, Problem> {
    let mut converted = 0;
    let Some(textures) = value.get_mut("textures").and_then(Value::as_array_mut) else {
        return Ok(0);
    };
    for texture in textures.iter_mut() {
        let ext = &texture["extensions"];
        let webp = ext["EXT_texture_webp"]["source"].as_u64();
        let basisu = ext["KHR_texture_basisu"]["source"].as_u64();
        if texture.get("source").is_none() {
            match (webp, basisu) {
                (Some(s), _) => {
                    texture["source"] = Value::from(s);
                    converted += 1;
                }
                (None, Some(_)) => return Err(unsupported("KHR_texture_basisu")),
                (None, None) => {}
            }
        }
    }
    Ok(converted)
}

fn f32_pair(v: &Value, default: [f32; 2]) -> [f32; 2] {
    match v.as_array().map(Vec::as_slice) {
        Some([a, b]) => [
            a.as_f64().unwrap_or(default[0] as f64) as f32,
            b.as_f64().unwrap_or(default[1] as f64) as f32,
        ],
        _ => default,
    }
}

fn texture_transforms(value: &Value) -> HashMap<usize, TextureTransform> {
    let mut out = HashMap::new();
    for (i, material) in items(value, "materials") {
        let t = &material["pbrMetallicRoughness"]["baseColorTexture"]["extensions"]["KHR_texture_transform"];
        if t.is_object() {
            out.insert(
                i,
                TextureTransform {
                    offset: f32_pair(&t["offset"], [0.0, 0.0]),
                    rotation: t["rotation"].as_f64().unwrap_or(0.0) as f32,
                    scale: f32_pair(&t["scale"], [1.0, 1.0]),
                },
            );
        }
    }
    out
}

fn meshopt(value: &Value) -> Result<(HashMap<usize, MeshoptView>, Vec<usize>), Problem> {
    let mut views = HashMap::new();
    for (i, view) in items(value, "bufferViews") {
        let ext = &view["extensions"]["EXT_meshopt_compression"];
        if !ext.is_object() {
            continue;
        }
        let number = |k: &str| ext[k].as_u64().map(|n| n as usize);
        let (Some(buffer), Some(length), Some(stride), Some(count)) = (
            number("buffer"),
            number("byteLength"),
            number("byteStride"),
            number("count"),
        ) else {
            return Err(Problem::new(
                "invalid_gltf",
                format!(
                    "bufferView {i}: its EXT_meshopt_compression lacks buffer, byteLength, byteStride or count"
                ),
            ));
        };
        views.insert(
            i,
            MeshoptView {
                buffer,
                offset: number("byteOffset").unwrap_or(0),
                length,
                stride,
                count,
                mode: ext["mode"].as_str().unwrap_or("").to_string(),
                filter: ext["filter"].as_str().unwrap_or("NONE").to_string(),
            },
        );
    }
    let fallback = items(value, "buffers")
        .filter(|(_, b)| {
            b["extensions"]["EXT_meshopt_compression"]["fallback"] == Value::Bool(true)
        })
        .map(|(i, _)| i)
        .collect();
    Ok((views, fallback))
}

/// gltf-json 1.4.1's validation indexes a primitive's POSITION accessor before checking that
/// it exists (and panics); so primitive references are checked here first.
fn primitive_references(root: &gltf::json::Root) -> Result<(), Problem> {
    let accessors = root.accessors.len();
    for (m, mesh) in root.meshes.iter().enumerate() {
        for (p, prim) in mesh.primitives.iter().enumerate() {
            let used = prim
                .attributes
                .values()
                .chain(prim.indices.iter())
                .map(|i| i.value());
            for index in used {
                if index >= accessors {
                    return Err(Problem::new(
                        "invalid_gltf",
                        format!(
                            "mesh {m}, primitive {p} uses accessor {index}, but the file has only {accessors} accessor(s)"
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_written_as_floats_are_read() {
        let mut v: Value =
            serde_json::from_str(r#"{"a": 1.0, "b": [2.5, 3.0], "c": -1.0}"#).unwrap();
        integral_numbers(&mut v);
        assert_eq!(v["a"], Value::from(1u64));
        assert_eq!(v["b"][0], Value::from(2.5));
        assert_eq!(v["b"][1], Value::from(3u64));
        assert_eq!(v["c"], Value::from(-1i64));
    }

    #[test]
    fn draco_is_refused_with_the_export_setting() {
        let json = br#"{"asset":{"version":"2.0"},"extensionsUsed":["KHR_draco_mesh_compression"],"extensionsRequired":["KHR_draco_mesh_compression"]}"#;
        let err = parse(json).err().unwrap();
        assert_eq!(err.rule, "unsupported_extension");
        assert!(err.message.contains("Compression off"), "{}", err.message);
    }

    #[test]
    fn optional_extensions_are_noted_not_refused() {
        let json = br#"{"asset":{"version":"2.0"},"extensionsUsed":["KHR_lights_punctual","VENDOR_thing"]}"#;
        let parsed = parse(json).unwrap();
        assert!(parsed.notes[0].contains("KHR_lights_punctual, VENDOR_thing"));
    }

    #[test]
    fn texture_transform_rotates_scales_and_moves() {
        let t = TextureTransform {
            offset: [0.5, 0.0],
            rotation: std::f32::consts::FRAC_PI_2,
            scale: [2.0, 2.0],
        };
        let [u, v] = t.apply([1.0, 0.0]);
        assert!((u - 0.5).abs() < 1e-5 && (v - 2.0).abs() < 1e-5, "{u} {v}");
    }
}
