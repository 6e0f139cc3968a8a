# Sourced by the test installers (tests/*/install.sh): quiet steps that show their output only
# when they fail, and `npm ci` only when a folder's package-lock.json changed.

_install_log="$(mktemp)"
trap 'rm -f "$_install_log"' EXIT

run() { # run quietly; on failure show the output and stop
  if ! "$@" >"$_install_log" 2>&1; then
    echo "install.sh: failed: $*" >&2
    cat "$_install_log" >&2
    exit 1
  fi
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

npm_ci_if_changed() { # npm_ci_if_changed DIR: DIR/node_modules from DIR/package-lock.json
  local dir="$1" stamp="$1/node_modules/.package-lock.sha256"
  if [[ ! -d "$dir/node_modules" || ! -f "$stamp" \
        || "$(cat "$stamp")" != "$(sha "$dir/package-lock.json")" ]]; then
    (cd "$dir" && run npm ci --no-audit --no-fund --loglevel=error)
    sha "$dir/package-lock.json" >"$stamp"
  fi
}
