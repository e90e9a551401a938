"""FAISS index kinds for a vector channel: exact flat, or approximate HNSW / IVF-SQ8 / PQFS-SQ8 above a size threshold.

Every vector is L2-normalised, so inner product is cosine similarity in every kind. Flat is
exact and, for small channels, also the fastest; its cost grows with every stored vector, so
large channels switch to an approximate kind. IVF-SQ8 stores one byte per dimension (a quarter
of flat's memory) and scans only `nprobe` of its lists per query; HNSW keeps full vectors plus
a graph (more memory than flat) for the lowest latency. PQFS-SQ8 scans every vector's 4-bit
product-quantised code (FAISS fast scan, half a byte per 2 dimensions) for the REFINE_DEPTH best
candidates and re-ranks them on one-byte-per-dimension SQ8 codes: it costs a linear scan, but a
cheap one, and unlike IVF it does not miss vectors whose scores nearly tie (the passage channel's
case, README "Scale").
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np

from .errors import InvalidArgumentError

FLAT, HNSW, IVF_SQ8, PQFS_SQ8, AUTO = "flat", "hnsw", "ivf-sq8", "pqfs-sq8", "auto"
KINDS = (AUTO, FLAT, HNSW, IVF_SQ8, PQFS_SQ8)
# Channels with fewer vectors stay flat under "auto". Measured one query at a time, one thread
# (scripts/benchmark.py --ann-sweep, README "Scale"): flat costs 1.1 ms at 10k vectors, 5.8 ms at
# 50k, 13.7 ms at 100k, 53 ms at 400k; IVF-SQ8 0.2-1.2 ms at all of these. Below 20k flat is exact
# and costs under about 2 ms of a query; above it, it is most of the query budget and grows.
AUTO_THRESHOLD = 20_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 64
HNSW_EF_SEARCH = 96
IVF_NPROBE = 48  # recall@10 against exact 0.966 at 100k and 0.967 at 400k vectors (24: 0.944 / 0.954)
# PQFS-SQ8 (auto's kind for the passage channel above AUTO_THRESHOLD): one 4-bit sub-quantizer
# per 2 dimensions (192 for the default model), then the best REFINE_DEPTH re-ranked on SQ8 codes. Synthetic passage
# vectors, recall@10 against exact: 0.974 at 100k (1.8 ms), 0.966 at 300k (3.5 ms); IVF-SQ8 needed
# 24-32% of its lists probed for 0.95 (3.2 ms at 100k, 15 ms at 300k). Those were with the best 1,000
# re-ranked; at 1M passages recall@10 was 0.950 with 1,000, 0.961 with 1,500, 0.964 with 2,000 and 0.965
# with 3,000, and 2,000 cost no measurable hybrid latency (p95 within the runs' 3 ms spread; README "Scale").
REFINE_DEPTH = 2000
FILTER_RERANK_MAX = 20_000  # a filtered PQFS-SQ8 search re-ranks at most this many candidates
ADD_BATCH = 65_536  # vectors converted to float32 and added to FAISS at a time
TRAIN_PER_LIST = 64  # IVF training sample: this many vectors per list, seeded
# k-means iterations of the IVF training (FAISS's default is 10). Sentence-like vectors, recall@10
# against exact at nprobe 48: 0.966 with 10 and with 3 at 1.35M vectors (4,647 lists; training 32.9
# against 17.4 s), 0.966 / 0.967 at 450k (17.2 against 7.2 s).
IVF_TRAIN_ITERATIONS = 3
EXACT_BELOW = 4096  # a filter keeping fewer rows than this is scored exactly on those rows


def check_kind(kind: str | None) -> str:
    kind = kind or AUTO
    if kind not in KINDS:
        raise InvalidArgumentError(f"faiss must be one of {', '.join(KINDS)}, got {kind!r}")
    return kind


def resolve(kind: str | None, count: int, channel: str = "sentence") -> str:
    """The concrete kind for a channel of `count` vectors.

    "auto": flat below AUTO_THRESHOLD; above it PQFS-SQ8 for the passage channel, IVF-SQ8 for
    the sentence channel (four times as many vectors, whose scores do not tie).
    """
    kind = check_kind(kind)
    if kind != AUTO:
        return kind
    if count < AUTO_THRESHOLD:
        return FLAT
    return PQFS_SQ8 if channel == "passage" else IVF_SQ8


def nlist_for(count: int) -> int:
    """Inverted lists for `count` vectors: about 4 sqrt(n), at least 39 training points per list."""
    return max(1, min(int(4 * math.sqrt(max(count, 1))), count // 39))


def _sample(vectors, count: int, seed: int) -> np.ndarray:
    """At most `count` rows of `vectors`, seeded, in row order, as float32."""
    if len(vectors) > count:
        rows = np.random.default_rng(seed).choice(len(vectors), count, replace=False)
        return np.ascontiguousarray(vectors[np.sort(rows)], dtype=np.float32)
    return np.ascontiguousarray(vectors[:], dtype=np.float32)


def make(kind: str, dim: int, vectors: np.ndarray, *, seed: int = 0, nprobe: int | None = None,
         iterations: int = IVF_TRAIN_ITERATIONS):
    """A FAISS index of `kind` ("flat", "hnsw", "ivf-sq8", "pqfs-sq8") holding `vectors`; row i is vector i.

    `vectors` is any 2-d array (a memory-mapped one too): IVF is trained on a seeded sample and
    every kind is filled ADD_BATCH rows at a time, so no float32 copy of the whole array is made.
    `nprobe` (IVF): lists probed per query (default IVF_NPROBE); `iterations` (IVF): k-means iterations
    of its training.
    """
    import faiss

    if vectors.ndim != 2 or vectors.shape[1] != dim:
        vectors = np.asarray(vectors).reshape(-1, dim)
    if kind == FLAT:
        index = faiss.IndexFlatIP(dim)
    elif kind == HNSW:
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    elif kind == IVF_SQ8:
        nlist = nlist_for(len(vectors))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFScalarQuantizer(quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit,
                                              faiss.METRIC_INNER_PRODUCT)
        index.own_fields = True
        quantizer.this.disown()
        index.cp.niter = iterations
        # Training on a seeded sample keeps builds reproducible and bounded in time.
        sample = _sample(vectors, nlist * TRAIN_PER_LIST, seed)
        if len(sample):
            index.train(sample)
        del sample
        index.nprobe = min(IVF_NPROBE if nprobe is None else nprobe, nlist)
    elif kind == PQFS_SQ8:
        base = faiss.IndexPQFastScan(dim, dim // 2 if dim % 2 == 0 else dim, 4, faiss.METRIC_INNER_PRODUCT)
        codes = faiss.IndexScalarQuantizer(dim, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
        sample = _sample(vectors, 65_536, seed)
        if len(sample):
            # 16 centroids per sub-quantizer: a tiny channel is repeated to 256 training rows (its
            # candidates are all re-ranked anyway, so how well the PQ fits does not matter there).
            base.train(np.resize(sample, (max(len(sample), 256), dim)))
            codes.train(sample)
        del sample
        index = faiss.IndexRefine(base, codes)
        index.own_fields = True
        base.this.disown()
        codes.this.disown()
    else:
        raise InvalidArgumentError(f"faiss index kind must be one of {', '.join(KINDS[1:])}, got {kind!r}")
    if kind == HNSW:  # one add: HNSW orders each add's points by level, so batches would change the graph
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return index
    for start in range(0, len(vectors), ADD_BATCH):
        index.add(np.ascontiguousarray(vectors[start : start + ADD_BATCH], dtype=np.float32))
    return index


def kind_of(index) -> str:
    import faiss

    if isinstance(index, faiss.IndexHNSW):
        return HNSW
    if isinstance(index, faiss.IndexIVF):
        return IVF_SQ8
    if isinstance(index, faiss.IndexRefine):
        return PQFS_SQ8
    return FLAT


def _row_map(index, path: Path) -> tuple[np.ndarray, np.ndarray] | None:
    """(list, offset in the list) of every vector of an IVF index memory-mapped from `path`, or None.

    FAISS's own direct map walks every list's ids through the mapping, and each page fault maps
    up to 16 neighbouring pages of codes with them: 526 MB of a 1.8 GB file resident at load for
    4.5M sentences. The ids are instead read with positioned reads: FAISS writes the lists last,
    each as its codes then its ids (int64), so the ids' places follow from the list sizes. The
    first and last non-empty lists are checked against FAISS; None (use FAISS's map) on any doubt.
    """
    import faiss

    invlists = index.invlists
    sizes = np.array([invlists.list_size(i) for i in range(index.nlist)], dtype=np.int64)
    code_size = int(index.code_size)
    ends = path.stat().st_size - int((sizes * (code_size + 8)).sum()) + np.cumsum(sizes * (code_size + 8))
    if not len(sizes) or ends[0] < sizes[0] * (code_size + 8) or sizes.sum() != index.ntotal:
        return None
    lists = np.full(int(index.ntotal), -1, dtype=np.int32)
    offsets = np.zeros(int(index.ntotal), dtype=np.int32)
    nonempty = np.flatnonzero(sizes)
    with path.open("rb") as f:
        for i in nonempty.tolist():
            n = int(sizes[i])
            ids = np.frombuffer(os.pread(f.fileno(), n * 8, int(ends[i]) - n * 8), dtype=np.int64)
            if ids.min() < 0 or ids.max() >= index.ntotal:
                return None
            lists[ids] = i
            offsets[ids] = np.arange(n, dtype=np.int32)
    for i in (nonempty[:1].tolist() + nonempty[-1:].tolist()):
        ids = faiss.rev_swig_ptr(invlists.get_ids(i), int(sizes[i]))
        if not (np.array_equal(lists[ids], np.full(len(ids), i)) and np.array_equal(offsets[ids], np.arange(len(ids)))):
            return None
    if (lists < 0).any():
        return None
    return lists, offsets


def prepare(index, path: Path | None = None):
    """Make a loaded index ready to search and to give back single vectors (`reconstruct`).

    `path`: the file an IVF index is memory-mapped from; its row map is then read from the file
    (see `_row_map`) instead of FAISS's direct map being made through the mapping.
    """
    import faiss

    if isinstance(index, faiss.IndexIVF):
        rows = _row_map(index, path) if path is not None and hasattr(os, "pread") else None
        if rows is None:
            index.make_direct_map()  # reconstruct(row) for the answer step and incremental builds
        else:
            # Kept on the Python object (read by `reconstruct`); faiss's wrapper refuses new attributes
            # through setattr, to catch misspelt parameters.
            object.__setattr__(index, "qa_row_map", rows)
    return index


def reconstruct(index, rows) -> np.ndarray:
    """The stored (decoded) vectors of `rows` (an int or an array of them), shape (d,) or (len(rows), d)."""
    import faiss

    row_map = getattr(index, "qa_row_map", None)
    if row_map is None:
        if np.ndim(rows) == 0:
            return index.reconstruct(int(rows))
        return index.reconstruct_batch(np.asarray(rows, dtype=np.int64))
    lists, offsets = row_map
    wanted = np.atleast_1d(np.asarray(rows, dtype=np.int64))
    out = np.empty((len(wanted), index.d), dtype=np.float32)
    for j, row in enumerate(wanted.tolist()):
        if not 0 <= row < len(lists):
            raise IndexError(f"vector row {row} out of range (0..{len(lists) - 1})")
        index.reconstruct_from_offset(int(lists[row]), int(offsets[row]), faiss.swig_ptr(out[j]))
    return out[0] if np.ndim(rows) == 0 else out


def describe(index) -> dict:
    """The manifest entry of one channel's index."""
    import faiss

    kind = kind_of(index)
    out: dict = {"kind": kind, "vectors": int(index.ntotal), "class": type(index).__name__}
    if kind == HNSW:
        out.update(M=HNSW_M, ef_construction=HNSW_EF_CONSTRUCTION, ef_search=HNSW_EF_SEARCH)
    elif kind == IVF_SQ8:
        out.update(nlist=int(index.nlist), nprobe=int(index.nprobe), codec="SQ8")
    elif kind == PQFS_SQ8:
        out.update(pq_m=int(faiss.downcast_index(index.base_index).pq.M), pq_bits=4, refine="SQ8",
                   refine_depth=REFINE_DEPTH)
    return out


def all_vectors(index) -> np.ndarray:
    """Every stored vector (decoded: approximate for SQ8), row-aligned."""
    if index.ntotal == 0:
        return np.zeros((0, index.d), dtype=np.float32)
    return index.reconstruct_n(0, index.ntotal)


def search(index, query: np.ndarray, depth: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
    """(row, inner product) of the `depth` nearest rows allowed by `mask` (bool per row), best first."""
    import faiss

    total = int(index.ntotal)
    depth = min(depth, total)
    if depth < 1:
        return []
    query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
    if mask is None:
        if kind_of(index) == PQFS_SQ8:
            # The REFINE_DEPTH best by PQ code, re-ranked on SQ8 codes (k_factor is not saved in the file).
            params = faiss.IndexRefineSearchParameters(k_factor=max(REFINE_DEPTH, 4 * depth) / depth)
            scores, ids = index.search(query, depth, params=params)
        else:
            scores, ids = index.search(query, depth)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
    allowed = np.flatnonzero(mask)
    if len(allowed) == 0:
        return []
    kind = kind_of(index)
    share = len(allowed) / total  # of the rows the filter keeps
    if len(allowed) <= EXACT_BELOW and kind != FLAT:
        # A narrow filter: scoring its rows exactly is cheaper and better than a filtered graph/list walk.
        vectors = reconstruct(index, allowed)
        scores = vectors @ query[0]
        top = np.argsort(-scores, kind="stable")[:depth]
        return [(int(allowed[i]), float(scores[i])) for i in top]
    if kind == PQFS_SQ8:
        # Fast scan takes no selector: re-rank enough candidates that about REFINE_DEPTH of them
        # pass the filter, then keep those (as cheap as an unfiltered search for wide filters).
        wide = int(math.ceil(max(REFINE_DEPTH, 4 * depth) / share))
        if wide <= FILTER_RERANK_MAX:
            wide = min(wide, total)
            params = faiss.IndexRefineSearchParameters(k_factor=1.0)
            scores, ids = index.search(query, wide, params=params)
            ids, scores = ids[0], scores[0]
            found = ids >= 0
            keep = np.flatnonzero(found & mask[np.where(found, ids, 0)])[:depth]
            return list(zip(ids[keep].tolist(), scores[keep].tolist(), strict=True))
    bits = np.packbits(mask, bitorder="little")  # must outlive the search: the selector points into it
    selector = faiss.IDSelectorBitmap(total, faiss.swig_ptr(bits))
    if kind == IVF_SQ8:
        # Few allowed rows per list: probe more lists so that `depth` of them are reached.
        nprobe = min(int(index.nlist), max(int(index.nprobe), int(math.ceil(index.nprobe / max(share, 1e-9) ** 0.5))))
        params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
    elif kind == HNSW:
        params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(HNSW_EF_SEARCH, depth))
    elif kind == PQFS_SQ8:
        # A filter too narrow for the re-rank above: scan the allowed rows' SQ8 codes.
        index = faiss.downcast_index(index.refine_index)
        params = faiss.SearchParameters(sel=selector)
    else:
        params = faiss.SearchParameters(sel=selector)
    scores, ids = index.search(query, min(depth, len(allowed)), params=params)
    return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
