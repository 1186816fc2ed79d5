#!/usr/bin/env bash
# PII detection against the generator's answer key at scale: for each profile, generates a
# corpus (default 64MB, seed 42), ingests each user's inputs, exports the lake and scores the
# export with `datapunk corpus score --min 0.98` (docs/SPEC.md 9.1). Opt-in (minutes); exits 1
# when a type of a profile is under 0.98 precision or recall.
#   bash Scripts/pii-accuracy.sh            # twitter facebook google-takeout mixed at 64MB
#   SCALE=128MB SEED=7 bash Scripts/pii-accuracy.sh twitter
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${SCALE:-64MB}
seed=${SEED:-42}
profiles=("$@")
[ ${#profiles[@]} -eq 0 ] && profiles=(twitter facebook google-takeout mixed)
swift build -c release --product datapunk >/dev/null
bin=$(swift build -c release --show-bin-path)/datapunk
work=$(mktemp -d "${TMPDIR:-/tmp}/datapunk-pii-accuracy.XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0
for profile in "${profiles[@]}"; do
  "$bin" corpus generate --profile "$profile" --seed "$seed" --scale "$scale" --output "$work/$profile" | tail -1
  # Each user's inputs in one ingest, as the manifest groups them.
  python3 - "$work/$profile" > "$work/users" <<'PY'
import json, sys
folder = sys.argv[1]
m = json.load(open(folder + "/manifest.json"))
users = {}
for i in m["inputs"]:
    users.setdefault(i["user"], []).append(folder + "/" + i["file"])
for user in sorted(users):
    print("\t".join(users[user]))
PY
  while IFS=$'\t' read -r -a files; do
    "$bin" ingest --lake "$work/$profile-lake" "${files[@]}" >/dev/null || true
  done < "$work/users"
  "$bin" export --lake "$work/$profile-lake" --output "$work/$profile.ndjson"
  echo "== $profile ($scale, seed $seed, $(wc -l < "$work/$profile.ndjson") records)"
  "$bin" corpus score --manifest "$work/$profile/manifest.json" --min 0.98 "$work/$profile.ndjson" || status=1
  rm -rf "$work/$profile" "$work/$profile-lake" "$work/$profile.ndjson"
done
exit $status
