#!/usr/bin/env bash
# Builds llama.cpp's `llama-server` once per machine and caches it, for the "real server nobody here
# wrote" test tier (test/integration/localLlm.test.ts). Recipe and measurements: shared/local-llm/README.md.
#
#   usage: bash scripts/localLlm/build.sh            -> builds if needed, prints the cached llama-server path
#          bash scripts/localLlm/build.sh --status   -> prints the path and exits 0 if built, else exits 3
#
# Where the parts come from (no network but the npm registry):
#   * llama.cpp source: the npm tarball of node-llama-cpp@$BYOK_LLM_NLC_VERSION carries the llama.cpp
#     git tree as llama/gitRelease.bundle. Only `npm pack` is used: nothing is installed, no install
#     script runs. The bundle is cloned with git.
#   * llama-server: cmake, the `llama-server` target only, web UI off (so configuring downloads
#     nothing), OpenSSL off, static, GGML_NATIVE (tuned to this CPU, hence the CPU hash in the cache
#     folder's name: a machine with another CPU rebuilds instead of crashing with SIGILL).
#   * The vocab-only GGUF models/ggml-vocab-llama-spm.gguf from the same tree (the real LLaMA 32k
#     SentencePiece vocabulary) is kept next to the binary: genTinyModel.mjs builds the model from it.
#
# Idempotent: a second run prints the path at once. Concurrent runs are serialised with flock (the
# second waits for the first, then finds the cache filled). The build tree is deleted on success and
# kept on failure (its logs are named in the error).
#
# Env: BYOK_LLM_HOME (cache, default ~/.cache/byok-ai/local-llm), BYOK_LLM_NLC_VERSION (default 3.22.1),
#      BYOK_LLM_JOBS (build jobs, default nproc).
set -euo pipefail

LLM_HOME="${BYOK_LLM_HOME:-$HOME/.cache/byok-ai/local-llm}"
NLC_VERSION="${BYOK_LLM_NLC_VERSION:-3.22.1}"
JOBS="${BYOK_LLM_JOBS:-$(nproc 2>/dev/null || echo 2)}"
log() { echo "[local-llm] $*" >&2; }
die() { echo "[local-llm] ERROR: $*" >&2; exit 1; }

# The flags are part of the cache key: change one and the next run rebuilds.
CMAKE_FLAGS=(-DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=ON
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF
  -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF)
CPU_SIG="$( (grep -m1 -E '^(flags|Features)' /proc/cpuinfo 2>/dev/null || uname -m; echo "${CMAKE_FLAGS[*]}") | md5sum | cut -c1-8)"
BIN_DIR="$LLM_HOME/llama-server-nlc$NLC_VERSION-$CPU_SIG"
SERVER="$BIN_DIR/llama-server"
VOCAB="$BIN_DIR/ggml-vocab-llama-spm.gguf"

built() { [[ -x "$SERVER" && -f "$VOCAB" && -f "$BIN_DIR/.complete" ]]; }
if built; then echo "$SERVER"; exit 0; fi
[[ "${1:-}" == "--status" ]] && exit 3

mkdir -p "$LLM_HOME"
exec 9>"$LLM_HOME/build.lock"
if ! flock -n 9; then
  log "another build is running (lock $LLM_HOME/build.lock); waiting for it"
  flock 9
fi
if built; then echo "$SERVER"; exit 0; fi   # the other build finished it

missing=()
for tool in npm node git cmake g++ make tar; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then
  die "missing build tools: ${missing[*]}. Install them (Debian: apt-get install -y cmake g++ make git), or set BYOK_SKIP_LLM=1 to skip the real llama-server tier."
fi

WORK="$LLM_HOME/build-nlc$NLC_VERSION"
rm -rf "$WORK"; mkdir -p "$WORK"
t0=$SECONDS
log "fetching node-llama-cpp@$NLC_VERSION (npm pack, ~36 MB) for the llama.cpp source it carries"
(cd "$WORK" && npm pack --loglevel=error "node-llama-cpp@$NLC_VERSION" > npm-pack.log 2>&1) \
  || die "npm pack node-llama-cpp@$NLC_VERSION failed (network or registry?): $(grep -v '^npm warn' "$WORK/npm-pack.log" | grep -m3 -i 'error' | tr '\n' ' ')"
tar -xzf "$WORK"/node-llama-cpp-*.tgz -C "$WORK" package/llama/gitRelease.bundle package/llama/llama.cpp.info.json \
  || die "the node-llama-cpp@$NLC_VERSION tarball has no llama/gitRelease.bundle"
git clone --quiet "$WORK/package/llama/gitRelease.bundle" "$WORK/src" > "$WORK/git-clone.log" 2>&1 \
  || die "git clone of the llama.cpp bundle failed: $(tail -5 "$WORK/git-clone.log")"
GEN=(); command -v ninja >/dev/null && GEN=(-G Ninja)
log "configuring llama.cpp ($(tr -d '\n ' < "$WORK/package/llama/llama.cpp.info.json"))"
cmake -S "$WORK/src" -B "$WORK/build" "${GEN[@]}" "${CMAKE_FLAGS[@]}" > "$WORK/cmake-configure.log" 2>&1 \
  || die "cmake configure failed; last lines of $WORK/cmake-configure.log:
$(tail -15 "$WORK/cmake-configure.log")"
log "compiling llama-server with $JOBS job(s); log: $WORK/cmake-build.log"
# A progress line a minute, so a CI log does not look hung during the ~12 minutes.
( exec 9>&-; while sleep 60 </dev/null >/dev/null 2>&1; do
    step="$(grep -o '^\[[0-9]*/[0-9]*\]' "$WORK/cmake-build.log" 2>/dev/null | tail -1)"
    log "still compiling ($((SECONDS - t0)) s) ${step:-}"
  done ) &
progress=$!
trap 'kill $progress 2>/dev/null || true' EXIT
status=0
cmake --build "$WORK/build" --target llama-server -j "$JOBS" > "$WORK/cmake-build.log" 2>&1 || status=$?
kill "$progress" 2>/dev/null || true
((status == 0)) || die "llama-server build failed (exit $status); last lines of $WORK/cmake-build.log:
$(tail -25 "$WORK/cmake-build.log")"
[[ -x "$WORK/build/bin/llama-server" ]] || die "the build finished but $WORK/build/bin/llama-server is missing"
[[ -f "$WORK/src/models/ggml-vocab-llama-spm.gguf" ]] || die "llama.cpp source has no models/ggml-vocab-llama-spm.gguf"

rm -rf "$BIN_DIR.tmp"; mkdir -p "$BIN_DIR.tmp"
cp "$WORK/build/bin/llama-server" "$BIN_DIR.tmp/llama-server"
cp "$WORK/src/models/ggml-vocab-llama-spm.gguf" "$BIN_DIR.tmp/"
cp "$WORK/package/llama/llama.cpp.info.json" "$BIN_DIR.tmp/"
echo "built $(date -u +%FT%TZ) in $((SECONDS - t0)) s; cmake ${CMAKE_FLAGS[*]}" > "$BIN_DIR.tmp/.complete"
rm -rf "$BIN_DIR"; mv "$BIN_DIR.tmp" "$BIN_DIR"
rm -rf "$WORK"
log "built llama-server in $((SECONDS - t0)) s -> $SERVER"
echo "$SERVER"
