#!/usr/bin/env python3
"""A deliberately wrong candidate for ConformEndToEndTests: runs the reference
(`DATAPUNK conform candidate INPUT OUTPUT`) and then breaks its output one way.
    wrong.py MODE DATAPUNK INPUT OUTPUT
MODE: shift-time, camel-key, drop, add, reorder, crash, hang, invalid-json, no-output."""
import json, os, subprocess, sys, time

mode, datapunk, input_, output = sys.argv[1:5]
if mode == "crash":
    sys.stderr.write("wrong.py: giving up\n")
    sys.exit(3)
if mode == "hang":
    time.sleep(3600)
if mode == "no-output":
    sys.exit(0)
subprocess.run([datapunk, "conform", "candidate", input_, output], check=True)
with open(output, "rb") as f:
    lines = f.read().decode("utf-8").splitlines()
records = [json.loads(l) for l in lines]
first_timed = next(i for i, r in enumerate(records) if r.get("occurred_at"))
first_text = next(i for i, r in enumerate(records) if "full_text" in (r.get("data") or {}))
if mode == "shift-time":
    # One hour later, written as the same instant format: a different instant.
    r = records[first_timed]
    hour = int(r["occurred_at"][11:13])
    r["occurred_at"] = r["occurred_at"][:11] + "%02d" % ((hour + 1) % 24) + r["occurred_at"][13:]
    lines[first_timed] = json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
elif mode == "camel-key":
    r = records[first_text]
    r["data"]["fullText"] = r["data"].pop("full_text")
    lines[first_text] = json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
elif mode == "drop":
    del lines[len(lines) // 2]
elif mode == "add":
    extra = dict(records[-1])
    extra["id"] = "f" * 32
    extra["source"] = dict(extra["source"], index=extra["source"]["index"] + 1000)
    lines.append(json.dumps(extra, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
elif mode == "reorder":
    lines[0], lines[1] = lines[1], lines[0]
elif mode == "invalid-json":
    lines[1] = lines[1][: len(lines[1]) // 2]
with open(output, "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
