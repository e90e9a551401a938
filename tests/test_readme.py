"""The README's Python quickstart is the contract: every code block of it runs as written."""

import re

import pytest
from conftest import ROOT, SAMPLE_CORPUS

ONE_CALL = re.compile(r"^qa\.(retrieve|answer)\(", re.MULTILINE)


def _quickstart_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_readme_has_a_quickstart_with_one_call_functions():
    blocks = _quickstart_blocks()
    assert blocks and any(ONE_CALL.search(b) for b in blocks)


@pytest.mark.slow
def test_readme_quickstart_runs_and_one_call_functions_work_repeatedly(tmp_path, monkeypatch):
    import shutil

    import qa

    shutil.copytree(SAMPLE_CORPUS, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    for block in _quickstart_blocks():
        scope: dict = {}
        exec(compile(block, "README.md", "exec"), scope)  # noqa: S102 - the README is ours
        # Each one-call function again, twice: the second call is where it used to break.
        calls = [line for line in block.splitlines() if ONE_CALL.match(line)]
        for _ in range(2):
            for line in calls:
                result = eval(line.split("#")[0].strip(), scope)  # noqa: S307
                assert result is not None
    assert callable(qa.answer) and callable(qa.retrieve)
    question = "Huyện Gia Lâm đã thực hiện bao nhiêu cuộc kiểm tra công tác CCHC?"
    one_call, loaded = qa.answer(question, index_dir="index"), qa.load("index").answer(question)
    assert (one_call.found, one_call.text, one_call.confidence) == (loaded.found, loaded.text, loaded.confidence)
    assert one_call.found and "20 cuộc kiểm tra" in one_call.text
