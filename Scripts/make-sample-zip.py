#!/usr/bin/env python3
"""Builds Corpus/twitter-small/twitter-2024-01-15-sample.zip from Corpus/twitter-small/src.

The zip is committed; this script documents how it was made and remakes it byte for byte
with the same Python/zlib. Entries get a fixed time (2024-01-15 10:22:30) and a fixed
order in which tweets come before account.js, as in real archives where the order is not
guaranteed, so the pipeline's "find the user first" pass is exercised.
The test ArchiveFixtureTests checks that the zip's entries equal the src files.
"""
import os
import sys
import zipfile

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Corpus", "twitter-small")
src = os.path.join(root, "src")
out = os.path.join(root, "twitter-2024-01-15-sample.zip")
order = [
    "Your archive.html",
    "data/tweets.js",
    "data/tweets-part1.js",
    "data/like.js",
    "data/account.js",
    "data/manifest.js",
    "data/README.txt",
    "data/tweets_media/1700000000000000004-Fabc.jpg",
]
found = sorted(
    os.path.relpath(os.path.join(d, f), src).replace(os.sep, "/")
    for d, _, fs in os.walk(src) for f in fs
)
if sorted(order) != found:
    sys.exit(f"src files and the order list differ: {sorted(set(found) ^ set(order))}")
with zipfile.ZipFile(out, "w") as z:
    for name in order:
        info = zipfile.ZipInfo(name, date_time=(2024, 1, 15, 10, 22, 30))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o100644 << 16
        info.create_system = 3
        with open(os.path.join(src, name), "rb") as f:
            z.writestr(info, f.read())
print(out)
