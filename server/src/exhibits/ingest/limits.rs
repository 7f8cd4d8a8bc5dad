//! The rules an uploaded model must keep: chosen so that an old laptop or a phone can still
//! draw a room full of exhibits.

/// Largest upload, bytes (the HTTP body limit adds room for the form fields).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
pub const MAX_TRIANGLES: u64 = 100_000;
/// Longest texture edge, pixels.
pub const MAX_TEXTURE_EDGE: usize = 4096;
/// Texture memory once decoded (width × height × 4, summed), bytes.
pub const MAX_TEXTURE_BYTES: u64 = 128 * 1024 * 1024;
/// Files in a zip upload.
pub const MAX_ZIP_ENTRIES: usize = 256;
/// Bytes a zip may unpack to in all: more is a zip bomb, whatever the entries claim.
pub const MAX_UNPACKED_BYTES: u64 = MAX_FILE_BYTES as u64;
/// A model smaller than this (metres) is degenerate, larger is nonsense (a city, a planet).
pub const MIN_EXTENT: f32 = 1e-4;
pub const MAX_EXTENT: f32 = 10_000.0;
/// Vertices read, summed over every node instance that draws a mesh: a mesh of a million
/// vertices drawn by 40 nodes costs 40 million, whatever its triangle count says.
pub const MAX_VERTICES: u64 = 300_000;
/// Images in one model (a data: URI shared by hundreds of images costs nothing per image,
/// but each image is checked and may be converted).
pub const MAX_IMAGES: usize = 32;
/// Pixels one texture conversion (JPEG/WebP → PNG) may decode.
pub const MAX_DECODED_PIXELS: u64 = (MAX_TEXTURE_EDGE * MAX_TEXTURE_EDGE) as u64;
/// Pixel tests the thumbnail may spend (256² pixels × 64 layers of overdraw).
pub const THUMBNAIL_PIXEL_BUDGET: u64 = 256 * 256 * 64;
/// Wall time one ingest may take; beyond it the upload is refused with the step it was in.
pub const MAX_INGEST_TIME: std::time::Duration = std::time::Duration::from_secs(10);
