//! HTTP helpers for the exhibition tests: multipart bodies, staff sign-in, invites, uploads,
//! and test models made with the server's own GLB writer.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use stadtlab_server::exhibits::glb::{self, Material, Model};
use stadtlab_server::exhibits::shapes::ModelBuilder;

pub const STAFF_NAME: &str = "anna";
pub const STAFF_PASSWORD: &str = "correct-horse-battery";

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

pub struct Reply {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One request; `headers` as (name, value); body bytes with its content type.
pub fn request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<(&str, Vec<u8>)>,
) -> Reply {
    let agent = agent();
    let mut req = ureq::http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = match body {
        Some((kind, bytes)) => agent.run(req.header("content-type", kind).body(bytes).unwrap()),
        None => agent.run(req.body(()).unwrap()),
    };
    let mut resp = resp.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    Reply {
        status: resp.status().as_u16(),
        body: resp.body_mut().read_to_string().unwrap_or_default(),
        headers,
    }
}

/// One request with a JSON body.
pub fn send_json(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &serde_json::Value,
) -> Reply {
    request(
        method,
        url,
        headers,
        Some(("application/json", body.to_string().into_bytes())),
    )
}

/// A multipart/form-data body with the model as `file`; returns (content type, bytes).
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (String, Vec<u8>) {
    let files: Vec<Part> = file
        .map(|(name, kind, bytes)| ("file", name, kind, bytes))
        .into_iter()
        .collect();
    multipart_parts(fields, &files)
}

/// A file part: (form field, file name, content type, bytes).
pub type Part<'a> = (&'a str, &'a str, &'a str, &'a [u8]);

pub fn multipart_parts(fields: &[(&str, &str)], files: &[Part]) -> (String, Vec<u8>) {
    let boundary = "stadtlab-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, value) in fields {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
        .unwrap();
    }
    for (field, name, kind, bytes) in files {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: {kind}\r\n\r\n"
        )
        .unwrap();
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n").unwrap();
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub const FIELDS: &[(&str, &str)] = &[
    ("zone", "technik-erlebbar"),
    ("title_de", "Solarbank"),
    ("title_en", "Solar bench"),
    (
        "text_de",
        "Eine Bank mit Solarzellen, an der man sein Telefon laden kann.",
    ),
    (
        "text_en",
        "A bench with solar cells where you can charge your phone.",
    ),
    ("organisation", "Gymnasium Soest"),
    ("link", "https://www.soest.de"),
];

/// A staff session: the cookie header value and the CSRF token.
pub struct StaffSession {
    pub cookie: String,
    pub csrf: String,
}

impl StaffSession {
    pub fn headers(&self) -> Vec<(&str, &str)> {
        vec![
            ("cookie", self.cookie.as_str()),
            ("x-csrf-token", self.csrf.as_str()),
        ]
    }
}

pub fn login(base: &str) -> StaffSession {
    let body =
        serde_json::json!({ "username": STAFF_NAME, "password": STAFF_PASSWORD }).to_string();
    let reply = request(
        "POST",
        &format!("{base}/api/session"),
        &[],
        Some(("application/json", body.into_bytes())),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let set_cookie = reply
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.clone())
        .expect("a session cookie");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    StaffSession {
        cookie: set_cookie.split(';').next().unwrap().to_string(),
        csrf: reply.json()["csrf_token"].as_str().unwrap().to_string(),
    }
}

/// Creates an invite as staff; returns its token.
pub fn invite(base: &str, staff: &StaffSession) -> String {
    let body = serde_json::json!({ "label": "Gymnasium Soest, 9b" }).to_string();
    let reply = request(
        "POST",
        &format!("{base}/api/invites"),
        &staff.headers(),
        Some(("application/json", body.into_bytes())),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()["token"].as_str().unwrap().to_string()
}

pub fn upload(base: &str, token: &str, file_name: &str, kind: &str, bytes: &[u8]) -> Reply {
    let (content_type, body) = multipart(FIELDS, Some((file_name, kind, bytes)));
    let auth = format!("Bearer {token}");
    request(
        "POST",
        &format!("{base}/api/exhibits"),
        &[("authorization", &auth)],
        Some((&content_type, body)),
    )
}

/// `GET /api/invite` with `token`: the invite and what was uploaded with it.
pub fn my_invite(base: &str, token: &str) -> serde_json::Value {
    let bearer = format!("Bearer {token}");
    request(
        "GET",
        &format!("{base}/api/invite"),
        &[("authorization", &bearer)],
        None,
    )
    .json()
}

/// Uploads the bench model with `token` and returns the new exhibit's id.
pub fn upload_bench(base: &str, token: &str) -> String {
    let reply = upload(base, token, "bank.glb", "model/gltf-binary", &bench_glb());
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()["id"].as_str().unwrap().to_string()
}

/// `POST /api/exhibits/{id}/{action}` as staff (approve, hide); returns the status.
pub fn moderate(base: &str, staff: &StaffSession, id: &str, action: &str) -> u16 {
    request(
        "POST",
        &format!("{base}/api/exhibits/{id}/{action}"),
        &staff.headers(),
        None,
    )
    .status
}

/// A bench: two boxes and a cylinder, about 1.6 m long (so it is scaled onto its pedestal).
pub fn bench_model() -> Model<'static> {
    let mut b = ModelBuilder::default();
    let wood = b.material(Material::color("wood", 0xa1887f));
    let panel = b.material(Material::color("solar", 0x1a237e).metal());
    b.cuboid(
        wood,
        glam::Vec3::new(-0.8, 0.4, -0.2),
        glam::Vec3::new(0.8, 0.45, 0.2),
    );
    b.cuboid(
        panel,
        glam::Vec3::new(-0.8, 0.45, -0.2),
        glam::Vec3::new(0.8, 0.47, 0.2),
    );
    b.cylinder(wood, glam::Vec3::new(-0.7, 0.0, 0.0), 0.05, 0.4);
    b.cylinder(wood, glam::Vec3::new(0.7, 0.0, 0.0), 0.05, 0.4);
    b.finish()
}

pub fn bench_glb() -> Vec<u8> {
    glb::write(&bench_model())
}

/// Sends `head` and then `body_len` bytes of `filler` over a raw connection, ignoring write
/// errors (the server may stop reading), and returns what the server answered, if anything.
pub fn raw_request(addr: &str, head: &str, body_prefix: &[u8], body_len: usize) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body_prefix);
    let chunk = vec![b'x'; 1 << 20];
    let mut sent = body_prefix.len();
    while sent < body_len {
        let n = chunk.len().min(body_len - sent);
        if stream.write_all(&chunk[..n]).is_err() {
            break;
        }
        sent += n;
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}
