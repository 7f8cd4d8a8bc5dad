//! In a browser the line to type into is a real text field of the page (web/typing-line.js):
//! on-screen keyboards, input methods, umlauts and pasting reach it, which key events on the
//! canvas do not. It opens when the line opens (for chat, a closing answer or a comment), with
//! what the canvas got so far, and hands its text back when Enter ends it; Esc cancels. Without
//! such a page (the desktop app) the canvas line serves alone.

use bevy::prelude::*;

use super::chat::{ChatInput, LineSender, Writing};
use crate::i18n::I18n;
use crate::platform::{self, PAGE_LINE_CANCELLED};
use crate::settings::Settings;

/// The purpose the page's field is open for (`None`: closed or no such field).
#[derive(Default)]
pub struct PageField(Option<Writing>);

pub fn sync(
    mut input: ResMut<ChatInput>,
    mut sender: LineSender,
    i18n: Res<I18n>,
    settings: Res<Settings>,
    mut field: Local<PageField>,
) {
    for typed in platform::typed_from_page() {
        // The field closed itself: the line ends here, sent or not.
        field.0 = None;
        let purpose = std::mem::take(&mut input.purpose);
        input.open = false;
        input.text.clear();
        let text = typed.trim();
        if typed != PAGE_LINE_CANCELLED && !text.is_empty() {
            sender.send(purpose, text.to_owned());
        }
    }
    if input.open && field.0.as_ref() != Some(&input.purpose) {
        // The prompt without the typed text the canvas line shows after it.
        let prompt = i18n.text(
            settings.language,
            input.purpose.prompt_key(),
            &[("text", "".into())],
        );
        let prompt = prompt.trim_end_matches('_').trim_end();
        if platform::open_page_line(prompt, &input.text, input.purpose.limit()) {
            field.0 = Some(input.purpose.clone());
        }
    } else if !input.open && field.0.is_some() {
        platform::close_page_line();
        field.0 = None;
    }
}
