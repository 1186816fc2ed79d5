#!/usr/bin/env python3
"""Conformance runner of a datapunk-lake conformance kit (docs/SPEC.md 9.2 of the SPEC
version in manifest.json). Python 3.8+ standard library only; gives the same verdicts as
`datapunk conform`.

    python3 run.py --candidate 'mytool {input} {output}' [--level full] [--compare bytes]
                   [--junit FILE] [--json] [--jobs N] [--timeout S]

Exit 0 only when every case at the level passes.
"""
import argparse, concurrent.futures, hashlib, json, os, shlex, signal, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conform import LEVELS, Number, canonical, compare  # noqa: E402

def run_case(kit, case, args, level, scratch, index):
    output = os.path.join(scratch, "%d-%s.ndjson" % (index, case["name"].replace("/", "_")))
    command = args.candidate.replace("{input}", shlex.quote(os.path.join(kit, case["input"]))) \
                            .replace("{output}", shlex.quote(output))
    result = {"case": case["name"], "level": level, "verdict": "pass", "message": "", "difference": None, "stderr": ""}
    start = time.monotonic()
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen(["/bin/sh", "-c", command], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=err, start_new_session=True)
        try:
            status = p.wait(timeout=args.timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            timed_out = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if timed_out:
            status = p.wait()
        err.seek(0)
        result["stderr"] = err.read()[-4096:].decode("utf-8", "replace")
    result["seconds"] = time.monotonic() - start
    try:
        if timed_out:
            result.update(verdict="timeout", message="no result within %s s; its process group was killed" % fmt(args.timeout))
        elif status < 0:
            result.update(verdict="crash", message="killed by signal %d" % -status)
        elif status > 1:
            result.update(verdict="crash", message="exit status %d" % status)
        elif not os.path.isfile(output):
            result.update(verdict="missing", message="no output file was written")
        else:
            with open(os.path.join(kit, case["expected"][level]), "rb") as f:
                expected = f.read()
            with open(output, "rb") as f:
                got = f.read()
            d = compare(expected, got, level, args.compare)
            if d is not None:
                result.update(verdict="fail", message=d["summary"], difference=d)
    finally:
        if os.path.exists(output):
            os.unlink(output)
    return result


def fmt(s):
    return str(int(s)) if s == int(s) else str(s)


def main():
    ap = argparse.ArgumentParser(description="Run a candidate on every case of this conformance kit.")
    ap.add_argument("--candidate", required=True, help="command line with {input} and {output}")
    ap.add_argument("--cases", default=os.path.dirname(os.path.abspath(__file__)), help="the kit (default: this folder)")
    ap.add_argument("--level", default="full", choices=LEVELS)
    ap.add_argument("--compare", default="bytes", choices=["bytes", "semantic"])
    ap.add_argument("--junit")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if "{input}" not in args.candidate or "{output}" not in args.candidate:
        ap.error("--candidate: the command needs {input} and {output}")
    with open(os.path.join(args.cases, "manifest.json"), "rb") as f:
        manifest = json.load(f)
    for entry in manifest["files"]:
        with open(os.path.join(args.cases, entry["path"]), "rb") as f:
            if hashlib.sha256(f.read()).hexdigest() != entry["sha256"]:
                sys.exit("run.py: %s does not match the manifest's SHA-256" % entry["path"])
    cases = [c for c in manifest["cases"] if args.level in c["expected"]]
    with tempfile.TemporaryDirectory(prefix="datapunk-conform-") as scratch:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(pool.map(lambda ic: run_case(args.cases, ic[1], args, args.level, scratch, ic[0]), enumerate(cases)))
    if args.json:
        for r in results:
            out = {"case": r["case"], "level": r["level"], "verdict": r["verdict"], "message": r["message"],
                   "seconds": Number("%.3f" % r["seconds"])}
            if r["difference"]:
                d = r["difference"]
                out["difference"] = {"line": d["line"], "record": d.get("record"), "fields": d.get("fields", []),
                                     "missing": d.get("missing", []), "extra": d.get("extra", [])}
            print(canonical(to_tree(out)))
        summary = {"spec_version": manifest["spec_version"], "level": args.level, "compare": args.compare, "cases": len(results)}
        for v in ["pass", "fail", "crash", "timeout", "missing"]:
            summary[v] = sum(1 for r in results if r["verdict"] == v)
        print(canonical(to_tree({"summary": summary})))
    else:
        print("run.py: SPEC %s, level %s, compare %s" % (manifest["spec_version"], args.level, args.compare))
        for r in results:
            print("%-8s%s (%.3f s)%s" % (r["verdict"].upper(), r["case"], r["seconds"],
                                         "" if r["verdict"] == "pass" else ": " + r["message"]))
            d = r["difference"] or {}
            for f in d.get("fields", []):
                print("    %s: expected %s, got %s" % (f["pointer"], f["expected"], f["got"]))
            if d.get("missing"):
                print("    missing: " + "; ".join(d["missing"]))
            if d.get("extra"):
                print("    extra: " + "; ".join(d["extra"]))
        counts = ["%d %s" % (n, v) for v, n in ((v, sum(1 for r in results if r["verdict"] == v))
                                                for v in ["pass", "fail", "crash", "timeout", "missing"]) if n]
        print("%d case%s: %s" % (len(results), "" if len(results) == 1 else "s", ", ".join(counts) or "none"))
    if args.junit:
        write_junit(args.junit, results, manifest["spec_version"], args.level, args.compare)
    sys.exit(0 if results and all(r["verdict"] == "pass" for r in results) else 1)


def to_tree(v):
    """Plain Python values to the loader's shape (objects as ("object", pairs)), for canonical()."""
    if isinstance(v, dict):
        return ("object", [(k, to_tree(x)) for k, x in v.items()])
    if isinstance(v, list):
        return [to_tree(x) for x in v]
    if isinstance(v, int) and not isinstance(v, bool):
        return Number(str(v))
    return v


def write_junit(path, results, spec, level, mode):
    from xml.sax.saxutils import escape, quoteattr
    failures = sum(1 for r in results if r["verdict"] == "fail")
    errors = sum(1 for r in results if r["verdict"] not in ("pass", "fail"))
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>",
           '  <testsuite name="datapunk-conform" tests="%d" failures="%d" errors="%d" time="%.3f">'
           % (len(results), failures, errors, sum(r["seconds"] for r in results)),
           '    <properties><property name="spec_version" value=%s/><property name="level" value="%s"/>'
           '<property name="compare" value="%s"/></properties>' % (quoteattr(spec), level, mode)]
    for r in results:
        head = '    <testcase classname="conform.%s" name=%s time="%.3f"' % (level, quoteattr(r["case"]), r["seconds"])
        if r["verdict"] == "pass":
            out.append(head + "/>")
        elif r["verdict"] == "fail":
            out.append(head + ">\n      <failure type=\"fail\" message=%s>%s</failure>\n    </testcase>"
                       % (quoteattr(r["message"]), escape(r["message"])))
        else:
            out.append(head + ">\n      <error type=\"%s\" message=%s>%s</error>\n    </testcase>"
                       % (r["verdict"], quoteattr(r["message"]), escape(r["stderr"])))
    out += ["  </testsuite>", "</testsuites>"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
