#!/usr/bin/env bash
# Rebuilds the map resources (src/main/resources/map/*.json) from pinned npm packages.
# Reproducible: same package-lock.json, same output. Run from anywhere: tools/map-data/build.sh
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --silent
node build.mjs ../../src/main/resources/map
