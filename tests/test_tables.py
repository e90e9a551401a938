import json

import numpy as np
import pytest

import qa
from qa import store, tables
from qa.build import build_from_articles
from qa.chunk import ChunkSettings
from qa.records import Article

SMALL = ChunkSettings(chunk_tokens=20, overlap_tokens=4)

ARTICLES = [
    Article("x1", "Xã An Bình giải quyết 120 hồ sơ đúng hạn.", "An Bình", "2024-01-05", source="tin-xa.txt"),
    Article("x2", "Huyện Bình Minh khánh thành 3 trường học mới.", "Bình Minh", "2024-03-10", source="tin-huyen.txt"),
    Article("x3", "Phường Đông Hòa triển khai dịch vụ công trực tuyến.", "Đông Hòa", None, source="tin-xa.txt"),
    Article("x4", "Tỷ lệ hồ sơ trực tuyến của xã đạt 85 phần trăm.", "Hồ sơ", "2024-03-31", source="khac.jsonl"),
    Article("x5", "Ủy ban nhân dân huyện họp bàn về cải cách hành chính.", "Họp", "2023-12-31",
            source="tin-huyen.txt"),
]


@pytest.fixture
def index(tmp_path, fake):
    return build_from_articles(ARTICLES, tmp_path / "ix", model=fake, settings=SMALL, progress=False)


def _old_loop(chunks, wanted, date_from, date_to):
    """The filter as it was before format 3: a Python loop over every chunk per query."""
    keep = np.ones(len(chunks), dtype=bool)
    for i, c in enumerate(chunks):
        wrong_source = bool(wanted) and c.source not in wanted
        undated = (date_from or date_to) and c.date is None
        outside = c.date is not None and ((date_from and c.date < date_from) or (date_to and c.date > date_to))
        keep[i] = not (wrong_source or undated or outside)
    return keep


@pytest.mark.parametrize("sources,date_from,date_to", [
    (["tin-xa.txt"], None, None), (["tin-huyen.txt", "khac.jsonl"], None, None), (["missing.txt"], None, None),
    (None, "2024-01-01", None), (None, None, "2024-03-10"), (None, "2024-01-05", "2024-03-31"),
    (["tin-huyen.txt"], "2024-01-01", "2024-12-31"), ("tin-xa.txt", "05/01/2024", None),
])
def test_filter_masks_match_the_old_per_chunk_loop(index, sources, date_from, date_to):
    where = index.where(sources, date_from, date_to)
    wanted = {sources} if isinstance(sources, str) else set(sources or [])
    expected = _old_loop(list(index.chunks), wanted, qa.dates.iso_date(date_from), qa.dates.iso_date(date_to))
    assert np.array_equal(where.mask, expected)
    hits = index.retrieve("hồ sơ trực tuyến", k=10, sources=sources, date_from=date_from, date_to=date_to)
    assert {(h.doc_id, h.start) for h in hits} <= {(c.doc_id, c.start) for c, ok in zip(index.chunks, expected, strict=True) if ok}
    assert index.where(None, None, None) is None


def test_chunks_and_articles_are_read_only_when_asked_for(index, tmp_path, monkeypatch, fake):
    parsed = []
    real_row = tables._Lines.row
    monkeypatch.setattr(tables._Lines, "row", lambda self, i: parsed.append(i) or real_row(self, i))
    loaded = qa.load(tmp_path / "ix", model=fake)
    assert parsed == [] and len(loaded) == len(index) and len(loaded.articles) == 5
    assert isinstance(loaded.chunks, tables.ChunkTable) and "x3" in loaded.articles
    hits = loaded.retrieve("trường học mới", k=2)
    assert 0 < len(parsed) <= 2 and hits[0].doc_id == "x2"
    # Random access by offset gives the same chunks as a sequential read, and the articles as built.
    assert [loaded.chunks[i] for i in range(len(loaded))] == list(loaded.chunks) == list(index.chunks)
    assert loaded.chunks[-1] == list(index.chunks)[-1] and loaded.chunks[0:2] == list(index.chunks)[:2]
    assert loaded.articles["x4"] == ARTICLES[3] and [a.doc_id for a in loaded.articles.values()] == [
        a.doc_id for a in ARTICLES]
    assert loaded.sources() == ["khac.jsonl", "tin-huyen.txt", "tin-xa.txt"]
    with pytest.raises(IndexError):
        loaded.chunks[len(loaded)]


def test_row_of_finds_each_chunk(index):
    for row, c in enumerate(index.chunks):
        assert index.row_of(c.doc_id, c.start) == row
    assert index.row_of("x1", 99999) is None and index.row_of("nope", 0) is None


def _as_format_2(folder):
    """Rewrite a format-3 folder as format 2 wrote it: no column files, no store entry."""
    manifest = json.loads((folder / store.MANIFEST).read_text(encoding="utf-8"))
    for name in ("chunks.npy", "articles.npy", "catalog.json"):
        (folder / name).unlink()
        del manifest["files"][name]
    del manifest["store"]
    manifest["format_version"] = 2
    manifest["faiss"] = {"index": "IndexFlatIP", "metric": "inner product on L2-normalised vectors"}
    (folder / store.MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def test_a_format_2_index_still_loads_and_answers_alike(index, tmp_path, fake):
    _as_format_2(tmp_path / "ix")
    old = qa.load(tmp_path / "ix", model=fake)
    assert old.manifest["format_version"] == 2 and np.array_equal(old.chunks.columns, index.chunks.columns)
    question = "Xã An Bình giải quyết bao nhiêu hồ sơ?"
    assert old.retrieve(question, k=3, date_from="2024-01-01") == index.retrieve(question, k=3, date_from="2024-01-01")
    assert old.articles["x1"] == ARTICLES[0]
    rebuilt = build_from_articles(ARTICLES, tmp_path / "ix", model=fake, settings=SMALL, progress=False)
    assert rebuilt.manifest["format_version"] == store.FORMAT_VERSION == 3
    assert rebuilt.build_report.chunks_embedded == 0  # format 2's vectors were reused


def test_statistics_belong_to_the_index(index):
    idf, abbreviations = index.statistics
    assert index.statistics is index.statistics and abbreviations is index.statistics[1]


def test_retrieval_reads_no_catalog_and_chunk_lines_with_positioned_reads(index, tmp_path, monkeypatch, fake):
    catalogs, reads, hashes = [], [], index.articles.hashes
    real_catalog, real_pread = tables.read_catalog, tables.os.pread
    monkeypatch.setattr(tables, "read_catalog", lambda path: catalogs.append(path) or real_catalog(path))
    monkeypatch.setattr(tables.os, "pread", lambda fd, n, at: reads.append((n, at)) or real_pread(fd, n, at))
    loaded = qa.load(tmp_path / "ix", model=fake)
    hits = loaded.retrieve("trường học mới", k=2, sources=["tin-huyen.txt"], date_from="2024-01-01")
    assert hits[0].doc_id == "x2" and loaded.sources() == index.sources() and len(loaded.articles) == 5
    assert catalogs == []  # doc ids and hashes are not needed to retrieve
    assert len(reads) == len(hits) and all(n < 1000 for n, _ in reads)  # one read of one line per hit
    assert loaded.articles.hashes == hashes and len(catalogs) == 1


@pytest.mark.parametrize("block", [8, 1 << 16])
def test_source_names_are_read_from_the_catalog_tail(tmp_path, block):
    names = ["a.txt", 'odd ", "sources": [".txt', "tin-ủy-ban.jsonl"]
    catalog = {"doc_ids": [f'd{i}", "sources": ["x' for i in range(50)], "hashes": ["h"] * 50, "sources": names}
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    assert tables.read_source_names(path, block=block) == names
    path.write_text(json.dumps({"sources": names, "doc_ids": [], "hashes": []}), encoding="utf-8")
    assert tables.read_source_names(path, block=block) == names  # another key order: parsed whole


def test_doc_ids_read_later_are_those_of_the_index_loaded_even_after_a_rebuild(index, tmp_path, fake):
    loaded = qa.load(tmp_path / "ix", model=fake)  # catalog not parsed yet
    build_from_articles(ARTICLES[:2], tmp_path / "ix", model=fake, settings=SMALL, progress=False)
    assert list(loaded.articles) == [a.doc_id for a in ARTICLES]  # the loaded index's own catalog
    assert loaded.articles.hashes == index.articles.hashes
