"""Compare retrieval through Milvus Lite with the default FAISS + bm25s index on MLQA-vi (changes no index).

    OMP_NUM_THREADS=1 python scripts/milvus_check.py ../shared/data/mlqa-r-vi.json --index /work/sel/mlqa-index

The FAISS index folder (built from the SQuAD file's paragraphs, e.g. by `qa eval --index-cache`)
is only read: its vectors are copied into a Milvus Lite file (`--store`), so nothing is embedded
again but the questions. Every question is asked with and without diacritics; each backend's
channels are fused by `qa.fusion.fuse_scores` with the weights in the index manifest, and
recall counts distinct documents, as `qa eval` does. Also measured: keyword tokens written
"marked" or "joined" (`qa.milvus_store.keyword_text`), and the keyword channel scored by rank
relative to the best one (what the store returns) or by rank alone (1 / (1 + rank / 10)).

`--keyword-only` compares keyword channels alone, the vector channels taken from FAISS (fast):
bm25s, Milvus BM25 over the marked tokens, and BM25 weights computed here and stored as a
sparse vector (inner product; no tokenizer involved, IDF and document length fixed at fill time).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from qa.cli import set_offline_environment

K1, B = 1.2, 0.75  # the bm25s channel's parameters


def own_sparse_bm25(milvus, passages, name: str):
    """A collection of precomputed BM25 document weights as sparse vectors; returns a search function."""
    import math
    from collections import Counter

    from pymilvus import DataType, MilvusClient

    from qa.keyword import tokens

    client, abbreviations = milvus.client, milvus.abbreviations
    docs = [Counter(tokens(p.text, abbreviations)) for p in passages]
    vocab: dict[str, int] = {}
    df: Counter = Counter()
    for doc in docs:
        for term in doc:
            vocab.setdefault(term, len(vocab))
            df[term] += 1
    n, avgdl = len(docs), sum(sum(d.values()) for d in docs) / max(1, len(docs))
    idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}  # Lucene's, as bm25s
    schema = MilvusClient.create_schema(auto_id=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("weights", DataType.SPARSE_FLOAT_VECTOR)
    index = MilvusClient.prepare_index_params()
    index.add_index("weights", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    if client.has_collection(name):
        client.drop_collection(name)
    client.create_collection(name, schema=schema, index_params=index, consistency_level="Strong")
    rows = []
    for p, doc in zip(passages, docs, strict=True):
        length = sum(doc.values())
        rows.append({"id": p.id, "weights": {vocab[t]: tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avgdl))
                                             for t, tf in doc.items()}})
    for start in range(0, len(rows), 500):
        client.insert(name, rows[start:start + 500])

    def search(question: str, n_best: int, accented: str) -> list[tuple[int, float]]:
        query = Counter(t for t in tokens(question, abbreviations, accented=accented) if t in vocab)
        if not query:
            return []
        found = client.search(name, data=[{vocab[t]: idf[t] * c for t, c in query.items()}], anns_field="weights",
                              limit=n_best, search_params={"metric_type": "IP"})[0]
        return [(int(hit["id"]), float(hit["distance"])) for hit in found if hit["distance"] > 0]

    return search


def keyword_only(index, questions, milvus, passages) -> dict:
    """Recall with FAISS's vector channels and each keyword channel in turn; per-query keyword ms."""
    import time

    from qa.evaluate import document_rank, rank_figures
    from qa.fusion import fuse_scores
    from qa.text import lacks_diacritics, normalize, strip_diacritics

    sparse = own_sparse_bm25(milvus, passages, "check_sparse")
    n = index.fusion.candidates
    out: dict = {"bm25s": [], "milvus_bm25": [], "own_sparse_bm25": []}
    ms = dict.fromkeys(out, 0.0)
    for accents in (True, False):
        ranks: dict = {name: [] for name in out}
        for q in questions:
            text = normalize((q.question if accents else strip_diacritics(q.question)).strip())
            restored = index.restore_diacritics(text)
            channels = index.channel_scores(text, n)
            weights = index.fusion.weights(lacks_diacritics(text))
            for name in out:
                started = time.perf_counter()
                if name == "bm25s":
                    keyword = index.channel_scores(text, n, channels=("keyword",))["keyword"]
                elif name == "milvus_bm25":
                    keyword = milvus.keyword_search(text, n, accented=restored)
                else:
                    keyword = sparse(text, n, restored)
                ms[name] += time.perf_counter() - started
                fused = fuse_scores({**channels, "keyword": keyword}, weights)
                ranks[name].append(document_rank((index.chunks[row].doc_id for row, _ in fused), q.doc_id))
        for name in out:
            out[name].append({"diacritics": accents, **{k: round(v, 4) for k, v in rank_figures(ranks[name]).items()}})
    asked = max(1, 2 * len(questions))
    return {"recall": out, "keyword_ms_per_question": {k: round(1000 * v / asked, 1) for k, v in ms.items()}}


def main() -> None:
    set_offline_environment()
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("squad", help="MLQA-vi in SQuAD format (the questions)")
    p.add_argument("--index", required=True, help="FAISS index folder of the same file's paragraphs (read only)")
    p.add_argument("--store", default=None, help="milvus-lite:PATH.db to fill (default: a temporary file)")
    p.add_argument("--limit", type=int, default=None, help="only the first N questions")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--keyword-only", action="store_true", help="compare keyword channels only (see above)")
    args = p.parse_args()

    import qa
    from qa.evaluate import document_rank, rank_figures, read_squad
    from qa.fusion import fuse_scores
    from qa.milvus_store import channel_scores, fill_from_index
    from qa.text import lacks_diacritics, normalize, strip_diacritics

    store = args.store or f"milvus-lite:{tempfile.mkdtemp(prefix='qa-milvus-check-')}/mlqa.db"
    index = qa.load(args.index)
    _, questions = read_squad(Path(args.squad))
    questions = [q for q in questions if q.answers][: args.limit]
    started = time.perf_counter()
    stores = {"marked": fill_from_index(args.index, store, name="check_marked", terms="marked")}
    fill_s = time.perf_counter() - started
    stores["joined"] = fill_from_index(args.index, store, name="check_joined", terms="joined",
                                       client=stores["marked"].client)
    n = index.fusion.candidates
    index.warm_up()
    if args.keyword_only:
        from qa.milvus_store import rows_of_index

        report = keyword_only(index, questions, stores["marked"], rows_of_index(args.index)[0])
        report["note"] = "shared, busy 2-core machine; vector channels from FAISS"
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return

    runs = {"faiss": [], "milvus": [], "milvus_joined_terms": [], "milvus_keyword_by_rank": []}
    same_top = {"passage": 0, "sentence": 0, "keyword": 0}
    timing = {"faiss": 0.0, "milvus": 0.0}
    asked = 0
    for accents in (True, False):
        ranks = {name: [] for name in runs}
        for q in questions:
            text = normalize((q.question if accents else strip_diacritics(q.question)).strip())
            restored = index.restore_diacritics(text)
            vector = index.query_vector(text)  # embedded once, outside the timings
            weights = index.fusion.weights(lacks_diacritics(text))
            t0 = time.perf_counter()
            faiss = index.channel_scores(text, n)
            t1 = time.perf_counter()
            milvus = channel_scores(stores["marked"], text, restored, vector, n)
            t2 = time.perf_counter()
            timing["faiss"] += t1 - t0
            timing["milvus"] += t2 - t1
            asked += 1
            joined = {**milvus, "keyword": stores["joined"].keyword_search(text, n, accented=restored)}
            by_rank = {**milvus, "keyword": [(r, 1.0 / (1.0 + i / 10)) for i, (r, _) in enumerate(milvus["keyword"])]}
            for channel in same_top:
                same_top[channel] += [r for r, _ in faiss[channel][:5]] == [r for r, _ in milvus[channel][:5]]
            for name, channels in (("faiss", faiss), ("milvus", milvus), ("milvus_joined_terms", joined),
                                   ("milvus_keyword_by_rank", by_rank)):
                fused = fuse_scores(channels, weights)
                ranks[name].append(document_rank((index.chunks[row].doc_id for row, _ in fused), q.doc_id))
        for name in runs:
            runs[name].append({"diacritics": accents, **{k: round(v, 4) for k, v in rank_figures(ranks[name]).items()}})

    report = {
        "questions": len(questions), "index": str(args.index), "store": stores["marked"].spec.value,
        "passages": stores["marked"].count()["passage"], "sentences": stores["marked"].count()["sentence"],
        "fill_s": round(fill_s, 1),
        "recall": runs,
        "same_top5_rows": {c: round(v / asked, 4) for c, v in same_top.items()},
        "channels_ms_per_question": {k: round(1000 * v / asked, 1) for k, v in timing.items()},
        "note": "shared, busy 2-core machine; query embedding excluded from the timings",
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    print(f"{report['questions']} questions, {report['passages']} passages, {report['sentences']} sentences; "
          f"Milvus Lite filled in {report['fill_s']} s ({report['note']})")
    print(f"{'backend':22}{'r@1 acc':>9}{'r@5 acc':>9}{'r@1 plain':>11}{'r@5 plain':>11}")
    for name, (acc, plain) in runs.items():
        print(f"{name:22}{acc['recall@1']:>9.3f}{acc['recall@5']:>9.3f}{plain['recall@1']:>11.3f}{plain['recall@5']:>11.3f}")
    print("same top-5 rows per channel:", report["same_top5_rows"])
    print("channel search ms per question:", report["channels_ms_per_question"])


if __name__ == "__main__":
    main()
