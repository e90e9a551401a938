"""Sentence vectors: one per sentence of each passage (encoded alone, or pooled from the passage's pass).

A question usually paraphrases one sentence; a passage vector averages that sentence with
its neighbours. On MLQA-vi, ranking passages by their best sentence found the right
paragraph first for 3.5 points more questions than the passage vectors did, and fusing both
channels with BM25 beat any two of them. The stored vectors also let the answer step rerank
sentences without embedding them again.
"""

from __future__ import annotations

import hashlib

import numpy as np

from .ann import FILTER_RERANK_MAX, IVF_SQ8, kind_of, reconstruct, search
from .records import Chunk
from .sentences import sentence_spans
from .text import normalize


def spans_of(chunks: list[Chunk]) -> np.ndarray:
    """(chunk row, start, end) of every sentence, spans relative to the chunk text; int32, shape (n, 3)."""
    rows = [(row, a, b) for row, chunk in enumerate(chunks) for a, b in sentence_spans(chunk.text)]
    return np.array(rows, dtype=np.int32).reshape(-1, 3)


def sentence_text(chunk: Chunk, start: int, end: int) -> str:
    """What a sentence's vector is computed from, and so the key to reuse it by.

    Overlapping chunks repeat sentences, and articles keep most of theirs between builds;
    each distinct text is embedded once.
    """
    return normalize(chunk.text[start:end])


SEPARATE, LATE = "separate", "late"
METHODS = (SEPARATE, LATE)
"""How sentence vectors are made: each sentence encoded on its own ("separate"), or pooled from its
passage's token vectors in the passage's own forward pass ("late" chunking: no second pass, and each
sentence keeps its passage's context)."""
DEFAULT_METHOD = SEPARATE


def sentence_key(chunk: Chunk, start: int, end: int, method: str) -> str:
    """What a stored sentence vector is reused by in the next build.

    A separately encoded sentence depends on its text alone; a late-chunked one on its whole
    passage too, so the key is the passage text's hash and the span.
    """
    if method == SEPARATE:
        return sentence_text(chunk, start, end)
    digest = hashlib.sha1(normalize(chunk.text).encode("utf-8")).hexdigest()
    return f"{digest}:{start}:{end}"


WIDE_MARGIN = 1.5  # a filtered IVF search asks for this many times the allowed sentences it needs


class SentenceIndex:
    """FAISS inner-product index over sentence vectors, row-aligned with `spans` (sorted by chunk row)."""

    def __init__(self, vectors_index, spans: np.ndarray, *, rows: np.ndarray | None = None):
        """`rows`: the spans' chunk rows when the caller has them (spans may be memory-mapped)."""
        if vectors_index.ntotal != len(spans):
            raise ValueError(f"{vectors_index.ntotal} sentence vectors but {len(spans)} sentence spans")
        self._index = vectors_index
        self.spans = spans
        if rows is None:
            rows = np.ascontiguousarray(spans[:, 0]) if len(spans) else np.zeros(0, np.int32)
        elif len(rows) != len(spans):
            raise ValueError(f"{len(rows)} chunk rows for {len(spans)} sentence spans")
        self._rows = rows

    def __len__(self) -> int:
        return len(self.spans)

    def search(self, query: np.ndarray, n: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(chunk row, cosine of its best sentence), best first, at most `n` chunks."""
        if n < 1 or len(self.spans) == 0:
            return []
        if allowed is not None:
            found = self._search_wide(query, n, allowed)
            if found is not None:
                return found
        # A chunk has several sentences: look deeper than n so that n distinct chunks come back.
        mask = None if allowed is None else allowed[self._rows]
        best: dict[int, float] = {}
        for i, score in search(self._index, query, n * 6, mask):
            row = int(self._rows[i])
            if row not in best:
                best[row] = score
                if len(best) == n:
                    break
        return list(best.items())

    def _search_wide(self, query: np.ndarray, n: int, allowed: np.ndarray) -> list[tuple[int, float]] | None:
        """A filtered IVF search as an unfiltered one of the same lists, deep enough that about n * 6
        allowed sentences come back, keeping those; None when that would be too deep or found too few.

        A mask over every sentence (gathered from the chunk mask) cost 7-15 ms at 4.5M sentences, and
        FAISS's selector path scans slower than its plain one. On the 1M scale index with the
        one-year filter, the plain search of the usual 48 lists found 0.998 of the filtered top-10
        chunks (the selector with 108 lists: 0.999; README "Scale").
        """
        if kind_of(self._index) != IVF_SQ8:
            return None
        share = np.count_nonzero(allowed) / max(len(allowed), 1)
        if share == 0:
            return []
        wide = int(np.ceil(n * 6 * WIDE_MARGIN / share))
        if wide > FILTER_RERANK_MAX:
            return None
        wide = min(wide, len(self.spans))
        found = search(self._index, query, wide)
        if not found:
            return None
        ids = np.fromiter((i for i, _ in found), dtype=np.int64, count=len(found))
        scores = np.fromiter((s for _, s in found), dtype=np.float32, count=len(found))
        rows = self._rows[ids]
        keep = np.flatnonzero(allowed[rows])
        rows, first = np.unique(rows[keep], return_index=True)  # each chunk at its best sentence
        order = np.argsort(first, kind="stable")[:n]
        if len(order) < n:
            return None  # too few allowed chunks among them: the filtered search proper
        return [(int(rows[j]), float(scores[keep[first[j]]])) for j in order]

    def vector(self, row: int, start: int) -> np.ndarray | None:
        """The stored vector of the sentence starting at `start` in chunk `row`, if there is one."""
        first, last = np.searchsorted(self._rows, [row, row + 1])
        for i in range(int(first), int(last)):
            if int(self.spans[i, 1]) == start:
                return reconstruct(self._index, i)
        return None
