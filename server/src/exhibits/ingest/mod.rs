//! Ingest: from an uploaded file to a model the lab can show, or a report of what is wrong.
//!
//! 1. [`unpack`]: GLB or zip (safely unpacked), nothing else.
//! 2. [`read`]: parse and validate the glTF, check every reference, size and limit.
//! 3. [`optimize`]: centre and scale onto the pedestal, meshopt orders; JPEG textures become
//!    PNG (the client bundle carries only a PNG decoder).
//! 4. [`crate::exhibits::glb`] writes the canonical GLB; [`thumbnail`] draws a picture.

mod accessors;
mod budget;
mod document;
mod geometry;
pub mod limits;
mod meshopt_views;
mod optimize;
mod read;
pub mod report;
mod thumbnail;
pub mod unpack;

pub use report::{Problem, Report};

use crate::exhibits::glb::{self, Model};
use crate::printable::{self, printers::Printer, report::PrintReport};

/// An accepted upload.
pub struct Ingested {
    /// The canonical GLB the lab serves.
    pub glb: Vec<u8>,
    pub thumbnail: Vec<u8>,
    pub report: Report,
}

/// What a printable upload adds to the lab's view of it.
pub struct PrintableMade {
    pub report: PrintReport,
    /// The repaired copy (binary STL), when a repair changed something.
    pub repaired_stl: Option<Vec<u8>>,
}

/// Any model upload: glTF as an exhibit, STL/3MF/OBJ through the printability check and
/// then the same last steps (pedestal, optimisation, GLB, picture).
pub fn ingest_file(
    bytes: &[u8],
    file_name: &str,
    printers: &[Printer],
) -> Result<(Ingested, Option<PrintableMade>), Box<Report>> {
    let mut report = Report {
        file_bytes: bytes.len() as u64,
        scale: 1.0,
        ..Report::default()
    };
    let kind = match printable::sort(bytes, file_name) {
        Ok(kind) => kind,
        Err(p) => return Err(Box::new(with(report, p))),
    };
    // glTF, or no printable model: the exhibit path reads it or says what is wrong (a zip
    // without a .gltf, a broken archive, no model file at all).
    if !kind.is_printable() {
        return ingest(bytes).map(|i| (i, None));
    }
    let checked = match printable::check(bytes, kind, printers) {
        Ok(c) => c,
        Err(p) => return Err(Box::new(with(report, p))),
    };
    report.format = checked.report.format.clone();
    report.triangles = checked.report.triangles;
    report.notes.extend(checked.report.notes.iter().cloned());
    let mut model = printable::view::model(&checked.mesh);
    report.materials = model.materials.len() as u32;
    let printable::Checked {
        report: print_report,
        repaired_stl,
        mesh,
    } = checked;
    drop(mesh);
    let ingested = finish(&mut model, report, budget::Deadline::start())?;
    Ok((
        ingested,
        Some(PrintableMade {
            report: print_report,
            repaired_stl,
        }),
    ))
}

fn with(mut report: Report, problem: Problem) -> Report {
    report.problems.push(problem);
    report
}

/// Validates and optimises an upload; on a broken rule the report lists every problem found.
pub fn ingest(bytes: &[u8]) -> Result<Ingested, Box<Report>> {
    let mut report = Report {
        file_bytes: bytes.len() as u64,
        scale: 1.0,
        ..Report::default()
    };
    if bytes.len() > limits::MAX_FILE_BYTES {
        report.problems.push(Problem::new(
            "file_too_large",
            format!(
                "the file has {} MB; at most {} MB are allowed",
                bytes.len() / 1_000_000,
                limits::MAX_FILE_BYTES / 1_000_000
            ),
        ));
        return Err(Box::new(report));
    }
    let upload = match unpack::sort(bytes) {
        Ok(u) => u,
        Err(p) => {
            report.problems.push(p);
            return Err(Box::new(report));
        }
    };
    // Kept here so that the model can borrow the GLB's chunks (big textures are not copied).
    let glb = match &upload {
        unpack::Upload::Glb(bytes) => match gltf::Glb::from_slice(bytes) {
            Ok(glb) => Some(glb),
            Err(e) => {
                report.problems.push(Problem::new(
                    "corrupt_glb",
                    format!("the GLB container is broken: {e}"),
                ));
                return Err(Box::new(report));
            }
        },
        unpack::Upload::Unpacked { .. } => None,
    };
    let deadline = budget::Deadline::start();
    let (json, bin, files, base_dir): (&[u8], _, _, String) = match &upload {
        unpack::Upload::Glb(_) => {
            report.format = "glb".into();
            let glb = glb.as_ref().expect("parsed above");
            (&glb.json, glb.bin.as_deref(), None, String::new())
        }
        unpack::Upload::Unpacked { gltf_name, files } => {
            report.format = "gltf+zip".into();
            let base_dir = gltf_name.rsplit_once('/').map(|(d, _)| d.to_string());
            (
                &files[gltf_name],
                None,
                Some(files),
                base_dir.unwrap_or_default(),
            )
        }
    };
    let parsed = match document::parse(json) {
        Ok(p) => p,
        Err(p) => return refuse(report, vec![p]),
    };
    let data_uris = match read::decode_data_uris(&parsed.doc) {
        Ok(d) => d,
        Err(p) => return refuse(report, vec![p]),
    };
    let res = read::Resources {
        bin,
        files,
        base_dir,
        data_uris: &data_uris,
    };
    let mut model = match read::read(&parsed, &res, &mut report, deadline) {
        Ok(m) => m,
        Err(problems) => return refuse(report, problems),
    };
    finish(&mut model, report, deadline)
}

fn refuse(mut report: Report, problems: Vec<Problem>) -> Result<Ingested, Box<Report>> {
    report.problems.extend(problems);
    Err(Box::new(report))
}

/// Shared last steps for uploads and generated exhibits: pedestal, optimisation, GLB, picture.
pub fn finish(
    model: &mut Model,
    mut report: Report,
    deadline: budget::Deadline,
) -> Result<Ingested, Box<Report>> {
    if let Err(p) = optimize::place_on_pedestal(model, &mut report) {
        return refuse(report, vec![p]);
    }
    for part in &mut model.parts {
        optimize::optimize(part);
    }
    let converted = deadline
        .check("optimising the geometry")
        .and_then(|_| optimize::textures_to_png(model, &mut report))
        .and_then(|_| deadline.check("converting textures"));
    if let Err(p) = converted {
        return refuse(report, vec![p]);
    }
    let thumbnail = match thumbnail::render(model, deadline) {
        Ok(t) => t,
        Err(p) => return refuse(report, vec![p]),
    };
    Ok(Ingested {
        glb: glb::write(model),
        thumbnail,
        report,
    })
}

/// A generated model, through the same last steps as an upload.
pub fn from_generated(mut model: Model) -> Ingested {
    let report = Report {
        format: "generated".into(),
        triangles: model.triangles() as u64,
        materials: model.materials.len() as u32,
        scale: 1.0,
        ..Report::default()
    };
    finish(&mut model, report, budget::Deadline::start())
        .unwrap_or_else(|r| panic!("a generated model is broken: {:?}", r.problems))
}
