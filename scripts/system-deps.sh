#!/usr/bin/env bash
# System packages the test suite needs: Debian's chromium for the browser tests (Playwright's own browser
# download does not work here). Installs them when missing and we are root with apt; otherwise says what
# is missing and carries on (the browser tests then fail with a clear message).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "system-deps: please install ${missing[*]} (as root: apt-get install ${missing[*]})" >&2
fi
