"""A memory-lean bm25s build: passages tokenised in batches into integer ids, the BM25 matrix made with numpy.

`bm25s.BM25.index` wants every passage's tokens at once (as strings or id lists): about 7 GB
of Python objects at 100,000 passages. This builds the same index (bm25s's Lucene BM25: the
same IDF, term-frequency component, float32 scores and CSC layout, so every score is equal)
while holding only one batch of tokens at a time; what stays is a (token id, count) pair per
distinct token of each passage in numpy arrays, 8 bytes each.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np

from .parallel import map_batches

_KEY_SPAN = 1 << 16  # tokens per range of the CSC sort: a 16-bit sort key


def _pack(ids: list[int], counts: list[int], widths: list[int], lengths: list[int]):
    """One batch as numpy arrays; the lists are emptied for the next batch."""
    out = (np.asarray(ids, dtype=np.int32), np.asarray(counts, dtype=np.float32),
           np.asarray(widths, dtype=np.int64), np.asarray(lengths, dtype=np.int64))
    for column in (ids, counts, widths, lengths):
        column.clear()
    return out


class _Numbering(dict):
    """token -> id, a new token numbered next when first looked up: looking up known tokens through
    `map` stays in C (20,000 passages: 0.7-0.8 s instead of 1.1-1.3 s with a `setdefault` call per
    token; tokenising them takes 7-9 s)."""

    def __missing__(self, token: str) -> int:
        self[token] = number = len(self)
        return number


def _tokenise(tokenize: Callable[[str], list[str]], texts: list[str]):
    """One batch: its distinct tokens in order of first appearance and the packed (id, count) columns,
    ids numbered within the batch. Runs in a worker process when the build has several."""
    local = _Numbering()
    ids: list[int] = []  # token id of each (passage, distinct token)
    counts: list[int] = []  # its count in the passage
    widths: list[int] = []  # per passage: distinct tokens
    lengths: list[int] = []  # per passage: all tokens
    for text in texts:
        tokens = tokenize(text)
        # Counter keeps first-occurrence order, as bm25s's per-passage Counter does; the strings are
        # counted first (in C) and only the distinct ones numbered, in that same order.
        tally = Counter(tokens)
        ids.extend(map(local.__getitem__, tally))  # a new token is numbered by __missing__
        counts.extend(tally.values())
        widths.append(len(tally))
        lengths.append(len(tokens))
    return list(local), *_pack(ids, counts, widths, lengths)


def build_bm25(texts: Iterable[str], tokenize: Callable[[str], list[str]], *, k1: float = 1.2, b: float = 0.75,
               workers: int | None = None):
    """A `bm25s.BM25` (Lucene variant) over `texts`, read once in order; None when there are none.

    `tokenize` turns one passage into its tokens (picklable when `workers` > 1); the vocabulary is
    numbered in order of first appearance, so the same texts give the same index in every process
    and with any number of workers (`workers`: see `qa.parallel.workers_for`, its default).
    """
    import bm25s

    vocab = _Numbering()
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []  # packed batches
    for local, ids, counts, widths, lengths in map_batches(functools.partial(_tokenise, tokenize), texts, workers):
        # The batch's tokens in its order of first appearance: numbered after those of earlier batches.
        remap = np.fromiter(map(vocab.__getitem__, local), dtype=np.int32, count=len(local))
        parts.append((remap[ids] if len(ids) else ids, counts, widths, lengths))
    if not parts:
        return None
    token_parts, count_parts, width_parts, length_parts = (list(column) for column in zip(*parts, strict=True))
    del parts
    widths_all, lengths_all = np.concatenate(width_parts), np.concatenate(length_parts)
    n_docs = len(widths_all)
    if n_docs == 0:
        return None
    token_ids = np.concatenate(token_parts)  # column by column: each batch list is freed as it is joined
    del token_parts
    tf = np.concatenate(count_parts)
    del count_parts

    n_vocab = len(vocab)
    avg_doc_len = lengths_all.mean()  # bm25s: np.array of the lengths (int64), .mean()
    doc_freqs = np.bincount(token_ids, minlength=n_vocab)
    idf = np.zeros(n_vocab, dtype=np.float32)
    for token, df in enumerate(doc_freqs.tolist()):  # bm25s: Python floats per token, stored as float32
        if df:
            idf[token] = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
    # bm25s per passage: tf / (k1 * ((1 - b) + b * l_d / l_avg) + tf) * idf, in float64, stored
    # as float32. The same float64 operations element-wise give the same values.
    norm = k1 * ((1 - b) + b * lengths_all.astype(np.float64) / avg_doc_len)
    del lengths_all
    ends = np.cumsum(widths_all)  # entry i belongs to passage searchsorted(ends, i, "right")
    del widths_all
    scores = np.empty(len(tf), dtype=np.float32)
    step = 1 << 24
    for start in range(0, len(tf), step):  # in slices: float64 temporaries stay small
        part = slice(start, start + step)
        t = tf[part].astype(np.float64)
        docs = np.searchsorted(ends, np.arange(start, start + len(t)), side="right")
        scores[part] = idf[token_ids[part]].astype(np.float64) * (t / (norm[docs] + t))
    del tf, norm

    # CSC by token: bm25s sorts by (token, passage); entries are already in passage order, so a
    # stable sort by token gives the same order. Done a range of tokens at a time, so that the
    # sort's index arrays are a fraction of the entries, not 16 bytes for each. A range spans at
    # most 65,536 tokens, so it sorts by a 16-bit key (numpy's stable sort is then a radix sort).
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(np.bincount(token_ids, minlength=n_vocab), out=indptr[1:])
    data = np.empty(len(scores), dtype=np.float32)
    indices = np.empty(len(scores), dtype=np.int32)
    by_entries = np.searchsorted(indptr, np.linspace(0, len(scores), 9)[1:-1])
    bounds = np.unique(np.concatenate([[0, n_vocab], np.minimum(by_entries, n_vocab), np.arange(0, n_vocab, _KEY_SPAN)]))
    part_of = np.empty(len(token_ids), dtype=np.uint16)  # the range of each entry
    for start in range(0, len(token_ids), step):  # in slices: no int64 array of every entry
        part = slice(start, start + step)
        part_of[part] = np.searchsorted(bounds, token_ids[part], side="right") - 1
    for part, (lo, hi) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)):
        at = np.flatnonzero(part_of == part)  # in passage order
        docs = np.searchsorted(ends, at, side="right")  # increasing keys: each search starts at the last
        order = np.argsort((token_ids[at] - lo).astype(np.uint16), kind="stable")
        data[indptr[lo] : indptr[hi]] = scores[at[order]]
        indices[indptr[lo] : indptr[hi]] = docs[order]
    del token_ids, scores, part_of

    retriever = bm25s.BM25(k1=k1, b=b)
    retriever.nonoccurrence_array = None
    retriever.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": n_docs}
    vocab[""] = n_vocab if "" not in vocab else vocab[""]  # bm25s's empty token, past the matrix
    retriever.vocab_dict = dict(vocab)
    retriever.unique_token_ids_set = set(vocab.values())
    return retriever
