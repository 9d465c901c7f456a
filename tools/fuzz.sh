#!/usr/bin/env bash
# Fuzzes salesledger with libFuzzer: builds the targets of tests/fuzz with clang, ASan and UBSan in
# build-fuzz/, then runs each for SECONDS (default 60) starting from its committed corpus
# (tests/fuzz/corpus/<target>). A crash, leak or sanitizer report fails the run and leaves the
# input in build-fuzz/. New inputs go to a scratch copy; with --merge they are folded (minimised)
# into the committed corpus instead.
#   tools/fuzz.sh 600            # the 10-minute runs
#   tools/fuzz.sh 60 --merge     # grow the committed corpora
set -euo pipefail
seconds="${1:-60}"
merge="${2:-}"
root="$(cd "$(dirname "$0")/.." && pwd)"
targets=(scenario_line_fuzz decide_fuzz stored_state_fuzz)

"$root/tools/install-deps.sh" clang libclang-rt-14-dev

CC=clang CXX=clang++ cmake -S "$root" -B "$root/build-fuzz" -DSALESLEDGER_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$root/build-fuzz" -j"$(nproc)" --target "${targets[@]}"

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for t in "${targets[@]}"; do
  corpus="$root/tests/fuzz/corpus/$t"
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  mkdir -p "$corpus"
  echo "== $t: ${seconds}s from $(find "$corpus" -type f | wc -l) committed inputs"
  (cd "$root/build-fuzz" &&
    "./tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      "$scratch" "$corpus" 2>&1 | grep -E "^#|ERROR|SUMMARY|stat::|Done" | tail -8)
  if [[ "$merge" == "--merge" ]]; then
    "$root/build-fuzz/tests/fuzz/$t" -merge=1 "$corpus" "$scratch" 2>&1 | tail -1
  fi
  rm -rf "$scratch"
  trap - EXIT
done
