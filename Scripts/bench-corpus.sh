#!/usr/bin/env bash
# Corpus generation at scale: throughput and peak resident memory of `datapunk corpus generate`
# (release build), one run per profile. Opt-in, not part of Scripts/test.sh; a 10GB run takes
# about two minutes per profile and needs ~3 GB free under $BENCH_DIR.
#   bash Scripts/bench-corpus.sh                  # 10GB, mixed
#   bash Scripts/bench-corpus.sh 1GB twitter facebook google-takeout mixed
# The CLI prints the uncompressed bytes generated and MiB/s; /usr/bin/time (Debian package
# `time`) gives the peak RSS. Quote medians of several runs: the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-10GB}
shift || true
profiles=("$@")
[ ${#profiles[@]} -eq 0 ] && profiles=(mixed)
out=${BENCH_DIR:-/tmp/datapunk-bench-corpus}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install -y time" >&2; exit 2; }
swift build -c release --product datapunk >/dev/null
for p in "${profiles[@]}"; do
    rm -rf "$out"
    echo "== $p $scale"
    /usr/bin/time -f "peak RSS %M KB; wall %e s; user %U s; sys %S s" \
        .build/release/datapunk corpus generate --profile "$p" --seed 1 --scale "$scale" --output "$out" | grep '^generated'
    echo "on disk: $(du -sb "$out" | cut -f1) bytes"
    rm -rf "$out"
done
