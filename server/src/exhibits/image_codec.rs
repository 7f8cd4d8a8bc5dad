//! Pictures in and out: PNG and JPEG decoded to 8-bit RGB, PNG written. Shared by panel
//! pictures, JPEG textures of uploaded models and thumbnails.

use zune_jpeg::JpegDecoder;
use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;

/// Larger pictures are refused before decoding (a 60,000² PNG would need 14 GB).
pub const MAX_INPUT_EDGE: usize = 8192;

pub fn decode_png(bytes: &[u8]) -> Option<(Vec<u8>, usize, usize)> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    let (w, h) = (info.width as usize, info.height as usize);
    let channels = info.color_type.samples();
    let rgb = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .flat_map(|px| match channels {
            1 | 2 => [px[0], px[0], px[0]],
            _ => [px[0], px[1], px[2]],
        })
        .collect();
    Some((rgb, w, h))
}

pub fn decode_jpeg(bytes: &[u8]) -> Option<(Vec<u8>, usize, usize)> {
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::RGB)
        .set_max_width(MAX_INPUT_EDGE)
        .set_max_height(MAX_INPUT_EDGE);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    let rgb = decoder.decode().ok()?;
    let info = decoder.info()?;
    Some((rgb, info.width as usize, info.height as usize))
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
