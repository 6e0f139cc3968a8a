#!/usr/bin/env bash
# Idempotent installer for the console's browser test (tests/console):
#  - Debian's chromium, pinned to one exact version, by tests/chromium/install.sh (skipped when
#    /usr/bin/chromium already is it; the pin and how to update it are there);
#  - tests/console/node_modules from package-lock.json via `npm ci` (skipped when the lock is unchanged).
# Quiet on success; prints the failing step's output on error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

run() { # run quietly; on failure show the output
  if ! "$@" >"$log" 2>&1; then
    echo "install.sh: failed: $*" >&2
    cat "$log" >&2
    exit 1
  fi
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

# --- Chromium (shared with tests/diagrams) -------------------------------------
"$here/../chromium/install.sh"

# --- Node ---------------------------------------------------------------------
lock_stamp="$here/node_modules/.package-lock.sha256"
if [[ ! -d "$here/node_modules" || ! -f "$lock_stamp" \
      || "$(cat "$lock_stamp")" != "$(sha "$here/package-lock.json")" ]]; then
  (cd "$here" && run npm ci --no-audit --no-fund --loglevel=error)
  sha "$here/package-lock.json" >"$lock_stamp"
fi
