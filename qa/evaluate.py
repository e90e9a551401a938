"""`qa eval`: retrieval and answer quality on a SQuAD-format file or a JSONL question set.

SQuAD files (MLQA-vi) get a temporary index of their paragraphs, one document each.
JSONL question sets (`question`, `answer` or null, `doc_id`) run against an existing index.
Every question is also asked with its diacritics removed, as many users type.
"""

from __future__ import annotations

import json
import re
import string
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidArgumentError
from .records import Article
from .text import normalize, strip_diacritics

CONFIDENT = 0.8  # an answer this confident that is wrong counts as "confident-wrong"
SPLITS = ("all", "heldout", "train")


@dataclass(frozen=True)
class Question:
    question: str
    answers: list[str]  # empty: the corpus does not answer it
    doc_id: str | None


def read_squad(path: Path) -> tuple[list[Article], list[Question]]:
    """Paragraphs (one article each) and questions of a SQuAD-format file.

    Raises:
        QuestionFileError: not JSON, or an entry without the fields SQuAD has; the message
            names the file, the entry (data[2].paragraphs[0].qas[3]) and what is missing.
    """
    from .errors import QuestionFileError  # imported here: keeps this module's import block as it was

    shape = "a SQuAD file has data[].paragraphs[].{context, qas[].{question, answers[].text}}"

    def need(container: object, key: str, kind: type, where: str):
        if not isinstance(container, dict):
            raise QuestionFileError(f"{path}: {where or 'the file'} is of type {type(container).__name__}, "
                                    f"expected a JSON object; {shape}")
        value = container.get(key)
        if not isinstance(value, kind) or (kind is str and not value.strip()):
            what = "missing" if value is None else f"of type {type(value).__name__}, expected {kind.__name__}"
            raise QuestionFileError(f"{path}: {where + '.' if where else ''}{key} is {what}; {shape}")
        return value

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise QuestionFileError(f"{path}: not a JSON file in UTF-8 ({exc})") from None
    articles, questions = [], []
    for a, entry in enumerate(need(data, "data", list, "")):
        for p, paragraph in enumerate(need(entry, "paragraphs", list, f"data[{a}]")):
            where = f"data[{a}].paragraphs[{p}]"
            doc_id = f"{a}-{p}"
            articles.append(Article(doc_id=doc_id, text=need(paragraph, "context", str, where),
                                    title=str(entry.get("title") or ""), source=path.name))
            for q, qa in enumerate(need(paragraph, "qas", list, where)):
                question = need(qa, "question", str, f"{where}.qas[{q}]")
                answers = [need(ans, "text", str, f"{where}.qas[{q}].answers[{i}]")
                           for i, ans in enumerate(need(qa, "answers", list, f"{where}.qas[{q}]")
                                                   if "answers" in qa else [])]
                questions.append(Question(question, answers, doc_id))
    return articles, questions


def read_jsonl_questions(path: Path) -> list[Question]:
    """Questions of a JSONL file: `question`, `answer` (a string, a list of them, or null), `doc_id`.

    Raises:
        QuestionFileError: a line that is not JSON or lacks a field; the message names the
            file, the line number and what is wrong.
    """
    from .errors import QuestionFileError  # imported here: keeps this module's import block as it was

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise QuestionFileError(f"{path}: not UTF-8 text ({exc})") from None
    out = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionFileError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise QuestionFileError(f"{where}: expected a JSON object with 'question', got {type(row).__name__}")
        question, doc_id = row.get("question"), row.get("doc_id")
        if not isinstance(question, str) or not question.strip():
            what = "missing" if question is None else f"of type {type(question).__name__}, expected text"
            raise QuestionFileError(f"{where}: field 'question' is {what}; each line needs "
                                    '{"question": "...", "answer": "..." or null, "doc_id": "..."}')
        # "answers" (SQuAD's word) is read as "answer"; a line with neither would silently count as a
        # question the articles do not answer, so it is refused.
        given = [key for key in ("answer", "answers") if key in row]
        if len(given) != 1:
            what = "both 'answer' and 'answers'" if given else "no field 'answer'"
            raise QuestionFileError(f"{where}: {what}; give 'answer': the answer as the article writes it, "
                                    "a list of accepted answers, or null for a question the articles do not answer")
        key = given[0]
        answer = row[key]
        # A list may hold SQuAD-style answer objects ({"text": ...}), read for their text.
        answers = ([a.get("text") if isinstance(a, dict) else a for a in answer] if isinstance(answer, list)
                   else [answer] if answer else [])
        if not all(isinstance(a, str) for a in answers):
            raise QuestionFileError(f"{where}: field '{key}' must be a string, a list of strings or null, "
                                    f"got {answer!r:.60}")
        if doc_id is not None and (isinstance(doc_id, bool) or not isinstance(doc_id, (str, int))):
            raise QuestionFileError(f"{where}: field 'doc_id' must be a string, got {type(doc_id).__name__}")
        out.append(Question(question, [a for a in answers if a], None if doc_id is None else str(doc_id)))
    return out


_PUNCTUATION = set(string.punctuation) | {"“", "”", "–"}


def _squad_normalise(text: str) -> list[str]:
    text = normalize(text).lower()
    return "".join(ch for ch in text if ch not in _PUNCTUATION).split()


def exact_match(prediction: str | None, gold: list[str]) -> float:
    if prediction is None:
        return 0.0
    return float(any(_squad_normalise(prediction) == _squad_normalise(g) for g in gold))


def f1(prediction: str | None, gold: list[str]) -> float:
    if prediction is None:
        return 0.0
    best = 0.0
    pred = _squad_normalise(prediction)
    for g in gold:
        ref = _squad_normalise(g)
        common = sum((Counter(pred) & Counter(ref)).values())
        if common:
            p, r = common / len(pred), common / len(ref)
            best = max(best, 2 * p * r / (p + r))
    return best


def contains(text: str, answers: list[str]) -> bool:
    hay = re.sub(r"\s+", " ", normalize(text)).lower()
    return any(re.sub(r"\s+", " ", normalize(a)).lower() in hay for a in answers)


def document_rank(doc_ids, gold: str | None) -> int | None:
    """1-based rank of `gold` among the distinct documents of a ranking of passages, or None.

    Two passages of one article take one place, as when each article is indexed whole.
    """
    docs = list(dict.fromkeys(doc_ids))
    return docs.index(gold) + 1 if gold in docs else None


def rank_figures(ranks: list[int | None]) -> dict[str, float]:
    """recall@1/5/10 and MRR@10 from each question's document rank."""
    m = max(1, len(ranks))
    return {
        "recall@1": sum(r is not None and r <= 1 for r in ranks) / m,
        "recall@5": sum(r is not None and r <= 5 for r in ranks) / m,
        "recall@10": sum(r is not None and r <= 10 for r in ranks) / m,
        "mrr@10": sum(1 / r for r in ranks if r is not None and r <= 10) / m,
    }


def reliability(confidences: list[float], right: list[bool], buckets: int = 5) -> tuple[list[dict], float]:
    """Accuracy per confidence bucket (0-0.2, ..., 0.8-1.0) and the expected calibration error."""
    rows, ece, n = [], 0.0, max(1, len(confidences))
    for b in range(buckets):
        lo, hi = b / buckets, (b + 1) / buckets
        inside = [(c, r) for c, r in zip(confidences, right, strict=True)
                  if lo <= c < hi or (b == buckets - 1 and c == hi)]
        if not inside:
            rows.append({"bucket": f"{lo:.1f}-{hi:.1f}", "questions": 0, "accuracy": None, "confidence": None})
            continue
        accuracy = sum(r for _, r in inside) / len(inside)
        mean = sum(c for c, _ in inside) / len(inside)
        ece += len(inside) / n * abs(accuracy - mean)
        rows.append({"bucket": f"{lo:.1f}-{hi:.1f}", "questions": len(inside), "accuracy": round(accuracy, 3),
                     "confidence": round(mean, 3)})
    return rows, ece


CUTS = (0.3, 0.4, 0.5, 0.6, 0.7)  # the report's what-if table of min_confidence values


def by_min_confidence(confidences: list[float], right: list[bool], answerable: list[bool],
                      cuts: tuple[float, ...] = CUTS) -> list[dict]:
    """What each `min_confidence` cut would give on these questions: answer accuracy (found and
    right, over the answerable ones), found rate, and abstention recall where some have no answer.

    The quote does not depend on the cut (it is the best candidate either way), so one pass serves all.
    """
    n, m = max(1, len(confidences)), max(1, sum(answerable))
    unanswerable = len(answerable) - sum(answerable)
    rows = []
    for cut in cuts:
        found = [c >= cut for c in confidences]
        row = {"min_confidence": cut,
               "answer_accuracy": round(sum(f and r and a for f, r, a in zip(found, right, answerable, strict=True)) / m, 3),
               "found_rate": round(sum(found) / n, 3)}
        if unanswerable:
            row["abstention_recall"] = round(sum(not f for f, a in zip(found, answerable, strict=True) if not a)
                                             / unanswerable, 3)
        rows.append(row)
    return rows


def evaluate(index, questions: list[Question], *, k: int = 10, mode: str = "hybrid",
             answers: bool = True, strip: bool = False, progress: bool = True,
             min_confidence: float | None = None) -> dict:
    """Figures for one pass over `questions` (optionally with diacritics removed).

    `min_confidence`: the confidence an answer needs to count as found (default: the selector's).
    """
    from tqdm.auto import tqdm

    n = len(questions)
    ranks, answer_hits, passage_hits, accurate, ems, f1s = [], 0, 0, 0, [], []
    abstained_right = abstained = unanswerable = found = confident_wrong = 0
    confidences: list[float] = []
    quoted_right: list[bool] = []
    answerable = [q for q in questions if q.answers]
    if mode != "keyword" or answers:
        index.warm_up()  # load the model before the clock starts
    index.clear_cache()  # and a question asked in the previous pass must not look fast
    started = time.perf_counter()
    for q in tqdm(questions, desc="no diacritics" if strip else "with diacritics", disable=None if progress else True):
        text = strip_diacritics(q.question) if strip else q.question
        if q.answers:
            # Recall counts distinct articles; passage recall@5 is reported beside it. Both need the
            # question's article (`doc_id`); a question without one counts in answer recall only.
            hits = index.retrieve(text, k=3 * max(k, 10), mode=mode)
            if q.doc_id is not None:
                ranks.append(document_rank((h.doc_id for h in hits), q.doc_id))
                passage_hits += any(h.doc_id == q.doc_id for h in hits[:5])
            answer_hits += any(contains(h.text, q.answers) for h in hits[:k])
        if answers:
            answer = index.answer(text, mode=mode, min_confidence=min_confidence)
            # The confidence is the probability that the best quote answers: judge that quote,
            # shown as the answer when found and as the first "may be related" passage when not.
            quote = answer.text if answer.found else (answer.citations[0].quote if answer.citations else "")
            right = bool(q.answers) and contains(quote, q.answers)
            confidences.append(answer.confidence)
            quoted_right.append(right)
            found += answer.found
            confident_wrong += answer.found and answer.confidence >= CONFIDENT and not right
            if not q.answers:
                unanswerable += 1
                abstained += not answer.found
                abstained_right += not answer.found
                continue
            abstained += not answer.found
            accurate += answer.found and right
            ems.append(exact_match(answer.short, q.answers))
            f1s.append(f1(answer.short, q.answers))
    seconds = time.perf_counter() - started
    m = max(1, len(answerable))
    result = {
        "questions": n, "answerable": len(answerable), "mode": mode, "diacritics": not strip,
        # Without any question's article the article figures cannot be measured: None ("n/a").
        **(rank_figures(ranks) if ranks else dict.fromkeys(rank_figures([]))),
        "passage_recall@5": passage_hits / len(ranks) if ranks else None,
        f"answer_recall@{k}": answer_hits / m,
        "questions_per_second": n / seconds if seconds else 0.0,
    }
    if answers:
        table, ece = reliability(confidences, quoted_right)
        result.update({"answer_accuracy": accurate / m, "found_rate": found / max(1, n),
                       "confident_wrong": confident_wrong / max(1, n), "ece": ece,
                       "short_exact_match": sum(ems) / m, "short_f1": sum(f1s) / m, "reliability": table,
                       "by_min_confidence": by_min_confidence(confidences, quoted_right, [bool(q.answers) for q in questions])})
        if unanswerable:
            result["abstention_precision"] = abstained_right / abstained if abstained else 0.0
            result["abstention_recall"] = abstained_right / unanswerable
    return result


def run(path: str | Path, *, index_dir: str | Path = "index", k: int = 10, mode: str = "hybrid",
        model=None, answers: bool = True, index_cache: str | Path | None = None, limit: int | None = None,
        progress: bool = True, split: str = "all", min_confidence: float | None = None) -> dict:
    """Evaluate on a SQuAD JSON file (own temporary index) or a JSONL question file (existing index).

    `split="heldout"` keeps the half of a file's questions that the answer selector was not
    trained on (`scripts/train_selector.py` trains on the other half, "train", of MLQA-vi and of
    `scripts/data/sample-train.jsonl`).
    """
    from .answering import check_min_confidence
    from .build import build_from_articles
    from .index import load

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"question file {str(path)!r} does not exist")
    min_confidence = check_min_confidence(min_confidence)  # before a SQuAD file's index is built
    report: dict = {"file": path.name}
    if min_confidence is not None:
        report["min_confidence"] = min_confidence
    if path.suffix.lower() == ".json":
        articles, questions = read_squad(path)
        folder = Path(index_cache) if index_cache else Path(tempfile.mkdtemp(prefix="qa-eval-"))
        started = time.perf_counter()
        index = build_from_articles(articles, folder, model=model, progress=progress)
        report["index"] = {"documents": len(articles), "passages": len(index),
                           "seconds": round(time.perf_counter() - started, 1)}
    else:
        questions = read_jsonl_questions(path)
        index = load(index_dir, model=model)
    if split not in SPLITS:
        raise InvalidArgumentError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    if split != "all":
        from .selector import split_of

        questions = [q for q in questions if (split_of(q.question, 2) == 0) == (split == "heldout")]
        report["split"] = split
    if limit:
        questions = questions[:limit]
    options = {"k": k, "mode": mode, "answers": answers, "progress": progress, "min_confidence": min_confidence}
    report["with_diacritics"] = evaluate(index, questions, **options)
    report["without_diacritics"] = evaluate(index, questions, strip=True, **options)
    return report


def format_report(report: dict) -> str:
    rows = [key for key, value in report["with_diacritics"].items()
            if key not in ("mode", "diacritics", "questions", "answerable") and isinstance(value, float | int | None)]
    lines = [f"{report['file']}: {report['with_diacritics']['questions']} questions "
             f"({report['with_diacritics']['answerable']} answerable), mode {report['with_diacritics']['mode']}"]
    if "index" in report:
        lines.append(f"temporary index: {report['index']['documents']} documents, "
                     f"{report['index']['passages']} passages, {report['index']['seconds']} s")
    if "min_confidence" in report:
        lines.append(f"found: confidence >= {report['min_confidence']:g} (--min-confidence)")
    lines.append(f"{'':24}{'with diacritics':>18}{'without':>12}")
    cells = [[f"{side[key]:.3f}" if side[key] is not None else "n/a" for key in rows]
             for side in (report["with_diacritics"], report["without_diacritics"])]
    for key, with_, without in zip(rows, *cells, strict=True):
        lines.append(f"{key:24}{with_:>18}{without:>12}")
    if report["with_diacritics"].get("recall@1", 0) is None:
        lines.append("  (n/a: no answerable question in the file)" if not report["with_diacritics"]["answerable"] else
                     "  (n/a: no question gives its article's doc_id; answer_recall needs only the answer)")
    if "reliability" in report["with_diacritics"]:
        lines.append("reliability (accuracy of the quoted sentence by confidence; questions in brackets)")
        for with_, without in zip(report["with_diacritics"]["reliability"],
                                  report["without_diacritics"]["reliability"], strict=True):
            cells = [f"{r['accuracy']:.3f} ({r['questions']})" if r["questions"] else "- (0)" for r in (with_, without)]
            lines.append(f"  confidence {with_['bucket']:12}{cells[0]:>18}{cells[1]:>12}")
    if "by_min_confidence" in report["with_diacritics"]:
        lines.append("if found meant confidence >= cut (qa ask / qa eval --min-confidence): "
                     "answer accuracy / found rate / abstention recall")
        for with_, without in zip(report["with_diacritics"]["by_min_confidence"],
                                  report["without_diacritics"]["by_min_confidence"], strict=True):
            cells = [" / ".join(f"{r[key]:.3f}" for key in ("answer_accuracy", "found_rate", "abstention_recall")
                                if key in r) for r in (with_, without)]
            lines.append(f"  cut {with_['min_confidence']:<19g}{cells[0]:>22}{cells[1]:>24}")
    return "\n".join(lines)
