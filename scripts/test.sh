#!/usr/bin/env bash
# Install everything into .venv (CPU torch, the package, test tools, Chromium) and run the tests.
# Arguments go to pytest: `bash scripts/test.sh -m "not slow"` runs only the fast unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# torch first and pinned: this takes the CPU wheel; an open range would pull GBs of CUDA packages.
.venv/bin/python -m pip install -q torch==2.13.0
.venv/bin/python -m pip install -q -e ".[dev]"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -q && apt-get install -y -q chromium) >/dev/null
  else
    echo "Chromium is missing and this is not root: browser tests will be skipped (apt-get install chromium)" >&2
  fi
fi
exec .venv/bin/python -m pytest "$@"
