#!/usr/bin/env bash
# Installs the nested test fixtures that hold a second major of a library (e.g. express 5
# beside the root's express 4). require-in-the-middle names a module by its folder under
# node_modules, so a second major must be a real `express` folder, not an npm alias.
# Each fixture folder has its own package.json + package-lock.json; `npm ci` runs only when
# the lock changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
for lock in packages/*/test/fixtures/*/package-lock.json examples/*/package-lock.json; do
  dir=$(dirname "$lock")
  stamp="$dir/node_modules/.jt-lock-stamp"
  sum=$(sha1sum "$lock" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then continue; fi
  echo "installing fixture $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$sum" > "$stamp"
done
