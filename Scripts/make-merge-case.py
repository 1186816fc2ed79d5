#!/usr/bin/env python3
"""Writes Corpus/cases/overlapping-takeouts: in `input/`, three Takeout zips of one account a month apart,
each holding the previous month's searches (search 2 twice, an exact copy within a file) and
new ones, and expected.json, the answer key of docs/SPEC.md 5.11's merging worked out from how
the files were built (not from datapunk's output): 11 records, and for each record kept (the
first in export order: inputs sort October, November, December) its sightings in export order.

    python3 Scripts/make-merge-case.py Corpus/cases/overlapping-takeouts
"""
import json
import os
import sys
import zipfile

MONTHS = [
    ("takeout-2026-10.zip", [0, 1, 2, 3, 4, 5, 2]),
    ("takeout-2026-11.zip", [9, 0, 1, 2, 3, 4, 5, 2, 6, 7]),
    ("takeout-2026-12.zip", [9, 0, 1, 2, 3, 4, 5, 2, 6, 7, 10]),
]
ENTRY = "Takeout/My Activity/Search/MyActivity.json"


def search(n):
    return ('{"header":"Search","title":"Searched for place number %d in the old town",'
            '"time":"2024-03-01T10:%02d:00.000Z","products":["Search"]}' % (n, n))


def main(out):
    os.makedirs(os.path.join(out, "input"), exist_ok=True)
    for name, searches in MONTHS:
        info = zipfile.ZipInfo(ENTRY, date_time=(2026, 11, 1, 12, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zipfile.ZipFile(os.path.join(out, "input", name), "w") as z:
            z.writestr(info, "[" + ",".join(search(n) for n in searches) + "]")
    # (search, occurrence in its file) -> every (input, index) holding it, in export order.
    seen = {}
    for name, searches in MONTHS:
        count = {}
        for index, n in enumerate(searches):
            k = (n, count.get(n, 0))
            count[n] = k[1] + 1
            seen.setdefault(k, []).append({"index": index, "input": name})
    kept = sorted(({"input": s[0]["input"], "index": s[0]["index"], "seen_again": s[1:]} for s in seen.values()),
                  key=lambda k: (k["input"], k["index"]))
    key = {"records": len(kept), "kept": kept}
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(key, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
