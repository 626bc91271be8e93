#!/usr/bin/env bash
# Tests the agent surfaces the way a user gets them: both packages packed with `npm pack`,
# installed into a fresh project (scripts/consumer.sh), then node --test of tests/agent/
# against the emulator (the library helpers, /node, /tool, the CLI, the MCP server, Chromium),
# and tsc --strict type checks against the real SDKs' own types (openai, @anthropic-ai/sdk,
# ai, @modelcontextprotocol/sdk). The SDKs and ajv come from the workspace's devDependencies,
# found by Node's and TypeScript's parent-folder lookup. Deno and workerd run in test-js.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck disable=SC1091
source build/toolchain.env
export EMULATOR="$ROOT/${EMULATOR:-target/debug/agent-account-emulator}"
[ -x "$EMULATOR" ] || { echo "test-agent: no emulator at $EMULATOR (make emulator)" >&2; exit 1; }
scripts/consumer.sh

# The validation vectors of tests/validate.rs with the Rust verdicts, for the ajv test.
cargo run --quiet --locked --example request-schema vectors > build/consumer/vectors.json

ts=build/consumer/ts-agent
rm -rf "$ts"
mkdir -p "$ts"
cp tests/agent/tsconfig.json tests/agent/tsconfig.own.json tests/agent/frameworks.ts tests/agent/own.ts "$ts/"
tsc -p "$ts/tsconfig.own.json"
echo "test-agent: tsc --strict accepts tests/agent/own.ts (the package's own declarations, /node and /tool)"
tsc -p "$ts/tsconfig.json"
echo "test-agent: tsc --strict accepts tests/agent/frameworks.ts (OpenAI, Anthropic, AI SDK, MCP types)"

node --test --test-concurrency=2 --test-reporter=spec tests/agent/*.test.mjs
