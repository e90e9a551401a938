#!/usr/bin/env bash
# Install everything into .venv (CPU torch, the package, test tools, Chromium) and run the tests.
# Arguments go to pytest: `bash scripts/test.sh -m "not slow"` runs only the fast unit tests.
# With no arguments it first builds the wheel and the sdist and tries the wheel in a clean venv.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# torch first and exact: this takes the local CPU wheel (an open range would pull GBs of CUDA packages);
# constraints.txt pins everything else to the versions tested (pyproject.toml only has ranges).
.venv/bin/python -m pip install -q -c constraints.txt torch==2.13.0
.venv/bin/python -m pip install -q -c constraints.txt -e ".[dev]"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -q && apt-get install -y -q chromium) >/dev/null
  else
    echo "Chromium is missing and this is not root: browser tests will be skipped (apt-get install chromium)" >&2
  fi
fi
if [ $# -eq 0 ]; then
  # The full run (what CI runs) also checks the package as a user gets it: wheel, sdist, clean install.
  bash scripts/check_package.sh
fi
exec .venv/bin/python -m pytest "$@"
