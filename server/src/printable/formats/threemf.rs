//! 3MF (core specification, and parts in other model files of the package as Bambu Studio
//! and PrusaSlicer write them): objects, components, build items with their transforms,
//! the unit, and base materials or colours for the view. The zip is unpacked by our own safe
//! unpacker (caps on entries and unpacked bytes) and each model part is read by
//! `lib3mf-core`; documents with a DTD are refused before parsing (3MF allows none, and
//! entity definitions are how XML bombs work).

use std::collections::HashMap;
use std::io::Cursor;

use glam::{Mat4, Vec3};
use lib3mf_core::model::{Geometry, Model, ObjectType, ResourceId};

use super::{Parsed, check_counts, mm};
use crate::exhibits::ingest::report::Problem;
use crate::exhibits::ingest::unpack::{safe_name, unzip_files};
use crate::printable::limits::{
    MAX_COMPONENT_DEPTH, MAX_INSTANCES, MAX_TRIANGLES, MAX_UNPACKED_BYTES,
};
use crate::printable::mesh::{Mesh, PLAIN};

const MODEL_REL: &str = "http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel";

pub fn read(bytes: &[u8]) -> Result<Parsed, Problem> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(Problem::new(
            "corrupt_3mf",
            "a 3MF file is a zip archive, and this file is not one: export it again",
        ));
    }
    let files = unzip_files(bytes, MAX_UNPACKED_BYTES)?;
    let root = root_model_path(&files)?;
    let mut reader = Reader {
        files: &files,
        models: HashMap::new(),
        mesh: Mesh::default(),
        instances: 0,
        notes: Vec::new(),
    };
    reader.load(&root)?;
    let model = &reader.models[&root];
    let unit = model.unit;
    let items: Vec<_> = model.build.items.clone();
    if items.is_empty() {
        return Err(Problem::new(
            "empty_model",
            "the 3MF's build plate is empty (no build items): there is nothing to print",
        ));
    }
    for item in &items {
        if item.printable == Some(false) {
            continue;
        }
        let path = match &item.path {
            Some(p) => part_path(p)?,
            None => root.clone(),
        };
        reader.place(
            &path,
            item.object_id,
            to_glam(item.transform.to_cols_array()),
            0,
        )?;
    }
    let mut mesh = reader.mesh;
    let factor = (unit.scale_factor() * 1000.0) as f32;
    mesh.scale(factor);
    let name = format!("{unit:?}").to_lowercase();
    let mut notes = reader.notes;
    if factor != 1.0 {
        notes.push(format!(
            "the 3MF gives its lengths in {name}: converted to millimetres"
        ));
    }
    Ok(Parsed {
        mesh,
        format: "3mf",
        units: mm(&name),
        notes,
    })
}

fn root_model_path(files: &HashMap<String, Vec<u8>>) -> Result<String, Problem> {
    if let Some(rels) = files.get("_rels/.rels") {
        let rels = lib3mf_core::archive::opc::parse_relationships(rels).map_err(|e| {
            Problem::new(
                "corrupt_3mf",
                format!("the 3MF's table of contents (_rels/.rels) cannot be read: {e}"),
            )
        })?;
        if let Some(rel) = rels.iter().find(|r| r.rel_type == MODEL_REL) {
            return part_path(&rel.target);
        }
    }
    let fallback = "3D/3dmodel.model".to_string();
    if files.contains_key(&fallback) {
        return Ok(fallback);
    }
    Err(Problem::new(
        "corrupt_3mf",
        "the 3MF names no 3D model part (no 3D/3dmodel.model): export it again",
    ))
}

/// A part name inside the package; `..` or absolute URLs point outside the upload.
fn part_path(target: &str) -> Result<String, Problem> {
    safe_name(target.trim_start_matches('/')).ok_or_else(|| {
        Problem::new(
            "outside_reference",
            format!(
                "the 3MF refers to \"{target}\", which is outside the file: only parts inside the 3MF are read"
            ),
        )
    })
}

/// lib3mf-core uses an older glam: the matrix crosses over as its sixteen numbers.
fn to_glam(cols: [f32; 16]) -> Mat4 {
    Mat4::from_cols_array(&cols)
}

struct Reader<'a> {
    files: &'a HashMap<String, Vec<u8>>,
    /// Model parts by package path, parsed once each.
    models: HashMap<String, Model>,
    mesh: Mesh,
    instances: usize,
    notes: Vec<String>,
}

impl Reader<'_> {
    fn load(&mut self, path: &str) -> Result<(), Problem> {
        if self.models.contains_key(path) {
            return Ok(());
        }
        let xml = self.files.get(path).ok_or_else(|| {
            Problem::new(
                "missing_part",
                format!("the 3MF refers to the part \"{path}\", which it does not contain"),
            )
        })?;
        if contains(xml, b"<!DOCTYPE") || contains(xml, b"<!ENTITY") {
            return Err(Problem::new(
                "xml_entities",
                format!(
                    "the 3MF part \"{path}\" declares a DTD or XML entities, which 3MF forbids (and which can make a small file expand to gigabytes): export it again"
                ),
            ));
        }
        let model = lib3mf_core::parser::parse_model(Cursor::new(xml)).map_err(|e| {
            Problem::new(
                "corrupt_3mf",
                format!("the 3MF part \"{path}\" cannot be read: {e}"),
            )
        })?;
        self.models.insert(path.to_string(), model);
        Ok(())
    }

    fn place(
        &mut self,
        path: &str,
        id: ResourceId,
        transform: Mat4,
        depth: usize,
    ) -> Result<(), Problem> {
        if depth > MAX_COMPONENT_DEPTH {
            return Err(Problem::new(
                "components_too_deep",
                format!(
                    "the 3MF's components are nested more than {MAX_COMPONENT_DEPTH} deep (or refer to themselves)"
                ),
            ));
        }
        self.load(path)?;
        let model = &self.models[path];
        let object = model.resources.get_object(id).ok_or_else(|| {
            Problem::new(
                "missing_object",
                format!(
                    "the 3MF places object {} from \"{path}\", which does not exist there",
                    id.0
                ),
            )
        })?;
        if matches!(
            object.object_type,
            ObjectType::Support | ObjectType::Other | ObjectType::Surface
        ) {
            self.notes.push(format!(
                "object {} is marked as {}: it is not part of the print and was left out",
                id.0, object.object_type
            ));
            return Ok(());
        }
        match &object.geometry {
            Geometry::Mesh(mesh) => {
                self.instances += 1;
                if self.instances > MAX_INSTANCES {
                    return Err(Problem::new(
                        "too_many_instances",
                        format!("the 3MF places more than {MAX_INSTANCES} objects"),
                    ));
                }
                if self.mesh.triangles.len() + mesh.triangles.len() > MAX_TRIANGLES {
                    return check_counts(self.mesh.triangles.len() + mesh.triangles.len(), 0);
                }
                let n = mesh.vertices.len() as u32;
                if let Some(t) = mesh
                    .triangles
                    .iter()
                    .position(|t| t.v1 >= n || t.v2 >= n || t.v3 >= n)
                {
                    return Err(Problem::new(
                        "index_out_of_range",
                        format!(
                            "triangle {} of object {} refers to a corner that does not exist",
                            t + 1,
                            id.0
                        ),
                    ));
                }
                let positions: Vec<Vec3> = mesh
                    .vertices
                    .iter()
                    .map(|v| transform.transform_point3(Vec3::new(v.x, v.y, v.z)))
                    .collect();
                // A mirroring transform turns the faces inside out unless their order flips.
                let mirrored = transform.determinant() < 0.0;
                let triangles: Vec<[u32; 3]> = mesh
                    .triangles
                    .iter()
                    .map(|t| {
                        if mirrored {
                            [t.v1, t.v3, t.v2]
                        } else {
                            [t.v1, t.v2, t.v3]
                        }
                    })
                    .collect();
                let base = self.mesh.positions.len() as u32;
                let first = self.mesh.triangles.len();
                self.mesh.positions.extend(positions);
                self.mesh
                    .triangles
                    .extend(triangles.iter().map(|t| t.map(|i| i + base)));
                for (k, t) in mesh.triangles.iter().enumerate() {
                    let pid = t.pid.or(object.pid.map(|p| p.0));
                    let index = t.p1.or(object.pindex);
                    let rgba = colour(model, pid, index);
                    self.mesh.add_run(first + k, 1, rgba);
                }
                Ok(())
            }
            Geometry::Components(components) => {
                let parts: Vec<_> = components
                    .components
                    .iter()
                    .map(|c| {
                        (
                            c.object_id,
                            c.path.clone(),
                            to_glam(c.transform.to_cols_array()),
                        )
                    })
                    .collect();
                for (child, child_path, local) in parts {
                    let child_path = match child_path {
                        Some(p) => part_path(&p)?,
                        None => path.to_string(),
                    };
                    self.place(&child_path, child, transform * local, depth + 1)?;
                }
                Ok(())
            }
            _ => Err(Problem::new(
                "unsupported_geometry",
                format!(
                    "object {} uses a 3MF extension this lab does not read (slices, voxels, booleans or displacement): export it as a plain mesh",
                    id.0
                ),
            )),
        }
    }
}

/// The display colour of a base material or colour group entry, linear RGBA.
fn colour(model: &Model, pid: Option<u32>, index: Option<u32>) -> [f32; 4] {
    let (Some(pid), Some(index)) = (pid, index) else {
        return PLAIN;
    };
    let id = ResourceId(pid);
    let c = if let Some(group) = model.resources.get_base_materials(id) {
        group.materials.get(index as usize).map(|m| m.display_color)
    } else if let Some(group) = model.resources.get_color_group(id) {
        group.colors.get(index as usize).copied()
    } else {
        None
    };
    let Some(c) = c else { return PLAIN };
    let lin = |v: u8| (v as f32 / 255.0).powf(2.2);
    [lin(c.r), lin(c.g), lin(c.b), c.a as f32 / 255.0]
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
