#!/usr/bin/env bash
# The demo: ingests the committed sample Twitter archive into ./demo-lake, prints the
# summary, the lake's jobs and the first canonical records.
set -euo pipefail
cd "$(dirname "$0")/.."

bash Scripts/setup.sh >/dev/null
swift build -c release --product datapunk >/dev/null
bin=.build/release/datapunk
lake=./demo-lake
rm -rf "$lake"

echo "== datapunk inspect (what is in the archive)"
"$bin" inspect Corpus/twitter-small/twitter-2024-01-15-sample.zip
echo
echo "== datapunk ingest"
"$bin" ingest Corpus/twitter-small/twitter-2024-01-15-sample.zip --lake "$lake"
echo
echo "== datapunk jobs"
"$bin" jobs --lake "$lake"
echo
echo "== datapunk export (first 3 of $("$bin" export --lake "$lake" | wc -l) canonical records)"
"$bin" export --lake "$lake" | head -n 3
echo
echo "The lake is in $lake (catalog.sqlite); try: sqlite3 $lake/catalog.sqlite 'select path, format, status, records from files'"
