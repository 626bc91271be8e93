#!/usr/bin/env bash
# Builds the MCP Bundle (build/cloudinary-agent-account-mcp.mcpb) with the official
# @anthropic-ai/mcpb CLI: both packages packed and installed (production dependencies only)
# into build/mcpb/, beside pkg-mcp/manifest.json; `mcpb validate`, then `mcpb pack`. A desktop
# client unpacks it and runs server.mjs with its own Node.js, so node_modules is inside.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=scripts/npm.sh
source scripts/npm.sh
[ -f pkg-mcp/manifest.json ] || { echo "build-mcpb: no pkg-mcp/ (make pkg)" >&2; exit 1; }
MCPB="$ROOT/node_modules/.bin/mcpb"
[ -x "$MCPB" ] || { echo "build-mcpb: no mcpb CLI (make setup installs @anthropic-ai/mcpb)" >&2; exit 1; }

dir=build/mcpb
out=build/cloudinary-agent-account-mcp.mcpb
rm -rf "$dir" build/mcpb-tgz "$out"
mkdir -p "$dir" build/mcpb-tgz
main=$(cd pkg && npm pack --silent --pack-destination "$ROOT/build/mcpb-tgz")
mcp=$(cd pkg-mcp && npm pack --silent --pack-destination "$ROOT/build/mcpb-tgz")
printf '{ "name": "cloudinary-agent-account-mcp-bundle", "private": true, "type": "module" }\n' > "$dir/package.json"
(cd "$dir" && npm_install --silent --omit=dev --no-package-lock "$ROOT/build/mcpb-tgz/$main" "$ROOT/build/mcpb-tgz/$mcp")
# The bundle's package.json would list the tarballs' local paths: the manifest is what matters.
rm "$dir/package.json"
cp pkg-mcp/manifest.json LICENSE "$dir/"
"$MCPB" validate "$dir/manifest.json"
"$MCPB" pack "$dir" "$out" > build/mcpb-pack.log
echo "built $out ($(stat -c %s "$out") bytes)"
