"""Building an index: read, clean, chunk, embed (reusing unchanged articles' vectors), write; and staleness."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from . import __version__
from . import store as disk
from .chunk import ChunkSettings, chunk_article, make_splitter
from .embed import SENTENCE_BATCH, Embedder, encoder_of, export_of, load_embedder, passage_batch
from .errors import EmptyCorpusError, InvalidArgumentError, QAError
from .fusion import Fusion
from .index import Index
from .ingest import Skipped, read_corpus
from .parallel import workers_for
from .records import Article, Chunk
from .sentence_vectors import DEFAULT_METHOD, METHODS, SEPARATE, sentence_key, spans_of
from .text import NORMALISATION, normalize
from .vectorstore import StoreRows, check_store, create_store
from .vietnamese import corpus_tables

log = logging.getLogger(__name__)


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


def _compatible(manifest: dict, embedder: Embedder, settings: ChunkSettings, method: str) -> bool:
    # Vectors of two encoders, or sentence vectors made two ways, never meet in one index.
    model = manifest["model"]
    return (model["id"] == embedder.model_id and manifest["chunking"] == settings.to_dict()
            and model["dim"] == embedder.dim and model.get("encoder", "torch") == encoder_of(embedder)
            and model.get("sentence_vectors", SEPARATE) == method
            and model.get("onnx_export") == export_of(embedder))


def _sentence_method(embedder: Embedder, wanted: str | None) -> str:
    """The sentence-vector method of this build: late chunking needs the embedder's token vectors."""
    wanted = wanted or DEFAULT_METHOD
    if wanted not in METHODS:
        raise InvalidArgumentError(f"sentence_vectors must be one of {', '.join(METHODS)}, got {wanted!r}")
    return wanted if wanted == SEPARATE or hasattr(embedder, "embed_with_sentences") else SEPARATE


def _previous_store(index_dir: Path) -> tuple[str, str | None]:
    """The FAISS kind ("auto" when none) and the store (None: the default FAISS store) of the
    existing index: a rebuild keeps both."""
    try:
        entry = disk.read_manifest(index_dir).get("store", {})
    except Exception:  # no readable index: the defaults
        return "auto", None
    store = entry.get("store") if entry.get("kind", "faiss") != "faiss" and isinstance(entry.get("store"), str) else None
    return str(entry.get("faiss", "auto")), store


def _previous_vectors(index_dir: Path, embedder: Embedder, settings: ChunkSettings, method: str):
    """Chunks and vectors of the existing index, by doc id, when it can be reused."""
    try:
        old = disk.load(index_dir)
    except Exception as exc:  # any unreadable old index just means a full rebuild
        if (index_dir / disk.MANIFEST).exists():
            log.warning("previous index not reusable (%s); rebuilding everything", exc)
        return None
    if not _compatible(old.manifest, embedder, settings, method):
        log.info("previous index used another model, encoder, chunking or sentence vectors; rebuilding everything")
        return None
    chunks = list(old.chunks)
    vectors = old.store.vectors("passage") if chunks else None
    by_doc: dict[str, list[tuple[Chunk, np.ndarray]]] = {}
    for row, c in enumerate(chunks):
        by_doc.setdefault(c.doc_id, []).append((c, vectors[row]))
    sentences: dict[str, np.ndarray] = {}
    spans = old.store.sentence_spans()
    if len(spans):
        matrix = old.store.vectors("sentence")
        for (row, a, b), vector in zip(spans, matrix, strict=True):
            sentences[sentence_key(chunks[row], int(a), int(b), method)] = vector
    return old.hashes, by_doc, sentences


def _embed_with_progress(embedder: Embedder, texts: list[str], progress: bool, batch_size: int | None = None,
                         what: str = "passage") -> np.ndarray:
    from tqdm.auto import tqdm  # bars on a terminal only (disable=None): a log gets the summary line

    batch_size = batch_size or passage_batch(embedder)

    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    # Batches of similar length waste less on padding (sentences vary from 3 to 200 tokens).
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    step = len(order) or 1 if getattr(embedder, "batches_itself", False) else batch_size  # e.g. Ray
    with tqdm(total=len(texts), desc=f"Embedding {what}s", unit=what, disable=None if progress else True) as bar:
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
              disable=None if progress else True) as bar:
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
                        ray: str | bool | None = None, faiss: str | None = None,
                        store: str | None = None) -> Index:
    """Index already-read articles into `index_dir`, reusing vectors of unchanged articles.

    `encoder` ("torch", "onnx-fp32", "onnx-int8") and `sentence_vectors` ("late", "separate")
    default to the measured best; `ray` (True for a local Ray, or "auto" / an address) spreads
    the embedding over a Ray cluster; `faiss` ("auto", "flat", "hnsw", "ivf-sq8", "pqfs-sq8") picks the
    vector index of the default store (auto: flat for small channels; above
    `qa.ann.AUTO_THRESHOLD` vectors PQFS-SQ8 for passages, IVF-SQ8 for sentences); `store` names the store (default "faiss"; qa.vectorstore.STORES lists the kinds).
    """
    from . import ann

    previous_faiss, previous_store = _previous_store(Path(index_dir))
    faiss = ann.check_kind(faiss or previous_faiss)
    store = store or previous_store
    check_store(store)
    started = time.perf_counter()
    index_dir = Path(index_dir)
    settings = settings or ChunkSettings()
    fusion = fusion or Fusion()
    report = BuildReport(skipped=list(skipped or []))
    if not articles:
        detail = "; ".join(str(s) for s in report.skipped[:5])
        raise EmptyCorpusError("no readable article to index" + (f" (skipped: {detail})" if detail else "")
                               + "; add .txt, .md or .jsonl files in UTF-8")
    disk.recover(index_dir)  # a build killed between its renames left the old index beside its place
    disk.check_target(index_dir)  # before any slow work: refuse a folder holding the user's files
    disk.remove_leftovers(index_dir)
    embedder = local = load_embedder(model, encoder=encoder)
    method = _sentence_method(embedder, sentence_vectors)
    if ray is not None and ray is not False:
        from .ray_embed import RayEmbedder

        embedder = RayEmbedder(local, address=None if ray is True else str(ray), model=model)
    previous = _previous_vectors(index_dir, embedder, settings, method) if index_dir.exists() else None
    old_hashes, old_chunks, old_sentences = previous if previous else ({}, {}, {})
    splitter = make_splitter(embedder.count_tokens, settings, embedder.max_tokens)

    hashes = {a.doc_id: disk.article_hash(a) for a in articles}
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
    if method == SEPARATE and getattr(embedder, "batches_itself", False):
        # One job for passages and sentences (both take the passage prompt): a Ray cluster starts its
        # actors, each loading the encoder, once per job, so two jobs paid that cost twice. The
        # sentence pass below then finds nothing left to embed.
        together = [t for t in dict.fromkeys(keys) if t not in known]
        both = _embed_with_progress(embedder, [normalize(chunks[i].text) for i in todo] + together,
                                    progress, what="text")
        fresh = both[: len(todo)]
        known.update(zip(together, both[len(todo):], strict=True))
        report.sentences_embedded = len(together)
        del both, together
    elif method == SEPARATE:
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
        del pooled
    matrix = np.zeros((len(chunks), embedder.dim), dtype=np.float32)
    for row, vector in zip(todo, fresh, strict=False):
        matrix[row] = vector
    for row, vector in enumerate(vectors):
        if vector is not None:
            matrix[row] = vector

    todo_sentences = [t for t in dict.fromkeys(keys) if t not in known]  # separate method, one machine
    if todo_sentences:
        report.sentences_embedded = len(todo_sentences)
        fresh = _embed_with_progress(embedder, todo_sentences, progress, batch_size=SENTENCE_BATCH, what="sentence")
        known.update(zip(todo_sentences, fresh, strict=True))
    sentence_matrix = np.zeros((len(spans), embedder.dim), dtype=np.float32)
    for i, key in enumerate(keys):
        sentence_matrix[i] = known[key]

    # Everything else that holds vectors (loop variables are views that keep their arrays alive).
    vector = None
    del known, fresh, vectors, previous, old_chunks, old_sentences, vector
    model_info = _model_info(embedder, method)
    if embedder is not local:
        embedder.close()  # the local Ray, if this build started it
    # The vectors are handed over, not kept here: the store frees them once they are in FAISS.
    held = [matrix, sentence_matrix]
    del matrix, sentence_matrix
    index = write_index(index_dir, articles, hashes, chunks, held.pop(0), held.pop(0), spans, embedder=local,
                        model_info=model_info, settings=settings, fusion=fusion,
                        skipped=report.skipped, faiss=faiss, store=store, report=report,
                        started=started)
    log.info("index %s: %s", index_dir, report.summary())
    return index


def _model_info(embedder: Embedder, method: str) -> dict:
    return {"id": embedder.model_id, "dim": embedder.dim, "max_tokens": embedder.max_tokens,
            "query_prompt": getattr(embedder, "query_prompt", ""),
            "passage_prompt": getattr(embedder, "passage_prompt", ""),
            "encoder": encoder_of(embedder), "sentence_vectors": method,
            **({"onnx_export": export_of(embedder)} if export_of(embedder) else {})}


def write_index(index_dir: Path, articles: list[Article], hashes: dict[str, str], chunks: list[Chunk],
                matrix: np.ndarray, sentence_matrix: np.ndarray, spans: np.ndarray, *, embedder,
                model_info: dict, settings: ChunkSettings, fusion: Fusion, skipped: list[Skipped] = (),
                faiss: str | None = None, store: str | None = None, report: BuildReport | None = None,
                started: float | None = None) -> Index:
    """The last step of a build, after embedding: keyword and diacritics tables, the store, the manifest.

    `matrix` holds one vector per chunk, `sentence_matrix` one per row of `spans` (any 2-d arrays,
    memory-mapped ones too). A caller that passes its only references lets the store free them
    as soon as they are in FAISS, before the keyword index is built.
    Returns the loaded index, with `report` (its time completed) as its build report.
    """
    started = time.perf_counter() if started is None else started
    report = report or BuildReport(skipped=list(skipped))
    if len(chunks) != matrix.shape[0]:
        raise ValueError(f"{len(chunks)} chunks but {matrix.shape[0]} vectors")
    # The title is part of every passage's keywords: a passage often names its subject only there.
    texts = [normalize(f"{c.title}\n{c.text}") for c in chunks]
    tables_started = time.perf_counter()
    # Streamed over the articles (a second copy of every text would not fit at a million passages),
    # over two worker processes for a large corpus.
    abbreviations, restorer = corpus_tables(((a.title, a.text) for a in articles), workers=workers_for(articles))
    restore = restorer.to_dict()
    del restorer
    log.info("abbreviation and diacritics tables: %d articles in %.1f s", len(articles), time.perf_counter() - tables_started)
    vector_store = create_store(store, int(model_info["dim"]), faiss=faiss, abbreviations=abbreviations)
    vector_store.add(StoreRows(np.arange(len(chunks), dtype=np.int64), [c.doc_id for c in chunks],
                               [c.source for c in chunks], [c.date for c in chunks], matrix,
                               np.asarray(spans, dtype=np.int32).reshape(-1, 3), sentence_matrix, texts))
    del matrix, sentence_matrix  # the store holds them until they are in FAISS (see FaissStore.save)
    manifest = {
        "format_version": disk.FORMAT_VERSION,
        "package_version": __version__,
        "normalisation": NORMALISATION,
        "model": model_info,
        "chunking": settings.to_dict(),
        "fusion": fusion.to_dict(),
        "corpus": {"fingerprint": disk.corpus_fingerprint(hashes), "articles": len(articles),
                   "chunks": len(chunks), "sentences": len(spans), "skipped": [str(s) for s in skipped]},
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    try:
        previous = disk.read_manifest(index_dir).get("store", {}) if (Path(index_dir) / disk.MANIFEST).exists() else {}
    except QAError:
        previous = {}
    disk.save(index_dir, manifest, chunks, articles, hashes, vector_store, restore)
    if previous and hasattr(vector_store, "release"):  # e.g. Milvus: the replaced index's collections
        vector_store.release(previous)
    report.seconds = time.perf_counter() - started
    return Index(disk.load(index_dir, verify=False), embedder, build_report=report)


def build_index(corpus: str | Path = "corpus", index_dir: str | Path = "index", *, model=None,
                settings: ChunkSettings | None = None, progress: bool = True, encoder: str | None = None,
                sentence_vectors: str | None = None, ray: str | bool | None = None,
                faiss: str | None = None, store: str | None = None) -> Index:
    """Read, clean, chunk and embed every article under `corpus`; save the index to `index_dir`.

    Re-running after the corpus changed re-embeds only new or changed articles.
    Bad files are skipped and listed in `index.build_report.skipped`. `encoder`,
    `sentence_vectors`, `ray`, `faiss` and `store`: see `build_from_articles`.
    """
    disk.check_target(Path(index_dir), Path(corpus))
    articles, skipped = read_corpus(corpus)
    return build_from_articles(articles, index_dir, model=model, settings=settings, progress=progress,
                               skipped=skipped, encoder=encoder, sentence_vectors=sentence_vectors, ray=ray,
                               faiss=faiss, store=store)


def _outdated_default(manifest: dict) -> bool:
    """An index of the bundled model built with another encoder or sentence method than today's defaults."""
    from .embed import DEFAULT_ENCODER
    from .model import DEFAULT_MODEL, ONNX_EXPORT

    model = manifest.get("model", {})
    if model.get("id") != DEFAULT_MODEL:
        return False
    made = (model.get("encoder", "torch"), model.get("sentence_vectors", SEPARATE), model.get("onnx_export"))
    # An ONNX encoder's vectors also depend on the export version (torch indexes record none).
    return made != (DEFAULT_ENCODER, DEFAULT_METHOD, None if DEFAULT_ENCODER == "torch" else ONNX_EXPORT)


def is_stale(corpus: str | Path, index_dir: str | Path) -> bool:
    """True when the index is missing, unreadable, or was built from another version of the corpus."""
    try:
        manifest = disk.read_manifest(Path(index_dir))
    except Exception:
        return True
    if _outdated_default(manifest) or manifest.get("normalisation", 1) != NORMALISATION:
        return True
    articles, _ = read_corpus(corpus)
    fingerprint = disk.corpus_fingerprint({a.doc_id: disk.article_hash(a) for a in articles})
    return manifest["corpus"]["fingerprint"] != fingerprint
