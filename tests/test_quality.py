"""Retrieval and answers on the sample corpus with the real model, against tests/data/questions.jsonl."""

import pytest
from conftest import SAMPLE_CORPUS

from qa.clean import clean_article
from qa.selector import sentence_key
from qa.text import normalize

pytestmark = pytest.mark.slow


def _has(text, phrase):
    return normalize(phrase).lower() in normalize(text).lower()


def test_question_set_size(questions):
    assert sum(q["answer"] is not None for q in questions) >= 30
    assert sum(q["answer"] is None for q in questions) >= 10


def test_right_passage_in_top3_for_90_percent(sample_index, questions):
    answerable = [q for q in questions if q["answer"]]
    found = [q for q in answerable
             if any(h.doc_id == q["doc_id"] and _has(h.text, q["answer"]) for h in sample_index.retrieve(q["question"], k=3))]
    assert len(found) / len(answerable) >= 0.9, [q["question"] for q in answerable if q not in found]


def test_unaccented_questions_still_find_the_passage(sample_index, questions):
    from qa.text import strip_diacritics

    answerable = [q for q in questions if q["answer"]]
    found = [q for q in answerable if any(h.doc_id == q["doc_id"] and _has(h.text, q["answer"])
                                          for h in sample_index.retrieve(strip_diacritics(q["question"]), k=3))]
    assert len(found) / len(answerable) >= 0.85


def test_answers_contain_the_expected_phrase_for_85_percent(answers, questions):
    # The hand-set selector of 0.1 reached 0.911 here, but it was tuned on these very questions.
    # The learned selector never saw them: trained on other data (and on other questions written
    # for these articles, scripts/data/sample-train.jsonl), it gets 0.911 (41 of 45).
    answerable = [q for q in questions if q["answer"]]
    right = [q for q in answerable if (a := answers[q["question"]]).found and _has(a.text, q["answer"])]
    assert len(right) / len(answerable) >= 0.85, [q["question"] for q in answerable if q not in right]


def test_no_confident_wrong_answer_on_the_question_set(answers, questions):
    wrong = [q["question"] for q in questions if (a := answers[q["question"]]).found and a.confidence >= 0.8
             and not (q["answer"] and _has(a.text, q["answer"]))]
    assert len(wrong) <= 1, wrong


def test_every_unanswerable_question_abstains(answers, questions):
    for q in questions:
        if q["answer"] is None:
            answer = answers[q["question"]]
            assert not answer.found, (q["question"], answer.text, answer.confidence)
            assert answer.text == "Không tìm thấy thông tin này trong các bài viết."
            assert answer.citations and answer.confidence < 0.5  # closest passages, marked low


def test_every_quote_is_verbatim_in_the_cited_article(answers, questions):
    articles = {}
    for path in SAMPLE_CORPUS.glob("*.txt"):
        articles[path.name] = clean_article(path.read_text(encoding="utf-8-sig")).text
    for q in questions:
        answer = answers[q["question"]]
        if answer.found:
            assert answer.text in articles[answer.citations[0].doc_id]
            assert answer.citations[0].quote == answer.text
            if answer.short:
                assert answer.short in answer.text
        for c in answer.citations:
            article = articles[c.doc_id]
            assert article[c.start:c.end] == c.text
            assert c.quote in article and c.text[c.quote_start:c.quote_end] == c.quote

        assert len({sentence_key(c.quote) for c in answer.citations}) == len(answer.citations)  # none twice


def test_a_headline_repeated_as_a_caption_is_cited_once(sample_index):
    # Stop 33 (walkthrough): article 004 repeats its headline under its photo; both were cited.
    answer = sample_index.answer("Ban Pháp chế HĐND thành phố giám sát công tác CCHC tại phường Quảng Cư khi nào?")
    keys = [sentence_key(c.quote) for c in answer.citations]
    assert len(keys) == len(set(keys)) > 1


def test_short_answers(answers, questions):
    # Among the answers given: a short answer is only shown for a found answer (fewer are found now).
    expected = [q for q in questions if q["short"] and answers[q["question"]].found]
    right = [q for q in expected if (a := answers[q["question"]]).short and _has(a.short, q["short"])]
    assert len(right) / len(expected) >= 0.8, [q["question"] for q in expected if q not in right]


def test_abbreviation_and_full_form_find_each_other(sample_index):
    # The article writes "154 TTHC"; the question spells it out.
    hits = sample_index.retrieve("thủ tục hành chính thuộc thẩm quyền giải quyết của xã, thị trấn", k=3, mode="keyword")
    assert any("154 TTHC" in h.text for h in hits)


# ------------------------------------------------------------------ held-out sample (issue 9)
# tests/data/heldout.jsonl: questions written for the sample articles after the selector was
# built and never used to train or tune it: paraphrases, a conversational question, level
# confusions, and questions the articles do not answer although they are on topic.
HELDOUT = SAMPLE_CORPUS.parent / "tests" / "data" / "heldout.jsonl"


@pytest.fixture(scope="module")
def heldout_answers(sample_index):
    import json

    from heuristic_baseline import answer_question as heuristic

    from qa.text import strip_diacritics

    rows = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for row in rows:
        for text in (row["question"], strip_diacritics(row["question"])):
            out.append((row, sample_index.answer(text), heuristic(sample_index, text)))
    return out


def _right(row, answer) -> bool:
    if row["answer"] is None:
        return not answer.found
    return answer.found and _has(answer.text, row["answer"])


def test_heldout_sample_has_both_kinds():
    import json

    rows = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert sum(r["answer"] is None for r in rows) >= 6 and sum(r["answer"] is not None for r in rows) >= 20


def test_learned_selector_beats_the_hand_weighted_one_on_heldout(heldout_answers):
    learned = sum(_right(row, new) for row, new, _ in heldout_answers)
    heuristic = sum(_right(row, old) for row, _, old in heldout_answers)
    assert learned > heuristic, (learned, heuristic, len(heldout_answers))
    wrong_confident = [(row["question"], new.text) for row, new, _ in heldout_answers
                       if new.found and new.confidence >= 0.8 and not _right(row, new)]
    assert len(wrong_confident) <= 0.1 * len(heldout_answers), wrong_confident


def test_confidence_is_monotone_with_correctness_on_heldout(heldout_answers):
    # The quote judged is the one the confidence is about: the answer, or the first passage's quote.
    points = []
    for row, new, _ in heldout_answers:
        quote = new.text if new.found else new.citations[0].quote
        points.append((new.confidence, row["answer"] is not None and _has(quote, row["answer"])))
    low = [right for conf, right in points if conf < 0.5]
    high = [right for conf, right in points if conf >= 0.5]
    assert low and high
    assert sum(high) / len(high) > sum(low) / len(low)


def test_a_question_no_sentence_may_answer_still_shows_what_the_articles_say(sample_index):
    # Stop 30: every sentence of the La Phù article is about 2023 (2022 only as its point of comparison),
    # so none is a candidate for 2022; the reply is "not found", with the article's nearest sentences as
    # related passages rather than none.
    answer = sample_index.answer("Xã La Phù đứng thứ mấy về chỉ số cải cách hành chính năm 2022?")
    assert not answer.found and answer.confidence == 0.0
    assert answer.citations and answer.citations[0].doc_id.startswith("000_")
    assert all(c.quote and c.quote in c.text for c in answer.citations)


@pytest.mark.parametrize("question", [
    "Có phải xã La Phù năm 2023 xếp thứ 15 về chỉ số thủ tục hành chính không?",
    "Co phai xa La Phu nam 2023 xep thu 15 ve chi so thu tuc hanh chinh khong?",
])
def test_a_wrong_figure_to_confirm_gets_the_articles_figure(sample_index, question):
    # Stop 43's walkthrough: a journalist checking a wrong figure was told "not found" (0.29); the article
    # says "thứ 19", and that is the answer, quoted, with the question kept as asked.
    answer = sample_index.answer(question)
    assert answer.found and "xếp thứ 19" in answer.text and answer.short == "thứ 19"
    assert answer.question == question  # the question's figure, as typed, said beside the answer: no one reads a yes
    assert answer.stated == ("thứ 15" if "ứ" in question else "thu 15")
    right = sample_index.answer(question.replace("15", "19"))  # the right figure: nothing to say
    assert right.found and right.short == "thứ 19" and right.stated is None


@pytest.mark.parametrize("question", [
    "Gia Lâm đã thực hiện bao nhiêu cuộc kiểm tra công tác CCHC trong năm 2021 và 4 tháng đầu năm 2022?",
    "Gia Lam da thuc hien bao nhieu cuoc kiem tra cong tac CCHC trong nam 2021 va 4 thang dau nam 2022?"])
def test_a_count_is_not_answered_by_a_sentence_that_gives_none(sample_index, question):
    # Stop 44's walkthrough: the report's opening sentence, which repeats the question's period and gives no count
    # ("dịch Covid - 19", "chủ đề công tác năm “...”" read as figures), was quoted at 0.87. A sentence that gives no
    # figure is never the answer; the best one that does is read against the whole pool, so its confidence says
    # that a sentence which cannot answer scored higher.
    answer = sample_index.answer(question)
    assert not answer.text.startswith("Theo báo cáo")
    assert "20 cuộc kiểm tra" in answer.citations[0].quote
    assert answer.confidence < 0.8


def test_one_person_asked_is_not_answered_by_a_sentence_naming_no_one(sample_index):
    # Stop 44's walkthrough: "Trưởng ban Pháp chế thành phố là ai?" quoted "Đồng chí Trưởng ban Pháp chế yêu cầu ..."
    # (0.14): the office, with no name. The sentence naming him is the quote.
    answer = sample_index.answer("Trưởng ban Pháp chế thành phố là ai?")
    assert "Lê Ngọc Khanh" in answer.citations[0].quote
    several = sample_index.answer("Thường trực HĐND huyện Gia Lâm đề nghị những ai giải trình làm rõ trách nhiệm?")
    assert several.citations  # several asked: offices may answer, and nothing is dropped for naming no one
