//! A deck from pictures (PNG or JPEG, one per slide, in upload order): each is checked and
//! re-encoded like an exhibit's panel pictures, only larger.

use std::time::Instant;

use super::{Rendered, SLIDE_WIDTH, too_large, too_many_pages};
use crate::exhibits::ingest::Problem;
use crate::exhibits::panel_images::normalise_to;

pub fn from_pictures(pictures: &[Vec<u8>]) -> Result<Rendered, Problem> {
    if let Some(p) = too_large(pictures.iter().map(Vec::len).sum()) {
        return Err(p);
    }
    if let Some(p) = too_many_pages(pictures.len()) {
        return Err(p);
    }
    if pictures.is_empty() {
        return Err(Problem::new(
            "no_slides",
            "send a PDF or at least one picture",
        ));
    }
    let started = Instant::now();
    let pages = pictures
        .iter()
        .enumerate()
        .map(|(i, bytes)| normalise_to(bytes, &format!("slide {}", i + 1), SLIDE_WIDTH as usize))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Rendered {
        pages,
        millis: started.elapsed().as_millis() as u64,
    })
}
