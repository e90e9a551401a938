"""A question that asks to confirm a figure is asked for the figure (qa/checked.py)."""

import pytest

from qa.checked import confirmation
from qa.text import strip_diacritics


@pytest.mark.parametrize("question, asked", [
    ("Có phải xã La Phù năm 2023 xếp thứ 15 về chỉ số thủ tục hành chính không?",
     "xã La Phù năm 2023 xếp thứ mấy về chỉ số thủ tục hành chính?"),
    ("Xin xác nhận: tính đến 14/4/2021, huyện Gia Lâm có 450 TTHC đang được thực hiện, đúng không?",
     "tính đến 14/4/2021, huyện Gia Lâm có bao nhiêu TTHC đang được thực hiện?"),  # "đến 14/4/2021": when, kept
    ("Có phải đến nay xã đã hoàn thành 20/25 nhiệm vụ trong Kế hoạch CCHC năm 2024 không ạ?",
     "đến nay xã đã hoàn thành bao nhiêu nhiệm vụ trong Kế hoạch CCHC năm 2024?"),  # the year stays
    ("Quyết định số 599/QĐ-UBND được ban hành ngày 01/3/2024 phải không?",
     "Quyết định số 599/QĐ-UBND được ban hành ngày nào?"),  # a document's number is no figure
    ("Đoàn giám sát làm việc tại phường Quảng Cư hôm 20/11 phải không?",
     "Đoàn giám sát làm việc tại phường Quảng Cư hôm nào?"),
    ("Tỷ lệ hồ sơ quá hạn vẫn còn 0,46% đúng không ạ?", "Tỷ lệ hồ sơ quá hạn vẫn còn bao nhiêu phần trăm?"),
    ("Phường Xuân Khanh được 95 điểm chỉ số CCHC đúng ko", "Phường Xuân Khanh được bao nhiêu điểm chỉ số CCHC?"),
    ("Gia Lâm có 434 TTHC không?", "Gia Lâm có bao nhiêu TTHC?"),
    # Stop 44's walkthrough (a newspaper editor checking a draft): typed fast, a meeting's ordinal, a statement asked
    # with its mark alone, a short question after the statement, a period opening on "đầu" (no "đâu", where).
    ("Năm 2023 xã La Phù nhận được 2.534 phiếu đánh giá sự hài lòng đúng k",
     "Năm 2023 xã La Phù nhận được bao nhiêu phiếu đánh giá sự hài lòng?"),
    ("Phiên giải trình được tổ chức ngay sau Kỳ họp thứ 4 HĐND huyện khóa XX đúng không",
     "Phiên giải trình được tổ chức ngay sau Kỳ họp thứ mấy HĐND huyện khóa XX?"),
    ("Bộ phận một cửa thị xã Sơn Tây tiếp nhận 1.621 hồ sơ trong 6 tháng đầu năm 2018?",
     "Bộ phận một cửa thị xã Sơn Tây tiếp nhận bao nhiêu hồ sơ trong 6 tháng đầu năm 2018?"),
    ("Bản thảo ghi xã La Phù tổ chức phiên giải trình vào chiều 07/5, có đúng không ạ? Bài viết ghi ngày nào?",
     "Bản thảo ghi xã La Phù tổ chức phiên giải trình vào chiều ngày nào?"),
    ("Hội nghị sơ kết 6 tháng đầu năm 2024 diễn ra ngày 12/7/2024 có đúng không?",
     "Hội nghị sơ kết 6 tháng đầu năm 2024 diễn ra ngày nào?"),
])
def test_a_figure_to_confirm_is_asked_for(question, asked):
    assert confirmation(question)[0] == asked
    assert confirmation(strip_diacritics(question))[0] == strip_diacritics(asked)


@pytest.mark.parametrize("question", [
    "Xã La Phù xếp thứ 15 về chỉ số CCHC năm 2023.",  # no question
    "Xã La Phù xếp thứ mấy năm 2023, có phải thứ 15 không?",  # a question word already asks
    "Có phải La Phù xếp thứ 19 và đạt 85 điểm không?",  # two figures: which one is doubted is not known
    "Dịch vụ công mức độ 3, 4 ở huyện Gia Lâm có hiệu quả không?",  # levels, not figures
    "Kế hoạch CCHC năm 2024 của xã đã hoàn thành chưa?",  # a year only
    "Trong 6 tháng đầu năm 2018 thị xã có công khai TTHC không?",  # a period only
    "Hội nghị tổ chức ở đâu, ngày 12/7 phải không?",  # "ở đâu" asks
    "Hội nghị sơ kết ngày 11/7/2024 cho biết xã đã hoàn thành bao nhiu nhiệm vụ?",  # "bao nhiu", slipped, asks
    "Xã La Phù xếp thứ 19 năm 2023? Còn năm 2022 xếp thứ mấy và được bao nhiêu điểm?",  # the last one asks more
])
def test_nothing_to_confirm_is_left_as_asked(question):
    assert confirmation(question) == (question, None)
    assert confirmation(strip_diacritics(question)) == (strip_diacritics(question), None)


def test_the_figure_stated_and_whether_the_article_gives_another():
    from qa.checked import differs
    assert confirmation("Có phải xã La Phù năm 2023 xếp thứ 15 về chỉ số CCHC không?")[1] == "thứ 15"
    assert confirmation("Gia Lâm có 450 TTHC không?")[1] == "450"
    assert confirmation("Đoàn giám sát làm việc hôm 20/11 phải không?")[1] == "20/11"
    assert confirmation("Xã La Phù xếp thứ mấy?")[1] is None
    assert differs("thứ 15", "thứ 19") and differs("450", "434 TTHC") and differs("01/3/2024", "01/02/2024")
    # However the figure is written, the same figure is no difference.
    assert not differs("434", "434 TTHC") and not differs("06/5", "6/5") and not differs("1261", "1.261 hồ sơ")
    assert not differs("4.037", "4.037 HS dịch vụ công mức độ 3, 4")  # read from the start of the short answer
