from qa.records import Answer, Citation
from qa.render import render_answer


def _answer(text, found=True):
    c = Citation(doc_id="x.txt", title="<b>Tiêu đề</b>", date="2024-05-07", source="x.txt", text=text,
                 start=0, end=len(text), quote_start=0, quote_end=len(text))
    return Answer("q", found, text if found else "Không tìm thấy", None, 0.9 if found else 0.1, [c])


def test_article_text_is_escaped_never_html():
    evil = "Xã đạt <script>alert(1)</script> và <img src=x onerror=alert(2)>"
    html = render_answer(_answer(evil))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&lt;b&gt;Tiêu đề&lt;/b&gt;" in html
    assert "07/05/2024" in html


def test_low_confidence_reply_says_so():
    html = render_answer(_answer("Đoạn gần nhất.", found=False))
    assert "Không tìm thấy thông tin này trong các bài viết." in html
    assert "có thể liên quan" in html


def test_completed_follow_up_is_shown():
    a = _answer("Đoạn.")
    a2 = Answer("Ai là Chủ tịch UBND xã La Phù?", True, "Đoạn.", None, 0.9, a.citations)
    assert "Hiểu câu hỏi là: <i>Ai là Chủ tịch UBND xã La Phù?</i>" in render_answer(a2, typed="Còn xã La Phù thì sao?")
    assert "Hiểu câu hỏi" not in render_answer(a2, typed="Ai là Chủ tịch UBND xã La Phù?")
