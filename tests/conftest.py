"""Shared fixtures: a deterministic fake embedder, tiny corpora, and the real model's sample index."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = ROOT / "corpus"
QUESTIONS = ROOT / "tests" / "data" / "questions.jsonl"


class FakeEmbedder:
    """Bag of accent-folded syllables hashed into 64 dimensions: same words, same vector."""

    model_id = "fake/bag-of-syllables"
    dim = 64
    max_tokens = 60
    query_prompt = ""
    passage_prompt = ""

    def __init__(self):
        self.embedded: list[str] = []  # every passage text embedded, to check incremental builds

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def _vector(self, text: str) -> np.ndarray:
        from qa.text import folded_syllables

        v = np.zeros(self.dim, dtype=np.float32)
        for word in folded_syllables(text):
            v[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norm = np.linalg.norm(v)
        return v / norm if norm else v

    def embed_passages(self, texts, *, batch_size=32, progress=False):
        self.embedded.extend(texts)
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text):
        return self._vector(text)


TINY = {
    "a.txt": "Xã An Bình tổ chức hội nghị\nNgày đăng 01/02/2024 | 08:00\n\nỦy ban nhân dân xã An Bình đã giải "
             "quyết 120 hồ sơ đúng hạn trong quý một.\n\nĐảng uỷ xã chỉ đạo cải cách hành chính (CCHC) quyết liệt.\n\nLan Anh",
    "b.txt": "Huyện Bình Minh xây dựng trường học\n\nHuyện Bình Minh khánh thành 3 trường học mới trong năm 2023.\n\n"
             "Tổng kinh phí đầu tư là 45 tỷ đồng.",
    "sub/c.md": "# Phường Đông Hòa chuyển đổi số\n\nPhường Đông Hòa triển khai dịch vụ công trực tuyến toàn trình. "
                "Tỷ lệ hồ sơ trực tuyến đạt 85%.",
}


@pytest.fixture
def fake():
    return FakeEmbedder()


@pytest.fixture
def tiny_corpus(tmp_path) -> Path:
    root = tmp_path / "corpus"
    for name, text in TINY.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def real_embedder():
    from qa.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def default_embedder():
    """The encoder a user gets with no options (int8 ONNX of the bundled model, exported on first use)."""
    from qa.embed import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory, default_embedder):
    """The sample corpus indexed with the real default model, once per test session."""
    import qa

    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(SAMPLE_CORPUS, root / "corpus")
    return qa.build_index(root / "corpus", root / "index", model=default_embedder, progress=False)


@pytest.fixture(scope="session")
def questions():
    import json

    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def answers(sample_index, questions):
    """Each question of the set answered once with the real model."""
    return {q["question"]: sample_index.answer(q["question"]) for q in questions}


@pytest.fixture(scope="session")
def sentences(questions):
    """300+ texts to compare two encoders on: the sample articles' sentences, the questions, unaccented copies."""
    from qa.ingest import read_corpus
    from qa.sentences import split_sentences
    from qa.text import strip_diacritics

    out = []
    for article in read_corpus(SAMPLE_CORPUS)[0]:
        out += [s for s in split_sentences(article.text) if len(s) > 3]
    out += [q["question"] for q in questions]
    out += [strip_diacritics(s) for s in out[:150]]  # the unaccented text users type
    return out
