#!/usr/bin/env bash
# Install configurable-http-proxy (JupyterHub's proxy, an npm package) into .cache/node of this repository.
# Idempotent: does nothing when the pinned version is already there. Prints the binary's path on its last line.
set -euo pipefail
cd "$(dirname "$0")/../.."

PREFIX="${CHP_PREFIX:-.cache/node}"
BIN="$PREFIX/node_modules/.bin/configurable-http-proxy"
MANIFEST="$PREFIX/node_modules/configurable-http-proxy/package.json"

if ! command -v npm >/dev/null 2>&1; then
    echo "install-proxy.sh: npm is not installed; install Node.js (e.g. apt-get install nodejs npm)" >&2
    exit 1
fi
# configurable-http-proxy 5 needs Node 20+; Debian 12's own nodejs is 18, which 4.6 supports.
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$NODE_MAJOR" -ge 20 ]; then DEFAULT_VERSION=5.3.0; else DEFAULT_VERSION=4.6.3; fi
VERSION="${CHP_VERSION:-$DEFAULT_VERSION}"

if [ -x "$BIN" ] && grep -q "\"version\": \"$VERSION\"" "$MANIFEST" 2>/dev/null; then
    echo "configurable-http-proxy $VERSION already in $PREFIX" >&2
else
    mkdir -p "$PREFIX"
    npm install --prefix "$PREFIX" --no-audit --no-fund --no-save --loglevel=error \
        "configurable-http-proxy@$VERSION" >&2
fi
echo "$BIN"
