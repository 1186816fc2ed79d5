#!/usr/bin/env bash
# Builds the libFuzzer targets (Tests/Fuzz, with --sanitize=fuzzer --sanitize=address) and
# runs one target, or all, for SECONDS each from its seed corpus in Corpus/fuzz/<target>/.
#   Scripts/fuzz.sh json 60
#   Scripts/fuzz.sh all 600
# New interesting inputs go to .build/fuzz/corpus/<target>/ (not committed). A crash, leak
# or timeout is copied to Tests/Fuzz/FailCases/<target>/ (replayed by every `swift test`)
# and the script exits 1. The last line per target gives its executions per second.
# FUZZ_SEED=N fixes libFuzzer's seed; FUZZ_RUNS=N stops each target after N executions
# (SECONDS still caps the time). With both, a run from a fresh checkout is the same run on
# every machine, so CI cannot turn red by chance: Scripts/test.sh uses FUZZ_SEED=1 FUZZ_RUNS=20000.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
targets=(json csv timestamp twitter archive mbox ics vcf html xml metadata normalize security pii schema annotations)
declare -A exe=([json]=FuzzJSON [csv]=FuzzCSV [timestamp]=FuzzTimestamp [twitter]=FuzzTwitter [archive]=FuzzArchive
  [mbox]=FuzzMbox [ics]=FuzzICS [vcf]=FuzzVCF [html]=FuzzHTML [xml]=FuzzXML [metadata]=FuzzMetadata [normalize]=FuzzNormalize [security]=FuzzSecurity [pii]=FuzzPII [schema]=FuzzSchema [annotations]=FuzzAnnotations)
declare -A maxlen=([json]=65536 [csv]=65536 [timestamp]=256 [twitter]=65536 [archive]=1048576
  [mbox]=65536 [ics]=65536 [vcf]=65536 [html]=65536 [xml]=65536 [metadata]=131072 [normalize]=16384 [security]=65536 [pii]=16384 [schema]=65536 [annotations]=4096)

if [ $# -ne 2 ]; then echo "usage: Scripts/fuzz.sh TARGET|all SECONDS   (targets: ${targets[*]})" >&2; exit 2; fi
which=$1; seconds=$2
if [ "$which" = all ]; then run=("${targets[@]}"); else
  [ -n "${exe[$which]:-}" ] || { echo "fuzz: unknown target $which (targets: ${targets[*]})" >&2; exit 2; }
  run=("$which")
fi

echo "fuzz: building Tests/Fuzz with --sanitize=fuzzer --sanitize=address"
mkdir -p "$root/.build/fuzz"
# A file added to the root package since the last fuzz build was left out of it: SwiftPM kept
# the build description of the path dependency, with its old list of sources. Dropping the
# description makes it list them again; what did not change is not compiled again.
rm -f Tests/Fuzz/.build/*/release/description.json
# The build log is kept; on failure its end is shown (the compiler's errors), not swallowed.
if ! (cd Tests/Fuzz && swift build -c release --sanitize=fuzzer --sanitize=address >"$root/.build/fuzz/build.log" 2>&1); then
  echo "fuzz: building Tests/Fuzz failed; the end of $root/.build/fuzz/build.log:" >&2
  tail -40 "$root/.build/fuzz/build.log" >&2
  exit 1
fi
bin=$(cd Tests/Fuzz && swift build -c release --sanitize=fuzzer --sanitize=address --show-bin-path)

status=0
for t in "${run[@]}"; do
  work="$root/.build/fuzz/corpus/$t"; artifacts="$root/.build/fuzz/artifacts/$t"
  mkdir -p "$work" "$artifacts" "Tests/Fuzz/FailCases/$t"
  extra=("$root/Corpus/fuzz/$t")
  [ "$t" = json ] && [ -d Corpus/conformance/JSONTestSuite/test_parsing ] && extra+=("$(cd Corpus/conformance/JSONTestSuite/test_parsing && pwd)")
  [ "$t" = csv ] && [ -d Corpus/conformance/csv-spectrum/csvs ] && extra+=("$(cd Corpus/conformance/csv-spectrum/csvs && pwd)")
  echo "fuzz: $t for ${seconds}s"
  log="$root/.build/fuzz/$t.log"
  set +e
  seed=()
  [ -n "${FUZZ_SEED:-}" ] && seed+=(-seed="$FUZZ_SEED")
  [ -n "${FUZZ_RUNS:-}" ] && seed+=(-runs="$FUZZ_RUNS")
  SWIFT_BACKTRACE=enable=no "$bin/${exe[$t]}" "${seed[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len="${maxlen[$t]}" -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "${extra[@]}" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)
  rate=$(grep -E '^stat::average_exec_per_sec' "$log" | awk '{print $2}' || true)
  echo "fuzz: $t: exit $rc, ${runs:-?} runs, ${rate:-?} exec/s"
  if [ $rc -ne 0 ]; then
    status=1
    for a in "$artifacts"/*; do [ -e "$a" ] && cp "$a" "Tests/Fuzz/FailCases/$t/" && echo "fuzz: finding saved to Tests/Fuzz/FailCases/$t/$(basename "$a")"; done
    tail -n 30 "$log"
  fi
done
exit $status
