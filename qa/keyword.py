"""The keyword channel: BM25 (bm25s) over accent-folded syllables, syllable pairs and accented syllables.

Folding makes "xa La Phu" and "xã La Phù" the same query; pairs bring back some of the
word order that single Vietnamese syllables lose ("hành chính" is not "chính" + "hành");
the accented syllables ("~là", "~la") tell apart what folding merges, for questions typed
with accents or whose accents were restored.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np

from .bm25_build import build_bm25
from .lexicon import BUILTIN_ABBREVIATIONS
from .text import has_diacritics, strip_diacritics, syllables
from .vietnamese import Abbreviations, spell_out

ACCENTED = "~"  # prefix of the accented-syllable tokens
PREAD_BELOW = 1 << 16  # posting lists shorter than this (entries) are read, not touched through the mapping

# Syllables repeat: folding each distinct one once makes a million-passage build about 2x faster.
_fold = lru_cache(maxsize=1 << 17)(strip_diacritics)


def tokens(text: str, abbreviations: Abbreviations | None = None, *, accented: str | None = None) -> list[str]:
    """Folded syllables, their adjacent pairs, abbreviation expansions, and accented syllables.

    Args:
        text: the passage or question.
        abbreviations: expand abbreviations both ways when given.
        accented: the text whose accented syllables to add; defaults to `text`. A question
            typed without accents passes its restored form; nothing is added when it has none.
    """
    said = syllables(spell_out(text))
    words = [_fold(w) for w in said]
    sequences = [words]
    if abbreviations is not None:
        sequences += abbreviations.expand(words)
    out: list[str] = []
    for seq in sequences:
        out += seq
        out += [f"{a}_{b}" for a, b in zip(seq, seq[1:], strict=False)]
    if accented is None:
        out += [ACCENTED + w for w in said]
    elif has_diacritics(accented):
        out += [ACCENTED + w for w in syllables(spell_out(accented))]
    return out


def top_rows(scores: np.ndarray, k: int, block: int = 1024) -> np.ndarray:
    """Rows of the `k` highest scores, best first, ties by row (as a full sort would give).

    A full argpartition of a million scores costs about 3 ms; instead the k-th highest of the
    block maxima bounds the k-th highest score from below (k blocks each hold a score at least
    that high), so only the rows at or above it are ranked (0.4 ms at 1M rows).
    """
    k = min(k, len(scores))
    if k < 1:
        return np.zeros(0, dtype=np.int64)
    whole = len(scores) // block * block
    if whole // block >= k:
        maxima = scores[:whole].reshape(-1, block).max(axis=1)
        bound = np.partition(maxima, len(maxima) - k)[len(maxima) - k]
        candidates = np.flatnonzero(scores >= bound)
    else:
        candidates = np.arange(len(scores))
    values = scores[candidates]
    kth = np.partition(values, len(values) - k)[len(values) - k]
    # Every row above the k-th score, then the rows tied with it lowest first (as a stable sort).
    rows = np.concatenate([candidates[values > kth], candidates[values == kth]])[:k]
    return rows[np.lexsort((rows, -scores[rows]))]


class KeywordIndex:
    """BM25 over chunk texts; row i is chunk i, like the FAISS index."""

    def __init__(self, retriever, abbreviations: Abbreviations, size: int):
        self._bm25 = retriever
        self.abbreviations = abbreviations
        self.size = size
        self._vocab = retriever.vocab_dict if retriever is not None else {}

    @classmethod
    def build(cls, texts: Iterable[str], abbreviations: Abbreviations) -> KeywordIndex:
        """BM25 (k1 1.2, b 0.75) over `texts`, read once; their tokens are held one batch at a time."""
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        # A partial, not a lambda: worker processes receive it pickled (qa/bm25_build.py).
        retriever = build_bm25(texts, functools.partial(tokens, abbreviations=abbreviations), k1=1.2, b=0.75)
        if retriever is None:
            return cls(None, abbreviations, 0)
        return cls(retriever, abbreviations, int(retriever.scores["num_docs"]))

    def search(self, question: str, k: int, *, accented: str | None = None,
               allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(row, BM25 score) pairs, best first, positive scores only.

        `accented` is the question with its accents restored when it was typed without them;
        accented tokens are added only when it (or, by default, the question) has accents.
        `allowed` (bool per row) keeps only those rows.
        """
        if self._bm25 is None or k < 1:
            return []
        # A question typed without accents adds no accented tokens: "nha may" must not prefer "may".
        accented = question if accented is None else accented
        query = [self._vocab[t] for t in tokens(question, self.abbreviations, accented=accented) if t in self._vocab]
        if not query:
            return []
        # Scores of every row in one vectorised pass (no thread pool or progress bar per query);
        # a filter zeroes the rows it drops instead of searching the whole index and looping.
        scores = self._scores(query)
        if allowed is not None:
            np.copyto(scores, 0.0, where=~allowed)
        top = top_rows(scores, k)
        return [(int(r), float(scores[r])) for r in top if scores[r] > 0]

    @functools.cached_property
    def _matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """(data, indices, indptr, rows) of the BM25 matrix as plain arrays (views of the memory maps:
        numpy.memmap's own slicing costs about 10 microseconds a call, 35 calls a question)."""
        s = self._bm25.scores
        return (np.asarray(s["data"]), np.asarray(s["indices"]), np.asarray(s["indptr"]), int(s["num_docs"]))

    @functools.cached_property
    def _files(self) -> tuple | None:
        """(file, byte offset) of the data and indices arrays when they are memory-mapped, else None."""
        s = self._bm25.scores
        if not (isinstance(s["data"], np.memmap) and isinstance(s["indices"], np.memmap) and hasattr(os, "pread")):
            return None
        return tuple((open(a.filename, "rb"), int(a.offset)) for a in (s["data"], s["indices"]))  # noqa: SIM115

    def _postings(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """One token's (scores, rows). A short list of a memory-mapped matrix is read with os.pread: a
        page fault on the mapping maps a whole page-cache folio (up to 2 MB on this kernel for freshly
        written files), so each rare token's few bytes left megabytes resident."""
        data, indices, _, _ = self._matrix
        if self._files is None or end - start > PREAD_BELOW:
            return data[start:end], indices[start:end]
        (data_file, data_at), (index_file, index_at) = self._files
        return (np.frombuffer(os.pread(data_file.fileno(), (end - start) * 4, data_at + start * 4), dtype=data.dtype),
                np.frombuffer(os.pread(index_file.fileno(), (end - start) * 4, index_at + start * 4),
                              dtype=indices.dtype))

    def _scores(self, query: list[int]) -> np.ndarray:
        """Every row's BM25 score: the posting lists of the query's tokens summed in float32, one token
        after another as bm25s does (so every score equals bm25s's `get_scores` bit for bit)."""
        if self._bm25.nonoccurrence_array is not None:  # BM25 variants other than Lucene's: not built here
            return np.asarray(self._bm25.get_scores(query), dtype=np.float32)
        data, indices, indptr, rows = self._matrix
        scores = np.zeros(rows, dtype=np.float32)
        for token in query:
            if token >= len(indptr) - 1:  # bm25s's empty-token id, past the matrix: no postings
                continue
            posting_scores, posting_rows = self._postings(int(indptr[token]), int(indptr[token + 1]))
            # add.at is the fastest scatter-add numpy has here: a gather and an indexed add took 2-3x
            # as long, np.bincount 3x; int64 rows gained nothing at 1M once their conversion counted.
            np.add.at(scores, posting_rows, posting_scores)
        return scores

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None:
            self._bm25.save(str(folder), show_progress=False)
        (folder / "abbreviations.json").write_text(
            json.dumps(self.abbreviations.pairs, ensure_ascii=False, indent=1), encoding="utf-8")
        (folder / "size.json").write_text(json.dumps({"rows": self.size}))

    @classmethod
    def load(cls, folder: Path, *, mmap: bool = False) -> KeywordIndex:
        import bm25s

        size = json.loads((folder / "size.json").read_text())["rows"]
        # The built-in abbreviations of this version too: an index built before one was added reads it.
        stored = json.loads((folder / "abbreviations.json").read_text(encoding="utf-8"))
        abbreviations = Abbreviations({**BUILTIN_ABBREVIATIONS, **stored})
        retriever = None
        if size:
            retriever = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0, mmap=mmap)
        return cls(retriever, abbreviations, size)
