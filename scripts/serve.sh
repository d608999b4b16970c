#!/usr/bin/env bash
# Production layout on http://localhost:8501 (or $PORT): one Streamlit process per core behind nginx.
# Sets up .venv like run.sh; installs nginx from Debian when it is missing (needs root and apt).
# Ctrl-C (or SIGTERM) stops nginx and every Streamlit process. Extra arguments go to
# `python -m corridors serve` (--workers N, --run-dir DIR, --host ADDR, --post-script-gc).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[serve] installing nginx (Debian package)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx
  else
    echo "[serve] nginx is missing: install it (sudo apt-get install nginx) and run this again" >&2
    exit 2
  fi
fi
exec .venv/bin/python -m corridors serve --port "${PORT:-8501}" "$@"
