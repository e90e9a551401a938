"""The scale benchmark (issue 11): an index of N synthetic passages made of real Vietnamese sentences.

    python scripts/benchmark.py --scale 100000 [--faiss auto] [--mlqa ../shared/data/mlqa-r-vi.json]
                                [--vectors-from INDEX] [--store milvus-lite[:PATH.db]] [--timed-questions N] --json

Source sentences are the sample corpus's (plus the MLQA paragraphs' with --mlqa). Each distinct
source sentence is embedded once with the real model (or its vector taken from an index built
with the real model, --vectors-from); a synthetic passage is 3-6 source sentences drawn at
random, each synthetic sentence's vector its source's vector plus small deterministic noise,
the passage vector their normalised mean. So the vectors have the real model's geometry.

The build is the last step of `qa.build_index` (keyword index, diacritics tables, the store's
FAISS indexes, the chunk tables, save, load): everything except reading files, chunking and
embedding. Latencies are measured in a fresh process that loads the index and gets the
questions' vectors precomputed (their embedding is timed apart, `embed_ms`), so `rss_mb` is
the index's, without the model. Prints one JSON object.

`--store milvus-lite[:PATH.db]` builds the same passages into Milvus Lite instead of FAISS + bm25s
(the store `qa.build_index(..., store=...)` creates; by default a file in a folder beside the index,
removed with it); `index_bytes` then counts the .db too. Milvus Lite takes seconds per query at
100k: `--timed-questions N` times (and checks the ANN recall of) only the first N questions.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

NOISE = 0.25  # norm of the noise added to a source sentence's unit vector (cosine to it about 0.97)
SOURCES = 24  # source files the synthetic articles are spread over (for source filters)
YEARS = (2020, 2025)  # articles are dated uniformly over these years; the date filter keeps 2023
FILTER = ("2023-01-01", "2023-12-31")


def _sentences(corpus: Path, mlqa: Path | None) -> tuple[list[str], list[str]]:
    """Distinct source sentences (normalised) and questions to ask."""
    from qa.evaluate import read_squad
    from qa.ingest import read_corpus
    from qa.sentences import split_sentences
    from qa.text import normalize

    articles, _ = read_corpus(corpus)
    questions = [json.loads(line)["question"] for line in
                 Path("tests/data/questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    if mlqa:
        more, asked = read_squad(mlqa)
        articles += more
        questions += [q.question for q in asked[:200]]
    out = [normalize(s) for a in articles for s in split_sentences(a.text)]
    return list(dict.fromkeys(s for s in out if len(s) >= 20)), questions


def _source_vectors(sentences: list[str], embedder, vectors_from: Path | None) -> tuple[np.ndarray, int]:
    """One vector per source sentence: from an index built with the same model when it has it, else embedded."""
    known: dict[str, np.ndarray] = {}
    if vectors_from:
        import qa
        from qa.sentence_vectors import sentence_text

        old = qa.load(vectors_from, model=embedder)
        matrix = old.store.vectors("sentence")
        chunks = list(old.chunks)
        for (row, a, b), vector in zip(old.store.sentence_spans(), matrix, strict=True):
            known[sentence_text(chunks[row], int(a), int(b))] = vector
    todo = [s for s in sentences if s not in known]
    if todo:
        known.update(zip(todo, embedder.embed_passages(todo, batch_size=64), strict=True))
    return np.stack([known[s] for s in sentences]).astype(np.float32), len(todo)


def _synthesise(n: int, sentences: list[str], vectors: np.ndarray, seed: int = 0):
    """Articles (one passage each), chunks, sentence spans, passage and sentence vectors."""
    from qa.records import Article, Chunk

    rng = np.random.default_rng(seed)
    counts = rng.integers(3, 7, n)  # 3-6 sentences per passage
    picks = rng.integers(0, len(sentences), int(counts.sum()))
    # In blocks (the same draws as one call): at a million passages one noise matrix is 7 GB.
    sentence_matrix = np.empty((len(picks), vectors.shape[1]), dtype=np.float32)
    for start in range(0, len(picks), 1 << 18):
        part = slice(start, start + (1 << 18))
        noise = rng.standard_normal((len(picks[part]), vectors.shape[1]), dtype=np.float32)
        noise *= NOISE / np.linalg.norm(noise, axis=1, keepdims=True)
        noise += vectors[picks[part]]
        noise /= np.linalg.norm(noise, axis=1, keepdims=True)
        sentence_matrix[part] = noise
    del noise
    first_day = np.datetime64(f"{YEARS[0]}-01-01")
    days = rng.integers(0, (np.datetime64(f"{YEARS[1]}-01-01") - first_day).astype(int), n)
    source_of = rng.integers(0, SOURCES, n)
    articles, chunks = [], []
    spans = np.zeros((len(picks), 3), dtype=np.int32)
    matrix = np.zeros((n, vectors.shape[1]), dtype=np.float32)
    at = 0
    for i in range(n):
        parts, offset = [], 0
        for j in range(at, at + int(counts[i])):
            text = sentences[picks[j]]
            spans[j] = (i, offset, offset + len(text))
            parts.append(text)
            offset += len(text) + 1
        text = " ".join(parts)
        mean = sentence_matrix[at : at + int(counts[i])].mean(axis=0)
        matrix[i] = mean / np.linalg.norm(mean)
        at += int(counts[i])
        doc_id = f"p{i:07d}"
        title = " ".join(parts[0].split()[:8])
        date = str(first_day + int(days[i]))
        source = f"nguon-{int(source_of[i]):02d}.jsonl"
        articles.append(Article(doc_id, text, title, date, source=source))
        chunks.append(Chunk(doc_id, text, 0, len(text), title, date, source))
    return articles, chunks, spans, matrix, sentence_matrix


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _top10(scores: np.ndarray) -> np.ndarray:
    """Column numbers of each row's 10 highest scores."""
    if scores.shape[1] <= 10:
        return np.broadcast_to(np.arange(scores.shape[1]), scores.shape).copy()
    return np.argpartition(-scores, 10, axis=1)[:, :10]


def _exact_recall(index, matrix: np.ndarray, sentence_matrix: np.ndarray, spans: np.ndarray,
                  queries: np.ndarray, block: int = 1 << 18) -> tuple[float, float]:
    """Recall@10 of the store's two vector channels against exact search on the fp32 vectors.

    The vectors may be memory-mapped: they are read once, `block` rows at a time.
    """
    n = len(matrix)
    best_rows = np.zeros((len(queries), 0), dtype=np.int64)
    best_scores = np.zeros((len(queries), 0), dtype=np.float32)
    for start in range(0, n, block):
        scores = np.concatenate([best_scores, queries @ np.asarray(matrix[start : start + block]).T], axis=1)
        rows = np.concatenate([best_rows, np.broadcast_to(np.arange(start, min(n, start + block)),
                                                          (len(queries), min(n, start + block) - start))], axis=1)
        keep = _top10(scores)
        best_scores, best_rows = np.take_along_axis(scores, keep, 1), np.take_along_axis(rows, keep, 1)
    passage_exact = best_rows
    best = np.full((len(queries), n), -np.inf, dtype=np.float32)  # best sentence of each passage
    for start in range(0, len(spans), block):
        rows = spans[start : start + block, 0]
        scores = queries @ np.asarray(sentence_matrix[start : start + block]).T
        firsts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        rows = rows[firsts]
        best[:, rows] = np.maximum(best[:, rows], np.maximum.reduceat(scores, firsts, axis=1))
    sentence_exact = _top10(best)
    del best
    passage, sentence = [], []
    for q, truth_p, truth_s in zip(queries, passage_exact, sentence_exact, strict=True):
        passage.append(len(set(truth_p.tolist()) & {r for r, _ in index.store.search("passage", q, 10)}) / 10)
        sentence.append(len(set(truth_s.tolist()) & {r for r, _ in index.store.search("sentence", q, 10)}) / 10)
    return float(np.mean(passage)), float(np.mean(sentence))


class _Precomputed:
    """Stands in for the model in the query process: the questions' vectors were computed beforehand."""

    def __init__(self, model: dict, vectors: dict[str, np.ndarray]):
        # The manifest's model entry: `qa.load` checks the encoder and, for an ONNX encoder (the
        # default int8 one), the export version, so the stand-in carries both.
        self.model_id, self.dim, self.max_tokens = model["id"], int(model["dim"]), 512
        self.encoder = model.get("encoder", "torch")
        self.onnx_export = model.get("onnx_export")
        self._vectors = vectors

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def embed_passages(self, texts, *, batch_size=32, progress=False):
        raise RuntimeError("the query process embeds nothing")

    def embed_query(self, text: str) -> np.ndarray:
        return self._vectors[text]


def query_process(index_dir: str, questions_file: str, rounds: int, timed: int | None = None) -> dict:
    """Load the index and time hybrid retrieval (with and without a date filter); runs in its own process.

    `timed`: only the first `timed` questions of the file (all when None).
    """
    import qa

    data = json.loads(Path(questions_file).read_text(encoding="utf-8"))
    data["questions"] = data["questions"][:timed]
    vectors = {text: np.asarray(v, dtype=np.float32) for text, v in data["vectors"].items()}
    started = time.perf_counter()
    manifest = json.loads((Path(index_dir) / "manifest.json").read_text(encoding="utf-8"))
    index = qa.load(index_dir, model=_Precomputed(manifest["model"], vectors))
    load_s = time.perf_counter() - started
    after_load = _memory()
    plain, filtered = [], []
    for q in data["questions"]:  # first pass untimed: page in what the queries touch
        index.retrieve(q, k=5)
        index.retrieve(q, k=5, date_from=FILTER[0], date_to=FILTER[1])
    for _ in range(rounds):
        for q in data["questions"]:
            t = time.perf_counter()
            index.retrieve(q, k=5)
            plain.append(time.perf_counter() - t)
            t = time.perf_counter()
            index.retrieve(q, k=5, date_from=FILTER[0], date_to=FILTER[1])
            filtered.append(time.perf_counter() - t)
    where = []
    for _ in range(20):
        t = time.perf_counter()
        index.where(None, FILTER[0], FILTER[1])
        where.append(time.perf_counter() - t)
    return {"load_s": round(load_s, 2), "where_ms": round(statistics.median(where) * 1000, 2),
            "p50_ms": round(statistics.median(plain) * 1000, 2), "p95_ms": round(_percentile(plain, 0.95) * 1000, 2),
            "filtered_p50_ms": round(statistics.median(filtered) * 1000, 2),
            "filtered_p95_ms": round(_percentile(filtered, 0.95) * 1000, 2),
            "latency_sample": len(plain),
            "mapped_drops": getattr(getattr(index.store, "_budget", None), "drops", None),
            "rss_mb": _peak_rss_mb(), **{f"{k}_after_load_mb": v for k, v in after_load.items()},
            **{f"{k}_end_mb": v for k, v in _memory().items()}, "resident_end_mb": _resident_by_file(index_dir)}


def _resident_by_file(index_dir: str) -> dict[str, float]:
    """Resident MB of each mapped file of the index folder now, and of anonymous memory ("anon")."""
    folder = str(Path(index_dir).resolve())
    out: dict[str, float] = {}
    name = None
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if not fields[0].endswith(":") or "-" in fields[0]:  # a mapping's header line
            path = fields[5] if len(fields) > 5 else ""
            name = (path[len(folder) + 1 :] if path.startswith(folder + "/")
                    else "anon" if not path or path in ("[heap]", "[stack]") else None)
        elif fields[0] == "Rss:" and name is not None:
            out[name] = out.get(name, 0.0) + int(fields[1]) / 1024
    return {k: round(v, 1) for k, v in sorted(out.items(), key=lambda item: -item[1])}


def _memory() -> dict:
    """Resident memory now, split into anonymous (heap) and file-backed (mapped index files, libraries) MB."""
    fields = {"RssAnon": "rss_anon", "RssFile": "rss_file"}
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key = line.split(":")[0]
        if key in fields:
            out[fields[key]] = round(int(line.split()[1]) / 1024, 1)
    return out


def _peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM: getrusage keeps the parent's peak across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _path_bytes(path: Path) -> int:
    """Bytes of a file or of every file under a folder (0 when missing); Milvus Lite's .db and its side files."""
    if not path.parent.exists():
        return 0
    found = [p for p in [path, *path.parent.glob(path.name + ".*")] if p.exists()]
    return sum(_folder_bytes(p) if p.is_dir() else p.stat().st_size for p in found)


def store_spec(store: str | None, beside: Path) -> tuple[str | None, Path | None]:
    """The store value to build into and the Milvus Lite file it writes (None for FAISS or a server).

    "milvus-lite" alone is a file in a folder `beside` the index (`<index>-milvus/store.db`).
    """
    if store in (None, "", "faiss"):
        return None, None
    if store == "milvus-lite":
        store = f"milvus-lite:{beside.parent / (beside.name + '-milvus') / 'store.db'}"
    from qa.milvus_store import parse_store

    spec = parse_store(store)
    return spec.value, Path(spec.uri) if spec.kind == "milvus-lite" else None


def _close_store(index, db_file: Path | None) -> None:
    """Let the query process open the Milvus Lite file: close this process's client and stop its server.

    Milvus Lite runs one in-process server per file, holding an exclusive lock on it until the
    process exits (closing a client does not stop it), and the build's own store still has one.
    """
    inner = getattr(index.store, "store", None)
    if inner is not None and hasattr(inner, "close"):
        inner.close()
    if db_file is not None:
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(str(db_file))


def run(n: int, *, faiss: str | None, mlqa: Path | None, vectors_from: Path | None, corpus: Path = Path("corpus"),
        keep: Path | None = None, rounds: int = 2, questions_limit: int = 100, store: str | None = None,
        timed_questions: int | None = None, build_threads: int | None = None) -> dict:
    """The scale benchmark's one JSON object (see the module docstring).

    `build_threads`: FAISS's threads during the build only (training and filling the IVF channel);
    the queries keep the process's setting (`OMP_NUM_THREADS`). None: the process's setting.
    """
    from qa import store as disk
    from qa.build import _model_info, write_index
    from qa.chunk import ChunkSettings
    from qa.embed import load_embedder
    from qa.fusion import Fusion
    from qa.sentence_vectors import SEPARATE
    from qa.text import normalize

    # Progress on stderr (stdout is the JSON): how far a long run got.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", stream=sys.stderr)
    load_at_start = os.getloadavg()[0]
    embedder = load_embedder()
    sentences, questions = _sentences(corpus, mlqa)
    started = time.perf_counter()
    source_vectors, embedded = _source_vectors(sentences, embedder, vectors_from)
    source_s = time.perf_counter() - started
    started = time.perf_counter()
    articles, chunks, spans, matrix, sentence_matrix = _synthesise(n, sentences, source_vectors)
    synth_s = time.perf_counter() - started
    logging.info("synthesised %d passages in %.1f s (peak RSS %.0f MB)", n, synth_s, _peak_rss_mb())
    hashes = {a.doc_id: disk.article_hash(a) for a in articles}

    if timed_questions is not None and timed_questions < 1:
        raise ValueError(f"timed_questions must be at least 1, got {timed_questions}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(keep or tmp) / f"scale-{n}"
        store_value, db_file = store_spec(store, folder)
        # The exact-recall check needs the fp32 vectors after the build; a copy on disk (read back
        # memory-mapped) lets the build free them as `build_from_articles` does (8.4 GB at 1M).
        np.save(Path(tmp) / "passages.npy", matrix)
        np.save(Path(tmp) / "sentences.npy", sentence_matrix)
        held = [matrix, sentence_matrix]
        del matrix, sentence_matrix
        import faiss as faiss_library

        threads_before = faiss_library.omp_get_max_threads()
        if build_threads is not None:
            faiss_library.omp_set_num_threads(build_threads)
        started = time.perf_counter()
        try:
            index = write_index(folder, articles, hashes, chunks, held.pop(0), held.pop(0), spans, embedder=embedder,
                                model_info=_model_info(embedder, SEPARATE), settings=ChunkSettings(), fusion=Fusion(),
                                faiss=faiss, store=store_value)
        finally:
            faiss_library.omp_set_num_threads(threads_before)
        build_s = time.perf_counter() - started
        logging.info("built in %.1f s (peak RSS %.0f MB)", build_s, _peak_rss_mb())
        build_peak = _peak_rss_mb()
        del articles, chunks
        matrix = np.load(Path(tmp) / "passages.npy", mmap_mode="r")
        sentence_matrix = np.load(Path(tmp) / "sentences.npy", mmap_mode="r")
        asked = questions[:questions_limit]
        checked = asked[:timed_questions]  # the questions timed and checked for ANN recall
        restored = {q: index.restore_diacritics(normalize(q.strip())) for q in asked}
        t = []
        query_vectors = {}
        for q in asked:
            started = time.perf_counter()
            query_vectors[restored[q]] = embedder.embed_query(restored[q])
            t.append(time.perf_counter() - started)
        recall_passage, recall_sentence = _exact_recall(index, matrix, sentence_matrix, spans,
                                                        np.stack([query_vectors[restored[q]] for q in checked]))
        entry = index.manifest["store"]
        _close_store(index, db_file)
        del index, matrix, sentence_matrix
        questions_file = Path(keep or tmp) / f"scale-{n}-questions.json"  # kept with --keep: re-time the queries
        questions_file.write_text(json.dumps({"questions": asked, "vectors": {k: v.tolist() for k, v in query_vectors.items()}},
                                             ensure_ascii=False), encoding="utf-8")
        child = subprocess.run([sys.executable, __file__, "--query-process", str(folder), str(questions_file),
                                str(rounds), str(len(checked))], capture_output=True, text=True, env={**os.environ})
        if child.returncode:  # show why: the captured stderr is otherwise lost
            raise RuntimeError(f"the query process failed ({child.returncode}):\n{child.stderr[-4000:]}")
        timed = json.loads(child.stdout.strip().splitlines()[-1])
        is_faiss = entry["kind"] == "faiss"
        folder_bytes, store_bytes = _folder_bytes(folder), _path_bytes(db_file) if db_file else 0
        out = {
            "passages": n, "sentences": int(len(spans)), "store": entry["kind"],
            "store_value": entry.get("store", "faiss"), "milvus_index_type": None if is_faiss else entry.get("index_type"),
            # FAISS-specific: null for another store.
            "faiss": entry.get("faiss") if is_faiss else None,
            "faiss_passage": entry.get("passage") if is_faiss else None,
            "faiss_sentence": entry.get("sentence") if is_faiss else None,
            "build_s": round(build_s, 1),
            "index_bytes": folder_bytes + store_bytes,  # the index folder, and the Milvus Lite file when there is one
            "store_bytes": store_bytes if db_file else None,
            "rss_mb": timed["rss_mb"], "rss_anon_end_mb": timed.get("rss_anon_end_mb"),
            "rss_file_end_mb": timed.get("rss_file_end_mb"), "resident_end_mb": timed.get("resident_end_mb"),
            "p50_ms": timed["p50_ms"], "p95_ms": timed["p95_ms"],
            "filtered_p50_ms": timed["filtered_p50_ms"], "filtered_p95_ms": timed["filtered_p95_ms"],
            "filter": f"date {FILTER[0]}..{FILTER[1]} (about 20% of passages)",
            "embed_ms": round(statistics.median(t) * 1000, 1), "embed_p95_ms": round(_percentile(t, 0.95) * 1000, 1),
            "ann_recall_at_10": round(min(recall_passage, recall_sentence), 4),
            "ann_recall_at_10_passage": round(recall_passage, 4), "ann_recall_at_10_sentence": round(recall_sentence, 4),
            "where_ms": timed.get("where_ms"), "load_s": timed["load_s"], "queries": len(asked), "rounds": rounds,
            "timed_questions": len(checked),  # questions timed (x rounds, plain and filtered) and checked for recall
            "latency_sample": timed.get("latency_sample"),  # timings behind each p50 / p95
            "source_sentences": len(sentences), "source_sentences_embedded": embedded,
            "source_vectors_s": round(source_s, 1), "synthesis_s": round(synth_s, 1),
            "build_peak_rss_mb": build_peak,  # the build process, with the model loaded, up to the end of the build
            "peak_rss_mb": _peak_rss_mb(),  # the same process up to the end (exact recall included)
            "vectors": (f"each distinct source sentence embedded once with {embedder.model_id} "
                        f"({'vectors taken from ' + str(vectors_from) + ' where it had them, ' if vectors_from else ''}"
                        f"{embedded} embedded now); synthetic sentence = source vector + noise of norm {NOISE} "
                        "(seeded), normalised; passage = normalised mean of its sentences"),
            "build": "write_index: keyword index, diacritics tables, FAISS indexes, chunk tables, save, load "
                     "(no file reading, chunking or embedding)",
            "build_threads": build_threads if build_threads is not None else threads_before,
            "machine": f"{os.cpu_count()} cores, load average {load_at_start:.1f} at the start, OMP_NUM_THREADS="
                       f"{os.environ.get('OMP_NUM_THREADS', 'unset')}",
        }
    return out


def text_stages(n: int, *, mlqa: Path | None, corpus: Path = Path("corpus"), seed: int = 0,
                tables: bool = True) -> dict:
    """The build's text stages alone on N synthetic passages (no vectors): time and peak memory of each.

    The passages are drawn as in `run` (3-6 source sentences each) and held as the build holds
    them (a list of keyword texts, the articles' texts); the abbreviation and diacritics tables
    and the BM25 index are then built as `write_index` builds them.
    """
    from qa.keyword import KeywordIndex
    from qa.parallel import workers_for
    from qa.vietnamese import Abbreviations, corpus_tables

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", stream=sys.stderr)
    sentences, _ = _sentences(corpus, mlqa)
    rng = np.random.default_rng(seed)
    counts = rng.integers(3, 7, n)
    picks = rng.integers(0, len(sentences), int(counts.sum()))
    ends = np.cumsum(counts)
    texts = [" ".join(sentences[j] for j in picks[end - c : end]) for c, end in zip(counts.tolist(), ends.tolist(), strict=True)]
    keyword_texts = [f"{' '.join(t.split()[:8])}\n{t}" for t in texts]  # title + text, as the build indexes
    del picks
    out = {"passages": n, "texts_rss_mb": _peak_rss_mb()}
    logging.info("%d passages in memory (peak RSS %.0f MB)", n, out["texts_rss_mb"])
    abbreviations = Abbreviations.from_corpus([])
    if tables:  # tables=False: the BM25 index alone (with the built-in abbreviations only)
        started = time.perf_counter()
        titles = (" ".join(t.split()[:8]) for t in texts)
        abbreviations, restorer = corpus_tables(zip(titles, texts, strict=True), workers=workers_for(texts))
        restorer.to_dict()
        del restorer
        out["tables_s"] = round(time.perf_counter() - started, 1)
        out["tables_peak_rss_mb"] = _peak_rss_mb()
        logging.info("tables in %.1f s (peak RSS %.0f MB)", out["tables_s"], out["tables_peak_rss_mb"])
    started = time.perf_counter()
    keyword = KeywordIndex.build(keyword_texts, abbreviations)
    out["keyword_s"] = round(time.perf_counter() - started, 1)
    out["keyword_peak_rss_mb"] = _peak_rss_mb()
    out["keyword_nnz"] = int(len(keyword._bm25.scores["data"]))
    out["keyword_vocab"] = len(keyword._vocab)
    out["workers"] = workers_for(texts)
    out["machine"] = (f"{os.cpu_count()} cores shared with other engineers (busy), OMP_NUM_THREADS="
                      f"{os.environ.get('OMP_NUM_THREADS', 'unset')}")
    return out


def _passage_like(source_vectors: np.ndarray, n: int, rng) -> np.ndarray:
    """N vectors made as the scale benchmark's passages are: normalised means of 3-6 noisy sentence vectors."""
    counts = rng.integers(3, 7, n)
    owner = np.repeat(np.arange(n), counts)
    out = np.zeros((n, source_vectors.shape[1]), dtype=np.float32)
    for start in range(0, len(owner), 1 << 18):
        part = owner[start : start + (1 << 18)]
        noisy = source_vectors[rng.integers(0, len(source_vectors), len(part))]
        noise = rng.standard_normal(noisy.shape, dtype=np.float32)
        noisy = noisy + NOISE * noise / np.linalg.norm(noise, axis=1, keepdims=True)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        np.add.at(out, part, noisy)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def sweep(sizes: list[int], *, mlqa: Path | None, vectors_from: Path | None, corpus: Path = Path("corpus"),
          queries: int = 100, channel: str = "sentence", kinds: tuple[str, ...] = ("flat", "hnsw", "ivf-sq8"),
          probe_shares: tuple[float, ...] = (), iterations: tuple[int, ...] = ()) -> list[dict]:
    """One vector channel alone at several sizes: search time and recall@10 of each FAISS kind.

    Where flat stops paying is where `auto` switches (qa.ann.AUTO_THRESHOLD). `channel` "sentence":
    noisy copies of the source sentences' vectors; "passage": means of 3-6 of them, as the scale
    benchmark's passages (their scores nearly tie). `probe_shares`: IVF-SQ8 also timed with
    nprobe = that share of its lists. `iterations`: IVF-SQ8 built once per k-means iteration count
    (instead of qa.ann's default).
    """
    from qa import ann
    from qa.embed import load_embedder

    embedder = load_embedder()
    sentences, questions = _sentences(corpus, mlqa)
    source_vectors, _ = _source_vectors(sentences, embedder, vectors_from)
    asked = np.stack([embedder.embed_query(q) for q in questions[:queries]])
    rows = []
    for n in sizes:
        rng = np.random.default_rng(n)
        if channel == "passage":
            vectors = _passage_like(source_vectors, n, rng)
        else:
            vectors = source_vectors[rng.integers(0, len(sentences), n)]
            noise = rng.standard_normal(vectors.shape, dtype=np.float32)
            vectors = vectors + NOISE * noise / np.linalg.norm(noise, axis=1, keepdims=True)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        exact = np.argsort(-(asked @ vectors.T), axis=1)[:, :10]
        builds = [(kind, None) for kind in kinds if kind != ann.IVF_SQ8 or not iterations]
        builds += [(ann.IVF_SQ8, n_iter) for n_iter in iterations if ann.IVF_SQ8 in kinds]
        for kind, n_iter in builds:
            started = time.perf_counter()
            index = ann.prepare(ann.make(kind, vectors.shape[1], vectors,
                                         iterations=ann.IVF_TRAIN_ITERATIONS if n_iter is None else n_iter))
            build_s = time.perf_counter() - started
            extra = {} if n_iter is None else {"kmeans_iterations": n_iter}
            settings = [None] + ([int(np.ceil(share * index.nlist)) for share in probe_shares] if kind == ann.IVF_SQ8 else [])
            for nprobe in settings:
                if nprobe is not None:
                    index.nprobe = nprobe
                times, recall = [], []
                for q, truth in zip(asked, exact, strict=True):
                    t = time.perf_counter()
                    found = ann.search(index, q, 10)
                    times.append(time.perf_counter() - t)
                    recall.append(len({r for r, _ in found} & set(truth.tolist())) / 10)
                rows.append({"vectors": n, "channel": channel, "kind": kind, **extra, **ann.describe(index),
                             "build_s": round(build_s, 2), "p50_ms": round(statistics.median(times) * 1000, 3),
                             "p95_ms": round(_percentile(times, 0.95) * 1000, 3),
                             "recall_at_10": round(float(np.mean(recall)), 4)})
                print(json.dumps(rows[-1]), flush=True)
    return rows


def filtered_recall(index_dir: str, questions_file: str, block: int = 1 << 19) -> dict:
    """Recall@10 of each vector channel with the benchmark's date filter, against exact search of the
    allowed rows on the index's own stored (decoded SQ8) vectors: what the filtered search path loses,
    not what SQ8 loses (the unfiltered `ann_recall_at_10` counts that, against fp32)."""
    import qa

    data = json.loads(Path(questions_file).read_text(encoding="utf-8"))
    queries = np.stack([np.asarray(v, dtype=np.float32) for v in data["vectors"].values()])
    model = json.loads((Path(index_dir) / "manifest.json").read_text(encoding="utf-8"))["model"]
    index = qa.load(index_dir, model=_Precomputed(model, {}))
    where = index.where(None, FILTER[0], FILTER[1])
    allowed = where.mask
    out = {}
    for channel, faiss_index in (("passage", index.store.passage_index), ("sentence", index.store.sentence_index)):
        rows = (np.arange(faiss_index.ntotal) if channel == "passage"
                else np.ascontiguousarray(index.store.sentence_spans()[:, 0]))
        best = np.full((len(queries), len(allowed)), -np.inf, dtype=np.float32)  # best allowed score per chunk
        for start in range(0, faiss_index.ntotal, block):
            stop = min(faiss_index.ntotal, start + block)
            scores = queries @ faiss_index.reconstruct_n(start, stop - start).T
            scores[:, ~allowed[rows[start:stop]]] = -np.inf
            part = rows[start:stop]
            firsts = np.flatnonzero(np.r_[True, part[1:] != part[:-1]])
            best[:, part[firsts]] = np.maximum(best[:, part[firsts]], np.maximum.reduceat(scores, firsts, axis=1))
        truth = _top10(best)
        del best
        found = [{r for r, _ in index.store.search(channel, q, 10, where)} for q in queries]
        out[f"filtered_recall_at_10_{channel}"] = round(float(np.mean(
            [len(f & set(t.tolist())) / 10 for f, t in zip(found, truth, strict=True)])), 4)
    return {**out, "filter": f"date {FILTER[0]}..{FILTER[1]}", "queries": len(queries)}


if __name__ == "__main__" and len(sys.argv) in (5, 6) and sys.argv[1] == "--query-process":
    print(json.dumps(query_process(sys.argv[2], sys.argv[3], int(sys.argv[4]),
                                   int(sys.argv[5]) if len(sys.argv) == 6 else None)))
if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "--filtered-recall":
    print(json.dumps(filtered_recall(sys.argv[2], sys.argv[3])))
