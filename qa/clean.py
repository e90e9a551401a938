"""Cleaning of articles scraped from Vietnamese government web portals.

Removes portal boilerplate (widgets, menus, view counters), lifts title, publication date,
category and author byline into metadata, and re-joins paragraphs that an image caption
cut in two. The result keeps the article's own words untouched (NFC, tone marks as written).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import iso_date
from .text import nfc

# Lines that are portal furniture, compared case-insensitively on the whole line.
BOILERPLATE_LINES = {
    "html portlet", "bình chọn", "xin ý kiến về giao diện mới", "bản đồ hành chính",
    "phần mềm tác nghiệp", "thư viện ảnh", "tin nổi bật", "tin liên quan", "tin khác",
    "tin mới", "tin đọc nhiều", "liên kết website", "video", "chia sẻ", "in bài viết",
    "quay lại", "về đầu trang", "lượt xem", "thống kê truy cập",
}
# A weather widget header; the city names under it are furniture too, but only there:
# "Hà Nội" elsewhere is content.
WEATHER_HEADERS = {"thời tiết", "thời tiết các vùng", "dự báo thời tiết"}
WEATHER_CITIES = {
    "hà nội", "đà nẵng", "tp hồ chí minh", "tp. hồ chí minh", "thành phố hồ chí minh",
    "hải phòng", "cần thơ", "huế", "nha trang", "đà lạt", "vinh", "hạ long",
}
_VIEW_COUNT = re.compile(r"\|?\s*(view count|lượt xem)\s*:?\s*\d[\d.,]*", re.IGNORECASE)
_DATE_LINE = re.compile(
    r"ngày\s+đăng\s*:?\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:\s*[|\-–]\s*(\d{1,2}):(\d{2}))?",
    re.IGNORECASE,
)
_SENTENCE_END = tuple('.!?…:;"”»')
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


@dataclass(frozen=True)
class CleanText:
    text: str
    title: str
    date: str | None
    author: str | None
    category: str | None


def _key(line: str) -> str:
    return line.strip().casefold()


def _is_boilerplate(line: str) -> bool:
    key = _key(line)
    return key in BOILERPLATE_LINES or bool(re.fullmatch(r"(view count|lượt xem)\s*:?\s*\d+", key))


def _drop_widgets(lines: list[str]) -> list[str]:
    """Remove boilerplate lines and weather widgets (a header line, then city names)."""
    out: list[str] = []
    in_weather = False
    for line in lines:
        key = _key(line)
        if key in WEATHER_HEADERS:
            in_weather = True
            continue
        if in_weather and (not key or key in WEATHER_CITIES):
            continue
        in_weather = False
        if _is_boilerplate(line):
            continue
        out.append(line)
    return out


def _iso_date(match: re.Match) -> str | None:
    try:
        return iso_date(f"{match.group(1)}/{match.group(2)}/{match.group(3)}")
    except ValueError:
        return None  # "Ngày đăng 31/02/2024": the line is still removed, the date is not kept


def _is_caption(line: str) -> bool:
    """Image captions are short lines without sentence-final punctuation."""
    stripped = line.rstrip()
    if stripped.startswith("(") and stripped.endswith(")"):
        return len(stripped) < 160
    return len(stripped) < 160 and len(stripped.split()) <= 25 and not stripped.endswith(_SENTENCE_END)


def _looks_like_byline(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 6 or len(line) > 50 or line.endswith(_SENTENCE_END + (",",)):
        return False
    letters = [w for w in words if w[0].isalpha()]
    return bool(letters) and all(w[0].isupper() for w in letters)


def _rejoin_paragraphs(paragraphs: list[str]) -> list[str]:
    """`A <caption> b...` where A has no sentence end and b starts lower-case: one paragraph."""
    out = list(paragraphs)
    i = 1
    while i + 1 < len(out):
        before, caption, after = out[i - 1], out[i], out[i + 1]
        # Only a cut paragraph resumes in lower case; captions and paragraphs start upper-case.
        if _is_caption(caption) and not before.endswith(_SENTENCE_END) and after[:1].islower():
            out[i - 1 : i + 2] = [before + " " + after, caption]
        i += 1
    return out


def clean_article(raw: str, *, title: str | None = None) -> CleanText:
    """Clean one scraped article.

    Args:
        raw: the file's text (any line endings).
        title: a known title (JSONL records); when None it is read from the text.

    Returns:
        The cleaned text (paragraphs separated by blank lines) and the metadata found.
    """
    text = _INVISIBLE.sub("", nfc(raw).replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    lines = [line for line in _drop_widgets(lines) if line]

    date = None
    date_at = None
    for i, line in enumerate(lines):
        match = _DATE_LINE.search(line)
        if match:
            date, date_at = _iso_date(match), i
            rest = _VIEW_COUNT.sub("", _DATE_LINE.sub("", line)).strip(" |-–")
            if rest:
                lines[i] = rest
            else:
                del lines[i]
            break
    lines = [_VIEW_COUNT.sub("", line).strip() for line in lines]
    lines = [line for line in lines if line]

    category = None
    if title is None:
        if date_at is not None and 1 <= date_at <= 3:
            # Header layout: [category] title / date line / body.
            title = lines[date_at - 1]
            if date_at >= 2 and len(lines[date_at - 2]) <= 60:
                category = lines[date_at - 2]
            lines = lines[date_at - 1 :]
            if category and lines and category == lines[0]:
                category = None
        elif lines:
            title = lines[0]
    title = title or ""

    author = None
    if len(lines) > 2 and _looks_like_byline(lines[-1]):
        author = lines.pop()

    return CleanText("\n\n".join(_rejoin_paragraphs(lines)), title, date, author, category)
