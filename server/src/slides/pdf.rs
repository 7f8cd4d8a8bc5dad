//! PDF pages to PNGs with hayro (pure Rust, no external programs). This runs in a child
//! process of the server (`stadtlab render-slides`, see `sandbox`), which reads the PDF on
//! stdin and writes what it finds as records on stdout: the page count once the pages are
//! checked, then one PNG per page, or a refusal. A hostile file can then cost the child its
//! memory limit or its time, never the server.

use std::io::Write;

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::{LoadPdfError, Pdf};
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};

use super::{MAX_PAGE_POINTS, SLIDE_HEIGHT, SLIDE_WIDTH, too_many_pages};
use crate::exhibits::image_codec::encode_png;
use crate::exhibits::ingest::Problem;

/// The scale that fits a page of `w`×`h` points into the slide box.
fn fit_scale(w: f32, h: f32) -> f32 {
    (SLIDE_WIDTH as f32 / w).min(SLIDE_HEIGHT as f32 / h)
}

/// Checks a page's size: the PDF standard's largest, and not empty.
fn check_page_size(n: usize, w: f32, h: f32) -> Result<(), Problem> {
    if !(w.is_finite() && h.is_finite()) || w < 1.0 || h < 1.0 {
        return Err(Problem::new(
            "invalid_pdf",
            format!("page {n} has no size ({w}×{h} points)"),
        ));
    }
    if w > MAX_PAGE_POINTS || h > MAX_PAGE_POINTS {
        return Err(Problem::new(
            "page_too_large",
            format!(
                "page {n} is {:.0}×{:.0} points; at most {MAX_PAGE_POINTS:.0} (200 inches) a side are allowed",
                w, h
            ),
        ));
    }
    Ok(())
}

fn load_error(e: LoadPdfError) -> Problem {
    match e {
        LoadPdfError::Decryption(_) => Problem::new(
            "pdf_encrypted",
            "the PDF is protected by a password: save it again without one",
        ),
        LoadPdfError::Invalid => Problem::new(
            "invalid_pdf",
            "this is not a readable PDF (broken or cut off): export it again",
        ),
    }
}

/// What the child writes on stdout: a tag byte, a big-endian length, and that many bytes.
pub mod record {
    /// The number of pages (4 bytes, big-endian), once every page's size is checked.
    pub const COUNT: u8 = b'N';
    /// One page as a PNG.
    pub const PAGE: u8 = b'P';
    /// A refusal: `rule`, a newline, the message.
    pub const REFUSED: u8 = b'E';
}

fn write_record(out: &mut impl Write, tag: u8, body: &[u8]) -> std::io::Result<()> {
    out.write_all(&[tag])?;
    out.write_all(&(body.len() as u32).to_be_bytes())?;
    out.write_all(body)?;
    out.flush()
}

/// The child's work: draws every page of `bytes` (a PDF) into the slide box, writing records
/// to `out` as it goes (see [`record`]).
pub fn draw_pages(bytes: Vec<u8>, out: &mut impl Write) -> std::io::Result<()> {
    let refuse = |out: &mut _, p: Problem| {
        write_record(
            out,
            record::REFUSED,
            format!("{}\n{}", p.rule, p.message).as_bytes(),
        )
    };
    let pdf = match Pdf::new(bytes) {
        Ok(pdf) => pdf,
        Err(e) => return refuse(out, load_error(e)),
    };
    let pages = pdf.pages();
    let sizes: Vec<(f32, f32)> = pages.iter().map(|p| p.render_dimensions()).collect();
    let checked = too_many_pages(sizes.len())
        .map_or(Ok(()), Err)
        .and_then(|()| {
            if sizes.is_empty() {
                return Err(Problem::new("invalid_pdf", "the PDF has no pages"));
            }
            sizes
                .iter()
                .enumerate()
                .try_for_each(|(i, &(w, h))| check_page_size(i + 1, w, h))
        });
    if let Err(p) = checked {
        return refuse(out, p);
    }
    write_record(out, record::COUNT, &(sizes.len() as u32).to_be_bytes())?;
    let cache = RenderCache::new();
    let settings = InterpreterSettings::default();
    for (page, &(w, h)) in pages.iter().zip(&sizes) {
        let scale = fit_scale(w, h);
        let pixmap = hayro::render(
            page,
            &cache,
            &settings,
            &RenderSettings::default(),
            &PixmapSettings {
                x_scale: scale,
                y_scale: scale,
                bg_color: WHITE,
            },
        );
        let (pw, ph) = (pixmap.width() as usize, pixmap.height() as usize);
        // On a white ground every pixel is opaque: premultiplied is plain RGB.
        let rgba = pixmap.take_rgba8(hayro::vello_cpu::peniko::ImageAlphaType::AlphaPremultiplied);
        let rgb: Vec<u8> = rgba
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        drop(rgba);
        write_record(
            out,
            record::PAGE,
            &encode_png(&rgb, pw, ph, png::ColorType::Rgb),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_fit_the_slide_box_and_odd_sizes_are_refused() {
        assert_eq!(fit_scale(960.0, 540.0), 2.0);
        assert!(
            (fit_scale(595.0, 842.0) * 842.0 - 1080.0).abs() < 0.5,
            "A4 portrait fits its height"
        );
        assert!(check_page_size(1, 842.0, 595.0).is_ok());
        assert_eq!(
            check_page_size(2, 20_000.0, 595.0).unwrap_err().rule,
            "page_too_large"
        );
        assert_eq!(
            check_page_size(3, 0.0, 595.0).unwrap_err().rule,
            "invalid_pdf"
        );
        assert_eq!(
            check_page_size(4, f32::NAN, 595.0).unwrap_err().rule,
            "invalid_pdf"
        );
    }
}
