"""FAISS index kinds for a vector channel: exact flat, or approximate HNSW / IVF-SQ8 above a size threshold.

Every vector is L2-normalised, so inner product is cosine similarity in every kind. Flat is
exact and, for small channels, also the fastest; its cost grows with every stored vector, so
large channels switch to an approximate kind. IVF-SQ8 stores one byte per dimension (a quarter
of flat's memory) and scans only `nprobe` of its lists per query; HNSW keeps full vectors plus
a graph (more memory than flat) for the lowest latency.
"""

from __future__ import annotations

import math

import numpy as np

from .errors import InvalidArgumentError

FLAT, HNSW, IVF_SQ8, AUTO = "flat", "hnsw", "ivf-sq8", "auto"
KINDS = (AUTO, FLAT, HNSW, IVF_SQ8)
# Channels with fewer vectors stay flat under "auto". Measured one query at a time, one thread
# (scripts/benchmark.py --ann-sweep, README "Scale"): flat costs 1.1 ms at 10k vectors, 5.8 ms at
# 50k, 13.7 ms at 100k, 53 ms at 400k; IVF-SQ8 0.2-1.2 ms at all of these. Below 20k flat is exact
# and costs under about 2 ms of a query; above it, it is most of the query budget and grows.
AUTO_THRESHOLD = 20_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 64
HNSW_EF_SEARCH = 96
IVF_NPROBE = 48  # recall@10 against exact 0.966 at 100k and 0.967 at 400k vectors (24: 0.944 / 0.954)
EXACT_BELOW = 4096  # a filter keeping fewer rows than this is scored exactly on those rows


def check_kind(kind: str | None) -> str:
    kind = kind or AUTO
    if kind not in KINDS:
        raise InvalidArgumentError(f"faiss must be one of {', '.join(KINDS)}, got {kind!r}")
    return kind


def resolve(kind: str | None, count: int) -> str:
    """The concrete kind for a channel of `count` vectors ("auto": flat below AUTO_THRESHOLD)."""
    kind = check_kind(kind)
    if kind != AUTO:
        return kind
    return FLAT if count < AUTO_THRESHOLD else IVF_SQ8


def nlist_for(count: int) -> int:
    """Inverted lists for `count` vectors: about 4 sqrt(n), at least 39 training points per list."""
    return max(1, min(int(4 * math.sqrt(max(count, 1))), count // 39))


def make(kind: str, dim: int, vectors: np.ndarray, *, seed: int = 0):
    """A FAISS index of `kind` ("flat", "hnsw", "ivf-sq8") holding `vectors`; row i is vector i."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dim)
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
        # Training on a seeded sample keeps builds reproducible and bounded in time.
        sample = vectors
        if len(vectors) > nlist * 64:
            rows = np.random.default_rng(seed).choice(len(vectors), nlist * 64, replace=False)
            sample = vectors[np.sort(rows)]
        if len(sample):
            index.train(sample)
        index.nprobe = min(IVF_NPROBE, nlist)
    else:
        raise InvalidArgumentError(f"faiss index kind must be one of {', '.join(KINDS[1:])}, got {kind!r}")
    if len(vectors):
        index.add(vectors)
    return index


def kind_of(index) -> str:
    import faiss

    if isinstance(index, faiss.IndexHNSW):
        return HNSW
    if isinstance(index, faiss.IndexIVF):
        return IVF_SQ8
    return FLAT


def prepare(index):
    """Make a loaded index ready to search and to give back single vectors."""
    import faiss

    if isinstance(index, faiss.IndexIVF):
        index.make_direct_map()  # reconstruct(row) for the answer step and incremental builds
    return index


def describe(index) -> dict:
    """The manifest entry of one channel's index."""
    kind = kind_of(index)
    out: dict = {"kind": kind, "vectors": int(index.ntotal), "class": type(index).__name__}
    if kind == HNSW:
        out.update(M=HNSW_M, ef_construction=HNSW_EF_CONSTRUCTION, ef_search=HNSW_EF_SEARCH)
    elif kind == IVF_SQ8:
        out.update(nlist=int(index.nlist), nprobe=int(index.nprobe), codec="SQ8")
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
        scores, ids = index.search(query, depth)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
    allowed = np.flatnonzero(mask)
    if len(allowed) == 0:
        return []
    kind = kind_of(index)
    if len(allowed) <= EXACT_BELOW and kind != FLAT:
        # A narrow filter: scoring its rows exactly is cheaper and better than a filtered graph/list walk.
        vectors = index.reconstruct_batch(allowed.astype(np.int64))
        scores = vectors @ query[0]
        top = np.argsort(-scores, kind="stable")[:depth]
        return [(int(allowed[i]), float(scores[i])) for i in top]
    bits = np.packbits(mask, bitorder="little")  # must outlive the search: the selector points into it
    selector = faiss.IDSelectorBitmap(total, faiss.swig_ptr(bits))
    if kind == IVF_SQ8:
        # Few allowed rows per list: probe more lists so that `depth` of them are reached.
        share = len(allowed) / total
        nprobe = min(int(index.nlist), max(int(index.nprobe), int(math.ceil(index.nprobe / max(share, 1e-9) ** 0.5))))
        params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
    elif kind == HNSW:
        params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(HNSW_EF_SEARCH, depth))
    else:
        params = faiss.SearchParameters(sel=selector)
    scores, ids = index.search(query, min(depth, len(allowed)), params=params)
    return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
