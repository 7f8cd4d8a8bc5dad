//! Benchmark: validation + optimisation of a 50 MB GLB (100,000 triangles minus a little,
//! one large noisy texture), with time and peak heap memory. Targets: < 5 s, peak < 4 × the
//! file size (the file itself counted, as the server holds the upload in memory).
//!
//! Run: `cargo bench -p stadtlab-server --bench ingest` (prints one `bench-ingest:` line).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use stadtlab_server::exhibits::glb::{self, Image, Material, Model, Part};
use stadtlab_server::exhibits::ingest;

/// The system allocator, counting live and peak bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                let now = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                    - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

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
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let made = ingest::ingest(&file).expect("the benchmark model is valid");
    let secs = start.elapsed().as_secs_f64();
    let peak = PEAK.load(Ordering::Relaxed);
    // The heap in use at the peak, minus what was live before that is not the upload.
    let peak_incl_file = peak - before + size;
    println!(
        "bench-ingest: file_mb={:.1} triangles={} seconds={secs:.3} peak_mb={:.1} peak_over_file={:.2} out_mb={:.1} target_seconds<5 target_peak_over_file<4",
        size as f64 / 1e6,
        made.report.triangles,
        peak_incl_file as f64 / 1e6,
        peak_incl_file as f64 / size as f64,
        made.glb.len() as f64 / 1e6,
    );
}
