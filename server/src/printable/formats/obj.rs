//! OBJ, as text or zipped with its MTL files and textures, read with `tobj` (it triangulates
//! polygons and resolves negative, relative indices; out-of-range ones are its errors).
//! OBJ has no unit: millimetres are assumed, as slicers do.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{BufReader, Cursor};
use std::path::Path;

use glam::Vec3;

use super::{Parsed, assumed_mm, check_counts};
use crate::exhibits::ingest::report::Problem;
use crate::exhibits::ingest::unpack::{safe_name, unzip_files};
use crate::printable::limits::MAX_UNPACKED_BYTES;
use crate::printable::mesh::{Mesh, PLAIN};

/// Text whose early lines hold vertex records ("v x y z").
pub fn looks_like_obj(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    !head[..head.len().min(4096)].contains(&0)
        && head
            .split(|&b| b == b'\n')
            .any(|line| line.trim_ascii_start().starts_with(b"v "))
}

pub fn read(bytes: &[u8]) -> Result<Parsed, Problem> {
    let (obj_name, files) = if bytes.starts_with(b"PK\x03\x04") {
        let files = unzip_files(bytes, MAX_UNPACKED_BYTES)?;
        let mut objs: Vec<&String> = files
            .keys()
            .filter(|n| n.to_ascii_lowercase().ends_with(".obj"))
            .collect();
        objs.sort();
        let name = match objs.as_slice() {
            [one] => (*one).clone(),
            [] => {
                return Err(Problem::new("no_obj_in_zip", "the zip holds no .obj file"));
            }
            more => {
                return Err(Problem::new(
                    "several_obj_in_zip",
                    format!(
                        "the zip holds {} .obj files: upload one model at a time",
                        more.len()
                    ),
                ));
            }
        };
        (name, files)
    } else {
        let mut files = HashMap::new();
        files.insert("model.obj".to_string(), bytes.to_vec());
        ("model.obj".to_string(), files)
    };
    let dir = obj_name
        .rsplit_once('/')
        .map(|(d, _)| format!("{d}/"))
        .unwrap_or_default();
    let mut notes = Vec::new();
    let outside: RefCell<Option<String>> = RefCell::new(None);
    let missing: RefCell<Vec<String>> = RefCell::new(Vec::new());
    let loader = |path: &Path| {
        let wanted = path.to_string_lossy().to_string();
        let Some(name) = safe_name(&format!("{dir}{wanted}")) else {
            *outside.borrow_mut() = Some(wanted);
            return Err(tobj::LoadError::OpenFileFailed);
        };
        match files.get(&name) {
            Some(data) => tobj::load_mtl_buf(&mut BufReader::new(Cursor::new(data))),
            None => {
                missing.borrow_mut().push(wanted);
                Err(tobj::LoadError::OpenFileFailed)
            }
        }
    };
    let options = tobj::LoadOptions {
        triangulate: true,
        ignore_points: true,
        ignore_lines: true,
        ..Default::default()
    };
    let mut reader = BufReader::new(Cursor::new(&files[&obj_name]));
    let loaded = tobj::load_obj_buf(&mut reader, &options, loader);
    if let Some(wanted) = outside.into_inner() {
        return Err(outside_reference(&wanted));
    }
    let (models, materials) = loaded.map_err(|e| {
        Problem::new(
            "corrupt_obj",
            format!(
                "the OBJ cannot be read: {e} (a face refers to a corner that does not exist, with index 0 or beyond the list, or a line is malformed)"
            ),
        )
    })?;
    for name in missing.into_inner() {
        notes.push(format!(
            "the material file \"{name}\" is not in the upload: the model is shown without its colours (zip the .obj with its .mtl)"
        ));
    }
    let materials = materials.unwrap_or_default();
    for m in &materials {
        for texture in [
            &m.ambient_texture,
            &m.diffuse_texture,
            &m.specular_texture,
            &m.normal_texture,
            &m.shininess_texture,
            &m.dissolve_texture,
        ]
        .into_iter()
        .flatten()
        {
            if safe_name(&format!("{dir}{texture}")).is_none() {
                return Err(outside_reference(texture));
            }
        }
    }
    if materials.iter().any(|m| m.diffuse_texture.is_some()) {
        notes.push(
            "textures are not shown on printable models: the view uses each material's colour"
                .into(),
        );
    }
    let triangles: usize = models.iter().map(|m| m.mesh.indices.len() / 3).sum();
    let vertices: usize = models.iter().map(|m| m.mesh.positions.len() / 3).sum();
    check_counts(triangles, vertices)?;
    let mut mesh = Mesh::default();
    for model in &models {
        let positions: Vec<Vec3> = model
            .mesh
            .positions
            .chunks_exact(3)
            .map(|p| Vec3::new(p[0], p[1], p[2]))
            .collect();
        let tris: Vec<[u32; 3]> = model
            .mesh
            .indices
            .chunks_exact(3)
            .map(|t| [t[0], t[1], t[2]])
            .collect();
        let rgba = model
            .mesh
            .material_id
            .and_then(|id| materials.get(id))
            .and_then(|m| m.diffuse)
            .map(|[r, g, b]| [r, g, b, 1.0])
            .unwrap_or(PLAIN);
        mesh.push_part(&positions, &tris, rgba);
    }
    Ok(Parsed {
        mesh,
        format: "obj",
        units: assumed_mm(),
        notes: {
            notes.insert(
                0,
                "OBJ files carry no unit: the model was read in millimetres, as slicers do".into(),
            );
            notes
        },
    })
}

fn outside_reference(name: &str) -> Problem {
    Problem::new(
        "outside_reference",
        format!(
            "the OBJ refers to \"{name}\", which is outside the upload (an absolute path or ..): only files inside the zip are read"
        ),
    )
}
