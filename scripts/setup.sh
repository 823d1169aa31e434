#!/usr/bin/env bash
# Creates .venv/ beside this repository's pyproject.toml and installs sitegen into it
# (editable, with the test tools). Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
