#!/usr/bin/env bash
# Vendor the dashboard's front-end libraries from npm into crates/server/assets/vendor/, so that
# `cargo build` never needs node and the dashboard never needs a network.
#
#   scripts/vendor-dashboard.sh
#
# Needs npm (only to fetch the packages' tarballs with `npm pack`). Pinned versions: change them
# here, run the script, and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=crates/server/assets/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

packages=(d3@7.9.0 topojson-client@3.1.0 world-atlas@2.0.2)
(cd "$tmp" && npm pack --silent "${packages[@]}" >/dev/null)
for tgz in "$tmp"/*.tgz; do
    name=$(basename "$tgz" .tgz)
    mkdir -p "$tmp/$name"
    tar -xzf "$tgz" -C "$tmp/$name"
done

mkdir -p "$dest"
cp "$tmp"/d3-7.*/package/dist/d3.min.js "$dest/d3.min.js"
cp "$tmp"/d3-7.*/package/LICENSE "$dest/d3.LICENSE"
cp "$tmp"/topojson-client-*/package/dist/topojson-client.min.js "$dest/topojson-client.min.js"
cp "$tmp"/topojson-client-*/package/LICENSE "$dest/topojson-client.LICENSE"
cp "$tmp"/world-atlas-*/package/countries-110m.json "$dest/countries-110m.json"
cp "$tmp"/world-atlas-*/package/LICENSE "$dest/world-atlas.LICENSE"

{
    echo "Vendored by scripts/vendor-dashboard.sh from the npm registry; do not edit by hand."
    for p in "${packages[@]}"; do echo "$p"; done
} > "$dest/VERSIONS"
ls -l "$dest"
