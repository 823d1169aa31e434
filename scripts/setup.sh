#!/usr/bin/env bash
# Creates .venv/ beside this repository's pyproject.toml and installs sitegen into it
# (editable, with the test tools). Safe to run again: when pyproject.toml has not changed
# since the last install into this .venv, it does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's libjpeg-turbo-progs: jpegtran turns a photo's downloadable original upright without
# encoding it again, djpeg reads a photo through to find damage for `sitegen check` (jpeg_data.py).
# Without them sitegen still works: such an original is encoded again (quality 92), and check
# finds only a photo cut short.
if ! command -v jpegtran >/dev/null 2>&1 || ! command -v djpeg >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then
    as_root=(); [ "$(id -u)" = 0 ] || as_root=(sudo -n)
    printf 'scripts/setup.sh: installing libjpeg-turbo-progs (Debian package: jpegtran, djpeg)\n' >&2
    { "${as_root[@]}" apt-get update -qq &&
      "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        libjpeg-turbo-progs >/dev/null; } || printf 'scripts/setup.sh: could not install libjpeg-turbo-progs\n' >&2
  else
    printf 'scripts/setup.sh: missing jpegtran and djpeg; install them as root: apt-get install libjpeg-turbo-progs\n' >&2
  fi
fi
stamp=.venv/.sitegen-setup
want="$(pwd) $(cksum < pyproject.toml) $(python3 --version 2>&1)"
if [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
printf '%s\n' "$want" > "$stamp"
