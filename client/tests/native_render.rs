//! The desktop client really renders: it runs under Xvfb with Mesa's software Vulkan
//! (lavapipe), takes a screenshot of the lab, and the picture must show a room, not a blank or
//! single-colour window. Needs `xvfb-run` and `mesa-vulkan-drivers` (scripts/test.sh installs them).

use std::process::Command;

fn pixels(path: &std::path::Path) -> (u32, u32, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let px = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    (info.width, info.height, px)
}

#[test]
fn the_lab_renders_under_software_vulkan() {
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("lab.png");
    let state = dir.path().join("state.json");
    let status = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 960x600x24"])
        .arg(env!("CARGO_BIN_EXE_stadtlab_client"))
        .args([
            "--offline",
            "--demo-avatars",
            "12",
            "--width",
            "960",
            "--height",
            "600",
        ])
        .arg("--screenshot")
        .arg(&shot)
        .args([
            "--screenshot-after",
            "12",
            "--exit-after",
            "16",
            "--state-file",
        ])
        .arg(&state)
        .env("WGPU_BACKEND", "vulkan")
        .status()
        .expect("xvfb-run is installed (apt-get install xvfb mesa-vulkan-drivers)");
    assert!(status.success(), "client exited with {status}");
    let (w, h, px) = pixels(&shot);
    assert!(w >= 900 && h >= 550, "screenshot {w}x{h}");
    // A rendered room has many colours: floor, walls, timber, avatars, the UI.
    let mut colours: Vec<[u8; 3]> = px.iter().map(|p| p.map(|c| c / 16)).collect();
    colours.sort();
    colours.dedup();
    assert!(
        colours.len() > 200,
        "only {} distinct colours: blank?",
        colours.len()
    );
    // The lower half is the wooden floor and avatars, not the clear colour.
    let lower = &px[px.len() / 2..];
    let sky = [184u8, 209, 235];
    let not_sky = lower
        .iter()
        .filter(|p| p.iter().zip(sky).any(|(a, b)| a.abs_diff(b) > 12))
        .count();
    assert!(not_sky * 10 > lower.len() * 9, "the floor is missing");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(json["room"], "stadtlabor");
    assert!(json["frames"].as_u64().unwrap() > 5, "{json}");
    let _ = std::fs::copy(&shot, std::env::temp_dir().join("stadtlab-native.png"));
}
