"""The default store: FAISS for the two vector channels and bm25s for the keyword channel, files in the index folder.

    vectors.faiss    passage vectors; row i is chunk i (flat, HNSW, IVF-SQ8 or PQFS-SQ8: see qa/ann.py)
    sentences.faiss  the vector of every sentence of every chunk
    sentences.npy    (chunk row, start, end) of each sentence, row-aligned with sentences.faiss
    keyword/         the bm25s index and the abbreviation table
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from . import ann
from .errors import CorruptIndexError, InvalidArgumentError
from .keyword import KeywordIndex
from .sentence_vectors import SentenceIndex
from .vectorstore import StoreRows, Where

FILES = ("vectors.faiss", "sentences.faiss", "sentences.npy", "keyword/size.json", "keyword/abbreviations.json")
log = logging.getLogger(__name__)
# From this many chunks on, the BM25 matrix and the FAISS codes are memory-mapped from the index
# files instead of read into memory: a query touches only the pages it needs, they are shared by
# every process serving the index, and the kernel can drop them again under memory pressure.
MMAP_ROWS = 200_000


def _read_faiss(path: Path, mmap: bool):
    """A FAISS index file; with `mmap` its codes (IVF lists, flat and SQ8 codes) stay in the mapped file."""
    import faiss

    return faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC if mmap else 0)


def _drop_mapped_pages(path: Path) -> int:
    """Unmap from this process the pages of `path`'s mappings it has touched so far (Linux); bytes advised.

    `path` is a file, or a folder: then every file under it. Reading a memory-mapped FAISS file copies
    its small parts (the PQ fast-scan codes, 96 MB at 1M passages; IVF centroids) through the mapping,
    and those pages would stay resident beside the copy although no search reads them again.
    MADV_DONTNEED on a read-only file mapping only forgets the pages: a later read maps them again
    from the page cache, unchanged.
    """
    if not sys.platform.startswith("linux"):
        return 0
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    target = str(path.resolve())
    advised = 0
    for line in Path("/proc/self/maps").read_text().splitlines():
        fields = line.split(maxsplit=5)
        if (len(fields) == 6 and (fields[5] == target or fields[5].startswith(target + "/"))
                and "w" not in fields[1]):
            start, end = (int(x, 16) for x in fields[0].split("-"))
            if libc.madvise(start, end - start, 4) == 0:  # MADV_DONTNEED
                advised += end - start
    return advised


MAPPED_BUDGET_MB = 2048
"""A process serving a memory-mapped index keeps at most about this much of files mapped in.

A query maps in the pages it reads (sentence IVF lists, the passage channel's SQ8 codes, long BM25
posting lists), and they stay counted in the process's resident memory until it lets go of them.
How much of a file one read maps in depends on how the file came into the page cache (a kernel maps
a whole cached folio, up to 2 MB, on one fault): the same 2,400 searches on the same 1M-passage
index left 2.5 GB resident, or 3.9 GB after the files had been read whole. Past this budget (file
pages, libraries included) the store drops its mapped pages (`_drop_mapped_pages`): the files stay
in the OS page cache, and the next query maps in again what it reads. There, 4-22 drops in 2,400
searches held the peak at 2.5 GB in both cache states, for 1-3 ms at p95 (README, "Scale").
`QA_MAPPED_BUDGET_MB` overrides it (0: drop after every search, which cost 13 ms at p95)."""


class _MappedBudget:
    """Keeps the pages of an index folder's mapped files that this process holds under a budget."""

    def __init__(self, folder: Path, budget_mb: int | None = None):
        self.folder = Path(folder)
        if budget_mb is None:
            raw = os.environ.get("QA_MAPPED_BUDGET_MB", str(MAPPED_BUDGET_MB))
            try:
                budget_mb = int(raw)
            except ValueError:
                raise InvalidArgumentError(f"QA_MAPPED_BUDGET_MB must be a whole number of megabytes, "
                                           f"got {raw!r}") from None
        self.budget_pages = budget_mb * 2**20 // os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 0
        self.drops = 0
        self._statm: int | None = None
        self._pid = -1

    def _file_pages(self) -> int | None:
        """Resident file-backed pages of this process (statm's third field: mapped index files and
        libraries), or None where there is no /proc. The file stays open (read again by position);
        a forked child opens its own."""
        if self._pid != os.getpid():
            self._pid = os.getpid()
            try:
                self._statm = os.open("/proc/self/statm", os.O_RDONLY)
            except OSError:  # not Linux: nothing to measure, nothing to drop
                self._statm = None
        return None if self._statm is None else int(os.pread(self._statm, 128, 0).split()[2])

    def check(self) -> None:
        pages = self._file_pages()
        if pages is not None and pages > self.budget_pages:
            _drop_mapped_pages(self.folder)
            self.drops += 1

    def __del__(self):
        if getattr(self, "_statm", None) is not None and self._pid == os.getpid():
            os.close(self._statm)


def _open(path: Path, mmap: bool):
    """A FAISS index file read and made ready to search (memory-mapped with `mmap`)."""
    index = ann.prepare(_read_faiss(path, mmap), path if mmap else None)
    if mmap:
        _drop_mapped_pages(path)
    return index


class FaissStore:
    """Passage and sentence vectors in FAISS, BM25 in bm25s; rewritten whole by each build."""

    kind = "faiss"

    def __init__(self, dim: int, *, faiss: str | None = None, abbreviations=None):
        self.dim = dim
        self.faiss = ann.check_kind(faiss)
        self._abbreviations = abbreviations
        self._pending: list[StoreRows] = []
        self.passage_index = None
        self._sentences: SentenceIndex | None = None
        self._keyword: KeywordIndex | None = None
        self._budget: _MappedBudget | None = None  # set when the index files are memory-mapped

    # ------------------------------------------------------------------ building
    @classmethod
    def create(cls, spec: str, dim: int, *, faiss: str | None = None, abbreviations=None) -> FaissStore:
        if spec != "faiss":
            raise InvalidArgumentError(f"the FAISS store takes no location, got {spec!r}; use --store faiss")
        return cls(dim, faiss=faiss, abbreviations=abbreviations)

    def _count(self) -> int:
        return sum(len(p.rows) for p in self._pending)

    def add(self, rows: StoreRows) -> None:
        expected = np.arange(self._count(), self._count() + len(rows.rows))
        if not np.array_equal(np.asarray(rows.rows), expected):
            raise ValueError(f"the FAISS store takes rows in order: expected rows from {self._count()}, "
                             f"got {list(rows.rows[:3])}...")
        self._pending.append(rows)

    def delete(self, doc_ids: Iterable[str]) -> None:
        """Drop these articles' chunks from what is still to be saved; later rows move up."""
        gone = set(doc_ids)
        merged = self._merged()
        keep = np.array([d not in gone for d in merged.doc_ids], dtype=bool)
        new_row = np.cumsum(keep) - 1
        sentence_keep = keep[merged.sentence_spans[:, 0]] if len(merged.sentence_spans) else np.zeros(0, bool)
        spans = merged.sentence_spans[sentence_keep].copy()
        if len(spans):
            spans[:, 0] = new_row[spans[:, 0]]
        idx = np.flatnonzero(keep)
        self._pending = [StoreRows(np.arange(len(idx)), [merged.doc_ids[i] for i in idx],
                                   [merged.sources[i] for i in idx], [merged.dates[i] for i in idx],
                                   merged.vectors[idx], spans, merged.sentence_vectors[sentence_keep],
                                   [merged.keyword_texts[i] for i in idx])]

    def _merged(self) -> StoreRows:
        parts = self._pending
        if len(parts) == 1:  # one add (a build): no copy of its vectors
            return parts[0]
        spans = [p.sentence_spans for p in parts]
        return StoreRows(
            np.concatenate([p.rows for p in parts]) if parts else np.zeros(0, np.int64),
            [d for p in parts for d in p.doc_ids], [s for p in parts for s in p.sources],
            [d for p in parts for d in p.dates],
            np.concatenate([p.vectors for p in parts]) if parts else np.zeros((0, self.dim), np.float32),
            np.concatenate(spans).astype(np.int32).reshape(-1, 3) if spans else np.zeros((0, 3), np.int32),
            (np.concatenate([p.sentence_vectors for p in parts]) if parts
             else np.zeros((0, self.dim), np.float32)),
            [t for p in parts for t in p.keyword_texts])

    def save(self, folder: Path) -> dict:
        """Build the FAISS indexes (kind chosen per channel by size) and BM25, write them into `folder`.

        Each FAISS channel is filled in batches and written, then this store lets go of its float32
        vectors (and of the FAISS object) before the next stage, so a large build never holds the
        vectors, the FAISS codes and the keyword index at once; the written indexes are read back
        at the end. A caller that passed its only reference to the vectors frees them here.
        """
        import faiss

        merged = self._merged()
        spans = merged.sentence_spans
        if len(spans) and np.any(np.diff(spans[:, 0]) < 0):
            raise ValueError("sentence spans must be sorted by chunk row")
        folder = Path(folder)
        entry = {"kind": self.kind, "faiss": self.faiss}
        # Once a channel's float32 vectors are in FAISS they are dropped (the passage vectors before
        # the sentence channel is filled): what stays is what the keyword build and a later delete()
        # need (a store is saved once; delete() after save() has no vectors to move).
        self._pending = [merged]
        del merged
        for channel, field, name in (("passage", "vectors", "vectors.faiss"),
                                     ("sentence", "sentence_vectors", "sentences.faiss")):
            started = time.perf_counter()
            vectors = getattr(self._pending[0], field)
            built = ann.make(ann.resolve(self.faiss, len(vectors), channel), self.dim, vectors)
            entry[channel] = ann.describe(built)
            faiss.write_index(built, str(folder / name))
            log.info("%s vectors: %s in %.1f s", channel, entry[channel], time.perf_counter() - started)
            del built, vectors
            setattr(self._pending[0], field, getattr(self._pending[0].without_vectors(), field))
        np.save(folder / "sentences.npy", spans, allow_pickle=False)
        started = time.perf_counter()
        texts = self._pending[0].keyword_texts
        keyword = KeywordIndex.build(texts, self._abbreviations)
        keyword.save(folder / "keyword")
        log.info("keyword index: %d passages in %.1f s", keyword.size, time.perf_counter() - started)
        # Read back as `load` would (memory-mapped at scale): the build loads the index again
        # right after, and an in-memory copy here would only add to its peak.
        mmap = len(self._pending[0].rows) >= MMAP_ROWS
        self.passage_index = _open(folder / "vectors.faiss", mmap)
        self._sentences = SentenceIndex(_open(folder / "sentences.faiss", mmap), spans)
        self._keyword = keyword
        self._budget = _MappedBudget(folder) if mmap else None
        entry["metric"] = "inner product on L2-normalised vectors"
        return entry

    # ------------------------------------------------------------------ reading
    @classmethod
    def load(cls, folder: Path, manifest: dict) -> FaissStore:
        folder = Path(folder)
        store = cls(int(manifest["model"]["dim"]), faiss=manifest.get("store", {}).get("faiss", ann.AUTO))
        try:
            mmap = int(manifest["corpus"]["chunks"]) >= MMAP_ROWS
            store.passage_index = _open(folder / "vectors.faiss", mmap)
            spans = np.load(folder / "sentences.npy", allow_pickle=False)
            rows = np.ascontiguousarray(spans[:, 0]) if spans.ndim == 2 and len(spans) else None
            if mmap and rows is not None:
                # A query needs only each sentence's chunk row (18 MB at 4.5M sentences); the spans
                # (54 MB) stay in the mapped file for the answer step's few look-ups.
                spans = np.load(folder / "sentences.npy", allow_pickle=False, mmap_mode="r")
            sentence_index = _open(folder / "sentences.faiss", mmap)
            store._keyword = KeywordIndex.load(folder / "keyword", mmap=mmap)
        except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
            raise CorruptIndexError(f"cannot read the index at {str(folder)!r}: {exc}; "
                                    "rebuild it with `qa index`") from exc
        if (sentence_index.ntotal != len(spans) or spans.ndim != 2
                or (rows is not None and int(rows.max()) >= store.passage_index.ntotal)):
            raise CorruptIndexError(
                f"index at {str(folder)!r} has sentence vectors that do not match its chunks; rebuild it")
        store._sentences = SentenceIndex(sentence_index, spans, rows=rows)
        store._budget = _MappedBudget(folder) if mmap else None
        return store

    def __len__(self) -> int:
        return 0 if self.passage_index is None else int(self.passage_index.ntotal)

    def search(self, channel: str, query: np.ndarray, n: int,
               where: Where | None = None) -> list[tuple[int, float]]:
        mask = None if where is None else where.mask
        if channel == "passage":
            found = ann.search(self.passage_index, query, n, mask) if n >= 1 else []
        elif channel == "sentence":
            found = self._sentences.search(query, n, mask)
        else:
            raise InvalidArgumentError(f"vector channel must be 'passage' or 'sentence', got {channel!r}")
        if self._budget is not None:
            self._budget.check()
        return found

    def keyword_search(self, question: str, n: int, *, accented: str | None = None,
                       where: Where | None = None) -> list[tuple[int, float]]:
        found = self._keyword.search(question, n, accented=accented, allowed=None if where is None else where.mask)
        if self._budget is not None:
            self._budget.check()
        return found

    def sentence_vector(self, row: int, start: int) -> np.ndarray | None:
        return self._sentences.vector(row, start)

    def vectors(self, channel: str) -> np.ndarray:
        if channel == "passage":
            return ann.all_vectors(self.passage_index)
        if channel == "sentence":
            return ann.all_vectors(self._sentences._index)
        raise InvalidArgumentError(f"vector channel must be 'passage' or 'sentence', got {channel!r}")

    def sentence_spans(self) -> np.ndarray:
        return self._sentences.spans

    def abbreviation_pairs(self) -> dict[str, str]:
        return dict(self._keyword.abbreviations.pairs)

    @property
    def sentence_index(self):
        return self._sentences._index
