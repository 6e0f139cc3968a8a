#!/usr/bin/env bash
# Idempotent installer for the third-party engines used by tests/engines.
#  - Python: .tools/venv at the repository root, with requirements.txt (exact pins).
#  - Node:   tests/engines/node_modules from package-lock.json via `npm ci`.
# Nothing is installed globally. Quiet on success; prints the failing step's output on error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.tools/venv"
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

# --- Python -------------------------------------------------------------------
python="${PYTHON:-python3}"
req_stamp="$venv/.requirements.sha256"
if [[ ! -x "$venv/bin/python" ]]; then
  run "$python" -m venv "$venv"
fi
if [[ ! -f "$req_stamp" || "$(cat "$req_stamp")" != "$(sha "$here/requirements.txt")" ]]; then
  run "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    -r "$here/requirements.txt"
  sha "$here/requirements.txt" >"$req_stamp"
fi

# --- Node ---------------------------------------------------------------------
lock_stamp="$here/node_modules/.package-lock.sha256"
if [[ ! -d "$here/node_modules" || ! -f "$lock_stamp" \
      || "$(cat "$lock_stamp")" != "$(sha "$here/package-lock.json")" ]]; then
  (cd "$here" && run npm ci --no-audit --no-fund --loglevel=error)
  sha "$here/package-lock.json" >"$lock_stamp"
fi
