"""The hand-weighted answer selection of qa 0.1 (qa/answer.py at 473571d), kept to compare against.

The learned selector (qa/selector.py) must beat it on questions neither was tuned on.
Original docstring: pick the sentence that answers, pinpoint the short span, cite, abstain.

Nothing is generated. The answer is a sentence of a retrieved passage, copied as written;
the short answer is a span of that sentence. When the best sentence does not cover the
question well enough, the answer says the articles do not contain it.
"""

from __future__ import annotations

import math
import weakref
from collections import Counter
from dataclasses import dataclass

import numpy as np

from qa.errors import InvalidArgumentError
from qa.records import NOT_FOUND_TEXT, Answer, Citation, Hit
from qa.sentences import sentence_spans
from qa.shortanswer import QuestionType, classify, extract_short
from qa.text import syllables
from qa.vietnamese import Abbreviations, spell_out

# Question and function words: they say what kind of answer is wanted, not what it is about.
STOPWORDS = set(syllables(
    "bao nhiêu mấy ai gì nào đâu khi lúc giờ sao thế nào như là của và các những có được đã đang sẽ "
    "cho với trong từ đến về theo này đó thì không hay hoặc một nhiều hơn bị do để mà vào ra lên "
    "cái việc người ở tại năm ngày tháng"))

# Logistic confidence from the features below. The weights were set by hand on the sample
# question set (answerable and unanswerable), not fitted by regression.
CALIBRATION = {"bias": -8.0, "coverage": 5.0, "context": 6.0, "bigrams": 2.0, "type_fit": 1.0}
FOUND_THRESHOLD = 0.5
PASSAGES_READ = 5  # sentences are chosen among this many top passages
TYPE_WEIGHT = 0.6
CONTEXT_WEIGHT = 0.3
LENGTH_WEIGHT = 0.2
DENSE_WEIGHT = 3.0
RERANK = 8


@dataclass(frozen=True)
class _Candidate:
    hit: Hit
    start: int  # sentence span inside hit.text
    end: int
    coverage: float
    bigrams: float
    type_fit: float
    score: float
    context: float = 0.0  # coverage of the question by the whole article and its title


class _Idf:
    """Inverse document frequency of folded syllables over the index's passages."""

    def __init__(self, texts: list[str]):
        self.n = max(1, len(texts))
        self.df = Counter()
        for text in texts:
            self.df.update(set(syllables(text)))

    def __call__(self, word: str) -> float:
        return math.log(1 + (self.n - self.df.get(word, 0) + 0.5) / (self.df.get(word, 0) + 0.5))


_STATISTICS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _statistics(index) -> tuple[_Idf, Abbreviations]:
    """IDF table and accented abbreviation pairs of an index, computed once per loaded index."""
    # Keyed by the index object itself: after an upload swaps in a new index, the old
    # statistics go with the old object and can never be served for the new one.
    if index not in _STATISTICS:
        _STATISTICS[index] = (_Idf([c.text for c in index.chunks]),
                              Abbreviations(index.abbreviation_pairs, folded=False))
    return _STATISTICS[index]


def _content_words(question: str) -> list[str]:
    words = syllables(spell_out(question))
    return [w for w in words if w not in STOPWORDS]


def _coverage(words: list[str], bigrams: list[str], sentence: str, idf: _Idf,
              abbreviations) -> tuple[float, float]:
    # Accented syllables: folding would let "nam" (south) match "năm" (year).
    present = syllables(spell_out(sentence))
    if abbreviations is not None:
        present += [w for seq in abbreviations.expand(present) for w in seq]
    have = set(present)
    total = sum(idf(w) for w in set(words)) or 1.0
    covered = sum(idf(w) for w in set(words) if w in have) / total
    pairs = {f"{a} {b}" for a, b in zip(present, present[1:], strict=False)}
    bigram_cov = (sum(1 for b in bigrams if b in pairs) / len(bigrams)) if bigrams else covered
    return covered, bigram_cov


def _confidence(cand: _Candidate) -> float:
    c = CALIBRATION
    z = (c["bias"] + c["coverage"] * cand.coverage + c["context"] * cand.context
         + c["bigrams"] * cand.bigrams + c["type_fit"] * cand.type_fit)
    return 1.0 / (1.0 + math.exp(-z))


def _candidates(hits: list[Hit], question: str, qtype: QuestionType, idf: _Idf, abbreviations,
                articles: dict):
    words = _content_words(question)
    said = syllables(spell_out(question))
    bigrams = [f"{a} {b}" for a, b in zip(said, said[1:], strict=False) if a not in STOPWORDS or b not in STOPWORDS]
    seen = set()
    contexts: dict[str, float] = {}
    out: list[_Candidate] = []
    for hit in hits:
        context = contexts.get(hit.doc_id)
        if context is None:
            article = articles.get(hit.doc_id)
            text = f"{hit.title}\n{article.text if article else hit.text}"
            context = contexts[hit.doc_id] = _coverage(words, bigrams, text, idf, abbreviations)[0]
        for a, b in sentence_spans(hit.text):
            key = (hit.doc_id, hit.start + a)
            if key in seen:
                continue
            seen.add(key)
            sentence = hit.text[a:b]
            coverage, bigram_cov = _coverage(words, bigrams, sentence, idf, abbreviations)
            type_fit = qtype.fit(sentence, question)
            n_words = len(sentence.split())
            # Long sentences cover more words by chance; very short ones are captions.
            length_penalty = (0.15 if n_words < 6 else 0.0) + LENGTH_WEIGHT * max(0.0, math.log(n_words / 30))
            score = (coverage + 0.5 * bigram_cov + TYPE_WEIGHT * type_fit + CONTEXT_WEIGHT * context
                     + 0.1 / hit.rank - length_penalty)
            out.append(_Candidate(hit, a, b, coverage, bigram_cov, type_fit, score, context))
    return sorted(out, key=lambda c: -c.score)


def _rerank(candidates: list[_Candidate], question: str, index) -> list[_Candidate]:
    """Re-order the best few sentences by adding their cosine similarity to the question.

    The sentence vectors stored in the index are used; only a sentence missing there is embedded.
    """
    if DENSE_WEIGHT == 0 or len(candidates) < 2:
        return candidates
    head = candidates[:RERANK]
    stored = [index.sentence_vector(c.hit, c.start) for c in head]
    missing = [i for i, v in enumerate(stored) if v is None]
    if missing:
        fresh = index.embedder.embed_passages([head[i].hit.text[head[i].start:head[i].end] for i in missing])
        for i, vector in zip(missing, fresh, strict=True):
            stored[i] = vector
    sims = np.stack(stored) @ index.query_vector(question)
    rescored = [_Candidate(c.hit, c.start, c.end, c.coverage, c.bigrams, c.type_fit,
                           c.score + DENSE_WEIGHT * float(s), c.context) for c, s in zip(head, sims, strict=False)]
    return sorted(rescored, key=lambda c: -c.score) + candidates[RERANK:]


def _citation(hit: Hit, start: int, end: int) -> Citation:
    return Citation(doc_id=hit.doc_id, title=hit.title, date=hit.date, source=hit.source, text=hit.text,
                    start=hit.start, end=hit.end, quote_start=start, quote_end=end, score=hit.score)


def answer_question(index, question: str, k: int = 5, **filters) -> Answer:
    """Answer `question` from `index`: the best sentence among the top passages, cited."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InvalidArgumentError(f"k must be an integer of at least 1, got {k!r}")
    hits = index.retrieve(question, k=max(k, PASSAGES_READ), **filters)
    asked = index.restore_diacritics(question)
    qtype = classify(asked)
    if not hits:
        return Answer(question, False, NOT_FOUND_TEXT, None, 0.0, [], [])
    candidates = _rerank(_candidates(hits[:PASSAGES_READ], asked, qtype, *_statistics(index), index.articles),
                         asked, index)
    best = candidates[0] if candidates else None
    confidence = _confidence(best) if best else 0.0
    found = best is not None and confidence >= FOUND_THRESHOLD

    citations: list[Citation] = []
    used = set()
    if best is not None:
        citations.append(_citation(best.hit, best.start, best.end))
        used.add((best.hit.doc_id, best.hit.start))
    for cand in candidates:  # then the best sentence of each other passage, in passage order
        if len(citations) >= k:
            break
        if (cand.hit.doc_id, cand.hit.start) not in used:
            used.add((cand.hit.doc_id, cand.hit.start))
            citations.append(_citation(cand.hit, cand.start, cand.end))
    if not found:
        return Answer(question, False, NOT_FOUND_TEXT, None, confidence, citations, hits[:k])
    sentence = best.hit.text[best.start : best.end]
    short = extract_short(qtype, asked, sentence)
    return Answer(question, True, sentence, short, confidence, citations, hits[:k])
