#!/usr/bin/env bash
# Idempotent installer for the third-party engines used by tests/engines.
#  - Python: .tools/venv at the repository root, with requirements.txt (exact pins).
#  - Node:   tests/engines/node_modules from package-lock.json via `npm ci`.
# Nothing is installed globally. One line per step with its time; the failing step's output on error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.tools/venv"
# shellcheck source=../lib/install.sh
source "$here/../lib/install.sh"

# --- Python -------------------------------------------------------------------
python="${PYTHON:-python3}"
req_stamp="$venv/.requirements.sha256"
if [[ ! -x "$venv/bin/python" ]]; then
  step "python venv (.tools/venv)" "$python" -m venv "$venv"
fi
what="pip install -r tests/engines/requirements.txt (airspeed-ext)"
if [[ ! -f "$req_stamp" || "$(cat "$req_stamp")" != "$(sha "$here/requirements.txt")" ]]; then
  step "$what" "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    -r "$here/requirements.txt"
  sha "$here/requirements.txt" >"$req_stamp"
else
  up_to_date "$what"
fi

# --- Node ---------------------------------------------------------------------
npm_ci_if_changed "$here"
