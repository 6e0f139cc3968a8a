#!/usr/bin/env bash
# Idempotent installer of Debian's chromium, pinned to one exact version, for the browser tests
# (tests/console, tests/diagrams: both call this). Skipped when /usr/bin/chromium already is the
# pinned version; otherwise apt-get installs chromium and chromium-common at that version.
# One line per step with its time (tests/lib/install.sh); prints the failing step's output on error.
#
# The pin is the version in bookworm's main archive, which changes only at Debian point releases
# (bookworm-security's changes with every Chromium update, and the archive keeps only the newest).
# When the pinned version is no longer offered this fails and lists what is: update CHROMIUM_VERSION.
set -euo pipefail

CHROMIUM_VERSION="150.0.7871.100-1~deb12u1"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/install.sh
source "$here/../lib/install.sh"

upstream="${CHROMIUM_VERSION%%-*}" # 150.0.7871.100
have="$(/usr/bin/chromium --version 2>/dev/null || true)" # "Chromium 150.0.7871.100 built on Debian ..."
if [[ "$have" != "Chromium $upstream "* ]]; then
  sudo=()
  [[ "$(id -u)" == 0 ]] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  step "apt-get update (for chromium)" "${sudo[@]}" apt-get update
  if ! apt-cache madison chromium | grep -qF "| $CHROMIUM_VERSION |"; then
    echo "install.sh: chromium=$CHROMIUM_VERSION is no longer offered by apt; it has:" >&2
    apt-cache madison chromium >&2
    echo "install.sh: update CHROMIUM_VERSION in $here/install.sh" >&2
    exit 1
  fi
  # chromium-common must be the same version; pinning it keeps apt from pairing it with the newest.
  step "chromium $CHROMIUM_VERSION (apt-get install)" "${sudo[@]}" apt-get install -y \
    --no-install-recommends --allow-downgrades \
    "chromium=$CHROMIUM_VERSION" "chromium-common=$CHROMIUM_VERSION"
  have="$(/usr/bin/chromium --version 2>/dev/null || true)"
  if [[ "$have" != "Chromium $upstream "* ]]; then
    echo "install.sh: /usr/bin/chromium reports '$have', expected Chromium $upstream" >&2
    exit 1
  fi
else
  up_to_date "chromium $CHROMIUM_VERSION"
fi
