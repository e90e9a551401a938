"""The store protocol: what an index keeps its vectors and keywords in, and all `Index` asks of it.

A store holds three channels over the same chunk rows: two vector channels ("passage":
one vector per chunk; "sentence": one per sentence, a chunk scored by its best sentence)
and the keyword channel (BM25). Row i is chunk i of the index's chunk table everywhere.
The default store is FAISS + bm25s in the index folder (`qa/faiss_store.py`); another engine
is one new module implementing `VectorStore`, registered in `STORES`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from .errors import InvalidArgumentError

VECTOR_CHANNELS = ("passage", "sentence")
DEFAULT_STORE = "faiss"
# kind -> "module:Class"; the class has `create(spec, dim, *, faiss, abbreviations)` and `load(folder, manifest)`.
STORES = {"faiss": "qa.faiss_store:FaissStore",
          "milvus-lite": "qa.milvus_vectorstore:MilvusVectorStore",  # pip install "qa-vi[milvus]"
          "milvus": "qa.milvus_vectorstore:MilvusVectorStore"}


@dataclass(frozen=True)
class Where:
    """A filter on chunks, both as asked (for engines with filter expressions) and as a row mask."""

    sources: frozenset[str]
    date_from: str | None  # ISO dates, inclusive; a date filter drops undated chunks
    date_to: str | None
    mask: np.ndarray  # bool, one per chunk row: True where the chunk passes


@dataclass
class StoreRows:
    """Chunks to add: rows of the chunk table with their vectors, sentences and keyword texts."""

    rows: np.ndarray  # int64 chunk rows
    doc_ids: list[str]
    sources: list[str]
    dates: list[str | None]
    vectors: np.ndarray  # (len(rows), dim) passage vectors, L2-normalised
    sentence_spans: np.ndarray  # int32 (m, 3): chunk row, start, end (relative to the chunk text)
    sentence_vectors: np.ndarray  # (m, dim), row-aligned with sentence_spans
    keyword_texts: list[str]  # what the keyword channel indexes for each row (title + text, normalised)

    def __post_init__(self):
        n = len(self.rows)
        if not (len(self.doc_ids) == len(self.sources) == len(self.dates) == len(self.keyword_texts) == n
                and self.vectors.shape[0] == n):
            raise ValueError(f"{n} rows but {self.vectors.shape[0]} vectors, {len(self.doc_ids)} doc ids, "
                             f"{len(self.keyword_texts)} keyword texts")
        if len(self.sentence_spans) != self.sentence_vectors.shape[0]:
            raise ValueError(f"{len(self.sentence_spans)} sentence spans but "
                             f"{self.sentence_vectors.shape[0]} sentence vectors")

    def without_vectors(self) -> StoreRows:
        """The same rows with empty vector arrays (what is left once the vectors are in an index)."""
        dim = self.vectors.shape[1] if self.vectors.ndim == 2 else 0
        return StoreRows(self.rows, self.doc_ids, self.sources, self.dates,
                         _no_vectors(len(self.rows), dim),
                         self.sentence_spans, _no_vectors(len(self.sentence_spans), dim), self.keyword_texts)


def _no_vectors(n: int, dim: int) -> np.ndarray:
    """An (n, dim) array that takes no memory: a read-only broadcast of one zero row."""
    return np.broadcast_to(np.zeros((1, dim), np.float32), (n, dim))


@runtime_checkable
class VectorStore(Protocol):
    """Where an index's channels live. Scores are higher-is-better; rows are chunk-table rows."""

    kind: str

    def search(self, channel: str, query: np.ndarray, n: int,
               where: Where | None = None) -> list[tuple[int, float]]:
        """The n best (chunk row, cosine) of a vector channel ("passage" or "sentence"), best first."""

    def keyword_search(self, question: str, n: int, *, accented: str | None = None,
                       where: Where | None = None) -> list[tuple[int, float]]:
        """The n best (chunk row, BM25 score > 0) of the keyword channel, best first."""

    def sentence_vector(self, row: int, start: int) -> np.ndarray | None:
        """The stored vector of the sentence starting at `start` in chunk `row`, if stored."""

    def vectors(self, channel: str) -> np.ndarray:
        """Every vector of a channel, row-aligned (passages) or aligned with `sentence_spans()`."""

    def sentence_spans(self) -> np.ndarray:
        """int32 (m, 3): chunk row, start, end of every stored sentence vector."""

    def abbreviation_pairs(self) -> dict[str, str]:
        """Abbreviation -> full form, the keyword channel's expansion table."""

    def add(self, rows: StoreRows) -> None:
        """Add chunks (rows following the stored ones) with their vectors and keyword texts."""

    def delete(self, doc_ids: Iterable[str]) -> None:
        """Remove every chunk of these articles."""

    def save(self, folder: Path) -> dict:
        """Write or commit the store; returns its manifest entry (`{"kind": ..., ...}`)."""


def store_class(kind: str):
    if kind not in STORES:
        raise InvalidArgumentError(f"store must be one of {', '.join(STORES)}, got {kind!r}")
    module, name = STORES[kind].split(":")
    return getattr(importlib.import_module(module), name)


def kind_of_spec(spec: str | None) -> str:
    """'faiss' -> 'faiss'; 'milvus-lite:PATH' -> 'milvus-lite'; 'milvus://host:port' -> 'milvus'."""
    spec = spec or DEFAULT_STORE
    if "://" in spec:
        return spec.split("://", 1)[0]
    return spec.split(":", 1)[0]


def check_store(spec: str | None) -> None:
    """Raise now, before embedding, if the store `spec` names cannot be built into."""
    cls = store_class(kind_of_spec(spec))
    if hasattr(cls, "check"):
        cls.check(spec)


def create_store(spec: str | None, dim: int, *, faiss: str | None, abbreviations) -> VectorStore:
    """An empty store to build into, of the kind `spec` names (default: FAISS + bm25s)."""
    return store_class(kind_of_spec(spec)).create(spec or DEFAULT_STORE, dim, faiss=faiss,
                                                  abbreviations=abbreviations)


def open_store(folder: Path, manifest: dict) -> VectorStore:
    """The store an index folder's manifest names (indexes before format 3: FAISS)."""
    kind = manifest.get("store", {}).get("kind", DEFAULT_STORE)
    return store_class(kind).load(folder, manifest)
