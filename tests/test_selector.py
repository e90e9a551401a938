"""The answer selector: its features, and its contract with a model whose weights are known."""

import numpy as np
import pytest

import qa
from qa.answering import answer_question, candidate_features
from qa.chunk import ChunkSettings
from qa.records import Hit
from qa.selector import (
    FEATURES,
    Question,
    Selector,
    answer_keys,
    bare_tiers,
    candidates,
    confidence_of,
    named_bodies,
    number_contradicted,
    other_period,
    other_thing_year,
    paragraph_year,
    pool_summary,
    recased_places,
    split_of,
    with_bare_places,
)

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
    hit = _hit("Kết quả cụ thể. Xã La Phù đạt 20 điểm trong năm nay, tăng hai bậc. "
               "Huyện đạt 30 điểm trong năm nay và tăng hai bậc so với năm trước.")
    cands = candidates([hit])
    joined = [c for c in cands if c.joined]
    assert [c.text for c in joined] == ["Kết quả cụ thể. Xã La Phù đạt 20 điểm trong năm nay, tăng hai bậc."]
    assert all(hit.text[c.start:c.end] == c.text for c in cands)


def test_a_sentence_that_refers_back_is_also_offered_with_the_one_before():
    # Stop 31: "Họ ...", "Nó ...", "Ông được ..." name what they speak of only in the sentence before, and
    # so does a sentence opening with a name the one before gives ("... Milton Friedman ... Friedman nổi
    # tiếng ..."); each pair is offered too. A full name opening a sentence is a new subject.
    hit = _hit("Các đại biểu HĐND xã đã chất vấn nhiều vấn đề về thủ tục hành chính tại phiên họp chiều nay. "
               "Họ đề nghị UBND xã công khai đầy đủ các thủ tục tại bộ phận một cửa của xã. "
               "Ông Tạ Công Luận phát biểu tại hội nghị tổng kết của xã về công tác này. "
               "Ông đề nghị các thôn tiếp tục duy trì các tiêu chí đã đạt được trong năm tới. "
               "Nhà kinh tế học Milton Friedman nhận giải Nobel Kinh tế năm 1976 vì các nghiên cứu của mình. "
               "Friedman nổi tiếng với lý thuyết số lượng tiền tệ trong kinh tế học hiện đại. "
               "Bà Nguyễn Thanh Bình chủ trì phiên họp của HĐND xã trong cả buổi chiều.")
    joined = [c.text for c in candidates([hit]) if c.joined]
    assert joined == [
        "Các đại biểu HĐND xã đã chất vấn nhiều vấn đề về thủ tục hành chính tại phiên họp chiều nay. "
        "Họ đề nghị UBND xã công khai đầy đủ các thủ tục tại bộ phận một cửa của xã.",
        "Ông Tạ Công Luận phát biểu tại hội nghị tổng kết của xã về công tác này. "
        "Ông đề nghị các thôn tiếp tục duy trì các tiêu chí đã đạt được trong năm tới.",
        "Nhà kinh tế học Milton Friedman nhận giải Nobel Kinh tế năm 1976 vì các nghiên cứu của mình. "
        "Friedman nổi tiếng với lý thuyết số lượng tiền tệ trong kinh tế học hiện đại."]


def test_a_caption_line_is_not_joined_to_the_next_paragraph():
    hit = _hit("(Quang cảnh tại Hội Nghị)\n\nXã hoàn thành 17/25 nhiệm vụ, đạt 68% kế hoạch đề ra.")
    assert not any(c.joined for c in candidates([hit]))


def test_level_agreement_and_contradiction(index):
    # (A file the index does not hold: the hit's text is then its article's.)
    hits = [_hit("Huyện Bình Minh đã tiếp nhận 500 hồ sơ. Xã An Phú đã tiếp nhận 120 hồ sơ.", doc="levels.txt")]
    cands, f = _features(index, "Xã An Phú đã tiếp nhận bao nhiêu hồ sơ?", hits)
    by_text = {c.text: i for i, c in enumerate(cands)}
    district, commune = by_text["Huyện Bình Minh đã tiếp nhận 500 hồ sơ."], by_text["Xã An Phú đã tiếp nhận 120 hồ sơ."]
    assert f["level_match"][commune] == 1 and f["level_other"][commune] == 0
    assert f["level_match"][district] == 0 and f["level_other"][district] == 1


def test_a_sentence_about_another_tier_is_no_candidate(index):
    text = ("Cấp huyện đã tiếp nhận 500 hồ sơ. Cấp xã đã tiếp nhận 120 hồ sơ. "
            "Cấp huyện và cấp xã cùng trả kết quả đúng hẹn.")
    for asked, kept, dropped in (
            ("Cấp xã đã tiếp nhận bao nhiêu hồ sơ?", "Cấp xã đã tiếp nhận 120 hồ sơ.", "Cấp huyện đã tiếp nhận 500"),
            # phường and thị trấn are the commune tier, quận and thị xã the district tier
            ("Cấp phường tiếp nhận bao nhiêu hồ sơ?", "Cấp xã đã tiếp nhận 120 hồ sơ.", "Cấp huyện đã tiếp nhận 500"),
            ("Cấp quận tiếp nhận bao nhiêu hồ sơ?", "Cấp huyện đã tiếp nhận 500 hồ sơ.", "Cấp xã đã tiếp nhận 120")):
        cands, _ = _features(index, asked, [_hit(text)])
        texts = [c.text for c in cands]
        assert kept in texts and not any(t.startswith(dropped) for t in texts), asked
        assert "Cấp huyện và cấp xã cùng trả kết quả đúng hẹn." in texts  # names both: kept
    # A sentence that names one tier with "cấp" and speaks of the asked one without it stays.
    both = "Số TTHC đơn giản hóa tại cấp huyện là 58 TTHC; tại xã, thị trấn bình quân là 20 TTHC."
    cands, _ = _features(index, "Cấp xã đơn giản hóa bình quân bao nhiêu TTHC?", [_hit(both)])
    assert [c.text for c in cands] == [both]
    # Without "cấp" the question names a place, not a tier: every sentence stays a candidate.
    # (The passage is its own article here: a.txt is about xã An Bình, which would rule Bình Minh's out.)
    cands, _ = _features(index, "Huyện Bình Minh đã tiếp nhận bao nhiêu hồ sơ?", [_hit(text, doc="tiers.txt")])
    assert any(c.text.startswith("Cấp xã đã tiếp nhận") for c in cands)
    # A tier the passages never speak of: no candidate is left (answer_question then says "not found").
    _, cands, _ = candidate_features(index, "Cấp tỉnh đã tiếp nhận bao nhiêu hồ sơ?",
                                     [_hit("Cấp huyện đã tiếp nhận 500 hồ sơ. Cấp xã đã tiếp nhận 120 hồ sơ.")])
    assert cands == []


def test_an_article_about_another_place_of_the_asked_level_gives_no_candidate(index):
    # Stop 28: "Tỷ lệ hồ sơ giải quyết đúng hạn của huyện Đông Anh là bao nhiêu?" (no diacritics) quoted
    # Gia Lâm's figures at 0.70; the articles say nothing of Đông Anh.
    text = "Năm 2022, huyện Gia Lâm giải quyết đúng hạn 99,9% hồ sơ. Xã La Phù đạt 100%."
    _, cands, _ = candidate_features(index, "Tỷ lệ hồ sơ đúng hạn của huyện Đông Anh là bao nhiêu?", [_hit(text, doc="place.txt")])
    assert cands == []
    # Nor for a place of another level of the same tier (stop 33: "Phường Quảng Cư nhận được bao nhiêu phiếu
    # ...?" quoted xã La Phù's 2.354 phiếu at 0.51): a thị trấn is not xã La Phù.
    _, cands, _ = candidate_features(index, "Thị trấn Trâu Quỳ đạt tỷ lệ đúng hạn bao nhiêu?", [_hit(text, doc="place.txt")])
    assert cands == []
    # Nor for an article that calls its own district by another level word than the asked one, never
    # naming the asked place (stop 33: "Cấp huyện Gia Lâm giải quyết đúng hạn được bao nhiêu hồ sơ?" quoted
    # the Sơn Tây report's "bộ phận ... thị xã tiếp nhận 1.261 hồ sơ").
    # Nor, but for a count, when a district or commune is asked that the article never names and it names
    # another commune or district (stop 34: "Năm 2023, huyện Gia Lâm xếp thứ mấy ...?" quoted "... của xã La
    # Phù năm 2023, xếp thứ 19" at 0.57, and "Huyện Tuy Phước xếp thứ mấy ...?" the same at 0.59).
    rank = "Kết quả xếp loại chỉ số CCHC của xã La Phù năm 2023, xếp thứ 19, tụt 10 bậc so với năm 2022."
    _, cands, _ = candidate_features(index, "Năm 2023, huyện Hoài Đức xếp thứ mấy về chỉ số CCHC?",
                                     [_hit(rank, doc="rank.txt")])
    assert cands == []
    _, cands, _ = candidate_features(index, "Xã Trung Mầu xếp thứ mấy về chỉ số CCHC năm 2023?",
                                     [_hit("Năm 2023, huyện Gia Lâm xếp thứ 12 về chỉ số CCHC.", doc="district.txt")])
    assert cands == []
    # Nor a date, a name or a deed (stop 34's walkthrough: "Huyện Đông Anh tổ chức phiên giải trình ... vào ngày
    # nào?" got xã La Phù's "Chiều 06/5" at 0.86).
    meeting = "Chiều 06/5, Thường trực HĐND xã La Phù tổ chức phiên giải trình về cải cách hành chính."
    for asked in ("Huyện Đông Anh tổ chức phiên giải trình vào ngày nào?", "Ai chủ trì phiên giải trình của huyện Đông Anh?"):
        _, cands, _ = candidate_features(index, asked, [_hit(meeting, doc="meeting.txt")])
        assert cands == [], asked
    # Nor for a count (stop 36). It was let through while only the top five passages were read, lest they
    # all be ruled out; now the next passage is read instead ("Huyện Gia Lâm có bao nhiêu hồ sơ giải quyết
    # quá hạn trong năm 2023?" then got xã La Phù's 2023 figures at 0.64).
    _, cands, _ = candidate_features(index, "Năm 2023, huyện Hoài Đức có bao nhiêu thủ tục hành chính?",
                                     [_hit(rank, doc="rank.txt")])
    assert cands == []
    town = "Tại bộ phận một cửa thị xã tiếp nhận 1.261 hồ sơ. UBND thị xã chỉ đạo các xã."
    _, cands, _ = candidate_features(index, "Huyện Gia Lâm tiếp nhận bao nhiêu hồ sơ?", [_hit(town, doc="town.txt")])
    assert cands == []
    for asked in ("Thị xã Sơn Tây tiếp nhận bao nhiêu hồ sơ?", "UBND chỉ đạo xã Đường Lâm làm gì?",
                  "Thành phố Hà Nội tiếp nhận bao nhiêu hồ sơ?"):  # the same level word, another tier, a city
        _, cands, _ = candidate_features(index, asked, [_hit(town, doc="town.txt")])
        assert cands, asked
    for asked in ("Tỷ lệ hồ sơ đúng hạn của huyện Gia Lâm là bao nhiêu?",
                  # another tier's place, or the asked name under another level word, is no contradiction
                  "Tỉnh Hà Tây đạt tỷ lệ đúng hạn bao nhiêu?", "Thị xã Gia Lâm đạt bao nhiêu phần trăm?"):
        _, cands, _ = candidate_features(index, asked, [_hit(text, doc="place.txt")])
        assert cands, asked
    assert Question.parse("Huyện Đông Anh và xã La Phù").places == {("huyen", "dong anh"), ("xa", "la phu")}


def test_a_figure_asked_of_a_commune_is_no_district_or_all_communes_figure(index):
    # Stop 32: "xã Trung Mầu ... bao nhiêu hồ sơ ... 2021?" quoted the district's 27.866 at 0.93, and
    # "tỷ lệ ... của xã Đường Lâm" the town desk's 98,8% at 0.91, then all communes' 99,6%.
    town = "Tại bộ phận một cửa thị xã tiếp nhận 1.261 hồ sơ, đúng hạn đạt 98,8%."
    communes = "Tại các xã, phường tiếp nhận 17.337 hồ sơ, đúng hạn đạt 99,6%."
    own = "Riêng xã Đường Lâm tiếp nhận 900 hồ sơ, đúng hạn đạt 99,9%."
    hits = [_hit(f"{town} {communes} {own}", doc="dl.txt")]
    cands, _ = _features(index, "Tỷ lệ hồ sơ đúng hạn của xã Đường Lâm là bao nhiêu?", hits)
    assert [c.text for c in cands] == [own]
    # Not for other questions, nor for a district named ("Huyện Gia Lâm có bao nhiêu xã ...?") in an
    # article that names it (without its level word, as the sample article does).
    hits = [_hit(f"{town} {communes} {own} Sơn Tây đẩy mạnh cải cách.", doc="dl.txt")]
    for asked in ("Xã Đường Lâm làm gì để cải cách hành chính?", "Thị xã Sơn Tây tiếp nhận bao nhiêu hồ sơ?"):
        cands, _ = _features(index, asked, hits)
        assert len([c for c in cands if not c.joined]) == 4, asked
    # Communes as a tier by their level words in a row: "154 TTHC ... của xã, thị trấn" (stop 32, 0.83).
    tiers = "Có 280 TTHC thuộc thẩm quyền của Huyện và 154 TTHC thuộc thẩm quyền của xã, thị trấn."
    _, cands, _ = candidate_features(index, "Xã Trung Mầu có bao nhiêu TTHC thuộc thẩm quyền giải quyết?",
                                     [_hit(tiers, doc="tm.txt")])
    assert cands == []
    # A name the article gives another level is the asker's slip: "xã Gia Lâm" for huyện Gia Lâm.
    text = "Năm 2022, UBND huyện Gia Lâm tiếp nhận 4.037 hồ sơ mức độ 3, 4."
    cands, _ = _features(index, "UBND xã Gia Lâm đã tiếp nhận bao nhiêu hồ sơ mức độ 3, 4?", [_hit(text, doc="gl.txt")])
    assert [c.text for c in cands] == [text]


def test_a_contact_question_is_answered_only_by_a_number_or_address(index):
    published = "Xã công khai số điện thoại và địa chỉ tiếp nhận phản ánh, kiến nghị của người dân."
    given = "Số máy đường dây nóng của xã: 0243.8276.152."
    asked = "Số điện thoại tiếp nhận phản ánh, kiến nghị của xã là bao nhiêu?"
    cands, _ = _features(index, asked, [_hit(f"{published} {given}", doc="contact.txt")])
    assert [c.text for c in cands if not c.joined] == [given]
    _, cands, _ = candidate_features(index, asked, [_hit(published, doc="contact.txt")])
    assert cands == []  # answer_question says "not found" and shows the sentence
    # "số mấy" typed without accents reads as "số máy" (a phone extension): no contact question.
    assert Question.parse("Quyết định số máy của UBND xã?").qtype.kind != "contact"


def test_a_review_meeting_of_the_other_kind_is_no_candidate(index):
    # Stop 32 (twelfth walkthrough): "Hội nghị tổng kết công tác CCHC cả năm 2018 ... ngày nào?" got the
    # date of the six-month "sơ kết" meeting at 0.86; the articles report no "tổng kết" one.
    interim = "Chiều ngày 5/7, thị xã tổ chức hội nghị sơ kết công tác CCHC 6 tháng đầu năm 2018."
    final = "Sáng ngày 20/12, thị xã tổ chức hội nghị tổng kết công tác CCHC năm 2018."
    hits = [_hit(f"{interim} {final}", doc="meeting.txt")]
    cands, _ = _features(index, "Hội nghị tổng kết công tác CCHC năm 2018 diễn ra ngày nào?", hits)
    assert [c.text for c in cands if not c.joined] == [final]
    cands, _ = _features(index, "Hội nghị sơ kết CCHC 6 tháng đầu năm 2018 diễn ra ngày nào?", hits)
    assert [c.text for c in cands if not c.joined] == [interim]
    cands, _ = _features(index, "Thị xã tổ chức những hội nghị nào về CCHC năm 2018?", hits)  # neither asked
    assert len([c for c in cands if not c.joined]) == 2


def test_a_sum_of_money_is_answered_only_by_a_sentence_giving_one(index):
    # Stop 32: "kinh phí dành cho Kế hoạch CCHC năm 2024 của xã là bao nhiêu tiền?" quoted the plan's
    # 17/25 tasks at 0.83 (0.97 asked "Kinh phí thực hiện Kế hoạch CCHC năm 2024 của xã?").
    tasks = "Về tiến độ thực hiện Kế hoạch CCHC năm 2024 của xã, đến nay xã hoàn thành 17/25 nhiệm vụ, đạt 68%."
    fees = "Cấp xã thu phí, lệ phí 1.386.718.000 đồng."
    for asked in ("Kinh phí dành cho Kế hoạch CCHC năm 2024 của xã là bao nhiêu tiền?",
                  "Kinh phí thực hiện Kế hoạch CCHC năm 2024 của xã?", "Xã thu được bao nhiêu tiền phí, lệ phí?"):
        cands, _ = _features(index, asked, [_hit(f"{tasks} {fees}", doc="money.txt")])
        assert [c.text for c in cands if not c.joined] == [fees], asked
    # Not for a count of something else, a percentage, or a question about when.
    for asked in ("Có bao nhiêu người được trả lương?", "Tỷ lệ kinh phí giải ngân là bao nhiêu?",
                  "Khi nào xã cắt giảm chi phí?", "Kế hoạch CCHC năm 2024 hoàn thành bao nhiêu nhiệm vụ?"):
        assert not Question.parse(asked).money, asked
    assert Question.parse("Thu nhập bình quân đầu người của thành phố?").money  # "23.562 $" answers it
    assert Question.parse("John Harvard để lại cho trường bao nhiêu tiền?").money  # "779 bảng Anh"
    # Typed without accents, "bao nhieu tien" comes back from the sample index as "bao nhiêu tiến".
    assert Question.parse("Kinh phí đánh cho Kế hoạch CCHC năm 2024 của xã la bao nhiêu tiến?").money


def test_a_tier_named_by_the_plural_or_a_bare_level_word(index):
    # "các xã, phường" asks about the commune tier, whatever place the question also names ("thị xã
    # Sơn Tây"); "bộ phận một cửa thị xã tiếp nhận" speaks of the district tier without "cấp".
    town = "Tại bộ phận một cửa thị xã tiếp nhận 1.261 hồ sơ, đúng hạn đạt 98,8%."
    communes = "Tại các xã, phường tiếp nhận 17.337 hồ sơ, đúng hạn đạt 99,6%."
    asked = "Tỷ lệ hồ sơ đúng hạn tại các xã, phường của thị xã Sơn Tây là bao nhiêu?"
    assert Question.parse(asked).tiers == {"xã"}
    cands, _ = _features(index, asked, [_hit(f"{town} {communes}", doc="st.txt")])
    assert [c.text for c in cands] == [communes]
    # A level word before a name names a place, not a tier; "xã hội" is no level at all.
    assert bare_tiers("Thị xã Sơn Tây có 15 xã, phường.") == {"xã"}
    assert bare_tiers("Thị xã Sơn Tây đẩy mạnh bảo hiểm xã hội.") == frozenset()
    assert bare_tiers("UBND huyện và Huyện ủy họp.") == {"huyện"}
    # The question names a place, not a tier: both stay.
    cands, _ = _features(index, "Thị xã Sơn Tây tiếp nhận bao nhiêu hồ sơ?", [_hit(f"{town} {communes}", doc="st.txt")])
    assert len([c for c in cands if not c.joined]) == 2


def test_a_sentence_about_the_other_end_of_a_ranking_is_no_candidate(index):
    top = "Đứng đầu là phường Xuân Khanh đạt 91/100 điểm, tiếp theo là các đơn vị phường Lê Lợi, Ngô Quyền."
    low = "Một số đơn vị còn đạt thấp như Kim Sơn, Sơn Đông, Phú Thịnh."
    both = "Phường Xuân Khanh cao nhất, phường Kim Sơn thấp nhất."
    hits = [_hit(f"{top} {low} {both}", doc="ranking.txt")]  # an article of its own, not the index's a.txt
    for asked, kept, dropped in (("Những đơn vị nào đạt điểm thấp?", low, top),
                                 ("Đơn vị nào đứng đầu bảng xếp hạng?", top, low)):
        texts = [c.text for c in _features(index, asked, hits)[0] if not c.joined]
        assert kept in texts and both in texts and dropped not in texts, asked
    # Not a "which" question, or no end of a ranking asked: every sentence stays.
    for asked in ("Điểm của phường Xuân Khanh có thấp không?", "Phường nào đạt 91 điểm?",
                  "Năm nào phường Xuân Khanh đứng đầu?"):
        assert len([c for c in _features(index, asked, hits)[0] if not c.joined]) == 3, asked


def test_a_sentence_giving_the_cause_is_also_offered_with_the_one_before():
    hit = _hit("Một số đơn vị còn đạt thấp như Kim Sơn, Sơn Đông, Phú Thịnh. Nguyên nhân chủ yếu là do các "
               "đơn vị gửi báo cáo chậm. Phường Xuân Khanh đứng đầu với 91 điểm trên tổng số 100 điểm.")
    joined = [c.text for c in candidates([hit]) if c.joined]
    assert joined == ["Một số đơn vị còn đạt thấp như Kim Sơn, Sơn Đông, Phú Thịnh. Nguyên nhân chủ yếu là do "
                      "các đơn vị gửi báo cáo chậm."]


def test_a_sentence_that_asks_is_marked(index):
    hits = [_hit("Người dân hỏi: bao giờ xã trả kết quả? Xã trả kết quả sau 3 ngày làm việc.")]
    cands, f = _features(index, "Bao giờ xã trả kết quả?", hits)
    asks = {c.text: f["asks"][i] for i, c in enumerate(cands) if not c.joined}
    assert asks == {"Người dân hỏi: bao giờ xã trả kết quả?": 1.0, "Xã trả kết quả sau 3 ngày làm việc.": 0.0}


def test_headline_and_novelty(index):
    title = "Huyện Bình Minh xây dựng trường học"
    hits = [_hit("Huyện Bình Minh xây dựng trường học. Huyện khánh thành 3 trường học mới với 45 tỷ đồng.",
                 doc="b.txt", title=title)]
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
    # A question of another kind through a model that prefers opening sentences gets one of those instead.
    answer = answer_question(index, "Huyện Bình Minh khánh thành trường học mới như thế nào?",
                             selector=_selector({"first": 5.0, "joined": -5.0}))
    assert answer.citations[0].start + answer.citations[0].quote_start == 0
    assert "3 trường học mới" not in answer.citations[0].quote
    # ... but not for a count: an opening sentence that gives no figure cannot answer it, whatever it scores.
    answer = answer_question(index, "Huyện Bình Minh khánh thành bao nhiêu trường học mới?",
                             selector=_selector({"first": 5.0, "joined": -5.0}))
    assert any(ch.isdigit() for ch in answer.citations[0].quote)


def test_found_follows_the_calibrated_confidence(index):
    question = "Huyện Bình Minh khánh thành bao nhiêu trường học mới?"
    sure = answer_question(index, question, selector=_selector({"coverage": 5.0}, threshold=0.5))
    never = answer_question(index, question, selector=_selector({"coverage": 5.0}, threshold=1.01))
    assert sure.found and not never.found
    assert never.text == qa.records.NOT_FOUND_TEXT and never.short is None
    assert never.confidence == pytest.approx(sure.confidence)


def test_a_place_the_question_sets_aside_is_not_where_the_answer_is_looked_for(index):
    # Stop 40's walkthrough: "Ngoài xã La Phù, còn ở đâu tổ chức phiên giải trình về cải cách hành chính nữa?" quoted the
    # La Phù article three times and was "not found" (0.49); "huyện Gia Lâm" was the answer.
    from qa.lexicon import plain_question, set_aside

    q = "Ngoài xã La Phù, còn ở đâu tổ chức phiên giải trình về cải cách hành chính nữa?"
    assert set_aside(q) == "xã La Phù"
    assert plain_question(q) == "còn ở đâu tổ chức phiên giải trình về cải cách hành chính nữa?"
    assert set_aside("Cho em hỏi ngoai xa La Phu, con noi nao to chuc?") == "xa La Phu"
    assert set_aside("Xã La Phù tổ chức phiên giải trình ở đâu?") is None
    here = _hit("Thường trực HĐND xã La Phù tổ chức phiên giải trình về cải cách hành chính.", doc="laphu.txt")
    there = _hit("Thường trực HĐND huyện Gia Lâm tổ chức phiên giải trình về cải cách hành chính.", doc="gialam.txt")
    _, cands, _ = candidate_features(index, q, [here, there])
    assert {c.hit.doc_id for c in cands} == {"gialam.txt"}
    _, cands, _ = candidate_features(index, "Còn ở đâu tổ chức phiên giải trình?", [here, there])
    assert {c.hit.doc_id for c in cands} == {"laphu.txt", "gialam.txt"}


def test_a_review_meeting_the_article_never_names_is_not_what_it_reports(index):
    # Stop 40's walkthrough: "Hội nghị sơ kết công tác CCHC 9 tháng năm 2024 của xã tổ chức vào ngày nào?" got the date
    # of a supervision visit ("... giám sát công tác CCHC năm 2023 và 9 tháng năm 2024") at 0.92.
    from qa.selector import meeting_unreported

    q = Question.parse("Hội nghị sơ kết công tác CCHC 9 tháng năm 2024 của xã tổ chức vào ngày nào?")
    visit = "Sáng ngày 22/11, Đoàn đã giám sát công tác CCHC năm 2023 và 9 tháng năm 2024 tại phường."
    review = "Ngày 11/7/2024, xã tổ chức Hội nghị sơ kết công tác CCHC 6 tháng đầu năm 2024."
    assert meeting_unreported(q, visit) and not meeting_unreported(q, review)
    assert not meeting_unreported(Question.parse("Đoàn giám sát làm việc ngày nào?"), visit)  # no meeting asked
    _, cands, _ = candidate_features(index, q.text, [_hit(visit, doc="visit.txt")])
    assert not cands


def test_what_an_abbreviation_stands_for_is_the_sentence_that_spells_it_out(index):
    # Stop 40's walkthrough: "CCHC là viết tắt của từ gì thế ạ?" was "not found" at 0.09, though three articles write
    # "cải cách hành chính (CCHC)"; the sentence that does was not among the first passages read.
    from qa.selector import defines
    from qa.shortanswer import abbreviation_asked

    assert abbreviation_asked("CCHC là viết tắt của từ gì thế ạ?") == "CCHC"
    assert abbreviation_asked("cchc là gì") == "cchc" and abbreviation_asked("Chữ UBND nghĩa là gì?") == "UBND"
    assert abbreviation_asked("Xã là gì?") is None and abbreviation_asked("CCHC năm 2023 đạt bao nhiêu điểm?") is None
    assert defines("CCHC", "Ban Chỉ đạo cải cách hành chính (CCHC) thị xã họp.") and defines("cchc", "(CCHC)")
    assert not defines("CCHC", "Công tác CCHC được quan tâm.")
    other = [_hit(f"Công tác CCHC của xã được quan tâm lần {n}.", doc=f"x{n}.txt", rank=n) for n in range(1, 7)]
    spelled = _hit("Ban Chỉ đạo cải cách hành chính (CCHC) thị xã tổ chức hội nghị.", doc="def.txt", rank=7)
    _, cands, _ = candidate_features(index, "CCHC là viết tắt của từ gì?", other + [spelled])
    assert [c.hit.doc_id for c in cands] == ["def.txt"]
    _, cands, _ = candidate_features(index, "Công tác CCHC được quan tâm ra sao?", other + [spelled])
    assert "def.txt" not in {c.hit.doc_id for c in cands}  # only five passages read otherwise


def test_a_question_about_the_article_itself_is_not_answered_with_its_content(index):
    # Stop 40's walkthrough: "Bài về phiên giải trình ở La Phù đăng ngày nào?" got the meeting's date at 0.90,
    # "Bài về hội nghị sơ kết ngày 11/7/2024 do ai viết?" the chair's name at 0.82. The date line and the byline
    # are metadata (shown with each citation), no sentence of the text.
    from qa.byline import about_the_article

    sure = _selector({"coverage": 5.0}, threshold=0.0)
    for asked in ("Bài viết về trường học mới ở huyện Bình Minh đăng ngày nào?", "Ai viết bài về huyện Bình Minh?",
                  "Bai viet ve huyen Binh Minh do ai viet", "Bài về huyện Bình Minh có bao nhiêu lượt xem?"):
        assert about_the_article(asked), asked
        answer = answer_question(index, asked, selector=sure)
        assert not answer.found and answer.confidence == 0.0 and answer.citations, asked
    assert answer_question(index, "Huyện Bình Minh khánh thành bao nhiêu trường học mới?", selector=sure).found
    for content in ("Ai viết bài hát Tiến quân ca?", "Ai là tác giả của Truyện Kiều?", "Xã đang làm gì?",
                    "Bài phát biểu khai mạc của ai?", "Hội nghị rút ra bài học gì?", "Phiên họp diễn ra ngày nào?",
                    "Theo bài viết, xã đang thực hiện mô hình gì từ ngày nào?"):
        assert not about_the_article(content), content


def test_no_quote_about_another_year(index):
    sure = _selector({"coverage": 5.0}, threshold=0.0)
    asked = answer_question(index, "Năm 2023 huyện Bình Minh khánh thành bao nhiêu trường học mới?", selector=sure)
    assert asked.found and asked.short == "3 trường học mới"
    # The article speaks of 2023 only: its sentence is not an answer about 2022, nor is its number.
    other = answer_question(index, "Năm 2022 huyện Bình Minh khánh thành bao nhiêu trường học mới?", selector=sure)
    assert "3 trường học mới" not in other.text and other.short != "3 trường học mới"


def test_min_confidence_overrides_the_threshold_and_leaves_the_confidence(index):
    question = "Huyện Bình Minh khánh thành bao nhiêu trường học mới?"
    picky = _selector({"coverage": 5.0}, threshold=1.01)  # would never call an answer found
    assert not answer_question(index, question, selector=picky).found
    lowered = answer_question(index, question, selector=picky, min_confidence=0.0)
    assert lowered.found and "3 trường học mới" in lowered.text
    raised = answer_question(index, question, selector=_selector({"coverage": 5.0}), min_confidence=1.0)
    assert not raised.found and raised.confidence == pytest.approx(lowered.confidence) and raised.confidence < 1.0
    # Through the index too, as the one-call API and the CLI pass it.
    assert not index.answer(question, min_confidence=1.0).found
    for bad in (-0.1, 1.5, "0.5", True, float("nan")):
        with pytest.raises(qa.InvalidArgumentError, match="min_confidence must be a number from 0 to 1"):
            answer_question(index, question, selector=picky, min_confidence=bad)


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


def test_candidates_that_say_the_same_agree():
    # Stop 32: "Ai là Chủ tịch UBND huyện Gia Lâm?" was "not found" at 0.47, its two best candidates
    # both naming the chairwoman: a close runner-up read as doubt.
    text = ("Ông Nguyễn Văn An, Chủ tịch UBND huyện Bình Minh, phát biểu khai mạc hội nghị. Kết luận hội "
            "nghị, Chủ tịch UBND huyện Nguyễn Văn An yêu cầu các xã khẩn trương. Ngắn thôi. Bà Lê Thị "
            "Bình, Phó Chủ tịch UBND huyện, báo cáo.")
    cands = candidates([_hit(text)])
    keys = answer_keys(Question.parse("Ai là Chủ tịch UBND huyện Bình Minh?"), cands)
    assert keys[0] & keys[1]  # two sentences, one name
    short, joined, last = (cands.index(c) for c in cands if c.text.startswith(("Ngắn", "Bà")))
    assert cands[joined].joined and keys[short] & keys[joined] and keys[joined] & keys[last]
    assert not keys[0] & keys[last] and not keys[short] & keys[last]

    # Stop 33: a headline repeated as a photo's caption is one sentence, not two rivals.
    twice = "Ban Pháp chế giám sát tại phường Quảng Cư\nĐoàn làm việc sáng 22/11.\nBan Pháp chế giám sát tại phường Quảng Cư."
    cands = candidates([_hit(twice)])
    keys = answer_keys(Question.parse("Ban Pháp chế giám sát tại phường Quảng Cư khi nào?"), cands)
    assert keys[0] & keys[-1] and not keys[0] & keys[1]


def test_agreeing_candidates_neither_narrow_the_margin_nor_take_the_share():
    scores = np.array([3.0, 2.9, 1.0])
    plain = pool_summary(scores)
    assert plain["margin"] == pytest.approx(0.1)
    agreed = pool_summary(scores, [frozenset({"a:0", "=an"}), frozenset({"a:80", "=an"}), frozenset({"a:160"})])
    assert agreed["margin"] == pytest.approx(2.0) and agreed["share"] > plain["share"] and agreed["top"] == 3.0
    assert pool_summary(scores, [frozenset({str(i)}) for i in range(3)]) == plain  # none agree: as without keys

    # A candidate chosen below the top (the ones above it cannot answer) is read against the whole pool: its
    # margin is negative and its share small.
    chosen = pool_summary(scores, None, 2)
    assert chosen["top"] == 1.0 and chosen["margin"] == pytest.approx(-2.0) and chosen["share"] < 0.15


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
    assert set(selector.calibration) == {"answerable", "top"}
    for stage in selector.calibration.values():
        assert {"bias", "top", "margin", "share"} <= set(stage)
        assert len(stage["features"]) == len(FEATURES)


def test_two_stage_confidence_is_the_product_of_its_stages():
    x = np.array([[1.0] + [0.0] * (len(FEATURES) - 1), [0.0] * len(FEATURES)])
    answerable = {"bias": 1.0, "top": 0.0, "margin": 0.0, "share": 0.0}
    top = {"bias": -0.5, "top": 0.0, "margin": 1.0, "share": 0.0}
    single = _selector({"cos": 1.0}, answerable)
    two = _selector({"cos": 1.0}, {"answerable": answerable, "top": top})
    other = _selector({"cos": 1.0}, top)
    assert two.confidence(x) == pytest.approx(single.confidence(x) * other.confidence(x))
    assert two.confidence(x) < min(single.confidence(x), other.confidence(x))


def test_a_number_led_by_the_same_word_contradicts_the_question(index):
    q = Question.parse("Xã La Phù nhận được bao nhiêu phiếu đánh giá năm 2022?")
    other = "Năm 2023, xã La Phù nhận được 2.354 phiếu đánh giá."
    same = "Năm 2022, xã La Phù nhận được 1.900 phiếu đánh giá, năm 2023 nhiều hơn."
    unled = "Xã La Phù nhận được 2.354 phiếu đánh giá."
    assert number_contradicted(q, other, other) == 1
    assert number_contradicted(q, same, same) == 0
    assert number_contradicted(q, unled, unled) == 0  # nothing said about a year: no contradiction
    # The article says the asked year elsewhere: the sentence may be about it.
    assert number_contradicted(q, other, f"Năm 2022 là năm khó khăn. {other}") == 0
    # ... but not when it names the asked year only as a point of comparison.
    for compared in ("tụt 10 bậc so với năm 2022", "tăng 5% so với cùng kỳ năm 2022", "so cùng kỳ năm 2022"):
        assert number_contradicted(q, other, f"Số hồ sơ {compared}. {other}") == 1, compared
    # A sentence that names the asked year only as its point of comparison gives another year's figure...
    ranked = "Năm 2023, xã La Phù xếp thứ 19, tụt 10 bậc so với năm 2022."
    assert number_contradicted(Question.parse("Xã La Phù xếp thứ mấy năm 2022?"), ranked, ranked) == 1
    # ... and a question's own point of comparison is not the year it asks about.
    compared = Question.parse("Năm 2023 xã La Phù tụt bao nhiêu bậc so với năm 2022?")
    assert compared.led_numbers == (("nam", "2023"),)
    assert number_contradicted(compared, ranked, ranked) == 0
    # A date given with and without its year is one date.
    date = Question.parse("Phiên họp diễn ra ngày 27/5 phải không?")
    assert date.led_numbers == (("ngay", "27/5"),)
    assert number_contradicted(date, "Sáng ngày 27/5/2022, phiên họp diễn ra.") == 0
    assert number_contradicted(date, "Ngày 28/5/2022 thì không.") == 1
    # Stop 29: a year named only in a quoted title or in a goal is not a year the article reports on.
    ranked = "Kết quả xếp loại của xã La Phù năm 2023, xếp thứ 19."
    q2024 = Question.parse("Năm 2024 xã La Phù xếp thứ mấy?")
    for elsewhere in ("Phiên giải trình “Giải pháp cải thiện vị trí xếp hạng của UBND xã năm 2024”.",
                      "UBND xã thực hiện các giải pháp nhằm nâng cao chỉ số và cải thiện vị trí xếp hạng năm 2024.",
                      "Xã phấn đấu năm 2024 tăng 5 bậc."):
        assert number_contradicted(q2024, ranked, f"{elsewhere} {ranked}") == 1, elsewhere
    assert number_contradicted(q2024, ranked, f"Năm 2024, xã xếp thứ 12. {ranked}") == 0


def test_a_place_in_a_ranking_asked_of_a_sentence_that_gives_none():
    # Stop 42's walkthrough: "Năm 2024 xã La Phù xếp thứ mấy về chỉ số cải cách hành chính?", which no article says,
    # got the meeting's title "... cải thiện vị trí xếp hạng của UBND xã năm 2024" at 0.64.
    from qa.selector import lacks_asked
    for q in (Question.parse("Năm 2024 xã La Phù xếp thứ mấy về chỉ số cải cách hành chính?"),
              Question.parse("La Phù đứng thứ bao nhiêu năm 2024")):
        assert lacks_asked(q, "Thường trực HĐND xã tổ chức phiên giải trình về cải thiện vị trí xếp hạng năm 2024.")
        assert lacks_asked(q, "Năm 2021, cấp huyện đã tiếp nhận và xử lý 27.866 hồ sơ TTHC.")  # a count, no place
        assert not lacks_asked(q, "Kết quả xếp loại chỉ số thủ tục hành chính năm 2023, xếp thứ 19, tụt 10 bậc.")
    session = Question.parse("Phiên giải trình diễn ra ngay sau kỳ họp thứ mấy?")
    assert not lacks_asked(session, "Phiên giải trình được tổ chức ngay sau Kỳ họp thứ 5 HĐND huyện.")


def test_a_count_asked_of_a_sentence_that_gives_no_figure():
    # Stop 42's walkthroughs: "Phường Kim Sơn đạt bao nhiêu điểm chỉ số CCHC?" got "Một số đơn vị còn đạt thấp như Kim
    # Sơn, ..." at 0.55; "... tiếp thu, giải trình ý kiến của bao nhiêu đại biểu HĐND xã?" a caption naming "các đại
    # biểu" at 0.71; "... theo quyết định số mấy?" a sentence naming no decision's number at 0.58.
    from qa.selector import gives_no_figure
    points = Question.parse("Phường Kim Sơn đạt bao nhiêu điểm chỉ số CCHC?")
    assert gives_no_figure(points, "Một số đơn vị còn đạt thấp như Kim Sơn, Sơn Đông, Phú Thịnh.")
    assert not gives_no_figure(points, "Đứng đầu là phường Xuân Khanh đạt 91/100 điểm.")
    people = Question.parse("Có tổng cộng bao nhiêu đại biểu tham dự hội nghị sơ kết ngày 11/7/2024?")
    assert gives_no_figure(people, "Ngày 11/7/2024, đ/c Lê Quốc Dũng chủ trì Hội nghị sơ kết CCHC 6 tháng đầu năm.")
    assert not gives_no_figure(people, "Hội nghị có chín đại biểu tham dự.")  # a figure in words
    assert not gives_no_figure(Question.parse("Bao nhiêu người đã tham gia các bang hội?"),
                               "Một số bang hội có hàng vạn thành viên.")
    months = Question.parse("Kế hoạch kéo dài bao nhiêu tháng?")  # a period asked is a figure
    assert not gives_no_figure(months, "Kế hoạch thực hiện trong 6 tháng đầu năm.")
    decision = Question.parse("UBND xã ban hành quy chế làm việc theo quyết định số mấy?")
    assert gives_no_figure(decision, "UBND xã đã ban hành quy chế làm việc của cơ quan.")
    assert not gives_no_figure(decision, "UBND xã ban hành Quyết định số 26/QĐ-UBND ngày 30/01/2024 về quy chế.")
    assert not gives_no_figure(Question.parse("Ai chủ trì hội nghị?"), "Chủ tịch UBND xã chủ trì.")  # a count only
    those = Question.parse("Huỳnh Mai, Hưng Nghĩa là gì thế, ai của mấy nơi đó dự hội nghị?")  # "mấy nơi đó": no count
    assert not gives_no_figure(those, "Tham dự có các đồng chí Trưởng thôn: Huỳnh Mai, Hưng Nghĩa.")
    rate = Question.parse("Xã Trung Mầu có tỷ lệ hồ sơ giải quyết đúng hạn là bao nhiêu?")  # "tỷ lệ", "1 cửa": no figure
    assert gives_no_figure(rate, "Kết quả giải quyết đúng hẹn đạt tỷ lệ cao; cán bộ tại Bộ phận 1 cửa có nhiều chuyển biến.")


def test_files_or_procedures_counted_of_a_sentence_that_counts_something_else():
    # Stop 43: "Tổng số hồ sơ thủ tục hành chính xã La Phù tiếp nhận trong năm 2023 là bao nhiêu?", which no article
    # gives, got the satisfaction survey's "2.354 phiếu" at 0.73; "thị xã công khai bao nhiêu TTHC?" a meeting's
    # opening sentence (a date, "6 tháng đầu năm") at 0.88.
    from qa.selector import gives_no_figure
    files = Question.parse("Tổng số hồ sơ thủ tục hành chính xã La Phù tiếp nhận trong năm 2023 là bao nhiêu?")
    survey = "Năm 2023, xã đã nhận 2.354 phiếu đánh giá sự hài lòng, đạt 48,5% tổng số thủ tục đã tiếp nhận."
    assert gives_no_figure(files, survey)
    assert not gives_no_figure(files, "Năm 2023, xã tiếp nhận 1.261 HS, giải quyết đúng hạn 100%.")  # "HS" is "hồ sơ"
    procedures = Question.parse("Tại hội nghị sơ kết, thị xã công khai bao nhiêu TTHC?")
    assert gives_no_figure(procedures, "Chiều ngày 5/7, thị xã tổ chức hội nghị sơ kết công tác CCHC 6 tháng đầu năm 2018.")
    assert not gives_no_figure(procedures, "Thị xã đã công khai 301 thủ tục hành chính.")
    rate = Question.parse("Tỷ lệ hồ sơ giải quyết đúng hạn là bao nhiêu phần trăm?")  # a rate: what it is of may go unsaid
    assert not gives_no_figure(rate, "Kết quả giải quyết đúng hạn đạt 99,6%.")
    # Points counted (stop 44's walkthrough: La Phù's ranking, which gives no score, at 0.72).
    points = Question.parse("Xã La Phù đạt bao nhiêu điểm chỉ số cải cách hành chính năm 2023?")
    assert gives_no_figure(points, "Kết quả xếp loại chỉ số TTHC của xã năm 2023, xếp thứ 19, tụt 10 bậc so với năm 2022.")
    assert not gives_no_figure(points, "Đứng đầu là phường Xuân Khanh đạt 91/100 điểm.")


def test_a_disease_or_the_years_motto_is_no_figure():
    # Stop 44's walkthrough: "... bao nhiêu cuộc kiểm tra ... năm 2021 và 4 tháng đầu năm 2022?" got the report's
    # opening sentence at 0.87: "Covid - 19" and the "năm" of "chủ đề công tác năm “...”" read as figures.
    from qa.selector import gives_no_figure
    q = Question.parse("Gia Lâm đã thực hiện bao nhiêu cuộc kiểm tra công tác CCHC trong năm 2021?")
    assert gives_no_figure(q, "Huyện tập trung phòng chống dịch Covid - 19, thực hiện chủ đề công tác năm “Kỷ cương”.")
    assert not gives_no_figure(q, "Huyện đã thực hiện năm cuộc kiểm tra.")  # "năm" before what it counts is five
    assert not gives_no_figure(q, "Huyện đã thực hiện 20 cuộc kiểm tra công tác CCHC.")
    assert gives_no_figure(q, "Chất lượng đội ngũ cán bộ ngày một nâng cao.")  # "ngày một": ever more
    # People counted may be counted by a rate (MLQA-vi: "Có bao nhiêu người ... sinh sống tại Bán đảo Thượng?", "3%
    # tổng dân số bang"): a rate is a figure.
    people = Question.parse("Có bao nhiêu người sinh sống tại Bán đảo Thượng?")
    assert not gives_no_figure(people, "Bán đảo chiếm 29% diện tích nhưng chỉ chiếm 3% tổng dân số bang.")


def test_a_body_asked_at_one_tier_is_not_named_at_another():
    # Stop 42's walkthrough: "Đại diện HĐND huyện về dự phiên giải trình ... ở La Phù là ai?" named the commune
    # council's chair at 0.70.
    from qa.selector import lacks_asked
    q = Question.parse("Đại diện HĐND huyện về dự phiên giải trình cải cách hành chính ở La Phù là ai?")
    assert lacks_asked(q, "Bà Nguyễn Thanh Bình - Chủ tịch HĐND xã phát biểu khai mạc phiên giải trình")
    assert not lacks_asked(q, "Bà Phạm Thị Nhung - Trưởng ban Pháp chế, HĐND huyện; đồng chí Lê Đức Phóng - Bí thư "
                              "Đảng uỷ xã đã tới dự.")
    both = Question.parse("Đại diện HĐND huyện và HĐND xã dự phiên giải trình là ai?")  # either tier will do
    assert not lacks_asked(both, "Bà Nguyễn Thanh Bình - Chủ tịch HĐND xã phát biểu khai mạc phiên giải trình")


def test_an_act_said_of_someone_named_is_not_asked():
    # Stop 42's walkthrough: "Đồng chí Bí thư Đảng ủy xã tham dự Hội nghị sơ kết ... do đồng chí Lê Quốc Dũng chủ trì
    # là ai?" dropped every sentence that chaired nothing, the answer with them ("not found" at 0.04).
    assert not Question.parse("Bí thư Đảng ủy xã dự hội nghị do đồng chí Lê Quốc Dũng chủ trì là ai?").acts
    assert Question.parse("Ai chủ trì hội nghị sơ kết?").acts == {"chu tri"}
    assert Question.parse("Ai kết luận phiên giải trình do HĐND tổ chức?").acts == {"ket luan"}


def test_a_quarter_not_over_when_the_article_was_written():
    # Stop 41's left-over: "Đến hết quý 3 năm 2024 xã hoàn thành bao nhiêu nhiệm vụ CCHC?" got the July report's
    # "đến nay ... 17/25 nhiệm vụ" at 0.89.
    from qa.selector import part_of_year
    so_far = "Về tiến độ thực hiện Kế hoạch CCHC năm 2024 của xã, đến nay xã hoàn thành 17/25 nhiệm vụ."
    for asked in ("Đến hết quý 3 năm 2024 xã hoàn thành bao nhiêu nhiệm vụ CCHC?", "Quý III/2024 xã hoàn thành mấy nhiệm vụ?"):
        assert part_of_year(Question.parse(asked), so_far, "2024-07-11"), asked
        assert not part_of_year(Question.parse(asked), so_far, "2024-10-05"), asked  # written after it
    assert not part_of_year(Question.parse("Quý 2 năm 2024 xã hoàn thành bao nhiêu nhiệm vụ?"), so_far, "2024-07-11")


def test_requests_of_the_fifth_round():
    # Stop 42's walkthrough: "... yêu cầu phường Quảng Cư phải làm gì?" read "phải" as whom the request was made to
    # (every sentence dropped, 0.00); "Chủ tịch UBND xã Đường Lâm yêu cầu bộ phận một cửa làm gì?", which no article
    # says, got the town chair's request ("Chủ tịch UBND thị xã ... đề nghị ...") at 0.72.
    from qa.selector import lacks_asked
    assert not Question.parse("Trưởng ban Pháp chế yêu cầu phường Quảng Cư phải làm gì?").whom
    commune = Question.parse("Chủ tịch UBND xã Đường Lâm yêu cầu bộ phận một cửa làm gì?")
    town = "Phát biểu chỉ đạo hội nghị, đ/c Chủ tịch UBND thị xã đề nghị Phòng Nội vụ hệ thống lại các công việc."
    assert lacks_asked(commune, "Văn phòng HĐND – UBND thị xã thực hiện kiểm soát TTHC.", before=town)
    assert not lacks_asked(Question.parse("Chủ tịch UBND thị xã yêu cầu Văn phòng làm gì?"),
                           "Văn phòng HĐND – UBND thị xã thực hiện kiểm soát TTHC.", before=town)


def test_a_target_asked_of_a_sentence_that_states_no_aim():
    # Stop 42's walkthrough: "Xã La Phù phấn đấu xếp thứ mấy ... năm 2024?" got the 2023 rank at 0.73, "... phấn đấu
    # hoàn thành bao nhiêu nhiệm vụ CCHC trong năm 2025?" a July 2024 report's "17/25 nhiệm vụ" at 0.56.
    from qa.selector import states_no_aim
    aim = Question.parse("Xã La Phù phấn đấu xếp thứ mấy về chỉ số cải cách hành chính năm 2024?")
    assert states_no_aim(aim, "Kết quả xếp loại chỉ số thủ tục hành chính năm 2023, xếp thứ 19, tụt 10 bậc.")
    assert not states_no_aim(aim, "Xã phấn đấu năm 2024 cải thiện vị trí xếp hạng.")
    cut = Question.parse("UBND phường đặt mục tiêu rút gọn thời gian thủ tục hành chính ít nhất bao nhiêu phần trăm?")
    assert not states_no_aim(cut, "UBND phường đã chỉ đạo rút gọn thời gian thủ tục hành chính tối thiểu 30%.")
    speech = Question.parse("Ông Lê Đức Phóng chỉ đạo xã phấn đấu đạt mục tiêu gì?")
    assert states_no_aim(speech, "Ông Lê Đức Phóng - HUV, Bí thư Đảng uỷ xã phát biểu chỉ đạo")
    later = Question.parse("Xã phấn đấu hoàn thành bao nhiêu nhiệm vụ CCHC trong năm 2025?")
    so_far = "Về tiến độ thực hiện Kế hoạch CCHC năm 2024 của xã, đến nay xã hoàn thành 17/25 nhiệm vụ, đạt 68% kế hoạch."
    assert states_no_aim(later, so_far, "2024-07-13") and not states_no_aim(later, so_far, "2026-01-05")
    assert not states_no_aim(Question.parse("Năm 2024 xã hoàn thành bao nhiêu nhiệm vụ?"), so_far, "2024-07-13")
    # No target: "cổ phần đầu tư" (folded, "phan dau"), "do ai đề ra" (found in the training pools' refit check).
    for asked in ("Ai là tổng giám đốc công ty cổ phần đầu tư và phát triển đô thị xanh?", "Học thuyết tam dân do ai đề ra?"):
        assert not states_no_aim(Question.parse(asked), "Ông Đào Ngọc Thanh là CEO của dự án Ecopark."), asked
    # A result asked of a year the sentence names only in a quoted title ("Kết quả xếp hạng ... năm 2024 thế nào?", 0.80).
    result = Question.parse("Kết quả xếp hạng chỉ số cải cách hành chính của xã La Phù năm 2024 thế nào?")
    title = "Chiều 06/5, HĐND xã tổ chức phiên giải trình “Giải pháp cải thiện vị trí xếp hạng của UBND xã năm 2024”."
    assert states_no_aim(result, title)
    assert not states_no_aim(Question.parse("Phiên giải trình về vị trí xếp hạng năm 2024 do ai tổ chức?"), title)
    assert not states_no_aim(Question.parse("La Phù tụt mấy bậc so với năm 2022?"),
                             "Xã La Phù năm 2023 xếp thứ 19, tụt 10 bậc so với năm 2022.")


def test_a_place_named_under_a_photo_only_is_not_what_the_article_reports_on():
    # Stop 42's walkthrough: "Xã Đường Lâm xây dựng bộ phận một cửa mới nhằm mục đích gì?", which no article says, got a
    # sentence on all of Sơn Tây at 0.87: the commune is named in a caption only.
    from qa.selector import other_place
    article = ("Sơ kết công tác cải cách hành chính 6 tháng năm 2018\nChiều ngày 5/7, Ban Chỉ đạo CCHC thị xã Sơn Tây "
               "tổ chức hội nghị sơ kết.\nĐoàn kiểm tra tại bộ phận tiếp nhận hồ sơ và trả kết quả xã Đường Lâm\n"
               "Phường Xuân Khanh đạt 91/100 điểm.")
    assert other_place(Question.parse("Xã Đường Lâm xây dựng bộ phận một cửa mới nhằm mục đích gì?"), article)
    assert not other_place(Question.parse("Phường Xuân Khanh đạt bao nhiêu điểm?"), article)


def test_checks_of_the_eighth_round():
    # Stop 42's walkthroughs: "... bắt đầu lúc mấy giờ ạ?" got a sentence giving the day only at 0.82; "Sau phần khai mạc,
    # ai trình bày báo cáo đề dẫn?" read "khai mạc" as the act asked (the opening speaker at 0.86); "Tính đến 31-12-2024
    # xã hoàn thành bao nhiêu ...?" got a July report's "đến nay ... 17/25" at 0.91; "chiều 6/5" did not agree with
    # the article's "06/5".
    from qa.selector import _agrees, lacks_asked, part_of_year
    hour = Question.parse("Hội nghị sơ kết ngày 11/7/2024 bắt đầu lúc mấy giờ ạ?")
    assert lacks_asked(hour, "Ngày 11/7/2024, tại Hội trường VHTT xã, đ/c Lê Quốc Dũng chủ trì Hội nghị sơ kết.")
    assert not lacks_asked(hour, "Hội nghị bắt đầu lúc 8 giờ sáng ngày 11/7/2024.")
    assert not Question.parse("Sau phần khai mạc, ai trình bày báo cáo đề dẫn?").acts
    until = Question.parse("Tính đến 31/12/2024 xã hoàn thành bao nhiêu nhiệm vụ?")
    so_far = "Về tiến độ thực hiện Kế hoạch CCHC năm 2024, đến nay xã hoàn thành 17/25 nhiệm vụ."
    assert part_of_year(until, so_far, "2024-07-13") and not part_of_year(until, so_far, "2025-01-13")
    assert _agrees("6/5", "06/5") and _agrees("1,261", "1.261") and _agrees("1261", "1.261") and _agrees("0.46", "0,46")
    assert not _agrees("1.261", "1.026") and not _agrees("6/5", "16/5")


def test_who_concluded_is_not_who_spoke():
    # Stop 35: "Ai phát biểu kết luận phiên giải trình về CCHC của huyện Gia Lâm?" was answered in six test
    # files with whoever spoke at the meeting ("... phát biểu tại phiên giải trình", 0.50-0.76).
    from qa.selector import lacks_asked
    from qa.text import strip_diacritics

    spoke = "Đồng chí Đặng Thị Huyền- Phó Bí thư Huyện ủy, Chủ tịch UBND huyện phát biểu tại phiên giải trình"
    concluded = ("Phó Bí thư Thường trực Huyện uỷ, Chủ tịch HĐND huyện Nguyễn Tiến Việt phát biểu kết luận",
                 "Kết luận phiên giải trình, đồng chí Nguyễn Tiến Việt nhấn mạnh: cần làm tốt hơn.")
    for asked in ("Ai phát biểu kết luận phiên giải trình về CCHC của huyện Gia Lâm?",
                  "Ai là người kết luận phiên giải trình?"):
        for q in (Question.parse(asked), Question.parse(strip_diacritics(asked))):
            assert lacks_asked(q, spoke)
            assert not any(lacks_asked(q, s) for s in concluded)
    chaired = Question.parse("Ai chủ trì hội nghị sơ kết?")
    assert lacks_asked(chaired, spoke)
    # Of two acts asked, one said will do (stop 40's walkthrough: "ai chủ trì kết luận buổi giám sát ở phường quảng cư"
    # lost every sentence, 0.00).
    both = Question.parse("Ai chủ trì kết luận buổi giám sát?")
    assert not lacks_asked(both, concluded[0]) and lacks_asked(both, spoke)
    assert not lacks_asked(chaired, "Đồng chí Đặng Vũ Nhật Thăng – Chủ tịch UBND thị xã chủ trì hội nghị.")
    # The report's presenter may be named without "trình bày"; and only a who question asks for the act.
    assert not lacks_asked(Question.parse("Ai trình bày báo cáo đề dẫn?"),
                           "Báo cáo đề dẫn tại phiên giải trình, bà Nguyễn Thị Ngoan - Phó Chủ tịch HĐND xã")
    assert not lacks_asked(Question.parse("Phiên giải trình kết luận những gì?"), spoke)


def test_what_someone_was_asked_to_do_is_not_where_they_were():
    # Stop 35: "Kết luận hội nghị ..., Chủ tịch UBND xã Lê Quốc Dũng đề nghị UBMTTQVN xã và các hội đoàn thể làm
    # gì?" got the meeting's opening sentence, which names him, at 0.80; "Chủ tịch UBND thị xã Sơn Tây ... giao
    # cho Phòng Nội vụ nhiệm vụ gì?" got the one opening "Ban Chỉ đạo cải cách hành chính thị xã tổ chức ...".
    from qa.selector import lacks_asked
    from qa.text import normalize

    opening = ("Ngày 11/7/2024, tại Hội trường VHTT xã, đ/c Lê Quốc Dũng – Chủ tịch UBND xã chủ trì Hội nghị sơ kết "
               "công tác cải cách hành chính.")
    steering = "Chiều ngày 5/7, Ban Chỉ đạo cải cách hành chính (CCHC) thị xã tổ chức hội nghị sơ kết."
    asked = ("Chủ tịch UBND xã Lê Quốc Dũng đề nghị UBMTTQVN xã và các hội đoàn thể làm gì?",
             "Chủ tịch UBND thị xã Sơn Tây giao cho Phòng Nội vụ nhiệm vụ gì?",
             "Cán bộ đầu mối được chỉ đạo làm gì?")
    requests = ("Đồng thời, đề nghị UBMTTQVN xã và các hội đoàn thể tăng cường công tác tuyên truyền.",
                "Phát biểu chỉ đạo hội nghị, đ/c Chủ tịch UBND thị xã đề nghị Phòng Nội vụ hệ thống lại các công việc.",
                "Đồng chí để nghị cán bộ đầu mối cần tiếp tục quan tâm chỉ đạo.")  # the article's own typo
    for question, request in zip(asked, requests, strict=True):
        q = Question.parse(normalize(question))
        assert lacks_asked(q, opening) and lacks_asked(q, steering), question
        assert not lacks_asked(q, request), (question, request)
    # A request to others is no answer either (stop 36's walkthroughs: "... Lê Quốc Dũng đề nghị Mặt trận và các
    # hội đoàn thể làm gì?" got, four times, "Kết luận hội nghị, Đồng chí Lê Quốc Dũng ... yêu cầu các ban ngành
    # ..."): the words of whom it was asked of are said, an abbreviation as its full form.
    q = Question.parse("Chủ tịch UBND xã Lê Quốc Dũng đề nghị Mặt trận và các hội đoàn thể làm gì?")
    assert not lacks_asked(q, requests[0])  # "UBMTTQVN" is "Ủy ban Mặt trận Tổ quốc Việt Nam"
    assert lacks_asked(q, "Kết luận hội nghị, Đồng chí Lê Quốc Dũng - Chủ tịch UBND xã yêu cầu các ban ngành nêu cao "
                          "vai trò, trách nhiệm của mình.")
    assert lacks_asked(Question.parse(normalize(asked[1])), requests[0])
    # A place is no one's name here: "các xã" were asked, xã Đường Lâm among them.
    assert not lacks_asked(Question.parse("UBND chỉ đạo xã Đường Lâm làm gì?"), "UBND thị xã chỉ đạo các xã.")
    # Not a question for a request: "giáo", "là gì".
    for question in ("Vai trò của Giáo hoàng Caius trong giáo hội là gì?", "Tên của một tòa nhà Phật giáo nổi tiếng là gì?"):
        assert not lacks_asked(Question.parse(question), opening)
    # A request goes on past its sentence, in the same paragraph (stop 36's walkthrough: "Ông Đặng Vũ Nhật Thăng
    # giao Văn phòng HĐND – UBND thị xã nhiệm vụ gì?" never got "Văn phòng HĐND – UBND thị xã thực hiện kiểm
    # soát TTHC, ...", which follows "đ/c Chủ tịch UBND thị xã đề nghị Phòng Nội vụ ...").
    q = Question.parse("Ông Đặng Vũ Nhật Thăng giao Văn phòng HĐND – UBND thị xã nhiệm vụ gì?")
    office = "Văn phòng HĐND – UBND thị xã thực hiện kiểm soát TTHC, đôn đốc Bộ phận 1 cửa thị xã."
    assert lacks_asked(q, office)
    # Stop 38 (the twenty-ninth walkthrough): "Bí thư Đảng ủy xã La Phù Lê Đức Phóng đã chỉ đạo những nội dung gì
    # ...?" was answered at 0.86 with a photo's caption, "Ông Lê Đức Phóng - HUV, Bí thư Đảng uỷ xã phát biểu chỉ
    # đạo": it says he gave directions, not which. "những nội dung gì" asks what was requested too.
    q = Question.parse("Bí thư Đảng ủy xã La Phù Lê Đức Phóng đã chỉ đạo những nội dung gì tại phiên giải trình?")
    assert q.request
    assert lacks_asked(q, "Ông Lê Đức Phóng - HUV, Bí thư Đảng uỷ xã phát biểu chỉ đạo")
    assert not lacks_asked(q, "Ông Lê Đức Phóng chỉ đạo: UBND xã cần nâng cao chỉ số cải cách hành chính.")
    assert not lacks_asked(q, office, "Phát biểu, đ/c Chủ tịch UBND thị xã đề nghị Phòng Nội vụ hệ thống lại. ")
    assert lacks_asked(q, office, "Ban Chỉ đạo cải cách hành chính thị xã tổ chức hội nghị. ")


def test_a_request_read_in_the_paragraph_before_the_sentence(index):
    text = ("Phát biểu chỉ đạo, đ/c Chủ tịch UBND thị xã đề nghị Phòng Nội vụ hệ thống lại các công việc. "
            "Văn phòng HĐND – UBND thị xã thực hiện kiểm soát TTHC.\nHội nghị kết thúc lúc 11 giờ.")
    cands, _ = _features(index, "Chủ tịch UBND thị xã giao Văn phòng HĐND – UBND thị xã nhiệm vụ gì?",
                         [_hit(text, doc="req.txt")])
    said = {c.text for c in cands}
    assert "Văn phòng HĐND – UBND thị xã thực hiện kiểm soát TTHC." in said
    assert "Hội nghị kết thúc lúc 11 giờ." not in said  # another paragraph, no request in it


def test_the_shipped_scorer_never_counts_the_asked_level_against_a_sentence():
    # Stop 35: fitted freely, level_match came out at -0.20, and the question set's "Bộ phận tiếp nhận và trả
    # kết quả thị xã Sơn Tây tiếp nhận bao nhiêu hồ sơ ...?" got the communes' 17.337 hồ sơ over the town
    # desk's 1.261. scripts/train_selector.py keeps both level weights to their sign (SIGNS).
    weights = dict(zip(FEATURES, Selector.load().weights, strict=True))
    assert weights["level_match"] >= 0 and weights["level_other"] <= 0


def test_a_paragraph_opening_on_a_year_frames_its_sentences():
    # Stop 35: "Năm 2017, tỷ lệ hồ sơ giải quyết đúng hạn tại bộ phận một cửa thị xã Sơn Tây đạt bao nhiêu?"
    # got 2018's "98.8%" at 0.87. Its sentence names no year, its paragraph opens "Trong 6 tháng đầu năm
    # 2018,", and the article names 2017 as the year of the ranking it announces.
    article = ("Hội nghị công bố xếp hạng chỉ số CCHC năm 2017 cho 15 xã, phường.\n"
               "Trong 6 tháng đầu năm 2018, công tác CCHC đạt nhiều kết quả. Tại bộ phận một cửa, hồ sơ giải "
               "quyết đúng hạn đạt tỷ lệ 98.8%.\n"
               "Năm 2018, xã đạt 90 điểm. Sang năm 2019, xã đạt 95 điểm.")
    sentence = "Tại bộ phận một cửa, hồ sơ giải quyết đúng hạn đạt tỷ lệ 98.8%."
    assert paragraph_year(article, article.index(sentence)) == "2018"
    assert paragraph_year(article, article.index("Hội nghị")) is None  # a paragraph that opens on no year
    assert paragraph_year(article, article.index("xã đạt 95")) is None  # one that moves on to another year
    assert paragraph_year(article, article.index("xã đạt 90")) == "2018"
    q2017 = Question.parse("Năm 2017, tỷ lệ hồ sơ giải quyết đúng hạn tại bộ phận một cửa đạt bao nhiêu?")
    assert number_contradicted(q2017, sentence, article) == 0  # the article names 2017: no contradiction...
    assert number_contradicted(q2017, sentence, article, "2018") == 1  # ... but the paragraph is about 2018
    opening = "Trong 6 tháng đầu năm 2018, công tác CCHC đạt nhiều kết quả."
    assert number_contradicted(q2017, opening, article, "2018") == 1
    q2018 = Question.parse("Năm 2018, tỷ lệ hồ sơ giải quyết đúng hạn tại bộ phận một cửa đạt bao nhiêu?")
    assert number_contradicted(q2018, sentence, article, "2018") == 0
    assert number_contradicted(q2017, "Năm 2017, tỷ lệ này đạt 97%.", article, "2018") == 0  # it says 2017 itself


def test_an_article_on_another_part_of_the_asked_year_is_no_source(index):
    # Stop 35: "Trong 6 tháng đầu năm 2022, cấp huyện Gia Lâm thu được bao nhiêu tiền phí, lệ phí?" got the
    # figure for "năm 2021 và 4 tháng đầu năm 2022" at 0.68.
    article = ("Năm 2021 và 4 tháng đầu năm 2022, cấp huyện thu được 545.180.000 đồng phí, lệ phí. "
               "So với 6 tháng đầu năm 2021, số hồ sơ tăng.")
    asked = "Trong 6 tháng đầu năm 2022, cấp huyện thu được bao nhiêu tiền phí, lệ phí?"
    assert other_period(Question.parse(asked), article)
    for kept in ("Trong 4 tháng đầu năm 2022, cấp huyện thu được bao nhiêu tiền phí, lệ phí?",
                 "Trong 04 tháng đầu năm 2022, cấp huyện thu được bao nhiêu tiền phí, lệ phí?",
                 "Năm 2022, cấp huyện thu được bao nhiêu tiền phí, lệ phí?",  # no part of a year asked
                 "Trong 6 tháng đầu năm 2023, cấp huyện thu được bao nhiêu tiền phí, lệ phí?"):  # nothing on 2023
        assert not other_period(Question.parse(kept), article), kept
    assert other_period(Question.parse("Trong 6 tháng cuối năm 2022, thu được bao nhiêu?"),
                        article.replace("4 tháng", "6 tháng"))  # the other half of the year
    assert not other_period(Question.parse("Trong 6 tháng năm 2022, thu được bao nhiêu?"),
                            article.replace("4 tháng", "6 tháng"))
    # "6 tháng đầu năm" with its year left to the text around it.
    elided = "Hội nghị sơ kết 6 tháng đầu năm. Xã tập trung cải cách hành chính 6 tháng cuối năm 2024."
    assert not other_period(Question.parse("Trong 6 tháng đầu năm 2024, xã làm gì?"), elided)
    assert other_period(Question.parse("Trong 9 tháng đầu năm 2024, xã làm gì?"), elided)
    # A half planned for is not reported on; a half not named is the one the article names elsewhere.
    half = ("Sơ kết công tác CCHC 6 tháng năm 2018.\nHội nghị sơ kết 6 tháng đầu năm 2018, triển khai nhiệm vụ "
            "6 tháng cuối năm. Trong 6 tháng, thị xã tiếp nhận 1.261 hồ sơ.")
    assert other_period(Question.parse("6 tháng cuối năm 2018, thị xã tiếp nhận bao nhiêu hồ sơ?"), half)
    assert not other_period(Question.parse("6 tháng đầu năm 2018, thị xã tiếp nhận bao nhiêu hồ sơ?"), half)
    assert not other_period(Question.parse("6 tháng năm 2018, thị xã tiếp nhận bao nhiêu hồ sơ?"), half)
    # With the article's date: a part of a year not over when it was published is planned for (stop 36's
    # walkthrough: "Trong 6 tháng cuối năm 2024, xã ... đã hoàn thành thêm bao nhiêu nhiệm vụ ...?" got the
    # first half's 17/25 at 0.79 from an article of July 2024); a period without its year is of that year.
    plan = ("Hội nghị sơ kết công tác CCHC 6 tháng đầu năm. Từ đó, đưa ra các giải pháp để tập trung hơn nữa công "
            "tác cải cách hành chính 6 tháng cuối năm 2024.")
    late = Question.parse("Trong 6 tháng cuối năm 2024, xã hoàn thành bao nhiêu nhiệm vụ?")
    assert not other_period(late, plan) and other_period(late, plan, "2024-07-13")
    assert not other_period(late, plan, "2025-01-10")  # by then the second half was over
    assert not other_period(Question.parse("Trong 6 tháng đầu năm 2024, xã làm gì?"), plan, "2024-07-13")
    # 6 months of 2021 named only as a point of comparison: the article reports on no part of 2021.
    assert not other_period(Question.parse("Trong 6 tháng đầu năm 2021, thu được bao nhiêu?"), article)
    assert not other_period(Question.parse("Trong 9 tháng năm 2021, thu được bao nhiêu?"), article)
    _, cands, _ = candidate_features(index, asked, [_hit(article, doc="period.txt")])
    assert cands == []
    cands, _ = _features(index, asked.replace("6 tháng", "4 tháng"), [_hit(article, doc="period.txt")])
    assert any("545.180.000" in c.text for c in cands)


def test_a_part_of_the_whole_year_asked_is_no_answer():
    # Stop 41's walkthrough: "Cả năm 2022 cấp huyện Gia Lâm tiếp nhận bao nhiêu hồ sơ TTHC?" got the figure for
    # "năm 2021 và 4 tháng đầu năm 2022" at 0.95, "Đến hết năm 2024 xã hoàn thành bao nhiêu nhiệm vụ ...?" the
    # "đến nay" of a July 2024 report at 0.97.
    from qa.selector import part_of_year
    whole = Question.parse("Cả năm 2022 cấp huyện Gia Lâm tiếp nhận bao nhiêu hồ sơ TTHC?")
    part = "Kết quả, giải quyết TTHC năm 2021 và 4 tháng đầu năm 2022, cấp huyện đã tiếp nhận 27.866 hồ sơ TTHC."
    assert part_of_year(whole, part)
    assert not part_of_year(whole, "Cấp huyện đã tiếp nhận 27.866 hồ sơ TTHC.", "2022-05-27")  # no period said
    assert not part_of_year(whole, "Năm 2022, cấp huyện đã tiếp nhận 30.000 hồ sơ TTHC.", "2023-01-20")
    assert not part_of_year(whole, "Trong 12 tháng năm 2022, cấp huyện tiếp nhận 30.000 hồ sơ.")
    so_far = "Về tiến độ thực hiện Kế hoạch CCHC năm 2024 của xã, đến nay xã hoàn thành 17/25 nhiệm vụ."
    assert part_of_year(Question.parse("Đến hết năm 2024 xã hoàn thành bao nhiêu nhiệm vụ?"), so_far, "2024-07-13")
    assert not part_of_year(Question.parse("Đến hết năm 2024 xã hoàn thành bao nhiêu nhiệm vụ?"), so_far, "2024-12-20")
    # No whole year asked: a part is what is asked, or the year is said as such.
    for kept in ("Năm 2022 cấp huyện tiếp nhận bao nhiêu hồ sơ?", "4 tháng đầu năm 2022 tiếp nhận bao nhiêu hồ sơ?"):
        assert not part_of_year(Question.parse(kept), part, "2022-05-27"), kept


def test_a_sentence_naming_no_portal_does_not_say_which_portal():
    # Stop 41's walkthrough: "... nộp hồ sơ dịch vụ công trực tuyến mức độ 3, 4 qua cổng thông tin nào?" (no
    # article says) got a sentence on questions about online services at 0.86.
    from qa.selector import lacks_asked
    general = ("Đáng chú ý, các câu hỏi liên quan đến việc thực hiện dịch vụ công trực tuyến mức độ 3, 4 của người "
               "dân; việc triển khai, ứng dụng công nghệ thông tin còn hạn chế; trang thiết bị chưa tốt.")
    portal = "Người dân nộp hồ sơ trực tuyến qua Cổng dịch vụ công của Thành phố."
    for asked in ("Người dân nộp hồ sơ trực tuyến qua cổng thông tin nào?", "Nguoi dan nop ho so qua cong thong tin nao?",
                  "Xã đăng tin trên trang web nào?"):
        q = Question.parse(asked)
        assert lacks_asked(q, general) and not lacks_asked(q, portal), asked
    assert not lacks_asked(Question.parse("Trang chính quyền điện tử chạy trên ứng dụng nào?"), "trên ứng dụng Zalo")
    assert not lacks_asked(Question.parse("Dịch vụ công nào được nộp nhiều nhất?"), general)  # "công" is no "cổng"


def test_what_a_figure_stands_for_is_the_sentence_that_gives_it():
    # Stop 41's walkthrough: "con số 1.261 là gì", "17/25 là gì?" were "not found" at 0.14-0.29.
    from qa.selector import figure_asked, gives
    assert figure_asked("con số 2.354 là gì?") == "2.354" and figure_asked("17/25 là gì?") == "17/25"
    assert figure_asked("48,5% là tỉ lệ của cái gì") == "48,5%" and figure_asked("20 cuộc kiểm tra là kiểm tra gì") == "20"
    for kept in ("Năm 2023 là gì?", "Xã đạt 99,9% là gì?", "Xã La Phù là gì?"):
        assert figure_asked(kept) is None, kept
    assert gives("2.354", "xã đã nhận được 2.354 phiếu") and not gives("2.354", "12.354 phiếu")
    assert gives("20", "Huyện đã thực hiện 20 cuộc kiểm tra") and not gives("20", "ngày 20/5, năm 2021, 2.200")


def test_the_passage_giving_a_figure_asked_about_is_read_wherever_it_ranks(index):
    # Stop 41's review: the passage found further down was added to those searched, but only the first five were read.
    other = [_hit(f"Xã tiếp nhận nhiều hồ sơ lần {n}.", doc=f"x{n}.txt", rank=n) for n in range(1, 7)]
    given = _hit("Tại bộ phận một cửa thị xã tiếp nhận 1.261 hồ sơ.", doc="fig.txt", rank=7)
    _, cands, _ = candidate_features(index, "con số 1.261 là gì?", other + [given])
    assert [c.hit.doc_id for c in cands] == ["fig.txt"]
    _, cands, _ = candidate_features(index, "Xã tiếp nhận bao nhiêu hồ sơ?", other + [given])
    assert "fig.txt" not in {c.hit.doc_id for c in cands}  # only five passages read otherwise


def test_since_when_is_answered_by_a_start():
    # Stop 41's walkthrough: "Ông Lê Quốc Dũng làm Chủ tịch UBND xã từ năm mô dợ?" got a meeting's date at 0.81.
    from qa.lexicon import plain_question
    from qa.selector import lacks_asked
    q = Question.parse(plain_question("Ông Lê Quốc Dũng làm Chủ tịch UBND xã từ năm mô dợ?"))
    assert lacks_asked(q, "Ngày 11/7/2024, đ/c Lê Quốc Dũng – Chủ tịch UBND xã chủ trì Hội nghị.")
    assert not lacks_asked(q, "Ông Lê Quốc Dũng giữ chức Chủ tịch UBND xã từ năm 2021.")
    assert not lacks_asked(Question.parse("Hội nghị diễn ra năm nào?"), "Ngày 11/7/2024, hội nghị diễn ra.")


def test_a_percentage_is_no_number_led_by_its_word():
    # Stop 41's walkthrough: "Tỷ lệ hồ sơ quá hạn không phẩy bốn sáu phần trăm ... là bao nhiêu hồ sơ?" (read as "quá
    # hạn 0,46%") lost its sentence ("quá hạn vẫn còn 0,46% (42 hồ sơ); ... quá hạn 26%"): "hạn 26%" contradicted it.
    q = Question.parse("Tỷ lệ hồ sơ quá hạn 0,46% ở phường Quảng Cư là bao nhiêu hồ sơ?")
    sentence = "Tỷ lệ hồ sơ quá hạn vẫn còn 0,46% (42 hồ sơ); tỷ lệ thực hiện nhiệm vụ quá hạn 26%."
    assert q.led_numbers == () and number_contradicted(q, sentence) == 0.0
    assert Question.parse("Năm 2023, xã xếp thứ mấy?").led_numbers == (("nam", "2023"),)


def test_a_figure_over_a_span_of_years_is_not_one_years():
    # Stop 40's walkthrough: "Năm 2023 xã tiếp nhận và giải quyết bao nhiêu hồ sơ trực tuyến ...?" got "Từ năm 2023
    # đến tháng 9/2024, ... 9036/9078 hồ sơ" at 0.81.
    from qa.selector import over_a_span
    span = "Từ năm 2023 đến tháng 9/2024, Bộ phận một cửa đã giải quyết đúng hạn và trước hạn 9036/9078 hồ sơ."
    one_year = Question.parse("Năm 2023 xã tiếp nhận và giải quyết bao nhiêu hồ sơ trực tuyến một phần và toàn trình?")
    assert over_a_span(one_year, span)
    assert over_a_span(one_year, "Từ đầu năm 2023 đến nay, phường giải quyết 9036 hồ sơ.")
    assert not over_a_span(one_year, "Năm 2023, phường giải quyết 5.000 hồ sơ.")
    for kept in ("Từ năm 2023 đến tháng 9/2024 phường giải quyết bao nhiêu hồ sơ?",  # the span asked
                 "Năm 2023 và 2024 phường giải quyết bao nhiêu hồ sơ?", "Năm 2024 phường giải quyết bao nhiêu hồ sơ?"):
        assert not over_a_span(Question.parse(kept), span), kept


def test_a_commune_asked_by_its_level_word_is_not_the_towns_desk():
    # Stop 40's walkthrough: "xã tiếp nhận giải quyết bao nhiêu hồ sơ trực tuyến một phần và toàn trình, ..." (the
    # commune of the Tuy Phước article, which calls itself "xã") got the town desk's 1.261 at 0.97.
    from qa.selector import other_tier
    town = "Tại bộ phận tiếp nhận và trả kết quả thị xã tiếp nhận 1.261 hồ sơ, đã giải quyết 1.026 hồ sơ."
    communes = "Tại các xã, phường tiếp nhận và trả kết quả 17.337 hồ sơ."
    own = "UBND xã tiếp nhận và giải quyết 673 hồ sơ trực tuyến một phần và toàn trình."
    for asked in ("xã tiếp nhận giải quyết bao nhiêu hồ sơ trực tuyến?", "Năm 2023 xã tiếp nhận bao nhiêu hồ sơ?",
                  "6 tháng đầu năm 2024, xã đạt bao nhiêu hồ sơ?"):
        q = Question.parse(asked)
        assert other_tier(q, town) and not other_tier(q, own), asked
        assert not other_tier(q, communes)  # "xã" may mean the tier ("Xã thu được bao nhiêu tiền phí?": "Cấp xã thu ...")
    # What is counted, the communes' own share, a named commune or the town itself: not this reading.
    for kept in ("Có bao nhiêu xã, phường được xếp hạng?", "thị xã tiếp nhận bao nhiêu hồ sơ?",
                 "số tthc thuộc thẩm quyền giải quyết của xã thị trấn là bao nhiêu", "xã hội hóa được bao nhiêu?"):
        assert not other_tier(Question.parse(kept), town), kept


def test_a_sentence_of_a_paragraph_about_another_year_is_no_candidate(index):
    article = ("Hội nghị công bố xếp hạng chỉ số CCHC năm 2017 cho 15 xã, phường.\n"
               "Trong 6 tháng đầu năm 2018, công tác CCHC đạt nhiều kết quả. Tại bộ phận một cửa, hồ sơ giải "
               "quyết đúng hạn đạt tỷ lệ 98.8%.")
    for year, kept in (("2017", False), ("2018", True)):
        q = f"Năm {year}, tỷ lệ hồ sơ giải quyết đúng hạn tại bộ phận một cửa đạt bao nhiêu?"
        cands, _ = _features(index, q, [_hit(article, doc="frame.txt")])
        assert any("98.8%" in c.text for c in cands) == kept, year


def test_a_sentence_giving_another_years_figure_is_no_candidate(index):
    # A second walkthrough (stop 26): a question about 2024 got the 2018 meeting's date at 0.93.
    q = "Xã La Phù nhận được bao nhiêu phiếu đánh giá năm 2022?"
    other = "Năm 2023, xã La Phù nhận được 2.354 phiếu đánh giá."
    same = "Năm 2022, xã La Phù nhận được 1.900 phiếu đánh giá, năm 2023 nhiều hơn."
    cands, _ = _features(index, q, [_hit(other, doc="x.txt"), _hit(same, doc="y.txt", rank=2)])
    assert [c.text for c in cands] == [same]
    # Only the other year's sentence: nothing is left, and the answer says the articles do not say.
    _, cands, _ = candidate_features(index, q, [_hit(other, doc="x.txt")])
    assert cands == []


def test_the_asked_office_is_named_or_contradicted(index):
    q = "Ai là Phó Chủ tịch HĐND xã?"
    assert Question.parse(q).roles == (("pho", "chu tich", "hdnd", "xa"),)
    chair = "Ông Lê Quốc Dũng, Chủ tịch UBND xã, chủ trì hội nghị."
    deputy = "Bà Nguyễn Thị Lệ, Phó Chủ tịch Hội đồng nhân dân xã, dự hội nghị."
    nobody = "Hội nghị diễn ra tại hội trường xã."
    cands, f = _features(index, q, [_hit(f"{chair} {deputy} {nobody}")])
    texts = [c.text for c in cands]
    assert (f["role_match"][texts.index(deputy)], f["role_other"][texts.index(deputy)]) == (1, 0)
    assert (f["role_match"][texts.index(chair)], f["role_other"][texts.index(chair)]) == (0, 1)
    assert (f["role_match"][texts.index(nobody)], f["role_other"][texts.index(nobody)]) == (0, 0)
    # Tone marks placed either way ("uỷ", "ủy") and an organ left out are still the same office.
    cands, f = _features(index, "Ai là Bí thư Đảng uỷ xã?", [_hit("Ông Lê Đức Phóng là Bí thư Đảng ủy xã.")])
    assert f["role_match"][0] == 1
    cands, f = _features(index, "Ai là Bí thư xã?", [_hit("Ông Lê Đức Phóng là Bí thư Đảng ủy xã.")])
    assert f["role_match"][0] == 1
    # Asked what, not who: the office named earlier in the sentence's paragraph (`role_before`, stop 36; its
    # weight is learnt, and came out negative).
    speech = ("Kết luận hội nghị, đồng chí Lê Quốc Dũng - Chủ tịch UBND xã yêu cầu các ban ngành nêu cao trách nhiệm. "
              "Ngoài ra, đề nghị UBMTTQVN xã tuyên truyền dịch vụ Chứng thực bản sao điện tử.\nHội nghị kết thúc.")
    cands, f = _features(index, "Chủ tịch UBND xã đề nghị Mặt trận tuyên truyền những dịch vụ nào?",
                         [_hit(speech, doc="speech.txt")])
    texts = [c.text for c in cands]
    said = texts.index("Ngoài ra, đề nghị UBMTTQVN xã tuyên truyền dịch vụ Chứng thực bản sao điện tử.")
    assert (f["role_match"][said], f["role_before"][said]) == (0, 1)
    assert (f["role_match"][0], f["role_before"][0]) == (1, 0)  # named in the sentence itself
    assert f["role_before"][texts.index("Hội nghị kết thúc.")] == 0  # another paragraph
    _, f = _features(index, "Ai là Chủ tịch UBND xã?", [_hit(speech, doc="speech.txt")])
    assert not f["role_before"].any()  # who holds it is said where the office is



def test_an_office_that_says_whose_figure_is_asked_is_no_sign(index):
    # Stop 37: "Kế hoạch CCHC của xã do đồng chí Lê Quốc Dũng làm Chủ tịch UBND đã hoàn thành bao nhiêu nhiệm vụ?"
    # once the office weighed more: the meeting's opening sentence, which names the office, instead of the
    # figure. The office counts for who, what someone did, and which place.
    opening = "Đồng chí Lê Quốc Dũng, Chủ tịch UBND xã chủ trì hội nghị."
    figure = "Đến nay xã hoàn thành 17/25 nhiệm vụ."
    hits = [_hit(f"{opening} {figure}")]
    _, f = _features(index, "Xã do đồng chí Lê Quốc Dũng làm Chủ tịch UBND đã hoàn thành bao nhiêu nhiệm vụ?", hits)
    assert not f["role_match"].any() and not f["role_other"].any() and not f["holder"].any()
    for asked in ("Ai là Chủ tịch UBND xã?", "Chủ tịch UBND xã đã làm gì?", "Những trưởng thôn nào dự hội nghị?"):
        _, f = _features(index, asked, hits)
        assert Question.parse(asked).roles and f["role_match"].any() + f["role_other"].any(), asked


def test_the_holder_of_the_asked_office(index):
    # Stop 29: "Ai là Chủ tịch UBND xã La Phù?" quoted the right sentence at 0.34 ("not found").
    q = "Ai là Chủ tịch UBND xã La Phù?"
    luan = "Ông Tạ Công Luận - Phó Bí thư Đảng uỷ, Chủ tịch UBND xã tiếp thu ý kiến của đại biểu."
    office = "Chủ tịch UBND xã chỉ đạo các ban, ngành."
    other = "Bà Đặng Thị Huyền - Chủ tịch UBND huyện phát biểu."
    cands, f = _features(index, q, [_hit(f"Phiên giải trình ở xã La Phù. {luan} {office} {other}", doc="x.txt")])
    texts = [c.text for c in cands]
    assert f["holder"][texts.index(luan)] == 1
    assert f["holder"][texts.index(office)] == 0  # the office, but nobody named in it
    assert other not in texts  # another tier's UBND: no candidate (stop 42; before, no holder)
    # An article that never names La Phù: its Chủ tịch UBND xã may be any commune's.
    cands, f = _features(index, q, [_hit(f"Phiên giải trình về cải cách hành chính. {luan}", doc="y.txt")])
    assert len(cands) and f["holder"].max() == 0
    # Stop 34: nor a company's officer for another company's, named in one word ("Vinhomes"): one-word names
    # escaped `Question.names`, and "Ai là tổng giám đốc ...?" asked of any paragraph naming a "Tổng giám
    # đốc" counted as holder (26 of the training script's off-topic pools).
    assert named_bodies("Ai là tổng giám đốc công ty cổ phần Vinhomes") == ("vinhomes",)
    assert named_bodies("Ai là Chủ tịch UBND xã La Phù?") == ()  # the office's words; "La Phù" is a name
    # Stop 38: the office of the person asked of ("Ông Tạ Công Luận là ai?", "... giữ chức vụ gì?") is the
    # answer itself too.
    for asked in ("Ông Tạ Công Luận là ai?", "Tạ Công Luận giữ chức vụ gì?"):
        cands, f = _features(index, asked, [_hit(f"Phiên giải trình ở xã La Phù. {luan} {office}", doc="z.txt")])
        texts = [c.text for c in cands]
        assert f["holder"][texts.index(luan)] == 1 and f["holder"][texts.index(office)] == 0, asked
    ceo = "Ông Nguyễn Văn An - Tổng giám đốc công ty {} phát biểu tại hội nghị."
    for company, holder in (("Sunhouse", 0), ("Vinhomes", 1)):
        cands, f = _features(index, "Ai là tổng giám đốc công ty Vinhomes?", [_hit(ceo.format(company), doc="ceo.txt")])
        assert f["holder"].max() == holder, company


def test_training_questions_are_not_the_held_out_ones():
    """scripts/data/sample-train.jsonl trains the selector; the files in tests/data/ measure it."""
    from pathlib import Path

    from qa.evaluate import contains, read_jsonl_questions
    from qa.text import normalize

    root = Path(__file__).resolve().parent.parent
    train = read_jsonl_questions(root / "scripts" / "data" / "sample-train.jsonl")
    held = [q for name in ("questions.jsonl", "heldout.jsonl", "rule-checks.jsonl", "walkthrough-checks.jsonl",
                           "walkthrough-checks-2.jsonl", "walkthrough-checks-3.jsonl",
                           "walkthrough-checks-4.jsonl", "walkthrough-checks-5.jsonl",
                           "walkthrough-checks-6.jsonl", "walkthrough-checks-7.jsonl",
                           "walkthrough-checks-8.jsonl", "walkthrough-checks-9.jsonl",
                           "walkthrough-checks-10.jsonl", "walkthrough-checks-11.jsonl",
                           "walkthrough-checks-12.jsonl", "walkthrough-checks-13.jsonl",
                           "walkthrough-checks-14.jsonl", "walkthrough-checks-15.jsonl",
                           "walkthrough-checks-16.jsonl", "walkthrough-checks-17.jsonl",
                           "walkthrough-checks-18.jsonl", "walkthrough-checks-19.jsonl",
                           "walkthrough-checks-20.jsonl", "walkthrough-checks-21.jsonl",
                           "walkthrough-checks-22.jsonl", "walkthrough-checks-23.jsonl",
                           "walkthrough-checks-24.jsonl", "walkthrough-checks-25.jsonl",
                           "walkthrough-checks-26.jsonl", "walkthrough-checks-27.jsonl",
                           "walkthrough-checks-28.jsonl", "walkthrough-checks-29.jsonl",
                           "walkthrough-checks-30.jsonl", "walkthrough-checks-31.jsonl",
                           "walkthrough-checks-32.jsonl", "walkthrough-checks-33.jsonl",
                           "walkthrough-checks-34.jsonl", "walkthrough-checks-35.jsonl",
                           "walkthrough-checks-36.jsonl", "walkthrough-checks-37.jsonl",
                           "walkthrough-checks-38.jsonl", "walkthrough-checks-39.jsonl",
                           "walkthrough-checks-40.jsonl", "walkthrough-checks-41.jsonl",
                           "walkthrough-checks-42.jsonl", "walkthrough-checks-43.jsonl",
                           "walkthrough-checks-44.jsonl", "walkthrough-checks-45.jsonl",
                           "walkthrough-checks-46.jsonl", "walkthrough-checks-47.jsonl",
                           "walkthrough-checks-48.jsonl", "walkthrough-checks-49.jsonl",
                           "walkthrough-checks-50.jsonl", "walkthrough-checks-51.jsonl",
                           "walkthrough-checks-52.jsonl", "walkthrough-checks-53.jsonl",
                           "walkthrough-checks-54.jsonl", "walkthrough-checks-55.jsonl",
                           "walkthrough-checks-56.jsonl", "walkthrough-checks-57.jsonl",
                           "walkthrough-checks-58.jsonl", "walkthrough-checks-59.jsonl",
                           "walkthrough-checks-60.jsonl", "walkthrough-checks-61.jsonl",
                           "walkthrough-checks-62.jsonl", "walkthrough-checks-63.jsonl",
                           "walkthrough-checks-64.jsonl", "walkthrough-checks-65.jsonl",
                           "walkthrough-checks-66.jsonl", "walkthrough-checks-67.jsonl",
                           "walkthrough-checks-68.jsonl", "walkthrough-checks-69.jsonl",
                           "walkthrough-checks-70.jsonl", "walkthrough-checks-71.jsonl",
                           "walkthrough-checks-72.jsonl", "walkthrough-checks-73.jsonl",
                           "walkthrough-checks-74.jsonl", "walkthrough-checks-75.jsonl",
                           "walkthrough-checks-76.jsonl", "walkthrough-checks-77.jsonl",
                           "walkthrough-checks-78.jsonl", "walkthrough-checks-79.jsonl",
                           "walkthrough-checks-80.jsonl", "walkthrough-checks-81.jsonl",
                           "walkthrough-checks-82.jsonl", "walkthrough-checks-83.jsonl",
                           "walkthrough-checks-84.jsonl", "walkthrough-checks-85.jsonl",
                           "walkthrough-checks-86.jsonl", "walkthrough-checks-87.jsonl",
                           "walkthrough-checks-88.jsonl", "walkthrough-checks-89.jsonl",
                           "walkthrough-checks-90.jsonl", "walkthrough-checks-91.jsonl",
                           "walkthrough-checks-92.jsonl", "walkthrough-checks-93.jsonl",
                           "walkthrough-checks-94.jsonl", "walkthrough-checks-95.jsonl",
                           "walkthrough-checks-96.jsonl", "walkthrough-checks-97.jsonl",
                           "walkthrough-checks-98.jsonl", "walkthrough-checks-99.jsonl",
                           "walkthrough-checks-100.jsonl", "walkthrough-checks-101.jsonl",
                           "walkthrough-checks-102.jsonl", "walkthrough-checks-103.jsonl",
                           "walkthrough-checks-104.jsonl", "walkthrough-checks-105.jsonl",
                           "walkthrough-checks-106.jsonl", "walkthrough-checks-107.jsonl",
                           "walkthrough-checks-108.jsonl", "walkthrough-checks-109.jsonl",
                           "walkthrough-checks-110.jsonl", "walkthrough-checks-111.jsonl",
                           "walkthrough-checks-112.jsonl", "walkthrough-checks-113.jsonl",
                           "walkthrough-checks-114.jsonl", "walkthrough-checks-115.jsonl",
                           "walkthrough-checks-116.jsonl", "walkthrough-checks-117.jsonl",
                           "walkthrough-checks-118.jsonl", "walkthrough-checks-119.jsonl",
                           "walkthrough-checks-120.jsonl", "walkthrough-checks-121.jsonl",
                           "walkthrough-checks-122.jsonl", "walkthrough-checks-123.jsonl", "walkthrough-checks-124.jsonl",
                           "walkthrough-checks-125.jsonl", "walkthrough-checks-126.jsonl", "walkthrough-checks-127.jsonl",
                           "walkthrough-checks-128.jsonl", "walkthrough-checks-129.jsonl", "walkthrough-checks-130.jsonl",
                           "walkthrough-checks-131.jsonl", "walkthrough-checks-132.jsonl", "walkthrough-checks-133.jsonl",
                           "walkthrough-checks-134.jsonl", "walkthrough-checks-135.jsonl", "walkthrough-checks-136.jsonl",
                           "walkthrough-checks-137.jsonl", "walkthrough-checks-138.jsonl", "walkthrough-checks-139.jsonl",
                           "walkthrough-checks-140.jsonl", "walkthrough-checks-141.jsonl", "walkthrough-checks-142.jsonl",
                           "walkthrough-checks-143.jsonl", "walkthrough-checks-144.jsonl", "walkthrough-checks-145.jsonl",
                           "walkthrough-checks-146.jsonl", "walkthrough-checks-147.jsonl", "walkthrough-checks-148.jsonl",
                           "walkthrough-checks-149.jsonl", "walkthrough-checks-150.jsonl")
            for q in read_jsonl_questions(root / "tests" / "data" / name)]
    assert {normalize(q.question) for q in train}.isdisjoint({normalize(q.question) for q in held})
    held_answers = {(q.doc_id, normalize(a)) for q in held for a in q.answers}
    assert not [q.question for q in train for a in q.answers if (q.doc_id, normalize(a)) in held_answers]
    for q in train:  # every answer is quoted from its article
        if q.answers:
            assert contains((root / "corpus" / q.doc_id).read_text(encoding="utf-8"), q.answers), q.question
    assert sum(not q.answers for q in train) >= 20  # on-topic and off-topic questions the articles do not answer


def test_a_question_without_its_mark_asks():
    # Stop 30: "Tên khai sinh thời nhỏ của Bác Hồ là gì ." (a search phrase in a snippet) was quoted at
    # 0.96 as the answer to that very question.
    from qa.selector import asks
    assert asks("Tên khai sinh thời nhỏ của Bác Hồ là gì .")
    assert asks("Cha của Nguyễn Du là ai")
    assert not asks("Tuy nhiên, ông Vladimir Putin không công bố cô dâu tương lai của ông có thể là ai .")
    assert not asks("Xã trả kết quả sau 3 ngày làm việc.")


def test_an_article_reporting_on_other_years_gives_no_candidate(index):
    # Stop 30: "Trong 6 tháng đầu năm 2024, bao nhiêu hồ sơ trực tuyến ... xã tiếp nhận?" found a rival in a
    # 2018 report whose sentence "tiếp nhận 1.261 hồ sơ" says no year, and fell to "not found" (0.45).
    from qa.selector import other_year
    q = Question.parse("Trong 6 tháng đầu năm 2024, xã tiếp nhận bao nhiêu hồ sơ?")
    report_2018 = "Sơ kết 6 tháng đầu năm 2018. Thị xã tiếp nhận 1.261 hồ sơ."
    assert other_year(q, report_2018)
    assert other_year(q, report_2018, "2018-07-05")
    assert not other_year(q, report_2018, "2024-07-13")  # published in the asked year: it may report on it
    assert not other_year(q, "Xã tiếp nhận 673 hồ sơ.")  # says no year: nothing to go by
    assert not other_year(q, "Năm 2024, xã tiếp nhận 673 hồ sơ, năm 2023 ít hơn.")
    # A year in a goal or a quoted title is no report on it; one compared with is not either.
    assert other_year(q, "Năm 2023 xã tiếp nhận 500 hồ sơ, nhằm cải thiện xếp hạng năm 2024.")
    assert not other_year(Question.parse("Xã tiếp nhận bao nhiêu hồ sơ?"), report_2018)  # no year asked
    _, cands, _ = candidate_features(index, "Trong 6 tháng đầu năm 2024, thị xã tiếp nhận bao nhiêu hồ sơ?",
                                     [_hit(report_2018, doc="year.txt")])
    assert cands == []


def test_a_passage_about_elsewhere_is_skipped_for_the_next_one(index):
    # Stop 36: a question naming a place, whose top passages came from other places' articles, was
    # answered among those five only; the asked place's passage, sixth, was never read.
    others = [_hit(f"Năm 2023, xã La Phù tiếp nhận {n} hồ sơ.", doc=f"x{n}.txt", rank=n) for n in range(1, 6)]
    asked = _hit("Năm 2023, huyện Gia Lâm tiếp nhận 9.078 hồ sơ.", doc="gl.txt", rank=6)
    cands, _ = _features(index, "Năm 2023, huyện Gia Lâm tiếp nhận bao nhiêu hồ sơ?", others + [asked])
    assert [c.hit.doc_id for c in cands] == ["gl.txt"]
    # Five passages are still read at most, and `passages=None` reads them all.
    _, cands, _ = candidate_features(index, "Năm 2023 tiếp nhận bao nhiêu hồ sơ?", others + [asked])
    assert {c.hit.doc_id for c in cands} == {h.doc_id for h in others}
    _, cands, _ = candidate_features(index, "Năm 2023 tiếp nhận bao nhiêu hồ sơ?", others + [asked], None)
    assert {c.hit.doc_id for c in cands} == {h.doc_id for h in others + [asked]}


def test_a_place_named_without_its_level_takes_the_level_an_article_gives_it():
    # Stop 36's walkthrough: "... trên địa bàn Gia Lâm có ... bao nhiêu thủ tục hành chính ...?" was read
    # in the articles on a ward and a commune.
    articles = ["Thường trực HĐND huyện Gia Lâm tổ chức phiên giải trình.", "UBND phường Quảng Cư báo cáo."]
    q = with_bare_places(Question.parse("Trên địa bàn Gia Lâm có bao nhiêu thủ tục hành chính?"), articles)
    assert q.places == {("huyen", "gia lam")}
    # A name no article gives a level, and a province or city (called many ways), stay names.
    assert not with_bare_places(Question.parse("Ông Lê Anh Quân nói gì?"), articles).places
    city = ["UBND thành phố Sầm Sơn chỉ đạo phường Quảng Cư."]
    assert not with_bare_places(Question.parse("Sầm Sơn có bao nhiêu phường?"), city).places
    # Stop 43's walkthrough: typed in lower case or opening the question, and no level: a place too ("la phù thu phí lệ
    # phí bao nhiêu" got the Gia Lâm communes' fees at 0.81); beside a place named, no other run is read as one.
    articles = ["Thường trực HĐND xã La Phù tổ chức phiên giải trình.", "Cấp xã thu phí, lệ phí 1.386.718.000 đồng."]
    assert with_bare_places(Question.parse("la phù thu phí lệ phí bao nhiêu"), articles).places == {("xa", "la phu")}
    assert with_bare_places(Question.parse("La Phù thu phí bao nhiêu?"), articles).places == {("xa", "la phu")}
    slip = ["Phiên giải trình của HĐND huyện Gia Lâm\nSáng ngày 27/5/2022, ..."]  # "Gia Lâm Sáng", across the line
    q = with_bare_places(Question.parse("Ai kết luận phiên giải trình của huyện Gia Lâm sáng 27/5/2022?"), slip)
    assert q.places == {("huyen", "gia lam")}


def test_a_place_typed_in_lower_case_after_its_level_is_written_as_an_article_writes_it():
    # Stop 39's walkthrough: "xã trung mầu giải quyết bao nhiêu hồ sơ tthc" (no article gives the commune's
    # figure) was answered with the district's 27.866 at 0.81: the place, in lower case, was not read.
    articles = ["Đại biểu xã Trung Mầu giải trình các ý kiến.\nMột số đơn vị còn đạt thấp như Kim Sơn, Sơn Đông."]
    assert (recased_places("xã trung mầu giải quyết bao nhiêu hồ sơ tthc", articles)
            == "xã Trung Mầu giải quyết bao nhiêu hồ sơ tthc")
    assert recased_places("phường kim sơn được bao nhiêu điểm", articles) == "phường Kim Sơn được bao nhiêu điểm"
    q = Question.parse(recased_places("xã trung mầu giải quyết bao nhiêu hồ sơ", articles))
    assert q.places == {("xa", "trung mau")}
    # Only after a level word, only names an article capitalises, and a capitalised question is left as typed.
    assert recased_places("trung mầu giải quyết bao nhiêu hồ sơ", articles) == "trung mầu giải quyết bao nhiêu hồ sơ"
    assert recased_places("xã giải quyết bao nhiêu hồ sơ", articles) == "xã giải quyết bao nhiêu hồ sơ"
    assert recased_places("Xã Trung Mầu đạt mấy điểm?", articles) == "Xã Trung Mầu đạt mấy điểm?"
    assert recased_places("xã trung mầu đạt mấy điểm", []) == "xã trung mầu đạt mấy điểm"
    # "bản" and "ấp" are other words too.
    assert recased_places("văn bản luật đất đai quy định gì", ["Theo Luật Đất đai năm 2024."]) == (
        "văn bản luật đất đai quy định gì")


def test_a_sentence_on_what_the_article_gives_for_another_year_is_no_candidate(index):
    # Stop 36: "Phường Xuân Khanh đạt bao nhiêu điểm chỉ số CCHC năm 2018?" got "... xếp hạng chỉ số CCHC
    # ..., đứng đầu là phường Xuân Khanh đạt 91/100 điểm" at 0.84; the article, on 2018's first half,
    # gives that index for 2017.
    article = ("Thị xã tổ chức hội nghị sơ kết công tác cải cách hành chính 6 tháng đầu năm 2018 và công bố "
               "xếp hạng chỉ số CCHC áp dụng cho 15 xã, phường trên địa bàn năm 2017.\n"
               "Về xếp hạng chỉ số CCHC, đứng đầu là phường Xuân Khanh đạt 91/100 điểm.")
    sentence = article.split("\n")[1]
    for asked, other in (("Phường Xuân Khanh đạt bao nhiêu điểm chỉ số CCHC năm 2018?", True),
                         ("Phường Xuân Khanh đạt bao nhiêu điểm chỉ số cải cách hành chính năm 2018?", True),
                         ("Phường Xuân Khanh đạt bao nhiêu điểm chỉ số CCHC năm 2017?", False),
                         ("Năm 2018, phường Xuân Khanh đạt bao nhiêu điểm?", False),  # nothing the year is of
                         # A year the question opens on is the year of what it ends on (stop 40's walkthrough:
                         # 91/100 at 0.85 for 2018).
                         ("Năm 2018 phường Xuân Khanh đạt bao nhiêu điểm chỉ số CCHC?", True),
                         ("Năm 2017 phường Xuân Khanh đạt bao nhiêu điểm chỉ số CCHC ạ?", False),
                         # ... and a year inside the question, of what the question ends on, too.
                         ("Phường Xuân Khanh năm 2018 được bao nhiêu điểm chỉ số CCHC?", True),
                         ("Phường Xuân Khanh năm 2017 được bao nhiêu điểm chỉ số CCHC?", False),
                         # Points of an abbreviated field are its index's ("điểm CCHC": stop 43's walkthrough,
                         # 91/100 at 0.81 for 2018).
                         ("phường Xuân Khanh năm 2018 được bao nhiêu điểm CCHC", True),
                         ("phường Xuân Khanh năm 2017 được bao nhiêu điểm CCHC", False),
                         ("Phường Xuân Khanh đạt bao nhiêu điểm chỉ số CCHC?", False)):
        assert other_thing_year(Question.parse(asked), sentence, article) == other, asked
    # A sentence not naming the thing, or naming the asked year, is left to the other rules.
    q = Question.parse("Phường Xuân Khanh đạt bao nhiêu điểm chỉ số CCHC năm 2018?")
    assert not other_thing_year(q, "Phường Xuân Khanh đạt 91/100 điểm.", article)
    assert not other_thing_year(q, sentence + " Năm 2018 cũng vậy.", article)
    # A year after "về" or "theo" is the year of what they open (stop 36's twenty-third walkthrough: "Ai đang là
    # Chủ tịch UBND huyện Gia Lâm vào thời điểm diễn ra phiên giải trình năm 2022?" lost every sentence naming the
    # session, "phiên họp giải trình về công tác CCHC trên địa bàn huyện Gia Lâm năm 2021").
    session = ("Thường trực HĐND huyện tổ chức phiên họp giải trình về công tác CCHC trên địa bàn huyện năm 2021. "
               "Bà Đặng Thị Huyền, Chủ tịch UBND huyện, phát biểu tại phiên giải trình.")
    asked = Question.parse("Ai là Chủ tịch UBND huyện vào thời điểm diễn ra phiên giải trình năm 2022?")
    assert not other_thing_year(asked, session.split(". ")[1], session)
    # A year given only as a point of comparison is not the thing's year.
    compared = "Chỉ số CCHC của xã năm 2023 xếp thứ 19, tụt 10 bậc so với năm 2022."
    assert not other_thing_year(Question.parse("Chỉ số CCHC năm 2022 của xã xếp thứ mấy?"), compared, compared)
    _, cands, _ = candidate_features(index, "Phường Xuân Khanh đạt bao nhiêu điểm chỉ số CCHC năm 2018?",
                                     [_hit(article, doc="rank.txt")])
    assert not any("91/100" in c.text for c in cands)
    cands, _ = _features(index, "Phường Xuân Khanh đạt bao nhiêu điểm chỉ số CCHC năm 2017?",
                         [_hit(article, doc="rank.txt")])
    assert any("91/100" in c.text for c in cands)


def test_a_paraphrase_counts_as_the_question_s_words(index):
    # Stop 36: "... bao nhiêu hồ sơ nộp qua mạng?" is answered by "... giải quyết 673 hồ sơ trực tuyến ...",
    # which shared neither word with it; "online" and "DVC" too.
    from qa.selector import _coverage

    idf, abbreviations = index.statistics
    q = Question.parse("Xã nhận bao nhiêu hồ sơ nộp qua mạng?")
    said = "Xã tiếp nhận và giải quyết 673 hồ sơ trực tuyến."
    plain = "Xã tiếp nhận và giải quyết 673 hồ sơ."
    assert _coverage(q, said, idf, abbreviations)[0] > _coverage(q, plain, idf, abbreviations)[0]
    online = Question.parse("Xã nhận bao nhiêu hồ sơ online?")
    assert _coverage(online, said, idf, abbreviations)[0] > _coverage(online, plain, idf, abbreviations)[0]
    dvc = Question.parse("Huyện tiếp nhận bao nhiêu hồ sơ DVC mức độ 3, 4?")
    full = "Huyện tiếp nhận 4.037 HS dịch vụ công mức độ 3, 4."
    assert _coverage(dvc, full, idf, abbreviations)[0] > _coverage(dvc, "Huyện tiếp nhận 4.037 HS mức độ 3, 4.",
                                                                  idf, abbreviations)[0]


def test_a_sentence_naming_no_tier_speaks_of_its_article_s():
    # Stop 36's walkthrough: "... tỷ lệ hồ sơ ... ở cấp huyện Tuy Phước đạt bao nhiêu phần trăm?" got the
    # commune's "... đúng thời hạn, trước hạn đạt 99,9%" at 0.90: the article speaks of a commune only.
    from qa.selector import other_tier

    commune = ("Tại Hội trường VHTT xã, Chủ tịch UBND xã chủ trì hội nghị. Các Trưởng thôn dự.\n"
               "Song song đó, kết quả giải quyết thủ tục hành chính đúng hạn đạt 99,9%.")
    sentence = commune.split("\n")[1]
    asked = Question.parse("Tỷ lệ hồ sơ giải quyết đúng hạn ở cấp huyện Tuy Phước đạt bao nhiêu phần trăm?")
    assert other_tier(asked, sentence, commune)
    assert not other_tier(asked, sentence)  # without the article, nothing to go by
    assert not other_tier(Question.parse("Tỷ lệ hồ sơ giải quyết đúng hạn ở cấp xã đạt bao nhiêu?"), sentence, commune)
    both = commune + "\nUBND huyện chỉ đạo các xã."
    assert not other_tier(asked, sentence, both)  # an article speaking of the district too


def test_a_sentence_naming_only_the_asked_office_agrees_with_its_holder(index):
    # Stop 39: "Trưởng ban Pháp chế HĐND thành phố là ai?" quoted "... đồng chí Lê Ngọc Khanh, ..., Trưởng ban
    # Pháp chế HĐND thành phố ..." at 0.44 ("not found"): "Đồng chí Trưởng ban Pháp chế yêu cầu ..." took its share.
    q = "Trưởng ban Pháp chế HĐND thành phố là ai?"
    holder = "Phát biểu kết luận, đồng chí Lê Ngọc Khanh, Trưởng ban Pháp chế HĐND thành phố đánh giá cao kết quả."
    unnamed = "Đồng chí Trưởng ban Pháp chế yêu cầu phường phát huy những kết quả đạt được."
    other = "Bà Đặng Thị Huyền - Chủ tịch UBND huyện phát biểu."
    hits = [_hit(holder, doc="x.txt"), _hit(unnamed, doc="x.txt", start=200, rank=2), _hit(other, doc="x.txt", start=400, rank=3)]
    parsed, cands, x = candidate_features(index, q, hits)
    keys = answer_keys(parsed, cands, x)
    texts = [c.text for c in cands]
    assert keys[texts.index(holder)] & keys[texts.index(unnamed)]
    assert not keys[texts.index(holder)] & keys[texts.index(other)]
    # Without a named holder in the pool, the office alone agrees with nothing.
    parsed, cands, x = candidate_features(index, q, [_hit(unnamed, doc="y.txt"), _hit(other, doc="y.txt", start=200, rank=2)])
    assert not any("@holder" in k for k in answer_keys(parsed, cands, x))


def test_an_article_that_never_names_the_person_asked_of(index):
    # Stop 39 (walkthrough 59): "Đồng chí Lê Ngọc Khanh đề nghị tăng cường công tác tuyên truyền nhằm mục đích gì?"
    # quoted Lê Anh Quân's request in another article, which never names Lê Ngọc Khanh (0.63).
    from qa.selector import named_people, other_person
    q = Question.parse("Đồng chí Lê Ngọc Khanh đề nghị tăng cường tuyên truyền nhằm mục đích gì?")
    said = "Đồng chí Lê Ngọc Khanh phát biểu kết luận. Tăng cường tuyên truyền để người dân hiểu rõ hơn."
    other = "Đồng chí Lê Anh Quân đề nghị tăng cường tuyên truyền để nâng cao nhận thức."
    people = named_people(q, [said, other])
    assert people == {"le ngoc khanh"} and other_person(people, other) and not other_person(people, said)
    assert named_people(q, [other]) == frozenset()  # named nowhere (misspelt?): every article may answer
    assert named_people(Question.parse("Phường Lê Lợi đạt bao nhiêu điểm?"), [said]) == frozenset()  # a place
    cands, _ = _features(index, q.text, [_hit(said, doc="khanh.txt"), _hit(other, doc="quan.txt")])
    assert cands and {c.hit.doc_id for c in cands} == {"khanh.txt"}


def test_a_body_written_out_names_no_one():
    # Stop 39: "Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam xã ... là ai?" read "Việt Nam" as a name the answer must
    # say and "Chủ tịch" of any body as the office asked (the article writes "CT UBMTTQVN").
    from qa.lexicon import bodies_short, roles_of
    q = "Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam xã tham dự hội nghị là ai?"
    assert bodies_short(q) == "Chủ tịch UBMTTQVN xã tham dự hội nghị là ai?"
    assert bodies_short("Phó Chủ tịch Uỷ  ban nhân dân huyện") == "Phó Chủ tịch UBND huyện"
    parsed = Question.parse(q)
    assert parsed.names == () and parsed.bodies == () and parsed.roles == (("", "chu tich", "mttq", "xa"),)
    assert roles_of("đ/c Nguyễn Thanh Tuyền- CT UBMTTQVN") == [("", "chu tich", "mttq", "")]
    assert roles_of("Phó Chủ tịch Mặt trận Tổ quốc huyện") == [("pho", "chu tich", "mttq", "huyen")]
    assert Question.parse("Ai là Chủ tịch nước Việt Nam?").names == ("viet nam",)  # a name where no body is written


def test_a_year_typed_without_nam_is_a_year():
    from qa.selector import other_year
    # Stop 39 (walkthrough 61): "xã tiếp nhận giải quyết bao nhiêu hồ sơ trực tuyến 6 tháng đầu 2024" read no year,
    # so the 2018 article's "1.261 hồ sơ" was answered at 0.88.
    q = Question.parse("xã tiếp nhận giải quyết bao nhiêu hồ sơ trực tuyến 6 tháng đầu 2024")
    assert ("nam", "2024") in q.led_numbers
    assert other_year(q, "Trong 6 tháng đầu năm 2018, thị xã tiếp nhận 1.261 hồ sơ.")
    assert Question.parse("Cuối 2023 xã đạt bao nhiêu điểm?").led_numbers == (("nam", "2023"),)
    assert ("nam", "2023") not in Question.parse("Xã đạt 2023 điểm?").led_numbers  # a figure, not a year


def test_who_gave_the_directing_address_is_not_who_opened_the_session():
    from qa.selector import lacks_asked as lacks
    # Stop 43's walkthrough: "Ai phát biểu chỉ đạo tại phiên giải trình ...?" got who opened it ("phát biểu khai mạc"), 0.66.
    q = Question.parse("Ai phát biểu chỉ đạo tại phiên giải trình của xã La Phù?")
    assert lacks(q, "Bà Nguyễn Thanh Bình - Chủ tịch HĐND xã phát biểu khai mạc phiên giải trình")
    assert not lacks(q, "Ông Lê Đức Phóng - HUV, Bí thư Đảng uỷ xã phát biểu chỉ đạo")


def test_what_a_named_person_said_is_not_what_another_said():
    # Stop 43's walkthrough: "Ông Lê Đức Phóng phát biểu chỉ đạo những nội dung gì ...?" got bà Nguyễn Thị Ngoan's words at
    # 0.56; a sentence naming no one ("Đ/c nhấn mạnh ...") may be the one asked of.
    from qa.selector import said_by_another
    q = Question.parse("Ông Lê Đức Phóng phát biểu chỉ đạo những nội dung gì tại phiên giải trình xã La Phù?")
    assert said_by_another(q, "Báo cáo đề dẫn, bà Nguyễn Thị Ngoan - Phó Chủ tịch HĐND xã nhấn mạnh: Việc tổ chức ...")
    assert not said_by_another(q, "Ông Lê Đức Phóng - HUV, Bí thư Đảng uỷ xã phát biểu chỉ đạo")
    assert not said_by_another(q, "Đ/c nhấn mạnh CCHC là nhiệm vụ chính trị quan trọng hàng đầu.")
    assert not said_by_another(Question.parse("Ai phát biểu chỉ đạo tại phiên giải trình?"),
                               "Bà Nguyễn Thị Ngoan nhấn mạnh: ...")  # who asked: any name may answer
    assert not said_by_another(Question.parse("Phường Quảng Cư đạt những kết quả gì?"), "Bà Nguyễn Thị Ngoan nói ...")


def test_a_rate_asked_of_files_on_time_is_not_a_rate_of_something_else():
    # Stop 43's walkthrough: "Tỷ lệ hồ sơ ... giải quyết đúng hạn của xã La Phù năm 2023 ...?", which no article gives,
    # got the survey forms' "đạt 48,5% tổng số thủ tục" at 0.82.
    from qa.selector import rate_of_another
    q = Question.parse("Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn của xã La Phù năm 2023 đạt bao nhiêu phần trăm?")
    assert rate_of_another(q, "Năm 2023, xã đã nhận 2.354 phiếu đánh giá, đạt 48,5% tổng số thủ tục đã tiếp nhận.")
    assert not rate_of_another(q, "Tỷ lệ giải quyết hồ sơ đúng hẹn đạt 100%.")  # "đúng hẹn" is "đúng hạn"
    online = Question.parse("Tỉ lệ thanh toán trực tuyến đạt bao nhiêu phần trăm?")
    assert rate_of_another(online, "Đến nay xã hoàn thành 17/25 nhiệm vụ, đạt 68% kế hoạch.")
    assert not rate_of_another(Question.parse("Xã hoàn thành bao nhiêu phần trăm kế hoạch?"),
                               "Đến nay xã hoàn thành 17/25 nhiệm vụ, đạt 68% kế hoạch.")  # no qualifier asked
    # ... and files counted (stop 44's walkthrough: "bao nhiêu hồ sơ thanh toán trực tuyến", which no article gives,
    # got "673 hồ sơ trực tuyến" at 0.80 and the overdue "42 hồ sơ" at 0.82).
    paid = Question.parse("tuy phước bao nhiêu hồ sơ thanh toán trực tuyến")
    assert rate_of_another(paid, "Xã đã tiếp nhận và giải quyết 673 hồ sơ trực tuyến.")
    assert rate_of_another(Question.parse("số hồ sơ thanh toán trực tuyến"), "Phường còn 42 hồ sơ quá hạn.")
    assert not rate_of_another(Question.parse("Xã tiếp nhận bao nhiêu hồ sơ nộp qua mạng?"),
                               "Xã đã tiếp nhận và giải quyết 673 hồ sơ trực tuyến.")  # "qua mạng" is "trực tuyến"
    assert not rate_of_another(Question.parse("Xã tiếp nhận bao nhiêu hồ sơ?"), "Xã tiếp nhận 673 hồ sơ trực tuyến.")
    # Said of a figure: in a clause that gives one (0.70 for the overdue "42 hồ sơ", the sentence saying elsewhere that
    # "việc thanh toán trực tuyến chưa được thực hiện").
    online = Question.parse("Phường Quảng Cư tiếp nhận và giải quyết bao nhiêu hồ sơ trực tuyến toàn trình?")
    assert rate_of_another(online, "Tỷ lệ hồ sơ quá hạn vẫn còn 0,46% (42 hồ sơ); việc thanh toán trực tuyến chưa được thực hiện.")
    both = Question.parse("Số hồ sơ số hóa ở phường mới đạt bao nhiêu, với lại thanh toán trực tuyến đã có chưa?")
    assert not rate_of_another(both, "Số hồ sơ số hóa mới đạt khoảng 30%; việc thanh toán trực tuyến chưa được thực hiện.")


def test_a_commune_typed_in_lower_case_that_no_article_names_is_a_place():
    # Stop 43's walkthroughs: "xã kiêu kỵ nhận được bao nhiêu phiếu ...", "... huyện hoài đức ..." got La Phù's
    # figures at 0.54-0.91. Two syllables the articles never write.
    from qa.selector import with_unknown_places
    unigrams = {"tổ": 23, "chức": 38, "nhận": 25, "được": 43, "đông": 1, "anh": 3, "thực": 52, "hiện": 50, "kết": 9,
                "kim": 1}
    bigrams = {"tổ chức": 20, "thực hiện": 40, "nhận được": 10}
    for asked, place in (("cho em hỏi xã kiêu kỵ nhận được bao nhiêu phiếu", ("xa", "kieu ky")),
                         ("huyện hoài đức năm 2023 xếp thứ mấy", ("huyen", "hoai duc"))):
        assert with_unknown_places(Question.parse(asked), unigrams, bigrams).places == {place}, asked
    for asked in ("xã tổ chức hội nghị ngày nào", "huyện thực hiện bao nhiêu cuộc kiểm tra",  # the articles' words
                  "huyện đông anh có bao nhiêu tthc", "xã kim chung xếp thứ mấy",  # written: not known as a place
                  "xã trả kết quả sau mấy ngày",  # a verb: one syllable written
                  "cấp phường xin cấp bao nhiêu hồ sơ",  # a tier
                  "phường Quảng Cư còn bao nhiêu hồ sơ",  # a place named already
                  "Bí thư Đảng ủy xã tôi tên là gì", "xã là ai"):  # a pronoun, a question word
        q = Question.parse(asked)
        assert with_unknown_places(q, unigrams, bigrams).places == q.places, asked


def test_a_day_asked_is_not_answered_by_a_sentence_naming_none():
    # Stop 44's walkthrough: "Xã phải hoàn thành toàn bộ 25 nhiệm vụ ... trước ngày nào?", which no article says, got
    # "đến nay xã hoàn thành 17/25 nhiệm vụ" at 0.97 ("17/25" read as a day).
    from qa.selector import gives_no_day
    q = Question.parse("Xã phải hoàn thành toàn bộ 25 nhiệm vụ của kế hoạch CCHC 2024 trước ngày nào?")
    assert gives_no_day(q, "Đến nay xã hoàn thành 17/25 nhiệm vụ, đạt 68% kế hoạch đề ra.")
    assert not gives_no_day(q, "Ngày 11/7/2024, Chủ tịch UBND xã chủ trì hội nghị.")
    assert not gives_no_day(q, "Xã phải hoàn thành trước ngày 30 hằng tháng.")
    assert not gives_no_day(Question.parse("Xã đạt chuẩn khi nào?"), "Xã hoàn thành 17/25 nhiệm vụ.")  # no day asked


def test_a_year_asked_is_not_answered_by_a_sentence_naming_none():
    # Stop 44's walkthrough: "Xếp hạng ... được công bố ở hội nghị Sơn Tây là kết quả của năm nào?" quoted the ranking
    # sentence, which names no year (0.57); the meeting's opening says "năm 2017".
    from qa.selector import gives_no_day
    q = Question.parse("Xếp hạng chỉ số CCHC của 15 xã, phường được công bố ở hội nghị Sơn Tây là kết quả của năm nào?")
    assert gives_no_day(q, "Về công bố xếp hạng chỉ số CCHC, đứng đầu là phường Xuân Khanh đạt 91/100 điểm.")
    assert not gives_no_day(q, "Thị xã công bố xếp hạng chỉ số CCHC áp dụng cho 15 xã, phường trên địa bàn năm 2017.")


def test_a_document_dated_is_asked_since_when_without_since():
    # Stop 44's walkthrough: "Quyết định số 26/QĐ-UBND ... có từ ngày nào?" lost the sentence giving "ngày 30/01/2024"
    # for saying no "từ" (0.00).
    from qa.selector import lacks_asked
    q = Question.parse("Quyết định số 26/QĐ-UBND về mô hình Hành chính phục vụ người dân có từ ngày nào?")
    assert not lacks_asked(q, "Thực hiện Mô hình theo Quyết định số 26/QĐ-UBND ngày 30/01/2024 của UBND xã.")
    since = Question.parse("Ông Tạ Công Luận làm Chủ tịch từ năm nào?")
    assert lacks_asked(since, "Ngày 11/7/2024, ông Tạ Công Luận chủ trì hội nghị.")


def test_what_was_done_follows_the_sentence_opening_on_its_topic():
    # Stop 44's walkthrough: "Phường Quảng Cư đã triển khai những việc gì để xây dựng chính quyền điện tử ...?" quoted
    # the opening "Về xây dựng và phát triển Chính quyền điện tử, ..." alone at 0.81; the list is the next sentence.
    from qa.selector import with_details_after
    hit = _hit("Về xây dựng và phát triển Chính quyền điện tử, Chính quyền số, hạ tầng công nghệ thông tin cơ bản đáp ứng "
               "được yêu cầu triển khai ứng dụng. Việc xử lý hồ sơ được thực hiện trên môi trường điện tử; đã hướng dẫn "
               "Nhân dân cài đặt chữ ký số, VNeID.")
    cands = [c for c in candidates([hit]) if not c.joined]
    done = Question.parse("Phường đã triển khai những việc gì để xây dựng chính quyền điện tử?")
    assert with_details_after(done, cands[0]).text.endswith("cài đặt chữ ký số, VNeID.")
    assert with_details_after(Question.parse("Hạ tầng có đáp ứng yêu cầu không?"), cands[0]) is cands[0]
    assert with_details_after(done, cands[1]) is cands[1]  # no topic opening


def test_a_plan_asked_of_a_period_to_come_is_read():
    # Stop 44's walkthrough: "Chủ tịch UBND xã đề nghị UBMTTQVN xã ... làm gì trong 6 tháng cuối năm 2024?" lost every
    # sentence (0.00): a July 2024 article does not report on the second half of 2024, but it says what is planned.
    from qa.selector import other_period
    article = "Hội nghị sơ kết 6 tháng đầu năm, triển khai nhiệm vụ 6 tháng cuối năm 2024. Đề nghị các hội tăng cường tuyên truyền."
    asked = Question.parse("Chủ tịch UBND xã đề nghị các hội đoàn thể làm gì trong 6 tháng cuối năm 2024?")
    assert not other_period(asked, article, "2024-07-12")
    assert other_period(Question.parse("6 tháng cuối năm 2024 xã tiếp nhận bao nhiêu hồ sơ?"), article, "2024-07-12")


def test_a_place_named_by_its_path_is_its_most_local_one():
    # Stop 44's walkthrough: "xã La Phù, huyện Hoài Đức ..." was "not found" (0.00) in the La Phù article, which names no
    # district; a commune no article names is still elsewhere.
    from qa.selector import other_place
    article = "Chiều 06/5, Thường trực HĐND xã La Phù tổ chức phiên giải trình. Huyện Gia Lâm có 434 TTHC."
    assert not other_place(Question.parse("Xã La Phù, huyện Hoài Đức năm 2023 xếp thứ mấy?"), article)
    assert other_place(Question.parse("Xã Kim Chung, huyện Hoài Đức năm 2023 xếp thứ mấy?"), article)
    assert not other_place(Question.parse("Chủ tịch UBND huyện Gia Lâm, thành phố Hà Nội là ai?"), article)


def test_who_attended_is_not_answered_by_a_sentence_naming_no_one():
    # Stop 44's walkthrough: "Những ai đã tới dự phiên giải trình ...?" quoted the session's opening sentence (0.74).
    from qa.selector import attendance_unnamed
    q = Question.parse("Những ai đã tới dự phiên giải trình về chỉ số cải cách hành chính của xã La Phù chiều 06/5?")
    assert attendance_unnamed(q, "Chiều 06/5, Thường trực HĐND xã La Phù tổ chức phiên giải trình.")
    assert not attendance_unnamed(q, "Bà Phạm Thị Nhung - Trưởng ban Pháp chế, HĐND huyện đã tới dự.")
    assert not attendance_unnamed(q, "Dự phiên giải trình có lãnh đạo UBND huyện và Chủ tịch HĐND xã.")  # an office
    leaders = Question.parse("Phiên giải trình về CCHC của huyện Gia Lâm năm 2022 có những lãnh đạo nào dự?")
    assert attendance_unnamed(leaders, "Sáng ngày 27/5/2022, Thường trực HĐND huyện đã tổ chức phiên họp giải trình.")
    assert not attendance_unnamed(Question.parse("Phiên giải trình diễn ra khi nào?"), "Sáng ngày 27/5/2022, ...")


def test_a_reason_is_the_sentence_before_what_follows_from_it():
    # Stop 44's walkthrough: "Tại sao HĐND huyện Gia Lâm lại chọn vấn đề CCHC để giải trình?" quoted "Chính vì thế, HĐND
    # Huyện lựa chọn vấn đề này để giải trình ..." alone (0.58); the reason, "còn đứng thứ hạng thấp", is before it.
    from qa.selector import with_reason_before
    hit = _hit("Công tác CCHC của Huyện còn đứng thứ hạng thấp. Chính vì thế, HĐND Huyện lựa chọn vấn đề này để "
               "giải trình.\nVì vậy, xã tổ chức hội nghị.")
    cands = [c for c in candidates([hit]) if not c.joined]
    joined = with_reason_before(cands[1])
    assert joined.text == ("Công tác CCHC của Huyện còn đứng thứ hạng thấp. Chính vì thế, HĐND Huyện lựa chọn vấn đề "
                           "này để giải trình.") and joined.joined
    assert with_reason_before(cands[0]) is cands[0]  # no consequence
    assert with_reason_before(cands[2]) is cands[2]  # the sentence before is another paragraph's


def test_a_year_dated_by_its_month_is_no_result_year():
    # Stop 44's walkthrough: "... phiên giải trình ... ở La Phù tháng 5 năm 2024 có bao nhiêu đại biểu ...?" lost the
    # answer (0.00) since the sentence names 2024 only in an aim ("cải thiện vị trí xếp hạng năm 2024").
    from qa.selector import states_no_aim
    sentence = "Chủ tịch UBND xã tiếp thu ý kiến của 9 đại biểu, nhằm cải thiện vị trí xếp hạng năm 2024."
    dated = Question.parse("Tại phiên giải trình tháng 5 năm 2024 có bao nhiêu đại biểu trao đổi ý kiến?")
    assert not states_no_aim(dated, sentence, "2024-05-07")
    assert states_no_aim(Question.parse("Năm 2024 có bao nhiêu đại biểu trao đổi ý kiến?"), sentence, "2024-05-07")


def test_the_offices_a_named_person_is_asked_about_are_a_guess():
    # Stop 44's walkthrough: "Ông Tạ Công Luận là Chủ tịch HĐND xã La Phù hay giữ chức vụ gì khác?" read the question's
    # "Chủ tịch HĐND" as the asked office, and his "Chủ tịch UBND xã" as another (0.12).
    assert Question.parse("Ông Tạ Công Luận là Chủ tịch HĐND xã La Phù hay giữ chức vụ gì khác?").roles == ()
    assert Question.parse("Ai là Chủ tịch HĐND xã La Phù?").roles  # an office asked of no one named
    assert Question.parse("Hội nghị do đ/c Lê Quốc Dũng chủ trì có những trưởng thôn nào?").roles  # people asked


def test_what_a_person_said_is_said_where_they_are_named():
    # Stop 45's walkthrough: "ông Mai Văn Công phát biểu chỉ đạo những gì tại hội nghị", whom the article names among
    # those attending only, got the delegates' discussion at 0.87.
    from qa.selector import unattributed
    article = ("Tham dự Hội nghị, có đ/c Mai Văn Công – Bí thư Đảng ủy; đ/c Tạ Công Luận - Phó Bí thư Đảng uỷ, Chủ tịch "
               "UBND xã.\nTại hội nghị, các đại biểu đã thảo luận, nêu những vướng mắc.\nKết luận hội nghị, Đồng chí Mai "
               "Văn Công yêu cầu các ban ngành phối hợp chặt chẽ hơn nữa. Các thôn cần đẩy mạnh tuyên truyền.\nTại phiên giải "
               "trình, đồng chí Chủ tịch UBND xã đã tiếp thu, cam kết khắc phục.")
    cands = [c for c in candidates([_hit(article)]) if not c.joined]
    assert len(cands) == 5, [c.text for c in cands]
    asked = Question.parse("ông Mai Văn Công phát biểu chỉ đạo những gì tại hội nghị")
    assert unattributed(asked, cands[1], article)  # names no one
    assert not unattributed(asked, cands[2], article)  # names him
    assert not unattributed(asked, cands[3], article)  # his speech goes on in his paragraph
    assert unattributed(asked, cands[4], article)  # another's office
    # The office the article gives the person asked: "Tạ Công Luận - ..., Chủ tịch UBND xã"
    assert not unattributed(Question.parse("Ông Tạ Công Luận cam kết điều gì?"), cands[4], article)
    assert not unattributed(Question.parse("Ai phát biểu chỉ đạo tại hội nghị?"), cands[1], article)  # who asked
    assert not unattributed(Question.parse("Hội nghị thảo luận những gì?"), cands[1], article)  # no one named
