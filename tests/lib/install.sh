# Sourced by the test installers (tests/*/install.sh) and scripts/test: one line per install
# step, with its time ("install: cfn-lint (tests/lint/requirements.txt) ... 12.3 s", or "... up to
# date" when there is nothing to do; the name is printed first, so a long step is not silence),
# the step's own output only when it fails; and `npm ci` only when a folder's package-lock.json
# changed.

_install_log="$(mktemp)"
_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
trap 'rm -f "$_install_log"' EXIT

_elapsed() { # _elapsed START: seconds since START (an $EPOCHREALTIME), one decimal
  awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

step() { # step WHAT COMMAND...: run COMMAND quietly as the install step WHAT; on failure show its output and stop
  local what="$1" started="$EPOCHREALTIME"
  shift
  printf 'install: %s ... ' "$what"
  if ! "$@" >"$_install_log" 2>&1; then
    echo "failed after $(_elapsed "$started") s"
    echo "install: failed: $*" >&2
    cat "$_install_log" >&2
    exit 1
  fi
  echo "$(_elapsed "$started") s"
}

up_to_date() { # up_to_date WHAT: the install step WHAT has nothing to do
  echo "install: $1 ... up to date"
}

run() { # run quietly; on failure show the output and stop (a part of a step, no line of its own)
  if ! "$@" >"$_install_log" 2>&1; then
    echo "install.sh: failed: $*" >&2
    cat "$_install_log" >&2
    exit 1
  fi
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

in_dir() { # in_dir DIR COMMAND...: COMMAND run in DIR
  (cd "$1" && shift && "$@")
}

npm_ci_if_changed() { # npm_ci_if_changed DIR: DIR/node_modules from DIR/package-lock.json
  local dir="$1" stamp="$1/node_modules/.package-lock.sha256"
  local what="npm ci (${dir#"$_repo/"}/package-lock.json)"
  if [[ ! -d "$dir/node_modules" || ! -f "$stamp" \
        || "$(cat "$stamp")" != "$(sha "$dir/package-lock.json")" ]]; then
    step "$what" in_dir "$dir" npm ci --no-audit --no-fund --loglevel=error
    sha "$dir/package-lock.json" >"$stamp"
  else
    up_to_date "$what"
  fi
}
