#!/usr/bin/env bash
# Builds the browser client into web/client/: Debian's rustc-web with -Zbuild-std for
# wasm32, wasm-bindgen, wasm-opt, then brotli and gzip copies the server sends with
# Content-Encoding. `--fast` (tests) skips LTO and wasm-opt; the default is the bundle people
# download.
source "$(dirname "$0")/lib.sh"
PROFILE=wasm-release
[ "${1:-}" = "--fast" ] && PROFILE=wasm-fast
ensure_rust
use_shared_target_dir
ensure_wasm_toolchain
apt_install brotli gzip
cd "$ROOT"
ensure_web_libraries
ensure_wasm_bindgen

log "building the browser client (profile $PROFILE)"
wasm_cargo build -p stadtlab-client --bin stadtlab_client --profile "$PROFILE"
WASM="$(dirname "$CARGO_TARGET_DIR")/wasm-target/wasm32-unknown-unknown/$PROFILE/stadtlab_client.wasm"

OUT="$ROOT/web/client"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
"$WASM_BINDGEN" --target web --no-typescript --remove-name-section \
  --out-dir "$STAGE" --out-name stadtlab_client "$WASM"
if [ "$PROFILE" = wasm-release ]; then
  ensure_wasm_opt
  log "wasm-opt -Oz"
  "$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types \
    "$STAGE/stadtlab_client_bg.wasm" -o "$STAGE/opt.wasm"
  mv "$STAGE/opt.wasm" "$STAGE/stadtlab_client_bg.wasm"
fi
# Best compression for the bundle people download; quick settings for the test bundle.
BR_Q=11; GZ_Q=9
[ "$PROFILE" = wasm-fast ] && { BR_Q=5; GZ_Q=6; }
for f in "$STAGE"/stadtlab_client_bg.wasm "$STAGE"/stadtlab_client.js; do
  brotli -q "$BR_Q" -f -k "$f"
  gzip "-$GZ_Q" -f -k "$f"
done
size() { stat -c %s "$1"; }
cat > "$STAGE/manifest.json" <<JSON
{"profile": "$PROFILE", "wasm_bytes": $(size "$STAGE/stadtlab_client_bg.wasm"),
 "wasm_br_bytes": $(size "$STAGE/stadtlab_client_bg.wasm.br"),
 "wasm_gz_bytes": $(size "$STAGE/stadtlab_client_bg.wasm.gz"),
 "js_bytes": $(size "$STAGE/stadtlab_client.js"), "js_br_bytes": $(size "$STAGE/stadtlab_client.js.br")}
JSON
# Swap the folder in whole, so a running server never serves half a bundle.
rm -rf "$OUT.old"; [ -d "$OUT" ] && mv "$OUT" "$OUT.old"
mkdir -p "$OUT" && cp "$STAGE"/* "$OUT"/ && rm -rf "$OUT.old"
log "web/client: $(tr -d '\n' < "$OUT/manifest.json")"
