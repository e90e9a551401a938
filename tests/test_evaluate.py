"""qa eval: reading question files (errors name the file and line) and the figures it reports."""

import json

import pytest

import qa
from qa.chunk import ChunkSettings
from qa.cli import main
from qa.evaluate import (
    Question,
    by_min_confidence,
    evaluate,
    format_report,
    read_jsonl_questions,
    read_squad,
    reliability,
    run,
)
from qa.selector import split_of

SQUAD = {"data": [{"title": "Hà Nội", "paragraphs": [
    {"context": "Xã La Phù xếp thứ 19.", "qas": [
        {"question": "Xã La Phù xếp thứ mấy?", "answers": [{"text": "thứ 19", "answer_start": 14}]},
        {"question": "Xã nào xếp thứ 19?"}]}]}]}


def test_good_files_are_read(tmp_path):
    (tmp_path / "q.json").write_text(json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")
    articles, questions = read_squad(tmp_path / "q.json")
    assert [a.doc_id for a in articles] == ["0-0"] and articles[0].title == "Hà Nội"
    assert [(q.question, q.answers, q.doc_id) for q in questions] == [
        ("Xã La Phù xếp thứ mấy?", ["thứ 19"], "0-0"), ("Xã nào xếp thứ 19?", [], "0-0")]
    lines = ['{"question": "Ai?", "answer": "Bà A", "doc_id": "a.txt"}', "",
             '{"question": "Giá vàng?", "answer": null}', '{"question": "Mấy?", "answer": ["2", "hai"], "doc_id": 7}']
    (tmp_path / "q.jsonl").write_text("\n".join(lines), encoding="utf-8")
    assert [(q.question, q.answers, q.doc_id) for q in read_jsonl_questions(tmp_path / "q.jsonl")] == [
        ("Ai?", ["Bà A"], "a.txt"), ("Giá vàng?", [], None), ("Mấy?", ["2", "hai"], "7")]
    # SQuAD's key "answers" is read too, as strings or as SQuAD's answer objects.
    lines = ['{"question": "Ai?", "answers": ["Bà A"]}', '{"question": "Mấy?", "answers": [{"text": "2"}]}',
             '{"question": "Giá vàng?", "answers": []}']
    (tmp_path / "q.jsonl").write_text("\n".join(lines), encoding="utf-8")
    assert [(q.question, q.answers) for q in read_jsonl_questions(tmp_path / "q.jsonl")] == [
        ("Ai?", ["Bà A"]), ("Mấy?", ["2"]), ("Giá vàng?", [])]


@pytest.mark.parametrize(("lines", "message"), [
    (['{"question": "Ai?", "answer": null}', '{"answer": "x", "doc_id": "a"}'],
     r"q.jsonl, line 2: field 'question' is missing"),
    (['{"question": "Ai?", "answer": null}', "", '{"question": 5}'],
     r"q.jsonl, line 3: field 'question' is of type int, expected text"),
    # A line without an answer used to count as a question the articles do not answer (stop 28: a
    # file written with another key scored every question as unanswerable, without a word).
    (['{"question": "Ai?", "answer": null}', '{"question": "Mấy?", "gold": "2"}'], r"line 2: no field 'answer'"),
    (['{"question": "Ai?", "answer": "x", "answers": ["x"]}'], r"line 1: both 'answer' and 'answers'"),
    (['{"question": "Ai?", "answers": [3]}'], r"line 1: field 'answers' must be a string"),
    (['{"question": "Ai?"', ], r"q.jsonl, line 1: not JSON"),
    (['["Ai?"]'], r"q.jsonl, line 1: expected a JSON object with 'question', got list"),
    (['{"question": "Ai?", "answer": {"text": "x"}}'], r"line 1: field 'answer' must be a string"),
    (['{"question": "Ai?", "answer": null, "doc_id": ["a"]}'], r"line 1: field 'doc_id' must be a string, got list"),
])
def test_malformed_jsonl_question_file_names_file_line_and_field(tmp_path, lines, message):
    # Issue 10 item 11: KeyError: 'question', or an error that did not name the file.
    (tmp_path / "q.jsonl").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(qa.QuestionFileError, match=message):
        read_jsonl_questions(tmp_path / "q.jsonl")


def _squad_without(path: list, key: str) -> dict:
    data = json.loads(json.dumps(SQUAD))
    node = data
    for step in path:
        node = node[step]
    del node[key]
    return data


@pytest.mark.parametrize(("data", "message"), [
    (_squad_without([], "data"), r"q.json: data is missing"),
    (_squad_without(["data", 0], "paragraphs"), r"q.json: data\[0\].paragraphs is missing"),
    (_squad_without(["data", 0, "paragraphs", 0], "context"), r"data\[0\].paragraphs\[0\].context is missing"),
    (_squad_without(["data", 0, "paragraphs", 0, "qas", 1], "question"),
     r"q.json: data\[0\].paragraphs\[0\].qas\[1\].question is missing"),
    (_squad_without(["data", 0, "paragraphs", 0, "qas", 0, "answers", 0], "text"),
     r"data\[0\].paragraphs\[0\].qas\[0\].answers\[0\].text is missing"),
    ([], r"q.json: the file is of type list, expected a JSON object"),
    ({"data": ["x"]}, r"q.json: data\[0\] is of type str, expected a JSON object"),
])
def test_malformed_squad_file_names_file_entry_and_field(tmp_path, data, message):
    (tmp_path / "q.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(qa.QuestionFileError, match=message):
        read_squad(tmp_path / "q.json")


def test_qa_eval_on_a_malformed_file_is_one_clean_line(tmp_path, capsys):
    (tmp_path / "q.jsonl").write_text('{"question": "Ai?", "answer": null}\n{"doc_id": "a"}\n', encoding="utf-8")
    assert main(["eval", str(tmp_path / "q.jsonl"), "--index", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "q.jsonl, line 2: field 'question' is missing" in err
    assert "Traceback" not in err and "KeyError" not in err



def test_reliability_known_answer():
    confidences = [0.1, 0.15, 0.5, 0.9, 0.95, 1.0]
    right = [False, True, True, True, True, False]
    table, ece = reliability(confidences, right)
    assert [row["questions"] for row in table] == [2, 0, 1, 0, 3]
    assert table[0]["accuracy"] == 0.5 and table[4]["accuracy"] == pytest.approx(0.667, abs=1e-3)
    # |0.5 - 0.125| * 2/6 + |1 - 0.5| * 1/6 + |2/3 - 0.95| * 3/6
    assert ece == pytest.approx(0.375 * 2 / 6 + 0.5 / 6 + abs(2 / 3 - 0.95) * 3 / 6)


def test_perfectly_calibrated_has_no_error():
    table, ece = reliability([0.9] * 10, [True] * 9 + [False])
    assert ece == pytest.approx(0.0, abs=1e-9) and table[4]["accuracy"] == 0.9


def test_min_confidence_cuts_known_answer():
    confidences = [0.2, 0.45, 0.65, 0.9, 0.35, 0.75]
    right = [True, True, False, True, False, False]
    answerable = [True, True, True, True, False, False]
    rows = {r["min_confidence"]: r for r in by_min_confidence(confidences, right, answerable, cuts=(0.3, 0.5, 0.8))}
    assert rows[0.3] == {"min_confidence": 0.3, "answer_accuracy": 0.5, "found_rate": 0.833, "abstention_recall": 0.0}
    assert rows[0.5] == {"min_confidence": 0.5, "answer_accuracy": 0.25, "found_rate": 0.5, "abstention_recall": 0.5}
    assert rows[0.8] == {"min_confidence": 0.8, "answer_accuracy": 0.25, "found_rate": 0.167, "abstention_recall": 1.0}
    assert "abstention_recall" not in by_min_confidence([0.9], [True], [True])[0]


def test_evaluate_reports_trust_figures(tiny_corpus, tmp_path, fake):
    index = qa.build_index(tiny_corpus, tmp_path / "index", model=fake,
                           settings=ChunkSettings(chunk_tokens=40, overlap_tokens=4), progress=False)
    questions = [Question("Huyện Bình Minh khánh thành bao nhiêu trường học mới?", ["3 trường học"], "b.txt"),
                 Question("Giá vàng hôm nay là bao nhiêu?", [], None)]
    result = evaluate(index, questions, progress=False)
    for key in ("answer_accuracy", "found_rate", "confident_wrong", "ece", "abstention_precision",
                "abstention_recall"):
        assert 0.0 <= result[key] <= 1.0, key
    assert sum(row["questions"] for row in result["reliability"]) == 2
    # The what-if row at the threshold in force gives the figures the answers were counted with.
    at_default = next(r for r in result["by_min_confidence"] if r["min_confidence"] == 0.5)
    assert at_default["answer_accuracy"] == result["answer_accuracy"]
    assert at_default["abstention_recall"] == result["abstention_recall"]
    assert at_default["found_rate"] == pytest.approx(result["found_rate"], abs=1e-3)


def test_article_figures_are_not_measured_without_doc_ids(tiny_corpus, tmp_path, fake):
    # A question file without doc_id: recall@k cannot be measured, and says so rather than 0.000.
    index = qa.build_index(tiny_corpus, tmp_path / "index", model=fake,
                           settings=ChunkSettings(chunk_tokens=40, overlap_tokens=4), progress=False)
    questions = [Question("Huyện Bình Minh khánh thành bao nhiêu trường học mới?", ["3 trường học"], None)]
    result = evaluate(index, questions, answers=False, progress=False)
    assert result["recall@1"] is None and result["passage_recall@5"] is None
    assert result["answer_recall@10"] == 1.0
    with_doc = evaluate(index, [Question(questions[0].question, ["3 trường học"], "b.txt")], answers=False,
                        progress=False)
    assert with_doc["recall@5"] == 1.0
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"question": questions[0].question, "answer": "3 trường học"}, ensure_ascii=False)
                    + "\n", encoding="utf-8")
    report = run(path, index_dir=tmp_path / "index", answers=False, model=fake, progress=False)
    text = format_report(report)
    assert "n/a" in text and "doc_id" in text


def test_heldout_split_keeps_the_untrained_half(tmp_path, fake, monkeypatch):
    paragraphs = [{"context": f"Xã số {i} có {i * 10} hồ sơ trực tuyến trong năm.",
                   "qas": [{"question": f"Xã số {i} có bao nhiêu hồ sơ trực tuyến?",
                            "answers": [{"text": f"{i * 10} hồ sơ", "answer_start": 0}]}]} for i in range(1, 13)]
    path = tmp_path / "set.json"
    path.write_text(json.dumps({"data": [{"title": "t", "paragraphs": paragraphs}]}, ensure_ascii=False),
                    encoding="utf-8")
    monkeypatch.setattr("qa.embed.load_embedder", lambda model=None, **_: fake)
    monkeypatch.setattr("qa.build.load_embedder", lambda model=None, **_: fake)
    held = run(path, split="heldout", answers=False, progress=False, index_cache=tmp_path / "ix")
    trained = run(path, split="train", answers=False, progress=False, index_cache=tmp_path / "ix")
    expected = sum(split_of(p["qas"][0]["question"], 2) == 0 for p in paragraphs)
    assert held["with_diacritics"]["questions"] == expected
    assert held["with_diacritics"]["questions"] + trained["with_diacritics"]["questions"] == 12
    with pytest.raises(qa.InvalidArgumentError):
        run(path, split="test", progress=False, index_cache=tmp_path / "ix")
