#!/usr/bin/env bash
# Set up (first time) and run the whole test suite: unit, AppTest and browser tests.
# Browser tests drive Debian's Chromium (/usr/bin/chromium); it is installed here when missing (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests…"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "warning: /usr/bin/chromium is missing and cannot be installed here; browser tests will be skipped" >&2
  fi
fi
# axe-core (npm) is injected into pages by the accessibility tests: installed from tests/package-lock.json.
if [ ! -f tests/node_modules/axe-core/axe.min.js ]; then
  if ! command -v npm >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's npm for the accessibility tests…"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  fi
  if command -v npm >/dev/null; then
    (cd tests && npm ci --no-audit --no-fund --silent)
  else
    echo "warning: npm is missing; the accessibility (axe-core) tests will be skipped" >&2
  fi
fi
# The serving tests (tests/test_serve*.py) start nginx in front of the app: installed here when missing.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's nginx for the serving tests…"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
  else
    echo "warning: nginx is missing and cannot be installed here; the serving tests will be skipped" >&2
  fi
fi
# Lint and format check first (pyproject.toml [tool.ruff]): a style slip fails fast, before the long suite.
.venv/bin/ruff check --quiet .
.venv/bin/ruff format --check --quiet .
exec .venv/bin/python -m pytest "$@"
