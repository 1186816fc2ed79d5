#!/usr/bin/env bash
# Regenerates the committed generated corpus cases under Corpus/generated/. The test
# GeneratedCorpusTests fails when the committed files and the generator disagree, so run this
# (and review the diff) whenever the generator changes on purpose.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product datapunk >/dev/null
bin=$(swift build --show-bin-path)/datapunk
while read -r name profile seed scale; do
  [ -z "$name" ] && continue
  rm -rf "Corpus/generated/$name"
  "$bin" corpus generate --profile "$profile" --seed "$seed" --scale "$scale" --output "Corpus/generated/$name"
done < Corpus/generated/cases.txt
