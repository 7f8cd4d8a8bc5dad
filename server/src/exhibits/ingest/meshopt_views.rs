//! `EXT_meshopt_compression`: bufferViews stored compressed by meshoptimizer (gltfpack,
//! Sketchfab's and three.js' exporters). Decoded with the meshoptimizer library the ingest
//! already links; every precondition the C code asserts is checked here first, because an
//! assertion would take the whole server down.

use std::os::raw::c_void;

use super::document::MeshoptView;
use super::report::Problem;

fn broken(view: usize, why: impl std::fmt::Display) -> Problem {
    Problem::new(
        "meshopt_data",
        format!("bufferView {view}: its meshopt-compressed data {why}"),
    )
}

/// Decodes one compressed view; `budget` is what decoded views may still take, in bytes.
pub fn decode(
    index: usize,
    m: &MeshoptView,
    buffers: &[&[u8]],
    budget: &mut usize,
) -> Result<Vec<u8>, Problem> {
    let source = buffers
        .get(m.buffer)
        .and_then(|b| b.get(m.offset..m.offset.checked_add(m.length)?))
        .ok_or_else(|| broken(index, "lies outside its buffer"))?;
    let size = m
        .count
        .checked_mul(m.stride)
        .filter(|&s| s <= *budget)
        .ok_or_else(|| {
            Problem::new(
                "meshopt_data",
                format!(
                    "bufferView {index}: decompressed, the geometry would be larger than the ingest allows ({} MB)",
                    *budget / 1_000_000
                ),
            )
        })?;
    *budget -= size;
    let mut out = vec![0u8; size];
    let dst = out.as_mut_ptr() as *mut c_void;
    let rc = match m.mode.as_str() {
        "ATTRIBUTES" => {
            if m.stride == 0 || m.stride > 256 || !m.stride.is_multiple_of(4) {
                return Err(broken(
                    index,
                    "has a byteStride that is not 4…256 in steps of 4",
                ));
            }
            // SAFETY: `out` holds count × stride bytes; `source` is a valid slice; the sizes
            // meet the library's preconditions (checked above).
            unsafe {
                meshopt::ffi::meshopt_decodeVertexBuffer(
                    dst,
                    m.count,
                    m.stride,
                    source.as_ptr(),
                    source.len(),
                )
            }
        }
        "TRIANGLES" | "INDICES" => {
            if m.stride != 2 && m.stride != 4 {
                return Err(broken(index, "has indices that are neither 2 nor 4 bytes"));
            }
            if m.mode == "TRIANGLES" && !m.count.is_multiple_of(3) {
                return Err(broken(
                    index,
                    "has a triangle list whose count is no multiple of 3",
                ));
            }
            // SAFETY: as above; index sizes and counts checked.
            unsafe {
                if m.mode == "TRIANGLES" {
                    meshopt::ffi::meshopt_decodeIndexBuffer(
                        dst,
                        m.count,
                        m.stride,
                        source.as_ptr(),
                        source.len(),
                    )
                } else {
                    meshopt::ffi::meshopt_decodeIndexSequence(
                        dst,
                        m.count,
                        m.stride,
                        source.as_ptr(),
                        source.len(),
                    )
                }
            }
        }
        other => return Err(broken(index, format!("uses the unknown mode `{other}`"))),
    };
    if rc != 0 {
        return Err(broken(index, "is corrupt"));
    }
    filter(index, m, &mut out)?;
    Ok(out)
}

fn filter(index: usize, m: &MeshoptView, out: &mut [u8]) -> Result<(), Problem> {
    let dst = out.as_mut_ptr() as *mut c_void;
    match m.filter.as_str() {
        "NONE" => {}
        "OCTAHEDRAL" if m.stride == 4 || m.stride == 8 => {
            // SAFETY: `out` holds count × stride bytes; stride is one the filter accepts.
            unsafe { meshopt::ffi::meshopt_decodeFilterOct(dst, m.count, m.stride) }
        }
        "QUATERNION" if m.stride == 8 => {
            // SAFETY: as above.
            unsafe { meshopt::ffi::meshopt_decodeFilterQuat(dst, m.count, m.stride) }
        }
        "EXPONENTIAL" if m.stride.is_multiple_of(4) && m.stride <= 256 => {
            // SAFETY: as above.
            unsafe { meshopt::ffi::meshopt_decodeFilterExp(dst, m.count, m.stride) }
        }
        "COLOR" if m.stride == 4 || m.stride == 8 => {
            // SAFETY: as above.
            unsafe { meshopt::ffi::meshopt_decodeFilterColor(dst, m.count, m.stride) }
        }
        other => {
            return Err(broken(
                index,
                format!(
                    "uses the filter `{other}` with a byteStride of {} it does not allow",
                    m.stride
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(mode: &str, stride: usize, count: usize, length: usize) -> MeshoptView {
        MeshoptView {
            buffer: 0,
            offset: 0,
            length,
            stride,
            count,
            mode: mode.into(),
            filter: "NONE".into(),
        }
    }

    #[test]
    fn encoded_vertices_come_back() {
        let vertices: Vec<[f32; 3]> = (0..50).map(|i| [i as f32, 1.0, -(i as f32)]).collect();
        let encoded = meshopt::encode_vertex_buffer(&vertices).unwrap();
        let m = view("ATTRIBUTES", 12, 50, encoded.len());
        let out = decode(0, &m, &[&encoded], &mut 1_000_000).unwrap();
        assert_eq!(out.as_slice(), bytemuck_cast(&vertices));
    }

    fn bytemuck_cast(v: &[[f32; 3]]) -> Vec<u8> {
        v.iter().flatten().flat_map(|f| f.to_le_bytes()).collect()
    }

    #[test]
    fn garbage_and_bad_strides_are_problems_not_crashes() {
        let garbage = vec![0xa5u8; 64];
        for m in [
            view("ATTRIBUTES", 12, 50, 64),
            view("ATTRIBUTES", 6, 50, 64),
            view("TRIANGLES", 2, 7, 64),
            view("INDICES", 3, 6, 64),
            view("ATTRIBUTES", 12, 50, 65),
            view("SOMETHING", 4, 1, 64),
        ] {
            assert!(decode(0, &m, &[&garbage], &mut 1_000_000).is_err(), "{m:?}");
        }
        let m = view("ATTRIBUTES", 12, 1_000_000, 64);
        let err = decode(0, &m, &[&garbage], &mut 1_000).unwrap_err();
        assert!(err.message.contains("larger"));
    }
}
