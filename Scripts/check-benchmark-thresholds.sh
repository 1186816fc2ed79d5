#!/usr/bin/env bash
# Checks the pinned benchmarks (Benchmarks/Benchmarks/PinnedBenchmarks: allocation counts per
# stage on small inputs) against Benchmarks/Thresholds/<swift version>/. Better and worse both
# fail, so a pin never goes stale: on a deviation this re-pins into the working tree and prints
# `git diff` of the thresholds, to be reviewed and committed with the change that caused it.
# CI runs it (.ci/run); about 4 minutes from clean (a release build), 20 s after.
#   bash Scripts/check-benchmark-thresholds.sh
set -uo pipefail
cd "$(dirname "$0")/../Benchmarks"
version=$(swift --version 2>&1 | sed -n 's/.*Swift version \([0-9]*\.[0-9]*\).*/\1/p' | head -1)
path="Thresholds/$version"
if [ ! -d "$path" ]; then
    echo "check-benchmark-thresholds: no thresholds for Swift $version ($path); pin them with:" >&2
    echo "  cd Benchmarks && swift package --disable-sandbox --allow-writing-to-package-directory benchmark thresholds update --target PinnedBenchmarks --path $path" >&2
    exit 1
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# `swift package` itself (the plugin host, not the benchmarks it runs) dies now and then by a
# signal inside libdispatch on Linux (SwiftPM issue 8171; seen once in this project's CI, after
# every benchmark had run). Such an exit, above 128 with no verdict in the log, is retried, at
# most three tries in all; a benchmark that crashes makes the plugin exit 1 and is not retried.
for try in 1 2 3; do
    swift package --disable-sandbox benchmark thresholds check --target PinnedBenchmarks --path "$path" --no-progress >"$log" 2>&1
    status=$?
    if [ $status -le 128 ] || grep -qE "is (EQUAL|BETTER|WORSE) than the defined thresholds" "$log"; then
        break
    fi
    echo "check-benchmark-thresholds: swift package died by signal $((status - 128)) (try $try of 3)" >&2
done
if grep -q "is EQUAL to the defined thresholds" "$log" && [ $status -eq 0 ]; then
    echo "check-benchmark-thresholds: every pinned benchmark is within its slack ($path)"
    exit 0
fi
grep -v '^\[' "$log" | tail -60
if ! grep -qE "is (BETTER|WORSE) than the defined thresholds|Deviations (better|worse) than threshold" "$log"; then
    echo "check-benchmark-thresholds: the check did not run (exit $status): a build error?" >&2
    exit 1
fi
echo "check-benchmark-thresholds: deviations; re-pinning into $path:" >&2
swift package --disable-sandbox --allow-writing-to-package-directory benchmark thresholds update --target PinnedBenchmarks \
    --path "$path" --no-progress >/dev/null 2>&1
git --no-pager diff --stat -- "$path"
git --no-pager diff -- "$path"
exit 1
