#!/usr/bin/env bash
# The README's second command: install what is missing, build, run every test, then a short fuzz
# run (20 s per libFuzzer target, ASan and UBSan) from the committed corpora.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/install-deps.sh"
# The replicated mode's tests run PostgreSQL 15, Patroni and etcd (the README's first command needs none).
"$here/install-deps.sh" postgresql-15 patroni etcd-server etcd-client
"$here/build.sh"
(cd "$here/../build" && ctest --output-on-failure -j"$(nproc)" --timeout 900)
"$here/fuzz.sh" "${SALESLEDGER_FUZZ_SECONDS:-20}"
