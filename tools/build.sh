#!/usr/bin/env bash
# Configures and builds salesledger into ./build (incrementally when it exists).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
