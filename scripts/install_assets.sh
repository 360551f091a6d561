#!/usr/bin/env bash
# Install the map's front-end assets (Leaflet and plugins) into static/vendor from the npm
# registry, at pinned versions, so the map works with no internet (served at /app/static).
# Not committed: run by `make run` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=static/vendor
stamp="$dest/.versions"
want="leaflet@1.9.4 leaflet.markercluster@1.5.3 leaflet.heat@0.2.0"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && for p in $want; do npm pack --silent "$p" >/dev/null; done )
rm -rf "$dest" && mkdir -p "$dest"
for tgz in "$tmp"/*.tgz; do
  name=$(basename "$tgz" | sed -E 's/-[0-9][0-9.]*\.tgz$//')
  mkdir -p "$tmp/$name" && tar -xzf "$tgz" -C "$tmp/$name"
  cp -r "$tmp/$name/package/dist" "$dest/$name"
done
echo "$want" > "$stamp"
echo "assets installed in $dest: $want"
