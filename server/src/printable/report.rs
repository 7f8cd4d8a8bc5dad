//! The printability report: figures, the printers it fits, the filament it takes, and one
//! plain sentence per finding in German and English. Stored as JSON with the exhibit; the
//! checker version makes a report citable and comparable later.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::printers::Fit;

/// Bumped whenever a check changes what it counts.
pub const CHECKER: &str = "stadtlab-printcheck 2";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PrintReport {
    pub checker: String,
    /// `stl-binary`, `stl-ascii`, `3mf`, `obj`.
    pub format: String,
    /// The unit the file gave (`millimeter`, `inch`, …).
    pub unit: String,
    /// True when the file gives no unit and millimetres were assumed (STL, OBJ).
    pub unit_assumed: bool,
    pub file_bytes: u64,
    /// Width, depth, height as the file stands, millimetres.
    pub size_mm: [f32; 3],
    pub volume_cm3: f64,
    pub surface_cm2: f64,
    pub triangles: u64,
    /// Separate pieces.
    pub parts: u32,
    /// Corners at the same point that were joined.
    pub welded_corners: u64,
    pub open_edges: u64,
    pub holes: u32,
    pub non_manifold_edges: u64,
    /// Faces that point the other way than their neighbours.
    pub flipped_faces: u64,
    /// The whole model was inside out.
    pub inside_out: bool,
    /// Triangles whose corners coincide, plus flat slivers.
    pub degenerate_triangles: u64,
    /// Pairs of faces cutting each other (found within the time budget).
    pub self_intersections: u64,
    /// False when the self-intersection search ran out of time: there may be more.
    pub self_intersections_complete: bool,
    pub overhang: Overhang,
    pub walls: Walls,
    pub printers: Vec<PrinterFit>,
    pub filament: Filament,
    /// `easy`, `medium` or `hard`.
    pub difficulty: String,
    /// `ok` (print it), `repaired` (print the repaired copy), `problems` (needs work first).
    pub verdict: String,
    pub findings: Vec<Finding>,
    /// What the repaired copy changed; empty when there is none.
    pub repairs: Vec<Finding>,
    /// Some open edges (millimetres, file coordinates), for drawing the holes.
    pub open_edge_segments: Vec<[[f32; 3]; 2]>,
    /// The largest triangles that hang in the air standing as the file does (millimetres,
    /// file coordinates), for drawing the overhangs.
    #[serde(default)]
    pub overhang_triangles: Vec<[[f32; 3]; 3]>,
    /// The lowest and highest corner of the checked model (millimetres, file coordinates):
    /// the view model is centred on these, so the highlights can be placed on it.
    #[serde(default)]
    pub bounds_mm: [[f32; 3]; 2],
    /// Things read from the file or assumed, in English.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Overhang {
    /// Down-facing area more than 45° from the vertical, standing as the file does (cm²).
    pub as_is_cm2: f64,
    /// The orientation with the least such area: `+z` (as is), `-z` (upside down), `+x`…
    pub best: String,
    pub best_cm2: f64,
    /// `best_cm2` as a share of the surface, 0–100.
    pub best_percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Walls {
    /// 5 % of the sampled surface has walls thinner than this (mm); none when no ray hit.
    pub thinnest_mm: Option<f32>,
    /// Share of the sampled surface with walls under 0.8 mm, 0–100.
    pub thin_percent: f32,
    pub samples: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PrinterFit {
    pub printer: String,
    /// Build volume, millimetres.
    pub volume_mm: [f64; 3],
    pub fit: Fit,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Filament {
    pub grams: f64,
    pub metres: f64,
    /// The assumptions, for people (German and English).
    pub assumptions_de: String,
    pub assumptions_en: String,
}

/// One thing the check found, said for a beginner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Finding {
    /// Stable code, e.g. `holes`.
    pub code: String,
    /// `good`, `hint`, `warning` or `problem`.
    pub level: String,
    pub de: String,
    pub en: String,
}

impl Finding {
    pub fn new(code: &str, level: &str, de: impl Into<String>, en: impl Into<String>) -> Self {
        Finding {
            code: code.into(),
            level: level.into(),
            de: de.into(),
            en: en.into(),
        }
    }
}
