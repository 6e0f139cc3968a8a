#!/usr/bin/env bash
# Idempotent installer for the diagram render test (tests/diagrams):
#  - Debian's chromium, pinned to one exact version, by tests/chromium/install.sh (skipped when
#    /usr/bin/chromium already is it; the pin and how to update it are there);
#  - tests/diagrams/node_modules from package-lock.json via `npm ci` (skipped when the lock is
#    unchanged): @mermaid-js/mermaid-cli and its peer puppeteer, which must not download a browser
#    (PUPPETEER_SKIP_DOWNLOAD here, and .puppeteerrc.cjs for a hand-run `npm ci`).
# One line per step with its time (tests/lib/install.sh); the failing step's output on error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/install.sh
source "$here/../lib/install.sh"

# --- Chromium (shared with tests/console) --------------------------------------
"$here/../chromium/install.sh"

# --- Node ---------------------------------------------------------------------
export PUPPETEER_SKIP_DOWNLOAD=1
npm_ci_if_changed "$here"
