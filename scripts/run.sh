#!/usr/bin/env bash
# Installs what is missing and runs the lab at http://localhost:8080 (SQLite + local files in
# ./data): builds the browser client (LTO + wasm-opt, pre-compressed; the first build takes
# 30-60 min on 2 cores, later ones minutes), the server, then starts the server.
# STADTLAB_WEB_PROFILE=fast builds the quicker test bundle instead.
source "$(dirname "$0")/lib.sh"
ensure_rust
use_shared_target_dir
cd "$ROOT"
# `./scripts/run.sh admin create-user NAME`: the same server binary, no web bundle needed.
if [ "${1:-}" = admin ]; then
  cargo build --release -p stadtlab-server
  exec "$CARGO_TARGET_DIR/release/stadtlab" "$@"
fi
if [ "${STADTLAB_WEB_PROFILE:-release}" = fast ]; then
  "$ROOT/scripts/build-web.sh" --fast
else
  "$ROOT/scripts/build-web.sh"
fi
log "building the server (release)"
cargo build --release -p stadtlab-server
log "starting stadtlab: open http://localhost:8080 (staff: /staff, exhibitors: their invite link)"
exec "$CARGO_TARGET_DIR/release/stadtlab" "$@"
