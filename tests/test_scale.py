"""The scale benchmark (scripts/scale.py) end to end at 50 passages, into FAISS and into Milvus Lite.

The fake embedder stands in for the model (the script's own query process, a real subprocess,
never loads one), so this stays a fast test; the figures themselves are only checked for sanity.
"""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT, FakeEmbedder

sys.path.insert(0, str(ROOT / "scripts"))
import scale  # noqa: E402

FIELDS = ("passages", "sentences", "store", "store_value", "store_bytes", "milvus_index_type", "faiss",
          "faiss_passage", "faiss_sentence", "build_s", "index_bytes", "rss_mb", "p50_ms", "p95_ms",
          "filtered_p50_ms", "filtered_p95_ms", "ann_recall_at_10", "timed_questions", "latency_sample")


def _run(monkeypatch, **options) -> dict:
    monkeypatch.chdir(ROOT)  # the script reads corpus/ and tests/data/questions.jsonl from here
    monkeypatch.setattr("qa.embed.load_embedder", lambda *a, **k: FakeEmbedder())
    return scale.run(50, faiss=None, mlqa=None, vectors_from=None, rounds=1, **options)


def _sane(out: dict, timed: int) -> None:
    assert set(FIELDS) <= set(out)
    assert out["passages"] == 50 and out["sentences"] >= 150  # 3-6 sentences each
    assert out["index_bytes"] > 0 and out["build_s"] >= 0 and out["rss_mb"] > 0
    assert 0 <= out["ann_recall_at_10"] <= 1
    assert 0 < out["p50_ms"] <= out["p95_ms"] and 0 < out["filtered_p50_ms"] <= out["filtered_p95_ms"]
    assert out["timed_questions"] == timed and out["latency_sample"] == timed  # one round


def test_scale_into_faiss(monkeypatch):
    import faiss

    before = faiss.omp_get_max_threads()
    out = _run(monkeypatch, timed_questions=5, build_threads=before + 1)
    _sane(out, 5)
    assert out["build_threads"] == before + 1  # the build's FAISS threads, and only the build's:
    assert faiss.omp_get_max_threads() == before
    assert out["store"] == "faiss" and out["store_value"] == "faiss"
    assert out["faiss_passage"]["kind"] == "flat" and out["store_bytes"] is None and out["milvus_index_type"] is None


def test_scale_into_milvus_lite(monkeypatch, tmp_path):
    pytest.importorskip("pymilvus", reason="the milvus extra is in the dev extra CI installs")
    pytest.importorskip("milvus_lite", reason="the milvus extra is in the dev extra CI installs")
    out = _run(monkeypatch, store=f"milvus-lite:{tmp_path}/scale.db", timed_questions=3)
    _sane(out, 3)
    assert out["store"] == "milvus-lite" and out["store_value"] == f"milvus-lite:{tmp_path}/scale.db"
    assert out["milvus_index_type"] == "FLAT" and out["ann_recall_at_10"] == 1.0  # FLAT is exact
    assert 0 < out["store_bytes"] < out["index_bytes"]  # the .db is counted in the index size
    assert out["faiss"] is None and out["faiss_passage"] is None and out["faiss_sentence"] is None


def test_store_spec_defaults_beside_the_index(tmp_path):
    assert scale.store_spec(None, tmp_path / "scale-10") == (None, None)
    assert scale.store_spec("faiss", tmp_path / "scale-10") == (None, None)
    value, db = scale.store_spec("milvus-lite", tmp_path / "scale-10")
    assert db == tmp_path / "scale-10-milvus" / "store.db" and value == f"milvus-lite:{db}"
