#!/usr/bin/env bash
# Sets up, then builds the demo site into output/. With "serve", also serves it at
# http://127.0.0.1:8000/party/ (Ctrl+C stops).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "${1:-}" = "serve" ]; then
  shift
  exec .venv/bin/sitegen serve "$@"
fi
.venv/bin/sitegen build "$@"
