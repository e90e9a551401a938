import json

import numpy as np
import pytest

import qa
from qa import ann
from qa.chunk import ChunkSettings
from qa.cli import main

SMALL = ChunkSettings(chunk_tokens=20, overlap_tokens=4)


def _clustered(n=3000, dim=32, centres=40, seed=1):
    """Embedding-like vectors: unit vectors around a few dozen topics (random ones are ANN's worst case)."""
    rng = np.random.default_rng(seed)
    topics = rng.normal(size=(centres, dim))
    vectors = topics[rng.integers(0, centres, n)] + 1.0 * rng.normal(size=(n, dim))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def _queries(vectors, count=25, seed=2):
    rng = np.random.default_rng(seed)
    picked = vectors[rng.choice(len(vectors), count, replace=False)] + 0.05 * rng.normal(size=(count, vectors.shape[1]))
    return (picked / np.linalg.norm(picked, axis=1, keepdims=True)).astype(np.float32)


@pytest.mark.parametrize("kind", [ann.HNSW, ann.IVF_SQ8, ann.PQFS_SQ8])
def test_approximate_kinds_find_the_same_top_hit_as_flat(kind):
    vectors = _clustered()
    flat, approx = ann.make(ann.FLAT, 32, vectors), ann.prepare(ann.make(kind, 32, vectors))
    assert ann.kind_of(approx) == kind and approx.ntotal == len(vectors)
    for query in _queries(vectors):
        exact = ann.search(flat, query, 10)
        found = ann.search(approx, query, 10)
        assert found[0][0] == exact[0][0]
        assert len({r for r, _ in found} & {r for r, _ in exact}) >= 8


@pytest.mark.parametrize("kind", [ann.FLAT, ann.HNSW, ann.IVF_SQ8, ann.PQFS_SQ8])
@pytest.mark.parametrize("share", [0.5, 0.01])  # a wide filter goes through a FAISS selector, a narrow one exact
def test_filtered_search_keeps_only_allowed_rows_and_finds_the_best_of_them(kind, share):
    vectors = _clustered()
    index = ann.prepare(ann.make(kind, 32, vectors))
    mask = np.random.default_rng(3).random(len(vectors)) < share
    for query in _queries(vectors, 10):
        found = ann.search(index, query, 5, mask)
        assert found and all(mask[r] for r, _ in found)
        best = int(np.flatnonzero(mask)[np.argmax(vectors[mask] @ query)])
        assert found[0][0] == best
    assert ann.search(index, vectors[0], 5, np.zeros(len(vectors), bool)) == []


def test_auto_is_flat_below_the_threshold_and_ivf_sq8_above():
    assert ann.resolve("auto", ann.AUTO_THRESHOLD - 1) == ann.FLAT
    assert ann.resolve(None, ann.AUTO_THRESHOLD) == ann.IVF_SQ8
    assert ann.resolve("hnsw", 10) == ann.HNSW
    with pytest.raises(qa.InvalidArgumentError, match="'ivf-pq'"):
        ann.resolve("ivf-pq", 10)


def test_faiss_choice_is_recorded_in_the_manifest_kept_by_rebuilds_and_loaded_back(tiny_corpus, tmp_path, fake):
    flat = qa.build_index(tiny_corpus, tmp_path / "flat", model=fake, settings=SMALL, progress=False)
    index = qa.build_index(tiny_corpus, tmp_path / "ix", model=fake, settings=SMALL, progress=False, faiss="hnsw")
    entry = json.loads((tmp_path / "ix" / "manifest.json").read_text(encoding="utf-8"))["store"]
    assert entry["kind"] == "faiss" and entry["faiss"] == "hnsw"
    assert entry["passage"]["kind"] == entry["sentence"]["kind"] == "hnsw"
    assert entry["passage"]["vectors"] == len(index)
    loaded = qa.load(tmp_path / "ix", model=fake)
    assert ann.kind_of(loaded.store.passage_index) == "hnsw" and ann.kind_of(loaded.store.sentence_index) == "hnsw"
    question = "Huyện Bình Minh khánh thành bao nhiêu trường học?"
    assert [h.doc_id for h in loaded.retrieve(question, k=3)] == [h.doc_id for h in flat.retrieve(question, k=3)]
    # A rebuild without --faiss keeps the kind the index was built with; auto on a tiny corpus is flat.
    (tiny_corpus / "d.txt").write_text("Xã Tân Lập có 12 thôn.", encoding="utf-8")
    again = qa.build_index(tiny_corpus, tmp_path / "ix", model=fake, settings=SMALL, progress=False)
    assert again.manifest["store"]["faiss"] == "hnsw" and ann.kind_of(again.store.passage_index) == "hnsw"
    assert flat.manifest["store"]["faiss"] == "auto" and flat.manifest["store"]["sentence"]["kind"] == "flat"


def test_ivf_sq8_index_answers_and_reuses_its_vectors(tiny_corpus, tmp_path, fake):
    index = qa.build_index(tiny_corpus, tmp_path / "ix", model=fake, settings=SMALL, progress=False, faiss="ivf-sq8")
    assert index.manifest["store"]["passage"]["codec"] == "SQ8"
    hit = index.retrieve("Tỷ lệ hồ sơ trực tuyến đạt bao nhiêu?", k=1)[0]
    assert hit.doc_id == "sub/c.md"
    vector = index.sentence_vector(hit, 0)  # decoded from 8 bits per dimension: close, not equal
    assert vector is not None and float(vector @ fake._vector(qa.text.normalize(hit.text[:60]))) > 0.3
    fake.embedded.clear()
    again = qa.build_index(tiny_corpus, tmp_path / "ix", model=fake, settings=SMALL, progress=False)
    assert again.build_report.chunks_embedded == 0 and fake.embedded == []


def test_cli_index_passes_faiss(monkeypatch, tmp_path):
    seen = {}

    class Built:
        build_report = type("R", (), {"skipped": [], "summary": lambda self: "ok"})()
        articles = {}

        def __len__(self):
            return 0

    monkeypatch.setattr("qa.build.build_index", lambda *a, **kw: seen.update(kw) or Built())
    assert main(["index", "--corpus", str(tmp_path), "--index", str(tmp_path / "i"), "--faiss", "ivf-sq8", "-q"]) == 0
    assert seen["faiss"] == "ivf-sq8"


def test_auto_takes_pqfs_sq8_for_large_passage_channels_and_ivf_sq8_for_sentences():
    assert ann.resolve("auto", ann.AUTO_THRESHOLD, "passage") == ann.PQFS_SQ8
    assert ann.resolve("auto", ann.AUTO_THRESHOLD, "sentence") == ann.IVF_SQ8
    assert ann.resolve("auto", ann.AUTO_THRESHOLD - 1, "passage") == ann.FLAT
    assert ann.resolve("ivf-sq8", 10**6, "passage") == ann.IVF_SQ8


def test_pqfs_sq8_reranks_on_sq8_codes_and_survives_a_save(tmp_path):
    import faiss

    vectors = _clustered()
    index = ann.prepare(ann.make(ann.PQFS_SQ8, 32, vectors))
    assert ann.describe(index)["kind"] == ann.PQFS_SQ8 and index.ntotal == len(vectors)
    # With every vector among the re-ranked candidates the scores are the SQ8 codes' exact ones.
    codes = ann.all_vectors(index)
    assert np.abs(codes - vectors).max() < 0.02
    query = _queries(vectors, 1)[0]
    found = ann.search(index, query, 10)
    expected = np.argsort(-(codes @ query), kind="stable")[:10]
    assert [r for r, _ in found] == expected.tolist()
    faiss.write_index(index, str(tmp_path / "x.faiss"))
    again = ann.prepare(faiss.read_index(str(tmp_path / "x.faiss")))
    assert ann.kind_of(again) == ann.PQFS_SQ8 and ann.search(again, query, 10) == found


def test_tiny_pqfs_sq8_channel_trains_and_searches():
    vectors = _clustered(n=5, dim=192)
    index = ann.make(ann.PQFS_SQ8, 192, vectors)
    assert ann.search(index, vectors[3], 1)[0][0] == 3


@pytest.mark.parametrize("kind", [ann.FLAT, ann.IVF_SQ8, ann.PQFS_SQ8])
def test_filling_in_batches_gives_the_same_index_as_one_add(kind, monkeypatch):
    import faiss

    vectors = _clustered(n=3000)
    whole = faiss.serialize_index(ann.make(kind, 32, vectors))
    monkeypatch.setattr(ann, "ADD_BATCH", 256)
    # Any 2-d array with row slices will do (here a float64 copy: each batch converted on its own).
    batched = faiss.serialize_index(ann.make(kind, 32, vectors.astype(np.float64)))
    assert np.array_equal(whole, batched)


def test_pqfs_sq8_filter_too_wide_to_rerank_scans_the_allowed_sq8_codes(monkeypatch):
    vectors = _clustered()
    index = ann.prepare(ann.make(ann.PQFS_SQ8, 32, vectors))
    mask = np.random.default_rng(3).random(len(vectors)) < 0.5
    query = _queries(vectors, 1)[0]
    reranked = ann.search(index, query, 5, mask)
    monkeypatch.setattr(ann, "FILTER_RERANK_MAX", 0)
    scanned = ann.search(index, query, 5, mask)
    assert all(mask[r] for r, _ in scanned) and [r for r, _ in scanned] == [r for r, _ in reranked]
