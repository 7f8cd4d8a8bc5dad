//! Reading the printable formats into a [`Mesh`] in millimetres. The kind of file is told by
//! its content, never by its name alone: a 3MF is a zip too, and a binary STL may begin with
//! the word "solid".

mod obj;
mod stl;
mod threemf;
mod weld;

use std::io::Cursor;

use glam::Vec3;

use super::limits::{MAX_TRIANGLES, MAX_VERTICES};
use super::mesh::Mesh;
use crate::exhibits::ingest::report::Problem;

pub use weld::Welder;

/// What an upload is, by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A glTF model (GLB, or a zip with a .gltf): the exhibit path.
    Gltf,
    Stl,
    ThreeMf,
    /// An OBJ as text, or zipped with its MTL and textures.
    Obj,
    Unknown,
}

impl Kind {
    pub fn is_printable(self) -> bool {
        matches!(self, Kind::Stl | Kind::ThreeMf | Kind::Obj)
    }

    fn word(self) -> &'static str {
        match self {
            Kind::Gltf => "a glTF model",
            Kind::Stl => "an STL",
            Kind::ThreeMf => "a 3MF",
            Kind::Obj => "an OBJ",
            Kind::Unknown => "no model file this lab reads",
        }
    }
}

/// How the file's lengths were meant.
#[derive(Debug, Clone, PartialEq)]
pub struct Units {
    /// The unit's name as the file gives it (`millimeter`, `inch`, …).
    pub name: String,
    /// True when the file says nothing (STL, OBJ) and millimetres were assumed.
    pub assumed: bool,
}

/// A model read from a printable file.
#[derive(Debug)]
pub struct Parsed {
    pub mesh: Mesh,
    /// `stl-binary`, `stl-ascii`, `3mf`, `obj`.
    pub format: &'static str,
    pub units: Units,
    /// Things left out or assumed, said for people.
    pub notes: Vec<String>,
}

/// Sorts an upload by its content.
pub fn sniff(bytes: &[u8]) -> Kind {
    if bytes.starts_with(b"glTF") {
        return Kind::Gltf;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return sniff_zip(bytes);
    }
    if stl::binary_facets(bytes).is_some() || stl::looks_ascii(bytes) {
        return Kind::Stl;
    }
    if obj::looks_like_obj(bytes) {
        return Kind::Obj;
    }
    Kind::Unknown
}

fn sniff_zip(bytes: &[u8]) -> Kind {
    let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Kind::Unknown;
    };
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.to_ascii_lowercase())
        .collect();
    let has = |suffix: &str| names.iter().any(|n| n.ends_with(suffix));
    if names.iter().any(|n| n == "[content_types].xml") && has(".model") {
        Kind::ThreeMf
    } else if has(".gltf") {
        Kind::Gltf
    } else if has(".obj") {
        Kind::Obj
    } else {
        Kind::Unknown
    }
}

/// The kind a file name claims, if its ending names one.
pub fn claimed(file_name: &str) -> Option<Kind> {
    let lower = file_name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.')?.1;
    Some(match ext {
        "stl" => Kind::Stl,
        "3mf" => Kind::ThreeMf,
        "obj" => Kind::Obj,
        "glb" | "gltf" => Kind::Gltf,
        _ => return None,
    })
}

/// Refuses a file whose name claims one model format while its content is another (a
/// renamed file: the exhibitor should know which one they sent). Zips are not judged by
/// name: an OBJ with its textures arrives as `model.zip`.
pub fn check_claim(file_name: &str, kind: Kind) -> Result<(), Problem> {
    match claimed(file_name) {
        Some(claim) if claim != kind => Err(Problem::new(
            "format_mismatch",
            format!(
                "the file is called \"{file_name}\" but holds {}, not {}: export it again in the format its name says, or rename it",
                kind.word(),
                claim.word()
            ),
        )),
        _ => Ok(()),
    }
}

/// Reads a printable file (after [`sniff`] said which kind).
pub fn read(bytes: &[u8], kind: Kind) -> Result<Parsed, Problem> {
    let parsed = match kind {
        Kind::Stl => stl::read(bytes)?,
        Kind::ThreeMf => threemf::read(bytes)?,
        Kind::Obj => obj::read(bytes)?,
        Kind::Gltf | Kind::Unknown => {
            return Err(Problem::new(
                "not_printable_format",
                "this is not an STL, 3MF or OBJ file",
            ));
        }
    };
    check_sane(&parsed.mesh)?;
    Ok(parsed)
}

/// The rules every format shares: something to print, finite coordinates, indices in range.
fn check_sane(mesh: &Mesh) -> Result<(), Problem> {
    if mesh.triangles.is_empty() {
        return Err(Problem::new(
            "empty_model",
            "the file holds no triangles: there is nothing to print",
        ));
    }
    check_counts(mesh.triangles.len(), mesh.positions.len())?;
    if let Some(i) = mesh.positions.iter().position(|p| !p.is_finite()) {
        return Err(not_finite(i));
    }
    let n = mesh.positions.len() as u32;
    if let Some(t) = mesh
        .triangles
        .iter()
        .position(|t| t.iter().any(|&i| i >= n))
    {
        return Err(Problem::new(
            "index_out_of_range",
            format!("triangle {} refers to a corner that does not exist", t + 1),
        ));
    }
    let (lo, hi) = mesh.bounds().expect("triangles exist");
    let size = hi - lo;
    if size.max_element() < super::limits::MIN_EXTENT_MM {
        return Err(Problem::new(
            "zero_size",
            "the model has no size (every corner lies at the same point): check the export",
        ));
    }
    if size.max_element() > super::limits::MAX_EXTENT_MM {
        return Err(Problem::new(
            "too_large",
            format!(
                "the model is {:.0} m long: that is a unit mistake (metres exported as millimetres?); export it in millimetres",
                size.max_element() / 1000.0
            ),
        ));
    }
    Ok(())
}

pub(crate) fn check_counts(triangles: usize, vertices: usize) -> Result<(), Problem> {
    if triangles > MAX_TRIANGLES {
        return Err(Problem::new(
            "too_many_triangles",
            format!(
                "the model has {triangles} triangles; at most {MAX_TRIANGLES} are checked: reduce it in the modelling program (decimate) before uploading"
            ),
        ));
    }
    if vertices > MAX_VERTICES {
        return Err(Problem::new(
            "too_many_vertices",
            format!("the model has {vertices} corners; at most {MAX_VERTICES} are read"),
        ));
    }
    Ok(())
}

fn not_finite(i: usize) -> Problem {
    Problem::new(
        "not_a_number",
        format!(
            "corner {} has a coordinate that is not a number (NaN or infinite): the export is broken",
            i + 1
        ),
    )
}

fn mm(name: &str) -> Units {
    Units {
        name: name.into(),
        assumed: false,
    }
}

fn assumed_mm() -> Units {
    Units {
        name: "millimeter".into(),
        assumed: true,
    }
}

fn v3(p: [f32; 3]) -> Vec3 {
    Vec3::from_array(p)
}
