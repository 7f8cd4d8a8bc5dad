//! What the server tells an exhibitor about their upload: figures, and per broken rule a
//! sentence saying exactly what is wrong.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Figures about an uploaded model (after it was read; before optimisation).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Report {
    /// Bytes of the uploaded file.
    pub file_bytes: u64,
    pub format: String,
    pub triangles: u64,
    pub materials: u32,
    pub textures: u32,
    /// Width × height × 4 summed over every image, bytes.
    pub texture_bytes: u64,
    /// Size of the model as uploaded (metres, x/y/z), if it has geometry.
    pub size: Option<[f32; 3]>,
    /// The factor it was scaled by to fit its pedestal (1.0: unchanged).
    pub scale: f32,
    /// Things that were changed or left out, said for people.
    pub notes: Vec<String>,
    /// Broken rules; empty when the model was accepted.
    pub problems: Vec<Problem>,
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// Stable code, e.g. `too_many_triangles`.
    pub rule: String,
    /// What is wrong and what to do, for people.
    pub message: String,
}

impl Problem {
    pub fn new(rule: &str, message: impl Into<String>) -> Problem {
        Problem {
            rule: rule.to_string(),
            message: message.into(),
        }
    }
}
