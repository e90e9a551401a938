"""The `qa` command: index, ask, eval, serve. Errors are printed plainly, without a traceback."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys

from .errors import QAError
from .render import LOW_CONFIDENCE

# Process-wide switches, set by the entry points (this CLI, ui.py, the scripts), never by the library.
OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",  # a model missing locally fails at once instead of after ~70 s of hub retries
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",  # no request leaves the machine
    "TOKENIZERS_PARALLELISM": "false",  # no fork warning from the tokenizers library
}


def set_offline_environment() -> None:
    """Set the offline switches unless the user set them; call before huggingface_hub or gradio are imported."""
    for name, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def _print_answer(answer, as_json: bool) -> None:
    """The answer as the chat page words it (Vietnamese), for a reader at a terminal; `--json` for programs."""
    from .render import format_date, group_sources, relevant_citations, stated_note

    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    # The confidence is the calibrated probability that the quote answers the question.
    if answer.found:
        print(answer.text)
        if answer.short:
            print(f"\n→ {answer.short}")
        if answer.stated:
            print(stated_note(answer))
        print(f"\n(Độ tin cậy {answer.confidence:.0%}: xác suất câu trích này trả lời đúng câu hỏi)")
        if answer.confidence < LOW_CONFIDENCE:
            print("⚠️ Độ tin cậy thấp: câu trích này nhiều khả năng chưa đúng, hãy đọc nguồn để kiểm tra.")
        for alt in answer.alternatives:
            print(f"\nCũng có thể là: «{alt.quote}» ({alt.title or alt.doc_id}; "
                  "câu xếp thứ hai, điểm gần bằng câu trên: hãy đọc cả hai)")
        print("\nNguồn:")
    else:
        print(answer.text)
        print(f"(Các đoạn dưới đây có thể liên quan nhưng độ tin cậy thấp ({answer.confidence:.0%}); "
              "hãy đọc và tự kiểm tra.)")
        print("\nCó thể liên quan:")
    # As on the page: one number per article, its cited sentences under it, far weaker passages left out.
    for g in group_sources(relevant_citations(answer)):
        print(f"[{g.number}] {g.title or g.doc_id} — {format_date(g.date)} — {g.source}")
        for quote in dict.fromkeys(c.quote for c in g.citations):
            print(f"    «{quote}»")


def _print_hits(hits, as_json: bool) -> None:
    if as_json:
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    for h in hits:
        date = f", {h.date}" if h.date else ""
        print(f"[{h.rank}] {h.title}{date} ({h.source}) score {h.score:.3f}")
        print("    " + h.text.replace("\n", "\n    "))
        print()


def _index(args) -> int:
    from .build import build_index
    from .chunk import ChunkSettings

    settings = ChunkSettings(args.chunk_tokens, args.overlap_tokens)
    index = build_index(args.corpus, args.index, model=args.model, settings=settings, progress=not args.quiet,
                        encoder=args.encoder, sentence_vectors=args.sentence_vectors, ray=args.ray,
                        faiss=args.faiss, store=args.store)
    report = index.build_report
    for skipped in report.skipped:
        print(f"skipped {skipped}", file=sys.stderr)
    print(f"index {args.index}: {len(index.articles)} articles, {len(index)} passages; {report.summary()}")
    return 0


def _ask(args) -> int:
    from .index import load

    index = load(args.index, model=args.model)
    if args.passages:
        _print_hits(index.retrieve(args.question, k=args.k, mode=args.mode), args.json)
    else:
        _print_answer(index.answer(args.question, k=args.k, mode=args.mode, min_confidence=args.min_confidence),
                      args.json)
    return 0


def _eval(args) -> int:
    from .evaluate import format_report, run

    report = run(args.file, index_dir=args.index, k=args.k, mode=args.mode, model=args.model,
                 answers=not args.no_answers, index_cache=args.index_cache, limit=args.limit,
                 progress=not args.json, split=args.split, min_confidence=args.min_confidence)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_report(report))
    return 0


def _serve(args) -> int:
    from .app import serve  # main() has set the offline switches before this import

    if args.max_upload_mb <= 0:
        raise ValueError(f"--max-upload-mb must be positive, got {args.max_upload_mb}")
    serve(host=args.host, port=args.port, index_dir=args.index, corpus=args.corpus, model=args.model,
          max_upload_mb=args.max_upload_mb)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qa", description="Cited answers from Vietnamese news articles, offline.")
    sub = p.add_subparsers(dest="command", required=True)

    ix = sub.add_parser("index", help="build or update the index from a corpus folder")
    ix.add_argument("--corpus", default="corpus", help="folder of .txt/.md/.jsonl articles (default: corpus)")
    ix.add_argument("--index", default="index", help="index folder (default: index)")
    ix.add_argument("--model", default=None, help="sentence-transformers model id or folder (default: bundled e5)")
    ix.add_argument("--chunk-tokens", type=int, default=256, help="passage size in model tokens (default 256)")
    ix.add_argument("--overlap-tokens", type=int, default=40, help="overlap between passages (default 40)")
    ix.add_argument("--encoder", default=None, choices=["onnx-int8", "onnx-fp32", "torch"],
                    help="how the bundled model runs (default: the measured best, see README)")
    ix.add_argument("--sentence-vectors", default=None, choices=["late", "separate"],
                    help="sentence vectors pooled from the passage's forward pass, or encoded one by one")
    ix.add_argument("--ray", nargs="?", const=True, default=None, metavar="ADDRESS",
                    help="embed on Ray: a local Ray without ADDRESS, or 'auto' / an address to join a cluster "
                         "(needs pip install 'qa-vi[ray]')")
    ix.add_argument("--faiss", default=None, choices=["auto", "flat", "hnsw", "ivf-sq8", "pqfs-sq8"],
                    help="vector index: exact flat, or approximate HNSW / IVF-SQ8 / PQFS-SQ8 (default: what the index "
                         "used, else auto: flat below 20,000 vectors per channel; above, PQFS-SQ8 for passages "
                         "and IVF-SQ8 for sentences)")
    ix.add_argument("--store", default=None, metavar="STORE",
                    help="where the vectors and keywords live: faiss (default: FAISS + bm25s in the index folder), "
                         "milvus-lite:PATH.db (embedded Milvus Lite) or milvus://HOST:PORT (a Milvus server); "
                         "a rebuild keeps the index's store. Milvus needs pip install 'qa-vi[milvus]'")
    ix.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    ix.set_defaults(run=_index)

    ask = sub.add_parser("ask", help="answer a question from the index")
    ask.add_argument("question")
    ask.add_argument("--index", default="index")
    ask.add_argument("--model", default=None, help="must be the model the index was built with")
    ask.add_argument("-k", type=int, default=5, help="number of passages / citations (default 5)")
    ask.add_argument("--mode", default="hybrid", choices=["hybrid", "dense", "keyword"])
    ask.add_argument("--passages", action="store_true", help="print the retrieved passages instead of an answer")
    ask.add_argument("--min-confidence", type=float, default=None, metavar="P",
                     help="confidence an answer needs to be shown as found (0-1, default 0.5)")
    ask.add_argument("--json", action="store_true", help="print JSON")
    ask.set_defaults(run=_ask)

    ev = sub.add_parser("eval", help="measure retrieval and answers on a SQuAD .json or a JSONL question file")
    ev.add_argument("file")
    ev.add_argument("--index", default="index", help="index for JSONL question files")
    ev.add_argument("--index-cache", default=None, help="keep the SQuAD file's index here and reuse it")
    ev.add_argument("--model", default=None)
    ev.add_argument("-k", type=int, default=10)
    ev.add_argument("--mode", default="hybrid", choices=["hybrid", "dense", "keyword"])
    ev.add_argument("--no-answers", action="store_true", help="retrieval figures only (faster)")
    ev.add_argument("--limit", type=int, default=None, help="first N questions only")
    ev.add_argument("--split", default="all", choices=["all", "heldout", "train"],
                    help="SQuAD files: only the questions the answer selector was not trained on (heldout)")
    ev.add_argument("--min-confidence", type=float, default=None, metavar="P",
                    help="confidence an answer needs to count as found (0-1, default 0.5)")
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(run=_eval)

    sv = sub.add_parser("serve", help="start the chat page")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=7860)
    sv.add_argument("--index", default="index")
    sv.add_argument("--corpus", default="corpus")
    sv.add_argument("--model", default=None)
    sv.add_argument("--max-upload-mb", type=float, default=5.0, help="largest file the page accepts (default 5)")
    sv.set_defaults(run=_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    set_offline_environment()
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        code = args.run(args)
        sys.stdout.flush()  # a closed pipe shows here, inside this try, not in Python's flush at exit
        return code
    except (QAError, FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; the previous index, if any, is unchanged", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `qa ask ... | head`: the reader stopped reading; no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nor one when Python flushes stdout at exit
        return 141


if __name__ == "__main__":
    sys.exit(main())
