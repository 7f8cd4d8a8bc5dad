//! Reading a glTF document into the exhibition's [`Model`], checking every reference on the
//! way: buffers, views, accessors, images, node hierarchy. Nothing is read from outside the
//! upload; nothing is indexed before its range was checked.

use std::borrow::Cow;
use std::collections::HashMap;

use base64::Engine;
use gltf::mesh::Mode;

use super::budget::Deadline;
use super::document::Parsed;
use super::geometry;
use super::limits::{
    MAX_FILE_BYTES, MAX_IMAGES, MAX_TEXTURE_BYTES, MAX_TEXTURE_EDGE, MAX_TRIANGLES, MAX_VERTICES,
};
use super::meshopt_views;
use super::report::{Problem, Report};
use super::unpack::safe_name;
use crate::exhibits::glb::{Image, Model};

/// Where a document's URIs point: the GLB's BIN chunk, or the files of a zip.
pub struct Resources<'a> {
    pub bin: Option<&'a [u8]>,
    pub files: Option<&'a HashMap<String, Vec<u8>>>,
    /// Folder of the .gltf inside the zip ("" for the top), for relative URIs.
    pub base_dir: String,
    /// The document's `data:` URIs, decoded once ([`decode_data_uris`]).
    pub data_uris: &'a HashMap<String, Vec<u8>>,
}

impl<'a> Resources<'a> {
    fn resolve(&self, uri: &str, what: &str) -> Result<&'a [u8], Problem> {
        if uri.starts_with("data:") {
            return self.data_uris.get(uri).map(Vec::as_slice).ok_or_else(|| {
                Problem::new(
                    "bad_data_uri",
                    format!("{what}: its data: URI cannot be read"),
                )
            });
        }
        // A scheme (`https:`, `file:`, `C:`) or a protocol-relative `//host/…`.
        if uri.contains(':') || uri.starts_with("//") {
            return Err(Problem::new(
                "external_uri",
                format!(
                    "{what} points outside the upload ({uri}): external URIs are not allowed; embed the data (GLB) or put the file into the zip"
                ),
            ));
        }
        let Some(files) = self.files else {
            return Err(Problem::new(
                "external_uri",
                format!(
                    "{what} refers to a separate file ({uri}), but a GLB must hold all its data: export as GLB with embedded data, or upload a zip with the file beside the .gltf"
                ),
            ));
        };
        let decoded = percent_decode(uri);
        let joined = if self.base_dir.is_empty() {
            decoded.clone()
        } else {
            format!("{}/{decoded}", self.base_dir)
        };
        let Some(path) = safe_name(&joined) else {
            return Err(Problem::new(
                "unsafe_path",
                format!("{what} refers to {uri}, which points outside the archive"),
            ));
        };
        files.get(&path).map(Vec::as_slice).ok_or_else(|| {
            Problem::new(
                "missing_file",
                format!("{what} refers to {uri}, which is not in the zip"),
            )
        })
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every distinct `data:` URI of the document's buffers and images, decoded once: a buffer
/// shared by hundreds of images is held once, and images borrow their views from it.
pub fn decode_data_uris(doc: &gltf::Document) -> Result<HashMap<String, Vec<u8>>, Problem> {
    let uris = doc
        .buffers()
        .filter_map(|b| match b.source() {
            gltf::buffer::Source::Uri(u) => Some(u),
            gltf::buffer::Source::Bin => None,
        })
        .chain(doc.images().filter_map(|i| match i.source() {
            gltf::image::Source::Uri { uri, .. } => Some(uri),
            gltf::image::Source::View { .. } => None,
        }));
    let mut out = HashMap::new();
    for uri in uris {
        let Some(rest) = uri.strip_prefix("data:") else {
            continue;
        };
        if out.contains_key(uri) {
            continue;
        }
        let Some((_, data)) = rest.split_once(";base64,") else {
            return Err(Problem::new(
                "bad_data_uri",
                "a data: URI has no base64 data",
            ));
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| {
                Problem::new(
                    "bad_data_uri",
                    format!("a data: URI's base64 data is broken: {e}"),
                )
            })?;
        out.insert(uri.to_string(), bytes);
    }
    Ok(out)
}

/// The bytes of every bufferView: borrowed from their buffer, or decoded from meshopt.
fn views<'a>(
    parsed: &Parsed,
    buffers: &[&'a [u8]],
    problems: &mut Vec<Problem>,
) -> Vec<Cow<'a, [u8]>> {
    let mut out = Vec::new();
    let mut budget = MAX_FILE_BYTES;
    for view in parsed.doc.views() {
        if let Some(m) = parsed.meshopt_views.get(&view.index()) {
            match meshopt_views::decode(view.index(), m, buffers, &mut budget) {
                Ok(bytes) => out.push(Cow::Owned(bytes)),
                Err(p) => {
                    problems.push(p);
                    out.push(Cow::Borrowed(&[][..]));
                }
            }
            continue;
        }
        let buffer = buffers[view.buffer().index()];
        let range = view.offset()..view.offset().saturating_add(view.length());
        match buffer.get(range) {
            Some(bytes) => out.push(Cow::Borrowed(bytes)),
            None => {
                problems.push(Problem::new(
                    "view_out_of_range",
                    format!(
                        "bufferView {} reaches past the end of buffer {}",
                        view.index(),
                        view.buffer().index()
                    ),
                ));
                out.push(Cow::Borrowed(&[][..]));
            }
        }
    }
    out
}

/// Image formats the ingest takes (WebP and JPEG are converted to PNG later).
fn image_mime(bytes: &[u8]) -> Option<&'static str> {
    match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => Some("image/png"),
        Ok(imagesize::ImageType::Jpeg) => Some("image/jpeg"),
        Ok(imagesize::ImageType::Webp) => Some("image/webp"),
        _ => None,
    }
}

/// Reads the upload's model; `report` gets its figures even when a rule is broken.
pub fn read<'a>(
    parsed: &Parsed,
    res: &Resources<'a>,
    report: &mut Report,
    deadline: Deadline,
) -> Result<Model<'a>, Vec<Problem>> {
    let doc = &parsed.doc;
    let mut problems = Vec::new();
    report.notes.extend(parsed.notes.iter().cloned());

    let mut buffers: Vec<&'a [u8]> = Vec::new();
    for buffer in doc.buffers() {
        let what = format!("buffer {}", buffer.index());
        if parsed.fallback_buffers.contains(&buffer.index()) {
            buffers.push(&[]);
            continue;
        }
        let data = match buffer.source() {
            gltf::buffer::Source::Bin => res.bin.ok_or_else(|| {
                Problem::new(
                    "missing_bin",
                    format!("{what} uses the GLB's binary chunk, but the file has none"),
                )
            }),
            gltf::buffer::Source::Uri(uri) => res.resolve(uri, &what),
        };
        match data {
            Ok(d) if d.len() < buffer.length() => {
                problems.push(Problem::new(
                    "buffer_too_short",
                    format!(
                        "{what} should hold {} bytes but has {}: the file is cut off or broken",
                        buffer.length(),
                        d.len()
                    ),
                ));
                buffers.push(&[]);
            }
            Ok(d) => buffers.push(d),
            Err(p) => {
                problems.push(p);
                buffers.push(&[]);
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let views = views(parsed, &buffers, &mut problems);

    // Images: format and size from their headers; pixels are not decoded here.
    let image_count = doc.images().count();
    if image_count > MAX_IMAGES {
        problems.push(Problem::new(
            "too_many_images",
            format!("the model has {image_count} images; at most {MAX_IMAGES} are allowed: combine textures into an atlas"),
        ));
        return Err(problems);
    }
    let mut images: HashMap<usize, Image<'a>> = HashMap::new();
    for image in doc.images() {
        let what = format!("image {}", image.index());
        let bytes = match image.source() {
            gltf::image::Source::View { view, .. } => Ok(views[view.index()].clone()),
            gltf::image::Source::Uri { uri, .. } => res.resolve(uri, &what).map(Cow::Borrowed),
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let Some(mime) = image_mime(&bytes) else {
            problems.push(Problem::new(
                "unsupported_image",
                format!("{what} is not a PNG, JPEG or WebP image: convert it to PNG or JPEG"),
            ));
            continue;
        };
        let Ok(size) = imagesize::blob_size(&bytes) else {
            problems.push(Problem::new(
                "broken_image",
                format!("{what}: its header cannot be read; the image is broken"),
            ));
            continue;
        };
        if size.width > MAX_TEXTURE_EDGE || size.height > MAX_TEXTURE_EDGE {
            problems.push(Problem::new(
                "texture_too_large",
                format!(
                    "{what} is {}×{} pixels; textures may be at most {MAX_TEXTURE_EDGE}×{MAX_TEXTURE_EDGE}: scale it down",
                    size.width, size.height
                ),
            ));
        }
        report.textures += 1;
        report.texture_bytes += size.width as u64 * size.height as u64 * 4;
        images.insert(image.index(), Image { mime, bytes });
    }
    if report.texture_bytes > MAX_TEXTURE_BYTES {
        problems.push(Problem::new(
            "texture_memory",
            format!(
                "the textures need {} MB of memory once decoded; at most {} MB are allowed: use fewer or smaller textures",
                report.texture_bytes / (1024 * 1024),
                MAX_TEXTURE_BYTES / (1024 * 1024)
            ),
        ));
    }

    let instances = match geometry::instances(doc) {
        Ok(i) => i,
        Err(p) => {
            problems.push(p);
            return Err(problems);
        }
    };
    // The budget, counted from the accessors' declared counts before anything is read.
    let mut skipped = 0usize;
    let mut vertices = 0u64;
    for (_, mesh) in &instances {
        for prim in mesh.primitives() {
            if prim.mode() != Mode::Triangles {
                skipped += 1;
                continue;
            }
            let Some(positions) = prim.get(&gltf::Semantic::Positions) else {
                continue;
            };
            let count = match prim.indices() {
                Some(i) => i.count(),
                None => positions.count(),
            };
            report.triangles += count as u64 / 3;
            vertices += positions.count() as u64;
            for (semantic, accessor) in prim.attributes() {
                if accessor.count() != positions.count() {
                    problems.push(Problem::new(
                        "attribute_mismatch",
                        format!(
                            "mesh {}: attribute {} has {} elements but POSITION has {}",
                            mesh.index(),
                            semantic.to_string(),
                            accessor.count(),
                            positions.count()
                        ),
                    ));
                }
            }
        }
    }
    report.materials = doc.materials().count() as u32;
    if report.triangles > MAX_TRIANGLES {
        problems.push(Problem::new(
            "too_many_triangles",
            format!(
                "the model has {} triangles; at most {MAX_TRIANGLES} are allowed: simplify it (e.g. Blender's Decimate modifier)",
                report.triangles
            ),
        ));
    }
    if vertices > MAX_VERTICES {
        problems.push(Problem::new(
            "too_many_vertices",
            format!(
                "drawing the model means reading {vertices} vertices (every copy of a mesh counts); at most {MAX_VERTICES} are allowed: remove unused vertices or copies (Blender: Merge by Distance; export only selected objects)"
            ),
        ));
    }
    if skipped > 0 {
        report.notes.push(format!(
            "{skipped} primitive(s) are points or lines and were left out"
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    geometry::read(parsed, &instances, &views, &images, deadline, report).map_err(|p| vec![p])
}
