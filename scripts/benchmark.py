"""Speed figures, all in one run on the same texts: encoders, full builds, the LangChain tutorial, queries.

    python scripts/benchmark.py [--squad ../shared/data/mlqa-r-vi.json] [--recall] [--repeat 3] [--builds torch:separate,...]
    python scripts/benchmark.py --encode-only [--sample 96] [--rounds 3]     # encoders only, no builds
    python scripts/benchmark.py --answers INDEX[,INDEX] [--rounds 3]         # answer latency only
    python scripts/benchmark.py --scale N [--faiss auto|flat|hnsw|ivf-sq8] [--mlqa PATH] [--vectors-from INDEX] --json
                                [--store milvus-lite[:PATH.db]] [--timed-questions N]

With --scale, only the scale benchmark runs (scripts/scale.py): an index of N synthetic passages
made of real sentences, one JSON object out.

Prints figures; it asserts nothing. Sections:
- raw encoding rate (passages/s, sentences/s) of each encoder (torch fp32, ONNX fp32, ONNX int8) on
  the same sample of passages and sentences, rounds interleaved so a busy machine slows all alike;
- the end-to-end build of the SQuAD file's paragraphs (read, clean, chunk, embed, BM25, save) with
  today's build (torch, sentences encoded separately) and with each encoder + late-chunked sentences;
- the LangChain tutorial pipeline on the same paragraphs (RecursiveCharacterTextSplitter 1000/200,
  the same model through sentence-transformers, FAISS IndexFlatIP);
- query-embedding time with each encoder, and retrieval latency on the sample corpus;
- with --recall, hybrid recall and answer figures on the SQuAD file for each build.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from qa.build import build_from_articles, build_index
from qa.cli import set_offline_environment
from qa.embed import load_embedder
from qa.evaluate import evaluate, read_squad
from qa.model import default_model_path
from qa.sentence_vectors import sentence_text, spans_of
from qa.text import normalize

ENCODERS = ("torch", "onnx-fp32", "onnx-int8")
BUILDS = (("torch", "separate"), ("torch", "late"), ("onnx-fp32", "late"), ("onnx-int8", "separate"),
          ("onnx-int8", "late"))


def _ms(values):
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return f"p50 {statistics.median(values) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def encode_rates(embedders, passages, sentences, rounds):
    """Rates at the batch sizes a build gives each encoder (`qa.embed.passage_batch`, SENTENCE_BATCH)
    and at 32 / 64."""
    from qa.embed import SENTENCE_BATCH, passage_batch

    settings = ["build", (32, 64)]
    sizes = {(name, k): (passage_batch(e), SENTENCE_BATCH) if setting == "build" else setting
             for k, setting in enumerate(settings) for name, e in embedders.items()}
    print(f"raw encoding ({len(passages)} passages, {len(sentences)} sentences; best of {rounds} interleaved rounds):")
    best = {run: {"passages": float("inf"), "sentences": float("inf")} for run in sizes}
    for _ in range(rounds):
        for run, times in best.items():
            for what, items, batch in (("passages", passages, sizes[run][0]), ("sentences", sentences, sizes[run][1])):
                started = time.perf_counter()
                embedders[run[0]].embed_passages(items, batch_size=batch)
                times[what] = min(times[what], time.perf_counter() - started)
    for k, setting in enumerate(settings):
        print(" batches a build uses (passages / sentences)" if setting == "build"
              else f" batches of {setting[0]} passages / {setting[1]} sentences")
        base = best[("torch", k)]
        for name in embedders:
            t, size = best[(name, k)], sizes[(name, k)]
            print(f"  {name:10} {len(passages) / t['passages']:6.1f} passages/s ({base['passages'] / t['passages']:.2f}x)"
                  f"   {len(sentences) / t['sentences']:6.1f} sentences/s ({base['sentences'] / t['sentences']:.2f}x)"
                  + (f"   ({size[0]} / {size[1]})" if setting == "build" else ""))


def encode_only(embedders, articles, questions, args) -> None:
    """Raw encoding rates on the passages and sentences of the first paragraphs, and query embedding."""
    from qa.chunk import ChunkSettings, chunk_article, make_splitter

    some = embedders["torch"]
    splitter = make_splitter(some.count_tokens, ChunkSettings(), some.max_tokens)
    chunks = [c for a in articles for c in chunk_article(a, splitter)][: args.sample]
    passages = [normalize(c.text) for c in chunks]
    sentences = list(dict.fromkeys(sentence_text(chunks[r], a, b) for r, a, b in spans_of(chunks)))
    encode_rates(embedders, passages, sentences, args.rounds)
    query_embedding(embedders, [q.question for q in questions[:60]], args.repeat)


def query_embedding(embedders, texts: list[str], repeat: int) -> None:
    print(f"query embedding ({len(texts)} questions x {repeat}):")
    for name, embedder in embedders.items():
        times = []
        for _ in range(repeat):
            for q in texts:
                started = time.perf_counter()
                embedder.embed_query(q)
                times.append(time.perf_counter() - started)
        print(f"  {name:10} {_ms(times)}")


def answer_latency(folders: list[str], questions_file: Path, rounds: int) -> None:
    """Time `index.answer` on each index folder, the question-vector cache emptied before each call
    (so the question is embedded as a new one is)."""
    from qa.evaluate import read_jsonl_questions
    from qa.index import load

    questions = [q.question for q in read_jsonl_questions(questions_file)]
    print(f"answer latency ({len(questions)} questions x {rounds}, question embedding included):")
    for folder in folders:
        index = load(folder)
        for q in questions[:5]:  # warm up
            index.answer(q)
        times = []
        for _ in range(rounds):
            for q in questions:
                index.clear_cache()
                started = time.perf_counter()
                index.answer(q)
                times.append(time.perf_counter() - started)
        print(f"  {index.manifest['model'].get('encoder', 'torch'):9}  {_ms(times)}   ({folder})")


def langchain_tutorial(articles, model_folder):
    """The tutorial's pipeline: 1000/200-character chunks, sentence-transformers, FAISS flat inner product."""
    import faiss
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from sentence_transformers import SentenceTransformer

    started = time.perf_counter()
    model = SentenceTransformer(str(model_folder), device="cpu")
    loaded = time.perf_counter()
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    chunks = [c for a in articles for c in splitter.split_text(a.text)]
    vectors = model.encode(chunks, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    done = time.perf_counter()
    return {"chunks": len(chunks), "seconds": done - loaded, "load": loaded - started, "model": model, "index": index}


def batch_sizes(embedders, articles, sizes: list[tuple[int, int]], rounds: int) -> None:
    """Full builds at each (passage, sentence) batch size with each encoder, and the tutorial's build,
    in `rounds` rounds (every other one in reverse order, so that a busy spell does not favour one)."""
    import qa.build as build

    runs = [(name, p, s) for name in embedders for p, s in sizes] + [("tutorial", 0, 0)]
    times: dict[tuple, list[float]] = {run: [] for run in runs}
    default_sentences = build.SENTENCE_BATCH
    own = {name: e.__dict__.get("passage_batch") for name, e in embedders.items()}
    try:
        for r in range(rounds):
            for run in runs if r % 2 == 0 else runs[::-1]:
                name, passage_batch, sentence_batch = run
                if name == "tutorial":
                    times[run].append(langchain_tutorial(articles, default_model_path())["seconds"])
                    continue
                build.SENTENCE_BATCH = sentence_batch  # read at each call
                embedders[name].passage_batch = passage_batch  # what qa.embed.passage_batch reads
                with tempfile.TemporaryDirectory() as tmp:
                    started = time.perf_counter()
                    build_from_articles(articles, Path(tmp) / "index", model=embedders[name], progress=False)
                    times[run].append(time.perf_counter() - started)
    finally:
        build.SENTENCE_BATCH = default_sentences
        for name, size in own.items():
            if size is None:
                embedders[name].__dict__.pop("passage_batch", None)
            else:
                embedders[name].passage_batch = size
    print(f"full build of {len(articles)} paragraphs by batch size (passages / sentences), {rounds} rounds:")
    for (name, p, s), seconds in times.items():
        label = "LangChain tutorial (1000/200, torch, 32)" if name == "tutorial" else f"{name} {p} / {s}"
        print(f"  {label:40} " + "  ".join(f"{t:6.1f} s" for t in seconds) + f"   best {min(seconds):6.1f} s")


def main():
    set_offline_environment()
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default="corpus")
    parser.add_argument("--questions", default="tests/data/questions.jsonl")
    parser.add_argument("--squad", default="../shared/data/mlqa-r-vi.json", help="paragraphs to index (MLQA-vi)")
    parser.add_argument("--recall", action="store_true", help="also evaluate each build on the SQuAD questions")
    parser.add_argument("--sample", type=int, default=96, help="passages in the raw encoding sample")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep", default=None, help="build the SQuAD indexes in this folder and keep them")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch-sizes", default=None, metavar="P/S,P/S",
                        help="only full builds at these passage/sentence batch sizes, with each encoder of --builds "
                             "and the tutorial's, in --rounds interleaved rounds")
    parser.add_argument("--answers", default=None, metavar="INDEX[,INDEX]",
                        help="only the answer latency on these index folders (e.g. index)")
    parser.add_argument("--encode-only", action="store_true",
                        help="only the raw encoding rates and query embedding of the encoders (no builds)")
    parser.add_argument("--builds", default=",".join(f"{e}:{m}" for e, m in BUILDS),
                        help="full builds to time, as encoder:sentences pairs (torch:separate is always built)")
    parser.add_argument("--scale", type=int, default=None, metavar="N",
                        help="only the scale benchmark: an index of N synthetic passages (scripts/scale.py)")
    parser.add_argument("--faiss", default=None, choices=["auto", "flat", "hnsw", "ivf-sq8", "pqfs-sq8"], help="with --scale")
    parser.add_argument("--mlqa", default=None, help="with --scale: also draw sentences from this SQuAD file")
    parser.add_argument("--vectors-from", default=None,
                        help="with --scale: take source sentences' vectors from this index (built with the real model)")
    parser.add_argument("--json", action="store_true", help="with --scale: print the one JSON object only")
    parser.add_argument("--store", default=None, metavar="faiss|milvus-lite[:PATH.db]|milvus://HOST:PORT",
                        help="with --scale: the store to build into (default faiss; milvus-lite alone: a .db file "
                             "in a temporary folder beside the index)")
    parser.add_argument("--build-threads", type=int, default=None, metavar="N",
                        help="with --scale: FAISS threads during the build only (queries keep OMP_NUM_THREADS)")
    parser.add_argument("--timed-questions", type=int, default=None, metavar="N",
                        help="with --scale: time (and check ANN recall of) only the first N of the 100 questions")
    parser.add_argument("--text-only", action="store_true",
                        help="with --scale: only the text stages of the build (tables, BM25) on N synthetic passages")
    parser.add_argument("--no-tables", action="store_true", help="with --text-only: the BM25 index alone")
    parser.add_argument("--ann-sweep", default=None, metavar="N,N,...",
                        help="only time FAISS kinds on one channel of each size (where auto switches)")
    parser.add_argument("--sweep-channel", default="sentence", choices=["sentence", "passage"],
                        help="with --ann-sweep: sentence-like vectors, or passage-like ones (means of 3-6 sentences)")
    parser.add_argument("--sweep-kinds", default="flat,hnsw,ivf-sq8", help="with --ann-sweep: the kinds to time")
    parser.add_argument("--sweep-probe-shares", default="", metavar="S,S,...",
                        help="with --ann-sweep: IVF-SQ8 also with nprobe = each share of its lists (e.g. 0.24)")
    parser.add_argument("--sweep-iterations", default="", metavar="N,N,...",
                        help="with --ann-sweep: IVF-SQ8 trained with each of these k-means iterations (default: qa.ann's)")
    args = parser.parse_args()
    if args.answers:
        answer_latency(args.answers.split(","), Path(args.questions), args.rounds)
        return
    if args.ann_sweep:
        import scale

        scale.sweep([int(n) for n in args.ann_sweep.split(",")], mlqa=Path(args.mlqa) if args.mlqa else None,
                    vectors_from=Path(args.vectors_from) if args.vectors_from else None, corpus=Path(args.corpus),
                    channel=args.sweep_channel, kinds=tuple(args.sweep_kinds.split(",")),
                    probe_shares=tuple(float(s) for s in args.sweep_probe_shares.split(",") if s),
                    iterations=tuple(int(n) for n in args.sweep_iterations.split(",") if n))
        return
    if args.scale and args.text_only:
        import scale

        print(json.dumps(scale.text_stages(args.scale, mlqa=Path(args.mlqa) if args.mlqa else None,
                                           corpus=Path(args.corpus), tables=not args.no_tables), ensure_ascii=False))
        return
    if args.scale:
        import scale

        figures = scale.run(args.scale, faiss=args.faiss, mlqa=Path(args.mlqa) if args.mlqa else None,
                            vectors_from=Path(args.vectors_from) if args.vectors_from else None,
                            corpus=Path(args.corpus), keep=Path(args.keep) if args.keep else None, rounds=args.repeat,
                            store=args.store, timed_questions=args.timed_questions, build_threads=args.build_threads)
        print(json.dumps(figures, ensure_ascii=False, indent=None if args.json else 2))
        return

    embedders = {}
    wanted_encoders = [b.split(":")[0] for b in args.builds.split(",") if b]
    for name in dict.fromkeys(wanted_encoders if args.batch_sizes else ["torch", *wanted_encoders, *ENCODERS]):
        started = time.perf_counter()
        embedders[name] = load_embedder(encoder=name)
        embedders[name].embed_query("khởi động")
        print(f"load {name}: {time.perf_counter() - started:.1f} s")
    articles, questions = read_squad(Path(args.squad))
    print(f"{Path(args.squad).name}: {len(articles)} paragraphs, {len(questions)} questions")
    if args.encode_only:
        encode_only(embedders, articles, questions, args)
        return
    if args.batch_sizes:
        sizes = [tuple(int(n) for n in pair.split("/")) for pair in args.batch_sizes.split(",")]
        batch_sizes(embedders, articles, sizes, args.rounds)
        return

    with tempfile.TemporaryDirectory() as tmp:
        tmp = args.keep or tmp
        builds = {}
        wanted = [tuple(b.split(":")) for b in args.builds.split(",") if b]
        for encoder, method in dict.fromkeys([("torch", "separate"), *wanted]):
            started = time.perf_counter()
            index = build_from_articles(articles, Path(tmp) / f"{encoder}-{method}", model=embedders[encoder],
                                        sentence_vectors=method, progress=False)
            builds[(encoder, method)] = (index, time.perf_counter() - started)
        tutorial = langchain_tutorial(articles, default_model_path())

        some = builds[("torch", "separate")][0]
        passages = [normalize(c.text) for c in some.chunks[: args.sample]]
        sentences = list(dict.fromkeys(sentence_text(some.chunks[r], a, b) for r, a, b in spans_of(some.chunks[: args.sample])))
        encode_rates(embedders, passages, sentences, args.rounds)

        print(f"full build of {len(articles)} paragraphs (read+clean+chunk+embed+bm25+save), model already loaded:")
        base = builds[("torch", "separate")][1]
        for (encoder, method), (index, seconds) in builds.items():
            label = f"{encoder}, sentences {method}" + (" (today)" if (encoder, method) == ("torch", "separate") else "")
            print(f"  {label:34} {seconds:6.1f} s  {len(index) / seconds:5.1f} passages/s  {base / seconds:4.2f}x"
                  f"  ({len(index)} passages, {len(index.store.sentence_spans())} sentences)")
        print(f"  {'LangChain tutorial (1000/200, torch)':34} {tutorial['seconds']:6.1f} s  "
              f"{len(articles) / tutorial['seconds']:5.1f} paragraphs/s  ({tutorial['chunks']} chunks)")

        texts = [q.question for q in questions[:60]]
        query_embedding(embedders, texts, args.repeat)
        times = []
        for _ in range(args.repeat):
            for q in texts:
                started = time.perf_counter()
                tutorial["index"].search(tutorial["model"].encode([q], normalize_embeddings=True), 5)
                times.append(time.perf_counter() - started)
        print(f"  {'tutorial':10} {_ms(times)}  (embed + FAISS search)")

        if args.recall:
            print(f"hybrid retrieval and answers on {Path(args.squad).name} (with / without diacritics):")
            keys = ("recall@1", "recall@5", "mrr@10", "answer_accuracy", "short_f1")
            print(f"  {'build':34} " + "  ".join(f"{k:>15}" for k in keys))
            # ONNX fp32 gives torch's vectors (cosine 0.99999), so its figures are torch's: not re-measured.
            order = [("onnx-int8", "late"), ("torch", "separate"), ("torch", "late"), ("onnx-int8", "separate")]
            for encoder, method in (b for b in order if b in builds):
                index = builds[(encoder, method)][0]
                figures = [evaluate(index, questions, answers=True, strip=strip, progress=False) for strip in (False, True)]
                cells = "  ".join(f"{figures[0][k]:6.3f} / {figures[1][k]:5.3f}" for k in keys)
                print(f"  {encoder + ', ' + method:34} {cells}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        index = build_index(args.corpus, Path(tmp) / "index", model=embedders["onnx-int8"], progress=False)
        lines = Path(args.questions).read_text(encoding="utf-8").splitlines()
        asked = [json.loads(line)["question"] for line in lines if line.strip()]
        print(f"query latency on the sample index, onnx-int8 ({len(index)} passages, {len(asked)} questions x {args.repeat}):")
        for mode in ("keyword", "dense", "hybrid"):
            times = []
            for _ in range(args.repeat):
                for q in asked:
                    index.clear_cache()
                    started = time.perf_counter()
                    index.retrieve(q, k=5, mode=mode)
                    times.append(time.perf_counter() - started)
            print(f"  retrieve {mode:8} {_ms(times)}")


if __name__ == "__main__":
    main()
