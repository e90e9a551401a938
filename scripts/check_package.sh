#!/usr/bin/env bash
# The package as a user gets it: build the sdist and the wheel (the wheel from the sdist), install the
# wheel into a clean venv that holds only the wheel's declared dependencies (hard-linked from .venv:
# the same CPU torch and tested pins), then, outside the source tree, run `qa --help`, `qa index` on
# the sample corpus and one `qa ask`. Run by scripts/test.sh; about 9 minutes when pip unpacked
# every dependency again on the busy shared machine, hence the links.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
start=$SECONDS
step() { echo "[package check, $((SECONDS - start)) s] $*"; }

step "python -m build: sdist, then the wheel built from it"
if ! .venv/bin/python -m build --outdir "$work/dist" . >"$work/build.log" 2>&1; then
  cat "$work/build.log"
  exit 1
fi
ls "$work/dist"
wheel=$(ls "$work"/dist/*.whl)

step "clean venv; the wheel's dependencies (Requires-Dist, recursively) hard-linked from .venv"
python3 -m venv "$work/venv"
.venv/bin/python scripts/link_dependencies.py "$wheel" "$work/venv"
step "pip install -c constraints.txt <the wheel>, then pip check"
"$work/venv/bin/python" -m pip install -q -c constraints.txt "$wheel"
"$work/venv/bin/python" -m pip check
"$work/venv/bin/python" -c "import torch; assert torch.__version__.endswith('+cpu'), torch.__version__"

cd "$work"  # away from the source tree: `import qa` can only be the installed wheel
"$work/venv/bin/python" -c "import qa, sys; assert qa.__file__.startswith(sys.prefix), qa.__file__"
step "the installed package carries its data files (selector weights, the int8 export's channel maxima)"
"$work/venv/bin/python" - <<'EOF'
import importlib.util, pathlib

root = pathlib.Path(importlib.util.find_spec("qa").origin).parent
missing = [name for name in ("selector.json", "int8_smoothing.npz") if not (root / name).is_file()]
assert not missing, f"not in the wheel: {missing}"
print(f"  {root}: selector.json, int8_smoothing.npz")
EOF
step "imports: the chat page (gradio), the JSON API (fastapi, fastapi-offline), the LangChain retriever"
"$work/venv/bin/python" -c "import gradio, qa.app, qa.langchain; from qa.http_api import create_api; create_api(None)"
step "qa --help"
"$work/venv/bin/qa" --help >/dev/null
step "qa index --corpus corpus (the sample articles)"
cp -r "$root/corpus" corpus
"$work/venv/bin/qa" index --corpus corpus --index index --quiet
step "qa ask --json"
"$work/venv/bin/qa" ask "Huyện Gia Lâm đã thực hiện bao nhiêu cuộc kiểm tra công tác CCHC?" --json >answer.json
"$work/venv/bin/python" - <<'EOF'
import json

answer = json.load(open("answer.json", encoding="utf-8"))
assert answer["found"] and answer["citations"][0]["doc_id"] == "001_be070d682d0e8f1f.txt", answer
print(f"  {answer['text']}")
EOF
step "done: the wheel installs and answers"
