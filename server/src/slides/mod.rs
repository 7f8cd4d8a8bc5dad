//! Slides for talks: a PDF (rendered here, page by page, with a pure-Rust rasteriser) or a
//! set of pictures becomes a deck of PNG pages of at most [`SLIDE_WIDTH`]×[`SLIDE_HEIGHT`].
//! Clients only ever see those PNGs: no PDF reaches a browser, and a hostile file costs the
//! server at most the limits below (PDFs are drawn in a child process, `sandbox`).

mod pdf;
mod pictures;
mod sandbox;

pub use pdf::draw_pages;
pub use pictures::from_pictures;
pub use sandbox::{MAX_RENDER_BYTES, RENDER_COMMAND, render_pdf, use_renderer};

use crate::exhibits::ingest::Problem;

/// A slide is drawn into this box (a projector's 16:9 at full HD), keeping its shape.
pub const SLIDE_WIDTH: u32 = 1920;
pub const SLIDE_HEIGHT: u32 = 1080;
/// Largest upload (a PDF, or all pictures together).
pub const MAX_DECK_BYTES: usize = 40 * 1024 * 1024;
/// Most pages a deck may have (a long lecture has 60–80).
pub const MAX_PAGES: usize = 120;
/// Longest a single page may take to render.
pub const MAX_SECONDS_PER_PAGE: u64 = 10;
/// The largest page the PDF standard allows (200 inches); larger ones are refused.
pub const MAX_PAGE_POINTS: f32 = 14_400.0;

/// A rendered deck: one PNG per page.
pub struct Rendered {
    pub pages: Vec<Vec<u8>>,
    /// How long rendering took, milliseconds (for the staff page and the benchmark).
    pub millis: u64,
}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Rendered({} pages in {} ms)",
            self.pages.len(),
            self.millis
        )
    }
}

fn too_large(bytes: usize) -> Option<Problem> {
    (bytes > MAX_DECK_BYTES).then(|| {
        Problem::new(
            "deck_too_large",
            format!(
                "the slides have {} MB; at most {} MB are allowed",
                bytes / 1_000_000,
                MAX_DECK_BYTES / 1_000_000
            ),
        )
    })
}

fn too_many_pages(pages: usize) -> Option<Problem> {
    (pages > MAX_PAGES).then(|| {
        Problem::new(
            "too_many_pages",
            format!("the slides have {pages} pages; at most {MAX_PAGES} are allowed"),
        )
    })
}
