"""qa eval's figures: reliability table, calibration error, confident-wrong, held-out split."""

import json

import pytest

import qa
from qa.chunk import ChunkSettings
from qa.evaluate import Question, evaluate, reliability, run
from qa.selector import split_of


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


def test_heldout_split_keeps_the_untrained_half(tmp_path, fake, monkeypatch):
    paragraphs = [{"context": f"Xã số {i} có {i * 10} hồ sơ trực tuyến trong năm.",
                   "qas": [{"question": f"Xã số {i} có bao nhiêu hồ sơ trực tuyến?",
                            "answers": [{"text": f"{i * 10} hồ sơ", "answer_start": 0}]}]} for i in range(1, 13)]
    path = tmp_path / "set.json"
    path.write_text(json.dumps({"data": [{"title": "t", "paragraphs": paragraphs}]}, ensure_ascii=False),
                    encoding="utf-8")
    monkeypatch.setattr("qa.embed.load_embedder", lambda model=None: fake)
    monkeypatch.setattr("qa.index.load_embedder", lambda model=None: fake)
    held = run(path, split="heldout", answers=False, progress=False, index_cache=tmp_path / "ix")
    trained = run(path, split="train", answers=False, progress=False, index_cache=tmp_path / "ix")
    expected = sum(split_of(p["qas"][0]["question"], 2) == 0 for p in paragraphs)
    assert held["with_diacritics"]["questions"] == expected
    assert held["with_diacritics"]["questions"] + trained["with_diacritics"]["questions"] == 12
    with pytest.raises(qa.InvalidArgumentError):
        run(path, split="test", progress=False, index_cache=tmp_path / "ix")
