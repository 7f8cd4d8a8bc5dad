//! PDF slide decks made here, for the tests and the talk benchmark: good decks (one big
//! coloured number per page, text in a standard font, vector shapes) and hostile ones
//! (a page bomb, a page larger than the standard allows, a password, a cut-off file, an image
//! that inflates to gigabytes).

use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str};

/// A 16:9 deck of `pages` pages titled `title`; page n shows "n" large on its own colour.
pub fn deck(pages: usize, title: &str) -> Vec<u8> {
    deck_with(pages, title, 960.0, 540.0, None)
}

/// A deck claiming `pages` pages that all share one content stream (tiny file, huge count).
pub fn page_bomb(pages: usize) -> Vec<u8> {
    deck_with(pages, "bomb", 960.0, 540.0, Some(()))
}

/// One page of `w`×`h` points.
pub fn sized_page(w: f32, h: f32) -> Vec<u8> {
    deck_with(1, "huge", w, h, None)
}

/// One page showing an RGB image of `side`×`side` pixels whose data is deflated zeros: a few
/// megabytes in the file, `side² × 3` bytes once inflated (40,000: 4.8 GB).
pub fn image_bomb(side: i32) -> Vec<u8> {
    use std::io::Write;
    let mut pdf = Pdf::new();
    let (catalog, tree, page, content, image) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
    );
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.parent(tree)
        .media_box(Rect::new(0.0, 0.0, 960.0, 540.0))
        .contents(content);
    p.resources().x_objects().pair(Name(b"Im1"), image);
    drop(p);
    let mut c = Content::new();
    c.save_state();
    c.transform([960.0, 0.0, 0.0, 540.0, 0.0, 0.0]);
    c.x_object(Name(b"Im1"));
    c.restore_state();
    pdf.stream(content, &c.finish().into_vec());
    let mut deflate = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let row = vec![0u8; side as usize * 3];
    for _ in 0..side {
        deflate.write_all(&row).expect("writing to memory");
    }
    let data = deflate.finish().expect("writing to memory");
    let mut x = pdf.image_xobject(image, &data);
    x.filter(pdf_writer::Filter::FlateDecode);
    x.width(side).height(side);
    x.color_space().device_rgb();
    x.bits_per_component(8);
    drop(x);
    pdf.finish()
}

/// A deck whose trailer says it is encrypted with a password nobody gave us.
pub fn password_protected() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (catalog, tree, page, encrypt) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4));
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    pdf.page(page)
        .parent(tree)
        .media_box(Rect::new(0.0, 0.0, 960.0, 540.0));
    // The standard security handler, revision 3, with owner and user hashes of a password.
    let mut dict = pdf.indirect(encrypt).dict();
    dict.pair(Name(b"Filter"), Name(b"Standard"));
    dict.pair(Name(b"V"), 2);
    dict.pair(Name(b"R"), 3);
    dict.pair(Name(b"Length"), 128);
    dict.pair(Name(b"P"), -3904);
    dict.pair(Name(b"O"), Str(&[0x5a; 32]));
    dict.pair(Name(b"U"), Str(&[0xa5; 32]));
    drop(dict);
    pdf.set_file_id((b"stadtlab-test-id".to_vec(), b"stadtlab-test-id".to_vec()));
    // pdf-writer writes no encryption; the trailer (after the cross-reference table, so no
    // offset moves) gets its /Encrypt entry here.
    let mut bytes = pdf.finish();
    let root = b"/Root 1 0 R";
    let at = bytes
        .windows(root.len())
        .rposition(|w| w == root)
        .expect("a trailer names its root");
    let entry = format!(" /Encrypt {} 0 R", encrypt.get());
    bytes.splice(at + root.len()..at + root.len(), entry.bytes());
    bytes
}

fn deck_with(pages: usize, title: &str, w: f32, h: f32, bomb: Option<()>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (catalog, tree, font) = (Ref::new(1), Ref::new(2), Ref::new(3));
    let first_page = 10;
    let page_ref = |i: usize| Ref::new(first_page + 2 * i as i32);
    let content_ref = |i: usize| {
        if bomb.is_some() {
            Ref::new(first_page - 1)
        } else {
            Ref::new(first_page + 1 + 2 * i as i32)
        }
    };
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids((0..pages).map(page_ref))
        .count(pages as i32);
    pdf.type1_font(font).base_font(Name(b"Helvetica-Bold"));
    for i in 0..pages {
        let mut page = pdf.page(page_ref(i));
        page.parent(tree)
            .media_box(Rect::new(0.0, 0.0, w, h))
            .contents(content_ref(i));
        page.resources().fonts().pair(Name(b"F1"), font);
        drop(page);
        if bomb.is_none() {
            pdf.stream(content_ref(i), &page_content(i + 1, title, w, h));
        }
    }
    if bomb.is_some() {
        pdf.stream(content_ref(0), &page_content(1, title, w, h));
    }
    pdf.finish()
}

/// Page `n`: a colour that differs from page to page, a frame, the title and the number.
fn page_content(n: usize, title: &str, w: f32, h: f32) -> Vec<u8> {
    let mut c = Content::new();
    let hue = (n as f32 * 0.37).fract();
    c.set_fill_rgb(0.3 + 0.6 * hue, 0.8 - 0.5 * hue, 0.5 + 0.4 * (1.0 - hue));
    c.rect(0.0, 0.0, w, h);
    c.fill_nonzero();
    c.set_fill_rgb(1.0, 1.0, 1.0);
    c.rect(w * 0.05, h * 0.08, w * 0.9, h * 0.2);
    c.fill_nonzero();
    c.set_fill_rgb(0.1, 0.1, 0.1);
    c.begin_text();
    c.set_font(Name(b"F1"), h * 0.1);
    c.next_line(w * 0.08, h * 0.14);
    c.show(Str(title.as_bytes()));
    c.end_text();
    c.begin_text();
    c.set_font(Name(b"F1"), h * 0.45);
    c.next_line(w * 0.4, h * 0.45);
    c.show(Str(n.to_string().as_bytes()));
    c.end_text();
    c.finish().into_vec()
}
