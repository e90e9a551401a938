"""Questions about an article itself rather than what it reports: when it was published, who wrote it,
how often it was read.

The cleaner keeps an article's date line and byline as metadata (shown with every citation), not as
text, so no sentence of an article answers "Bài viết ... đăng ngày nào?" or "Ai viết bài này?". Without
this check the sentence nearest such a question was quoted instead: the meeting's date for the
publication date (0.90), the meeting's chair for the author (0.82), in stop 40's walkthrough.
"""

from __future__ import annotations

import re

from .text import normalize, strip_diacritics

# Folded (the question may be typed without accents). "bài" only as a news item, not a song or a poem
# ("Ai viết bài hát ...?" is about the song's author, which a sentence may well give).
_ITEM = r"(?:bai viet|bai bao|bai nay|bai do|bai tren|bai dang|ban tin|tin nay|tin bai|bai ve|bai)(?! (?:hat|tho|ca|van|giang|thuoc|hoc|tap|thi|toan|phat bieu)\b)"
_PUBLISHED = re.compile(
    rf"\b{_ITEM}\b.*\b(?:dang|dang tai|xuat ban|len trang|phat hanh)\b.*\b(?:ngay nao|khi nao|hom nao|luc nao|bao gio"
    rf"|thoi gian nao|ngay may|ngay bao nhieu|nam nao)\b|\bngay dang\b.*\b{_ITEM}\b|\b{_ITEM}\b.*\bngay dang\b")
_WRITTEN_BY = re.compile(
    rf"\b(?:ai|nguoi nao|phong vien nao)\s+(?:la nguoi\s+)?(?:viet|dua tin|thuc hien)\s+{_ITEM}\b"
    rf"|\b{_ITEM}\b.*\b(?:do|cua)\s+(?:ai|phong vien nao)(?:\s+(?:viet|thuc hien|dua tin))?\b"
    rf"|\btac gia\b.*\b{_ITEM}\b|\b{_ITEM}\b.*\btac gia\b|\bphong vien nao\b|\bbut danh\b")
_READ = re.compile(rf"\b{_ITEM}\b.*\b(?:luot xem|luot doc|bao nhieu nguoi (?:xem|doc))\b|\bview count\b")


def about_the_article(question: str) -> bool:
    """The question asks when an article was published, who wrote it, or how often it was read."""
    # "đang" (now) folds to "dang" as "đăng" (published) does: set it apart first ("Theo bài viết, xã đang thực
    # hiện mô hình gì từ ngày nào?" asks about the content).
    text = re.sub(r"(?<!\w)đang(?!\w)", "hien", normalize(question).lower())
    folded = " ".join(strip_diacritics(text).split())
    return any(p.search(folded) for p in (_PUBLISHED, _WRITTEN_BY, _READ))
