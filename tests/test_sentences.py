from qa.sentences import sentence_spans, split_sentences


def test_vietnamese_abbreviations_and_numbers_stay_inside_sentences():
    text = ("Tại TP. Hồ Chí Minh, đ/c Lê Văn A chủ trì. Xã đạt 2.354 phiếu, tỷ lệ 0,46% (42 hồ sơ). "
            "ThS. Nguyễn Văn B phát biểu! Hết.")
    assert split_sentences(text) == [
        "Tại TP. Hồ Chí Minh, đ/c Lê Văn A chủ trì.",
        "Xã đạt 2.354 phiếu, tỷ lệ 0,46% (42 hồ sơ).",
        "ThS. Nguyễn Văn B phát biểu!",
        "Hết.",
    ]


def test_lines_end_sentences_and_spans_are_exact():
    text = "Chú thích ảnh\nCâu một. Câu hai."
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["Chú thích ảnh", "Câu một.", "Câu hai."]


def test_lowercase_after_period_is_not_a_break():
    assert split_sentences("Đạt 98.8%. và tiếp tục.") == ["Đạt 98.8%. và tiếp tục."]
    assert split_sentences("") == []
