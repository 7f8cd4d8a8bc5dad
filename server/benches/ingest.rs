//! Benchmark: validation + optimisation of a 50 MB GLB (100,000 triangles minus a little,
//! one large noisy texture), with time and peak heap memory. Targets: < 5 s, peak < 4 × the
//! file size (the file itself counted, as the server holds the upload in memory).
//!
//! Then the attack set (files built to cost the ingest much for little upload): for each,
//! time, peak heap and the answer, and the process's RSS before and after the set.
//!
//! Run: `cargo bench -p stadtlab-server --bench ingest` (prints one `bench-ingest:` line and
//! one `bench-ingest-attack:` line per attack).

use std::time::Instant;

use stadtlab_server::exhibits::glb::{self, Image, Material, Model, Part};
use stadtlab_server::exhibits::ingest;
use stadtlab_server::exhibits::ingest_queue::release_freed_memory;
use stadtlab_server::exhibits::panel_images;

#[path = "../tests/common/attack_models.rs"]
#[allow(dead_code)]
mod attack_models;

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{Counting, peak_since, start_peak};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A wavy grid of `cells`² quads: 2 × cells² triangles.
fn terrain(cells: u32) -> Part {
    let n = cells + 1;
    let mut part = Part::default();
    for z in 0..n {
        for x in 0..n {
            let (u, v) = (x as f32 / cells as f32, z as f32 / cells as f32);
            let h = (u * 40.0).sin() * (v * 31.0).cos() * 0.05;
            part.positions.push([u * 2.0, h, v * 2.0]);
            part.normals.push([0.0, 1.0, 0.0]);
            part.uvs.push([u, v]);
        }
    }
    for z in 0..cells {
        for x in 0..cells {
            let i = z * n + x;
            part.indices
                .extend([i, i + n, i + 1, i + 1, i + n, i + n + 1]);
        }
    }
    part
}

/// A PNG of noise (incompressible: the file is as big as the pixels).
fn noise_png(width: u32, height: u32) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let pixels: Vec<u8> = (0..width as usize * height as usize * 3)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_compression(png::Compression::Fastest);
    let mut w = enc.write_header().unwrap();
    w.write_image_data(&pixels).unwrap();
    w.finish().unwrap();
    out
}

fn main() {
    let mut material = Material::color("terrain", 0x808080);
    material.base_color_texture = Some(0);
    let model = Model {
        materials: vec![material],
        parts: vec![terrain(222)],
        images: vec![Image {
            mime: "image/png",
            bytes: noise_png(4096, 3900).into(),
        }],
    };
    let file = glb::write(&model);
    drop(model);
    let size = file.len();
    let before = start_peak();
    let start = Instant::now();
    let made = ingest::ingest(&file).expect("the benchmark model is valid");
    let secs = start.elapsed().as_secs_f64();
    // The heap in use at the peak, minus what was live before that is not the upload.
    let peak_incl_file = peak_since(before) + size;
    println!(
        "bench-ingest: file_mb={:.1} triangles={} seconds={secs:.3} peak_mb={:.1} peak_over_file={:.2} out_mb={:.1} target_seconds<5 target_peak_over_file<4",
        size as f64 / 1e6,
        made.report.triangles,
        peak_incl_file as f64 / 1e6,
        peak_incl_file as f64 / size as f64,
        made.glb.len() as f64 / 1e6,
    );
    drop((made, file));
    attacks();
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// Runs `check` on `file` and prints time, peak heap (file included) and the answer.
fn attack(name: &str, file: &[u8], check: impl FnOnce(&[u8]) -> String) {
    let before = start_peak();
    let start = Instant::now();
    let answer = check(file);
    let secs = start.elapsed().as_secs_f64();
    let peak = peak_since(before) + file.len();
    release_freed_memory();
    println!(
        "bench-ingest-attack: {name} file_mb={:.2} seconds={secs:.3} peak_mb={:.1} peak_over_file={:.2} answer={answer}",
        file.len() as f64 / 1e6,
        peak as f64 / 1e6,
        peak as f64 / file.len() as f64,
    );
}

fn model_answer(file: &[u8]) -> String {
    match ingest::ingest(file) {
        Ok(made) => format!("accepted({} triangles)", made.report.triangles),
        Err(report) => report
            .problems
            .iter()
            .map(|p| p.rule.as_str())
            .collect::<Vec<_>>()
            .join("+"),
    }
}

fn picture_answer(file: &[u8]) -> String {
    match panel_images::normalise(file, "picture 1") {
        Ok(_) => "accepted".into(),
        Err(p) => p.rule,
    }
}

fn attacks() {
    release_freed_memory();
    let start_rss = rss_mb();
    attack(
        "amplification",
        &attack_models::amplification(),
        model_answer,
    );
    attack(
        "shared_image_200",
        &attack_models::shared_image(200),
        model_answer,
    );
    attack(
        "shared_image_30",
        &attack_models::shared_image(30),
        model_answer,
    );
    attack(
        "thumbnail_heavy",
        &attack_models::thumbnail_heavy(),
        model_answer,
    );
    attack(
        "padded_60mb",
        &attack_models::padded(60 << 20),
        model_answer,
    );
    attack(
        "png_bomb_8192",
        &attack_models::png(8192, 8192),
        picture_answer,
    );
    attack(
        "png_5000x4000",
        &attack_models::png(5000, 4000),
        picture_answer,
    );
    let refused = b"glTF\x02\0\0\0broken".to_vec();
    let t0 = Instant::now();
    for _ in 0..100 {
        model_answer(&refused);
    }
    println!(
        "bench-ingest-attack: refused_loop_100 seconds={:.3}",
        t0.elapsed().as_secs_f64()
    );
    release_freed_memory();
    println!(
        "bench-ingest-attack: rss_before_mb={start_rss:.1} rss_after_mb={:.1} target_rss_growth_mb<100",
        rss_mb()
    );
}
