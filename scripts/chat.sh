#!/usr/bin/env bash
# Install everything into .venv and start the chat page on the sample corpus (http://127.0.0.1:7860).
# The index is built on first start, and updated when the corpus changed. Arguments go to ui.py.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# torch first and exact (the local CPU wheel); constraints.txt pins the rest to the tested versions.
.venv/bin/python -m pip install -q -c constraints.txt torch==2.13.0
.venv/bin/python -m pip install -q -c constraints.txt -e .
exec .venv/bin/python ui.py "$@"
