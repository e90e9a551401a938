"""Vietnamese sentence splitting that returns character spans.

A period ends a sentence only when whitespace and a capital letter, digit or quote follow
it, and the word before it is not a known abbreviation: "TP. Hồ Chí Minh", "Q. 1",
"2.354 phiếu", "0,46%" and "ThS. Nguyễn" stay inside their sentence.
"""

from __future__ import annotations

import re

from .lexicon import PERIOD_ABBREVIATIONS as ABBREVIATIONS

_BOUNDARY = re.compile(r"([.!?…]+|\./\.)([\"”’)\]]*)(\s+)")
# What opens the next sentence: a capital or a digit. Known and kept (stop 31): the range [à-ỹ] also
# holds the capitals Đ, Ă, Ơ, Ư and every accented capital ("Ủ", "Ấ"), so a sentence opening with one
# stays joined to the one before ("... hội nghị sơ kết ... năm 2018. Đồng chí Đặng Vũ Nhật Thăng – Chủ
# tịch UBND thị xã chủ trì hội nghị."). Breaking there was measured and lost answers: in news such a
# sentence ("Đồng chí ...", "Đây là ...", "Đề nghị ...") mostly continues the one before, whose words
# the question uses (README, *Stop 31*).
_NEXT_STARTS = re.compile(r"[\"“‘(\[]?[^\W_a-zà-ỹđ]|[\"“‘(\[]?\d", re.UNICODE)
_WORD_BEFORE = re.compile(r"([^\W_][\w.]*)$", re.UNICODE)


def _is_boundary(text: str, match: re.Match) -> bool:
    mark = match.group(1)
    rest = text[match.end():]
    if not rest or not _NEXT_STARTS.match(rest):
        return False
    if mark.startswith("."):
        before = _WORD_BEFORE.search(text[: match.start()])
        if before:
            word = before.group(1)
            if word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper()):
                return False
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, whitespace trimmed; lines always end a sentence."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for match in _BOUNDARY.finditer(line):
            if _is_boundary(line, match):
                end = match.start(3)
                spans.append((offset + start, offset + end))
                start = match.end()
        spans.append((offset + start, offset + len(line)))
        offset += len(line) + 1
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def split_sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]
