//! Feeds arbitrary bytes to every decoder the server and clients run on network input, and
//! then to the snapshot delta decoder. Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run decode`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stadtlab_shared::protocol::snapshot::DeltaDecoder;
use stadtlab_shared::protocol::{ClientMsg, InputMsg, ServerMsg, SnapshotMsg, decode, encode, limits};

fuzz_target!(|data: &[u8]| {
    if let Ok(msg) = decode::<ClientMsg>(data, limits::MAX_CLIENT_CONTROL_BYTES) {
        // Whatever decodes re-encodes to something that decodes to the same message. (Not
        // to the same bytes: postcard accepts over-long varints, which the fuzzer found; that
        // is harmless because no message is signed or hashed.)
        let again = encode(&msg);
        assert_eq!(decode::<ClientMsg>(&again, usize::MAX).as_ref(), Ok(&msg));
    }
    let _ = decode::<InputMsg>(data, limits::MAX_INPUT_MSG_BYTES);
    let _ = decode::<ServerMsg>(data, usize::MAX);
    if let Ok(snap) = decode::<SnapshotMsg>(data, usize::MAX) {
        let mut decoder = DeltaDecoder::new();
        decoder.apply(&snap);
        let _ = decoder.states().count();
    }
});
