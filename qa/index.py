"""The loaded index: retrieve passages and answer questions over a store's three channels."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import numpy as np

from . import store
from .dates import iso_date
from .embed import Embedder, encoder_of, export_of, load_embedder
from .errors import EmptyQuestionError, InvalidArgumentError, ModelMismatchError
from .fusion import CHANNELS, Fusion, fuse_scores
from .lexicon import numbers_as_written, numbers_in_digits_folded
from .records import Answer, Hit
from .tables import NO_DAY, day_of
from .text import lacks_diacritics, normalize
from .vectorstore import VectorStore, Where
from .vietnamese import DiacriticsRestorer, telex_fixed

log = logging.getLogger(__name__)

MODES = ("hybrid", "dense", "keyword")
MAX_QUESTION_CHARS = 2000  # longer questions are cut; the model sees at most 512 tokens anyway


def _lone_surrogate(text: str) -> int | None:
    """Position of the first lone surrogate in `text` (not valid Unicode text), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def _check_question(question: object, k: object) -> str:
    """The question, stripped, cut and normalised; every entry point (API, CLI, web) comes through here."""
    if question is not None and not isinstance(question, str):
        shown = repr(question)
        raise InvalidArgumentError(f"question must be a string (str), got {type(question).__name__}: "
                                   f"{shown if len(shown) <= 60 else shown[:57] + '...'}")
    if not question or not question.strip():
        raise EmptyQuestionError("question is empty; ask a question in Vietnamese, e.g. "
                                 "'Xã La Phù xếp thứ mấy về chỉ số thủ tục hành chính?'")
    at = _lone_surrogate(question)
    if at is not None:
        # Bytes that were not UTF-8 (a terminal in another encoding) or "\ud800" sent as JSON.
        raise InvalidArgumentError(
            f"question is not valid text: character {at + 1} is a lone surrogate ({question[at]!r}), "
            "usually bytes that were not UTF-8; send the question as UTF-8 text")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InvalidArgumentError(f"k must be an integer of at least 1, got {k!r}")
    return normalize(question.strip()[:MAX_QUESTION_CHARS])


def _check_sources(sources: object) -> set[str]:
    """The source file names to keep (empty: all); anything but names raises InvalidArgumentError."""
    if sources is None or sources == "":
        return set()
    if isinstance(sources, str):
        return {sources}
    if isinstance(sources, (list, tuple, set, frozenset)) and all(isinstance(s, str) for s in sources):
        return set(sources)
    raise InvalidArgumentError(f"sources must be a list of source file names (str), got "
                               f"{type(sources).__name__}: {sources!r:.60}")


class Index:
    """A loaded index. Use `qa.load(folder)` or `qa.build_index(corpus, folder)` to get one."""

    def __init__(self, stored: store.StoredIndex, embedder: Embedder | None = None, *, build_report=None):
        self.path = stored.path
        self.manifest = stored.manifest
        self.chunks = stored.chunks  # a ChunkTable: chunks parsed on demand, columns in memory
        self.articles = stored.articles  # an ArticleTable: doc id -> Article, parsed on demand
        self.store: VectorStore = stored.store
        self._restorer = DiacriticsRestorer.loaded(stored.restore.get("unigrams", {}), stored.restore.get("bigrams", {}))
        self.fusion = Fusion.from_dict(stored.manifest.get("fusion", {}))
        self._embedder = embedder
        # Answering a question embeds it again after retrieval: remember recent questions.
        self._query_vector = functools.lru_cache(maxsize=256)(self._embed_query)
        self.build_report = build_report  # what the build that returned this index did (None when loaded)

    @property
    def model_id(self) -> str:
        return self.manifest["model"]["id"]

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = load_embedder(self.model_id, encoder=self.manifest["model"].get("encoder", "torch"))
        return self._embedder

    @property
    def restorer(self) -> DiacriticsRestorer:
        """The articles' syllable and pair counts (and the question seed's), which put accents back."""
        return self._restorer

    @property
    def abbreviation_pairs(self) -> dict[str, str]:
        """Abbreviation -> full form, built in and learned from this corpus."""
        return self.store.abbreviation_pairs()

    @functools.cached_property
    def statistics(self):
        """(IDF table, accented abbreviations) of this index for the answer step, computed once."""
        from .lexicon import BUILTIN_ABBREVIATIONS
        from .selector import Idf
        from .vietnamese import Abbreviations

        # The built-in abbreviations of this version too: an index built before one was added reads it.
        pairs = {**BUILTIN_ABBREVIATIONS, **self.abbreviation_pairs}
        return (Idf([c.text for c in self.chunks]), Abbreviations(pairs, folded=False))

    @property
    def _vectors(self):
        """The FAISS passage index of the default store (scripts that read vectors directly)."""
        return getattr(self.store, "passage_index", None)

    def __len__(self) -> int:
        return len(self.chunks)

    def sources(self) -> list[str]:
        return self.articles.sources()

    # ---------------------------------------------------------------- retrieval
    def restore_diacritics(self, question: str) -> str:
        """The question with accents put back when it was typed without them and Telex keystrokes left in a word
        read ("Bis thư" -> "Bí thư"), else unchanged."""
        text = numbers_as_written(normalize(question))  # "1,261", "14.01.2022": as the articles write them
        if lacks_diacritics(text):
            text = self._restorer.restore(numbers_in_digits_folded(text))
        else:  # accents on some words only: the runs that lack them
            text = self._restorer.restore_partly(text)
        return telex_fixed(text, self._restorer.unigrams)  # "Bis thư", "nawm 2021": keystrokes left in a word

    def _embed_query(self, restored_question: str) -> np.ndarray:
        return self.embedder.embed_query(restored_question)

    def sentence_vector(self, hit: Hit, start: int) -> np.ndarray | None:
        """The stored vector of the sentence at `start` (relative to `hit.text`), if indexed."""
        row = self.row_of(hit.doc_id, hit.start)
        return None if row is None else self.store.sentence_vector(row, start)

    def row_of(self, doc_id: str, start: int) -> int | None:
        """The chunk row of the passage of `doc_id` starting at `start`, if there is one."""
        if doc_id not in self.articles:
            return None
        article = self.articles._row[doc_id]
        columns = self.chunks.columns
        rows = self._rows_by_article
        first, last = np.searchsorted(columns["article"], [article, article + 1], sorter=rows)
        for row in rows[first:last]:
            if int(columns["start"][row]) == start:
                return int(row)
        return None

    @functools.cached_property
    def _rows_by_article(self) -> np.ndarray:
        return np.argsort(self.chunks.columns["article"], kind="stable")

    def warm_up(self) -> None:
        """Load the model and run it once, so that the first question is not the slow one."""
        self.embedder.embed_query("khởi động")

    def clear_cache(self) -> None:
        """Forget the embeddings of recent questions (for timing runs)."""
        self._query_vector.cache_clear()

    def query_vector(self, question: str) -> np.ndarray:
        """The question's embedding, accents restored first when it was typed without them."""
        return self._query_vector(self.restore_diacritics(question))

    @functools.cached_property
    def _source_codes(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.chunks.source_names)}

    def where(self, sources=None, date_from=None, date_to=None) -> Where | None:
        """The filter for these sources and dates (None: no filter), its row mask built with numpy."""
        wanted = _check_sources(sources)
        if not wanted and not date_from and not date_to:
            return None
        try:
            date_from, date_to = iso_date(date_from), iso_date(date_to)
        except ValueError as exc:
            raise InvalidArgumentError(f"date_from/date_to: {exc}") from None
        if date_from and date_to and date_from > date_to:  # ISO dates sort as text
            raise InvalidArgumentError(f"date_from ({date_from}) is after date_to ({date_to}): no article can match")
        keep = None
        if wanted:
            codes = [self._source_codes[s] for s in wanted if s in self._source_codes]
            keep = np.isin(self.chunks.column("source"), np.asarray(codes, dtype=np.int32))
        if date_from or date_to:
            # NO_DAY (undated) is the lowest int32, so a range starting above it drops undated chunks.
            low = day_of(date_from) if date_from else NO_DAY + 1
            high = day_of(date_to) if date_to else np.iinfo(np.int32).max
            day = self.chunks.column("day")
            in_range = (day >= low) & (day <= high)
            keep = in_range if keep is None else keep & in_range
        return Where(frozenset(wanted), date_from, date_to, keep)

    def channel_scores(self, question: str, n: int, *, channels: tuple[str, ...] = CHANNELS,
                       allowed: np.ndarray | Where | None = None) -> dict[str, list[tuple[int, float]]]:
        """Each channel's n best (chunk row, raw score), before fusion; `question` already normalised."""
        where = allowed
        if isinstance(allowed, np.ndarray):
            where = Where(frozenset(), None, None, allowed)
        restored = self.restore_diacritics(question)
        out: dict[str, list[tuple[int, float]]] = {}
        if "passage" in channels or "sentence" in channels:
            query = self._query_vector(restored)
            out["passage"] = self.store.search("passage", query, n, where)
            out["sentence"] = self.store.search("sentence", query, n, where)
        if "keyword" in channels:
            out["keyword"] = self.store.keyword_search(question, n, accented=restored, where=where)
        return out

    def retrieve(self, question: str, k: int = 5, *, mode: str = "hybrid",
                 sources: list[str] | None = None, date_from: str | None = None,
                 date_to: str | None = None) -> list[Hit]:
        """The k passages most likely to answer `question`, best first.

        Args:
            question: the question, with or without diacritics.
            k: how many passages to return (at least 1).
            mode: "hybrid" (default: passage vectors, sentence vectors and BM25, fused),
                "dense" (the two vector channels) or "keyword" (BM25 alone).
            sources: keep only passages from these source files.
            date_from, date_to: keep only articles published in this ISO date range.
        """
        text = _check_question(question, k)
        if mode not in MODES:
            raise InvalidArgumentError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        where = self.where(sources, date_from, date_to)
        n = max(k, self.fusion.candidates)
        unaccented = lacks_diacritics(text)
        weights = self.fusion.weights(unaccented)
        if mode == "dense":
            weights = {"passage": weights["passage"], "sentence": weights["sentence"]}
        elif mode == "keyword":
            weights = {"keyword": 1.0}
        channels = self.channel_scores(text, n, channels=tuple(weights), allowed=where)
        ranked = channels["keyword"] if mode == "keyword" else fuse_scores(channels, weights)
        by_channel = {name: dict(scored) for name, scored in channels.items()}
        hits = []
        for rank, (row, score) in enumerate(ranked[:k], start=1):
            c = self.chunks[row]
            hits.append(Hit(text=c.text, score=float(score), doc_id=c.doc_id, title=c.title, date=c.date,
                            source=c.source, start=c.start, end=c.end, rank=rank,
                            dense=by_channel.get("passage", {}).get(row),
                            sentence=by_channel.get("sentence", {}).get(row),
                            keyword=by_channel.get("keyword", {}).get(row)))
        return hits

    def answer(self, question: str, k: int = 5, *, min_confidence: float | None = None, **filters) -> Answer:
        """An extractive answer quoted from the articles, with citations (see `qa.answer`).

        `min_confidence`: the confidence needed to call the answer found (default 0.5, the selector's).
        """
        from .answering import answer_question

        return answer_question(self, question, k=k, min_confidence=min_confidence, **filters)



def load(index_dir: str | Path = "index", *, model=None) -> Index:
    """Load a saved index. `model` (a name, path or Embedder) must be the one it was built with.

    First puts back an index that a build killed half-way left beside its place (`store.recover`).
    """
    store.recover(index_dir)
    stored = store.load(index_dir)
    embedder = None
    if model is not None:
        embedder = load_embedder(model, encoder=stored.manifest["model"].get("encoder", "torch"))
        if embedder.model_id != stored.manifest["model"]["id"]:
            raise ModelMismatchError(
                f"index at {str(index_dir)!r} was built with model {stored.manifest['model']['id']!r}, "
                f"not {embedder.model_id!r}; rebuild it with `qa index --model {embedder.model_id}` "
                "or load it without a model")
        if encoder_of(embedder) != stored.manifest["model"].get("encoder", "torch"):
            raise ModelMismatchError(
                f"index at {str(index_dir)!r} was built with encoder {stored.manifest['model'].get('encoder', 'torch')!r}, "
                f"not {encoder_of(embedder)!r}; rebuild it with `qa index --encoder {encoder_of(embedder)}` "
                "or load it without a model")
        if export_of(embedder) != stored.manifest["model"].get("onnx_export"):
            raise ModelMismatchError(
                f"index at {str(index_dir)!r} holds vectors of ONNX export "
                f"{stored.manifest['model'].get('onnx_export')!r}, not {export_of(embedder)!r}; "
                f"rebuild it with `qa index --encoder {encoder_of(embedder)}`")
    return Index(stored, embedder)


_MOVED = {"build_index": "build", "build_from_articles": "build", "BuildReport": "build", "is_stale": "build",
          "retrieve": "oneshot", "answer": "oneshot"}


def __getattr__(name: str):
    # The build pipeline and the one-call API moved to qa/build.py and qa/oneshot.py; old imports still work.
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(f"qa.{_MOVED[name]}"), name)
    raise AttributeError(f"module 'qa.index' has no attribute {name!r}")
