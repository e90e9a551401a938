"""Choose the rank-fusion weights on MLQA-vi and the sample question set (prints a grid; changes nothing).

    python scripts/tune_fusion.py ../shared/data/mlqa-r-vi.json --index-cache /tmp/mlqa-index

Each channel's ranking is computed once per question; the grid only re-fuses them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from qa.evaluate import read_squad
from qa.index import build_from_articles, fuse_ranks
from qa.text import lacks_diacritics, strip_diacritics


def rankings(index, questions):
    out = []
    for text, gold in questions:
        n = 50
        dense = [index.chunks[r].doc_id for r, _ in index._dense(text, n)]
        keyword = [index.chunks[r].doc_id for r, _ in index._keyword.search(text, n)]
        out.append((dense, keyword, gold, lacks_diacritics(text)))
    return out


def fuse(dense, keyword, w_dense, w_keyword):
    # The index fuses passages; a document is found at its best passage, so keep each once.
    ranked = fuse_ranks([(w_dense, list(dict.fromkeys(dense))), (w_keyword, list(dict.fromkeys(keyword)))])
    return [doc for doc, _ in ranked]


def recall(runs, w_dense, w_keyword, w_unaccented):
    r1 = r5 = 0
    for dense, keyword, gold, plain in runs:
        ranked = fuse(dense, keyword, w_unaccented if plain else w_dense, w_keyword)
        r1 += ranked[:1] == [gold]
        r5 += gold in ranked[:5]
    return r1 / len(runs), r5 / len(runs)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("squad")
    p.add_argument("--index-cache", default="/tmp/mlqa-index")
    args = p.parse_args()
    articles, qs = read_squad(Path(args.squad))
    index = build_from_articles(articles, args.index_cache, progress=False)
    accented = rankings(index, [(q.question, q.doc_id) for q in qs])
    plain = rankings(index, [(strip_diacritics(q.question), q.doc_id) for q in qs])
    print("w_dense w_keyword w_unaccented | r@1 r@5 (diacritics) | r@1 r@5 (none)")
    for w_dense in (0.5, 0.75, 1.0, 1.25, 1.5):
        for w_un in (0.25, 0.5, 0.75, 1.0):
            a = recall(accented, w_dense, 1.0, w_un)
            b = recall(plain, w_dense, 1.0, w_un)
            print(f"{w_dense:5.2f} {1.0:5.2f} {w_un:5.2f} | {a[0]:.3f} {a[1]:.3f} | {b[0]:.3f} {b[1]:.3f}")
    print(json.dumps({"note": "pick the row with the best r@1+r@5 on both; set qa.index.Fusion"}))


if __name__ == "__main__":
    main()
