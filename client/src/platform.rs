//! The few things that differ between the desktop and the browser: the clock, storage for
//! settings, reporting a fatal error, and handing the state JSON to JavaScript.

use std::time::Duration;

/// Wall-clock time since the Unix epoch (netcode tokens expire by it).
pub fn now_since_epoch() -> Duration {
    #[cfg(target_arch = "wasm32")]
    {
        Duration::from_secs_f64(js_sys::Date::now() / 1000.0)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
    }
}

/// Tells the person why the client cannot start.
pub fn show_fatal(message: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::console::error_1(&message.into());
        if let Some(el) = web::document().and_then(|d| d.get_element_by_id("status")) {
            el.set_text_content(Some(message));
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        eprintln!("stadtlab: {message}");
        std::process::exit(1);
    }
}

/// Reads a saved setting (browser: localStorage; desktop: not kept yet).
pub fn load_setting(key: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        web::storage()?.get_item(key).ok().flatten()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = key;
        None
    }
}

pub fn save_setting(key: &str, value: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(storage) = web::storage() {
        let _ = storage.set_item(key, value);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (key, value);
}

/// Opens an exhibit's web link: a new browser tab; on the desktop the link is shown in the
/// panel and written to the log (no browser to hand it to portably).
pub fn open_link(url: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(window) = web_sys::window() {
        let _ = window.open_with_url_and_target_and_features(url, "_blank", "noopener");
    }
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("stadtlab: exhibit link: {url}");
}

/// Back to the landing page (to re-enter with another name or colour).
pub fn back_to_landing_page() {
    #[cfg(target_arch = "wasm32")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

#[cfg(target_arch = "wasm32")]
pub use web::{
    close_page_line, is_touch_screen, launch_from_page, lines_from_page, open_page_line,
    publish_state, request_fresh_ticket, take_fresh_ticket, take_inspect_request, typed_from_page,
    voice_from_page, voice_to_page,
};

/// What the page's text field sends when it was closed without sending (Esc). Control
/// characters never make a line, so it cannot be typed.
pub const PAGE_LINE_CANCELLED: &str = "\u{1b}";

/// The desktop has no page text field: the canvas line serves alone.
#[cfg(not(target_arch = "wasm32"))]
pub fn open_page_line(_prompt: &str, _text: &str, _max: usize) -> bool {
    false
}

#[cfg(not(target_arch = "wasm32"))]
pub fn close_page_line() {}

#[cfg(not(target_arch = "wasm32"))]
pub fn typed_from_page() -> Vec<String> {
    Vec::new()
}

/// Lines typed by a page; the desktop has none.
#[cfg(not(target_arch = "wasm32"))]
pub fn lines_from_page() -> Vec<String> {
    Vec::new()
}

/// An exhibit the page asked to inspect (`window.stadtlab.inspect(id)`: for accessibility
/// tools that cannot aim a click, and for tests). The desktop has no such page.
#[cfg(not(target_arch = "wasm32"))]
pub fn take_inspect_request() -> Option<String> {
    None
}

#[cfg(target_arch = "wasm32")]
mod web {
    use std::cell::RefCell;

    use stadtlab_shared::protocol::join::JoinAnswer;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;

    use crate::launch::Launch;

    thread_local! {
        static STATE: RefCell<String> = const { RefCell::new(String::new()) };
        static INSPECT: RefCell<Option<String>> = const { RefCell::new(None) };
    }

    pub fn document() -> Option<web_sys::Document> {
        web_sys::window()?.document()
    }

    pub fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    /// The join answer the landing page left in `window.stadtlabTicket`.
    pub fn launch_from_page() -> Result<Launch, String> {
        let window = web_sys::window().ok_or("no window")?;
        install_state_function(&window);
        let params = window.location().search().unwrap_or_default();
        let demo_avatars = query_value(&params, "demo_avatars")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let ticket = js_sys::Reflect::get(&window, &"stadtlabTicket".into())
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null());
        let ticket: Option<JoinAnswer> = match ticket {
            Some(value) => {
                let text = js_sys::JSON::stringify(&value)
                    .map_err(|_| "the seat cannot be read")?
                    .as_string()
                    .unwrap_or_default();
                Some(serde_json::from_str(&text).map_err(|e| format!("bad seat: {e}"))?)
            }
            None => None,
        };
        let offline_room = query_value(&params, "room").unwrap_or_else(|| "stadtlabor".into());
        Ok(Launch {
            ticket,
            offline_room,
            demo_avatars,
            ..Launch::default()
        })
    }

    /// Hands one voice message (JSON) to the page's voice (`window.stadtlabVoiceInbox`).
    pub fn voice_to_page(json: &str) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let key: JsValue = "stadtlabVoiceInbox".into();
        let inbox = js_sys::Reflect::get(&window, &key)
            .ok()
            .filter(|v| v.is_object())
            .unwrap_or_else(|| {
                let list: JsValue = js_sys::Array::new().into();
                let _ = js_sys::Reflect::set(&window, &key, &list);
                list
            });
        // `unchecked_into`, not `Array::from`: that would copy the array (`Array.from`) and the
        // page would never see the message.
        inbox.unchecked_into::<js_sys::Array>().push(&json.into());
    }

    /// Takes the page's voice commands (`window.stadtlabVoiceOutbox`, JSON strings).
    pub fn voice_from_page() -> Vec<String> {
        take_list("stadtlabVoiceOutbox")
    }

    /// Opens the page's text field for the line (`window.stadtlabTyping.open`, web/typing-line.js)
    /// with what was typed so far; false when the page has none.
    pub fn open_page_line(prompt: &str, text: &str, max: usize) -> bool {
        call_typing("open", &[prompt.into(), text.into(), (max as f64).into()])
    }

    pub fn close_page_line() {
        call_typing("close", &[]);
    }

    /// Lines the page's text field ended (`window.stadtlabTyped`), or its cancel mark.
    pub fn typed_from_page() -> Vec<String> {
        take_list("stadtlabTyped")
    }

    fn call_typing(method: &str, args: &[JsValue]) -> bool {
        let Some(window) = web_sys::window() else {
            return false;
        };
        let Ok(typing) = js_sys::Reflect::get(&window, &"stadtlabTyping".into()) else {
            return false;
        };
        let Some(function) = js_sys::Reflect::get(&typing, &method.into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        else {
            return false;
        };
        let list: js_sys::Array = args.iter().collect();
        function.apply(&typing, &list).is_ok()
    }

    /// Takes the lines the page typed for the chat (`window.stadtlabLines`: messages and
    /// commands such as `/wort Ada`; the lab's console drives the room with them).
    pub fn lines_from_page() -> Vec<String> {
        take_list("stadtlabLines")
    }

    /// Empties the page's list `window[key]` of strings and returns what it held.
    fn take_list(key: &str) -> Vec<String> {
        let Some(window) = web_sys::window() else {
            return Vec::new();
        };
        let key: JsValue = key.into();
        let Ok(list) = js_sys::Reflect::get(&window, &key) else {
            return Vec::new();
        };
        if !js_sys::Array::is_array(&list) {
            return Vec::new();
        }
        let list = js_sys::Array::from(&list);
        if list.length() == 0 {
            return Vec::new();
        }
        let _ = js_sys::Reflect::set(&window, &key, &js_sys::Array::new());
        list.iter().filter_map(|v| v.as_string()).collect()
    }

    /// Asks the page for another seat (`window.stadtlabWantsTicket`) after a handshake failed.
    /// Only the client knows when it needs one: a page that guessed from the status it last
    /// saw could fetch a seat while the client is already connecting with the previous one,
    /// and the new seat (the same session) would replace, and so cut off, that connection.
    pub fn request_fresh_ticket() {
        if let Some(window) = web_sys::window() {
            let _ = js_sys::Reflect::set(&window, &"stadtlabWantsTicket".into(), &true.into());
        }
    }

    fn query_value(search: &str, key: &str) -> Option<String> {
        search
            .trim_start_matches('?')
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_owned())
    }

    /// The seat the page fetched after starting the client (`window.stadtlabTicketReady`).
    pub fn take_fresh_ticket() -> Option<JoinAnswer> {
        let window = web_sys::window()?;
        let ready = js_sys::Reflect::get(&window, &"stadtlabTicketReady".into()).ok()?;
        if ready.as_bool() != Some(true) {
            return None;
        }
        let _ = js_sys::Reflect::set(&window, &"stadtlabTicketReady".into(), &false.into());
        let _ = js_sys::Reflect::set(&window, &"stadtlabWantsTicket".into(), &false.into());
        let value = js_sys::Reflect::get(&window, &"stadtlabTicket".into()).ok()?;
        let text = js_sys::JSON::stringify(&value).ok()?.as_string()?;
        serde_json::from_str(&text).ok()
    }

    /// `window.stadtlab.state()` returns the newest state as a JSON object.
    fn install_state_function(window: &web_sys::Window) {
        let state = Closure::<dyn Fn() -> JsValue>::new(|| {
            STATE.with(|s| js_sys::JSON::parse(&s.borrow()).unwrap_or(JsValue::NULL))
        });
        let inspect = Closure::<dyn Fn(JsValue)>::new(|id: JsValue| {
            INSPECT.with(|r| *r.borrow_mut() = id.as_string());
        });
        let api = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&api, &"state".into(), state.as_ref().unchecked_ref());
        let _ = js_sys::Reflect::set(&api, &"inspect".into(), inspect.as_ref().unchecked_ref());
        let _ = js_sys::Reflect::set(window, &"stadtlab".into(), &api);
        state.forget();
        inspect.forget();
    }

    /// A phone or tablet (`navigator.maxTouchPoints`), read without extra web-sys features.
    pub fn is_touch_screen() -> bool {
        web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w, &"navigator".into()).ok())
            .and_then(|n| js_sys::Reflect::get(&n, &"maxTouchPoints".into()).ok())
            .and_then(|m| m.as_f64())
            .is_some_and(|m| m > 0.0)
    }

    pub fn take_inspect_request() -> Option<String> {
        INSPECT.with(|r| r.borrow_mut().take())
    }

    pub fn publish_state(json: String) {
        STATE.with(|s| *s.borrow_mut() = json);
    }
}
