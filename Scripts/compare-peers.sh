#!/usr/bin/env bash
# datapunk ingest side by side with the tools a user would pick instead (docs/BENCHMARKS.md,
# "Peers"): a generated Takeout zip with a fixed seed; datapunk, the sqlite3 shell, Python's
# json and sqlite3, jq, sqlite-utils and DuckDB, and the physical floors, timed in alternating
# rounds with their record counts checked. Opt-in, not part of Scripts/test.sh.
#   bash Scripts/compare-peers.sh [MB] [ROUNDS]        # defaults: 256 MB uncompressed, 3 rounds
# sqlite-utils and DuckDB are installed from PyPI into $PEERS_DIR/venv (created once); set
# PEERS_NO_PYPI=1 to leave them out. jq, bsdtar, openssl, xxhsum and sqlite3 come from Debian
# (Scripts/setup.sh installs all but jq: apt-get install -y jq).
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-256}
rounds=${2:-3}
dir=${PEERS_DIR:-/tmp/datapunk-peers}
mkdir -p "$dir"
for tool in jq bsdtar openssl xxhsum sqlite3; do
    command -v "$tool" >/dev/null || { echo "compare-peers: needs $tool (apt-get install -y jq libarchive-tools openssl xxhash sqlite3)" >&2; exit 2; }
done
swift build -c release --product datapunk >/dev/null
venv=""
if [ -z "${PEERS_NO_PYPI:-}" ]; then
    if [ ! -x "$dir/venv/bin/sqlite-utils" ] || [ ! -x "$dir/venv/bin/python" ] || ! "$dir/venv/bin/python" -c "import duckdb" 2>/dev/null; then
        python3 -m venv "$dir/venv"
        "$dir/venv/bin/pip" install --quiet sqlite-utils duckdb
    fi
    venv="$dir/venv"
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"); $(date -u +%Y-%m-%d)"
echo "versions: sqlite3 $(sqlite3 --version | cut -d' ' -f1), $(jq --version), $(python3 --version)${venv:+, sqlite-utils $("$venv/bin/sqlite-utils" --version | awk '{print $NF}'), duckdb $("$venv/bin/python" -c 'import duckdb; print(duckdb.__version__)')}"
exec python3 Scripts/compare-peers.py --datapunk .build/release/datapunk --mb "$mb" --rounds "$rounds" --dir "$dir" --venv "$venv"
