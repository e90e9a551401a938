"""The searchable index: build it from a corpus, load it, retrieve passages, answer questions."""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from . import __version__, store
from .chunk import ChunkSettings, chunk_article, make_splitter
from .dates import iso_date
from .embed import Embedder, encoder_of, load_embedder
from .errors import EmptyCorpusError, EmptyQuestionError, InvalidArgumentError, ModelMismatchError
from .fusion import CHANNELS, Fusion, fuse_scores
from .ingest import Skipped, read_corpus
from .keyword import KeywordIndex
from .records import Answer, Article, Chunk, Hit
from .sentence_vectors import DEFAULT_METHOD, METHODS, SEPARATE, SentenceIndex, sentence_key, spans_of
from .text import lacks_diacritics, normalize
from .vietnamese import Abbreviations, DiacriticsRestorer

log = logging.getLogger(__name__)

MODES = ("hybrid", "dense", "keyword")
MAX_QUESTION_CHARS = 2000  # longer questions are cut; the model sees at most 512 tokens anyway


@dataclass
class BuildReport:
    """What a build did: article counts by fate, files skipped, time taken."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    chunks_embedded: int = 0
    sentences_embedded: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
                f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped; "
                f"{self.chunks_embedded} passages and {self.sentences_embedded} sentences embedded "
                f"in {self.seconds:.1f} s")


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

    def __init__(self, stored: store.StoredIndex, embedder: Embedder | None = None):
        self.path = stored.path
        self.manifest = stored.manifest
        self.chunks: list[Chunk] = stored.chunks
        self.articles: dict[str, Article] = stored.articles
        self._vectors = stored.vectors_index
        self._sentences = SentenceIndex(stored.sentence_index, stored.sentence_spans)
        self._keyword = KeywordIndex.load(stored.path / "keyword")
        self._restorer = DiacriticsRestorer(stored.restore.get("unigrams", {}), stored.restore.get("bigrams", {}))
        self.fusion = Fusion.from_dict(stored.manifest.get("fusion", {}))
        self._embedder = embedder
        self._row_of = {(c.doc_id, c.start): row for row, c in enumerate(self.chunks)}
        # Answering a question embeds it again after retrieval: remember recent questions.
        self._query_vector = functools.lru_cache(maxsize=256)(self._embed_query)
        self.build_report: BuildReport | None = None

    @property
    def model_id(self) -> str:
        return self.manifest["model"]["id"]

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = load_embedder(self.model_id, encoder=self.manifest["model"].get("encoder", "torch"))
        return self._embedder

    @property
    def abbreviation_pairs(self) -> dict[str, str]:
        """Abbreviation -> full form, built in and learned from this corpus."""
        return dict(self._keyword.abbreviations.pairs)

    def __len__(self) -> int:
        return len(self.chunks)

    def sources(self) -> list[str]:
        return sorted({a.source for a in self.articles.values()})

    # ---------------------------------------------------------------- retrieval
    def restore_diacritics(self, question: str) -> str:
        """The question with accents put back when it was typed without them, else unchanged."""
        text = normalize(question)
        return self._restorer.restore(text) if lacks_diacritics(text) else text

    def _embed_query(self, restored_question: str) -> np.ndarray:
        return self.embedder.embed_query(restored_question)

    def _passages(self, query: np.ndarray, n: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        if n < 1 or self._vectors.ntotal == 0:
            return []
        depth = self._vectors.ntotal if allowed is not None else min(n, self._vectors.ntotal)
        scores, rows = self._vectors.search(query.reshape(1, -1).astype(np.float32), depth)
        found = [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True)
                 if r >= 0 and (allowed is None or allowed[r])]
        return found[:n]

    def sentence_vector(self, hit: Hit, start: int) -> np.ndarray | None:
        """The stored vector of the sentence at `start` (relative to `hit.text`), if indexed."""
        row = self._row_of.get((hit.doc_id, hit.start))
        return None if row is None else self._sentences.vector(row, start)

    def warm_up(self) -> None:
        """Load the model and run it once, so that the first question is not the slow one."""
        self.embedder.embed_query("khởi động")

    def clear_cache(self) -> None:
        """Forget the embeddings of recent questions (for timing runs)."""
        self._query_vector.cache_clear()

    def query_vector(self, question: str) -> np.ndarray:
        """The question's embedding, accents restored first when it was typed without them."""
        return self._query_vector(self.restore_diacritics(question))

    def _allowed(self, sources, date_from, date_to) -> np.ndarray | None:
        wanted = _check_sources(sources)
        if not wanted and not date_from and not date_to:
            return None
        try:
            date_from, date_to = iso_date(date_from), iso_date(date_to)
        except ValueError as exc:
            raise InvalidArgumentError(f"date_from/date_to: {exc}") from None
        keep = np.ones(len(self.chunks), dtype=bool)
        for i, c in enumerate(self.chunks):
            wrong_source = bool(wanted) and c.source not in wanted
            undated = (date_from or date_to) and c.date is None
            outside = c.date is not None and ((date_from and c.date < date_from) or (date_to and c.date > date_to))
            keep[i] = not (wrong_source or undated or outside)
        return keep

    def channel_scores(self, question: str, n: int, *, channels: tuple[str, ...] = CHANNELS,
                       allowed: np.ndarray | None = None) -> dict[str, list[tuple[int, float]]]:
        """Each channel's n best (chunk row, raw score), before fusion; `question` already normalised."""
        restored = self.restore_diacritics(question)
        out: dict[str, list[tuple[int, float]]] = {}
        if "passage" in channels or "sentence" in channels:
            query = self._query_vector(restored)
            out["passage"] = self._passages(query, n, allowed)
            out["sentence"] = self._sentences.search(query, n, allowed)
        if "keyword" in channels:
            found = self._keyword.search(question, len(self.chunks) if allowed is not None else n,
                                         accented=restored)
            out["keyword"] = [(r, s) for r, s in found if allowed is None or allowed[r]][:n]
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
        allowed = self._allowed(sources, date_from, date_to)
        n = max(k, self.fusion.candidates)
        unaccented = lacks_diacritics(text)
        weights = self.fusion.weights(unaccented)
        if mode == "dense":
            weights = {"passage": weights["passage"], "sentence": weights["sentence"]}
        elif mode == "keyword":
            weights = {"keyword": 1.0}
        channels = self.channel_scores(text, n, channels=tuple(weights), allowed=allowed)
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

    def answer(self, question: str, k: int = 5, **filters) -> Answer:
        """An extractive answer quoted from the articles, with citations (see `qa.answer`)."""
        from .answering import answer_question

        return answer_question(self, question, k=k, **filters)


# -------------------------------------------------------------------- building
def _compatible(manifest: dict, embedder: Embedder, settings: ChunkSettings, method: str) -> bool:
    # Vectors of two encoders, or sentence vectors made two ways, never meet in one index.
    model = manifest["model"]
    return (model["id"] == embedder.model_id and manifest["chunking"] == settings.to_dict()
            and model["dim"] == embedder.dim and model.get("encoder", "torch") == encoder_of(embedder)
            and model.get("sentence_vectors", SEPARATE) == method)


def _sentence_method(embedder: Embedder, wanted: str | None) -> str:
    """The sentence-vector method of this build: late chunking needs the embedder's token vectors."""
    wanted = wanted or DEFAULT_METHOD
    if wanted not in METHODS:
        raise InvalidArgumentError(f"sentence_vectors must be one of {', '.join(METHODS)}, got {wanted!r}")
    return wanted if wanted == SEPARATE or hasattr(embedder, "embed_with_sentences") else SEPARATE


def _previous_vectors(index_dir: Path, embedder: Embedder, settings: ChunkSettings, method: str):
    """Chunks and vectors of the existing index, by doc id, when it can be reused."""
    try:
        old = store.load(index_dir)
    except Exception as exc:  # any unreadable old index just means a full rebuild
        if (index_dir / store.MANIFEST).exists():
            log.warning("previous index not reusable (%s); rebuilding everything", exc)
        return None
    if not _compatible(old.manifest, embedder, settings, method):
        log.info("previous index used another model, encoder, chunking or sentence vectors; rebuilding everything")
        return None
    vectors = old.vectors_index.reconstruct_n(0, old.vectors_index.ntotal) if old.chunks else None
    by_doc: dict[str, list[tuple[Chunk, np.ndarray]]] = {}
    for row, c in enumerate(old.chunks):
        by_doc.setdefault(c.doc_id, []).append((c, vectors[row]))
    sentences: dict[str, np.ndarray] = {}
    if len(old.sentence_spans):
        matrix = old.sentence_index.reconstruct_n(0, old.sentence_index.ntotal)
        for (row, a, b), vector in zip(old.sentence_spans, matrix, strict=True):
            sentences[sentence_key(old.chunks[row], int(a), int(b), method)] = vector
    return old.hashes, by_doc, sentences


def _embed_with_progress(embedder: Embedder, texts: list[str], progress: bool, batch_size: int = 32,
                         what: str = "passage") -> np.ndarray:
    from tqdm.auto import tqdm

    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    # Batches of similar length waste less on padding (sentences vary from 3 to 200 tokens).
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    step = len(order) or 1 if getattr(embedder, "batches_itself", False) else batch_size  # e.g. Ray
    with tqdm(total=len(texts), desc=f"Embedding {what}s", unit=what, disable=not progress) as bar:
        for start in range(0, len(order), step):
            rows = order[start : start + step]
            out[rows] = embedder.embed_passages([texts[i] for i in rows], batch_size=batch_size)
            bar.update(len(rows))
    return out


def _embed_late(embedder, texts: list[str], spans: list[list[tuple[int, int]]], progress: bool,
                batch_size: int = 32) -> tuple[np.ndarray, list[np.ndarray]]:
    """Passage vectors and their sentences' vectors, pooled from one forward pass per passage."""
    from tqdm.auto import tqdm

    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    sentences: list[np.ndarray] = [np.zeros((0, embedder.dim), np.float32)] * len(texts)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    step = len(order) or 1 if getattr(embedder, "batches_itself", False) else batch_size
    with tqdm(total=len(texts), desc="Embedding passages and sentences", unit="passage",
              disable=not progress) as bar:
        for start in range(0, len(order), step):
            rows = order[start : start + step]
            vectors, pooled = embedder.embed_with_sentences([texts[i] for i in rows], [spans[i] for i in rows])
            out[rows] = vectors
            for i, matrix in zip(rows, pooled, strict=True):
                sentences[i] = matrix
            bar.update(len(rows))
    return out, sentences


def build_from_articles(articles: list[Article], index_dir: str | Path, *, model=None,
                        settings: ChunkSettings | None = None, fusion: Fusion | None = None,
                        progress: bool = True, skipped: list[Skipped] | None = None,
                        encoder: str | None = None, sentence_vectors: str | None = None,
                        ray: str | bool | None = None) -> Index:
    """Index already-read articles into `index_dir`, reusing vectors of unchanged articles.

    `encoder` ("torch", "onnx-fp32", "onnx-int8") and `sentence_vectors` ("late", "separate")
    default to the measured best; `ray` (True for a local Ray, or "auto" / an address) spreads
    the embedding over a Ray cluster.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir)
    settings = settings or ChunkSettings()
    fusion = fusion or Fusion()
    report = BuildReport(skipped=list(skipped or []))
    if not articles:
        detail = "; ".join(str(s) for s in report.skipped[:5])
        raise EmptyCorpusError("no readable article to index" + (f" (skipped: {detail})" if detail else "")
                               + "; add .txt, .md or .jsonl files in UTF-8")
    store.recover(index_dir)  # a build killed between its renames left the old index beside its place
    store.check_target(index_dir)  # before any slow work: refuse a folder holding the user's files
    store.remove_leftovers(index_dir)
    embedder = local = load_embedder(model, encoder=encoder)
    method = _sentence_method(embedder, sentence_vectors)
    if ray is not None and ray is not False:
        from .ray_embed import RayEmbedder

        embedder = RayEmbedder(local, address=None if ray is True else str(ray), model=model)
    previous = _previous_vectors(index_dir, embedder, settings, method) if index_dir.exists() else None
    old_hashes, old_chunks, old_sentences = previous if previous else ({}, {}, {})
    splitter = make_splitter(embedder.count_tokens, settings, embedder.max_tokens)

    hashes = {a.doc_id: store.article_hash(a) for a in articles}
    chunks: list[Chunk] = []
    vectors: list[np.ndarray | None] = []
    for article in articles:
        # Vectors are computed on the normalised text (one tone-mark placement) that
        # questions are normalised to as well; spans still refer to `article.text`.
        reused = old_chunks.get(article.doc_id) if old_hashes.get(article.doc_id) == hashes[article.doc_id] else None
        if reused:
            report.unchanged.append(article.doc_id)
            chunks += [c for c, _ in reused]
            vectors += [v for _, v in reused]
            continue
        (report.updated if article.doc_id in old_hashes else report.added).append(article.doc_id)
        new = chunk_article(article, splitter)
        chunks += new
        vectors += [None] * len(new)
    report.removed = sorted(set(old_hashes) - set(hashes))

    todo = [i for i, v in enumerate(vectors) if v is None]
    report.chunks_embedded = len(todo)
    spans = spans_of(chunks)
    keys = [sentence_key(chunks[row], a, b, method) for row, a, b in spans]
    known = dict(old_sentences)
    if method == SEPARATE:
        fresh = _embed_with_progress(embedder, [normalize(chunks[i].text) for i in todo], progress)
    else:
        # Sentence spans are relative to the chunk text; normalize() keeps lengths, so they hold.
        by_row: dict[int, list[int]] = {}
        for i, row in enumerate(spans[:, 0]):
            by_row.setdefault(int(row), []).append(i)
        fresh, pooled = _embed_late(embedder, [normalize(chunks[i].text) for i in todo],
                                    [[(int(spans[j, 1]), int(spans[j, 2])) for j in by_row.get(i, [])] for i in todo],
                                    progress)
        for i, matrix_of_chunk in zip(todo, pooled, strict=True):
            for j, vector in zip(by_row.get(i, []), matrix_of_chunk, strict=True):
                if keys[j] not in known:
                    known[keys[j]] = vector
                    report.sentences_embedded += 1
    matrix = np.zeros((len(chunks), embedder.dim), dtype=np.float32)
    for row, vector in zip(todo, fresh, strict=False):
        matrix[row] = vector
    for row, vector in enumerate(vectors):
        if vector is not None:
            matrix[row] = vector

    todo_sentences = [t for t in dict.fromkeys(keys) if t not in known]  # separate method only
    if todo_sentences:
        report.sentences_embedded = len(todo_sentences)
        fresh = _embed_with_progress(embedder, todo_sentences, progress, batch_size=64, what="sentence")
        known.update(zip(todo_sentences, fresh, strict=True))
    sentence_matrix = np.zeros((len(spans), embedder.dim), dtype=np.float32)
    for i, key in enumerate(keys):
        sentence_matrix[i] = known[key]

    # The title is part of every passage's keywords: a passage often names its subject only there.
    texts = [normalize(f"{c.title}\n{c.text}") for c in chunks]
    abbreviations = Abbreviations.from_corpus([a.text for a in articles])
    keyword = KeywordIndex.build(texts, abbreviations)
    restore = DiacriticsRestorer.from_corpus([f"{a.title}\n{a.text}" for a in articles]).to_dict()
    manifest = {
        "format_version": store.FORMAT_VERSION,
        "package_version": __version__,
        "model": {"id": embedder.model_id, "dim": embedder.dim, "max_tokens": embedder.max_tokens,
                  "query_prompt": getattr(embedder, "query_prompt", ""),
                  "passage_prompt": getattr(embedder, "passage_prompt", ""),
                  "encoder": encoder_of(embedder), "sentence_vectors": method},
        "chunking": settings.to_dict(),
        "fusion": fusion.to_dict(),
        "faiss": {"index": "IndexFlatIP", "metric": "inner product on L2-normalised vectors"},
        "corpus": {"fingerprint": store.corpus_fingerprint(hashes), "articles": len(articles),
                   "chunks": len(chunks), "sentences": len(spans), "skipped": [str(s) for s in report.skipped]},
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    if embedder is not local:
        embedder.close()  # the local Ray, if this build started it
    store.save(index_dir, manifest, chunks, articles, hashes, matrix, keyword, restore, sentence_matrix, spans)
    report.seconds = time.perf_counter() - started
    index = Index(store.load(index_dir, verify=False), local)
    index.build_report = report
    log.info("index %s: %s", index_dir, report.summary())
    return index


def build_index(corpus: str | Path = "corpus", index_dir: str | Path = "index", *, model=None,
                settings: ChunkSettings | None = None, progress: bool = True, encoder: str | None = None,
                sentence_vectors: str | None = None, ray: str | bool | None = None) -> Index:
    """Read, clean, chunk and embed every article under `corpus`; save the index to `index_dir`.

    Re-running after the corpus changed re-embeds only new or changed articles.
    Bad files are skipped and listed in `index.build_report.skipped`. `encoder`,
    `sentence_vectors` and `ray`: see `build_from_articles`.
    """
    store.check_target(Path(index_dir), Path(corpus))
    articles, skipped = read_corpus(corpus)
    return build_from_articles(articles, index_dir, model=model, settings=settings, progress=progress,
                               skipped=skipped, encoder=encoder, sentence_vectors=sentence_vectors, ray=ray)


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
    return Index(stored, embedder)


def _outdated_default(manifest: dict) -> bool:
    """An index of the bundled model built with another encoder or sentence method than today's defaults."""
    from .embed import DEFAULT_ENCODER
    from .model import DEFAULT_MODEL

    model = manifest.get("model", {})
    return model.get("id") == DEFAULT_MODEL and (model.get("encoder", "torch"), model.get("sentence_vectors", SEPARATE)) != (
        DEFAULT_ENCODER, DEFAULT_METHOD)


def is_stale(corpus: str | Path, index_dir: str | Path) -> bool:
    """True when the index is missing, unreadable, or was built from another version of the corpus."""
    try:
        manifest = store.read_manifest(Path(index_dir))
    except Exception:
        return True
    if _outdated_default(manifest):
        return True
    articles, _ = read_corpus(corpus)
    fingerprint = store.corpus_fingerprint({a.doc_id: store.article_hash(a) for a in articles})
    return manifest["corpus"]["fingerprint"] != fingerprint


def retrieve(question: str, k: int = 5, index_dir: str | Path = "index", **options) -> list[Hit]:
    """One call: load the index at `index_dir` (cached per folder) and retrieve."""
    return _cached(index_dir).retrieve(question, k, **options)


def answer(question: str, k: int = 5, index_dir: str | Path = "index", **options) -> Answer:
    """One call: load the index at `index_dir` (cached per folder) and answer."""
    return _cached(index_dir).answer(question, k, **options)


_CACHE: dict[tuple[str, float], Index] = {}


def _cached(index_dir: str | Path) -> Index:
    path = Path(index_dir).resolve()
    manifest = path / store.MANIFEST
    key = (str(path), manifest.stat().st_mtime if manifest.exists() else 0.0)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = load(path)
    return _CACHE[key]
