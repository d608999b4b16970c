#!/usr/bin/env bash
# Set up (first time) and start the dashboard on http://localhost:8501 . Works with no internet once installed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
# app.py, with a "no such page" for addresses that are not its pages (corridors/serve/asgi.py)
exec .venv/bin/streamlit run corridors/serve/asgi.py "$@"
