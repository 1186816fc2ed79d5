#!/usr/bin/env bash
# Extraction and hashing against the reference tools, alternating runs on the same files:
#   - extraction: `datapunk inspect Z --json` (every entry read through libarchive, SHA-256 +
#     XXH64 of each, libmagic and content detection) against `bsdtar -xOf Z` (decompression only);
#   - hashing: `datapunk inspect F --digest-only` (SHA-256 + XXH64) against `openssl dgst -sha256`.
# Prints each run and the medians and ratios. Opt-in, not part of Scripts/test.sh.
#   bash Scripts/bench-extract.sh [SCALE] [RUNS]      # default 1GB of generated Twitter data, 5 runs
#   HASH_FILE=big.bin bash Scripts/bench-extract.sh   # hash that file instead of the zip (startup costs vanish)
# Needs bsdtar (Debian package libarchive-tools) and openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1GB}
runs=${2:-5}
dir=${BENCH_DIR:-/tmp/datapunk-bench-extract}
command -v bsdtar >/dev/null || { echo "needs bsdtar: apt-get install -y libarchive-tools" >&2; exit 2; }
swift build -c release --product datapunk >/dev/null
bin=.build/release/datapunk
if [ ! -f "$dir/corpus-$scale/manifest.json" ]; then
    rm -rf "$dir/corpus-$scale"
    "$bin" corpus generate --profile twitter --seed 1 --scale "$scale" --output "$dir/corpus-$scale" >/dev/null
fi
zip=$(ls -S "$dir/corpus-$scale"/*.zip | head -1)
echo "zip: $zip ($(stat -c %s "$zip") bytes, $(unzip -l "$zip" | tail -1 | awk '{print $1}') uncompressed)"
cat "$zip" > /dev/null  # warm the page cache
hashed=${HASH_FILE:-$zip}
echo "hashed: $hashed ($(stat -c %s "$hashed") bytes)"
cat "$hashed" > /dev/null
python3 - "$bin" "$zip" "$runs" "$hashed" <<'PY'
import subprocess, sys, time, statistics
bin, zip, runs, hashed = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cmds = {
    "bsdtar -xOf": ["bsdtar", "-xOf", zip],
    "datapunk inspect --json": [bin, "inspect", zip, "--json"],
    "openssl dgst -sha256": ["openssl", "dgst", "-sha256", hashed],
    "datapunk inspect --digest-only": [bin, "inspect", hashed, "--digest-only"],
}
times = {k: [] for k in cmds}
for r in range(runs):
    for name, cmd in cmds.items():
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        times[name].append(time.perf_counter() - t)
for name, ts in times.items():
    print(f"{name:32s} median {statistics.median(ts):7.3f} s  runs {' '.join(f'{t:.3f}' for t in ts)}")
m = {k: statistics.median(v) for k, v in times.items()}
print(f"extraction ratio (datapunk / bsdtar): {m['datapunk inspect --json'] / m['bsdtar -xOf']:.2f}  (target <= 1.5)")
print(f"SHA-256 ratio (datapunk / openssl):   {m['datapunk inspect --digest-only'] / m['openssl dgst -sha256']:.2f}  (target <= 1.3)")
PY
