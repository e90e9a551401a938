"""Choose the fusion weights on MLQA-vi and the sample question set (prints a grid; changes nothing).

    python scripts/tune_fusion.py ../shared/data/mlqa-r-vi.json --index-cache /tmp/mlqa-index

Each channel's candidates are computed once per question (with and without diacritics);
the grid only re-fuses them with `qa.fusion.fuse_scores`. Recall counts distinct documents,
as `qa eval` does.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from qa.build import build_from_articles
from qa.cli import set_offline_environment
from qa.evaluate import document_rank, rank_figures, read_jsonl_questions, read_squad
from qa.fusion import Fusion, fuse_scores
from qa.index import load
from qa.text import normalize, strip_diacritics


def candidates(index, questions, n):
    """Per question: (channel scores, gold doc id)."""
    # Prepared as retrieve() prepares it (stripped, normalised): MLQA has trailing spaces.
    return [(index.channel_scores(normalize(text.strip()), n), gold) for text, gold in questions]


def recall(index, runs, weights) -> tuple[float, float, float]:
    ranks = [document_rank((index.chunks[row].doc_id for row, _ in fuse_scores(channels, weights)), gold)
             for channels, gold in runs]
    figures = rank_figures(ranks)
    return figures["recall@1"], figures["recall@5"], figures["mrr@10"]


def main():
    set_offline_environment()
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("squad", help="MLQA-vi in SQuAD format")
    p.add_argument("--index-cache", default="/tmp/mlqa-index", help="index of the SQuAD paragraphs (built if missing)")
    p.add_argument("--questions", default="tests/data/questions.jsonl", help="own question set, run on --index")
    p.add_argument("--index", default="index", help="index of the corpus the question set is about")
    p.add_argument("--candidates", type=int, default=Fusion().candidates)
    args = p.parse_args()

    articles, qs = read_squad(Path(args.squad))
    sets = {"mlqa": (build_from_articles(articles, args.index_cache, progress=False),
                     [(q.question, q.doc_id) for q in qs])}
    own = [q for q in read_jsonl_questions(Path(args.questions)) if q.answers]
    if own and Path(args.index).exists():
        sets["own"] = (load(args.index), [(q.question, q.doc_id) for q in own])
    runs = {}
    for name, (index, questions) in sets.items():
        runs[name, True] = candidates(index, questions, args.candidates)
        runs[name, False] = candidates(index, [(strip_diacritics(t), g) for t, g in questions], args.candidates)

    header = "passage sentence keyword | " + " | ".join(
        f"{name} {'acc' if accents else 'plain'} r@1 r@5 mrr" for name, accents in runs)
    print(header)
    steps = [round(0.1 * i, 1) for i in range(0, 11)]
    for passage, sentence in itertools.product(steps, steps):
        keyword = round(1.0 - passage - sentence, 1)
        if keyword < 0:
            continue
        weights = {"passage": passage, "sentence": sentence, "keyword": keyword}
        cells = []
        for (name, _), run in runs.items():
            r1, r5, mrr = recall(sets[name][0], run, weights)
            cells.append(f"{r1:.3f} {r5:.3f} {mrr:.3f}")
        print(f"{passage:.1f} {sentence:.1f} {keyword:.1f} | " + " | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
