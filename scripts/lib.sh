# Shared helpers for the set-up scripts. Sourced, not run.
# Installs only from Debian's archive and the Rust registry; never downloads toolchains.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MIN_RUST_MINOR=95

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

rust_minor() { "$1" --version 2>/dev/null | sed -n 's/^rustc 1\.\([0-9]*\).*/\1/p'; }

# Picks a Rust toolchain of at least 1.95: the one on PATH, else Debian's rustc-web (1.96).
ensure_rust() {
  apt_install gcc g++ make pkg-config ca-certificates
  local minor
  minor="$(rust_minor rustc || true)"
  if [ -n "$minor" ] && [ "$minor" -ge "$MIN_RUST_MINOR" ] && command -v cargo >/dev/null; then
    return
  fi
  apt_install rustc-web cargo-web rustfmt-web rust-web-clippy
  export PATH="/usr/bin:$PATH"
  export RUSTC=/usr/bin/rustc
  minor="$(rust_minor /usr/bin/rustc || true)"
  [ -n "$minor" ] && [ "$minor" -ge "$MIN_RUST_MINOR" ] || { log "need Rust >= 1.$MIN_RUST_MINOR"; exit 1; }
}

# Builds go to a folder outside the clone when one is given or exists, so CI and repeated
# runs reuse compiled dependencies.
use_shared_target_dir() {
  if [ -z "${CARGO_TARGET_DIR:-}" ]; then
    export CARGO_TARGET_DIR="${STADTLAB_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/stadtlab/target}"
  fi
  mkdir -p "$CARGO_TARGET_DIR"
}

# Runs a PostgreSQL command as the right user (initdb refuses to run as root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Starts a throwaway PostgreSQL cluster for the tests and exports STADTLAB_TEST_POSTGRES_URL;
# it is stopped and deleted when the calling script exits.
start_test_postgres() {
  apt_install postgresql
  local bin port
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  PG_TMP="$(mktemp -d /tmp/stadtlab-pg.XXXXXX)"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_TMP"
  port=55432
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  as_pg "$bin/initdb" -D "$PG_TMP/data" --auth=trust -U postgres >/dev/null
  as_pg "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/log" -w \
    -o "-p $port -k $PG_TMP -c listen_addresses=127.0.0.1" start >/dev/null
  export STADTLAB_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  PG_BIN="$bin"
  trap stop_test_postgres EXIT
  log "test PostgreSQL on port $port"
}

stop_test_postgres() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_TMP"
}

# Debian's rustc-web with the library sources: the route to wasm32 without rustup targets
# (std is rebuilt with -Zbuild-std). See ../shared/toolchain/ for the probe behind it.
ensure_wasm_toolchain() {
  apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22
}

# Runs Debian's cargo for wasm32-unknown-unknown, building into its own target folder.
wasm_cargo() {
  local sub="$1"; shift
  env RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=rust-lld \
    CARGO_TARGET_DIR="$(dirname "$CARGO_TARGET_DIR")/wasm-target" \
    /usr/bin/cargo "$sub" --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort "$@"
}

# Tools built or downloaded once and reused between runs and clones (wasm-bindgen, wasm-opt).
tools_dir() {
  local dir="${STADTLAB_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/stadtlab/tools}"
  mkdir -p "$dir"
  echo "$dir"
}

# What the native (desktop) Bevy client needs to build: window-system headers, and ALSA and
# Opus for its voice (cpal captures and plays through ALSA; audiopus links the system libopus).
ensure_client_build_deps() {
  apt_install pkg-config libwayland-dev libxkbcommon-dev libasound2-dev libopus-dev
}

# The desktop client's tests render with Mesa's software Vulkan (lavapipe) under Xvfb.
ensure_headless_display() {
  apt_install xvfb xauth mesa-vulkan-drivers libvulkan1
}

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
ensure_wasm_bindgen() {
  local version tools
  version="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$ROOT/Cargo.lock")"
  tools="$(tools_dir)"
  if ! "$tools/bin/wasm-bindgen" --version 2>/dev/null | grep -qx "wasm-bindgen $version"; then
    log "installing wasm-bindgen-cli $version (once; 10-16 min on 2 cores)"
    # Not --locked: the registry mirror lacks one pinned dependency of its lock file.
    CARGO_TARGET_DIR="$(dirname "$CARGO_TARGET_DIR")/tools-build" \
      cargo install -q wasm-bindgen-cli --version "$version" --root "$tools"
  fi
  WASM_BINDGEN="$tools/bin/wasm-bindgen"
}

# wasm-opt from npm's binaryen 132 (Debian's binaryen 108 breaks wasm-bindgen's output).
ensure_wasm_opt() {
  local tools
  tools="$(tools_dir)"
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -x "$tools/npm/node_modules/.bin/wasm-opt" ]; then
    log "installing wasm-opt (npm binaryen@132)"
    mkdir -p "$tools/npm"
    (cd "$tools/npm" && npm install --no-audit --no-fund --silent binaryen@132.0.0)
  fi
  WASM_OPT="$tools/npm/node_modules/.bin/wasm-opt"
}

# The web pages' libraries from the npm registry (web/vendor-src/package-lock.json), copied
# to web/vendor/ where the server serves them: chart.js for the impact dashboard.
ensure_web_libraries() {
  command -v npm >/dev/null || apt_install nodejs npm
  local src="$ROOT/web/vendor-src" out="$ROOT/web/vendor"
  if [ ! -f "$out/chart.umd.min.js" ] || [ "$src/package-lock.json" -nt "$out/chart.umd.min.js" ]; then
    log "web libraries from the npm registry (chart.js)"
    (cd "$src" && npm ci --no-audit --no-fund --silent)
    mkdir -p "$out"
    cp "$src/node_modules/chart.js/dist/chart.umd.min.js" "$out/chart.umd.min.js"
  fi
}
