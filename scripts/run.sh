#!/usr/bin/env bash
# Installs what is missing and runs the lab at http://localhost:8080 (SQLite + local files in ./data).
source "$(dirname "$0")/lib.sh"
ensure_rust
use_shared_target_dir
cd "$ROOT"
log "building the server (release)"
cargo build --release -p stadtlab-server
log "starting stadtlab: open http://localhost:8080"
exec "$CARGO_TARGET_DIR/release/stadtlab" "$@"
