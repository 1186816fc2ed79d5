#!/usr/bin/env python3
"""Every module a target imports from this package is one it declares (Package.swift), and
every package target a source target declares is one it imports.

SwiftPM's own `--explicit-target-dependency-import-check error` reports nothing with the
build system of Swift 6.3 on this machine (swift-package-manager issue 9620), and does not
stop a build where it does (issue 7062); this reads `swift package dump-package` and every
target's sources instead. A module reached only through another target's dependencies
builds, until that other target drops it. Exit 1 with one line per undeclared import.
"""
import json, os, re, subprocess, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=root, check=True, capture_output=True, text=True).stdout)
names = {t["name"] for t in package["targets"]}
# A C target uses a system library target when its sources include a header that the system
# target's shim includes (`#include <jemalloc/jemalloc.h>`): C has no `import`.
includes = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)
def included(folder, suffixes):
    found = set()
    for base, _, files in os.walk(os.path.join(root, folder)):
        for f in files:
            if f.endswith(suffixes):
                found |= set(includes.findall(open(os.path.join(base, f), encoding="utf-8").read()))
    return found
shims = {t["name"]: included(t.get("path") or os.path.join("Sources", t["name"]), (".h",)) for t in package["targets"] if t["type"] == "system"}
imports = re.compile(r"^\s*(?:@testable\s+|@_exported\s+|@preconcurrency\s+)*import\s+(?:(?:struct|class|enum|func|protocol|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)", re.M)
problems = []
for t in package["targets"]:
    if t["type"] in ("system", "binary"):
        continue
    declared = {next(iter(d.values()))[0] for d in t["dependencies"]}
    folder = t.get("path") or os.path.join("Tests" if t["type"] == "test" else "Sources", t["name"])
    used = set()
    for base, _, files in os.walk(os.path.join(root, folder)):
        for f in sorted(files):
            if not f.endswith(".swift"):
                continue
            text = open(os.path.join(base, f), encoding="utf-8").read()
            found = set(imports.findall(text))
            used |= found
            for module in sorted(found):
                if module in names and module != t["name"] and module not in declared:
                    problems.append(f"{os.path.relpath(os.path.join(base, f), root)}: target {t['name']} imports {module} without declaring it")
    c_includes = included(folder, (".c", ".h"))
    used |= {name for name, headers in shims.items() if headers & c_includes}
    if t["type"] != "test":
        for module in sorted(m for m in declared if m in names and m not in used):
            problems.append(f"{folder}: target {t['name']} declares {module} and never imports it")
for p in problems:
    print(p)
print(f"check-imports: {len(problems)} undeclared imports or unused dependencies in {len(package['targets'])} targets", file=sys.stderr)
sys.exit(1 if problems else 0)
