//! Pictures in and out: PNG and JPEG decoded to 8-bit RGB, PNG written. Shared by panel
//! pictures, JPEG textures of uploaded models and thumbnails.

use zune_jpeg::JpegDecoder;
use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;

/// Larger pictures are refused before decoding (a 60,000² PNG would need 14 GB).
pub const MAX_INPUT_EDGE: usize = 8192;

/// Pixels a picture may have before it is decoded (a 6000 × 4000 camera photo): an 8192²
/// PNG of a few hundred KB would otherwise cost hundreds of MB per upload.
pub const MAX_INPUT_PIXELS: u64 = 24_000_000;

/// PNG as 8-bit RGB, compacted in place (no second full-size buffer).
pub fn decode_png(bytes: &[u8]) -> Option<Decoded> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    let (w, h) = (info.width as usize, info.height as usize);
    let channels = info.color_type.samples();
    buf.truncate(info.buffer_size());
    let pixel = |buf: &[u8], i: usize| {
        let px = i * channels;
        match channels {
            1 | 2 => [buf[px], buf[px], buf[px]],
            _ => [buf[px], buf[px + 1], buf[px + 2]],
        }
    };
    match channels {
        3 => {}
        // Grey grows to RGB: widened from the back, each pixel read before it is overwritten.
        1 | 2 => {
            buf.resize(w * h * 3, 0);
            for i in (0..w * h).rev() {
                let rgb = pixel(&buf, i);
                buf[i * 3..i * 3 + 3].copy_from_slice(&rgb);
            }
        }
        // RGBA shrinks: compacted from the front.
        _ => {
            for i in 0..w * h {
                let rgb = pixel(&buf, i);
                buf[i * 3..i * 3 + 3].copy_from_slice(&rgb);
            }
            buf.truncate(w * h * 3);
            buf.shrink_to_fit();
        }
    }
    Some((buf, w, h, png::ColorType::Rgb))
}

/// A decoded picture: pixels, width, height and their layout.
pub type Decoded = (Vec<u8>, usize, usize, png::ColorType);

pub fn decode_jpeg(bytes: &[u8]) -> Option<Decoded> {
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::RGB)
        .set_max_width(MAX_INPUT_EDGE)
        .set_max_height(MAX_INPUT_EDGE);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    let rgb = decoder.decode().ok()?;
    let info = decoder.info()?;
    Some((
        rgb,
        info.width as usize,
        info.height as usize,
        png::ColorType::Rgb,
    ))
}

/// WebP (lossy or lossless) with the pure-Rust decoder of the `image` project: its size is
/// read from the header and checked before any pixel buffer is allocated.
pub fn decode_webp(bytes: &[u8]) -> Option<Decoded> {
    let mut decoder = image_webp::WebPDecoder::new(std::io::Cursor::new(bytes)).ok()?;
    let (w, h) = decoder.dimensions();
    if w as usize > MAX_INPUT_EDGE || h as usize > MAX_INPUT_EDGE {
        return None;
    }
    let color = if decoder.has_alpha() {
        png::ColorType::Rgba
    } else {
        png::ColorType::Rgb
    };
    let mut pixels = vec![0; decoder.output_buffer_size()?];
    decoder.read_image(&mut pixels).ok()?;
    Some((pixels, w as usize, h as usize, color))
}

/// Encodes 8-bit pixels (`color`: RGB or RGBA) as PNG.
pub fn encode_png(pixels: &[u8], w: usize, h: usize, color: png::ColorType) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w as u32, h as u32);
    enc.set_color(color);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().expect("PNG header into memory");
    writer
        .write_image_data(pixels)
        .expect("PNG data into memory");
    drop(writer);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grey_and_rgba_pngs_become_the_same_rgb() {
        for (color, px) in [
            (png::ColorType::Grayscale, vec![10u8, 200]),
            (png::ColorType::GrayscaleAlpha, vec![10, 255, 200, 255]),
            (
                png::ColorType::Rgba,
                vec![10, 10, 10, 255, 200, 200, 200, 255],
            ),
        ] {
            let png = encode_png(&px, 2, 1, color);
            let (rgb, w, h, _) = decode_png(&png).unwrap();
            assert_eq!((w, h), (2, 1));
            assert_eq!(rgb, [10, 10, 10, 200, 200, 200], "{color:?}");
        }
    }
}
