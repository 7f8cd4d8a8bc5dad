//! What a printable upload may be: chosen after Shapeways' upload rules (64 MB, 1 million
//! polygons), which print services and slicers handle without trouble.

use std::time::Duration;

/// Largest upload, bytes (the same as for glTF exhibits).
pub const MAX_FILE_BYTES: usize = crate::exhibits::ingest::limits::MAX_FILE_BYTES;
/// Triangles the checks run on; more is refused.
pub const MAX_TRIANGLES: usize = 1_000_000;
/// Vertices a file may declare (3MF and OBJ list them apart from triangles).
pub const MAX_VERTICES: usize = 3_000_000;
/// Triangles of the model shown in the lab; a larger one is simplified for viewing only.
pub const MAX_VIEW_TRIANGLES: usize = 60_000;
/// Bytes a 3MF or OBJ zip may unpack to in all: a 1-million-triangle 3MF holds about
/// 150 MB of XML, so more than that is a zip bomb, whatever the archive claims.
pub const MAX_UNPACKED_BYTES: u64 = 192 * 1024 * 1024;
/// Components nested inside components (3MF): deeper is a loop or a bomb.
pub const MAX_COMPONENT_DEPTH: usize = 16;
/// Object instances a 3MF build may place (each copies its mesh).
pub const MAX_INSTANCES: usize = 1_000;
/// Longest model edge, millimetres: larger is a unit mistake (a building, not a print).
pub const MAX_EXTENT_MM: f32 = 100_000.0;
/// Smallest model edge, millimetres: smaller cannot be printed or seen.
pub const MIN_EXTENT_MM: f32 = 0.1;
/// Time the self-intersection search may take; beyond it the report says it was cut short.
pub const INTERSECTION_BUDGET: Duration = Duration::from_secs(4);
/// Surface samples the wall-thickness estimate shoots rays from.
pub const WALL_SAMPLES: usize = 20_000;
/// Open-edge segments kept in the report for highlighting in the view.
pub const MAX_HIGHLIGHT_EDGES: usize = 2_000;
/// Hanging triangles kept in the report for highlighting (the largest).
pub const MAX_HIGHLIGHT_TRIANGLES: usize = 1_500;
