"""The Milvus store behind the store protocol, with stand-ins for the protocol's `StoreRows` and `Where`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from qa.errors import CorruptIndexError
from qa.milvus_vectorstore import MilvusVectorStore
from qa.vietnamese import Abbreviations

pytest.importorskip("pymilvus", reason="the milvus extra is in the dev extra CI installs")
pytest.importorskip("milvus_lite", reason="the milvus extra is in the dev extra CI installs")


@dataclass
class Rows:  # the fields of qa.vectorstore.StoreRows
    rows: np.ndarray
    doc_ids: list
    sources: list
    dates: list
    vectors: np.ndarray
    sentence_spans: np.ndarray
    sentence_vectors: np.ndarray
    keyword_texts: list


@dataclass
class Where:  # the fields of qa.vectorstore.Where the Milvus store reads
    sources: frozenset
    date_from: str | None
    date_to: str | None
    mask: np.ndarray | None = None


def _unit(*values):
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def _rows():
    vectors = np.stack([_unit(1, 0, 0, 0), _unit(0, 1, 0, 0), _unit(0, 0, 1, 1)])
    spans = np.array([[0, 0, 10], [0, 11, 30], [1, 0, 20], [2, 0, 15]], dtype=np.int32)
    sentence_vectors = np.stack([_unit(1, 0, 0, 0), _unit(1, 1, 0, 0), _unit(0, 1, 0, 0), _unit(0, 0, 1, 0)])
    return Rows(np.arange(3), ["a", "b", "c"], ["a.txt", "b.txt", "c.txt"], ["2024-01-05", "2023-03-01", None],
                vectors, spans, sentence_vectors,
                ["Xã An Bình\nỦy ban nhân dân xã giải quyết hồ sơ", "Huyện Bình Minh\nkhánh thành trường học",
                 "Phường Đông Hòa\ndịch vụ công trực tuyến"])


def test_build_save_load_round_trip(tmp_path):
    spec = f"milvus-lite:{tmp_path}/store.db"
    built = MilvusVectorStore.create(spec, 4, faiss="auto", abbreviations=Abbreviations({"UBND": "ủy ban nhân dân"}))
    built.add(_rows())
    entry = built.save(tmp_path)
    assert entry["kind"] == "milvus-lite" and entry["collections"].startswith("qa_")
    assert entry["abbreviations"] == {"UBND": "ủy ban nhân dân"}
    query = _unit(1, 0.2, 0, 0)
    assert [r for r, _ in built.search("passage", query, 2)] == [0, 1]
    assert built.search("sentence", query, 3)[0][0] == 0
    assert [r for r, _ in built.search("passage", query, 3, Where(frozenset({"b.txt"}), None, None))] == [1]
    assert [r for r, _ in built.search("sentence", query, 3, Where(frozenset(), "2024-01-01", None))] == [0]
    assert built.keyword_search("UBND giai quyet ho so", 3)[0][0] == 0
    built.store.close()

    loaded = MilvusVectorStore.load(tmp_path, {"store": entry})
    try:
        assert len(loaded) == 3
        assert np.allclose(loaded.vectors("passage"), _rows().vectors)
        assert np.allclose(loaded.vectors("sentence"), _rows().sentence_vectors)
        assert loaded.sentence_spans().tolist() == _rows().sentence_spans.tolist()
        assert np.allclose(loaded.sentence_vector(0, 11), _unit(1, 1, 0, 0))
        assert loaded.sentence_vector(0, 5) is None
        assert loaded.abbreviation_pairs() == {"UBND": "ủy ban nhân dân"}
        assert [r for r, _ in loaded.keyword_search("truong hoc", 3, where=Where(frozenset(), None, "2023-12-31"))] == [1]
        loaded.delete(["a"])
        assert [r for r, _ in loaded.search("passage", query, 3)] == [1, 2]
        # A second build gets its own collections; prune drops the first once nothing names it.
        second = MilvusVectorStore.create(spec, 4, client=loaded.store.client)
        assert second.store.name != loaded.store.name
        assert second.prune(keep=[]) == [loaded.store.name]
        assert not loaded.store.client.has_collection(loaded.store.collections["passage"])
    finally:
        loaded.store.close()


def test_load_refuses_a_malformed_entry(tmp_path):
    with pytest.raises(CorruptIndexError, match="store entry"):
        MilvusVectorStore.load(tmp_path, {"store": "milvus-lite:x.db"})


def _article_rows(row: int, doc_id: str, vectors: np.ndarray, sentence_vectors: np.ndarray, spans) -> Rows:
    return Rows(np.array([row]), [doc_id], [f"{doc_id}.txt"], ["2024-01-05"], vectors[None, :],
                np.array([[row, a, b] for a, b in spans], dtype=np.int32), sentence_vectors,
                [f"Bài {doc_id}\nỦy ban nhân dân xã giải quyết hồ sơ"])


def test_add_after_delete_keeps_other_articles_sentences(tmp_path):
    """Sentence ids follow the highest stored id, not the count: after a delete the count is lower,
    and ids from it on would overwrite (upsert) another article's sentences."""
    store = MilvusVectorStore.create(f"milvus-lite:{tmp_path}/store.db", 4)
    try:
        a_sentences = np.stack([_unit(1, 0, 0, 0), _unit(1, 1, 0, 0)])
        b_sentences = np.stack([_unit(0, 0, 1, 0), _unit(0, 0, 1, 1), _unit(0, 0, 0, 1)])
        b_spans = [(0, 12), (13, 40), (41, 50)]
        store.add(Rows(np.arange(2), ["a", "b"], ["a.txt", "b.txt"], ["2024-01-05", "2023-03-01"],
                       np.stack([_unit(1, 0, 0, 0), _unit(0, 0, 1, 0)]),
                       np.array([[0, 0, 10], [0, 11, 30], *[[1, s, e] for s, e in b_spans]], dtype=np.int32),
                       np.concatenate([a_sentences, b_sentences]), ["Bài a\nhồ sơ", "Bài b\ntrường học"]))
        store.delete(["a"])
        # A fresh object over the same collections (as after a reload) finds the next id by itself.
        again = MilvusVectorStore(store.store)
        again.add(_article_rows(2, "a", _unit(1, 0, 0, 0), a_sentences, [(0, 10), (11, 30)]))

        rows = again.store.client.query(again.store.collections["sentence"], filter="id >= 0",
                                        output_fields=["id", "chunk", "doc_id", "start", "end", "vector"], limit=100)
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids)) == 5
        b_rows = sorted((r for r in rows if r["doc_id"] == "b"), key=lambda r: r["id"])
        assert [(r["chunk"], r["start"], r["end"]) for r in b_rows] == [(1, s, e) for s, e in b_spans]
        assert np.allclose([r["vector"] for r in b_rows], b_sentences)
        a_rows = [r for r in rows if r["doc_id"] == "a"]
        assert min(r["id"] for r in a_rows) > max(r["id"] for r in b_rows)
        assert again.sentence_spans().tolist() == [[1, s, e] for s, e in b_spans] + [[2, 0, 10], [2, 11, 30]]
        assert np.allclose(again.vectors("sentence"), np.concatenate([b_sentences, a_sentences]))
        assert again.search("sentence", _unit(0, 0, 1, 1), 1)[0][0] == 1
        # The next add continues after these ids without asking Milvus again.
        assert again._next_sentence == max(ids) + 1
    finally:
        store.store.close()


@pytest.mark.parametrize("ids", [[], [0], [5], [0, 1, 2], [3, 17, 1000, 1001, 65_537]])
def test_max_id_finds_the_highest_stored_id(tmp_path, ids):
    store = MilvusVectorStore.create(f"milvus-lite:{tmp_path}/store.db", 4)
    try:
        if ids:
            store.store.client.upsert(store.store.collections["sentence"], [
                {"id": i, "chunk": 0, "doc_id": "a", "source": "a.txt", "date": 0, "start": 0, "end": 1,
                 "vector": _unit(1, 0, 0, 0).tolist()} for i in ids])
        assert store._max_id("sentence") == (max(ids) if ids else -1)
    finally:
        store.store.close()


def test_reading_back_finds_rows_past_a_wide_gap_of_ids(tmp_path):
    """After deletes, ids can be far sparser than the row count: reading a channel back still finds them all."""
    store = MilvusVectorStore.create(f"milvus-lite:{tmp_path}/store.db", 4)
    try:
        ids = [0, 1, 250_000]  # 3 rows, the last far beyond 4 x count + one page
        store.store.client.upsert(store.store.collections["sentence"], [
            {"id": i, "chunk": k, "doc_id": "a", "source": "a.txt", "date": 0, "start": k, "end": k + 1,
             "vector": _unit(1, k, 0, 0).tolist()} for k, i in enumerate(ids)])
        assert store.sentence_spans().tolist() == [[0, 0, 1], [1, 1, 2], [2, 2, 3]]
        assert np.allclose(store.vectors("sentence"), [_unit(1, k, 0, 0) for k in range(3)])
    finally:
        store.store.close()
