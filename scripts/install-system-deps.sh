#!/usr/bin/env bash
# Installs the Debian packages the tests run for real, without starting their services:
# a packaged nginx or Apache would otherwise bind every address on port 80, and tests
# must only ever listen on 127.0.0.0/8. Idempotent and non-interactive (CI runs it as root).
set -euo pipefail

missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
  echo "system packages present: $*"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "missing Debian packages: ${missing[*]}; run 'sudo $0 ${missing[*]}'" >&2
  exit 1
fi

policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  created_policy=1
fi
cleanup() { if ((created_policy)); then rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Belt and braces: if anything started anyway, stop it.
for service in nginx apache2; do
  if command -v "$service" >/dev/null 2>&1 && pgrep -x "$service" >/dev/null 2>&1; then
    (service "$service" stop || pkill -x "$service" || true) >/dev/null 2>&1
  fi
done
echo "installed: ${missing[*]}"
