"""Extractive answers: pick the sentence that answers, pinpoint the short span, cite, abstain.

Nothing is generated. The answer is a sentence (or two) of a retrieved passage, copied as
written, chosen by the learned selector (`qa/selector.py`); the short answer is a span of
that same sentence. The confidence is the selector's calibrated probability that the
quoted sentence answers the question; below its threshold the answer says the articles
do not contain it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from itertools import islice

import numpy as np

from .byline import about_the_article
from .checked import confirmation, differs
from .errors import InvalidArgumentError
from .lexicon import plain_question, set_aside
from .records import NOT_FOUND_TEXT, Answer, Citation, Hit
from .selector import (
    SHORT_FIT,
    Candidate,
    Question,
    Selector,
    answer_keys,
    candidates,
    cannot_answer,
    defines,
    feature_matrix,
    figure_asked,
    gives,
    in_article,
    lacks_asked,
    meeting_unreported,
    named_people,
    names_in,
    number_contradicted,
    other_end,
    other_meeting,
    other_period,
    other_person,
    other_place,
    other_thing_year,
    other_tier,
    other_year,
    over_a_span,
    paragraph_before,
    paragraph_year,
    part_of_year,
    recased_places,
    sentence_key,
    spells_out,
    states_no_aim,
    with_bare_places,
    with_details_after,
    with_reason_before,
    with_unknown_places,
)
from .shortanswer import abbreviation_asked, named_places, short_answer

PASSAGES_READ = 5  # sentences are chosen among this many top passages
# ... of this many: a passage of an article about another place, year or period than the asked one is
# skipped and the next one read ("xã La Phù" asked, the top passages from other communes' articles).
PASSAGES_SEARCHED = 10
ABBREVIATION_SEARCHED = 50  # passages searched for one that spells out an abbreviation asked about


@functools.cache
def default_selector() -> Selector:
    """The selector shipped with the package (qa/selector.json), loaded once."""
    return Selector.load()


def _cosines(index, cands: list[Candidate], query: np.ndarray) -> np.ndarray:
    """Each candidate's cosine to the question, from the sentence vectors stored in the index."""
    vectors: list[np.ndarray | None] = []
    for cand in cands:
        first = index.sentence_vector(cand.hit, cand.start)
        if cand.joined and first is not None:
            nxt = index.sentence_vector(cand.hit, cand.second)
            first = None if nxt is None else (first + nxt) / (np.linalg.norm(first + nxt) or 1.0)
        vectors.append(first)
    missing = [i for i, v in enumerate(vectors) if v is None]
    if missing:  # a sentence the index does not hold (e.g. a joined pair it cannot rebuild)
        fresh = index.embedder.embed_passages([cands[i].text for i in missing])
        for i, vector in zip(missing, fresh, strict=True):
            vectors[i] = vector
    return np.stack(vectors) @ query if vectors else np.zeros(0)


def _frame(q: Question, cand: Candidate, article: str | None) -> str | None:
    """The year the candidate's paragraph opens on (in its passage when the article is not at hand), read
    only when the question asks about a year."""
    if not any(w == "nam" for w, _ in q.led_numbers):
        return None
    return paragraph_year(*in_article(cand, article))


def _before(q: Question, cand: Candidate, article: str | None) -> str:
    """The candidate's paragraph up to it, read only when the question asks what someone was asked to do."""
    return paragraph_before(cand, article) if q.request else ""


def _published(index, doc_id: str) -> str | None:
    return index.articles[doc_id].date if doc_id in index.articles else None


def article_texts(index, hits: list[Hit]) -> dict[str, str]:
    """doc id -> text of the articles `hits` come from (those the index holds)."""
    return {h.doc_id: index.articles[h.doc_id].text for h in hits if h.doc_id in index.articles}


def candidate_features(index, asked: str, hits: list[Hit], passages: int | None = PASSAGES_READ, *,
                       plain: str | None = None) -> tuple[Question, list[Candidate], np.ndarray]:
    """The candidates among the first `passages` of `hits` not about elsewhere (None: all of them) and
    their feature rows, for the question as asked (accents restored). `plain`: `plain_question(asked)`,
    when the caller has it already."""
    aside = frozenset(name for _, name in named_places(set_aside(asked) or ""))  # "Ngoài xã La Phù, còn ở đâu ...?"
    asked = plain_question(asked) if plain is None else plain  # "Cho em hỏi ... ạ?": the frame says nothing of what is asked
    texts = article_texts(index, hits)
    q = with_bare_places(Question.parse(recased_places(asked, list(texts.values()))), list(texts.values()))
    q = with_unknown_places(q, index.restorer.unigrams, index.restorer.bigrams)
    # No candidate is a sentence about another tier of government than the one asked ("cấp xã" for
    # "cấp huyện"), nor one giving another year's figure than the asked one ("năm 2018" for "năm
    # 2024", the article never saying 2024, or the sentence's paragraph opening on 2018; "chỉ số CCHC"
    # for "chỉ số CCHC năm 2018", the article giving that index for 2017 only), nor any
    # sentence of an article that reports on other years only, or on another part of the asked year
    # only ("4 tháng đầu năm 2022" for "6 tháng đầu"); nor one naming the top of a ranking for a
    # question about its bottom, or the reverse; nor one of an article about another place than the
    # one asked ("huyện Gia Lâm" for "huyện Đông Anh"); nor, for a phone number, an e-mail address or a
    # sum of money, one that gives none; nor one about a "sơ kết" meeting for a question about a "tổng
    # kết" one, or the reverse. When every sentence is such, the articles do not say.
    # The article-level checks are read once per passage, not once per sentence; a passage about
    # elsewhere is skipped, and the next of `hits` read instead.
    # Nor, for a question naming a person in full ("Đồng chí Lê Ngọc Khanh đề nghị ... nhằm mục đích gì?"), an
    # article that never names them, when another one does: it reports what someone else said.
    people = named_people(q, [texts.get(h.doc_id, h.text) for h in hits])

    def about_elsewhere(hit: Hit) -> bool:
        article = texts.get(hit.doc_id, hit.text)
        published = _published(index, hit.doc_id)
        return (other_place(q, article) or other_period(q, article, published) or other_year(q, article, published)
                or other_person(people, article) or names_in(aside, article)
                or meeting_unreported(q, article))

    read = list(islice((h for h in hits if not about_elsewhere(h)), passages))  # checks stop once enough
    # "CCHC là viết tắt của từ gì?", "con số 2.354 là gì?": the sentences that spell the abbreviation out, or give
    # the figure, are the only candidates if any of them does; the first passage that does is read, wherever it ranks.
    abbreviation, figure = abbreviation_asked(asked), figure_asked(asked)
    wanted = ([_defining(abbreviation, [h.text for h in hits])] if abbreviation else []) + (
        [functools.partial(gives, figure)] if figure else [])
    for says in wanted:
        read += [h for h in hits if h not in read and says(h.text) and not about_elsewhere(h)][:1]
    cands = [c for c in candidates(read) if not other_tier(q, c.text, texts.get(c.hit.doc_id))
             and not other_end(q, c.text) and not other_meeting(q, c.text)
             and not part_of_year(q, c.text, _published(index, c.hit.doc_id)) and not over_a_span(q, c.text)
             and not states_no_aim(q, c.text, _published(index, c.hit.doc_id))
             and not lacks_asked(q, c.text, _before(q, c, texts.get(c.hit.doc_id)))
             and not number_contradicted(q, c.text, texts.get(c.hit.doc_id, c.hit.text),
                                         _frame(q, c, texts.get(c.hit.doc_id)))
             and not other_thing_year(q, c.text, texts.get(c.hit.doc_id, c.hit.text))]
    for says in wanted:
        if any(says(c.text) for c in cands):
            cands = [c for c in cands if says(c.text)]
    if not cands:
        return q, [], np.zeros((0, 0), dtype=np.float32)
    query = index.query_vector(asked)
    passage = {(h.doc_id, h.start): h.dense for h in hits if h.dense is not None}
    idf, abbreviations = index.statistics  # computed once per loaded index
    x = feature_matrix(q, cands, _cosines(index, cands, query), passage, idf, abbreviations, texts)
    return q, cands, x


def _related(index, plain: str, hits: list[Hit]) -> list[Citation]:
    """Citations when no sentence may answer: each passage's sentence nearest the question (`plain`, its
    `plain_question`), in the passages' order, so that the reader sees what the articles say instead ("năm
    2023" for "năm 2022")."""
    cands = [c for c in candidates(hits) if not c.joined]
    if not cands:
        return []
    cosines = _cosines(index, cands, index.query_vector(plain))
    nearest: dict[tuple[str, int], tuple[float, Candidate]] = {}
    for cand, cos in zip(cands, cosines, strict=True):
        key = (cand.hit.doc_id, cand.hit.start)
        if key not in nearest or cos > nearest[key][0]:
            nearest[key] = (float(cos), cand)
    return [_citation(c.hit, c.start, c.end) for _, c in nearest.values()]


def _defining(abbreviation: str, texts: list[str]) -> Callable[[str], bool]:
    """What a sentence must do to say what `abbreviation` stands for: define it in brackets, where a passage does;
    else write it out ("Huyện uỷ viên" for "HUV")."""
    if any(defines(abbreviation, text) for text in texts):
        return functools.partial(defines, abbreviation)
    return functools.partial(spells_out, abbreviation)


def _citation(hit: Hit, start: int, end: int) -> Citation:
    return Citation(doc_id=hit.doc_id, title=hit.title, date=hit.date, source=hit.source, text=hit.text,
                    start=hit.start, end=hit.end, quote_start=start, quote_end=end, score=hit.score)


def _with_passage(index, question: str, searched: list[Hit], says: Callable[[str], bool], filters: dict) -> list[Hit]:
    """`searched`, and the first of the top ABBREVIATION_SEARCHED passages whose text `says` what is asked
    when none of `searched` does."""
    if any(says(h.text) for h in searched):
        return searched
    found = next((h for h in index.retrieve(question, k=ABBREVIATION_SEARCHED, **filters) if says(h.text)), None)
    return searched + [found] if found else searched


def check_min_confidence(value: object) -> float | None:
    """`min_confidence` as given (None: the selector's own threshold), or InvalidArgumentError."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
        raise InvalidArgumentError(f"min_confidence must be a number from 0 to 1, got {value!r}")
    return float(value)


def answer_question(index, question: str, k: int = 5, *, selector: Selector | None = None,
                    min_confidence: float | None = None, **filters) -> Answer:
    """Answer `question` from `index`: the best sentence among the top passages, cited.

    `min_confidence`: the calibrated confidence an answer needs to be shown as found (default: the
    selector's threshold, 0.5). Lower it where nearly every question has its answer in the articles
    and a "not found" costs more than a low-confidence quote; the confidence itself does not change.
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InvalidArgumentError(f"k must be an integer of at least 1, got {k!r}")
    min_confidence = check_min_confidence(min_confidence)
    # A figure stated to be confirmed is asked for ("Có phải ... thứ 15 không?" -> "... thứ mấy?"): the article's
    # figure answers, right or wrong; the answer keeps the question as asked.
    checked, stated = confirmation(question) if isinstance(question, str) else (question, None)
    hits = index.retrieve(checked, k=max(k, PASSAGES_SEARCHED), **filters)  # checks the question first
    selector = selector or default_selector()
    if not hits:
        return Answer(question, False, NOT_FOUND_TEXT, None, 0.0, [], [])
    asked = index.restore_diacritics(checked)
    plain = plain_question(asked)
    if about_the_article(asked):  # when it was published, who wrote it: metadata, shown with each citation
        return Answer(question, False, NOT_FOUND_TEXT, None, 0.0, _related(index, plain, hits[:k]), hits[:k])
    searched = hits[:PASSAGES_SEARCHED]
    abbreviation, figure = abbreviation_asked(plain), figure_asked(plain)
    if abbreviation:  # "CCHC là viết tắt của từ gì?": the passage that spells it out may rank low for so short a question
        searched = _with_passage(index, checked, searched, functools.partial(defines, abbreviation), filters)
        # ... and, when none defines it in brackets, one that writes it out ("HUV": "Huyện uỷ viên")
        searched = _with_passage(index, checked, searched, _defining(abbreviation, [h.text for h in searched]), filters)
    if figure:  # "con số 1.261 là gì?": the same for the passage that gives the figure
        searched = _with_passage(index, checked, searched, functools.partial(gives, figure), filters)
    q, cands, x = candidate_features(index, asked, searched, plain=plain)
    if not cands:  # every sentence is about another year, tier or place: say so, and show what they say
        return Answer(question, False, NOT_FOUND_TEXT, None, 0.0, _related(index, plain, hits[:k]), hits[:k])
    # The best sentence that may answer is the answer, and its confidence is read against the whole pool: the
    # sentences that cannot, whatever they score, are doubt (stop 44).
    able = [i for i, unable in enumerate(cannot_answer(q, cands, x, article_texts(index, searched))) if not unable]
    if not able:
        return Answer(question, False, NOT_FOUND_TEXT, None, 0.0, _related(index, plain, hits[:k]), hits[:k])
    scores = selector.scores(x)
    keys = answer_keys(q, cands, x)
    top = max(able, key=lambda i: scores[i])
    confidence = selector.confidence(x, scores, keys, best=top)  # read against the whole pool
    if len(able) < len(cands):
        cands, x, scores, keys = [cands[i] for i in able], x[able], scores[able], [keys[i] for i in able]
    order = [int(i) for i in np.argsort(-scores, kind="stable")]
    best = cands[order[0]]
    if q.qtype.kind == "why":
        best = with_reason_before(best)
    best = with_details_after(q, best)
    found = confidence >= (selector.threshold if min_confidence is None else min_confidence)

    citations = [_citation(best.hit, best.start, best.end)]
    used = {(best.hit.doc_id, best.hit.start)}
    quoted = {sentence_key(best.text)}
    for i in order[1:]:  # then the best sentence of each other passage, best first
        if len(citations) >= k:
            break
        cand, said = cands[i], sentence_key(cands[i].text)
        if (cand.hit.doc_id, cand.hit.start) not in used and said not in quoted:
            used.add((cand.hit.doc_id, cand.hit.start))  # a headline repeated as a caption is cited once
            quoted.add(said)
            citations.append(_citation(cand.hit, cand.start, cand.end))
    # A runner-up about as likely as the answer, saying something else, is shown beside it, so the
    # reader can judge.
    alternatives = []
    for i in order[1:]:
        cand = cands[i]
        if keys[i] & keys[order[0]]:
            continue
        if scores[order[0]] - scores[i] <= selector.close:
            alternatives.append(_citation(cand.hit, cand.start, cand.end))
        break
    if not found:
        return Answer(question, False, NOT_FOUND_TEXT, None, confidence, citations, hits[:k])
    short, fit = short_answer(q.qtype, q.text, best.text)
    short = short if fit >= SHORT_FIT else None
    # The figure the question asked to confirm, when the article gives another: said beside the answer.
    denied = stated if stated and short and differs(stated, short) else None
    return Answer(question, True, best.text, short, confidence, citations, hits[:k], alternatives, denied)
