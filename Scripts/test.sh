#!/usr/bin/env bash
# Installs what the build needs, builds, and runs every test layer that exists:
# unit tests, the JSONTestSuite conformance suite (needs ../shared/conformance),
# golden comparisons and the CLI end-to-end tests (all inside `swift test`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash Scripts/setup.sh

if [ ! -d ../shared/conformance/JSONTestSuite ] && [ -z "${DATAPUNK_SHARED:-}" ]; then
  echo "test: ../shared/conformance is missing; set DATAPUNK_SHARED to the shared folder" >&2
  exit 1
fi

echo "test: building"
swift build --build-tests
echo "test: running swift test"
swift test
