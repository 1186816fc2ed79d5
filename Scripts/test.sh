#!/usr/bin/env bash
# Installs what the build needs, lints (swift format; every imported module declared),
# builds, and runs every test layer that exists: unit tests, the vendored conformance suites (Corpus/conformance),
# golden comparisons and the CLI end-to-end tests (all inside `swift test`), a short fuzz run per
# target and the pinned benchmark thresholds.
set -euo pipefail
cd "$(dirname "$0")/.."

bash Scripts/setup.sh

echo "test: lint (swift format, .swift-format) and declared imports"
swift format lint --strict --recursive Sources Tests Package.swift
python3 Scripts/check-imports.py

echo "test: building"
swift build --build-tests
echo "test: running swift test"
swift test

# A short libFuzzer run per target under ASan (FUZZ_SECONDS=0 skips it): seeded and bounded
# by a number of executions, so it is the same run on every machine. It proves the fuzzer
# builds still link and run; the seeds and fail cases were already replayed above. The time cap
# is a safety net only: the slowest target (normalize, every mapper per input, ~270 exec/s
# under ASan here) needs about 75 s for its 20,000 runs.
fuzz_seconds=${FUZZ_SECONDS:-180}
if [ "$fuzz_seconds" -gt 0 ]; then
  FUZZ_SEED=1 FUZZ_RUNS=${FUZZ_RUNS:-20000} bash Scripts/fuzz.sh all "$fuzz_seconds"
fi
# The pinned benchmarks: allocation counts per stage on small inputs against
# Benchmarks/Thresholds/ (BENCH_THRESHOLDS=0 skips it). A release build of the Benchmarks
# package, then about 20 s.
if [ "${BENCH_THRESHOLDS:-1}" != 0 ]; then
  echo "test: pinned benchmark thresholds"
  bash Scripts/check-benchmark-thresholds.sh
fi
echo "test: all layers passed"
