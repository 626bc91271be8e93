#!/usr/bin/env bash
# Tests the agent surfaces the way a user gets them: both packages packed with
# `npm pack`, installed into a fresh project, then node --test against the emulator (the
# library helpers, /node, /tool, the CLI, the MCP server), Deno, workerd and Chromium, and
# tsc --strict type checks against the real SDKs' own types (openai, @anthropic-ai/sdk, ai,
# @modelcontextprotocol/sdk). The SDKs and ajv come from the workspace's devDependencies,
# found by Node's and TypeScript's parent-folder lookup.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck disable=SC1091
source build/toolchain.env
# shellcheck source=scripts/npm.sh
source scripts/npm.sh
export EMULATOR="$ROOT/${EMULATOR:-target/debug/agent-account-emulator}"
[ -x "$EMULATOR" ] || { echo "test-agent: no emulator at $EMULATOR (make emulator)" >&2; exit 1; }
[ -f pkg-mcp/package.json ] || { echo "test-agent: no pkg-mcp/ (make pkg)" >&2; exit 1; }

consumer=build/agent-consumer
INSPECTOR_VERSION=2.12.0
rm -rf "$consumer" build/agent-tgz
mkdir -p "$consumer/test" build/agent-tgz
main=$(cd pkg && npm pack --silent --pack-destination "$ROOT/build/agent-tgz")
mcp=$(cd pkg-mcp && npm pack --silent --pack-destination "$ROOT/build/agent-tgz")
printf '{ "name": "agent-consumer", "private": true, "type": "module" }\n' > "$consumer/package.json"
# Both tarballs at once: the MCP package's dependency on the main one is met by the local
# tarball; @modelcontextprotocol/sdk and its dependencies are resolved like any user's install.
(cd "$consumer" && npm_install --silent "$ROOT/build/agent-tgz/$main" "$ROOT/build/agent-tgz/$mcp")
echo "test-agent: installed $main and $mcp into $consumer"
# A second MCP client that is not ours, the MCP Inspector's CLI mode, in a folder of its own so
# its dependencies (its own MCP SDK packages among them) leave the consumer's tree as a user's.
mkdir -p "$consumer/inspector"
printf '{ "name": "agent-consumer-inspector", "private": true }\n' > "$consumer/inspector/package.json"
(cd "$consumer/inspector" && npm_install --silent "@modelcontextprotocol/inspector@$INSPECTOR_VERSION")
echo "test-agent: installed @modelcontextprotocol/inspector@$INSPECTOR_VERSION into $consumer/inspector"

# The validation vectors of tests/validate.rs with the Rust verdicts, for the ajv test.
cargo run --quiet --locked --example request-schema vectors > "$consumer/test/vectors.json"

cp tests/agent/tsconfig.json tests/agent/tsconfig.own.json tests/agent/frameworks.ts tests/agent/own.ts "$consumer/"
tsc -p "$consumer/tsconfig.own.json"
echo "test-agent: tsc --strict accepts tests/agent/own.ts (the package's own declarations, /node and /tool)"
tsc -p "$consumer/tsconfig.json"
echo "test-agent: tsc --strict accepts tests/agent/frameworks.ts (OpenAI, Anthropic, AI SDK, MCP types)"

cp tests/js/harness.mjs tests/runtimes/deno.mjs tests/runtimes/worker.mjs tests/runtimes/workerd.mjs \
  tests/runtimes/runtime-tests.mjs tests/agent/*.mjs "$consumer/test/"
cd "$consumer" && node --test --test-concurrency=2 --test-reporter=spec test/*.test.mjs
