#!/usr/bin/env bash
# The package as a user gets it: build the sdist and the wheel (the wheel from the sdist), install the
# wheel into a clean venv (the CPU torch of .venv, the tested pins of constraints.txt), then, outside the source
# tree, run `qa --help`, `qa index` on the sample corpus and one `qa ask`. Run by scripts/test.sh.
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

step "clean venv, with .venv's CPU torch hard-linked in (unpacking its 1 GB again takes minutes)"
python3 -m venv "$work/venv"
.venv/bin/python - "$work/venv" <<'PY'
import importlib.metadata as md, os, shutil, sys, sysconfig
from pathlib import Path

torch = md.distribution("torch")
target = Path(sysconfig.get_path("purelib", vars={"base": sys.argv[1], "platbase": sys.argv[1]}))
for file in torch.files:  # every file the torch wheel installed, as listed in its RECORD
    if str(file).startswith(".."):
        continue  # console scripts in bin/: not needed here
    src, dst = Path(torch.locate_file(file)), target / file
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:  # another file system: copy
        shutil.copy2(src, dst)
print(f"  torch {torch.version} linked into {target}")
PY
step "pip install -c constraints.txt <the wheel>: every other dependency from the wheel's metadata"
"$work/venv/bin/python" -m pip install -q -c constraints.txt "$wheel"
"$work/venv/bin/python" -c "import torch; assert torch.__version__.endswith('+cpu'), torch.__version__"

cd "$work"  # away from the source tree: `import qa` can only be the installed wheel
"$work/venv/bin/python" -c "import qa, sys; assert qa.__file__.startswith(sys.prefix), qa.__file__"
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
