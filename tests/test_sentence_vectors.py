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


def test_sentence_mask_repeats_each_chunk_flag_once_per_sentence():
    spans = np.array([[0, 0, 5], [0, 6, 9], [2, 0, 4], [2, 5, 8], [2, 9, 12], [3, 0, 3]], dtype=np.int32)
    index = SentenceIndex(_flat_index(2, np.ones((6, 2), np.float32)), spans)
    allowed = np.array([True, False, False, True])  # chunk 1 has no sentences
    assert index.sentence_mask(allowed).tolist() == allowed[spans[:, 0]].tolist()
    allowed = np.array([False, True, True, False])
    assert index.sentence_mask(allowed).tolist() == allowed[spans[:, 0]].tolist()
