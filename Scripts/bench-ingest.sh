#!/usr/bin/env bash
# Ingest at scale: peak resident memory and throughput of `datapunk ingest` (release build) on a
# generated Twitter corpus. Opt-in, not part of Scripts/test.sh.
#   bash Scripts/bench-ingest.sh 256MB [PARALLEL]         # one run, fresh lake
#   bash Scripts/bench-ingest.sh 10GB 4 single            # one tweets.js of 10 GB (make-single-json.py)
#   bash Scripts/bench-ingest.sh 10GB 4 mbox              # one Gmail mbox of 10 GB (make-single-mbox.py)
# The corpus goes to $BENCH_DIR/corpus (kept between runs of the same scale), the lake to
# $BENCH_DIR/lake (removed first). Needs /usr/bin/time (Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-256MB}
parallel=${2:-4}
single=${3:-}
dir=${BENCH_DIR:-/tmp/datapunk-bench-ingest}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install -y time" >&2; exit 2; }
swift build -c release --product datapunk >/dev/null
extra=()
# One file of the whole size, made by GENERATOR into corpus-SCALE-KIND/NAME (kept between runs).
single_file() {  # KIND GENERATOR NAME
    local folder="$dir/corpus-$scale-$1"
    if [ ! -f "$folder/manifest.json" ]; then
        rm -rf "$folder" && mkdir -p "$folder"
        python3 "Scripts/$2" "$scale" "$folder/$3"
        echo '{}' > "$folder/manifest.json"
    fi
    scale="$scale-$1"
}
if [ "$single" = single ]; then
    # One JSON file of the whole size: the JSON size limit is raised for it.
    single_file single make-single-json.py twitter-single.zip
    extra=(--max-json-bytes 1099511627776 --user bench)
elif [ "$single" = mbox ]; then
    single_file mbox make-single-mbox.py takeout-mbox.zip
    extra=(--user bench)
elif [ ! -f "$dir/corpus-$scale/manifest.json" ]; then
    rm -rf "$dir/corpus-$scale"
    .build/release/datapunk corpus generate --profile twitter --seed 1 --scale "$scale" --output "$dir/corpus-$scale" >/dev/null
fi
rm -rf "$dir/lake"
bytes=0
for z in "$dir/corpus-$scale"/*.zip; do bytes=$((bytes + $(unzip -l "$z" | tail -1 | awk '{print $1}'))); done
echo "== ingest $scale corpus ($bytes bytes uncompressed), --parallel $parallel"
start=$(date +%s.%N)
/usr/bin/time -f "peak RSS %M KB; wall %e s; user %U s; sys %S s" \
    .build/release/datapunk ingest "$dir/corpus-$scale"/*.zip --lake "$dir/lake" --parallel "$parallel" --progress none "${extra[@]}" | tail -1
end=$(date +%s.%N)
python3 -c "import sys; b=$bytes; t=$end-$start; print(f'{b/t/1048576:.1f} MiB/s uncompressed')"
echo "catalog: $(du -sb "$dir/lake" | cut -f1) bytes"
