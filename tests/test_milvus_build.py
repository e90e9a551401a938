"""`qa index --store milvus-lite:PATH`: a whole build, load, answer and rebuild through Milvus Lite."""

from __future__ import annotations

import pytest

import qa
from qa.build import build_index
from qa.errors import InvalidArgumentError
from qa.faiss_store import FaissStore

pytest.importorskip("pymilvus", reason="the milvus extra is in the dev extra CI installs")
pytest.importorskip("milvus_lite", reason="the milvus extra is in the dev extra CI installs")


def _collections(spec: str) -> list[str]:
    from qa.milvus_store import connect

    client = connect(spec)
    try:
        return sorted(client.list_collections())
    finally:
        client.close()


def test_build_load_and_rebuild_through_milvus_lite(tiny_corpus, tmp_path, fake):
    spec = f"milvus-lite:{tmp_path}/milvus/store.db"
    faiss_index = build_index(tiny_corpus, tmp_path / "faiss", model=fake, progress=False)
    built = build_index(tiny_corpus, tmp_path / "index", model=fake, progress=False, store=spec)
    assert built.manifest["store"]["kind"] == "milvus-lite" and not isinstance(built.store, FaissStore)
    assert not any(p.suffix == ".db" for p in (tmp_path / "index").rglob("*"))  # the folder holds the manifest
    question = faiss_index.chunks[0].text.split(".")[0]
    # The same vectors and the same fusion: the same passages as the default store, best first.
    expected = [(h.doc_id, h.start) for h in faiss_index.retrieve(question, k=3)]
    assert [(h.doc_id, h.start) for h in built.retrieve(question, k=3)] == expected

    loaded = qa.load(tmp_path / "index", model=fake)
    assert [(h.doc_id, h.start) for h in loaded.retrieve(question, k=3)] == expected
    first = built.manifest["store"]["collections"]
    assert len(_collections(spec)) == 3

    # A rebuild without --store stays in Milvus, re-embeds nothing unchanged, and drops the
    # collections of the index it replaced (only those: another index's set is kept).
    other = build_index(tiny_corpus, tmp_path / "other", model=fake, progress=False, store=spec)
    fake.embedded.clear()
    rebuilt = build_index(tiny_corpus, tmp_path / "index", model=fake, progress=False)
    assert rebuilt.manifest["store"]["kind"] == "milvus-lite" and fake.embedded == []
    names = _collections(spec)
    assert not any(n.startswith(first) for n in names)
    assert sum(n.startswith(other.manifest["store"]["collections"]) for n in names) == 3
    assert [(h.doc_id, h.start) for h in rebuilt.retrieve(question, k=3)] == expected


def test_bad_store_fails_before_embedding(tiny_corpus, tmp_path, fake):
    for spec, words in ((f"milvus-lite:{tmp_path}/store.txt", ".db"), ("qdrant:x", "must be one of")):
        with pytest.raises(InvalidArgumentError, match=words):
            build_index(tiny_corpus, tmp_path / "index", model=fake, progress=False, store=spec)
    assert fake.embedded == []
