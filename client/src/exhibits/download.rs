//! Fetching exhibit models over HTTP: `fetch()` in the browser, a thread with ureq on the
//! desktop. Finished downloads wait in an inbox that a system empties every frame.

use std::sync::{Arc, Mutex};

/// Downloads that finished: (exhibit id, bytes or why not).
pub type Inbox = Arc<Mutex<Vec<(String, Result<Vec<u8>, String>)>>>;

/// A model is at most 64 MB (the server's upload limit).
const MAX_MODEL_BYTES: u64 = 64 * 1024 * 1024;

#[cfg(not(target_arch = "wasm32"))]
pub fn start(url: String, id: String, inbox: Inbox) {
    std::thread::spawn(move || {
        let result = ureq::get(&url)
            .call()
            .map_err(|e| e.to_string())
            .and_then(|mut r| {
                r.body_mut()
                    .with_config()
                    .limit(MAX_MODEL_BYTES)
                    .read_to_vec()
                    .map_err(|e| e.to_string())
            });
        inbox
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((id, result));
    });
}

#[cfg(target_arch = "wasm32")]
pub fn start(url: String, id: String, inbox: Inbox) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    wasm_bindgen_futures::spawn_local(async move {
        let result: Result<Vec<u8>, String> = async {
            let window = web_sys::window().ok_or("no window")?;
            let resp: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
                .await
                .map_err(|e| format!("{e:?}"))?
                .dyn_into()
                .map_err(|_| "not a response")?;
            if !resp.ok() {
                return Err(format!("HTTP {}", resp.status()));
            }
            let buffer = JsFuture::from(resp.array_buffer().map_err(|e| format!("{e:?}"))?)
                .await
                .map_err(|e| format!("{e:?}"))?;
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            if bytes.len() as u64 > MAX_MODEL_BYTES {
                return Err("model too large".to_string());
            }
            Ok(bytes)
        }
        .await;
        inbox
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((id, result));
    });
}
