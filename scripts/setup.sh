#!/usr/bin/env bash
# Creates .venv/ beside this repository's pyproject.toml and installs sitegen into it
# (editable, with the test tools). Safe to run again: when pyproject.toml has not changed
# since the last install into this .venv, it does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.sitegen-setup
want="$(pwd) $(cksum < pyproject.toml) $(python3 --version 2>&1)"
if [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
printf '%s\n' "$want" > "$stamp"
