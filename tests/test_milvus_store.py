"""The Milvus store against Milvus Lite in a temporary folder: channels, filters, deletes, reopening, bad URIs."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from qa.errors import CorruptIndexError, InvalidArgumentError
from qa.milvus_store import (
    MilvusStore,
    MilvusUnavailableError,
    MissingExtraError,
    PassageRow,
    SentenceRow,
    StoreSpec,
    channel_scores,
    connect,
    fill_from_index,
    filter_expression,
    keyword_text,
    parse_store,
)
from qa.sentences import sentence_spans
from qa.text import normalize
from qa.vietnamese import Abbreviations

pytest.importorskip("pymilvus", reason="the milvus extra is in the dev extra CI installs")
pytest.importorskip("milvus_lite", reason="the milvus extra is in the dev extra CI installs")

# (doc_id, source, date, title, text): three short articles, one of them undated.
ARTICLES = [
    ("a", "a.txt", "2024-02-01", "Xã An Bình tổ chức hội nghị",
     "Ủy ban nhân dân xã An Bình đã giải quyết 120 hồ sơ đúng hạn. Đảng ủy xã chỉ đạo cải cách hành chính."),
    ("b", "b.txt", "2023-06-15", "Huyện Bình Minh xây dựng trường học",
     "Huyện Bình Minh khánh thành 3 trường học mới. Tổng kinh phí đầu tư là 45 tỷ đồng."),
    ("c", "sub/c \"mới\".md", None, "Phường Đông Hòa chuyển đổi số",
     "Phường Đông Hòa triển khai dịch vụ công trực tuyến. Tỷ lệ hồ sơ trực tuyến đạt 85%."),
]


def _rows(fake, articles=ARTICLES, first_id=0):
    """One passage per article (its whole text) and one row per sentence, vectors from the fake embedder."""
    passages, sentences = [], []
    for offset, (doc_id, source, date, title, text) in enumerate(articles):
        row = first_id + offset
        passages.append(PassageRow(row, doc_id, source, date, 0, len(text), fake.embed_query(text),
                                   normalize(f"{title}\n{text}")))
        for a, b in sentence_spans(text):
            sentences.append(SentenceRow(1000 * row + a, row, doc_id, source, date, a, b,
                                         fake.embed_query(text[a:b])))
    return passages, sentences


def _doc_ids(store) -> set[str]:
    return {row["doc_id"] for collection in store.collections.values()
            for row in store.client.query(collection, filter="id >= 0", output_fields=["doc_id"], limit=100)}


@pytest.fixture(scope="module")
def lite(tmp_path_factory):
    """One Milvus Lite client for the module (it starts in about 0.2 s, but once is enough)."""
    spec = parse_store(f"milvus-lite:{tmp_path_factory.mktemp('milvus')}/test.db")
    client = connect(spec)
    yield spec, client
    client.close()


def _store(lite, name: str, fake) -> tuple[MilvusStore, list[PassageRow], list[SentenceRow]]:
    """A store of its own (collections named `name`) holding the three articles."""
    spec, client = lite
    store = MilvusStore.open(spec, dim=fake.dim, client=client, name=name,
                             abbreviations=Abbreviations({"UBND": "ủy ban nhân dân"}))
    passages, sentences = _rows(fake)
    store.add(passages, sentences)
    return store, passages, sentences


@pytest.fixture(scope="module")
def filled(lite):
    """A store holding the three articles, shared by the tests that only read (creating one takes 1.5 s)."""
    from conftest import FakeEmbedder

    store, passages, sentences = _store(lite, "shared", FakeEmbedder())
    yield store, passages, sentences
    store.drop()


# ------------------------------------------------------------------ parsing and errors
def test_parse_store_forms(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert parse_store("faiss") == StoreSpec("faiss")
    lite = parse_store("milvus-lite:data/qa.db")
    assert lite == StoreSpec("milvus-lite", str(tmp_path / "data" / "qa.db"))
    assert parse_store(lite.value) == lite  # the manifest value reads back the same
    assert parse_store("milvus://db.example:19531") == StoreSpec("milvus", "http://db.example:19531")
    assert parse_store("milvus://localhost").uri == "http://localhost:19530"
    assert parse_store("milvus://localhost").value == "milvus://localhost:19530"


@pytest.mark.parametrize("value", ["", "  ", "qdrant://x:6333", "milvus-lite:", "milvus-lite:qa.sqlite",
                                   "milvus://", "milvus://host:port", "milvus://host:99999", "milvus://u@h:1",
                                   "milvus://h:1/db", None, 3])
def test_parse_store_rejects_bad_values(value):
    with pytest.raises(InvalidArgumentError) as caught:
        parse_store(value)
    assert repr(value) in str(caught.value)


def test_missing_packages_name_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pymilvus", None)
    with pytest.raises(MissingExtraError, match=r'pip install "qa-vi\[milvus\]"'):
        connect("milvus://localhost:19530")


def test_missing_milvus_lite_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "milvus_lite", None)
    with pytest.raises(MissingExtraError, match=r'milvus-lite.*pip install "qa-vi\[milvus\]"'):
        connect("milvus-lite:/tmp/never-created/qa.db")


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(MilvusUnavailableError, match="milvus://127.0.0.1:1"):
        connect("milvus://127.0.0.1:1", timeout=1)


def test_faiss_is_not_a_milvus_store():
    with pytest.raises(InvalidArgumentError, match="faiss"):
        connect("faiss")


def test_filter_expressions():
    assert filter_expression() == ""
    assert filter_expression(sources=["b.txt", 'a "x".txt']) == 'source in ["a \\"x\\".txt", "b.txt"]'
    assert filter_expression(date_from="01/02/2024") == "date > 0 and date >= 20240201"
    assert filter_expression(sources="a.txt", date_to="2024-12-31") == \
        'source in ["a.txt"] and date > 0 and date <= 20241231'
    with pytest.raises(InvalidArgumentError, match="31/02/2024"):
        filter_expression(date_from="31/02/2024")
    with pytest.raises(InvalidArgumentError, match="sources"):
        filter_expression(sources=[1, 2])


def test_keyword_text_keeps_each_token_whole():
    words = ["xa", "la", "xa_la", "~xã", "~la", "2.354", "thu_ong"]
    assert keyword_text(words) == "xa la xa0la 0xã 0la 2354 thu0ong"
    assert keyword_text(words, "joined") == "xa la xala xã la 2354 thuong"
    with pytest.raises(InvalidArgumentError, match="'plain'"):
        keyword_text(words, "plain")


# ------------------------------------------------------------------ channels
def test_passage_channel_matches_brute_force(filled, fake):
    store, passages, _ = filled
    query = fake.embed_query("huyện bình minh khánh thành trường học")
    expected = sorted(((p.id, float(p.vector @ query)) for p in passages), key=lambda x: -x[1])
    found = store.search("passage", query, 3)
    assert [r for r, _ in found] == [r for r, _ in expected]
    assert np.allclose([s for _, s in found], [s for _, s in expected], atol=1e-5)
    assert store.search("passage", query, 0) == []


def test_sentence_channel_gives_each_passage_its_best_sentence(filled, fake):
    store, _, sentences = filled
    query = fake.embed_query("tổng kinh phí đầu tư bao nhiêu tỷ đồng")
    best: dict[int, float] = {}
    for s in sentences:
        best[s.chunk] = max(best.get(s.chunk, -1.0), float(s.vector @ query))
    expected = sorted(best.items(), key=lambda x: -x[1])
    found = store.search("sentence", query, 3)
    assert [r for r, _ in found] == [r for r, _ in expected]
    assert found[0][0] == 1 and np.isclose(found[0][1], expected[0][1], atol=1e-5)


def test_keyword_channel_with_and_without_accents(filled):
    store, _, _ = filled
    for question in ("Xã An Bình giải quyết bao nhiêu hồ sơ?", "xa an binh giai quyet bao nhieu ho so"):
        found = store.keyword_search(normalize(question), 3)
        assert found[0] == (0, 1.0)
        assert all(0 < s <= 1 for _, s in found)
    # The abbreviation table expands UBND to its full form, as in the bm25s channel.
    assert store.keyword_search("UBND giải quyết hồ sơ", 1)[0][0] == 0
    assert store.keyword_search("zzz qqq", 3) == []


def test_unknown_channel_is_refused(filled, fake):
    store, _, _ = filled
    with pytest.raises(InvalidArgumentError, match="'keyword'"):
        store.search("keyword", fake.embed_query("x"), 3)


def test_filters_by_source_and_date(filled, fake):
    store, _, _ = filled
    query = fake.embed_query("hồ sơ trực tuyến trường học xã")
    for channel in ("passage", "sentence"):
        assert {r for r, _ in store.search(channel, query, 5, sources=['sub/c "mới".md'])} == {2}
        assert {r for r, _ in store.search(channel, query, 5, sources=["a.txt", "b.txt"])} == {0, 1}
        # The undated article is left out as soon as a date filter is set.
        assert {r for r, _ in store.search(channel, query, 5, date_from="2023-01-01")} == {0, 1}
        assert {r for r, _ in store.search(channel, query, 5, date_from="01/01/2024")} == {0}
        assert {r for r, _ in store.search(channel, query, 5, date_to="2023-12-31")} == {1}
    assert [r for r, _ in store.keyword_search("hồ sơ", 5, date_to="2024-12-31")] == [0]
    assert [r for r, _ in store.keyword_search("hồ sơ", 5, sources='sub/c "mới".md')] == [2]


def test_delete_and_add_changed_article(lite, fake):
    store, _, sentences = _store(lite, "changes", fake)
    of_b = sum(s.doc_id == "b" for s in sentences)
    assert store.count() == {"passage": 3, "sentence": len(sentences), "keyword": 3}
    store.delete_articles(["b"])
    assert store.count() == {"passage": 2, "sentence": len(sentences) - of_b, "keyword": 2}
    assert store.keyword_search("trường học", 5) == []
    assert _doc_ids(store) == {"a", "c"}
    # The changed article comes back under a new passage id, with new words.
    changed = [("b", "b.txt", "2023-06-15", "Huyện Bình Minh", "Huyện Bình Minh khánh thành cầu Rạch Miễu mới.")]
    passages, sentences = _rows(fake, changed, first_id=7)
    store.add(passages, sentences)
    assert _doc_ids(store) == {"a", "b", "c"}
    assert [r for r, _ in store.keyword_search("cau rach mieu", 5)] == [7]
    assert store.keyword_search("trường học", 5) == []
    assert store.search("sentence", fake.embed_query("khánh thành cầu Rạch Miễu"), 1)[0][0] == 7


class _Spy:
    """A MilvusClient that records the writing calls it passes on (collection, and rows for upserts)."""

    def __init__(self, client):
        self._client, self.calls = client, []

    def __getattr__(self, name):
        method = getattr(self._client, name)
        if name not in ("upsert", "delete", "flush"):
            return method

        def record(collection, *args, **kwargs):
            rows = len(args[0]) if name == "upsert" else None
            self.calls.append((name, collection, rows))
            return method(collection, *args, **kwargs)
        return record


def test_add_and_delete_flush_each_collection_after_writing_it(lite, fake):
    spec, client = lite
    spy = _Spy(client)
    store = MilvusStore.open(spec, dim=fake.dim, client=spy, name="flushed")
    try:
        passages, sentences = _rows(fake)
        store.add(passages, sentences, batch=2)  # rows converted and written two at a time
        upserts = [(c, n) for op, c, n in spy.calls if op == "upsert"]
        assert [n for c, n in upserts if c == "flushed_passages"] == [2, 1]
        assert sum(n for c, n in upserts if c == "flushed_sentences") == len(sentences)
        # Each collection is flushed once, right after its last upsert.
        for collection in store.collections.values():
            ops = [op for op, c, _ in spy.calls if c == collection]
            assert ops[-1] == "flush" and ops.count("flush") == 1 and "upsert" in ops
        assert store.count() == {"passage": 3, "sentence": len(sentences), "keyword": 3}
        assert store.search("passage", passages[1].vector, 1)[0][0] == 1

        spy.calls.clear()
        store.delete_articles(["b"])
        assert [(op, c) for op, c, _ in spy.calls if op == "flush"] == [("flush", c) for c in store.collections.values()]
        of_b = sum(s.doc_id == "b" for s in sentences)
        assert store.count() == {"passage": 2, "sentence": len(sentences) - of_b, "keyword": 2}
        assert 1 not in [r for r, _ in store.search("passage", passages[1].vector, 3)]
        spy.calls.clear()
        store.delete_articles([])  # nothing to delete: nothing written, nothing flushed
        store.add([], [])
        assert spy.calls == []
    finally:
        store.drop()


def test_reopen_from_disk(tmp_path, fake):
    spec = parse_store(f"milvus-lite:{tmp_path}/reopen.db")
    store = MilvusStore.open(spec, dim=fake.dim, name="reopen", abbreviations=Abbreviations({"UBND": "ủy ban nhân dân"}))
    store.add(*_rows(fake))
    query = fake.embed_query("phường đông hòa dịch vụ công")
    before = {c: store.search(c, query, 3) for c in ("passage", "sentence")}
    before["keyword"] = store.keyword_search("dich vu cong truc tuyen", 3)
    before["abbreviation"] = store.keyword_search("UBND", 3)
    entry = store.manifest_entry()
    store.close()
    assert entry == {"store": spec.value, "collections": "reopen", "dim": fake.dim, "index_type": "FLAT",
                     "keyword_terms": "marked", "abbreviations": {"UBND": "ủy ban nhân dân"}}
    again = MilvusStore.from_manifest(entry)
    try:
        after = {c: again.search(c, query, 3) for c in ("passage", "sentence")}
        after["keyword"] = again.keyword_search("dich vu cong truc tuyen", 3)
        after["abbreviation"] = again.keyword_search("UBND", 3)  # found through the table, which comes back
        assert after == before and before["abbreviation"][0][0] == 0
        assert again.abbreviations.pairs == {"UBND": "ủy ban nhân dân"}
        with pytest.raises(CorruptIndexError, match="'other_passages'"):
            MilvusStore.from_manifest({**entry, "collections": "other"}, client=again.client)
        with pytest.raises(InvalidArgumentError, match="64-d vectors, not 8-d"):
            MilvusStore.open(spec, dim=8, name="reopen", client=again.client)
    finally:
        again.close()


def test_malformed_manifest_entry():
    with pytest.raises(CorruptIndexError, match="malformed"):
        MilvusStore.from_manifest({"store": "qdrant://x", "collections": "qa", "dim": 4})
    with pytest.raises(CorruptIndexError, match="malformed"):
        MilvusStore.from_manifest({"store": "milvus://h:1"})


def test_fill_from_faiss_index_gives_the_same_channels(tiny_corpus, tmp_path, fake, lite):
    """Copied from a FAISS index folder, each channel ranks the passages as the FAISS + bm25s index does."""
    import qa
    from qa.fusion import fuse_scores

    index = qa.build_index(tiny_corpus, tmp_path / "index", model=fake, progress=False)
    spec, client = lite
    store = fill_from_index(tmp_path / "index", spec, name="filled", client=client)
    try:
        assert store.count() == {"passage": len(index.chunks), "sentence": len(index.store.sentence_spans()),
                                 "keyword": len(index.chunks)}
        for question in ("Xã An Bình giải quyết bao nhiêu hồ sơ đúng hạn?", "ty le ho so truc tuyen dat bao nhieu"):
            text = normalize(question)
            restored = index.restore_diacritics(text)
            faiss = index.channel_scores(text, 10)
            milvus = channel_scores(store, text, restored, index.query_vector(text), 10)
            for channel in ("passage", "sentence"):
                assert [r for r, _ in milvus[channel]] == [r for r, _ in faiss[channel]]
            assert [r for r, _ in milvus["keyword"]] == [r for r, _ in faiss["keyword"]]
            weights = index.fusion.weights(False)
            assert [r for r, _ in fuse_scores(milvus, weights)] == [r for r, _ in fuse_scores(faiss, weights)]
    finally:
        store.drop()
