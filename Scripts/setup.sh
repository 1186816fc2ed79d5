#!/usr/bin/env bash
# Installs the Debian packages datapunk-lake needs to build and test.
# Idempotent and non-interactive; safe to run again.
set -euo pipefail

PACKAGES=(
  libarchive-dev      # CArchive: zip/tar/7z/rar reading and writing
  libmagic-dev        # CMagic: mime type detection
  libxxhash-dev       # CXXHash: XXH64 content hashes
  libcurl4-openssl-dev # CCurl: http/https/file downloads
  libssl-dev          # CLibCrypto: OpenSSL's SHA-256 for record ids (a C context copied per id)
  libsqlite3-dev      # CSQLite: the lake
  liblz4-dev          # CLZ4: the warm tier's compressed record batches
  libzstd-dev         # CZstd: the cold tier's compressed partition archives
  libicu-dev          # CICU: charset conversion, CLDR Windows time zone names
  libyara-dev         # CYara: the security scan's rules (LakeValidate)
  libclamav-dev       # CClamAV: ClamAV, the scan's second engine when a signature database is there
  libjemalloc-dev     # CJemalloc: the datapunk command's allocator (Sources/DatapunkHeap)
  pkg-config          # how SwiftPM finds the system libraries
  libarchive-tools    # bsdtar, used by tests and benchmarks as an outside reference
  sqlite3             # the sqlite3 shell, handy for inspecting a lake
  xxhash              # xxhsum, an outside reference for XXH64 in tests
  zip                 # Info-ZIP, builds fixtures libarchive's writer cannot (truncated, odd)
  openssl             # the openssl command: SHA-256 reference, and a TLS server (s_server) for https tests
  unicode-data        # NormalizationTest.txt: the NFC property test checks our normalization against it
  bzip2               # unpacks NormalizationTest.txt.bz2 for that test
  python3             # Scripts/check-imports.py (run by Scripts/test.sh), the conformance kit's run.py (tested), the opt-in helper scripts
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} Debian packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "setup: not root and no sudo. Run as root:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
