//! Every class of bad upload against a real server: each gets a clear status and, for model
//! files, a report naming the broken rule. Also the zip happy path (glTF + bin + texture).

mod common;

use std::io::Write;

use common::TestServer;
use common::web::{self, request};
use stadtlab_server::exhibits::glb::{self, Image, Material, Model, Part};

struct Lab {
    server: TestServer,
    token: String,
}

fn lab() -> Lab {
    let server = TestServer::start();
    server.add_staff();
    let staff = web::login(&server.base);
    let token = web::invite(&server.base, &staff);
    Lab { server, token }
}

impl Lab {
    fn upload(&self, name: &str, kind: &str, bytes: &[u8]) -> web::Reply {
        web::upload(&self.server.base, &self.token, name, kind, bytes)
    }

    /// Uploads `bytes` and expects a 422 whose report names `rule`.
    fn refused(&self, bytes: &[u8], rule: &str) -> String {
        let reply = self.upload("model.glb", "model/gltf-binary", bytes);
        assert_eq!(reply.status, 422, "{rule}: {}", reply.body);
        let body = reply.json();
        assert_eq!(body["error"], "invalid_model");
        let problems = body["report"]["problems"].as_array().unwrap();
        let found = problems.iter().find(|p| p["rule"] == rule);
        let message =
            found.unwrap_or_else(|| panic!("expected rule {rule}, got {problems:?}"))["message"]
                .as_str()
                .unwrap()
                .to_string();
        assert!(message.len() > 20, "a sentence for people: {message}");
        message
    }
}

fn triangle_part(indices: Vec<u32>) -> Part {
    Part {
        positions: vec![[0.0, 0.0, 0.0], [0.5, 0.0, 0.0], [0.0, 0.5, 0.0]],
        normals: vec![[0.0, 0.0, 1.0]; 3],
        uvs: vec![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]],
        indices,
    }
}

fn textured(image: Vec<u8>) -> Vec<u8> {
    let mut material = Material::color("t", 0xffffff);
    material.base_color_texture = Some(0);
    glb::write(&Model {
        materials: vec![material],
        parts: vec![triangle_part(vec![0, 1, 2])],
        images: vec![Image {
            mime: "image/png",
            bytes: image.into(),
        }],
    })
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::One);
    let mut writer = enc.write_header().unwrap();
    writer
        .write_image_data(&vec![0u8; (width as usize).div_ceil(8) * height as usize])
        .unwrap();
    writer.finish().unwrap();
    out
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            z.start_file(*name, opts).unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

/// A .gltf text with one triangle whose data and texture live in `bin_uri` and `image_uri`.
fn gltf_json(bin_uri: &str, image_uri: &str) -> (String, Vec<u8>) {
    let mut bin = Vec::new();
    for v in [[0.0f32, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]] {
        for c in v {
            bin.extend_from_slice(&c.to_le_bytes());
        }
    }
    for uv in [[0.0f32, 0.0], [1.0, 0.0], [0.0, 1.0]] {
        for c in uv {
            bin.extend_from_slice(&c.to_le_bytes());
        }
    }
    let json = serde_json::json!({
        "asset": { "version": "2.0" },
        "scene": 0,
        "scenes": [{ "nodes": [0] }],
        "nodes": [{ "mesh": 0, "scale": [0.5, 0.5, 0.5] }],
        "meshes": [{ "primitives": [{ "attributes": { "POSITION": 0, "TEXCOORD_0": 1 }, "material": 0 }] }],
        "materials": [{ "pbrMetallicRoughness": { "baseColorTexture": { "index": 0 } } }],
        "textures": [{ "source": 0 }],
        "images": [{ "uri": image_uri }],
        "accessors": [
            { "bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [1, 1, 0] },
            { "bufferView": 1, "componentType": 5126, "count": 3, "type": "VEC2" }
        ],
        "bufferViews": [
            { "buffer": 0, "byteOffset": 0, "byteLength": 36 },
            { "buffer": 0, "byteOffset": 36, "byteLength": 24 }
        ],
        "buffers": [{ "byteLength": 60, "uri": bin_uri }]
    });
    (json.to_string(), bin)
}

#[test]
fn a_gltf_with_its_files_in_a_zip_is_accepted() {
    let lab = lab();
    let (json, bin) = gltf_json("mesh%20data.bin", "textures/wood.png");
    let archive = zip(&[
        ("modell/scene.gltf", json.as_bytes()),
        ("modell/mesh data.bin", &bin),
        ("modell/textures/wood.png", &png(64, 64)),
    ]);
    let reply = lab.upload("modell.zip", "application/zip", &archive);
    assert_eq!(reply.status, 201, "{}", reply.body);
    let report = &reply.json()["report"];
    assert_eq!(report["format"], "gltf+zip");
    assert_eq!(report["textures"], 1);
    assert_eq!(report["triangles"], 1);
    assert!(
        report["notes"]
            .to_string()
            .contains("normals were computed"),
        "{report}"
    );
}

#[test]
fn broken_glb_files_are_refused_with_reasons() {
    let lab = lab();
    let good = web::bench_glb();
    lab.refused(&good[..good.len() / 2], "corrupt_glb");
    let mut garbled = good.clone();
    garbled[30..60].fill(b'#');
    lab.refused(&garbled, "not_gltf");
    let invalid = glb::assemble(
        br#"{"asset":{"version":"2.0"},"meshes":[{"primitives":[{"attributes":{"POSITION":7}}]}]}"#,
        &[],
    );
    lab.refused(&invalid, "invalid_gltf");
    let bad_index = glb::write(&Model {
        materials: vec![Material::color("m", 0)],
        parts: vec![triangle_part(vec![0, 1, 7])],
        images: vec![],
    });
    lab.refused(&bad_index, "index_out_of_range");
    let text = lab.upload(
        "notes.glb",
        "application/octet-stream",
        b"just some text, not a model at all",
    );
    assert_eq!(text.status, 422);
    assert_eq!(
        text.json()["report"]["problems"][0]["rule"],
        "unsupported_file"
    );
}

#[test]
fn external_uris_are_refused() {
    let lab = lab();
    let external = glb::assemble(
        br#"{"asset":{"version":"2.0"},"buffers":[{"byteLength":36,"uri":"https://example.org/model.bin"}]}"#,
        &[],
    );
    let message = lab.refused(&external, "external_uri");
    assert!(
        message.contains("https://example.org/model.bin"),
        "{message}"
    );
    let (json, bin) = gltf_json("model.bin", "file:///etc/passwd");
    let archive = zip(&[("m.gltf", json.as_bytes()), ("model.bin", &bin)]);
    let reply = lab.upload("m.zip", "application/zip", &archive);
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.json()["report"]["problems"][0]["rule"],
        "external_uri"
    );
}

#[test]
fn textures_too_large_are_refused() {
    let lab = lab();
    let message = lab.refused(&textured(png(8192, 8192)), "texture_too_large");
    assert!(message.contains("8192×8192"), "{message}");
    lab.refused(
        &textured(b"GIF89a not really an image".to_vec()),
        "unsupported_image",
    );
}

#[test]
fn too_many_triangles_are_refused() {
    let lab = lab();
    let indices: Vec<u32> = (0..100_001).flat_map(|_| [0, 1, 2]).collect();
    let heavy = glb::write(&Model {
        materials: vec![Material::color("m", 0)],
        parts: vec![triangle_part(indices)],
        images: vec![],
    });
    let message = lab.refused(&heavy, "too_many_triangles");
    assert!(message.contains("100001"), "{message}");
}

#[test]
fn absurd_bounding_boxes_are_refused() {
    let lab = lab();
    let mut part = triangle_part(vec![0, 1, 2]);
    part.positions[1] = [2.0e6, 0.0, 0.0];
    let huge = glb::write(&Model {
        materials: vec![Material::color("m", 0)],
        parts: vec![part],
        images: vec![],
    });
    lab.refused(&huge, "bounding_box");
}

#[test]
fn zip_bombs_and_path_traversal_are_refused() {
    let lab = lab();
    let (json, bin) = gltf_json("model.bin", "t.png");
    // 70 MB of zeros pack into a few dozen kilobytes.
    let zeros = vec![0u8; 70 * 1024 * 1024];
    let bomb = zip(&[
        ("m.gltf", json.as_bytes()),
        ("model.bin", &bin),
        ("padding.bin", &zeros),
    ]);
    assert!(bomb.len() < 1 << 20);
    let reply = lab.upload("bomb.zip", "application/zip", &bomb);
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert_eq!(
        reply.json()["report"]["problems"][0]["rule"],
        "zip_too_large_unpacked"
    );

    let traversal = zip(&[("m.gltf", json.as_bytes()), ("../../model.bin", &bin)]);
    let reply = lab.upload("t.zip", "application/zip", &traversal);
    assert_eq!(reply.status, 422);
    assert_eq!(reply.json()["report"]["problems"][0]["rule"], "unsafe_path");

    let (json, _) = gltf_json("../outside.bin", "t.png");
    let escaping_uri = zip(&[("m.gltf", json.as_bytes())]);
    let reply = lab.upload("u.zip", "application/zip", &escaping_uri);
    assert_eq!(reply.status, 422);
    assert_eq!(reply.json()["report"]["problems"][0]["rule"], "unsafe_path");
}

#[test]
fn wrong_content_types_and_broken_forms_are_refused() {
    let lab = lab();
    let base = &lab.server.base;
    let glb = web::bench_glb();
    let png_part = lab.upload("photo.png", "image/png", &glb);
    assert_eq!(png_part.status, 415);
    assert_eq!(png_part.json()["error"], "wrong_content_type");
    let bearer = format!("Bearer {}", lab.token);
    let json_body = request(
        "POST",
        &format!("{base}/api/exhibits"),
        &[("authorization", &bearer)],
        Some(("application/json", b"{}".to_vec())),
    );
    assert_eq!(json_body.status, 415);
    assert_eq!(json_body.json()["error"], "expected_multipart");

    let mut fields: Vec<(&str, &str)> = web::FIELDS
        .iter()
        .copied()
        .filter(|(k, _)| *k != "title_de")
        .collect();
    let (kind, body) = web::multipart(&fields, Some(("b.glb", "model/gltf-binary", &glb)));
    let no_title = request(
        "POST",
        &format!("{base}/api/exhibits"),
        &[("authorization", &bearer)],
        Some((&kind, body)),
    );
    assert_eq!(no_title.status, 422);
    assert!(
        no_title.json()["message"]
            .as_str()
            .unwrap()
            .contains("title_de")
    );
    fields = web::FIELDS
        .iter()
        .copied()
        .map(|(k, v)| {
            if k == "link" {
                (k, "javascript:alert(1)")
            } else {
                (k, v)
            }
        })
        .collect();
    let (kind, body) = web::multipart(&fields, Some(("b.glb", "model/gltf-binary", &glb)));
    let bad_link = request(
        "POST",
        &format!("{base}/api/exhibits"),
        &[("authorization", &bearer)],
        Some((&kind, body)),
    );
    assert_eq!(bad_link.status, 422);
    fields = web::FIELDS
        .iter()
        .copied()
        .map(|(k, v)| if k == "zone" { (k, "buehne") } else { (k, v) })
        .collect();
    let (kind, body) = web::multipart(&fields, Some(("b.glb", "model/gltf-binary", &glb)));
    let bad_zone = request(
        "POST",
        &format!("{base}/api/exhibits"),
        &[("authorization", &bearer)],
        Some((&kind, body)),
    );
    assert_eq!(bad_zone.status, 422);
    let (kind, body) = web::multipart(web::FIELDS, None);
    let no_file = request(
        "POST",
        &format!("{base}/api/exhibits"),
        &[("authorization", &bearer)],
        Some((&kind, body)),
    );
    assert_eq!(no_file.status, 422);
    assert_eq!(no_file.json()["error"], "no_file");
}

#[test]
fn oversize_bodies_are_cut_off_with_413() {
    let lab = lab();
    let addr = lab.server.base.trim_start_matches("http://").to_string();
    let boundary = "b0undary";
    let prefix = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.glb\"\r\nContent-Type: model/gltf-binary\r\n\r\nglTF"
    );
    let len = 70 * 1024 * 1024;
    let head = format!(
        "POST /api/exhibits HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n",
        lab.token
    );
    let answer = web::raw_request(&addr, &head, prefix.as_bytes(), len);
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "{}",
        &answer[..answer.len().min(300)]
    );
    assert!(answer.contains("file_too_large"), "{answer}");
    // Nothing was stored.
    let list = request(
        "GET",
        &format!("{}/api/exhibits?status=pending", lab.server.base),
        &[],
        None,
    )
    .json();
    assert!(list.as_array().unwrap().is_empty());
}

fn rgb_png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgb);
    let mut writer = enc.write_header().unwrap();
    let pixels: Vec<u8> = (0..width * height * 3).map(|i| (i % 251) as u8).collect();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

#[test]
fn panel_pictures_are_checked_and_scaled() {
    let lab = lab();
    let base = &lab.server.base;
    let bearer = format!("Bearer {}", lab.token);
    let glb = web::bench_glb();
    let big = rgb_png(2000, 1000);
    let small = rgb_png(64, 48);
    let send = |parts: &[web::Part]| {
        let (kind, body) = web::multipart_parts(web::FIELDS, parts);
        request(
            "POST",
            &format!("{base}/api/exhibits"),
            &[("authorization", &bearer)],
            Some((&kind, body)),
        )
    };
    let model: web::Part = ("file", "b.glb", "model/gltf-binary", &glb);
    let jpeg = include_bytes!("fixtures/gradient-16x8.jpg");
    let reply = send(&[
        model,
        ("image", "a.png", "image/png", &big),
        ("image", "b.png", "image/png", &small),
        ("image", "c.jpg", "image/jpeg", jpeg),
    ]);
    assert_eq!(reply.status, 201, "{}", reply.body);
    let urls = reply.json()["image_urls"].as_array().unwrap().clone();
    assert_eq!(urls.len(), 3);
    // The exhibitor sees their pending exhibit's pictures; a 2000 px picture is stored at 1024.
    let url = format!("{base}{}", urls[0].as_str().unwrap());
    let mut resp = web::agent()
        .get(&url)
        .header("authorization", &bearer)
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let stored = resp.body_mut().read_to_vec().unwrap();
    let size = imagesize::blob_size(&stored).unwrap();
    assert_eq!((size.width, size.height), (1024, 512));

    let gif = send(&[model, ("image", "c.gif", "image/gif", b"GIF89a not a png")]);
    assert_eq!(gif.status, 422, "{}", gif.body);
    assert_eq!(gif.json()["report"]["problems"][0]["rule"], "invalid_image");
    let four: Vec<web::Part> = std::iter::once(model)
        .chain((0..4).map(|_| ("image", "s.png", "image/png", small.as_slice())))
        .collect();
    let too_many = send(&four);
    assert_eq!(too_many.status, 422);
    assert_eq!(too_many.json()["error"], "too_many_images");
}

#[test]
fn jpeg_textures_are_converted_to_png() {
    let lab = lab();
    let jpeg = include_bytes!("fixtures/gradient-16x8.jpg");
    let mut material = Material::color("t", 0xffffff);
    material.base_color_texture = Some(0);
    let glb = glb::write(&Model {
        materials: vec![material],
        parts: vec![triangle_part(vec![0, 1, 2])],
        images: vec![Image {
            mime: "image/jpeg",
            bytes: jpeg.as_slice().into(),
        }],
    });
    let reply = lab.upload("scan.glb", "model/gltf-binary", &glb);
    assert_eq!(reply.status, 201, "{}", reply.body);
    let exhibit = reply.json();
    assert!(
        exhibit["report"]["notes"].to_string().contains("JPEG"),
        "{exhibit}"
    );
    let url = format!(
        "{}{}",
        lab.server.base,
        exhibit["model_url"].as_str().unwrap()
    );
    let bearer = format!("Bearer {}", lab.token);
    let mut resp = web::agent()
        .get(&url)
        .header("authorization", &bearer)
        .call()
        .unwrap();
    let stored = resp.body_mut().read_to_vec().unwrap();
    let gltf = gltf::Gltf::from_slice(&stored).unwrap();
    let image = gltf.images().next().unwrap();
    let gltf::image::Source::View { mime_type, view } = image.source() else {
        panic!("an embedded image");
    };
    assert_eq!(mime_type, "image/png");
    let blob = gltf.blob.as_ref().unwrap();
    let png = &blob[view.offset()..view.offset() + view.length()];
    let size = imagesize::blob_size(png).unwrap();
    assert_eq!((size.width, size.height), (16, 8));
}
