#!/usr/bin/env bash
# The client's benchmarks, printed as figures: the downloadable bundle (raw, brotli, gzip),
# seconds from opening the page to the first frame and frame time with 200 avatars in headless
# Chromium, and frame time with 200 avatars natively under Xvfb + lavapipe. Software rendering
# on both sides: the frame times are upper bounds, not what a laptop with a GPU shows.
# `--fast` measures the test bundle instead of building the LTO one (20-40 min cold).
source "$(dirname "$0")/lib.sh"
ensure_rust
use_shared_target_dir
ensure_client_build_deps
ensure_headless_display
cd "$ROOT"
if [ "${1:-}" = "--fast" ]; then "$ROOT/scripts/build-web.sh" --fast; else "$ROOT/scripts/build-web.sh"; fi
cargo build --release -p stadtlab-server -p stadtlab-client
apt_install chromium
(cd tests/browser && npm ci --no-audit --no-fund --silent)
STADTLAB_BIN="$CARGO_TARGET_DIR/release/stadtlab" node tests/browser/bench.mjs
log "native: 200 avatars under Xvfb + lavapipe (release build)"
WGPU_BACKEND=vulkan xvfb-run -a -s "-screen 0 1280x720x24" "$CARGO_TARGET_DIR/release/stadtlab_client" \
  --offline --demo-avatars 200 --exit-after 40 --frame-stats 2>/dev/null | grep '^frames:' | sed 's/^/bench-native: /'
