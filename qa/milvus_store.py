"""A Milvus store for the three retrieval channels (passage vectors, sentence vectors, BM25), Lite or server.

The same code runs against Milvus Lite (a local file, `milvus-lite:PATH`) and a Milvus
standalone or distributed server (`milvus://HOST:PORT`): only the URI differs. Row ids are
the caller's (the FAISS backend's chunk rows); filters by source and date become Milvus
filter expressions. Scores are returned for the project's own fusion (`qa.fusion`): Milvus
BM25 scores differ between Lite and server (sign, per-segment IDF), so the keyword channel
returns its own score derived from the rank (see `MilvusStore.keyword_search`).

Milvus Lite has no ICU tokenizer and ignores `asciifolding`, so the Vietnamese tokens are
made here (`qa.keyword.tokens`: folded syllables, syllable pairs, accented syllables) and
written into a text field that the `standard` tokenizer only splits on spaces and lowercases.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .dates import iso_date
from .errors import CorruptIndexError, InvalidArgumentError, QAError
from .keyword import ACCENTED, tokens
from .vietnamese import Abbreviations

INSTALL = 'pip install "qa-vi[milvus]"'
DEFAULT_PORT = 19530
CHANNELS = ("passage", "sentence", "keyword")
TERMS = ("marked", "joined")  # how pair and accented tokens are written for the standard tokenizer
MAX_TEXT_BYTES = 65_535  # a Milvus VARCHAR's largest max_length
MAX_NAME_BYTES = 1_024  # doc_id and source fields
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_COLLECTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,200}")


class MissingExtraError(QAError, ImportError):
    """pymilvus or milvus-lite is not installed."""


class MilvusUnavailableError(QAError):
    """The Milvus server (or the Milvus Lite file) could not be reached or opened."""


# ------------------------------------------------------------------ the --store value
@dataclass(frozen=True)
class StoreSpec:
    """Where the channels live: `kind` is "faiss", "milvus-lite" or "milvus"; `uri` is what MilvusClient takes."""

    kind: str
    uri: str = ""

    @property
    def value(self) -> str:
        """The `--store` value that gives this spec back (recorded in the manifest)."""
        if self.kind == "faiss":
            return "faiss"
        if self.kind == "milvus-lite":
            return f"milvus-lite:{self.uri}"
        return "milvus://" + self.uri.removeprefix("http://")


def parse_store(value: str) -> StoreSpec:
    """Parse a `--store` value: "faiss", "milvus-lite:PATH" (a file ending in .db) or "milvus://HOST[:PORT]".

    A relative Milvus Lite path is made absolute against the current folder, so that the
    manifest names the same file wherever the index is loaded from.

    Raises:
        InvalidArgumentError: any other value, with the forms that are accepted.
    """
    forms = "use faiss, milvus-lite:PATH.db or milvus://HOST:PORT"
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(f"store must be a non-empty string, got {value!r}; {forms}")
    text = value.strip()
    if text == "faiss":
        return StoreSpec("faiss")
    if text.startswith("milvus-lite:"):
        path = text[len("milvus-lite:"):]
        if not path:
            raise InvalidArgumentError(f"store {value!r} names no file; {forms}, e.g. milvus-lite:qa.db")
        if not path.endswith(".db"):
            raise InvalidArgumentError(
                f"store {value!r}: a Milvus Lite file name must end in .db (Milvus Lite refuses others), "
                f"e.g. milvus-lite:{path}.db")
        return StoreSpec("milvus-lite", str(Path(path).expanduser().absolute()))
    if text.startswith("milvus://"):
        address = text[len("milvus://"):].rstrip("/")
        host, _, port = address.partition(":")
        if not host or "/" in address or "@" in address or (port and not port.isdigit()) \
                or (port and not 0 < int(port) < 65536):
            raise InvalidArgumentError(f"store {value!r} is not milvus://HOST:PORT (e.g. milvus://localhost:19530)")
        return StoreSpec("milvus", f"http://{host}:{port or DEFAULT_PORT}")
    raise InvalidArgumentError(f"unknown store {value!r}; {forms}")


def _pymilvus():
    try:
        import pymilvus
    except ImportError as exc:
        raise MissingExtraError(f"the Milvus store needs pymilvus, which is not installed ({exc}); "
                                f"install it with: {INSTALL}") from None
    return pymilvus


def connect(spec: StoreSpec | str, *, timeout: float = 10.0):
    """A `pymilvus.MilvusClient` for the spec (Milvus Lite starts in-process for a .db file).

    Raises:
        MissingExtraError: pymilvus, or milvus-lite for a local file, is not installed.
        MilvusUnavailableError: the server does not answer, or the file cannot be opened.
    """
    spec = parse_store(spec) if isinstance(spec, str) else spec
    if spec.kind == "faiss":
        raise InvalidArgumentError("store 'faiss' is the default FAISS + bm25s index, not a Milvus store")
    pymilvus = _pymilvus()
    if spec.kind == "milvus-lite":
        try:
            import milvus_lite  # noqa: F401
        except ImportError as exc:
            raise MissingExtraError(f"store {spec.value!r} needs milvus-lite, which is not installed ({exc}); "
                                    f"install it with: {INSTALL}") from None
        Path(spec.uri).parent.mkdir(parents=True, exist_ok=True)
    try:
        return pymilvus.MilvusClient(spec.uri, timeout=timeout)
    except pymilvus.MilvusException as exc:
        raise MilvusUnavailableError(f"cannot open Milvus store {spec.value!r}: {exc.message}; check that the "
                                     "server runs and the address is right (or the file is writable)") from None


# ------------------------------------------------------------------ rows and filters
@dataclass(frozen=True)
class PassageRow:
    """One passage: its vector, and `text` (title + passage, normalised) for the keyword channel."""

    id: int
    doc_id: str
    source: str
    date: str | None
    start: int
    end: int
    vector: np.ndarray
    text: str


@dataclass(frozen=True)
class SentenceRow:
    """One sentence of passage `chunk`; start/end are relative to the passage text."""

    id: int
    chunk: int
    doc_id: str
    source: str
    date: str | None
    start: int
    end: int
    vector: np.ndarray


def date_number(date: str | None) -> int:
    """'2024-05-07' -> 20240507; an undated article is 0, below every date filter."""
    return int(date.replace("-", "")) if date else 0


def _literal_list(values: Iterable[str]) -> str:
    # A JSON string is a Milvus string literal (quotes and backslashes escaped); accents stay as they are.
    return json.dumps(sorted(values), ensure_ascii=False)


def filter_expression(sources: object = None, date_from: object = None, date_to: object = None) -> str:
    """The Milvus filter of a query's source and date filters; "" when there is none.

    Undated articles are left out when a date filter is set, as in the FAISS backend.

    Raises:
        InvalidArgumentError: sources that are not file names, or a date that is not one.
    """
    if sources is None or sources == "":
        wanted: set[str] = set()
    elif isinstance(sources, str):
        wanted = {sources}
    elif isinstance(sources, (list, tuple, set, frozenset)) and all(isinstance(s, str) for s in sources):
        wanted = set(sources)
    else:
        raise InvalidArgumentError(f"sources must be a list of source file names (str), got "
                                   f"{type(sources).__name__}: {sources!r:.60}")
    try:
        first, last = iso_date(date_from), iso_date(date_to)
    except ValueError as exc:
        raise InvalidArgumentError(f"date_from/date_to: {exc}") from None
    parts = []
    if wanted:
        parts.append(f"source in {_literal_list(wanted)}")
    if first or last:
        parts.append("date > 0")
    if first:
        parts.append(f"date >= {date_number(first)}")
    if last:
        parts.append(f"date <= {date_number(last)}")
    return " and ".join(parts)


def keyword_text(words: Sequence[str], terms: str = "marked") -> str:
    """`qa.keyword.tokens` written so that the `standard` tokenizer gives them back one for one.

    The standard tokenizer splits on anything but letters, digits and "_" (the server's also
    on "_"), so "~xã" would lose its mark and "xa_la" fall apart on a server. "marked" writes
    a pair as "xa0la" and an accented syllable as "0xã": a digit between letters keeps a
    token whole, and no Vietnamese word holds one, so "thu ong" stays apart from "thuong"
    and the accented "~la" apart from the folded "la". "joined" writes "xala" and
    "xã" (plain concatenation; measured against "marked" in scripts/milvus_check.py).
    """
    if terms not in TERMS:
        raise InvalidArgumentError(f"terms must be one of {', '.join(TERMS)}, got {terms!r}")
    mark = "0" if terms == "marked" else ""
    out = []
    for word in words:
        if word.startswith(ACCENTED):
            word = mark + word[len(ACCENTED):]
        else:
            word = mark.join(word.split("_"))
        word = _NON_WORD.sub("", word)  # "2.354" -> "2354", as one token
        if word:
            out.append(word)
    return " ".join(out)


def _clip(text: str, limit: int = MAX_TEXT_BYTES) -> str:
    """Cut at a space so that the UTF-8 text fits a VARCHAR of `limit` bytes."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore").rsplit(" ", 1)[0]


def _check_name(value: str, what: str) -> str:
    if len(value.encode("utf-8")) > MAX_NAME_BYTES:
        raise InvalidArgumentError(f"{what} {value[:60]!r}... is longer than {MAX_NAME_BYTES} bytes")
    return value


# ------------------------------------------------------------------ the store
class MilvusStore:
    """Three Milvus collections, `NAME_passages`, `NAME_sentences` and `NAME_keywords`.

    Use `MilvusStore.open(uri, dim=..., abbreviations=...)`; `manifest_entry()` is what an
    index manifest records and `MilvusStore.from_manifest(entry, abbreviations)` reopens it.
    """

    def __init__(self, client, spec: StoreSpec, *, dim: int, abbreviations: Abbreviations, name: str = "qa",
                 index_type: str = "FLAT", terms: str = "marked"):
        if not _COLLECTION_NAME.fullmatch(name or ""):
            raise InvalidArgumentError(f"collection name must be letters, digits and _ (not first a digit), "
                                       f"got {name!r}")
        if terms not in TERMS:
            raise InvalidArgumentError(f"terms must be one of {', '.join(TERMS)}, got {terms!r}")
        if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
            raise InvalidArgumentError(f"dim must be a positive integer, got {dim!r}")
        self.client = client
        self.spec = spec
        self.dim = dim
        self.abbreviations = abbreviations
        self.name = name
        self.index_type = index_type
        self.terms = terms
        self.collections = {"passage": f"{name}_passages", "sentence": f"{name}_sentences",
                            "keyword": f"{name}_keywords"}
        self._create_missing()

    @classmethod
    def open(cls, store: str | StoreSpec, *, dim: int, abbreviations: Abbreviations | None = None,
             name: str = "qa", index_type: str | None = None, terms: str = "marked", client=None,
             replace: bool = False) -> MilvusStore:
        """Connect (or reuse `client`) and create the collections that are missing.

        `index_type` defaults to FLAT (exact, as the FAISS default) on Milvus Lite and to
        AUTOINDEX on a server, which picks an approximate index that scales. `replace` drops
        the collections of that name first (a full rebuild).
        """
        spec = parse_store(store) if isinstance(store, str) else store
        client = client if client is not None else connect(spec)
        index_type = index_type or ("FLAT" if spec.kind == "milvus-lite" else "AUTOINDEX")
        if replace:
            for suffix in ("passages", "sentences", "keywords"):
                if client.has_collection(f"{name}_{suffix}"):
                    client.drop_collection(f"{name}_{suffix}")
        return cls(client, spec, dim=dim, abbreviations=abbreviations or Abbreviations({}), name=name,
                   index_type=index_type, terms=terms)

    def manifest_entry(self) -> dict:
        """What the index manifest keeps to reopen this store."""
        return {"store": self.spec.value, "collections": self.name, "dim": self.dim,
                "index_type": self.index_type, "keyword_terms": self.terms,
                "abbreviations": dict(self.abbreviations.pairs)}

    @classmethod
    def from_manifest(cls, entry: dict, abbreviations: Abbreviations | None = None, *, client=None) -> MilvusStore:
        """Reopen the store a manifest entry names; its collections must exist with that dimension.

        The keyword channel's abbreviation table is the entry's unless `abbreviations` is given.
        """
        try:
            spec = parse_store(entry["store"])
            dim, name = int(entry["dim"]), str(entry["collections"])
            index_type, terms = str(entry.get("index_type", "FLAT")), str(entry.get("keyword_terms", "marked"))
            abbreviations = abbreviations or Abbreviations(dict(entry.get("abbreviations", {})))
        except (KeyError, TypeError, ValueError, InvalidArgumentError) as exc:
            raise CorruptIndexError(f"the manifest's Milvus store entry {entry!r:.200} is malformed ({exc}); "
                                    "rebuild the index with `qa index --store ...`") from None
        client = client if client is not None else connect(spec)
        missing = [c for c in (f"{name}_passages", f"{name}_sentences", f"{name}_keywords")
                   if not client.has_collection(c)]
        if missing:
            raise CorruptIndexError(f"Milvus store {spec.value!r} has no collection {missing[0]!r} that the index "
                                    "manifest names; rebuild the index with `qa index --store ...`")
        return cls(client, spec, dim=dim, abbreviations=abbreviations, name=name, index_type=index_type, terms=terms)

    # -------------------------------------------------------------- schema
    def _schema(self, channel: str):
        pymilvus = _pymilvus()
        DataType = pymilvus.DataType
        schema = pymilvus.MilvusClient.create_schema(auto_id=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        if channel == "sentence":
            schema.add_field("chunk", DataType.INT64)  # the passage row the sentence belongs to
        schema.add_field("doc_id", DataType.VARCHAR, max_length=MAX_NAME_BYTES)
        schema.add_field("source", DataType.VARCHAR, max_length=MAX_NAME_BYTES)
        schema.add_field("date", DataType.INT64)  # yyyymmdd, 0 when undated
        schema.add_field("start", DataType.INT64)
        schema.add_field("end", DataType.INT64)
        index = pymilvus.MilvusClient.prepare_index_params()
        if channel == "keyword":
            schema.add_field("terms", DataType.VARCHAR, max_length=MAX_TEXT_BYTES, enable_analyzer=True,
                             analyzer_params={"tokenizer": "standard", "filter": ["lowercase"]})
            schema.add_field("bm25", DataType.SPARSE_FLOAT_VECTOR)
            schema.add_function(pymilvus.Function(name=f"{self.name}_bm25", function_type=pymilvus.FunctionType.BM25,
                                                  input_field_names=["terms"], output_field_names=["bm25"]))
            index.add_index("bm25", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        else:
            schema.add_field("vector", DataType.FLOAT_VECTOR, dim=self.dim)
            # Inner product is cosine similarity: every vector is normalised, as in the FAISS index.
            index.add_index("vector", index_type=self.index_type, metric_type="IP")
        return schema, index

    def _create_missing(self) -> None:
        for channel, collection in self.collections.items():
            if self.client.has_collection(collection):
                if channel != "keyword":
                    self._check_dim(collection)
                # A reopened collection starts released; searching needs it loaded.
                self.client.load_collection(collection)
                continue
            schema, index = self._schema(channel)
            self.client.create_collection(collection, schema=schema, index_params=index, consistency_level="Strong")

    def _check_dim(self, collection: str) -> None:
        fields = self.client.describe_collection(collection).get("fields", [])
        dims = [int(f.get("params", {}).get("dim", 0)) for f in fields if f.get("name") == "vector"]
        if dims and dims[0] != self.dim:
            raise InvalidArgumentError(
                f"Milvus collection {collection!r} in {self.spec.value!r} holds {dims[0]}-d vectors, not {self.dim}-d; "
                "use another collection name or drop it (MilvusStore.drop)")

    # -------------------------------------------------------------- writing
    def _vector(self, vector: np.ndarray, what: str) -> list[float]:
        vector = np.asarray(vector, dtype=np.float32).reshape(-1)
        if vector.shape[0] != self.dim:
            raise ValueError(f"{what} has {vector.shape[0]} dimensions, the store holds {self.dim}")
        return vector.tolist()

    def _meta(self, row: PassageRow | SentenceRow) -> dict:
        return {"id": int(row.id), "doc_id": _check_name(row.doc_id, "doc_id"),
                "source": _check_name(row.source, "source"), "date": date_number(row.date),
                "start": int(row.start), "end": int(row.end)}

    def _passage_row(self, p: PassageRow) -> dict:
        return {**self._meta(p), "vector": self._vector(p.vector, f"passage {p.id}")}

    def _keyword_row(self, p: PassageRow) -> dict:
        return {**self._meta(p), "terms": _clip(keyword_text(tokens(p.text, self.abbreviations), self.terms))}

    def _sentence_row(self, s: SentenceRow) -> dict:
        return {**self._meta(s), "chunk": int(s.chunk), "vector": self._vector(s.vector, f"sentence {s.id}")}

    def add(self, passages: Sequence[PassageRow], sentences: Sequence[SentenceRow] = (), *,
            batch: int = 1000) -> None:
        """Insert (or replace, by id) passages and sentences into the three channels.

        Rows are converted one batch at a time (at 100k passages, every row dict of the three
        channels at once is several GB of Python lists), and each collection is flushed once
        written: searching unflushed growing segments was 9x slower in Milvus Lite.
        """
        for channel, items, convert in (("passage", passages, self._passage_row),
                                        ("keyword", passages, self._keyword_row),
                                        ("sentence", sentences, self._sentence_row)):
            for start in range(0, len(items), batch):
                self.client.upsert(self.collections[channel], [convert(r) for r in items[start:start + batch]])
            if len(items):
                self.client.flush(self.collections[channel])

    def delete_articles(self, doc_ids: Iterable[str], *, batch: int = 500) -> None:
        """Remove every passage and sentence of these articles (changed ones are then added again)."""
        ids = sorted(set(doc_ids))
        for start in range(0, len(ids), batch):
            expression = f"doc_id in {_literal_list(ids[start:start + batch])}"
            for collection in self.collections.values():
                self.client.delete(collection, filter=expression)
        if ids:  # deletes are kept as growing-segment tombstones until a flush
            for collection in self.collections.values():
                self.client.flush(collection)

    def drop(self) -> None:
        """Delete the three collections (a full rebuild starts from nothing)."""
        for collection in self.collections.values():
            if self.client.has_collection(collection):
                self.client.drop_collection(collection)

    def close(self) -> None:
        self.client.close()

    # -------------------------------------------------------------- reading
    def count(self) -> dict[str, int]:
        """Rows in each channel."""
        return {channel: int(self.client.query(collection, filter="", output_fields=["count(*)"])[0]["count(*)"])
                for channel, collection in self.collections.items()}

    def search(self, channel: str, query_vector: np.ndarray, n: int, sources=None, date_from=None,
               date_to=None) -> list[tuple[int, float]]:
        """(passage row id, cosine) pairs, best first: the passage channel, or a passage's best sentence.

        Args:
            channel: "passage" or "sentence".
            query_vector: the question's normalised embedding.
            n: how many passages at most.
            sources, date_from, date_to: as `Index.retrieve`; applied inside Milvus.
        """
        if channel not in ("passage", "sentence"):
            raise InvalidArgumentError(f"channel must be 'passage' or 'sentence' (keyword: use keyword_search), "
                                       f"got {channel!r}")
        expression = filter_expression(sources, date_from, date_to)
        if n < 1:
            return []
        options = {"group_by_field": "chunk", "output_fields": ["chunk"]} if channel == "sentence" else {}
        found = self.client.search(self.collections[channel], data=[self._vector(query_vector, "query vector")],
                                   anns_field="vector", limit=n, filter=expression,
                                   search_params={"metric_type": "IP"}, **options)[0]
        key = "chunk" if channel == "sentence" else "id"
        pairs = [(int(hit["entity"][key] if key == "chunk" else hit["id"]), float(hit["distance"])) for hit in found]
        return sorted(pairs, key=lambda p: -p[1])

    def keyword_search(self, question: str, n: int, *, accented: str | None = None, sources=None,
                       date_from=None, date_to=None) -> list[tuple[int, float]]:
        """(passage row id, score) pairs of the BM25 channel, best first, scores in (0, 1].

        The question is tokenised as the bm25s channel does it (`accented`: the question with
        its accents restored; a question typed without accents adds no accented tokens).
        Milvus's BM25 scores come back negative from Lite and positive from a server, so the
        score is each one divided by the best one: sign and scale drop out, and the z-scores
        `qa.fusion` takes of them are those of the raw BM25 scores. (Scoring by rank instead
        lost 1.5 points of recall@1 on MLQA-vi: see scripts/milvus_check.py.)
        """
        found = self._bm25(question, n, accented, filter_expression(sources, date_from, date_to))
        if not found or found[0][1] == 0:
            return [(row, 1.0) for row, _ in found]
        best = found[0][1]
        return [(row, score / best) for row, score in found]

    def _bm25(self, question: str, n: int, accented: str | None, expression: str) -> list[tuple[int, float]]:
        accented = question if accented is None else accented
        text = keyword_text(tokens(question, self.abbreviations, accented=accented), self.terms)
        if n < 1 or not text:
            return []
        found = self.client.search(self.collections["keyword"], data=[text], anns_field="bm25", limit=n,
                                   filter=expression, search_params={"metric_type": "BM25"})[0]
        return [(int(hit["id"]), float(hit["distance"])) for hit in found]


def channel_scores(store: MilvusStore, question: str, restored: str, query_vector: np.ndarray, n: int, *,
                   channels: tuple[str, ...] = CHANNELS, sources=None, date_from=None,
                   date_to=None) -> dict[str, list[tuple[int, float]]]:
    """Each channel's n best (row id, score), as `Index.channel_scores` gives them, for `qa.fusion.fuse_scores`.

    `question` is normalised; `restored` is it with accents restored (`Index.restore_diacritics`),
    `query_vector` the embedding of `restored`.
    """
    filters = {"sources": sources, "date_from": date_from, "date_to": date_to}
    out: dict[str, list[tuple[int, float]]] = {}
    if "passage" in channels or "sentence" in channels:
        out["passage"] = store.search("passage", query_vector, n, **filters)
        out["sentence"] = store.search("sentence", query_vector, n, **filters)
    if "keyword" in channels:
        out["keyword"] = store.keyword_search(question, n, accented=restored, **filters)
    return out


# ------------------------------------------------------------------ from a FAISS index folder
def rows_of_index(folder: str | Path) -> tuple[list[PassageRow], list[SentenceRow], Abbreviations]:
    """Passage and sentence rows of an existing FAISS index folder, without embedding anything.

    Vectors are reconstructed from vectors.faiss / sentences.faiss, metadata read from
    chunks.jsonl; ids are the chunk rows and sentence rows of the folder, so search results
    index its `chunks` directly. The keyword text is what the bm25s channel indexes.
    """
    from . import store as faiss_store
    from .text import normalize

    stored = faiss_store.load(Path(folder), verify=False)
    abbreviations = Abbreviations(stored.store.abbreviation_pairs())
    chunks = list(stored.chunks)
    vectors = stored.store.vectors("passage") if chunks else np.zeros((0, 1))
    passages = [PassageRow(row, c.doc_id, c.source, c.date, c.start, c.end, vectors[row],
                           normalize(f"{c.title}\n{c.text}")) for row, c in enumerate(chunks)]
    spans = stored.store.sentence_spans()
    matrix = stored.store.vectors("sentence") if len(spans) else None
    sentences = []
    for i, (row, a, b) in enumerate(spans):
        c = chunks[int(row)]
        sentences.append(SentenceRow(i, int(row), c.doc_id, c.source, c.date, int(a), int(b), matrix[i]))
    return passages, sentences, abbreviations


def fill_from_index(folder: str | Path, store: str | StoreSpec, *, name: str = "qa", client=None,
                    terms: str = "marked", index_type: str | None = None) -> MilvusStore:
    """A Milvus store holding the same rows as the FAISS index in `folder` (which is only read).

    The store's collections are dropped and written again.
    """
    from . import store as faiss_store

    manifest = faiss_store.read_manifest(Path(folder))
    passages, sentences, abbreviations = rows_of_index(folder)
    milvus = MilvusStore.open(store, dim=int(manifest["model"]["dim"]), abbreviations=abbreviations, name=name,
                              client=client, terms=terms, index_type=index_type, replace=True)
    milvus.add(passages, sentences)
    return milvus
