"""The Milvus store behind the project's store protocol (add rows, delete articles, search a channel, save/load).

Written against the protocol drafted in the `scale` branch (qa/vectorstore.py: `StoreRows`,
`Where`, `VectorStore`), duck-typed so that this module imports nothing from it: register it
there as `STORES["milvus-lite"] = STORES["milvus"] = "qa.milvus_vectorstore:MilvusVectorStore"`.

Each build writes a new set of collections (`qa_<time>_<random>`), so that an index being
rebuilt keeps answering from its previous collections until the new manifest is in place;
`prune` drops the sets no manifest names any more.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from .errors import CorruptIndexError
from .milvus_store import MilvusStore, PassageRow, SentenceRow, connect, parse_store

PREFIX = "qa_"
_BUILD = re.compile(r"qa_\d{14}_[0-9a-f]{6}")  # the collection sets `create` names
_PAGE = 10_000  # rows per query when reading a channel back (Milvus caps a query at 16,384)


def _build_name() -> str:
    return f"{PREFIX}{time.strftime('%Y%m%d%H%M%S', time.gmtime())}_{secrets.token_hex(3)}"


def _filters(where) -> dict:
    if where is None:
        return {}
    return {"sources": sorted(where.sources) or None, "date_from": where.date_from, "date_to": where.date_to}


class MilvusVectorStore:
    """`VectorStore` over a `MilvusStore`: rows are chunk rows; sentence ids count up in insertion order,
    from 0 in a new set, and after the highest stored one when rows are added later."""

    def __init__(self, store: MilvusStore):
        self.store = store
        self.kind = store.spec.kind
        self._next_sentence: int | None = None  # the next free sentence id, found on the first add

    def _max_id(self, channel: str) -> int:
        """The highest id stored in a channel (-1 when empty).

        Milvus Lite has no max aggregate: a galloping search with `id >= X` queries of one row,
        each answer's id raising the lower bound (about 2 log2(max id) queries, ~40 at a million).
        """
        collection = self.store.collections[channel]

        def at_least(x: int) -> int | None:  # some stored id >= x, or None
            found = self.store.client.query(collection, filter=f"id >= {x}", output_fields=["id"], limit=1)
            return int(found[0]["id"]) if found else None

        low = at_least(0)
        if low is None:
            return -1
        high = max(1, 2 * low)  # no stored id >= high once the loop ends
        while (found := at_least(high)) is not None:
            low, high = found, 2 * found + 1
        while high - low > 1:  # low is stored, nothing >= high is
            mid = (low + high) // 2
            found = at_least(mid)
            if found is None:
                high = mid
            else:
                low = found
        return low

    @classmethod
    def create(cls, spec: str, dim: int, *, faiss: str | None = None, abbreviations=None,
               client=None) -> MilvusVectorStore:
        """A new, empty set of collections for one build (`faiss`, the FAISS index kind, does not apply)."""
        store = MilvusStore.open(parse_store(spec), dim=dim, abbreviations=abbreviations, name=_build_name(),
                                 client=client)
        return cls(store)

    @classmethod
    def check(cls, spec: str) -> None:
        """Fail before a build's slow part: a bad URI, a missing extra or a server that does not answer."""
        connect(spec).close()

    @classmethod
    def load(cls, folder: Path, manifest: dict, *, client=None) -> MilvusVectorStore:
        entry = manifest.get("store")
        if not isinstance(entry, dict):
            raise CorruptIndexError(f"index at {str(folder)!r}: the manifest's store entry is malformed; "
                                    "rebuild the index with `qa index --store ...`")
        return cls(MilvusStore.from_manifest(entry, client=client))

    def save(self, folder: Path) -> dict:
        """Nothing to write into the index folder: the manifest entry names the collections."""
        return {"kind": self.kind, **self.store.manifest_entry()}

    def release(self, previous: dict) -> None:
        """After a build replaced an index, drop the collections its previous manifest entry named.

        Only that index's own earlier set is dropped (never another index's on the same server),
        and only once the new manifest is in place, so the old index answered until then.
        """
        if (isinstance(previous, dict) and previous.get("store") == self.store.spec.value
                and isinstance(previous.get("collections"), str) and _BUILD.fullmatch(previous["collections"])
                and previous["collections"] != self.store.name):
            MilvusStore(self.store.client, self.store.spec, dim=self.store.dim,
                        abbreviations=self.store.abbreviations, name=previous["collections"]).drop()

    def prune(self, keep: Iterable[str]) -> list[str]:
        """Drop the collection sets of earlier builds (`qa_*`) except those named in `keep`; returns the dropped."""
        keep = set(keep) | {self.store.name}
        names = {c.rsplit("_", 1)[0] for c in self.store.client.list_collections()}
        names = {n for n in names if _BUILD.fullmatch(n)}
        dropped = sorted(n for n in names if n not in keep)
        for name in dropped:
            MilvusStore(self.store.client, self.store.spec, dim=self.store.dim, abbreviations=self.store.abbreviations,
                        name=name).drop()
        return dropped

    # -------------------------------------------------------------- writing
    def _count(self, channel: str) -> int:
        return self.store.count()[channel]

    def add(self, rows) -> None:
        """Add chunks (a `StoreRows`): passage id = chunk row, sentence ids past the highest stored one.

        Not the stored count: after `delete` the count is below the highest id, and ids from
        the count on would upsert over other articles' sentences.
        """
        if self._next_sentence is None:
            self._next_sentence = self._max_id("sentence") + 1
        chunk_rows = [int(r) for r in rows.rows]
        at = {row: i for i, row in enumerate(chunk_rows)}
        passages = [PassageRow(row, rows.doc_ids[i], rows.sources[i], rows.dates[i], 0, 0, rows.vectors[i],
                               rows.keyword_texts[i]) for i, row in enumerate(chunk_rows)]
        sentences = []
        for j, (row, a, b) in enumerate(np.asarray(rows.sentence_spans).reshape(-1, 3)):
            i = at[int(row)]
            sentences.append(SentenceRow(self._next_sentence + j, int(row), rows.doc_ids[i], rows.sources[i],
                                         rows.dates[i], int(a), int(b), rows.sentence_vectors[j]))
        self.store.add(passages, sentences)
        self._next_sentence += len(sentences)

    def delete(self, doc_ids: Iterable[str]) -> None:
        """Remove these articles' chunks. Unlike the FAISS store, later rows keep their ids."""
        self.store.delete_articles(doc_ids)

    # -------------------------------------------------------------- reading
    def search(self, channel: str, query: np.ndarray, n: int, where=None) -> list[tuple[int, float]]:
        return self.store.search(channel, query, n, **_filters(where))

    def keyword_search(self, question: str, n: int, *, accented: str | None = None,
                       where=None) -> list[tuple[int, float]]:
        return self.store.keyword_search(question, n, accented=accented, **_filters(where))

    def abbreviation_pairs(self) -> dict[str, str]:
        return dict(self.store.abbreviations.pairs)

    def sentence_vector(self, row: int, start: int) -> np.ndarray | None:
        found = self.store.client.query(self.store.collections["sentence"],
                                        filter=f"chunk == {int(row)} and start == {int(start)}",
                                        output_fields=["vector"], limit=1)
        return np.asarray(found[0]["vector"], dtype=np.float32) if found else None

    def _read(self, channel: str, fields: list[str]) -> list[dict]:
        """Every row of a channel, by id, in pages of id ranges up to the highest stored id.

        Ids are dense from 0 unless articles were deleted; after deletes and adds they have gaps,
        which a page simply finds empty (no guess of how sparse they may be).
        """
        out: list[dict] = []
        for start in range(0, self._max_id(channel) + 1, _PAGE):
            out += self.store.client.query(self.store.collections[channel],
                                           filter=f"id >= {start} and id < {start + _PAGE}",
                                           output_fields=["id", *fields], limit=_PAGE)
        return sorted(out, key=lambda r: r["id"])

    def vectors(self, channel: str) -> np.ndarray:
        rows = self._read(channel, ["vector"])
        if not rows:
            return np.zeros((0, self.store.dim), np.float32)
        return np.asarray([r["vector"] for r in rows], dtype=np.float32)

    def sentence_spans(self) -> np.ndarray:
        rows = self._read("sentence", ["chunk", "start", "end"])
        return np.array([(r["chunk"], r["start"], r["end"]) for r in rows], dtype=np.int32).reshape(-1, 3)

    def __len__(self) -> int:
        return self._count("passage")
