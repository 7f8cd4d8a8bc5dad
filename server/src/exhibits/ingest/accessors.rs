//! Reading accessors the way the glTF specification allows them, with every range checked
//! before a byte is read: float and (normalised or plain) integer components
//! (`KHR_mesh_quantization`), a byteStride, no bufferView at all (zeros), sparse overlays.
//! The gltf crate's reader gives up on several of these (and allocates per call whatever the
//! accessor claims); this one reads only what was counted against the ingest budget.

use std::borrow::Cow;

use gltf::accessor::{DataType, Dimensions};

use super::report::Problem;

/// The bytes of every bufferView (already range-checked against its buffer, or decoded from
/// `EXT_meshopt_compression`); an empty slice for a view that could not be used.
pub type Views<'a> = [Cow<'a, [u8]>];

fn component_size(t: DataType) -> usize {
    match t {
        DataType::I8 | DataType::U8 => 1,
        DataType::I16 | DataType::U16 => 2,
        DataType::U32 | DataType::F32 => 4,
    }
}

fn multiplicity(d: Dimensions) -> usize {
    match d {
        Dimensions::Scalar => 1,
        Dimensions::Vec2 => 2,
        Dimensions::Vec3 => 3,
        Dimensions::Vec4 | Dimensions::Mat2 => 4,
        Dimensions::Mat3 => 9,
        Dimensions::Mat4 => 16,
    }
}

/// One component as f32: normalised integers map to [-1, 1] / [0, 1] (glTF's rules).
fn component(t: DataType, normalized: bool, b: &[u8]) -> f32 {
    match t {
        DataType::F32 => f32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        DataType::U32 => u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f32,
        DataType::I8 if normalized => (b[0] as i8 as f32 / 127.0).max(-1.0),
        DataType::I8 => b[0] as i8 as f32,
        DataType::U8 if normalized => b[0] as f32 / 255.0,
        DataType::U8 => b[0] as f32,
        DataType::I16 if normalized => {
            (i16::from_le_bytes([b[0], b[1]]) as f32 / 32767.0).max(-1.0)
        }
        DataType::I16 => i16::from_le_bytes([b[0], b[1]]) as f32,
        DataType::U16 if normalized => u16::from_le_bytes([b[0], b[1]]) as f32 / 65535.0,
        DataType::U16 => u16::from_le_bytes([b[0], b[1]]) as f32,
    }
}

fn integer(t: DataType, b: &[u8]) -> Option<u32> {
    match t {
        DataType::U8 => Some(b[0] as u32),
        DataType::U16 => Some(u16::from_le_bytes([b[0], b[1]]) as u32),
        DataType::U32 => Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        _ => None,
    }
}

/// `count` elements of `elem` bytes each, `stride` apart from `offset` in `data`, or why not.
fn elements<'v>(
    data: &'v [u8],
    offset: usize,
    stride: usize,
    elem: usize,
    count: usize,
    what: &dyn Fn() -> String,
) -> Result<impl Iterator<Item = &'v [u8]> + 'v, Problem> {
    if stride < elem {
        return Err(Problem::new(
            "byte_stride",
            format!(
                "{}: its byteStride of {stride} is smaller than one element ({elem} bytes)",
                what()
            ),
        ));
    }
    let need = if count == 0 {
        0
    } else {
        stride
            .checked_mul(count - 1)
            .and_then(|n| n.checked_add(elem))
            .and_then(|n| n.checked_add(offset))
            .unwrap_or(usize::MAX)
    };
    if need > data.len() {
        return Err(Problem::new(
            "accessor_out_of_range",
            format!("{} reads past the end of its bufferView", what()),
        ));
    }
    Ok((0..count).map(move |i| &data[offset + i * stride..offset + i * stride + elem]))
}

/// Reads a float accessor of `n` components per element (`VEC2`, `VEC3`).
pub fn floats<const N: usize>(
    acc: &gltf::Accessor,
    views: &Views,
    name: &str,
) -> Result<Vec<[f32; N]>, Problem> {
    let what = || format!("accessor {} ({name})", acc.index());
    if multiplicity(acc.dimensions()) != N {
        return Err(Problem::new(
            "accessor_type",
            format!("{}: expected {N} components per element", what()),
        ));
    }
    let t = acc.data_type();
    let size = component_size(t);
    let elem = size * N;
    let read = |b: &[u8]| -> [f32; N] {
        std::array::from_fn(|k| component(t, acc.normalized(), &b[k * size..]))
    };
    read_all(acc, views, elem, [0.0; N], read, &what)
}

/// Every element of `acc` (`elem` bytes each, turned into a `T` by `read`): from its
/// bufferView, or all `zero` without one (the specification's rule), then the sparse overlay.
fn read_all<T: Clone>(
    acc: &gltf::Accessor,
    views: &Views,
    elem: usize,
    zero: T,
    read: impl Fn(&[u8]) -> T,
    what: &dyn Fn() -> String,
) -> Result<Vec<T>, Problem> {
    let mut out: Vec<T> = match acc.view() {
        Some(view) => {
            let data = &views[view.index()];
            let stride = view.stride().unwrap_or(elem);
            elements(data, acc.offset(), stride, elem, acc.count(), what)?
                .map(&read)
                .collect()
        }
        None => vec![zero; acc.count()],
    };
    if let Some(sparse) = acc.sparse() {
        let positions = sparse_indices(&sparse, views, acc.count(), what)?;
        let values = sparse.values();
        let data = &views[values.view().index()];
        let written = elements(data, values.offset(), elem, elem, positions.len(), what)?;
        for (at, bytes) in positions.into_iter().zip(written) {
            out[at] = read(bytes);
        }
    }
    Ok(out)
}

fn sparse_indices(
    sparse: &gltf::accessor::sparse::Sparse,
    views: &Views,
    count: usize,
    what: &dyn Fn() -> String,
) -> Result<Vec<usize>, Problem> {
    use gltf::accessor::sparse::IndexType;
    let indices = sparse.indices();
    let (t, size) = match indices.index_type() {
        IndexType::U8 => (DataType::U8, 1),
        IndexType::U16 => (DataType::U16, 2),
        IndexType::U32 => (DataType::U32, 4),
    };
    let data = &views[indices.view().index()];
    let mut out = Vec::with_capacity(sparse.count().min(count));
    for bytes in elements(data, indices.offset(), size, size, sparse.count(), what)? {
        let at = integer(t, bytes).unwrap_or(u32::MAX) as usize;
        if at >= count {
            return Err(Problem::new(
                "accessor_out_of_range",
                format!(
                    "{}: a sparse index ({at}) lies past its {count} elements",
                    what()
                ),
            ));
        }
        out.push(at);
    }
    Ok(out)
}

/// Reads an index accessor (unsigned `SCALAR`).
pub fn indices(acc: &gltf::Accessor, views: &Views) -> Result<Vec<u32>, Problem> {
    let what = || format!("accessor {} (indices)", acc.index());
    let t = acc.data_type();
    if acc.dimensions() != Dimensions::Scalar || integer(t, &[0; 4]).is_none() {
        return Err(Problem::new(
            "accessor_type",
            format!("{}: indices must be unsigned integer scalars", what()),
        ));
    }
    let size = component_size(t);
    read_all(acc, views, size, 0, |b| integer(t, b).unwrap_or(0), &what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_integers_follow_the_specification() {
        assert_eq!(component(DataType::I16, true, &32767i16.to_le_bytes()), 1.0);
        assert_eq!(
            component(DataType::I16, true, &(-32768i16).to_le_bytes()),
            -1.0
        );
        assert_eq!(component(DataType::U8, true, &[255]), 1.0);
        assert_eq!(
            component(DataType::I16, false, &(-3i16).to_le_bytes()),
            -3.0
        );
    }

    #[test]
    fn a_stride_shorter_than_an_element_is_refused_not_read() {
        let data = [0u8; 64];
        let err = elements(&data, 0, 4, 12, 3, &|| "accessor 0".into())
            .err()
            .unwrap();
        assert_eq!(err.rule, "byte_stride");
        let err = elements(&data, 60, 12, 12, 2, &|| "accessor 0".into())
            .err()
            .unwrap();
        assert_eq!(err.rule, "accessor_out_of_range");
        assert_eq!(
            elements(&data, 0, 16, 12, 4, &|| "a".into())
                .unwrap()
                .count(),
            4
        );
    }
}
