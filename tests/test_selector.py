"""The answer selector: its features, and its contract with a model whose weights are known."""

import numpy as np
import pytest

import qa
from qa.answering import answer_question, candidate_features
from qa.chunk import ChunkSettings
from qa.records import Hit
from qa.selector import FEATURES, Question, Selector, candidates, confidence_of, pool_summary, split_of

SMALL = ChunkSettings(chunk_tokens=40, overlap_tokens=4)


def _hit(text, doc="a.txt", start=0, rank=1, title=""):
    return Hit(text, 1.0, doc, title, None, doc, start, start + len(text), rank=rank)


def _features(index, question, hits):
    _, cands, x = candidate_features(index, question, hits)
    return cands, {name: x[:, i] for i, name in enumerate(FEATURES)}


@pytest.fixture
def index(tiny_corpus, tmp_path, fake):
    return qa.build_index(tiny_corpus, tmp_path / "index", model=fake, settings=SMALL, progress=False)


def test_question_parse_finds_names_numbers_levels():
    q = Question.parse("Xã La Phù xếp thứ mấy về chỉ số thủ tục hành chính năm 2023?")
    assert q.qtype.kind == "rank" and q.names == ("la phu",) and q.numbers == ("2023",) and q.levels == {"xã"}
    assert "mấy" not in q.words and "phù" in q.words


def test_short_sentences_are_also_offered_joined_to_the_next():
    hit = _hit("Kết quả như sau:\nXã La Phù đạt 20 điểm trong năm nay, tăng hai bậc. Huyện đạt 30 điểm trong năm nay và tăng hai bậc.")
    cands = candidates([hit])
    joined = [c for c in cands if c.joined]
    assert [c.text for c in joined] == ["Kết quả như sau:\nXã La Phù đạt 20 điểm trong năm nay, tăng hai bậc."]
    assert all(hit.text[c.start:c.end] == c.text for c in cands)


def test_level_agreement_and_contradiction(index):
    hits = [_hit("Cấp huyện đã tiếp nhận 500 hồ sơ. Cấp xã đã tiếp nhận 120 hồ sơ.")]
    cands, f = _features(index, "Cấp xã đã tiếp nhận bao nhiêu hồ sơ?", hits)
    by_text = {c.text: i for i, c in enumerate(cands)}
    district, commune = by_text["Cấp huyện đã tiếp nhận 500 hồ sơ."], by_text["Cấp xã đã tiếp nhận 120 hồ sơ."]
    assert f["level_match"][commune] == 1 and f["level_other"][commune] == 0
    assert f["level_match"][district] == 0 and f["level_other"][district] == 1


def test_headline_and_novelty(index):
    title = "Huyện Bình Minh xây dựng trường học"
    hits = [_hit("Huyện Bình Minh xây dựng trường học. Huyện khánh thành 3 trường học mới với 45 tỷ đồng.",
                 title=title)]
    cands, f = _features(index, "Huyện Bình Minh xây dựng trường học thế nào?", hits)
    first = [i for i, c in enumerate(cands) if c.text.startswith("Huyện Bình Minh") and not c.joined][0]
    second = [i for i, c in enumerate(cands) if c.text.startswith("Huyện khánh")][0]
    assert f["headline"][first] == 1 and f["headline"][second] == 0
    assert f["novelty"][first] < f["novelty"][second]
    assert f["first"][first] == 1 and f["first"][second] == 0


def test_type_fit_reads_the_asked_unit(index):
    hits = [_hit("Huyện có 12 máy tính tra cứu. Năm 2023 huyện tổ chức 5 hội nghị.")]
    cands, f = _features(index, "Huyện có bao nhiêu máy tính tra cứu?", hits)
    fits = {c.text: f["fit_count"][i] for i, c in enumerate(cands) if not c.joined}
    assert fits["Huyện có 12 máy tính tra cứu."] > fits["Năm 2023 huyện tổ chức 5 hội nghị."]


def _selector(weights: dict, calibration=None, threshold=0.5):
    w = np.array([weights.get(name, 0.0) for name in FEATURES])
    return Selector(FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), w,
                    calibration or {"bias": -1.0, "top": 1.0, "margin": 0.0, "share": 0.0}, threshold)


def test_the_answer_is_the_best_scored_candidate(index):
    # A model that reads only the candidate's coverage of the question picks the covering sentence.
    answer = answer_question(index, "Huyện Bình Minh khánh thành bao nhiêu trường học mới?",
                             selector=_selector({"coverage": 5.0}))
    assert answer.found and "3 trường học mới" in answer.text
    assert answer.citations[0].quote == answer.text
    # The same question through a model that prefers opening sentences gets one of those instead.
    answer = answer_question(index, "Huyện Bình Minh khánh thành bao nhiêu trường học mới?",
                             selector=_selector({"first": 5.0, "joined": -5.0}))
    assert answer.citations[0].start + answer.citations[0].quote_start == 0
    assert "3 trường học mới" not in answer.citations[0].quote


def test_found_follows_the_calibrated_confidence(index):
    question = "Huyện Bình Minh khánh thành bao nhiêu trường học mới?"
    sure = answer_question(index, question, selector=_selector({"coverage": 5.0}, threshold=0.5))
    never = answer_question(index, question, selector=_selector({"coverage": 5.0}, threshold=1.01))
    assert sure.found and not never.found
    assert never.text == qa.records.NOT_FOUND_TEXT and never.short is None
    assert never.confidence == pytest.approx(sure.confidence)


def test_close_runner_up_is_shown_beside_the_answer(index):
    flat = answer_question(index, "hồ sơ trường học", selector=_selector({}, threshold=0.2))  # all tie
    assert flat.alternatives and flat.alternatives[0].quote != flat.text
    clear = answer_question(index, "Huyện Bình Minh khánh thành bao nhiêu trường học mới?",
                            selector=_selector({"coverage": 50.0}))
    assert clear.alternatives == []


def test_confidence_grows_with_the_margin():
    calibration = {"bias": -1.0, "top": 0.1, "margin": 1.5, "share": 1.0}
    values = [confidence_of(pool_summary(np.array([m, 0.0, -1.0])), calibration) for m in (0.0, 0.5, 1, 2, 4)]
    assert values == sorted(values) and 0 < values[0] < values[-1] < 1


def test_split_is_fixed_and_balanced():
    questions = [f"Câu hỏi số {i} về xã?" for i in range(400)]
    parts = [split_of(q, 2) for q in questions]
    assert parts == [split_of(q, 2) for q in questions]
    assert 150 < sum(parts) < 250
    assert split_of("  Câu hỏi số 1 về xã?  ", 2) == split_of("Câu hỏi số 1 về xã?", 2)


def test_weights_file_matches_the_features():
    selector = Selector.load()
    assert selector.features == FEATURES and len(selector.weights) == len(FEATURES)
    assert 0 < selector.threshold < 1
    assert {"bias", "top", "margin", "share"} <= set(selector.calibration)
    assert len(selector.calibration["features"]) == len(FEATURES)
