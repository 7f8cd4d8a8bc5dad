//! Telling GLB from zip, and unpacking a zip safely: no paths outside the archive, no entry
//! or total larger than the limits, however the archive describes itself.

use std::collections::HashMap;
use std::io::Read;

use super::limits::{MAX_UNPACKED_BYTES, MAX_ZIP_ENTRIES};
use super::report::Problem;

/// The upload, sorted by kind.
pub enum Upload<'a> {
    Glb(&'a [u8]),
    /// A glTF JSON file with the files beside it (by normalised relative path).
    Unpacked {
        gltf_name: String,
        files: HashMap<String, Vec<u8>>,
    },
}

pub fn sort(bytes: &[u8]) -> Result<Upload<'_>, Problem> {
    if bytes.starts_with(b"glTF") {
        return Ok(Upload::Glb(bytes));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return unzip(bytes);
    }
    Err(Problem::new(
        "unsupported_file",
        "this is no model file the lab reads: upload a .glb (or a zip with a .gltf and its .bin and textures) for an exhibit, or an .stl, .3mf or .obj (an OBJ with its .mtl in a zip) for a printable model",
    ))
}

/// A zip entry's name as a relative path inside the archive, or why it is not one.
pub fn safe_name(name: &str) -> Option<String> {
    let name = name.replace('\\', "/");
    if name.starts_with('/') || name.contains(':') {
        return None;
    }
    let mut parts = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Every file of a zip by its safe relative name, refusing paths outside the archive, more
/// than [`MAX_ZIP_ENTRIES`] entries and more than `max_total` unpacked bytes.
pub fn unzip_files(bytes: &[u8], max_total: u64) -> Result<HashMap<String, Vec<u8>>, Problem> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        Problem::new(
            "corrupt_zip",
            format!("the zip archive cannot be read: {e}"),
        )
    })?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(Problem::new(
            "too_many_files",
            format!(
                "the zip holds {} files; at most {MAX_ZIP_ENTRIES} are allowed",
                archive.len()
            ),
        ));
    }
    let mut files = HashMap::new();
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| {
            Problem::new("corrupt_zip", format!("zip entry {i} cannot be read: {e}"))
        })?;
        let raw_name = entry
            .name()
            .map_err(|e| {
                Problem::new(
                    "corrupt_zip",
                    format!("zip entry {i} has an unreadable name: {e}"),
                )
            })?
            .to_string();
        if entry.is_dir() {
            continue;
        }
        let Some(name) = safe_name(&raw_name) else {
            return Err(Problem::new(
                "unsafe_path",
                format!(
                    "the zip entry \"{raw_name}\" points outside the archive (absolute path or ..): use plain relative paths"
                ),
            ));
        };
        // Read at most what is left of the budget plus one byte: the sizes in the archive's
        // headers are the packer's claims, not facts.
        let budget = max_total - total;
        let mut data = Vec::new();
        (&mut entry)
            .take(budget + 1)
            .read_to_end(&mut data)
            .map_err(|e| {
                Problem::new(
                    "corrupt_zip",
                    format!("zip entry \"{raw_name}\" cannot be unpacked: {e}"),
                )
            })?;
        total += data.len() as u64;
        if total > max_total {
            return Err(Problem::new(
                "zip_too_large_unpacked",
                format!(
                    "the zip unpacks to more than {} MB (a zip bomb, or simply too big): the unpacked files may hold at most {} MB",
                    max_total / 1_000_000,
                    max_total / 1_000_000
                ),
            ));
        }
        files.insert(name, data);
    }
    Ok(files)
}

fn unzip(bytes: &[u8]) -> Result<Upload<'_>, Problem> {
    let files = unzip_files(bytes, MAX_UNPACKED_BYTES)?;
    let mut gltfs: Vec<&String> = files
        .keys()
        .filter(|n| n.to_ascii_lowercase().ends_with(".gltf"))
        .collect();
    gltfs.sort();
    let gltf_name = match gltfs.as_slice() {
        [one] => (*one).clone(),
        [] => {
            return Err(Problem::new(
                "no_gltf_in_zip",
                "the zip holds no .gltf file: put the model's .gltf with its .bin and textures into the zip",
            ));
        }
        more => {
            return Err(Problem::new(
                "several_gltf_in_zip",
                format!(
                    "the zip holds {} .gltf files ({}): upload one model at a time",
                    more.len(),
                    more.iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    };
    Ok(Upload::Unpacked { gltf_name, files })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_stay_inside_the_archive() {
        assert_eq!(
            safe_name("model/scene.bin").as_deref(),
            Some("model/scene.bin")
        );
        assert_eq!(safe_name("./a//b.png").as_deref(), Some("a/b.png"));
        assert_eq!(safe_name("../etc/passwd"), None);
        assert_eq!(safe_name("a/../../b"), None);
        assert_eq!(safe_name("/etc/passwd"), None);
        assert_eq!(safe_name("C:\\x.bin"), None);
    }
}
