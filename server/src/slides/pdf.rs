//! PDF pages to PNGs with hayro (pure Rust, no external programs). hayro cannot be
//! interrupted, so one render thread works at a time (decks wait their turn): a page that
//! takes too long refuses the deck at once, and the thread, left to finish on its own, keeps
//! the renderer marked busy until then (a hostile file can hold one core a while, never many).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::{LoadPdfError, Pdf};
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};

use super::{
    MAX_PAGE_POINTS, MAX_SECONDS_PER_PAGE, Rendered, SLIDE_HEIGHT, SLIDE_WIDTH, too_large,
    too_many_pages,
};
use crate::exhibits::image_codec::encode_png;
use crate::exhibits::ingest::Problem;

static RENDERING: AtomicBool = AtomicBool::new(false);

/// Whether a render thread is still at work (a refused file's included).
pub fn renderer_busy() -> bool {
    RENDERING.load(Ordering::Acquire)
}

/// Clears the busy mark when the render thread ends, however it ends.
struct BusyGuard;

impl Drop for BusyGuard {
    fn drop(&mut self) {
        RENDERING.store(false, Ordering::Release);
    }
}

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

/// Renders every page of `bytes` (a PDF) within the limits of [`super`].
pub fn render_pdf(bytes: Vec<u8>) -> Result<Rendered, Problem> {
    if let Some(p) = too_large(bytes.len()) {
        return Err(p);
    }
    if !bytes.starts_with(b"%PDF-")
        && !bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        return Err(Problem::new("invalid_pdf", "this is not a PDF file"));
    }
    // A PDF ends with its end marker: without one the upload was cut off (the renderer would
    // otherwise show whatever pages it could recover, silently losing the rest).
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(Problem::new(
            "invalid_pdf",
            "the PDF is cut off (its end is missing): upload it again",
        ));
    }
    // Decks wait their turn; one held up by a runaway page longer than this is told so.
    let waiting = Instant::now();
    while RENDERING
        .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
        .is_err()
    {
        if waiting.elapsed() > Duration::from_secs(3 * MAX_SECONDS_PER_PAGE) {
            return Err(busy());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let started = Instant::now();
    let (pages_tx, pages_rx) = mpsc::channel::<Result<Vec<u8>, Problem>>();
    let (count_tx, count_rx) = mpsc::channel::<Result<usize, Problem>>();
    let spawned = std::thread::Builder::new()
        .name("slides".into())
        .spawn(move || {
            let _busy = BusyGuard;
            let pdf = match Pdf::new(bytes) {
                Ok(pdf) => pdf,
                Err(e) => {
                    let _ = count_tx.send(Err(load_error(e)));
                    return;
                }
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
            if count_tx.send(checked.map(|()| sizes.len())).is_err() {
                return;
            }
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
                let rgba =
                    pixmap.take_rgba8(hayro::vello_cpu::peniko::ImageAlphaType::AlphaPremultiplied);
                let rgb: Vec<u8> = rgba
                    .chunks_exact(4)
                    .flat_map(|p| [p[0], p[1], p[2]])
                    .collect();
                drop(rgba);
                // Nobody waits any more (the deck was refused): stop here.
                if pages_tx
                    .send(Ok(encode_png(&rgb, pw, ph, png::ColorType::Rgb)))
                    .is_err()
                {
                    return;
                }
            }
        });
    if spawned.is_err() {
        RENDERING.store(false, Ordering::Release);
        return Err(busy());
    }
    let limit = Duration::from_secs(MAX_SECONDS_PER_PAGE);
    let count = match count_rx.recv_timeout(limit) {
        Ok(result) => result?,
        Err(_) => {
            return Err(Problem::new(
                "pdf_too_slow",
                format!("the PDF could not be opened within {MAX_SECONDS_PER_PAGE} s"),
            ));
        }
    };
    let mut out = Vec::with_capacity(count);
    for n in 1..=count {
        match pages_rx.recv_timeout(limit) {
            Ok(page) => out.push(page?),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Err(Problem::new(
                    "page_too_slow",
                    format!(
                        "page {n} took longer than {MAX_SECONDS_PER_PAGE} s to draw: simplify it (fewer or smaller pictures) or export it again"
                    ),
                ));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Problem::new(
                    "invalid_pdf",
                    format!("page {n} could not be drawn"),
                ));
            }
        }
    }
    Ok(Rendered {
        pages: out,
        millis: started.elapsed().as_millis() as u64,
    })
}

fn busy() -> Problem {
    Problem::new(
        "renderer_busy",
        "other slides are being drawn right now: try again in a minute",
    )
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
