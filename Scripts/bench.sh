#!/usr/bin/env bash
# Runs the benchmarks (Benchmarks/, package-benchmark) on generated inputs. Opt-in: not part
# of Scripts/test.sh. Quote medians and ratios measured in one run: the machines are shared.
#   bash Scripts/bench.sh                 # all suites
#   bash Scripts/bench.sh ParserBenchmarks 'Mbox.*'
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"
target=${1:-}
filter=${2:-}
args=(benchmark)
[ -n "$target" ] && args+=(--target "$target")
[ -n "$filter" ] && args+=(--filter "$filter")
swift package --disable-sandbox "${args[@]}" --format markdown --no-progress
