import numpy as np

from qa.records import Chunk
from qa.sentence_vectors import SentenceIndex, sentence_text, spans_of
from qa.store import _flat_index


def _chunk(text, doc_id="a.txt", start=0):
    return Chunk(doc_id=doc_id, text=text, title="", date=None, source=doc_id, start=start, end=start + len(text))


def test_spans_cover_each_sentence_of_each_chunk():
    chunks = [_chunk("Xã An Bình họp. TP. Hồ Chí Minh có mưa."), _chunk("Một câu thôi", "b.txt")]
    spans = spans_of(chunks)
    assert spans.dtype == np.int32 and spans.shape == (3, 3)
    assert [sentence_text(chunks[r], a, b) for r, a, b in spans] == [
        "Xã An Bình họp.", "TP. Hồ Chí Minh có mưa.", "Một câu thôi"]
    assert spans_of([]).shape == (0, 3)


def test_search_scores_a_chunk_by_its_best_sentence():
    spans = np.array([[0, 0, 5], [0, 6, 9], [1, 0, 4], [2, 0, 3]], dtype=np.int32)
    vectors = np.eye(4, dtype=np.float32)
    index = SentenceIndex(_flat_index(4, vectors), spans)
    query = np.array([0.1, 0.9, 0.3, 0.0], dtype=np.float32)
    assert index.search(query, 2) == [(0, np.float32(0.9)), (1, np.float32(0.3))]
    allowed = np.array([False, True, True])
    assert [row for row, _ in index.search(query, 5, allowed)] == [1, 2]
    assert np.array_equal(index.vector(0, 6), vectors[1]) and index.vector(0, 1) is None


def test_filtered_ivf_search_searches_wide_and_equals_the_filtered_search(monkeypatch):
    from qa import ann
    from qa import sentence_vectors as sv

    rng = np.random.default_rng(2)
    rows = np.sort(rng.integers(0, 2000, 6000)).astype(np.int32)
    spans = np.stack([rows, np.zeros_like(rows), np.full_like(rows, 5)], axis=1)
    vectors = rng.standard_normal((6000, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ivf = ann.prepare(ann.make("ivf-sq8", 8, vectors, nprobe=10_000))  # every list probed: both paths exact on SQ8
    index = SentenceIndex(ivf, spans)
    decoded = ivf.reconstruct_n(0, 6000)
    wide_calls = []
    real = sv.SentenceIndex._search_wide
    monkeypatch.setattr(sv.SentenceIndex, "_search_wide", lambda self, *a: wide_calls.append(a) or real(self, *a))
    for share, wide in ((0.3, True), (0.002, False)):
        allowed = rng.random(2000) < share
        query = vectors[int(np.flatnonzero(allowed[rows])[0])]
        scores = decoded @ query
        best = {}
        for i in np.argsort(-scores, kind="stable"):
            if allowed[rows[i]] and rows[i] not in best:
                best[int(rows[i])] = scores[i]
        expected = list(best)[:5]
        found = index.search(query, 5, allowed)
        assert [r for r, _ in found] == expected
        np.testing.assert_allclose([s for _, s in found], [best[r] for r in expected], rtol=1e-5)
        assert (real(index, query, 5, allowed) is not None) == wide  # a narrow filter: the selector path
    assert len(wide_calls) == 2
