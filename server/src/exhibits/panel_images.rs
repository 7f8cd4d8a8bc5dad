//! Pictures for an exhibit's info panel: PNG or JPEG in, a PNG of at most 1024 px out.
//! Re-encoding means clients need only a PNG decoder, a huge photo costs them nothing, and
//! camera metadata (EXIF, GPS positions) never reaches visitors.

use super::image_codec::{MAX_INPUT_EDGE, MAX_INPUT_PIXELS, decode_jpeg, decode_png, encode_png};
use super::ingest::Problem;

pub const MAX_IMAGES: usize = 3;
pub const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;
/// Longest edge of the stored picture.
pub const MAX_EDGE: usize = 1024;

/// Decodes, scales to fit [`MAX_EDGE`] and encodes as PNG; `which` names it in problems.
pub fn normalise(bytes: &[u8], which: &str) -> Result<Vec<u8>, Problem> {
    normalise_to(bytes, which, MAX_EDGE)
}

/// [`normalise`] with another longest edge (slides are shown larger than panel pictures).
pub fn normalise_to(bytes: &[u8], which: &str, max_edge: usize) -> Result<Vec<u8>, Problem> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(Problem::new(
            "image_too_large",
            format!(
                "{which} has {} MB; at most {} MB are allowed",
                bytes.len() / 1_000_000,
                MAX_IMAGE_BYTES / 1_000_000
            ),
        ));
    }
    let png = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => true,
        Ok(imagesize::ImageType::Jpeg) => false,
        _ => return Err(not_a_picture(which)),
    };
    let size = imagesize::blob_size(bytes).map_err(|_| broken(which))?;
    if size.width > MAX_INPUT_EDGE
        || size.height > MAX_INPUT_EDGE
        || size.width == 0
        || size.height == 0
        || size.width as u64 * size.height as u64 > MAX_INPUT_PIXELS
    {
        return Err(Problem::new(
            "image_too_large",
            format!(
                "{which} is {}×{} pixels; at most {} megapixels and {MAX_INPUT_EDGE} pixels a side are allowed: scale it down",
                size.width,
                size.height,
                MAX_INPUT_PIXELS / 1_000_000
            ),
        ));
    }
    let decoded = if png {
        decode_png(bytes)
    } else {
        decode_jpeg(bytes)
    };
    let (rgb, w, h, _) = decoded.ok_or_else(|| broken(which))?;
    let (rgb, w, h) = fit(&rgb, w, h, max_edge);
    Ok(encode_png(&rgb, w, h, png::ColorType::Rgb))
}

fn not_a_picture(which: &str) -> Problem {
    Problem::new(
        "invalid_image",
        format!("{which} is not a PNG or JPEG picture"),
    )
}

fn broken(which: &str) -> Problem {
    Problem::new(
        "invalid_image",
        format!("{which} cannot be decoded: the file is broken"),
    )
}

/// Scales an RGB picture down (area average) so that its longer edge is at most `max`.
pub fn fit(rgb: &[u8], w: usize, h: usize, max: usize) -> (Vec<u8>, usize, usize) {
    let longest = w.max(h);
    if longest <= max {
        return (rgb.to_vec(), w, h);
    }
    let (nw, nh) = (
        (w * max).div_ceil(longest).max(1),
        (h * max).div_ceil(longest).max(1),
    );
    let mut out = Vec::with_capacity(nw * nh * 3);
    for y in 0..nh {
        let (y0, y1) = (y * h / nh, ((y + 1) * h / nh).max(y * h / nh + 1));
        for x in 0..nw {
            let (x0, x1) = (x * w / nw, ((x + 1) * w / nw).max(x * w / nw + 1));
            let mut sum = [0u32; 3];
            for sy in y0..y1 {
                for sx in x0..x1 {
                    let i = (sy * w + sx) * 3;
                    for c in 0..3 {
                        sum[c] += rgb[i + c] as u32;
                    }
                }
            }
            let n = ((y1 - y0) * (x1 - x0)) as u32;
            out.extend(sum.map(|s| (s / n) as u8));
        }
    }
    (out, nw, nh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_pictures_shrink_and_small_ones_stay() {
        let rgb = vec![200u8; 3000 * 1500 * 3];
        let (out, w, h) = fit(&rgb, 3000, 1500, MAX_EDGE);
        assert_eq!((w, h), (1024, 512));
        assert!(out.iter().all(|&v| v == 200));
        let png = encode_png(&vec![10u8; 40 * 30 * 3], 40, 30, png::ColorType::Rgb);
        let again = normalise(&png, "picture 1").unwrap();
        assert_eq!(imagesize::blob_size(&again).unwrap().width, 40);
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!(
            normalise(b"GIF89a....", "picture 1").unwrap_err().rule,
            "invalid_image"
        );
        let mut png = encode_png(&[0u8; 12], 2, 2, png::ColorType::Rgb);
        png.truncate(png.len() - 20);
        assert_eq!(
            normalise(&png, "picture 1").unwrap_err().rule,
            "invalid_image"
        );
    }
}
