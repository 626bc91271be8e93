# `make demo` and `make test` do everything from a fresh machine; the other targets are steps.
# Thin targets: the work is in scripts/, so each step can also be run by hand.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

ENV := source build/toolchain.env
# Rust for wasm32 (Debian's or rustup's, as scripts/setup.sh chose), in its own target dir.
WASM := $(ENV) && export PATH="$${WASM_PATH_PREFIX:+$$WASM_PATH_PREFIX:}$$PATH" RUSTC="$$WASM_RUSTC" CARGO="$$WASM_CARGO" CARGO_TARGET_DIR="$(CURDIR)/target/wasm"
EMULATOR := target/debug/agent-account-emulator

.PHONY: help setup pkg mcpb emulator demo test test-lane-rust test-lane-pkg lint test-rust test-wasm size test-js test-consumers test-emulator test-e2e bench clean fuzz test-agent

help:
	@echo "make demo   - set up, build, start the emulator and the demo page, print its URL"
	@echo "make test   - set up, build, run every test"
	@echo "steps: setup pkg emulator lint test-rust test-wasm size test-js test-agent test-consumers test-emulator test-e2e bench clean fuzz"

# SETUP_DONE: set by `make test` for its two lanes, which run after the set-up it ran once.
setup:
	@[ -n "$(SETUP_DONE)" ] || scripts/setup.sh

pkg: setup
	@scripts/build-pkg.sh

# The emulator the tests and the demo run: the dev-profile binary that the emulator's own
# integration tests build and run anyway (CARGO_BIN_EXE), so a fresh `make test` compiles the
# emulator and its dependency tree once, not twice: its release build at opt-level 1 (2 min
# 19 s of a fresh `make test`) and then the tests' build (1 min 48 s). Nothing here measures
# its speed; `make bench` (scripts/bench-emulator.sh) builds the full release profile of
# Cargo.toml before measuring.
emulator: setup
	cargo test --locked -p agent-account-emulator --no-run

demo: pkg emulator
	@EMULATOR=$(EMULATOR) scripts/demo.sh

# Two lanes side by side, each in order, each line marked with its lane: the Rust checks, which
# compile on both cores, beside the package and the tests that run it and the emulator, which
# mostly wait on one (BENCHMARKS.md, "Fresh-machine set-up"). Only the second lane builds the
# emulator and runs it: a build in one lane relinks the binaries the other would be running.
# A lane stops at its first failure; so does the other, once the failure ends `make`.
RUST_LANE := lint test-rust test-wasm
PKG_LANE := pkg size emulator test-js test-agent test-consumers test-e2e test-emulator
test: setup
	@$(MAKE) --no-print-directory -j2 test-lane-rust test-lane-pkg
	@echo "make test: all passed"

test-lane-rust:
	@$(MAKE) --no-print-directory -j1 SETUP_DONE=1 $(RUST_LANE) 2>&1 | sed -u -e '/forced in submake/d' -e 's/^/[rust] /'
test-lane-pkg:
	@$(MAKE) --no-print-directory -j1 SETUP_DONE=1 $(PKG_LANE) 2>&1 | sed -u -e '/forced in submake/d' -e 's/^/[pkg] /'

lint: setup
	cargo fmt --all -- --check
	cargo clippy --locked --workspace --all-targets -- -D warnings
	$(WASM) && cargo clippy --locked --target wasm32-unknown-unknown --all-targets -- -D warnings
	# The rules wasm's own code (its allocator, src/bump.rs) exists only in that build.
	$(WASM) && cargo clippy --locked --target wasm32-unknown-unknown --lib --no-default-features --features rules -- -D warnings

test-rust: setup
	cargo test --locked --workspace --exclude agent-account-emulator

# cargo test through wasm-bindgen's test runner, set up as `wasm-pack test --node` and
# `--headless --chrome` did (so the set-up need not compile wasm-pack).
WASM_TEST := $(WASM) && export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
test-wasm: setup
	$(WASM_TEST) WASM_BINDGEN_TEST_ONLY_NODE=1 && cargo test --locked --lib --target wasm32-unknown-unknown
	$(WASM_TEST) WASM_BINDGEN_TEST_ONLY_WEB=1 WASM_BINDGEN_USE_BROWSER=1 && cargo test --locked --lib --target wasm32-unknown-unknown

size: pkg
	@node scripts/check-size.mjs

test-js: pkg emulator
	@EMULATOR=$(EMULATOR) scripts/test-js.sh

# The packed package in Vite, webpack, esbuild, Next.js and Bun apps (tests/consumers/).
test-consumers: pkg emulator
	@EMULATOR=$(EMULATOR) scripts/test-consumers.sh

# The agent surfaces: both packages installed, the CLI, /node, /tool, MCP, runtimes.
# The MCP Bundle (.mcpb) of pkg-mcp/, with the official mcpb CLI; test-agent checks it.
mcpb: pkg
	@scripts/build-mcpb.sh

test-agent: pkg mcpb emulator
	@EMULATOR=$(EMULATOR) scripts/test-agent.sh

test-emulator: emulator
	@EMULATOR=$(EMULATOR) scripts/test-emulator.sh

test-e2e: pkg emulator
	@EMULATOR=$(EMULATOR) scripts/test-e2e.sh

# Bounded fuzzing, outside `make test`: FUZZ_SECONDS per target (default 60).
fuzz:
	@scripts/fuzz.sh

# Benchmarks, not tests: the emulator, then the client against plain JS and raw fetch
# (figures and how to read them: BENCHMARKS.md).
bench: pkg
	@scripts/bench-emulator.sh
	@scripts/bench-client.sh

clean:
	rm -rf pkg pkg-mcp build/consumer build/consumer-tgz build/consumer.lock tests/node_modules build/consumers build/demo build/mcpb build/mcpb-tgz build/mcpb-pack.log build/cloudinary-agent-account-mcp.mcpb target
