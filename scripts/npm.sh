# Sourced by every script that installs npm packages, so that all follow one rule:
# --prefer-offline uses what the npm cache holds without asking the registry, and fetches
# what it lacks. Never npm's offline mode: it fails on an empty cache (a new user's machine;
# CI's, which .ci/run gives a cache of its own) as soon as a dependency range must be resolved.
npm_install() { npm install --prefer-offline --no-audit --no-fund --loglevel=error "$@"; }
npm_ci() { npm ci --prefer-offline --no-audit --no-fund --loglevel=error "$@"; }
