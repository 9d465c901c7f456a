#!/usr/bin/env bash
# The README's second command: install what is missing, build, run every test.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/install-deps.sh"
"$here/build.sh"
cd "$here/../build"
ctest --output-on-failure -j"$(nproc)" --timeout 900
