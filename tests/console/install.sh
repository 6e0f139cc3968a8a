#!/usr/bin/env bash
# Idempotent installer for the console's browser test (tests/console):
#  - Debian's chromium, pinned to one exact version, by tests/chromium/install.sh (skipped when
#    /usr/bin/chromium already is it; the pin and how to update it are there);
#  - tests/console/node_modules from package-lock.json via `npm ci` (skipped when the lock is unchanged).
# One line per step with its time (tests/lib/install.sh); the failing step's output on error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/install.sh
source "$here/../lib/install.sh"

# --- Chromium (shared with tests/diagrams) -------------------------------------
"$here/../chromium/install.sh"

# --- Node ---------------------------------------------------------------------
npm_ci_if_changed "$here"
