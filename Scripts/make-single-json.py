#!/usr/bin/env python3
"""Writes a Twitter archive whose data/tweets.js is one JSON array of about SIZE bytes, streamed
into a zip64 entry (deflate level 1), for the single-huge-file ingest benchmark
(Scripts/bench-ingest.sh --single). Deterministic: tweet n is the same for every run.
    python3 Scripts/make-single-json.py 10GB out.zip
"""
import sys, zipfile
from benchsize import parse

target, out = parse(sys.argv[1]), sys.argv[2]
sentences = ["Finally finished the book I started last summer.", "Der Zug hatte wieder Verspätung, aber der Kaffee war gut.",
             "今日は市場で新鮮な果物を買いました。", "Llovió todo el día, perfecto para leer en casa."]
langs = ["en", "de", "ja", "es"]
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    with z.open("data/tweets.js", "w", force_zip64=True) as f:
        prefix = b"window.YTD.tweets.part0 = [ "
        f.write(prefix)
        written, n, buf = 0, 0, []
        while written < target:
            tid = 1500000000000000000 + n * 7919
            day = 1 + n % 28
            tweet = ('{\n  "tweet" : {\n    "id_str" : "%d",\n    "id" : "%d",\n    "created_at" : "Mon %s %02d %02d:%02d:%02d +0000 20%02d",\n'
                     '    "full_text" : "%s #%d",\n    "lang" : "%s",\n    "favorite_count" : "%d",\n    "retweet_count" : "%d"\n  }\n}'
                     % (tid, tid, months[n % 12], day, n % 24, n % 60, (n * 7) % 60, 12 + n % 12, sentences[n % 4], n, langs[n % 4], n % 250, n % 40))
            piece = (", " if n else "") + tweet
            data = piece.encode("utf-8")
            # The file stays within SIZE (a 10GB file is exactly at the single-file limit, not over it).
            if written + len(data) + len(prefix) + 2 > target:
                break
            buf.append(data)
            written += len(data)
            n += 1
            if len(buf) >= 4096:
                f.write(b"".join(buf))
                buf = []
        f.write(b"".join(buf) + b" ]")
    z.writestr(zipfile.ZipInfo("data/account.js", (2024, 1, 1, 0, 0, 0)), 'window.YTD.account.part0 = [ {\n  "account" : {\n    "username" : "bench"\n  }\n} ]')
print(f"{n} tweets, {written + len(prefix) + 2} bytes of JSON", file=sys.stderr)
