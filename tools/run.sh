#!/usr/bin/env bash
# The README's first command: install what is missing, build, start ledgerd (data in ./data).
# Extra arguments go to ledgerd, e.g. tools/run.sh --listen 127.0.0.1:50052
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/install-deps.sh"
"$here/build.sh"
exec "$here/../build/tools/ledgerd" "$@"
