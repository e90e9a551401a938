from conftest import SAMPLE_CORPUS

from qa.clean import clean_article
from qa.ingest import read_corpus

BOILERPLATE = ["Html Portlet", "thời tiết các vùng", "bình chọn", "Xin ý kiến về giao diện mới", "Bản đồ hành chính",
               "PHẦN MỀM TÁC NGHIỆP", "THƯ VIỆN ẢNH", "View count", "Đà Nẵng", "TP Hồ Chí Minh", "Tin nổi bật"]


def test_sample_articles_lose_all_portal_boilerplate():
    articles, skipped = read_corpus(SAMPLE_CORPUS)
    assert len(articles) == 5 and not skipped
    for a in articles:
        for junk in BOILERPLATE:
            assert junk.lower() not in a.text.lower(), (a.doc_id, junk)


def test_sample_metadata():
    articles = {a.doc_id: a for a in read_corpus(SAMPLE_CORPUS)[0]}
    la_phu = articles["000_a84f94d4ad376058.txt"]
    assert la_phu.date == "2024-05-07"
    assert la_phu.author == "Phương Lan"
    assert la_phu.category == "hoạt động của các xã, thị trấn"
    assert la_phu.title.startswith("Thường trực HĐND xã La Phù tổ chức phiên giải trình")
    tuy_phuoc = articles["002_0c39052c6b5445e8.txt"]
    assert tuy_phuoc.date == "2024-07-13"  # "Ngày đăng: 13/07/2024 - 09:35" at the end
    assert tuy_phuoc.author == "Thanh Triều - VP-TK"
    assert articles["003_09291d3635b55aa6.txt"].author == "PHẠM HẢO"
    assert articles["001_be070d682d0e8f1f.txt"].category == "kinh tế"


def test_caption_does_not_split_a_paragraph():
    raw = ("Tiêu đề bài\nNgày đăng 01/01/2024 | 08:00\n\nHuyện đã tiếp nhận 500 hồ sơ và\n\nToàn cảnh hội nghị\n\n"
           "giải quyết đúng hạn 99% số hồ sơ.\n\nĐoạn khác hoàn chỉnh.\n\nNguyễn Văn A")
    cleaned = clean_article(raw)
    paragraphs = cleaned.text.split("\n\n")
    assert "Huyện đã tiếp nhận 500 hồ sơ và giải quyết đúng hạn 99% số hồ sơ." in paragraphs
    assert "Toàn cảnh hội nghị" in paragraphs  # the caption stays searchable
    assert cleaned.author == "Nguyễn Văn A"


def test_city_names_outside_the_weather_widget_are_kept():
    raw = "Tiêu đề\n\nĐoàn công tác đã đến Hà Nội để học tập kinh nghiệm.\n\nThời tiết\n\nHà Nội\nĐà Nẵng\n"
    cleaned = clean_article(raw)
    assert "Hà Nội để học tập" in cleaned.text
    assert "Đà Nẵng" not in cleaned.text


def test_crlf_and_extra_spaces():
    cleaned = clean_article("Tiêu đề\r\n\r\n   Nội  dung   bài viết có   khoảng trắng thừa.\r\n")
    assert cleaned.text == "Tiêu đề\n\nNội dung bài viết có khoảng trắng thừa."
