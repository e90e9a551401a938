"""A question that asks to confirm a figure: "Có phải xã La Phù xếp thứ 15 không?" asks which place.

A journalist checking a figure states one, and it may be wrong (stop 43's walkthrough: "thứ 15" where the
article says "thứ 19", "450 TTHC" for 434, "hôm 20/11" for 22/11). Searched as written, the stated figure
contradicts the sentence that settles the question, and the answer was "not found" (0.09-0.43) although
the article says otherwise. Asked as the question it checks ("... xếp thứ mấy?"), the sentence giving the
article's figure answers, whether the stated figure was right or not, and its short answer is that figure.
"""

from __future__ import annotations

import re

from .lexicon import QUESTION_WORDS, QUESTION_WORDS_FOLDED, plain_question
from .text import normalize, strip_diacritics

# What makes a question ask for confirmation, folded: "có phải ...", "phải chăng ...", "có đúng là ...",
# "xin xác nhận: ...", or a yes/no ending ("... không?", "... chưa?", "... phải không ạ?", "..., đúng không?").
_FRAME = re.compile(r"(?<!\w)(?:co phai(?: la)?|phai chang(?: la)?|co dung la|xin xac nhan|xac nhan giup)(?!\w)\s*:?\s*")
# Typed fast: "đúng k", "phải hk", "đúng hông". A statement asked with its mark alone ("... tiếp nhận 1.621 hồ sơ
# trong 6 tháng đầu năm 2018?") asks to confirm it too.
_ENDING = re.compile(r",?\s*(?:(?:(?:co\s+)?(?:phai|dung)\s+)?(?:khong|ko|chua|chu)|(?:phai|dung)\s+(?:k|hk|hong))"
                     r"(?:\s+(?:a|vay|nhi|ha|u|nhe))?\s*\??\s*$|\?\s*$")
# A question word already there: the question asks it; nothing to confirm. Read accented when it is ("đầu" is no
# "đâu").
_WH = re.compile(rf"(?<!\w)(?:{QUESTION_WORDS_FOLDED.replace('|dau|', '|')}|(?:o|tai|den|tu|di|ve|noi)\s+dau"
                 r"|dau(?=\s*\??\s*$))(?!\w)")  # typed without accents, "dau" is "đầu" but where it asks where
_WH_ACCENTED = re.compile(rf"(?<!\w)(?:{QUESTION_WORDS})(?!\w)")
# "... chiều 07/5, có đúng không ạ? Bài viết ghi ngày nào?": a short last sentence that asks only what the one
# before states.
_LAST_SENTENCE = re.compile(r"(?<=[?.!])\s+(?=\S[^?.!]*[?.!]?\s*$)")
_SHORT_ASK = 6  # words

_NUMBER = r"\d+(?:[.,]\d+)*"
# A place in a ranking: "xếp thứ 15", "đứng thứ 3", "xếp hạng 12".
_RANK = re.compile(rf"(?<!\w)(xep(?: hang)?|dung|hang|vi tri|(?:ky|phien) hop(?=\s+thu)|lan(?=\s+thu))(\s+thu)?\s+"
                   rf"({_NUMBER})(?!\w|[/.,]\d)")  # ... and a meeting's ordinal: "Kỳ họp thứ 4", "lần thứ 2"
# A day: "ngày 01/3/2024", "hôm 20/11", "sáng 22/11", "vào 20/11" (not "đến 14/4/2021", a point in time the
# figure is counted to).
_DAY = re.compile(r"(?<!\w)(ngay|hom|vao|sang|chieu|toi)\s+(\d{1,2}/\d{1,2}(?:/\d{4})?)(?![\w/])")
# A count, a fraction or a rate: "450 TTHC", "20/25 nhiệm vụ", "30%", "85,5 điểm". Not a document's number
# ("số 599/QĐ-UBND"), a period ("6 tháng đầu năm"), a year or a day.
_COUNT = re.compile(rf"(?<![\w/.,])({_NUMBER}(?:/{_NUMBER})?)(\s*%|\s+phan tram)?(?![\w/]|[.,]\d)")
_NOT_COUNTED = re.compile(r"\s*(?:thang|nam|ngay|quy|tuan|gio|phut|/)")
_IDENTIFIER_BEFORE = re.compile(r"(?:so|khoa|ky hop|lan thu|thu|muc do|nam|ngay|den|tu|quy|thang|nghi quyet"
                                r"|quyet dinh|ke hoach|cong van|thong bao|chi thi)\s*(?:\d+\s*(?:,|va|hoac)\s*)*$")


def _checked_figures(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, question words) for each figure `folded` states that a sentence could contradict."""
    found = []
    for m in _RANK.finditer(folded):
        found.append((m.start(3) - (len(m.group(2)) if m.group(2) else 0), m.end(3),
                      "thu may" if m.group(2) else "may"))
    for m in _DAY.finditer(folded):
        found.append((m.start(2), m.end(2), "nao" if m.group(1) in ("ngay", "hom") else "ngay nao"))  # "chiều ngày nào"
    for m in _COUNT.finditer(folded):
        if any(s <= m.start() < e for s, e, _ in found):
            continue
        before, after = folded[: m.start()], folded[m.end():]
        if _IDENTIFIER_BEFORE.search(before) or (not m.group(2) and (_NOT_COUNTED.match(after) or not after.strip(" ?"))):
            continue
        if not m.group(2) and "/" not in m.group(1) and re.fullmatch(r"(?:19|20)\d\d", m.group(1)):
            continue  # a year, however it is introduced
        found.append((m.start(), m.end(), "bao nhieu phan tram" if m.group(2) else "bao nhieu"))
    return sorted(found)


_ACCENTED = {"thu may": "thứ mấy", "may": "mấy", "nao": "nào", "ngay nao": "ngày nào", "bao nhieu": "bao nhiêu",
             "bao nhieu phan tram": "bao nhiêu phần trăm"}


def _asks(text: str) -> bool:
    """`text` has a question word, read accented when it is, typed short or slipped too ("bn", "bao nhiu")."""
    for said in (text, plain_question(text)):
        folded = strip_diacritics(said).lower()
        if (_WH if folded == said.lower() else _WH_ACCENTED).search(said.lower()):
            return True
    return False


def confirmation(question: str) -> tuple[str, str | None]:
    """`question` asked for the one figure it asks to confirm, and that figure as written: "Có phải ... có 450 TTHC
    không?" -> ("... có bao nhiêu TTHC?", "450"), "... hôm 20/11 phải không?" -> ("... hôm nào?", "20/11"), with or
    without accents. (`question`, None) when it asks no confirmation, already has a question word, or states no
    figure or more than one."""
    text = normalize(question).strip()
    folded = strip_diacritics(text).lower()
    if len(folded) != len(text):
        return question, None
    parts = _LAST_SENTENCE.split(text, maxsplit=1)
    if len(parts) == 2 and len(parts[1].split()) <= _SHORT_ASK and _asks(parts[1]):
        checked, stated = confirmation(parts[0])
        if stated is not None:
            return checked, stated
    frame, ending = _FRAME.search(folded), _ENDING.search(folded)
    if not (frame or ending) or _asks(text):
        return question, None
    figures = _checked_figures(folded)
    if len(figures) != 1:
        return question, None
    start, end, asked = figures[0]
    words = asked if folded == text.lower() else _ACCENTED[asked]
    out = text[:start] + words + text[end:]
    shift = len(words) - (end - start)
    if ending:
        cut = ending.start() + (shift if ending.start() >= end else 0)
        out = out[:cut].rstrip(" ,") + "?"
    if frame and frame.end() <= start:
        out = out[: frame.start()] + out[frame.end():]
    return out.strip(), text[start:end]


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def _values(text: str) -> list[int]:
    # However the thousands and decimals are marked: "1,261" and "1.261", "48.5" and "48,5" are one figure each.
    return [int(re.sub(r"[.,]", "", n)) for n in _FIGURE.findall(text)]


def differs(stated: str, said: str) -> bool:
    """The figure the question stated is not the one the article gives, read from the start of `said` ("thứ 15" /
    "thứ 19", "450" / "434 TTHC", "01/3/2024" / "01/02/2024"; "06/5" and "6/5", "1,261" and "1.261 hồ sơ" are the
    same)."""
    asked = _values(stated)
    return bool(asked) and asked != _values(said)[: len(asked)]
