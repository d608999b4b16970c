#!/usr/bin/env bash
# Create .venv (Python 3.11+) and install the pinned requirements into it. Idempotent.
# Usage: bash scripts/setup.sh [requirements file]   (default: requirements.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
reqs="${1:-requirements.txt}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=".venv/.installed-$(basename "$reqs")"
if [ ! -f "$stamp" ] || [ "$reqs" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$reqs"
  touch "$stamp"
fi
