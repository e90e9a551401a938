"""Speed figures: indexing throughput against raw model.encode, and query latency.

    python scripts/benchmark.py [--corpus corpus] [--squad ../shared/data/mlqa-r-vi.json] [--repeat 3]

Prints figures; it asserts nothing. The pipeline cost is the whole build (reading, cleaning,
chunking, embedding passages and sentences, BM25, saving) beside encoding the same passages
and sentences with the model alone. Query latencies are measured with the question-vector
cache emptied before each call.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import qa
from qa.cli import set_offline_environment
from qa.embed import SentenceTransformerEmbedder
from qa.evaluate import read_squad
from qa.index import build_from_articles
from qa.ingest import read_corpus
from qa.sentence_vectors import sentence_text, spans_of
from qa.text import normalize


def _ms(values):
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return f"p50 {statistics.median(values) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def indexing(articles, embedder, label):
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        index = build_from_articles(articles, Path(tmp) / "index", model=embedder, progress=False)
        pipeline = time.perf_counter() - started
    texts = [normalize(c.text) for c in index.chunks]
    sentences = list(dict.fromkeys(sentence_text(index.chunks[r], a, b) for r, a, b in spans_of(index.chunks)))
    raw = {}
    for what, items, batch in (("passages", texts, 32), ("sentences", sentences, 64)):
        started = time.perf_counter()  # one call: sentence-transformers sorts the texts by length itself
        embedder._model.encode([embedder.passage_prompt + t for t in items], batch_size=batch,
                               normalize_embeddings=True)
        raw[what] = time.perf_counter() - started
    n, total = len(texts), raw["passages"] + raw["sentences"]
    print(f"indexing {label}: {len(articles)} articles, {n} passages, {len(sentences)} distinct sentences")
    print(f"  pipeline (read+clean+chunk+embed+bm25+save): {pipeline:6.1f} s  {n / pipeline:6.1f} passages/s")
    print(f"  raw model.encode, passages:                  {raw['passages']:6.1f} s  {n / raw['passages']:6.1f} passages/s")
    print(f"  raw model.encode, sentences:                 {raw['sentences']:6.1f} s")
    print(f"  pipeline overhead over raw encoding of the same texts: {100 * (pipeline - total) / total:+.1f}%")


def latency(index, questions, repeat):
    for mode in ("keyword", "dense", "hybrid"):
        times = []
        for _ in range(repeat):
            for q in questions:
                index.clear_cache()
                started = time.perf_counter()
                index.retrieve(q, k=5, mode=mode)
                times.append(time.perf_counter() - started)
        print(f"  retrieve {mode:8} {_ms(times)}")
    times = []
    for _ in range(repeat):
        for q in questions:
            index.clear_cache()
            started = time.perf_counter()
            index.answer(q)
            times.append(time.perf_counter() - started)
    print(f"  answer   hybrid   {_ms(times)}")


def main():
    set_offline_environment()
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default="corpus")
    parser.add_argument("--questions", default="tests/data/questions.jsonl")
    parser.add_argument("--squad", default=None, help="also index a SQuAD file's paragraphs (MLQA-vi)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder()
    embedder.embed_query("khởi động")
    print(f"model load: {time.perf_counter() - started:.1f} s ({embedder.model_id})")
    articles, _ = read_corpus(args.corpus)
    indexing(articles, embedder, f"sample corpus ({args.corpus})")
    if args.squad:
        squad_articles, _ = read_squad(Path(args.squad))
        indexing(squad_articles, embedder, f"SQuAD paragraphs ({Path(args.squad).name})")

    with tempfile.TemporaryDirectory() as tmp:
        index = qa.build_index(args.corpus, Path(tmp) / "index", model=embedder, progress=False)
        questions = [json.loads(line)["question"] for line in Path(args.questions).read_text(encoding="utf-8").splitlines()
                     if line.strip()]
        print(f"query latency on the sample index ({len(index)} passages, {len(questions)} questions x {args.repeat}):")
        latency(index, questions, args.repeat)


if __name__ == "__main__":
    main()
