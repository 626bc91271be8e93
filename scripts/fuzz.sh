#!/usr/bin/env bash
# Bounded coverage-guided fuzzing (cargo-fuzz / libFuzzer) of validation, the answer classifier
# and the guidance renderer: each target runs FUZZ_SECONDS (default 60) and stops by itself.
# Not part of `make test`; a crash stops the run and leaves the input in fuzz/artifacts/TARGET/
# (turn it into a regression test in tests/*.rs). The corpus grows in fuzz/corpus/ (ignored by git).
#
#   FUZZ_SECONDS=300 FUZZ_TARGETS="guidance" scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
targets="${FUZZ_TARGETS:-validate classify guidance}"
# cargo-fuzz passes nightly-only flags (-Zsanitizer...); RUSTC_BOOTSTRAP=1 lets a stable
# toolchain (rustup's, or Debian's) accept them.
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz (cargo install cargo-fuzz, a few minutes)"
  cargo install --locked cargo-fuzz || cargo install cargo-fuzz
fi

for target in $targets; do
  mkdir -p "fuzz/corpus/$target"
  echo "fuzz: $target for ${seconds}s"
  # Safe Rust: AddressSanitizer finds nothing the checks and oracles do not, and halves the speed.
  status=0
  extra=()
  [[ -d "fuzz/seeds/$target" ]] && extra+=("fuzz/seeds/$target")
  dict=()
  [[ -f "fuzz/$target.dict" ]] && dict=(-dict="fuzz/$target.dict")
  # New inputs go to the first folder (the corpus); the seeds (in git) are read only.
  cargo fuzz run --sanitizer none "$target" "fuzz/corpus/$target" "${extra[@]}" -- \
    -max_total_time="$seconds" -print_final_stats=1 "${dict[@]}" >"fuzz/$target.log" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|stat::new_units_added|SUMMARY)|panicked|Done [0-9]+ runs' \
    "fuzz/$target.log" || true
  if [[ $status -ne 0 ]]; then
    tail -n 40 "fuzz/$target.log" >&2
    echo "fuzz: $target FOUND A FAILURE (fuzz/$target.log; the input is in fuzz/artifacts/$target/)" >&2
    exit 1
  fi
done
echo "fuzz: no failures"
