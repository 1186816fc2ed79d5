#!/usr/bin/env python3
"""The codebase's shape at a git revision (default HEAD), for review notes: the largest files
under Sources, the public symbols per module, and the test files per source module.
    python3 Scripts/codebase-stats.py [REV]
"""
import collections, re, subprocess, sys

rev = sys.argv[1] if len(sys.argv) > 1 else "HEAD"
files = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev], capture_output=True, text=True, check=True).stdout.split()
def text(path):
    return subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True, text=True).stdout
sources = [f for f in files if f.startswith("Sources/") and f.endswith(".swift")]
tests = [f for f in files if f.startswith("Tests/") and f.endswith(".swift") and not f.startswith("Tests/Fuzz/")]
sizes = sorted(((len(text(f).splitlines()), f) for f in sources), reverse=True)
print(f"## {rev}: {len(sources)} source files, {sum(n for n, _ in sizes)} lines; {len(tests)} test files")
print("largest:", ", ".join(f"{f.removeprefix('Sources/')} {n}" for n, f in sizes[:5]))
public = re.compile(r"^\s*(?:@\w+\s+)*public\s+(?:(?:static|final|override|mutating|convenience|nonisolated)\s+)*(?:func|var|let|struct|class|enum|protocol|typealias|init|case|subscript|actor)\b", re.M)
per_module = collections.Counter()
for f in sources:
    per_module[f.split("/")[1]] += len(public.findall(text(f)))
print("public symbols:", ", ".join(f"{m} {n}" for m, n in sorted(per_module.items()) if not m.startswith(("C", "_"))))
per_tests = collections.Counter(f.split("/")[1] for f in tests)
print("test files:", ", ".join(f"{m} {n}" for m, n in sorted(per_tests.items())))
