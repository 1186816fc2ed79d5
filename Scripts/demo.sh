#!/usr/bin/env bash
# The demo: ingests the committed sample Twitter archive into ./demo-lake, then a generated
# Takeout in three parts and a Facebook download into lakes of their own; prints the
# summary, the lake's jobs and the first canonical records.
set -euo pipefail
cd "$(dirname "$0")/.."

bash Scripts/setup.sh >/dev/null
swift build -c release --product datapunk >/dev/null
bin=.build/release/datapunk
lake=./demo-lake
rm -rf "$lake" "$lake".ndjson* "$lake"-takeout* "$lake"-facebook*

echo "== datapunk inspect (what is in the archive)"
"$bin" inspect Corpus/twitter-small/twitter-2024-01-15-sample.zip
echo
echo "== datapunk ingest"
"$bin" ingest Corpus/twitter-small/twitter-2024-01-15-sample.zip --lake "$lake"
echo
echo "== datapunk jobs"
"$bin" jobs --lake "$lake"
echo
# Exports go to files beside the lakes (never inside one), then are shown: a pipe into
# `head` would end the export with SIGPIPE and, under pipefail, the demo with status 141.
"$bin" export --lake "$lake" --output "$lake.ndjson"
echo "== datapunk export (first 3 of $(wc -l < "$lake.ndjson") canonical records, all in $lake.ndjson)"
head -n 3 "$lake.ndjson"
echo
echo "== a Google Takeout export in three parts (zip, zip, tgz), given together, into $lake-takeout"
rm -rf "$lake-takeout"
"$bin" ingest Corpus/generated/google-takeout-seed1-64KB/takeout-20240601T120000Z-00* --lake "$lake-takeout" | tail -n 1
echo "records by kind:"
"$bin" export --lake "$lake-takeout" --output "$lake-takeout.ndjson"
grep -o '"record_kind":"[a-z_]*"' "$lake-takeout.ndjson" | cut -d'"' -f4 | sort | uniq -c
echo
echo "== a Facebook download (mojibake repaired, languages detected), into $lake-facebook"
rm -rf "$lake-facebook"
"$bin" ingest Corpus/generated/facebook-seed1-64KB/facebook-nuno_dubois8403-2024-05-01.zip --lake "$lake-facebook" | tail -n 1
"$bin" export --lake "$lake-facebook" --output "$lake-facebook.ndjson"
grep -m 1 '"record_kind":"message"' "$lake-facebook.ndjson"
echo
echo
echo "== the lake through its views, with the sqlite3 shell (any SQLite tool reads them)"
sqlite3 "$lake-takeout/catalog.sqlite" "SELECT occurred_at, round(latitude, 3), round(longitude, 3) FROM locations ORDER BY occurred_at LIMIT 3"
echo
echo "== monthly partitions: archive as of a date (warm LZ4 and cold zstd files), export unchanged"
"$bin" archive --lake "$lake-takeout" --as-of 2024-06-15 | tail -n 1
"$bin" export --lake "$lake-takeout" --output "$lake-takeout-archived.ndjson"
cmp "$lake-takeout.ndjson" "$lake-takeout-archived.ndjson" && echo "export after archive: the same bytes"
echo
echo "The lake is in $lake (catalog.sqlite); try: sqlite3 $lake/catalog.sqlite 'select full_text from tweets'"
