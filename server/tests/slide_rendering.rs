//! Slides from PDFs made by our deck writer: good decks become one PNG per page of the slide
//! box; broken and hostile ones are refused with a reason, and the renderer is free after. A
//! picture that inflates to gigabytes is refused by the drawing child's memory limit, while
//! the server's own memory stays where it was.

mod common;

use stadtlab_bots::slides;
use stadtlab_server::slides::{MAX_PAGES, SLIDE_HEIGHT, SLIDE_WIDTH, from_pictures};

fn render_pdf(
    pdf: Vec<u8>,
) -> Result<stadtlab_server::slides::Rendered, stadtlab_server::exhibits::ingest::Problem> {
    common::use_slide_renderer();
    stadtlab_server::slides::render_pdf(pdf)
}

fn peak_rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<u64>()
        .unwrap()
        / 1024
}

fn size(png: &[u8]) -> (usize, usize) {
    let s = imagesize::blob_size(png).expect("a PNG");
    (s.width, s.height)
}

#[test]
fn a_deck_becomes_one_picture_per_page_and_pages_differ() {
    let rendered = render_pdf(slides::deck(3, "Stadtlabor")).expect("rendered");
    assert_eq!(rendered.pages.len(), 3);
    for page in &rendered.pages {
        assert_eq!(size(page), (SLIDE_WIDTH as usize, SLIDE_HEIGHT as usize));
    }
    assert_ne!(
        rendered.pages[0], rendered.pages[1],
        "each page draws its own number"
    );
    // A4 portrait keeps its shape inside the box.
    let a4 = render_pdf(slides::sized_page(595.0, 842.0)).expect("rendered");
    let (w, h) = size(&a4.pages[0]);
    assert_eq!(h, SLIDE_HEIGHT as usize);
    assert!(
        (w as f32 / h as f32 - 595.0 / 842.0).abs() < 0.01,
        "{w}×{h}"
    );
}

#[test]
fn broken_and_hostile_pdfs_are_refused_with_reasons() {
    let mut cut = slides::deck(2, "cut");
    cut.truncate(cut.len() / 3);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("not a PDF", b"hello, this is text".to_vec(), "invalid_pdf"),
        ("cut off", cut, "invalid_pdf"),
        ("encrypted", slides::password_protected(), "pdf_encrypted"),
        (
            "page bomb",
            slides::page_bomb(MAX_PAGES * 100),
            "too_many_pages",
        ),
        (
            "huge page",
            slides::sized_page(50_000.0, 540.0),
            "page_too_large",
        ),
    ];
    for (what, bytes, rule) in cases {
        let refused = render_pdf(bytes).expect_err(what);
        assert_eq!(refused.rule, rule, "{what}: {}", refused.message);
        assert!(!refused.message.is_empty());
    }
    // Nothing is left holding the renderer: a good deck renders next.
    assert_eq!(
        render_pdf(slides::deck(1, "after"))
            .expect("rendered")
            .pages
            .len(),
        1
    );
}

#[test]
fn a_picture_that_inflates_to_gigabytes_is_refused_without_touching_the_servers_memory() {
    // 40,000² RGB pixels: 4.8 GB once inflated, 4.5 MB in the file.
    let bomb = slides::image_bomb(40_000);
    assert!(bomb.len() < 6_000_000, "{} bytes", bomb.len());
    let before = peak_rss_mb();
    let refused = render_pdf(bomb).expect_err("an image bomb");
    assert_eq!(refused.rule, "page_too_complex", "{}", refused.message);
    assert!(refused.message.contains("page 1"), "{}", refused.message);
    let after = peak_rss_mb();
    assert!(
        after < before + 200,
        "the server's peak memory went from {before} MB to {after} MB"
    );
    // The renderer is free again.
    assert_eq!(
        render_pdf(slides::deck(2, "after"))
            .expect("rendered")
            .pages
            .len(),
        2
    );
}

#[test]
fn pictures_become_slides_and_other_files_are_refused() {
    let png = {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, 4000, 2000);
        enc.set_color(png::ColorType::Rgb);
        enc.write_header()
            .unwrap()
            .write_image_data(&vec![90u8; 4000 * 2000 * 3])
            .unwrap();
        out
    };
    let deck = from_pictures(&[png.clone(), png]).expect("two slides");
    assert_eq!(deck.pages.len(), 2);
    assert_eq!(size(&deck.pages[0]), (SLIDE_WIDTH as usize, 960));
    assert_eq!(
        from_pictures(&[b"GIF89a...".to_vec()]).unwrap_err().rule,
        "invalid_image"
    );
    assert_eq!(from_pictures(&[]).unwrap_err().rule, "no_slides");
}
