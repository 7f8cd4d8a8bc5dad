//! Slide rendering benchmark: a 50-page deck written by the test deck writer, rendered the
//! way an upload is (by the `stadtlab` binary next to this one, as a child process); prints
//! time per page and this process's peak memory (the child's: `/usr/bin/time -v stadtlab
//! render-slides < deck.pdf`).
//! `cargo build --release -p stadtlab-server && cargo run --release -p stadtlab-server --example slides_bench [pages]`

use std::time::Instant;

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    // target/release/examples/slides_bench → target/release/stadtlab
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|p| Some(p.parent()?.parent()?.to_path_buf()))
    {
        stadtlab_server::slides::use_renderer(dir.join("stadtlab"));
    }
    let pages: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    let pdf = stadtlab_bots::slides::deck(pages, "Offene Daten in Soest");
    let bytes = pdf.len();
    let before = peak_rss_mb();
    let started = Instant::now();
    let rendered = stadtlab_server::slides::render_pdf(pdf).expect("the deck renders");
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let png_kb: usize = rendered.pages.iter().map(Vec::len).sum::<usize>() / 1024;
    println!(
        "slides: pages={} pdf_kb={} render_ms={:.0} per_page_ms={:.1} png_kb={} peak_rss_mb={:.1} (before: {:.1})",
        rendered.pages.len(),
        bytes / 1024,
        ms,
        ms / pages as f64,
        png_kb,
        peak_rss_mb(),
        before
    );
}
