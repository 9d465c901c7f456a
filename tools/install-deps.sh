#!/usr/bin/env bash
# Installs the Debian 12 packages salesledger builds and tests with, when any is missing.
set -euo pipefail
# With arguments, those packages instead (tools/fuzz.sh asks for clang this way).
packages=(cmake g++ make pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libabsl-dev libssl-dev libgtest-dev libgmock-dev tzdata
  python3 python3-grpcio python3-cryptography
  libcairo2-dev libpango1.0-dev fonts-noto-cjk libqrencode-dev libpoppler-cpp-dev libzbar-dev
  poppler-utils zbar-tools prometheus-cpp-dev libpq-dev libjemalloc-dev)
if (($#)); then packages=("$@"); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi
