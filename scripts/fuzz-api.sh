#!/usr/bin/env bash
# Property-based API fuzzing: schemathesis (from PyPI, in a venv beside the build) generates
# requests from the server's own OpenAPI document and fails on any 5xx, any undocumented
# status, and any answer that does not match its schema. Bounded: 30 examples per operation,
# a fixed seed (the same requests every run; change it to explore).
# Usage: scripts/fuzz-api.sh PATH/TO/stadtlab
source "$(dirname "$0")/lib.sh"
BIN="${1:?path to the stadtlab binary}"
use_shared_target_dir
apt_install python3-venv curl
VENV="$CARGO_TARGET_DIR/schemathesis-venv"
if [ ! -x "$VENV/bin/st" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==4.32.5"
fi
DATA="$(mktemp -d /tmp/stadtlab-fuzz.XXXXXX)"
PORT=18181
while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
STADTLAB_DATA_DIR="$DATA" STADTLAB_HTTP="127.0.0.1:$PORT" STADTLAB_UDP_PORT=0 \
  STADTLAB_WEBTRANSPORT_PORT=0 STADTLAB_WEBSOCKET_PORT=0 STADTLAB_VOICE_PORT=0 STADTLAB_GAME_BIND_IP=127.0.0.1 \
  STADTLAB_SCENES_DIR="$ROOT/scenes" STADTLAB_WEB_DIR="$ROOT/web" STADTLAB_LOG=warn \
  "$BIN" >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
"$VENV/bin/st" run "http://127.0.0.1:$PORT/api/openapi.json" --max-examples 30 --seed 20261130 \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance
