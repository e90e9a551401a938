import numpy as np
import pytest

from qa.faiss_store import FaissStore
from qa.keyword import KeywordIndex
from qa.vectorstore import StoreRows, VectorStore, Where
from qa.vietnamese import Abbreviations

TEXTS = ["xã an bình giải quyết hồ sơ", "huyện bình minh xây trường học", "phường đông hòa hồ sơ trực tuyến",
         "hồ sơ đúng hạn của huyện"]


def _rows(start, doc_ids, dim=4):
    n = len(doc_ids)
    rows = np.arange(start, start + n)
    vectors = np.eye(dim, dtype=np.float32)[rows % dim]
    spans = np.array([[r, 0, 3] for r in rows], dtype=np.int32).reshape(-1, 3)
    return StoreRows(rows, doc_ids, ["s.txt"] * n, [None] * n, vectors, spans, vectors.copy(),
                     [TEXTS[r] for r in rows])


def test_store_adds_deletes_saves_and_searches(tmp_path):
    store = FaissStore.create("faiss", 4, faiss="flat", abbreviations=Abbreviations({}))
    assert isinstance(store, VectorStore)
    store.add(_rows(0, ["a", "b"]))
    store.add(_rows(2, ["c", "a"]))
    store.delete(["a"])  # rows 0 and 3 go; b and c become rows 0 and 1
    entry = store.save(tmp_path)
    assert entry["passage"]["vectors"] == 2 and entry["kind"] == "faiss"
    assert store.search("passage", np.array([0, 0, 1, 0], np.float32), 1) == [(1, 1.0)]
    assert store.search("sentence", np.array([0, 1, 0, 0], np.float32), 1) == [(0, 1.0)]
    assert np.array_equal(store.sentence_spans(), [[0, 0, 3], [1, 0, 3]])
    assert [r for r, _ in store.keyword_search("hồ sơ", 5)] == [1]


def test_keyword_filter_equals_filtering_the_full_ranking():
    keyword = KeywordIndex.build(TEXTS, Abbreviations({}))
    full = keyword.search("hồ sơ huyện", 10)
    mask = np.array([True, False, True, True])
    assert keyword.search("hồ sơ huyện", 10, allowed=mask) == [(r, s) for r, s in full if mask[r]]
    where = Where(frozenset(), None, None, mask)
    assert where.mask is mask


def test_save_lets_go_of_the_float32_vectors_it_was_given(tmp_path):
    import weakref

    store = FaissStore.create("faiss", 4, faiss="ivf-sq8", abbreviations=Abbreviations({}))
    rows = _rows(0, ["a", "b", "c", "d"])
    passages, sentences = weakref.ref(rows.vectors), weakref.ref(rows.sentence_vectors)
    store.add(rows)
    del rows
    entry = store.save(tmp_path)
    assert passages() is None and sentences() is None  # freed once they were in FAISS
    assert entry["passage"]["kind"] == entry["sentence"]["kind"] == "ivf-sq8"
    assert store.search("passage", np.array([0, 0, 1, 0], np.float32), 1)[0][0] == 2
    assert [r for r, _ in store.keyword_search("hồ sơ", 5)] == [3, 0, 2]


@pytest.mark.parametrize("kind", ["flat", "ivf-sq8", "pqfs-sq8"])
def test_a_large_index_is_memory_mapped_and_answers_the_same(tmp_path, monkeypatch, kind):
    import qa.faiss_store as faiss_store

    store = FaissStore.create("faiss", 4, faiss=kind, abbreviations=Abbreviations({}))
    store.add(_rows(0, ["a", "b", "c", "d"]))
    store.save(tmp_path)
    manifest = {"model": {"dim": 4}, "store": {"faiss": kind}, "corpus": {"chunks": 4}}
    read = FaissStore.load(tmp_path, manifest)
    monkeypatch.setattr(faiss_store, "MMAP_ROWS", 4)  # 4 chunks count as large: everything mapped
    mapped = FaissStore.load(tmp_path, manifest)
    saved = FaissStore.create("faiss", 4, faiss=kind, abbreviations=Abbreviations({}))
    saved.add(_rows(0, ["a", "b", "c", "d"]))
    (tmp_path / "again").mkdir()
    saved.save(tmp_path / "again")  # read back mapped too, as the build's own load will be
    for query in np.eye(4, dtype=np.float32):
        for channel in ("passage", "sentence"):
            assert mapped.search(channel, query, 2) == read.search(channel, query, 2)
            mask = Where(frozenset(), None, None, np.array([True, False, True, True]))
            assert mapped.search(channel, query, 2, mask) == read.search(channel, query, 2, mask)
            assert saved.search(channel, query, 2, mask) == read.search(channel, query, 2, mask)
    assert mapped.keyword_search("hồ sơ", 5) == read.keyword_search("hồ sơ", 5)
    assert np.array_equal(mapped.vectors("sentence"), read.vectors("sentence"))
    assert isinstance(mapped.sentence_spans(), np.memmap) and not isinstance(read.sentence_spans(), np.memmap)
    assert np.array_equal(mapped.sentence_spans(), read.sentence_spans())
    assert all(np.array_equal(mapped.sentence_vector(r, 0), read.sentence_vector(r, 0)) for r in range(4))


def test_a_mapped_ivf_index_reads_its_row_map_from_the_file_and_reconstructs_alike(tmp_path):
    import faiss

    from qa import ann

    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((3000, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    faiss.write_index(ann.make("ivf-sq8", 8, vectors), str(tmp_path / "x.faiss"))
    in_memory = ann.prepare(faiss.read_index(str(tmp_path / "x.faiss")))
    mapped = ann.prepare(faiss.read_index(str(tmp_path / "x.faiss"), faiss.IO_FLAG_MMAP_IFC), tmp_path / "x.faiss")
    assert getattr(in_memory, "qa_row_map", None) is None and mapped.qa_row_map[0].shape == (3000,)
    for row in (0, 17, 2999):
        assert np.array_equal(ann.reconstruct(mapped, row), in_memory.reconstruct(row))
    rows = np.array([5, 1, 2500])
    assert np.array_equal(ann.reconstruct(mapped, rows), in_memory.reconstruct_batch(rows))
    mask = np.zeros(3000, dtype=bool)
    mask[[3, 70, 1999]] = True  # a narrow filter is scored on the reconstructed rows
    assert ann.search(mapped, vectors[70], 2, mask) == ann.search(in_memory, vectors[70], 2, mask)
    with pytest.raises(IndexError):
        ann.reconstruct(mapped, 3000)
    # A file that is not laid out as expected (here: a longer one) falls back to FAISS's direct map.
    (tmp_path / "y.faiss").write_bytes((tmp_path / "x.faiss").read_bytes() + b"\0" * 64)
    other = ann.prepare(faiss.read_index(str(tmp_path / "x.faiss"), faiss.IO_FLAG_MMAP_IFC), tmp_path / "y.faiss")
    assert getattr(other, "qa_row_map", None) is None
    assert np.array_equal(other.reconstruct(17), in_memory.reconstruct(17))


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="madvise and /proc/self/maps are Linux's")
def test_pages_touched_while_loading_a_mapped_index_are_dropped_and_search_is_unchanged(tmp_path):
    import faiss

    from qa import ann, faiss_store

    rng = np.random.default_rng(4)
    vectors = rng.standard_normal((2000, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    faiss.write_index(ann.make("pqfs-sq8", 16, vectors), str(tmp_path / "p.faiss"))
    before = ann.search(faiss.read_index(str(tmp_path / "p.faiss")), vectors[3], 5)
    mapped = faiss_store._open(tmp_path / "p.faiss", True)
    assert faiss_store._drop_mapped_pages(tmp_path / "p.faiss") > 0  # the mapping is there, read-only
    assert ann.search(mapped, vectors[3], 5) == before
    assert faiss_store._drop_mapped_pages(tmp_path / "missing.faiss") == 0


def _resident_kb(folder) -> int:
    """Resident KB of this process's mappings of files under `folder` (/proc/self/smaps)."""
    target, total, inside = str(folder.resolve()) + "/", 0, False
    for line in open("/proc/self/smaps", encoding="utf-8"):
        fields = line.split()
        if not fields[0].endswith(":") or "-" in fields[0]:
            inside = len(fields) > 5 and fields[5].startswith(target)
        elif inside and fields[0] == "Rss:":
            total += int(fields[1])
    return total


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="madvise and /proc/self/statm are Linux's")
@pytest.mark.parametrize("budget_mb", [0, 100_000])
def test_a_mapped_index_keeps_its_mapped_pages_under_the_budget_and_answers_the_same(tmp_path, monkeypatch,
                                                                                     budget_mb):
    import qa.faiss_store as faiss_store

    store = FaissStore.create("faiss", 4, faiss="ivf-sq8", abbreviations=Abbreviations({}))
    store.add(_rows(0, ["a", "b", "c", "d"]))
    store.save(tmp_path)
    manifest = {"model": {"dim": 4}, "store": {"faiss": "ivf-sq8"}, "corpus": {"chunks": 4}}
    read = FaissStore.load(tmp_path, manifest)
    monkeypatch.setattr(faiss_store, "MMAP_ROWS", 4)
    monkeypatch.setenv("QA_MAPPED_BUDGET_MB", str(budget_mb))
    mapped = FaissStore.load(tmp_path, manifest)
    assert mapped._budget is not None and read._budget is None and mapped._budget._file_pages() > 0
    for query in np.eye(4, dtype=np.float32):
        for channel in ("passage", "sentence"):
            assert mapped.search(channel, query, 2) == read.search(channel, query, 2)
        assert mapped.keyword_search("hồ sơ", 5) == read.keyword_search("hồ sơ", 5)
    if budget_mb == 0:  # every search went over it: the index files' pages were let go each time
        assert mapped._budget.drops == 12 and _resident_kb(tmp_path) == 0
    else:
        assert mapped._budget.drops == 0 and _resident_kb(tmp_path) > 0
