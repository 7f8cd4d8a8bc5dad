#!/usr/bin/env bash
# Validation + optimisation of a 50 MB GLB: seconds and peak heap memory, release build.
# Prints one line: `bench-ingest: file_mb=… triangles=… seconds=… peak_mb=… peak_over_file=…`.
source "$(dirname "$0")/lib.sh"
ensure_rust
use_shared_target_dir
cd "$ROOT"
cargo bench -q -p stadtlab-server --bench ingest 2>/dev/null | grep '^bench-ingest:'
