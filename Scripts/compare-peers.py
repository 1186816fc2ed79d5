#!/usr/bin/env python3
"""datapunk ingest against the tools a user would pick instead, on one generated Takeout zip.

Opt-in (Scripts/compare-peers.sh runs it; not part of Scripts/test.sh). It writes a Takeout
zip with a fixed seed (Location History `Records.json` and My Activity `MyActivity.json`, in
Google's own pretty-printed layout), then runs every tool on it in alternating rounds and
prints, per tool, the median wall time, MB/s and records/s of the uncompressed input, CPU
time, peak resident memory, and the ratio of each to datapunk's. Every tool must load the same
number of records, or the run fails.

The tools (each reads the zip, or what `bsdtar -xOf` takes out of it):
  datapunk       datapunk ingest (release build), a fresh lake per round
  sqlite3-shell  the sqlite3 shell: zipfile() + json_each + ->> + strftime, one transaction
  python         Python's json and sqlite3 modules, executemany in one transaction
  jq             bsdtar -xOf | jq -c to NDJSON
  sqlite-utils   bsdtar -xOf | jq -c | sqlite-utils insert --nl (PyPI, in a virtual environment)
  duckdb         DuckDB's read_json on the extracted files (PyPI, in a virtual environment)
and the physical floors: inflate (bsdtar -xOf > /dev/null), SHA-256 (openssl dgst), XXH64
(xxhsum -H1) of the zip, and a bare SQLite insert of as many 16-column rows.

  python3 Scripts/compare-peers.py --datapunk .build/release/datapunk [--mb 256] [--rounds 3]
      [--dir /tmp/datapunk-peers] [--venv DIR] [--tools datapunk,sqlite3-shell,...]
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import zipfile

RECORDS = "Takeout/Location History (Timeline)/Records.json"
ACTIVITY = "Takeout/My Activity/Search/MyActivity.json"
WORDS = ("lake weather bakery station train museum opening hours swift json parser recipe bike repair "
         "ferry tickets old town library concert weekend market coffee near me best cheap route map").split()


def iso(ms):
    t = time.gmtime(ms // 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", t) + ".%03dZ" % (ms % 1000)


def entry(name):
    info = zipfile.ZipInfo(name, date_time=(2024, 6, 1, 12, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_array(f, head, separator, tail, budget, element):
    """Writes head, elements from `element()` joined by separator until `budget` bytes of them,
    and tail; returns (elements, bytes written)."""
    f.write(head)
    count = n = 0
    while n < budget:
        b = (separator if count else b"") + element().encode()
        f.write(b)
        n += len(b)
        count += 1
    f.write(tail)
    return count, len(head) + n + len(tail)


def generate(path, total_bytes, seed=1):
    """A zip of Records.json (about 80% of the bytes) and MyActivity.json; returns (records, bytes)."""
    rng = random.Random(seed)
    ms = [1_500_000_000_000]

    def tick():
        ms[0] += rng.randint(10_000, 600_000)
        return iso(ms[0])

    def location():
        t = tick()
        return ('{\n    "latitudeE7": %d,\n    "longitudeE7": %d,\n    "accuracy": %d,\n    "source": "%s",\n'
                '    "deviceTag": %d,\n    "timestamp": "%s"\n  }') % (
            rng.randint(-900_000_000, 900_000_000), rng.randint(-1_800_000_000, 1_800_000_000),
            rng.randint(3, 2000), rng.choice(["WIFI", "GPS", "CELL"]), rng.randint(-2**31, 2**31 - 1), t)

    def search():
        t = tick()
        q = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6)))
        return json.dumps({
            "header": "Search", "title": "Searched for " + q,
            "titleUrl": "https://www.google.com/search?q=" + q.replace(" ", "+") + "&hl=en", "time": t,
            "products": ["Search"], "activityControls": ["Web & App Activity"]}, indent=2)

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        with z.open(entry(RECORDS), "w", force_zip64=True) as f:
            a = write_array(f, b'{\n  "locations": [', b", ", b"]\n}", total_bytes * 0.8, location)
        with z.open(entry(ACTIVITY), "w", force_zip64=True) as f:
            b = write_array(f, b"[", b",", b"]", total_bytes * 0.2, search)
    return a[0] + b[0], a[1] + b[1]


SQLITE_SHELL = """
CREATE TABLE locations(occurred_at TEXT, lat REAL, lng REAL, accuracy INTEGER, source TEXT, device INTEGER);
CREATE TABLE activity(occurred_at TEXT, header TEXT, title TEXT, url TEXT);
BEGIN;
INSERT INTO locations SELECT strftime('%Y-%m-%dT%H:%M:%fZ', value->>'timestamp'), (value->>'latitudeE7') / 1e7,
  (value->>'longitudeE7') / 1e7, value->>'accuracy', value->>'source', value->>'deviceTag'
  FROM zipfile('ZIP') z, json_each(z.data, '$.locations') WHERE z.name = 'RECORDS';
INSERT INTO activity SELECT strftime('%Y-%m-%dT%H:%M:%fZ', value->>'time'), value->>'header', value->>'title',
  value->>'titleUrl' FROM zipfile('ZIP') z, json_each(z.data) WHERE z.name = 'ACTIVITY';
COMMIT;
SELECT (SELECT count(*) FROM locations) + (SELECT count(*) FROM activity);
"""

PYTHON_PEER = r"""
import json, sqlite3, sys, zipfile
zip_path, db_path = sys.argv[1], sys.argv[2]
db = sqlite3.connect(db_path)
db.execute("CREATE TABLE locations(occurred_at TEXT, lat REAL, lng REAL, accuracy INTEGER, source TEXT, device INTEGER)")
db.execute("CREATE TABLE activity(occurred_at TEXT, header TEXT, title TEXT, url TEXT)")
with zipfile.ZipFile(zip_path) as z:
    locations = json.loads(z.read(RECORDS))["locations"]
    activity = json.loads(z.read(ACTIVITY))
with db:
    db.executemany("INSERT INTO locations VALUES (?, ?, ?, ?, ?, ?)", (
        (l.get("timestamp"), l["latitudeE7"] / 1e7, l["longitudeE7"] / 1e7, l.get("accuracy"), l.get("source"),
         l.get("deviceTag")) for l in locations))
    db.executemany("INSERT INTO activity VALUES (?, ?, ?, ?)", (
        (a.get("time"), a.get("header"), a.get("title"), a.get("titleUrl")) for a in activity))
print(db.execute("SELECT (SELECT count(*) FROM locations) + (SELECT count(*) FROM activity)").fetchone()[0])
"""

DUCKDB_PEER = r"""
import duckdb, sys
folder = sys.argv[1]
db = duckdb.connect(sys.argv[2])
db.execute(f"CREATE TABLE locations AS SELECT unnest(locations, recursive := true) FROM read_json('{folder}/records.json', maximum_object_size = 2000000000)")
db.execute(f"CREATE TABLE activity AS SELECT * FROM read_json('{folder}/activity.json', maximum_object_size = 2000000000)")
print(db.execute("SELECT (SELECT count(*) FROM locations) + (SELECT count(*) FROM activity)").fetchone()[0])
"""


def q(s):
    return "'" + s.replace("'", "'\\''") + "'"


def commands(args, zip_path, work, venv, records):
    """Tool name -> (shell command, how to read its record count from stdout, or None for floors)."""
    lake, db = work + "/lake", work + "/peer.sqlite"
    x = "bsdtar -xOf %s %s" % (q(zip_path), "%s")
    out = {
        "datapunk": ("rm -rf %s && %s ingest %s --lake %s --progress none >/dev/null && sqlite3 %s 'SELECT count(*) FROM records'"
                     % (q(lake), q(args.datapunk), q(zip_path), q(lake), q(lake + "/catalog.sqlite")), True),
        "sqlite3-shell": ("rm -f %s && sqlite3 %s %s" % (q(db), q(db), q(SQLITE_SHELL.replace("ZIP", zip_path)
                          .replace("RECORDS", RECORDS).replace("ACTIVITY", ACTIVITY))), True),
        "python": ("rm -f %s && python3 -c %s %s %s" % (q(db), q(("RECORDS, ACTIVITY = %r, %r\n" % (RECORDS, ACTIVITY))
                   + PYTHON_PEER), q(zip_path), q(db)), True),
        "jq": ("{ %s | jq -c '.locations[]'; %s | jq -c '.[]'; } | wc -l" % (x % q(RECORDS), x % q(ACTIVITY)), True),
    }
    if venv:
        su = venv + "/bin/sqlite-utils"
        out["sqlite-utils"] = (
            "rm -f %s && %s | jq -c '.locations[]' | %s insert %s locations - --nl && %s | jq -c '.[]' | %s insert %s activity - --nl"
            " && sqlite3 %s 'SELECT (SELECT count(*) FROM locations) + (SELECT count(*) FROM activity)'"
            % (q(db), x % q(RECORDS), su, q(db), x % q(ACTIVITY), su, q(db), q(db)), True)
        out["duckdb"] = (
            "rm -rf %s %s && mkdir -p %s && %s > %s/records.json && %s > %s/activity.json && %s/bin/python -c %s %s %s"
            % (q(work + "/x"), q(db), q(work + "/x"), x % q(RECORDS), q(work + "/x"), x % q(ACTIVITY), q(work + "/x"),
               venv, q(DUCKDB_PEER), q(work + "/x"), q(db)), True)
    out["floor: inflate"] = ("bsdtar -xOf %s > /dev/null" % q(zip_path), False)
    out["floor: sha-256"] = ("openssl dgst -sha256 %s > /dev/null" % q(zip_path), False)
    out["floor: xxh64"] = ("xxhsum -H1 %s > /dev/null" % q(zip_path), False)
    cols = ", ".join("c%d" % i for i in range(16))
    vals = ", ".join(["value", "value * 7", "'2024-01-01T00:00:00.000Z'", "value % 1000", "'GPS'", "value * 13", "'abcdef0123456789'",
                      "'{\"k\":1}'", "NULL", "'[]'", "'[]'", "'[]'", "'+00:00'", "value * 31", "value % 7", "value % 3"])
    out["floor: sqlite insert"] = (
        "rm -f %s && sqlite3 %s %s" % (q(db), q(db), q(
            "CREATE TABLE t(%s); BEGIN; INSERT INTO t SELECT %s FROM generate_series(1, %d); COMMIT;"
            % (cols, vals, records))), False)
    return out


def measured(command):
    """(status, stdout, stderr, wall s, cpu s, peak RSS MB) of `bash -c command`."""
    before = os.times()
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_RDONLY)
        os.dup2(fd, 0)
        os.execvp("bash", ["bash", "-c", command + " > %s.out 2> %s.err" % (TMP, TMP)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    with open(TMP + ".out", errors="replace") as f:
        out = f.read()
    with open(TMP + ".err", errors="replace") as f:
        err = f.read()
    return os.waitstatus_to_exitcode(status), out, err, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main():
    global TMP
    ap = argparse.ArgumentParser()
    ap.add_argument("--datapunk", required=True)
    ap.add_argument("--mb", type=float, default=256)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/datapunk-peers")
    ap.add_argument("--venv", default="")
    ap.add_argument("--tools", default="")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    TMP = args.dir + "/last"
    zip_path = args.dir + "/takeout-peers-%gMB.zip" % args.mb
    meta = zip_path + ".json"
    if not os.path.exists(meta):
        records, size = generate(zip_path, int(args.mb * 1_000_000))
        with open(meta, "w") as f:
            json.dump({"records": records, "bytes": size}, f)
    with open(meta) as f:
        m = json.load(f)
    records, size = m["records"], m["bytes"]
    work = args.dir + "/work"
    os.makedirs(work, exist_ok=True)
    tools = commands(args, zip_path, work, args.venv, records)
    if args.tools:
        tools = {k: v for k, v in tools.items() if k in args.tools.split(",") or k.startswith("floor")}
    print("input: %s, %d bytes uncompressed, %d records, %d bytes zipped; %d rounds" % (
        zip_path, size, records, os.path.getsize(zip_path), args.rounds), flush=True)
    results = {k: [] for k in tools}
    for r in range(args.rounds):
        for name, (command, counts) in tools.items():
            status, out, err, wall, cpu, rss = measured(command)
            if status != 0:
                sys.exit("%s failed (%d): %s" % (name, status, err.strip()[-600:]))
            if counts:
                got = int(out.strip().split()[-1])
                if got != records:
                    sys.exit("%s loaded %d records, not %d" % (name, got, records))
            results[name].append((wall, cpu, rss))
            print("  round %d %-22s %7.2f s  cpu %7.2f s  peak %7.1f MB" % (r + 1, name, wall, cpu, rss), flush=True)
    base = statistics.median(w for w, _, _ in results["datapunk"]) if results.get("datapunk") else None
    base_cpu = statistics.median(c for _, c, _ in results["datapunk"]) if results.get("datapunk") else None
    base_rss = statistics.median(m for _, _, m in results["datapunk"]) if results.get("datapunk") else None
    print()
    print("| tool | median wall | MB/s | records/s | CPU | peak memory | wall vs datapunk | CPU vs datapunk | memory vs datapunk |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, rows in results.items():
        wall = statistics.median(w for w, _, _ in rows)
        cpu = statistics.median(c for _, c, _ in rows)
        rss = statistics.median(m for _, _, m in rows)
        ratio = lambda a, b: "%.2f" % (a / b) if b else "-"
        print("| %s | %.2f s | %.0f | %s | %.2f s | %.0f MB | %s | %s | %s |" % (
            name, wall, size / wall / 1e6, "{:,}".format(int(records / wall)), cpu, rss, ratio(wall, base),
            ratio(cpu, base_cpu), ratio(rss, base_rss)))


if __name__ == "__main__":
    main()
