"""Question types and the short answer span: how many, which rank, who, when, where.

The short answer is always a span of the quoted sentence, or None when no span of the
expected kind is there.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .lexicon import ADMIN_LEVEL_PATTERN as ADMIN_UNIT
from .lexicon import (
    ADMIN_LEVELS,
    OFFICE_BODIES,
    OFFICE_TITLES,
    PARTICLES,
    QUESTION_WORDS,
    SAME_UNIT,
    STOPWORDS,
    SURNAMES,
    TIER_OF,
    TITLE_WORDS,
    TITLE_WORDS_WRITTEN,
    UNIT_STOP,
    appositive_roles,
    appositive_span,
    holds_office,
    office_before_span,
    roles_of,
)
from .lexicon import FOLDED_ABBREVIATIONS as ABBREVIATIONS
from .text import normalize, strip_diacritics, syllables

# Vietnamese capitals and small letters; "À-Ỹ" would not do: Unicode interleaves the cases.
_VI = [chr(c) for c in range(0x41, 0x1EFA) if strip_diacritics(chr(c)).isascii() and chr(c).isalpha()]
UPPER = "".join(c for c in _VI if c.isupper())
LOWER = "".join(c for c in _VI if c.islower())
_NUMBER = r"\d+(?:[.,]\d+)*(?:/\d+(?:[.,]\d+)*)?(?:\s?%)?"
NUMBER = re.compile(rf"(?<![\w/]){_NUMBER}(?![\w/])")
# A number written in words ("hai vùng sinh thái", "hai mươi lăm xã"): a figure only when the asked
# unit follows it ("một", "năm" are also "a", "year").
_DIGIT_WORD = r"một|hai|ba|bốn|tư|năm|sáu|bảy|tám|chín|mười|mươi|mốt|lăm|linh|lẻ|trăm|nghìn|ngàn|triệu|tỷ|tỉ"
WORD_NUMBER = re.compile(rf"(?<!\w)(?:{_DIGIT_WORD})(?:\s+(?:{_DIGIT_WORD}))*(?!\w)", re.IGNORECASE)
# A day of the month and a month, as numbers ("17/25" is no date).
DAY, MONTH = r"(?:[12]\d|3[01]|0?[1-9])", r"(?:1[0-2]|0?[1-9])"
DATE = re.compile(
    rf"(?:(?:sáng|chiều|tối|trưa)\s+)?(?:ngày\s+)?(?<![\d/.,]){DAY}/{MONTH}(?:/\d{{4}})?(?![\d/])"
    r"|(?:(?:ngày\s+)?\d{1,2}\s+)?tháng\s+\d{1,2}(?:/\d{4}|\s+năm\s+\d{4})?|năm\s+\d{4}|(?<!\d)(?:19|20)\d{2}(?!\d)",
    re.IGNORECASE)
_CAP = rf"[{UPPER}][^\s,.;:!?()\"“”]*"
PLACE = re.compile(rf"(?i:{ADMIN_UNIT})\s+{_CAP}(?:\s+{_CAP})*")
AT_PLACE = re.compile(rf"(?<!\w)(?:tại|ở)\s+([{UPPER}][^,.;:!?()]{{2,60}}?)(?=[,.;:!?()]|$)")
# A name of two to six capitalised words (a place may run into it: "xã La Phù Tạ Công Luận"); a foreign one may hold a particle ("Charles de Gaulle").
_PARTICLE = r"(?:\s+(?:bin|binti|ibn|de|del|della|der|van|von|da|di|du|al|el))?"
NAME_RUN = re.compile(rf"[{UPPER}][{LOWER}]+(?:{_PARTICLE}\s+[{UPPER}][{LOWER}]+){{1,5}}")
# One capitalised word that is no Vietnamese syllable ("Trump", "Macron", "Delhi", "Al-Sabah"): a foreign
# name, which news often gives alone. Vietnamese names have two syllables or more (NAME_RUN).
_FOREIGN_WORD = re.compile(rf"(?<![\w-])[{UPPER}][{LOWER}]{{2,}}(?:-[{UPPER}{LOWER}][{LOWER}]+)*(?![\w-])")
_SYLLABLE = re.compile(r"(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?")


def foreign_word(word: str) -> bool:
    """A word that no Vietnamese syllable spells ("Shaw", "Delhi"; not "Hà", "Kim", "Lâm")."""
    return not _SYLLABLE.fullmatch(strip_diacritics(word).lower())

WHY = re.compile(r"\b(?:nguyên nhân|do|vì|bởi|lý do|để)\b")


# Ordinals that number an event, not a place in a ranking ("Kỳ họp thứ 5", "lần thứ 2").
_EVENT = r"kỳ họp|lần|khóa|khoá|đợt|phiên|hội nghị|đại hội|kỳ"
EVENT_ORDINAL = re.compile(rf"(?i:{_EVENT})\s+thứ\s*$")
EVENT_ASKED = re.compile(rf"(?i:{_EVENT})\s+thứ\s+(?:mấy|bao nhiêu)")  # "sau kỳ họp thứ mấy?" asks for one
RANKING = re.compile(r"(?i:xếp|đứng|hạng|vị trí|thứ bậc|top)")
# A figure asked by the word that labels it, at the question's end ("... đến mức độ mấy?", "tầng mấy?"):
# the answer is that label's number ("mức độ 4"), not any other figure of the sentence ("trong 6 tháng").
LABEL_ASKED = re.compile(r"(?<!\w)(mức độ|cấp độ|tầng|lớp|khóa|khoá|giai đoạn|đợt|nhóm|loại|bậc|số)"
                         r"\s+(?:mấy|bao nhiêu)(?:\s+(?:ạ|vậy|nhỉ|nhé|thế))*[\s?.!]*$", re.IGNORECASE)
# A document's number with its code ("số 26/QĐ-UBND"), folded: what "quyết định số mấy?" asks.
_DOCUMENT_NUMBER = re.compile(r"(?<!\w)so\s+\d+/[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*(?!\w)", re.IGNORECASE)
# More numbers listed after a figure ("mức độ 3, 4", "3 và 4"): the figure's span takes them too.
_NUMBER_LIST = re.compile(r"(?:\s*(?:,|và|-)\s*\d+(?![\d.,]\d))+")
# Any money word in the question lets a currency word end a counted unit ("bao nhiêu tiền": "5 tỷ
# đồng"); whether the question asks for a sum of money at all is `money_asked`.
MONEY_ASKED = re.compile(r"\b(?:tiền|kinh phí|ngân sách|chi phí|vốn|lệ phí|doanh thu)\b")
MONEY_UNITS = frozenset({"dong", "nghin", "ngan", "trieu", "ty", "usd", "vnd", "vnđ"})  # folded


@dataclass(frozen=True)
class QuestionType:
    kind: str  # "count", "rank", "who", "when", "where", "why", "contact" or "other"
    unit: str | None = None  # "xã" in "xã nào", "năm" in "năm nào"

    def fit(self, sentence: str, question: str) -> float:
        """How well the sentence holds an answer of the expected kind, 0 to 1."""
        return short_answer(self, question, sentence)[1]


# "Hội nghị diễn ra vào thứ mấy?" asks for a day of the week, not a place in a ranking.
WEEKDAY_ASKED = re.compile(r"\b(?:vào|hôm|ngày|là)\s+thứ\s+mấy\b|\bthứ\s+mấy\s+trong\s+tuần\b")
WEEKDAY = re.compile(r"(?<!\w)(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)(?!\w)", re.IGNORECASE)

# How often ("bao lâu một lần", "mấy lần một năm", "định kỳ thế nào"): a when-question answered by a frequency
# ("hàng tháng", "định kỳ hằng quý", "2 lần/năm"), not a date (stop 43's walkthrough: "... bị đánh giá bao lâu 1
# lần", 0.31 "not found", the right sentence first).
HOW_OFTEN = re.compile(r"\b(?:bao lâu|mấy|bao nhiêu)\s+(?:một|1)\s+lần\b"
                       r"|\b(?:mấy|bao nhiêu)\s+lần\s*(?:một|mỗi|1|/|trên)\s*(?:ngày|tuần|tháng|quý|năm)\b"
                       r"|\bđịnh kỳ\s+(?:bao lâu|khi nào|thế nào|ra sao)|\bcó thường xuyên\b")
FREQUENCY = re.compile(r"(?<!\w)(?:(?:hàng|hằng|mỗi)\s+(?:ngày|tuần|tháng|quý|năm|kỳ)"
                       r"|định\s+kỳ(?:\s+(?:hàng|hằng|mỗi)\s+(?:ngày|tuần|tháng|quý|năm))?|thường\s+xuyên"
                       r"|\d+\s+lần\s*(?:/|một|mỗi|trên)\s*(?:ngày|tuần|tháng|quý|năm))(?!\w)", re.IGNORECASE)

_RULES = [
    ("when", HOW_OFTEN),
    ("when", WEEKDAY_ASKED),
    ("rank", re.compile(r"\b(?:thứ|hạng)\s+(?:mấy|bao nhiêu)\b")),
    ("when", re.compile(r"\b(?:khi nào|bao giờ|lúc nào|thời gian nào|thời điểm nào|ngày nào|ngày bao nhiêu"
                        r"|năm nào|năm bao nhiêu|tháng nào|hôm nào|vào ngày|năm mấy|tháng mấy|ngày mấy)\b")),
    ("why", re.compile(r"\b(?:vì sao|tại sao|lý do|nguyên nhân|vì đâu|do đâu)\b")),
    ("where", re.compile(rf"\b(?:ở đâu|tại đâu|nơi nào|địa điểm nào|chỗ nào|{ADMIN_UNIT} nào)\b")),
    # "Số điện thoại đường dây nóng là gì / là bao nhiêu?", not "Đường dây nóng nhận bao nhiêu cuộc gọi?"
    # nor "Ai trực đường dây nóng?". Not "số máy" either: typed without accents, "quyết định số mấy"
    # reads as "số máy".
    ("contact", re.compile(r"^(?!.*(?:^|\s)(?:ai|người nào)\b)(?!.*\b(?:bao nhiêu|mấy)\b(?<!là bao nhiêu)(?<!là số mấy))"
                           r".*\b(?:số điện thoại|điện thoại|đường dây nóng|hotline|số fax|fax|e-?mail"
                           r"|thư điện tử|hộp thư|hòm thư)\b")),
    # ... and a query typed as the figure's name: "số hồ sơ trực tuyến 6 tháng đầu năm 2024 của xã".
    # "Số liệu ... theo báo cáo của cơ quan nào?": data, no count.
    ("count", re.compile(r"\b(?:bao nhiêu|mấy|số lượng|tỷ lệ|tỉ lệ)\b|^(?:tổng )?số (?!\d|(?:này|đó|ít|nhiều|hóa|hoá|liệu|lieu)\b)")),
    # ... and the holder of an office of a body ("bí thư Đảng ủy nào có mặt ...?"; "trưởng ban nào" asks an office).
    ("who", re.compile(r"(?:^|\s)ai\b|\b(?:người nào|đồng chí nào|ông nào|bà nào|những ai|là ai|cán bộ nào"
                       rf"|công chức nào|(?:{'|'.join(OFFICE_TITLES)})\s+(?:{'|'.join(OFFICE_BODIES)})\s+nào)\b")),
]


# A yes/no question ("... đã hoàn thành hết chưa?", "... có đạt 99,9% không ạ?") with no question word: the
# sentence that settles it answers, not a figure of the type its words suggest ("tỷ lệ" is no count asked).
_YES_NO = re.compile(r"(?:\bkhông|\bchưa|\bphải không|\bđúng không)\s*(?:ạ|vậy|nhỉ|hả|à|ư|nhé)?\s*\??\s*$")
_WH = rf"(?:^|\s)(?:{QUESTION_WORDS})(?!\w)"
_WH_WORD = re.compile(_WH)


# A sentence that ends a question or asks with a question word; a question may open with what the asker heard
# ("Nghe mấy ông trong hội ... kể là ... Có bao nhiêu đại biểu ...?": "mấy ông" is "some men", no count).
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
_ASKING = re.compile(rf"\?|{_WH}")


# "..., vậy cấp huyện có bao nhiêu TTHC?": what comes before says what the asker knows ("TTHC thuộc thẩm quyền cấp
# huyện nhiều hơn cấp xã"), the clause after "vậy" asks (stop 43's walkthrough: the communes' "154 TTHC").
_SO_THEN = re.compile(r",\s*(?:vậy|thế|vậy thì|thế thì)\s+(?=\S)", re.IGNORECASE)


def asking_part(question: str) -> str:
    """The sentence of `question` that asks (the last one that does), when it has more than one; of it, the
    clause after "vậy" that asks, when one does."""
    parts = _SENTENCE_END.split(question.strip())
    part = question if len(parts) < 2 else next((p for p in reversed(parts) if _ASKING.search(p)), question)
    so = list(_SO_THEN.finditer(part))
    if so and _ASKING.search(part[so[-1].end():]):
        return part[so[-1].end():]
    return part


def asks_yes_or_no(question: str) -> bool:
    """A yes/no question ("... đã hoàn thành chưa?", "... có đạt 99,9% không ạ?") with no question word."""
    q = asking_part(normalize(question).lower())
    return bool(_YES_NO.search(q)) and not _WH_WORD.search(q)


# What settles a yes/no question: a clause of the sentence (between semicolons, colons or a comma and a space) that says
# "chưa", "không", "đã" ... of what the question asks, the one sharing the most of its words (at least two): "việc thanh
# toán trực tuyến chưa được thực hiện" for "Ở phường Quảng Cư nộp lệ phí thanh toán trực tuyến được chưa ạ?" (stop 44's
# walkthroughs: "it never says có or chưa"). Quoted as the article writes it; none when no clause is that clear.
_CLAUSE = re.compile(r"\s*(?:[;:…]|(?<!\d),\s(?!\d)|\s-\s|\.\s)\s*")  # "mức độ 3, 4" is one
_SETTLES = re.compile(r"(?<!\w)(?:chưa|không|đã|đều|vẫn|còn|mới|hoàn thành|đạt|thành công)(?!\w)")
# What the question asks is so: the words after its "đã", "có", "còn" ... ("đã niêm yết công khai ... chưa?": "niêm
# yết"); a clause that does not say them settles something else.
_ASKED_SO = re.compile(r"(?<!\w)(?:đã|có|được|còn|đều|vẫn)\s+(\w+(?:\s+\w+)?)")
_SETTLING_WORDS = 25
_NOT_ASKED = frozenset(syllables("chưa không đã có được phải đúng ạ vậy nhỉ hả à ư nhé rồi hết cho em tôi hỏi xin"))


def _settling_clause(question: str, sentence: str) -> str | None:
    part = asking_part(normalize(question))
    asked = set(syllables(part)) - STOPWORDS - _NOT_ASKED
    so = _ASKED_SO.search(part.lower())
    predicate = set(syllables(so.group(1))) - STOPWORDS - _NOT_ASKED if so else set()
    best, most = None, 1
    for clause in _CLAUSE.split(normalize(sentence)):
        clause = clause.strip(" .…")
        said = set(syllables(clause))
        shared = len(asked & said)
        if (shared > most and _SETTLES.search(clause.lower()) and len(clause.split()) <= _SETTLING_WORDS
                and (not predicate or predicate & said)):
            best, most = clause, shared
    return best


def classify(question: str) -> QuestionType:
    q = asking_part(normalize(question).lower())
    if person_asked(question):  # "Ông X là ai?": the offices X holds
        return QuestionType("other")
    if asks_yes_or_no(q):
        return QuestionType("other")
    for kind, pattern in _RULES:
        match = pattern.search(q)
        if match:
            unit = None
            if kind == "where":
                unit_match = re.search(rf"({ADMIN_UNIT}) nào", q)
                unit = unit_match.group(1) if unit_match else None
            if kind == "when" and pattern is HOW_OFTEN:
                unit = "lần"
            elif kind == "when" and pattern is WEEKDAY_ASKED:
                unit = "thứ"
            elif kind == "when":
                unit_match = re.search(r"\b(ngày|năm|tháng|hôm)\s+(?:nào|bao nhiêu|mấy)", q)
                unit = unit_match.group(1) if unit_match else None
                unit = "ngày" if unit == "hôm" else unit  # "hôm nào": which day
            return QuestionType(kind, unit)
    if _NAME_ASKED.search(q) and (roles_of(q) or _PERSON_WORD.search(q)):
        return QuestionType("who")  # "Trưởng thôn Hưng Nghĩa tên gì?": a person's name
    return QuestionType("other")


# A name asked ("tên là gì", "họ tên"), of a person when the question names an office or says "người".
_NAME_ASKED = re.compile(r"\b(?:tên\s+(?:là\s+)?(?:gì|chi)|họ\s+(?:và\s+)?tên)\b")
_PERSON_WORD = re.compile(r"(?:^|\s)(?:người|ông|bà|đồng chí|đ/c)\s")


_PUNCTUATION = ",.;:?!()[]\"'“”‘’…"


def _fold_words(text: str) -> list[str]:
    """The words of `text`, folded, without the punctuation around them ("xã," is "xa")."""
    words = (w.strip(_PUNCTUATION) for w in strip_diacritics(normalize(text)).lower().split())
    return [w for w in words if w]


_PREDICATE = re.compile(r"\b(?:được|bị|đã|đang|sẽ|duoc|dang)\b")
_PREDICATE_STOP = {"duoc", "bi", "da", "dang", "se", "o", "tai", "cua", "va", "la", "cho", "voi"}


def _after_wh(question: str) -> tuple[list[str], set[str]]:
    """What the question puts after "bao nhiêu"/"mấy", up to punctuation or a point of comparison
    ("bao nhiêu bậc so với năm 2022"): the unit being counted, as written (lower case), up to a verb
    ("bao nhiêu hồ sơ TTHC được giải quyết đúng hạn": "hồ sơ TTHC"); and what it says of the
    counted thing after it, folded ("giai quyet dung han"): the words that tell apart the figures of
    one sentence ("đã giải quyết 27.486 hồ sơ đúng hạn", not "đã tiếp nhận 27.866 hồ sơ TTHC")."""
    text = asking_part(normalize(question).lower())
    # "bao nhiêu" wherever it stands, then "mấy" ("Năm 2021 và mấy tháng đầu năm 2022 huyện đã thực hiện bao nhiêu
    # cuộc kiểm tra?": "mấy tháng" is vague, no count asked), before a query opening on "số" ("số hóa hồ sơ ...
    # bao nhiêu?": "số hóa", digitising, is no "số" of anything).
    match = (re.search(r"\bbao nhiêu\s+(.*)", text) or re.search(r"\bmấy\s+(.*)", text)
             or re.search(r"^(?:tổng )?số (?:lượng )?(?!\d|điện thoại|fax|máy|hóa|hoá)(.*)", text)
             or re.search(r"\b(?:bao nhiêu|mấy)\b()", text))  # "... khoảng bao nhiêu?": no unit named
    if not match:
        return [], set()
    tail = re.split(r"[?,.;]|\bso với\b|\bso voi\b", match.group(1))[0]
    unit, *said = _PREDICATE.split(tail, maxsplit=1)
    words = unit.split()[:10]
    while words and words[-1] in PARTICLES:  # "... bao nhiêu vậy": no unit
        words.pop()
    return words, (set(_fold_words(said[0])) - _PREDICATE_STOP if said else set())


_LEVEL = re.compile(rf"(?<!\w)({ADMIN_UNIT})(?!\w)", re.IGNORECASE)
# "bản" and "ấp" are villages only before a village's name ("bản Lác"): "văn bản", "bản sao", "ấp trứng" are
# other words.
_VILLAGE_WORDS = frozenset({"bản", "ấp"})


@functools.lru_cache(maxsize=4096)
def levels_of(text: str) -> frozenset[str]:
    """The administrative level words `text` names, with or without "cấp" (lower case). Cached: the
    candidate filter and the features both read a candidate's levels."""
    text = normalize(text)
    return frozenset(m.group(1).lower() for m in _LEVEL.finditer(text)
                     if m.group(1).lower() not in _VILLAGE_WORDS or text[m.end():].lstrip()[:1].isupper())


_LEVEL_WORDS = {strip_diacritics(w) for level in ADMIN_LEVELS for w in level.split()} | {"cap"}


def _locators(question: str, sentence: str) -> set[str]:
    """The question's words that only say where (folded): names ("Gia Lâm", "UBND"), and the tier
    ("cấp huyện") unless the sentence speaks of two tiers. They pick the sentence; among its
    figures, what is counted picks the answer ("đang giải quyết 380 hồ sơ", not "cấp huyện đã tiếp
    nhận 27.866 hồ sơ"). Where a sentence gives two tiers' figures, the tier picks among them."""
    words = normalize(question).split()
    named = set(_fold_words(" ".join(w for w in words[1:] if w[:1].isupper())))
    tiers = {TIER_OF[level] for level in levels_of(sentence)}
    return named | (_LEVEL_WORDS if len(tiers) < 2 else set())


_PLACE_LEVEL = re.compile(rf"(?i:{ADMIN_UNIT})")


_NO_PLACE_PAIRS = frozenset(tuple(p.split()) for p in (
    "chinh quyen", "bo phan", "van phong", "uy ban", "hoi dong", "dang uy", "trang thong", "cong thong", "chi bo",
    "mat tran", "cong an", "quan su", "trung tam", "dich vu", "thuong truc", "ban chi", "ban thuong"))
_NO_PLACE_WORDS = frozenset("ubnd hdnd mttq ubmttq cchc tthc".split())


@functools.lru_cache(maxsize=64)  # an article's places are read for each of its candidate sentences
def named_places(text: str) -> frozenset[tuple[str, str]]:
    """The places `text` names with their level, folded: "phường Lê Lợi" is ("phuong", "le loi"). A
    person's name may follow the place's with nothing between ("UBND thị xã Sơn Tây Đặng Vũ Nhật Thăng"):
    a surname from the place name's third word on, opening two words or more, starts the person's."""
    out = set()
    text = normalize(text)
    for m in PLACE.finditer(text):
        level = _PLACE_LEVEL.match(m.group(0))
        words = _fold_words(m.group(0)[level.end():])
        cut = next((i for i in range(2, len(words) - 1) if words[i] in SURNAMES), len(words))
        # Nor does a body or service capitalised after it ("xã La Phù Chính quyền điện tử trên app nào": the place
        # is "La Phù"; read as "La Phù Chính", no article named it and every sentence was another place's).
        then = [*words, *_fold_words(text[m.end() : m.end() + 20])[:1]]
        cut = next((i for i in range(1, cut) if tuple(then[i : i + 2]) in _NO_PLACE_PAIRS
                    or words[i] in _NO_PLACE_WORDS), cut)
        out.add((" ".join(_fold_words(level.group(0))), " ".join(words[:cut])))
    return frozenset(out)


def _in_question(span: str, question: str) -> bool:
    return strip_diacritics(normalize(span)).lower() in strip_diacritics(normalize(question)).lower()


def _listed_with_asked(matches: list[re.Match], i: int, sentence: str, question: str) -> bool:
    """Name `i` is listed next to a name the question gives ("các Trưởng thôn: Huỳnh Mai, Hưng Nghĩa, Thọ
    Nghĩa" for "Trưởng thôn Hưng Nghĩa tên gì?"): listed with a place the question names, it is a place."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(matches):
            a, b = sorted((matches[i], matches[j]), key=lambda m: m.start())
            if re.fullmatch(r"\s*(?:,|và)\s*", sentence[a.end() : b.start()]) and _in_question(matches[j].group(0), question):
                return True
    return False


def _is_date(number: str) -> bool:
    parts = number.split("/")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        return False
    day, month = int(parts[0]), int(parts[1])
    return 1 <= day <= 31 and 1 <= month <= 12 and (len(parts) == 2 or len(parts[2]) == 4)


# Words that tell no figure from another ("của" in "tỷ lệ ... của phường Quảng Cư"), folded.
_COUNT_STOP = frozenset("cua la va co bao nhieu may cac nhung mot cho voi o tai ve".split())


# Words after "bao nhiêu" that name no counted unit (folded): particles, verbs, comparisons, a year.
_NOT_A_UNIT = UNIT_STOP | _COUNT_STOP | frozenset("the vay a nhi nhe thi dat con roi so nam khi luc phan".split())


def _own_clause(before: str) -> str:
    """The words before a figure that are its own: back to the clause's start, or to the figure before
    it and, past that figure, to a "và" ("... của Huyện và 154 TTHC": "của Huyện" is the first one's)."""
    parts = re.split(r"([;,:]|\d)", re.sub(r":\s*$", " ", before))
    clause = parts[-1]
    if len(parts) > 1 and parts[-2].isdigit():
        clause = re.split(r"\bvà\b", clause)[-1]
    return clause


# What a rate is of: the words after "tỷ lệ" up to the place, the verb or the question word, folded.
_RATE_OF = re.compile(r"(?<!\w)t[yi] le\s+(.+?)(?=\s+(?:la|dat|cua|o|tai|trong|nam|ve|bao nhieu|the nao|duoc|khi)(?!\w)|[?,.]|$)")
_RATE_STOP = frozenset("so cac nhung phan tram".split())


@functools.lru_cache(maxsize=256)
def _rate_subject(question: str) -> frozenset[str]:
    """The words of what a rate is asked of ("Tỷ lệ người dân hài lòng về ...": người, dân, hài, lòng), folded,
    with an abbreviation's full form's; empty when the question names none ("bao nhiêu phần trăm ...?"). Read
    of the question once, not once for each candidate sentence."""
    m = _RATE_OF.search(" ".join(_fold_words(question)))
    if not m:
        return frozenset()
    words = m.group(1).split()  # an abbreviation stands for its words too ("hồ sơ TTHC": thủ tục hành chính)
    return frozenset(_with_full_forms(words)) - _RATE_STOP - _COUNT_STOP


# A figure followed by one of these is a length of time ("6 tháng năm 2018"): it counts only what the
# question asks in such units ("bao nhiêu ngày"). Folded.
_TIME_UNITS = frozenset("giay phut gio ngay tuan thang quy nam".split())
_LENGTH_OF_TIME = re.compile(r"\s+(?:giây|phút|giờ|ngày|tuần|tháng|quý|năm)(?!\w)", re.IGNORECASE)


def _with_full_forms(words: Iterable[str]) -> set[str]:
    """Folded words, with the words of the abbreviations among them ("tthc": thu, tuc, hanh, chinh)."""
    words = set(words)
    return words | {w for word in words for w in ABBREVIATIONS.get(word, "").split()}


def _written_out(word: str, said: set[str]) -> list[str]:
    """The full form's words of abbreviation `word` (folded), when a sentence saying `said` (folded words)
    writes all of them and not the abbreviation; else none."""
    full = ABBREVIATIONS.get(word, "").split()
    return full if full and word not in said and set(full) <= said else []


def _expanded(words: list[str], sentence: str) -> set[str]:
    """A question's folded words, with the words of each abbreviation the sentence does not write as such
    ("DVC mức độ 3, 4 ... bao nhiêu hồ sơ?": "dich vu cong", for "4.037 HS dịch vụ công mức độ 3, 4")."""
    written = set(_fold_words(sentence))
    return set(words) | _with_full_forms(w for w in words if w not in written)


def _said_of(text: str) -> list[str]:
    """The folded words of `text` that say something of a figure: not "đã", "có", "của", "bao nhiêu" ..."""
    return [w for w in _fold_words(text) if w not in UNIT_STOP and w not in _COUNT_STOP]


def _count(question: str, sentence: str, rank: bool) -> tuple[str | None, float]:
    whole, predicate = _after_wh(question)
    # An abbreviated unit the sentence writes out ("bao nhiêu TTHC", "125/184 thủ tục hành chính"): its words.
    sentence_words = set(_fold_words(sentence))  # folded, read once: also what a long unit is checked against
    whole = [part for word in whole for part in _written_out(strip_diacritics(word), sentence_words) or [word]]
    # The unit's first six words pick among the figures; the rest of it only lengthens the span
    # ("4.037 HS dịch vụ công mức độ 3, 4" for "... hồ sơ dịch vụ công mức độ 3, 4").
    written = whole[:6]
    unit = [strip_diacritics(w) for w in written]

    # The unit's leading words, up to a place or a function word ("hồ sơ số hóa" of "số hồ sơ số hóa ở phường ...
    # bao nhiêu"): a figure whose own clause names all of them before it is that quantity's value, a share too
    # ("số hồ sơ số hóa mới chỉ đạt khoảng 30%", not "(42 hồ sơ)" of the overdue ones; stop 40's walkthrough).
    # Only for a unit named before the question word: after it ("bao nhiêu hồ sơ quá hạn"), a count of it is asked
    # ("42 hồ sơ", not the "0,46%" of the same clause).
    lowered = normalize(question).lower()
    lead = list(itertools.takewhile(lambda w: w not in UNIT_STOP and w not in _COUNT_STOP and w not in _LEVEL_WORDS, unit))
    after_wh = re.search(r"\b(?:bao nhiêu|mấy)\s+\w", asking_part(lowered))
    lead = lead if len(lead) >= 3 and not after_wh else []

    def in_unit(word: str) -> bool:
        # With its accents when the question has them: folded, "so" (in "so với") is "số". A unit word
        # of the same meaning will do ("cuộc" for "đợt").
        accented = normalize(word).lower()
        folded = strip_diacritics(accented)
        return any((folded == f and (accented == w or w == f)) or folded in SAME_UNIT.get(f, ())
                   for w, f in zip(written, unit, strict=True))

    # "thì" is no word of the figure's: folded, it is the "thị" of "thị trấn" (stop 42's walkthrough: "... thì cấp
    # huyện có thẩm quyền giải quyết bao nhiêu thủ tục?" got the communes' "154 TTHC ... của xã, thị trấn").
    question_words = (_expanded(_fold_words(re.sub(r"(?<!\w)thì(?!\w)", " ", normalize(question))), sentence)
                      - _locators(question, sentence) - _COUNT_STOP)
    # A sentence giving two tiers' figures, and the question asks one ("cấp huyện ... bao nhiêu"): the figure said
    # of that tier, not of the other ("280 TTHC thuộc thẩm quyền giải quyết của Huyện và 154 TTHC ... của xã").
    # Only one tier asked: "... phường Quảng Cư mà Đoàn giám sát của Ban Pháp chế HĐND thành phố chỉ ra" names the
    # city's council, and its "UBND thành phố quá hạn 26%" is not the ward's rate (stop 42's walkthrough, 0.97).
    asked_tiers = {TIER_OF[level] for level in levels_of(asking_part(question))}
    if len(asked_tiers) != 1 or len({TIER_OF[level] for level in levels_of(sentence)}) < 2:
        asked_tiers = set()
    # The question's own small numbers said right after a figure qualify it ("bao nhiêu hồ sơ làm qua mạng mức độ 3,
    # 4": "4.037 HS dịch vụ công mức độ 3, 4", not "27.866 hồ sơ"; stop 42's walkthrough, 0.87).
    # Not a period's ("trong năm 2021 và 4 tháng đầu năm 2022": its "4" is no qualifier; stop 43's walkthrough got
    # "4.037 HS dịch vụ công mức độ 3, 4" for the files settled on time).
    asked_numbers = {n for n in re.findall(r"(?<![\d.,/])\d{1,3}(?!\d|[.,/]\d)(?!\s*(?:tháng|năm|quý|tuần|ngày)(?!\w))",
                                           question)}
    # A rate asked before or with the question word, not in a second question after it ("... bao nhiêu hồ sơ ...,
    # tỷ lệ đúng hạn thế nào?" asks the count first).
    wh = re.search(r"\b(?:bao nhiêu|mấy)\b", lowered)  # none: a query typed as the figure's name
    asked_part = lowered[: lowered.find(",", wh.end()) if wh and "," in lowered[wh.end():] else len(lowered)]
    percent = bool(re.search(r"tỷ lệ|tỉ lệ|phần trăm|%", asked_part))
    # ... unless a counted unit follows the question word: "tỷ lệ hồ sơ quá hạn 0,46% tương ứng bao nhiêu hồ sơ" asks
    # how many files (stop 42's walkthrough: "26%" at 0.91; the article's "0,46% (42 hồ sơ)").
    counted = re.match(r"\s+(?!phần trăm|%)(\w+)", lowered[wh.end():]) if wh else None
    if percent and counted and strip_diacritics(counted.group(1)) not in _NOT_A_UNIT:
        percent = False
    rate_of = _rate_subject(question) if percent else frozenset()
    # A percentage asked, and the sentence gives one: the counts beside it are not the answer.
    numbers = list(NUMBER.finditer(sentence))
    numbers = sorted(numbers + list(WORD_NUMBER.finditer(sentence)), key=lambda m: m.start())
    percent_only = percent and any(m.group(0).endswith("%") for m in numbers)
    # "bao nhiêu tiền", "số tiền ... là bao nhiêu", "kinh phí bao nhiêu": a sum of money is counted
    # in đồng (or triệu, tỷ, USD), whatever words the question puts after "bao nhiêu".
    money = bool(MONEY_ASKED.search(lowered))
    direction = bool(_DIRECTION_ASKED.search(lowered))  # "tăng hay tụt bao nhiêu bậc?"
    # The clause each number sits in: "Tỷ lệ hồ sơ quá hạn vẫn còn 0,46%; ...; số hồ sơ số hóa mới
    # chỉ đạt khoảng 30%". A question word counts more in the clause it sets apart from the
    # sentence's other clauses ("số hóa" in one, "tỷ lệ" in two, "hồ sơ" in two). A colon right
    # before the figure joins it to its label ("Số tiền phí, lệ phí thu được: 545.180.000 đồng");
    # one with words after it opens a list ("cần khắc phục: tỷ lệ ... 0,46%; ...").
    clause_text = {m.start(): _own_clause(sentence[: m.start()]) for m in numbers}
    # What follows a figure up to the next clause, "và" or figure qualifies it: "280 TTHC thuộc thẩm quyền
    # giải quyết của Huyện và 154 TTHC thuộc thẩm quyền giải quyết của xã": "của Huyện" is the 280's.
    trailing = {m.start(): re.split(rf"[;:]|,(?!\s*(?i:{ADMIN_UNIT})\b)|\bvà\b|\d", sentence[m.end():])[0]
                 for m in numbers}
    clauses = {m.start(): set(_fold_words(clause_text[m.start()][-80:])) | set(_fold_words(trailing[m.start()]))
               for m in numbers}
    # A place the question names ("phường Lê Lợi"): a figure whose clause names another place and not
    # it is that place's ("đứng đầu là phường Xuân Khanh đạt 91/100 điểm, tiếp theo là ... Lê Lợi").
    asked_places = named_places(question)
    spread = Counter(word for words in clauses.values() for word in words)
    ahead = re.split(r"\b(?:bao nhiêu|mấy)\b", asking_part(lowered))[0] if wh else ""
    lead_in = _said_of(ahead.split(",")[-1])[-3:]
    best, best_score, best_matched, best_ordinal = None, -1.0, 0, False
    best_rate = True  # the best figure is a share of what the question asks a rate of (or none is named)
    best_whole = True  # all the unit a typed query names is said of the best figure
    typed = wh is None  # "số hồ sơ ...", no question word
    # Asked with "bao nhiêu", a unit of four words or more is checked against the whole sentence's words: read once.
    said_anywhere = _with_full_forms(sentence_words) if not typed and len(unit) >= 4 else set()
    elsewhere = False  # the asked unit's figure is given, for another place
    event = rank and bool(EVENT_ASKED.search(normalize(question)))
    label = None if rank else LABEL_ASKED.search(normalize(question))
    label_word = label and re.escape(strip_diacritics(label.group(1)).lower())
    labelled = label and re.compile(rf"(?<!\w){label_word}\s*$")
    if label:  # "khóa mấy?": a term written in Roman numerals ("khoá X", "khóa XVI") is that label's number too
        roman = re.search(rf"(?<!\w){label_word}\s+(?-i:[IVXL]+)(?!\w)",
                          strip_diacritics(sentence), re.IGNORECASE)  # folding keeps one character per character
        if roman:
            return sentence[roman.start() : roman.end()], 1.0
    if label and label_word == "so":  # the document whose words around it the question shares most
        folded = strip_diacritics(sentence)  # folding keeps one character per character
        asked = set(_fold_words(question))
        documents = sorted(_DOCUMENT_NUMBER.finditer(folded), key=lambda m: -len(
            asked & set(_fold_words(folded[max(0, m.start() - 80) : m.start()] + " " + folded[m.end() : m.end() + 60]))))
        if documents:
            return sentence[documents[0].start() : documents[0].end()], 1.0
    for match in numbers:
        number = match.group(0)
        if _is_date(number) or (percent_only and not number.endswith("%")):
            continue
        before = sentence[max(0, match.start() - 12) : match.start()].lower()
        if labelled:
            said = None if match.re is WORD_NUMBER else labelled.search(strip_diacritics(before))
            if not said:
                continue  # "mức độ mấy": only the figure that label numbers ("mức độ 4")
            listed = _NUMBER_LIST.match(sentence, match.end())  # "mức độ 3, 4"
            return sentence[match.start() - len(before) + said.start() : listed.end() if listed else match.end()], 1.0
        if match.re is WORD_NUMBER:
            if re.search(rf"(?<!\w){re.escape(number)}(?!\w)", question, re.IGNORECASE):
                continue
            if re.match(r"\s+(?:số|vài)(?!\w)", sentence[match.end():]) and number.lower() == "một":
                continue  # "một số", "một vài": "some", no figure (stop 33: "Một số" for "bao nhiêu điểm")
        elif _in_question(number, question) and re.search(rf"(?<!\d){re.escape(number)}(?!\d)", question):
            continue  # the question's own numbers ("năm 2023") are not the answer
        if re.fullmatch(r"(?:19|20)\d\d", number) and re.search(r"(?:năm|khóa|khoá)\s*$", before):
            continue  # a year is not a count
        if unit and unit[0] not in _TIME_UNITS and _LENGTH_OF_TIME.match(sentence, match.end()):
            continue  # nor a length of time a count of something else ("6 tháng" for "bao nhiêu điểm")
        said_places = named_places(clause_text[match.start()])
        if asked_places and said_places and not asked_places & said_places:
            following = sentence[match.end():].split()[:1]
            elsewhere = elsewhere or bool(following and in_unit(following[0].rstrip(",.;:()")))
            continue  # another place's figure
        if rank and bool(EVENT_ORDINAL.search(sentence[max(0, match.start() - 20) : match.start()])) != event:
            continue  # "Kỳ họp thứ 5" numbers a meeting, not a place in a ranking (unless the meeting's is asked)
        ordinal = re.search(r"thứ\s*$", sentence[: match.start()], re.IGNORECASE)
        if not rank and ordinal:
            continue  # nor is any ordinal a count ("Kỳ họp thứ 5" does not answer "bao nhiêu")
        if rank and not event and not ordinal and not re.search(r"(?:hạng|vị trí|top)\s*$", before):
            continue  # nor a count a place in a ranking ("9 đại biểu" does not answer "xếp thứ mấy")
        after_words = []
        for word in sentence[match.end():].split()[:12]:
            bare = word.rstrip(",.;:()\"”")
            if bare:
                after_words.append(bare)
            if bare != word:
                break  # a unit never runs past punctuation
        matched = covered = 0  # the unit's words after the figure, and how many of the unit's they say
        for word in after_words:
            folded = strip_diacritics(word).lower()
            full = ABBREVIATIONS.get(folded, "").split()
            if (in_unit(word) and folded not in UNIT_STOP) or (money and folded in MONEY_UNITS):
                matched, covered = matched + 1, covered + 1
            elif full and full[0] in unit:  # "HS" for "hồ sơ": as many of the unit's words as it stands for
                matched, covered = matched + 1, covered + sum(w in unit for w in full)
            else:
                break
        if number.endswith("%") and not percent:
            matched = covered = 0  # a share is not a count ("100% cán bộ" does not say how many cán bộ)
        own = clause_text[match.start()]
        after_figure = re.search(r"\d$", sentence[: match.start() - len(own)])  # "673 hồ sơ trực tuyến một ...": 673's
        named = (not matched and bool(lead) and match.re is not WORD_NUMBER and not after_figure
                 and set(lead) <= set(_fold_words(own)))
        if named:
            covered = len(lead)
        if match.re is WORD_NUMBER and not matched and not (rank and ordinal):
            continue  # "một", "năm" without the asked unit after them are no figure
        first = strip_diacritics(after_words[0]).lower() if matched else ""
        unit_first = named or bool(unit) and (first == unit[0] or ABBREVIATIONS.get(first, "").split()[:1] == unit[:1])
        score = covered + (1.0 if unit_first else 0.0)
        score += 0.5 if rank and before.rstrip().endswith("thứ") else 0.0
        if percent and number.endswith("%"):
            score += 2.0
            if rate_of:  # the share of what is asked ("tỷ lệ hồ sơ quá hạn"), not of another thing "quá hạn"
                score += len(rate_of & clauses[match.start()]) / len(rate_of)
        # The question's other words said of this figure; the unit's words count here past where the
        # unit stopped matching ("280 TTHC thuộc thẩm quyền ...": "TTHC" matched, "thuộc" stops it).
        if asked_tiers:
            tiers = {TIER_OF[level] for level in levels_of(clause_text[match.start()][-80:] + " " + trailing[match.start()])}
            score += 0.5 if tiers & asked_tiers else -0.5 if tiers else 0.0
        # The unit's words past those after the figure, said right before it: the figure's own qualifier ("bao
        # nhiêu hồ sơ tiếp nhận mới": "tiếp nhận mới 27.557 HS", not "đã tiếp nhận và xử lý 27.866 hồ sơ"; stop
        # 42's walkthrough, at 0.975). Two words or more, in the unit's order, up to the figure.
        qualifier = [w for w in unit[covered:] if w not in _COUNT_STOP]
        if len(qualifier) >= 2:
            said = _fold_words(sentence[max(0, match.start() - 60) : match.start()])
            run = next((k for k in range(min(len(said), len(qualifier)), 1, -1)
                        if any(qualifier[i : i + k] == said[-k:] for i in range(len(qualifier) - k + 1))), 0)
            score += run / len(qualifier)
        # The question's words right before its question word said right before the figure: what the figure is ("kỳ
        # trước chuyển sang bao nhiêu hồ sơ": "kỳ trước chuyển sang 309 HS", not the "27.866 hồ sơ TTHC" received in
        # all; stop 44's walkthrough, 0.90). Three words at least, past "đã", "có" ...: "đã thực hiện" is every count's.
        # In the figure's own clause, and no other figure's: "280 TTHC thuộc thẩm quyền giải quyết của Huyện và 154"
        # says the 280's words before the 154.
        own_clause = clause_text[match.start()]
        if len(lead_in) == 3 and not re.search(r"\d", own_clause) and lead_in == _said_of(own_clause)[-3:]:
            score += 1.5
        if asked_numbers:
            said_after = sentence[match.end() : match.end() + 50].split(";")[0]
            score += 0.5 * any(re.search(rf"(?<![\d.,/]){n}(?![\d/]|[.,]\d)", said_after) for n in asked_numbers)
        counted = {strip_diacritics(w).lower() for w in after_words[:matched]}
        score += 0.15 * sum(1 / spread[w] for w in (clauses[match.start()] & question_words) - counted)
        if predicate:  # said of this figure: in its clause, or right after it up to the next clause
            near = clauses[match.start()] | set(_fold_words(re.split(r"[;,(]", sentence[match.end():])[0]))
            score += 0.5 * len(predicate & near)
        # A query typed as the figure's name ("số hồ sơ dịch vụ công mức độ 3, 4 cấp xã") names the whole figure:
        # the unit's words past those right after it are said in its part of the sentence (between semicolons,
        # an abbreviation as its words), or the figure counts the unit's head only ("143.533 HS", of every kind).
        rest = {w for w in unit[covered:] if w not in UNIT_STOP and w not in _COUNT_STOP and not w[:1].isdigit()}
        whole_said = True
        if typed and rest:
            part = _fold_words(sentence[sentence.rfind(";", 0, match.start()) + 1 :].split(";")[0])
            whole_said = bool(rest & _with_full_forms(part))
        elif len(rest) >= 4:  # asked with "bao nhiêu": a unit qualified at length, and none of it said anywhere
            whole_said = bool(rest & said_anywhere)
        if score > best_score:
            end = match.end()
            if matched:
                # The whole unit the question names, up to where it stops matching: a cut after a
                # fixed number of syllables left "125/184 thủ tục hành" for "... thủ tục hành chính".
                words_end = match.end()
                for word in after_words[:matched]:
                    words_end = sentence.index(word, words_end) + len(word)
                if unit and strip_diacritics(normalize(after_words[matched - 1])).lower() == unit[-1]:  # to its end
                    for word, asked in zip(after_words[matched:], whole[len(written):], strict=False):
                        if (strip_diacritics(normalize(word)).lower() != strip_diacritics(asked)
                                and _ORDINALS.get(asked) != word):  # "thứ 7" for "thứ Bảy"
                            break
                        words_end = sentence.index(word, words_end) + len(word)
                end = words_end
            start = match.start()
            if rank and ordinal:
                start = ordinal.start()
            elif sentence[start].isdigit():  # not a number in words ("chín đại biểu")
                start = _hedged(sentence, start, direction)
            if matched:
                # A unit ending in a list of numbers takes the whole list ("mức độ 3, 4", not "mức độ 3").
                listed = _NUMBER_LIST.match(sentence, end)
                end = listed.end() if listed and re.search(r"\d$", sentence[:end]) else end
            best, best_score = sentence[start:end].rstrip(",.;:"), score
            # Said of the figure: in its part of the sentence, up to the semicolon before it.
            best_rate = not rate_of or bool(rate_of & (clauses[match.start()]
                                                       | set(_fold_words(sentence[: match.start()].split(";")[-1]))))
            best_matched = matched or named
            best_whole = whole_said
            best_ordinal = bool(rank and ordinal)
    if best is None or (elsewhere and not best_matched and not best_ordinal):
        # "Phường Lê Lợi đạt bao nhiêu điểm?" and "... phường Xuân Khanh đạt 91/100 điểm, tiếp theo là các đơn
        # vị phường Lê Lợi, ...": the points are another place's, and the sentence's other figures count
        # something else (stop 33: answered at 0.54 from "15 xã, phường").
        return None, 0.0
    if rank and not event and not RANKING.search(sentence):
        return best, 0.4  # an ordinal, but nothing says it is a place in a ranking
    # A number followed by the counted unit ("292 TTHC") is a far better sign than any number.
    # "thứ 19" answers "thứ mấy" whatever words follow the question's "mấy".
    # A percentage answers "bao nhiêu phần trăm ..." whatever it is a percentage of; a sum of money
    # asked is not answered by a figure without its currency.
    if money and not best_matched:
        return best, 0.4
    if percent and not re.search(r"%|/\d|phần trăm", best) and not best_matched:
        return best, 0.4  # a rate asked, and a count given ("6 tháng" for "tỷ lệ ... là bao nhiêu", stop 33)
    if not best_rate and not best_matched:
        return best, 0.4  # a share of something else ("rút gọn thời gian ... 30%" for "tỷ lệ người dân hài lòng", stop 34)
    if not best_whole and not percent and not best_ordinal:  # "thứ 19" answers "thứ mấy" whatever follows it
        return best, 0.4
    return best, (1.0 if best_matched or best_ordinal or not unit or (percent and best.endswith("%")) else 0.4)


def _is_title(word: str) -> bool:
    """A word of a title or office. Compared with its accents when it has them: folded, the name
    "Đặng Thị Huyền" is three title words ("đảng", "thị", "huyện")."""
    written = normalize(word).lower()
    folded = strip_diacritics(written)
    return folded in TITLE_WORDS if written == folded else written in TITLE_WORDS_WRITTEN


def _untitled(words: list[str]) -> list[str]:
    """A capitalised run without the titles that lead it ("Phó Bí thư", "Chủ tịch"), a surname kept."""
    while words and _is_title(words[0]) and strip_diacritics(words[0]).lower() not in SURNAMES:
        words = words[1:]
    return words


def _own_name(words: list[str], question: str) -> list[str]:
    """A capitalised run without what leads into it: the question's own words ("xã La Phù Tạ Công Luận",
    "Tổng thống Pháp Macron"), though not a surname alone ("Tôn Thị Nghiêm" for a question about Tôn Đức
    Thắng), and a country before a foreign name ("nhà tâm lý học Pháp Alfred Binet")."""
    if not words:
        return words
    asked = " " + " ".join(_fold_words(question)) + " "
    folded = [strip_diacritics(w).lower() for w in words]
    lead = max((n for n in range(1, len(words)) if f" {' '.join(folded[:n])} " in asked), default=0)
    if lead == 1 and folded[0] in SURNAMES:
        lead = 0
    words = words[lead:]
    foreign = [foreign_word(w) for w in words]
    if not foreign[0] and any(foreign):
        first = foreign.index(True)
        if all(foreign[first:]):
            words = words[first:]
    return words


_PLACE_BEFORE = re.compile(rf"(?<!\w)(?i:{ADMIN_UNIT})\s+$")
# A sentence that opens with a meeting's act, then a comma, then who did it: "Phát biểu kết luận buổi giám sát, đồng chí
# ...", "Tiếp thu, giải trình ý kiến đại biểu, bà ...". Only these: "Năm 1990, Nguyễn Văn A ..." says no act of A's.
_ACT_OPENING = re.compile(r"\W*(?:phát biểu|kết luận|báo cáo|trình bày|chủ trì|khai mạc|bế mạc|tiếp thu|giải trình|thay mặt"
                          r"|đánh giá|chỉ đạo|thông qua|điều hành)\b[^.;:!?]{0,100},\s*(?:(?:đồng chí|đ/c|ông|bà)\s+)?$",
                          re.IGNORECASE)


def _who(question: str, sentence: str) -> tuple[str | None, float]:
    name, fit, _ = who_holds(question, sentence)
    return name, fit


@functools.lru_cache(maxsize=1024)
def who_holds(question: str, sentence: str) -> tuple[str | None, float, bool]:
    """The name answering a "who" question in `sentence`, how well it fits, and whether it is named
    holding the office the question asks about ("Ai là Chủ tịch UBND xã?": "Tạ Công Luận - Phó Bí thư
    Đảng uỷ, Chủ tịch UBND xã"). Cached: the type fit and the selector's `holder` feature both read it."""
    asked = roles_of(question)
    candidates = []
    runs = list(NAME_RUN.finditer(sentence))
    covered = {i for m in runs for i in range(m.start(), m.end())}
    single = [m for m in _FOREIGN_WORD.finditer(sentence) if m.start() not in covered and foreign_word(m.group(0))]
    matches = sorted(runs + single, key=lambda m: m.start())
    for i, match in enumerate(matches):
        words = _untitled(match.group(0).split())
        words = _own_name(words, question)
        if not words or (len(words) < 2 and not foreign_word(words[0])) or all(_is_title(w) for w in words):
            continue
        # The words as written (two spaces or a line break may sit between them): a verbatim span.
        located = re.search(r"\s+".join(map(re.escape, words)), match.group(0))
        name = located.group(0)
        at = match.start() + located.start()
        if _in_question(name, question) or _listed_with_asked(matches, i, sentence, question):
            continue
        surname = strip_diacritics(words[0]).lower() in SURNAMES
        # "phường Quảng Cư", "phường Lê Lợi": a place, not a person; "Chủ tịch HĐND huyện Nguyễn Tiến Việt" a person
        if _PLACE_BEFORE.search(sentence, 0, at) and not (surname and len(words) >= 3):
            continue
        # The name next to the question's words wins: news writes "Name – title" and
        # "title Name", up to the next semicolon ("Mai Văn Công – Bí thư Đảng ủy;").
        start = max(0, at - 30)
        if i and matches[i - 1].end() > start and re.search(rf"(?<!\w)[{LOWER}]", sentence[matches[i - 1].end() : at]):
            start = matches[i - 1].end()  # "Tổng thống Pháp Macron đã tới Hà Nội": the office is Macron's
        before = re.split(r"[;,(]", sentence[start:at])[-1]
        after = sentence[at + len(name) : at + len(name) + 60].split(";")[0]
        # The first name of a sentence opening with what was done ("Phát biểu kết luận buổi giám sát, đồng chí Lê Ngọc
        # Khanh, ...") is who did it: the opening counts for it (stop 43's walkthrough: "Ai là người phát biểu kết luận
        # ...?" had no short answer, and the answer 0.47).
        opening = sentence[:at] if not any(m.start() < at for m in runs) and _ACT_OPENING.match(sentence[:at]) else ""
        context = len(set(_fold_words(before + " " + after + " " + opening)) & set(_fold_words(question)) - {"la", "ai"})
        # The office a name holds stands right before it ("Chủ tịch UBND xã Tạ Công Luận") or after it
        # as an apposition ("Đặng Thị Huyền- Phó Bí thư Huyện ủy, Chủ tịch UBND huyện"), not after a
        # verb ("Lê Ngọc Khanh đề nghị Chủ tịch UBND phường ..."). An apposition may chain offices past
        # those 60 characters ("Lê Ngọc Khanh, Uỷ viên Ban thường vụ Thành ủy, Chủ nhiệm uỷ ban kiểm tra,
        # Trưởng ban Pháp chế HĐND thành phố"): each of its parts that opens with one is read too.
        apposition = bool(re.match(r"\s*[-–—(,:]", after))
        rest = sentence[at + len(name) :].split(";")[0]
        holds = bool(asked) and holds_office(asked, roles_of(before + (" " + after if apposition else ""))
                                             + (appositive_roles(rest) if apposition else []))
        if holds:
            context += 5  # the office asked, next to this name, outweighs the sentence's other shared words
        candidates.append((-context, 0 if surname else 1, at, name, holds))
    if not candidates:
        return None, 0.0, False
    best = min(candidates)
    if asked and not best[4]:
        # "Ai là Chủ tịch UBND phường ...?": names, but none next to the office asked, is a weak fit.
        return best[3], 0.4, False
    return best[3], min(1.0, 0.4 + 0.2 * -best[0]), bool(best[4])


# The cause a sentence gives, as the short answer to "vì sao": after "nguyên nhân (chủ yếu) là do",
# "lý do là", or a "do", "vì", "bởi vì" that opens a clause ("Do nghiện thuốc lá ..., ..."; ", do ảnh
# hưởng của ..."), up to the clause's end. Not "do" after a verb ("Hội nghị do Chủ tịch xã chủ trì":
# by whom), nor "vì vậy", "do đó" (what follows is a consequence).
CAUSE_NOUNS = r"nguyên nhân|nguyên do|lý do|lí do"  # "the cause", "the reason"
_CAUSE = re.compile(
    rf"(?:\b(?:{CAUSE_NOUNS})(?:\s+(?:chủ yếu|chính|cơ bản))?\s+(?:là\s+)?(?:do\s+|vì\s+|bởi\s+)?"
    r"|(?:^|[,;:]\s*|\blà\s+)(?:bởi vì|bởi lẽ|bởi|vì|do)\s+(?!(?:vậy|thế|đó|này)\b))"
    r"(?P<cause>[^,;.:!?]+)", re.IGNORECASE)


# ... or the clause before what it brings about: "... chưa có quy chế phối hợp khiến người dân phải đi lại
# nhiều lần" (stop 36's walkthrough: "vì sao người dân phải đi lại nhiều lần ...?").
_LEADS_TO = re.compile(r"(?:^|[,;:]\s*)(?P<cause>[^,;.:!?]+?)\s+(?:khiến(?:\s+cho)?|dẫn (?:đến|tới))\s+", re.IGNORECASE)


def _cause(sentence: str) -> str | None:
    for pattern in (_CAUSE, _LEADS_TO):
        for match in pattern.finditer(sentence):
            cause = match.group("cause").strip()
            if 3 <= len(cause.split()) <= 30:
                return cause
    return None


_COMPARED_ASKED = re.compile(r"\bso với\s+(?:năm|ngày|tháng|thời điểm|khi|lúc)\s+(?:nào|bao giờ)")
# A document's number and sign ("26/QĐ-UBND", "09/2023/NĐ-CP"); the date written right after it is its date.
DOCUMENT_CODE = re.compile(r"(?<![\w/])\d+(?:/\d{4})?/[^\W\d_]+(?:-[^\W\d_]+)*(?!\w)")
_DOCUMENT_NAMED = re.compile(r"(?<!\w)(?:quyết định|qđ|kế hoạch|kh|công văn|cv|thông báo|tb|nghị quyết|nq|chỉ thị|ct)"
                             r"\s+(?:số\s+)?(\d+)(?![\d/])", re.IGNORECASE)
_DOCUMENT_DATE_GAP = 30  # characters between a document's sign and its date ("599/QĐ-UBND ngày 01/02/2024")


def _documents_dated(question: str, sentence: str, dates: list[re.Match]) -> list[re.Match]:
    """The dates of the documents the question names ("Quyết định số 26/QĐ-UBND ... ngày nào?"), where the
    sentence writes them after the document's sign; none when it names no document."""
    asked = {code.upper() for code in DOCUMENT_CODE.findall(normalize(question))}
    # ... or by its number alone ("QĐ 599 ban hành ngày nào?", stop 42's walkthrough: the other decision's date, 30/01).
    numbered = set(_DOCUMENT_NAMED.findall(normalize(question)))
    if not asked and not numbered:
        return []
    out = []
    for date in dates:
        codes = list(DOCUMENT_CODE.finditer(sentence, max(0, date.start() - _DOCUMENT_DATE_GAP), date.start()))
        if codes and (codes[-1].group(0).upper() in asked or codes[-1].group(0).split("/")[0] in numbered):
            out.append(date)
    return out


def _dates_by_clause(question: str, sentence: str, dates: list[re.Match]) -> list[re.Match]:
    """The dates of the clause (between semicolons) that shares most words with the question, the rarer
    among the clauses the more: in "... theo Quyết định số 599/QĐ-UBND ngày 01/02/2024 của UBND huyện; tiếp
    tục thực hiện Mô hình “Hành chính phục vụ người dân” theo Quyết định số 26/QĐ-UBND ngày 30/01/2024 của
    UBND xã", the second for "Mô hình Hành chính phục vụ người dân ... ban hành ngày nào?"."""
    bounds = [0] + [m.end() for m in re.finditer(";", sentence)] + [len(sentence) + 1]
    clause_of = {d.start(): next(i for i in range(len(bounds) - 1) if d.start() < bounds[i + 1]) for d in dates}
    if len(set(clause_of.values())) < 2:
        return dates
    words = [set(_fold_words(sentence[bounds[i] : bounds[i + 1]])) for i in range(len(bounds) - 1)]
    spread = Counter(w for clause in words for w in clause)
    asked = set(_fold_words(question))
    score = {i: sum(1 / spread[w] for w in words[i] & asked) for i in set(clause_of.values())}
    best = max(score.values())
    return [d for d in dates if score[clause_of[d.start()]] == best]


# A period asked ("cho khoảng thời gian nào", "giai đoạn nào", "số liệu trong thời gian nào"), and a period said ("6 tháng
# cuối năm 2024", "năm 2021 và 4 tháng đầu năm 2022", "năm 2023 và 9 tháng năm 2024"): the short answer, not the
# meeting's date (stop 44's walkthrough: "Ngày 11/7/2024" at 0.92 for the period the meeting planned for). The type
# fit stays the date's, so the selector reads the sentence as before.
_PERIOD_ASKED = re.compile(r"(?<!\w)(?:khoảng thời gian|giai đoạn|thời kỳ|kỳ) nào(?!\w)")
_PERIOD_SAID = re.compile(r"(?<!\w)(?:năm \d{4}\s+và\s+)?\d{1,2}\s+tháng(?:\s+(?:đầu|cuối))?(?:\s+năm(?:\s+\d{4})?)?(?!\w)",
                          re.IGNORECASE)


def _when(question: str, sentence: str, unit: str | None) -> tuple[str | None, float]:
    span, fit = _when_said(question, sentence, unit)
    asked = normalize(question).lower()
    if span is not None and _PERIOD_ASKED.search(asked):
        periods = [m.group(0) for m in _PERIOD_SAID.finditer(sentence) if m.group(0).lower() not in asked]
        if periods:
            return max(periods, key=len), fit
    return span, fit


def _when_said(question: str, sentence: str, unit: str | None) -> tuple[str | None, float]:
    if unit == "lần":  # how often: a frequency, not a date
        often = FREQUENCY.search(sentence)
        return (often.group(0), 1.0) if often else (None, 0.0)
    found = [m for m in DATE.finditer(sentence) if not _in_question(m.group(0), question)]
    found = _documents_dated(question, sentence, found) or _dates_by_clause(question, sentence, found)
    if _COMPARED_ASKED.search(normalize(question).lower()):
        # "Tụt 10 bậc so với năm nào?": the point of comparison ("tụt 10 bậc so với năm 2022").
        compared = [m for m in found if re.search(r"\bso\s+(?:với\s+)?(?:cùng\s+kỳ\s+)?$", sentence[: m.start()], re.IGNORECASE)]
        found = compared or found
    if unit == "thứ":  # a day of the week ("thứ Năm"), not a meeting's number ("Kỳ họp thứ 5")
        days = [m for m in WEEKDAY.finditer(sentence) if not EVENT_ORDINAL.search(sentence[max(0, m.start() - 20) : m.start() + 3])]
        if days:
            return days[0].group(0), 1.0
        # A date tells the day of the week, but does not say it.
        return (found[0].group(0), 0.6) if found else (None, 0.0)
    if unit == "năm":
        years = [m for m in found if re.search(r"(?:19|20)\d{2}", m.group(0))]
        found = years or found
    elif unit == "ngày":
        days = [m for m in found if "/" in m.group(0) or re.match(r"ngày\s|\d{1,2}\s+tháng", m.group(0), re.IGNORECASE)]
        if not days:  # "Ngày nào?" and a year or a month: it does not say the day (stop 33: "năm 2023", 0.93)
            return (found[0].group(0), 0.4) if found else (None, 0.0)
        found = days
    return (found[0].group(0), 1.0) if found else (None, 0.0)


# A list of attendees, as government news opens its reports: "Dự phiên giải trình có đồng chí ...",
# "Tham dự Hội nghị, có đ/c ...", "Cùng dự có ông ...", "... có sự tham dự của ...".
_NOT_ATTEND = r"(?!\s+(?:án|thảo|toán|kiến|báo|định|luật|trữ|phòng|bị|tính)\b)"  # "dự án", "dự kiến", ...
ATTENDEES = re.compile(rf"^\W*(?:về\s+|cùng\s+|đến\s+|tới\s+)?(?:tham\s+)?dự{_NOT_ATTEND}\s[^.;:!?]{{0,80}}?\bcó\s+"
                       r"(?:sự\s+tham\s+dự\s+của\s+)?(?:các\s+)?(?:đồng chí|đ/\s*c|ông|bà|đại diện|lãnh đạo|đại biểu)\b"
                       r"|\bcó sự tham dự của\b", re.IGNORECASE)
ATTENDING = re.compile(rf"(?<!\w)(?:tham\s+)?dự{_NOT_ATTEND}(?!\w)")

# A sum of money asked: "bao nhiêu tiền", "kinh phí ... là bao nhiêu", or a bare "Kinh phí thực hiện
# kế hoạch ...?" (no question word); not "Có bao nhiêu người được trả lương?" (people counted), "Khi
# nào ... cắt giảm chi phí?", "Doanh thu ... cho tổ chức nào?" nor a percentage. Read folded, since a
# question typed without accents comes back with some wrong ("bao nhiêu tiến"); one-syllable words only
# with their accents ("lương", not "lượng").
_MONEY_PHRASES = r"kinh phi|ngan sach|chi phi|le phi|doanh thu|thu nhap|so tien"
_MONEY_WORD = re.compile(rf"\b(?:{_MONEY_PHRASES})\b|(?<!\w)(?:tiền|phí|lương|vốn)(?!\w)")
_MONEY_HEAD = re.compile(rf"^(?:tong\s+)?(?:{_MONEY_PHRASES}|tien|phi|luong)\b")
_ASKS_OTHER = re.compile(r"(?<!\w)(?:nào|gì|ai|đâu|sao|không)(?!\w)")
_HOW_MUCH = re.compile(r"\b(?:bao nhieu|may)\b\s*(\w*(?:\s+\w+)?)")
_NOTHING_COUNTED = {"", "o", "tai", "trong", "vao", "khi", "cho", "cua", "so", "moi", "mot", "hang", "thi", "vay", "a"}
_PERCENT_ASKED = re.compile(r"\b(?:ty le|ti le|phan tram)\b")


def money_asked(question: str, qtype: QuestionType) -> bool:
    """The question asks for a sum of money (then a sentence without one does not answer it)."""
    accented = normalize(question).lower().strip()
    folded = strip_diacritics(accented)
    if _PERCENT_ASKED.search(folded):
        return False
    if qtype.kind == "other":
        return bool(_MONEY_HEAD.match(folded)) and not _ASKS_OTHER.search(accented)
    how_much = _HOW_MUCH.search(folded) if qtype.kind == "count" else None
    if how_much is None:
        return False
    words = how_much.group(1).split()
    if words and (words[0] == "tien" or _MONEY_WORD.match(" ".join(words))):  # "bao nhiêu tiền / kinh phí"
        return True
    if words and (words[0] in _NOTHING_COUNTED or (words[0] in ("nam", "thang") and words[1:2] and words[1][0].isdigit())):
        words = []  # "bao nhiêu năm 2022?": a year said, nothing counted
    before = accented[: how_much.start()]  # folding keeps the length: the positions agree
    return not words and bool(_MONEY_WORD.search(strip_diacritics(before)) or _MONEY_WORD.search(before))


# A sum of money said: a number in đồng ("1.386.718.000 đồng", "5 tỷ đồng", "300.000đ"), or a currency
# named ("30.000 USD", "23.562 $", "779 bảng Anh", "ba mươi lăm đô la").
MONEY = re.compile(r"\d\s*(?:triệu|tỷ|tỉ|nghìn|ngàn)?\s*(?:đồng|đ|vnđ|vnd)(?!\w)"
                   r"|(?<!\w)(?:usd|đô la|đô-la|đôla|euro|bảng anh|yên|nhân dân tệ|won|rupee|franc)(?!\w)|[$€£¥]",
                   re.IGNORECASE)


# A phone number ("0243.8276.152", "(024) 3827 6152", "1900 1234", "+84 24 3827 6152") or an e-mail address.
CONTACT = re.compile(r"(?<![\w/])(?:\+84|\(0\d{1,3}\)|0|1[89]00)[\d .-]{3,}\d(?![\w/])"
                     r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _contact(sentence: str) -> tuple[str | None, float]:
    """A phone number or e-mail address: a sentence that only says one exists ("công khai số điện
    thoại") does not answer "which number"."""
    for match in CONTACT.finditer(sentence):
        digits = re.sub(r"\D", "", match.group(0))
        if "@" in match.group(0) or 7 <= len(digits) <= 12:
            return match.group(0).strip(" .-"), 1.0
    return None, 0.0


def _where(question: str, sentence: str, unit: str | None) -> tuple[str | None, float]:
    plural = bool(_PLURAL.search(normalize(question).lower()))  # "Những phường nào ...?": all of them
    if unit is None:
        for match in AT_PLACE.finditer(sentence):
            if not _in_question(match.group(1), question):
                return match.group(1), 1.0
    for match in PLACE.finditer(sentence):
        place = match.group(0)
        if unit and not place.lower().startswith(unit):
            continue
        if not _in_question(place, question):
            if plural:
                return sentence[match.start() : _listed(sentence, match.end())], 1.0
            return place, 1.0
    if unit and plural:
        # "Những xã nào ... thấp?": "Một số đơn vị còn đạt thấp như Kim Sơn, Sơn Đông, Phú Thịnh" (stop 45's walkthrough)
        for match in _NAMES_LISTED.finditer(sentence):
            end = _listed(sentence, match.end())
            if end > match.end() and not _in_question(match.group(1), question):
                return sentence[match.start(1) : end], 1.0
    return None, 0.0


# A list of names brought in by "như", "gồm", "là" or a colon, its level words left out ("như Kim Sơn, Sơn Đông").
_NAMES_LISTED = re.compile(rf"(?:(?<!\w)(?:như|gồm|gồm có|là)\s*:?|:)\s+({_CAP}(?:\s+{_CAP})*)(?=\s*(?:,|và\b))")


# "những / các <noun> nào": several are asked, and a list answers ("phường Lê Lợi, Ngô Quyền, Sơn Lộc").
_PLURAL = re.compile(r"\b(?:những|các)\s+(\w+(?:\s+\w+)?)\s+nào\b")
_NAME_ITEM = rf"(?:(?i:{ADMIN_UNIT})\s+)?{_CAP}(?:\s+{_CAP})*"
_LIST_TAIL = re.compile(rf"(?:\s*,\s*|\s+và\s+){_NAME_ITEM}(?=\s*(?:[,.;:!?)…]|và\b|$))")


def _listed(sentence: str, end: int) -> int:
    """Where a list of names that starts with the one ending at `end` ends ("Lê Lợi, Ngô Quyền và Sơn Lộc")."""
    while match := _LIST_TAIL.match(sentence, end):
        end = match.end()
    return end


_ORDINALS = {"nhất": "1", "nhì": "2", "hai": "2", "ba": "3", "tư": "4", "bốn": "4", "năm": "5", "sáu": "6",
             "bảy": "7", "tám": "8", "chín": "9", "mười": "10"}
_ORDINAL = re.compile(rf"(?<!\w)(?:thứ|hạng)\s+({'|'.join(_ORDINALS)}|\d+)(?!\w)", re.IGNORECASE)


def _places(text: str) -> set[str]:
    return {_ORDINALS.get(m.group(1).lower(), m.group(1)) for m in _ORDINAL.finditer(normalize(text))}


# "CCHC là viết tắt của từ gì?", "TTHC là gì?", "chữ UBND nghĩa là gì?": what an abbreviation stands for.
_SHORT_FOR, _MEANING = r"viết tắt(?:\s+của)?(?:\s+(?:từ|chữ|cụm từ))?\s+(?:gì|nào)", r"nghĩa là gì|có nghĩa(?:\s+là)? gì"
_ABBREVIATION_ASKED = re.compile(
    rf"^(?i:chữ\s+|từ\s+|cụm từ\s+)?(\S{{2,10}})\s+(?:là\s+)?(?:{_SHORT_FOR}|là\s+(?:gì|chữ gì|từ gì)|{_MEANING})"
    r"(?:\s+(?:thế|vậy|ạ|nhỉ|nhé|à))*\s*\??\s*$")


# ... and one named inside a longer question ("Trong bài về xã La Phù, chữ HUV đứng sau tên ông Lê Đức Phóng là viết tắt
# của gì?", stop 44's walkthrough): written in capitals after "chữ" or "từ".
_ABBREVIATION_NAMED = re.compile(rf"(?<!\w)(?i:chữ|từ|cụm từ|ký hiệu)\s+([A-ZĐ][A-ZĐ0-9]{{1,9}})(?!\w).*?(?<!\w)(?:{_SHORT_FOR}|{_MEANING})")


@functools.lru_cache(maxsize=256)  # read by `answer_question` and by `candidate_features` for one question
def abbreviation_asked(question: str) -> str | None:
    """The abbreviation a question asks the meaning of ("CCHC là viết tắt của từ gì?": "CCHC"), as written."""
    m = _ABBREVIATION_ASKED.match(normalize(question).strip()) or _ABBREVIATION_NAMED.search(normalize(question))
    if not m:
        return None
    word = m.group(1)  # written in capitals, or one of the known abbreviations typed in lower case ("cchc")
    return word if word.isupper() or strip_diacritics(word).lower() in ABBREVIATIONS else None


def spelled_out(abbreviation: str, sentence: str) -> str | None:
    """The words of `sentence`, as written, that spell `abbreviation` out: its known expansion ("cải cách hành chính"
    for "CCHC"), or, for one not known, words whose initials spell it, the first capitalised ("Huyện uỷ viên" for "HUV";
    any initials would do too often: "chức còn hạn chế" spells "CCHC")."""
    letters = strip_diacritics(abbreviation).lower()
    if len(letters) < 2 or not letters.isalpha():
        return None
    known = ABBREVIATIONS.get(letters)
    words = list(re.finditer(r"[^\W\d_]+", sentence))
    for i in range(len(words) - len(letters) + 1):
        run = words[i : i + len(letters)]
        if "".join(strip_diacritics(w.group(0))[0].lower() for w in run) != letters:
            continue
        said = sentence[run[0].start() : run[-1].end()]
        if (strip_diacritics(said).lower() == known) if known else run[0].group(0)[:1].isupper():
            return said
    return None


def short_answer(qtype: QuestionType, question: str, sentence: str) -> tuple[str | None, float]:
    """The short answer inside `sentence` and how well it fits the question (0 to 1)."""
    span, fit = _short_answer(qtype, question, sentence)
    asked = _places(question)
    if span is not None and asked and not asked & _places(sentence):
        # "Phường nào xếp thứ hai?" and a sentence that names the first and then the others: the name
        # it puts first is not the one asked, and the sentence does not say which is.
        return None, fit
    return span, fit


# A change asked with its direction left open ("tăng hay tụt bao nhiêu bậc?"): the direction is half the answer,
# so the verb right before the figure goes with it ("tụt 10 bậc", not "10 bậc"; stop 42's walkthrough).
_DIRECTION = r"tăng|lên|giảm|tụt|xuống|hạ"
_DIRECTION_ASKED = re.compile(rf"(?<!\w)(?:{_DIRECTION})\s+(?:hay|hoặc)\s+(?:{_DIRECTION})(?!\w)")
_DIRECTION_SAID = re.compile(rf"(?<!\w)(?:{_DIRECTION})(?:\s+(?:thêm|lên|xuống))?\s+$", re.IGNORECASE)


# A figure's own hedge goes with it ("khoảng 30%", "tối thiểu 30%": a bare "30%" says more than the article does; stop
# 42's walkthroughs).
_HEDGE_SAID = re.compile(r"(?<!\w)(?:khoảng|tối thiểu|tối đa|ít nhất|gần|hơn|trên|dưới|xấp xỉ|chưa đến|chỉ)\s+$",
                         re.IGNORECASE)


def _hedged(sentence: str, start: int, direction: bool) -> int:
    """Where a figure's span starts once its hedge and, when the question leaves it open, its direction go with it
    ("khoảng 30%", "tụt 10 bậc")."""
    hedge = _HEDGE_SAID.search(sentence[max(0, start - 12) : start])
    if hedge:
        start -= len(hedge.group(0))
    said = _DIRECTION_SAID.search(sentence[max(0, start - 20) : start]) if direction else None
    return start - len(said.group(0)) if said else start


def _short_answer(qtype: QuestionType, question: str, sentence: str) -> tuple[str | None, float]:
    if qtype.kind in ("count", "rank"):
        return _count(question, sentence, qtype.kind == "rank")
    if qtype.kind == "who":
        return _who(question, sentence)
    if qtype.kind == "when":
        return _when(question, sentence, qtype.unit)
    if qtype.kind == "where":
        return _where(question, sentence, qtype.unit)
    if qtype.kind == "why":
        # A cause given fits; a word that may open one ("để", "vì thế", "do" after a verb) fits weakly.
        cause = _cause(sentence)
        return cause, (1.0 if cause else 0.4 if WHY.search(normalize(sentence).lower()) else 0.0)
    if qtype.kind == "contact":
        return _contact(sentence)
    if SHORTCOMINGS_ASKED.search(normalize(question).lower()):  # "... còn những hạn chế gì?": a sentence naming some
        return None, (1.0 if SHORTCOMINGS.search(normalize(sentence).lower()) else 0.0)
    office = office_of(question, sentence)
    if office:  # the offices of the person asked about: a list of who attended gives them too
        return office, 1.0
    if person_asked(question):  # "Akshay Venkatesh là ai?": "... là một nhà toán học người Úc gốc Ấn."
        described = _described(question, sentence)
        return described, (1.0 if described else 0.0)
    if _office_asked(question) is not None and any(sure for _, sure in _asked_people(question)):
        return None, 0.0  # "Ông X giữ chức vụ gì?": a sentence giving X no office does not answer
    if ATTENDEES.search(normalize(sentence)) and not ATTENDING.search(normalize(question).lower()):
        return None, 0.0  # a list of who attended names the officials asked about, but says nothing they did
    abbreviation = abbreviation_asked(question)
    if abbreviation:  # "HUV là viết tắt của gì?": "Huyện uỷ viên"
        return spelled_out(abbreviation, sentence), 1.0
    if asks_yes_or_no(question):  # "... đã thực hiện chưa?": the clause that settles it ("... chưa được thực hiện")
        return _settling_clause(question, sentence), 1.0
    name = _which_name(question, sentence)
    if name is None and _SENT_TO.search(normalize(question).lower()) and not _sent_to(question, sentence):
        return None, 0.0  # "nộp ở bộ phận nào?": a sentence naming no office of that kind does not answer
    return name, 1.0


# The shortcomings of something asked ("Công tác CCHC của huyện còn những hạn chế gì?", "Những tồn tại mà đoàn
# giám sát chỉ ra là gì?"), and a sentence that names some ("vẫn còn một số tồn tại, hạn chế, như: ...", "chưa
# hiệu quả"), not the article's title.
_SHORTCOMING_WORDS = r"hạn chế|tồn tại|khó khăn|vướng mắc|bất cập|yếu kém|thiếu sót|nhược điểm|điểm yếu"
SHORTCOMINGS_ASKED = re.compile(rf"(?<!\w)(?:{_SHORTCOMING_WORDS})(?!\w).*(?<!\w)(?:gì|nào)(?!\w)")
SHORTCOMINGS = re.compile(rf"(?<!\w)(?:{_SHORTCOMING_WORDS}|chưa|chậm|còn thấp|khắc phục)(?!\w)")


# "Ông X giữ chức vụ gì?", "... với cương vị gì?", "Đồng chí X làm trưởng ban nào?": the offices the
# sentence gives the person named.
_OFFICE_ASKED = re.compile(strip_diacritics(rf"\b(?:chức vụ|chức danh|cương vị|(?<!tổ )chức (?:gì|nào)"
                                           rf"|({'|'.join(OFFICE_TITLES)})\s+(?:gì|nào))\b"))


# "Ông Lê Anh Quân là ai?": who a person the question names is, which a news article answers with the
# offices they hold, not with another name. The question is the name (after a title or "cho em hỏi") and
# "là ai" or "là người nào" (`person_asked`).
_WHO_IS = re.compile(r"\s+la (?:ai|nguoi nao)(?:\s+(?:vay|the|a|nhi|nhe))*[\s?.!]*$")
_WHO_IS_FRONT = re.compile(r"^(?:cho (?:em|toi|minh|chau) hoi,?\s*)?ai la\s+")
_WHO_IS_LEAD = re.compile(r"^(?:cho (?:em|toi|minh|chau) hoi,?\s*)?(?:(?:ong|ba|anh|chi|dong chi|d/c)\s+)?$")


# These are read of the question once, not once for each candidate sentence short_answer is asked about.
@functools.lru_cache(maxsize=256)
def _office_asked(question: str) -> str | None:
    """Whether the question asks for an office ("chức vụ gì", "Ông X là ai?"): the asked title, folded
    ("trưởng ban nào": "truong ban"), "" when it names none, None when no office is asked."""
    match = _OFFICE_ASKED.search(strip_diacritics(normalize(question)).lower())
    if match:
        return match.group(1) or ""
    return "" if person_asked(question) else None


_OFFICE_WORD_ASKED = re.compile(r"(?<!\w)(?:chuc vu|chuc danh|cuong vi)(?:\s+\w+){0,2}\s+(?:gi|nao)(?!\w)")


def office_asked_of_person(question: str) -> bool:
    """The question asks, in so many words, the offices of a person it surely names ("Ông Tạ Công Luận giữ chức vụ
    gì?"; not "chủ tịch nào", which asks a person)."""
    return (bool(_OFFICE_WORD_ASKED.search(strip_diacritics(normalize(question)).lower()))
            and any(sure for _, sure in _asked_people(question)))


@functools.lru_cache(maxsize=256)
def person_asked(question: str) -> bool:
    """The question asks who a person it names is ("Ông Lê Anh Quân là ai?", "Nguyễn Thị Lệ là ai?"),
    the name surely a person's (`_asked_people`): not "Chủ tịch UBND xã La Phù là ai?"."""
    text = normalize(question)
    folded = strip_diacritics(text).lower()
    front = _WHO_IS_FRONT.match(folded)
    if front:  # "Ai là Nguyễn Thị Lệ?"
        rest = text[front.end():].rstrip(" ?.!")
        match = NAME_RUN.fullmatch(rest)
        return bool(match) and len(_untitled(rest.split())) >= 2
    end = _WHO_IS.search(folded)
    if not end:
        return False
    for match in NAME_RUN.finditer(text[: end.start()]):
        words = _untitled(match.group(0).split())
        lead = folded[: match.start() + len(match.group(0)) - len(" ".join(words))]
        if match.end() == end.start() and len(words) >= 2 and _WHO_IS_LEAD.match(lead):
            return True
    return False


@functools.lru_cache(maxsize=256)
def _asked_people(question: str) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """The names in the question, without their titles ("Ông Lê Ngọc Khanh": Lê Ngọc Khanh), each with
    whether it surely names a person: a title leads it, it does not open the question, or it opens with
    a Vietnamese surname ("Tạ Công Luận giữ chức vụ gì?"). A capital opening "Một Giám mục ..." is none."""
    out = []
    for match in NAME_RUN.finditer(normalize(question)):
        said = match.group(0).split()
        words = _untitled(said)
        if len(words) >= 2:
            sure = match.start() > 0 or len(words) < len(said) or strip_diacritics(words[0]).lower() in SURNAMES
            out.append((tuple(words), sure))
    return tuple(out)


# What a sentence says its subject is: "là" within a few words after the name ("Akshay Venkatesh (sinh
# ngày 21 tháng 11 năm 1981) là một nhà toán học người Úc gốc Ấn"), to the end of the clause.
_IS = re.compile(r"[^.;:]{0,80}?(?<!\w)là\s+([^,.;:()]{3,120})")


def _named(words: tuple[str, ...], folded: str) -> re.Match | None:
    """Where the name of `words` stands in `folded` (a folded sentence), whatever spaces lie between them."""
    return re.search(r"(?<!\w)" + r"\s+".join(re.escape(strip_diacritics(w).lower()) for w in words) + r"(?!\w)",
                     folded)


def _described(question: str, sentence: str) -> str | None:
    """What the sentence says the person the question names is, for "X là ai?" when it gives X no office."""
    plain = normalize(sentence)
    folded = strip_diacritics(plain).lower()
    for words, _ in _asked_people(question):
        found = _named(words, folded)
        if found:
            match = _IS.match(plain, found.end())
            if match:
                return sentence[match.start(1) : match.end(1)].rstrip()
    return None


@functools.lru_cache(maxsize=1024)
def office_of(question: str, sentence: str) -> str | None:
    """The offices held by the person the question names, as the sentence writes them: in apposition
    after the name ("Tạ Công Luận - Phó Bí thư Đảng uỷ, Chủ tịch UBND xã") or right before it ("Chủ tịch
    UBND xã Tạ Công Luận"); only the one of the asked title when the question names one ("trưởng ban
    nào"). Found on folded text, returned as the sentence writes it (folding keeps the length). Cached:
    the type fit and the selector's `holder` feature both read it."""
    asked = _office_asked(question)
    if asked is None:
        return None
    plain = normalize(sentence)
    folded = strip_diacritics(plain).lower()
    for words, _ in _asked_people(question):
        found = _named(words, folded)
        if not found:
            continue
        span = appositive_span(plain[found.end():])
        if span:
            start, end = found.end() + span[0], found.end() + span[1]
        else:
            span = office_before_span(plain[: found.start()])
            if not span:
                continue
            start, end = span
        if asked:  # only the part holding the asked title ("trưởng ban nào")
            at = start
            for part in sentence[start:end].split(","):
                lead = len(part) - len(part.lstrip(" -–—(:"))
                if strip_diacritics(part[lead:]).lower().startswith(asked):
                    return sentence[at + lead : at + len(part.rstrip())]
                at += len(part) + 1
        return sentence[start:end]
    return None


# "... trên ứng dụng nào?": the name the sentence gives right after the asked noun ("ứng dụng Zalo").
_WHICH = re.compile(r"(?<!\w)(\w+(?:\s+\w+)?)\s+nào(?!\w)")
# Not a thing named by a proper name: a manner, a kind, a person ("lãnh đạo nào": a list of offices).
_WHICH_NOT = frozenset({"cách", "loại", "như", "thế", "gì", "người", "ai", "điều", "việc", "vấn đề", "nội dung",
                        "lãnh đạo", "đồng chí", "cán bộ", "đại biểu", "ông", "bà"})


# What the question says of the one asked, right after "<noun> nào" ("đơn vị nào đứng đầu", "xã nào dẫn đầu"):
# a sentence saying "<that> là <name>" names it.
_SAID_TO_BE = re.compile(r"\s+(\w+(?:\s+\w+)?)\s*\??\s*$")
# A field named ("lĩnh vực đất đai, xây dựng chưa có quy chế phối hợp"): its words up to a verb or a clause's end.
_FIELD_STOP = (r"chưa|đã|được|còn|có|là|của|khiến|nên|thì|với|trong|để|do|đang|sẽ|không|cần|phải|như|tại|theo|cho|nhằm"
               r"|gồm|này|đó|kia|ấy|trên|khác|nào")
_FIELD_NAMED = re.compile(rf"(?i:lĩnh vực)\s+((?!(?:{_FIELD_STOP})\b)[^\W\d]+(?:(?:\s+|,\s*|\s+và\s+)(?!(?:{_FIELD_STOP})\b)"
                          rf"[^\W\d]+){{0,6}})")
# A document asked ("theo quyết định nào?") and one named by its number ("Quyết định số 599/QĐ-UBND ngày 01/02/2024").
_DOCUMENTS = frozenset({"quyết định", "kế hoạch", "công văn", "nghị quyết", "chỉ thị", "thông báo", "văn bản",
                        "nghị định", "thông tư"})
_DOCUMENT_NUMBERED = re.compile(rf"(?i:{'|'.join(sorted(_DOCUMENTS, key=len, reverse=True))})\s+số\s+[\w/.-]*\d[\w/.-]*"
                                r"(?:\s+ngày\s+\d{1,2}/\d{1,2}/\d{4})?")

_PLATFORMS = r"ứng dụng|nền tảng|phần mềm|mạng xã hội|app"
_PLATFORM_ASKED = re.compile(rf"(?<!\w)({_PLATFORMS})\s+(?:gì|nào)(?!\w)")
_PLATFORM_NAMED = re.compile(rf"(?<!\w)((?i:{_PLATFORMS}))\s+({_CAP}(?:\s+{_CAP})*)(?=\s*(?:[,.;:!?)]|và\b|$))")


# Where a resident is sent, or what they use, is named ("nộp ở bộ phận nào?": "Bộ phận Một cửa"; "phòng nào": "Phòng
# Nội vụ"; "mạng xã hội nào": "mạng xã hội Zalo"): a sentence that names none of that kind does not answer (stop 44's
# walkthrough: the commune's ranking quoted, the office two candidates down).
# "Ứng dụng gì" and "phần mềm gì" are often answered unnamed ("ứng dụng công nghệ thông tin", "phần mềm quản lý văn bản").
_SENT_TO = re.compile(r"(?<!\w)(bộ phận|phòng|trung tâm|cổng|nền tảng|mạng xã hội|app)\s+(?:gì|nào)(?!\w)")


def _sent_to(question: str, sentence: str) -> str | None:
    """The office or tool of the kind asked that the sentence names, with its name ("Bộ phận Một cửa"), or None."""
    asked = _SENT_TO.search(normalize(question).lower())
    if not asked or _PLURAL.search(normalize(question).lower()):
        return None
    noun = r"\s+".join(map(re.escape, asked.group(1).split()))
    named = re.search(rf"(?<!\w)(?i:{noun})\s+{_CAP}(?:\s+\w+){{0,2}}(?=\s*(?:[,.;:!?)]|và\b|$))",
                      normalize(sentence))
    return named.group(0) if named else None


def _which_name(question: str, sentence: str) -> str | None:
    """The name after the question's "<noun> nào" in the sentence ("ứng dụng nào": "Zalo"), or None;
    several asked ("những đơn vị nào"), the list there ("các đơn vị phường Lê Lợi, Ngô Quyền, ...")."""
    asked = normalize(question).lower()
    sentence = normalize(sentence)
    plural = _PLURAL.search(asked)
    platform = _PLATFORM_ASKED.search(asked)
    if platform and not plural:
        # "trên ứng dụng gì", "lên mạng xã hội nào", "nền tảng gì": the name after any word for one ("ứng dụng Zalo";
        # stop 43's walkthroughs found no short answer for "Zalo" five times).
        software = platform.group(1) == "phần mềm"  # software is named as such, not as an app
        for named in _PLATFORM_NAMED.finditer(sentence):
            if (named.group(1).lower() == "phần mềm") == software:
                return named.group(2)
    match = plural or _WHICH.search(asked)
    if not match or _WHICH_NOT & {match.group(1), *match.group(1).split()}:
        return None
    noun = r"\s+".join(map(re.escape, match.group(1).split()))
    if match.group(1) == "lĩnh vực":  # fields are named in lower case ("lĩnh vực đất đai, xây dựng chưa có ...")
        field = _FIELD_NAMED.search(sentence)
        return field.group(1) if field else None
    if match.group(1) in _DOCUMENTS:  # "theo quyết định nào?": "Quyết định số 599/QĐ-UBND ngày 01/02/2024"
        document = _DOCUMENT_NUMBERED.search(sentence)
        return document.group(0) if document else None
    if plural:
        first = re.search(rf"(?i:{noun})\s*:?\s+({_NAME_ITEM})", sentence)
        end = _listed(sentence, first.end()) if first else 0
        return sentence[first.start(1) : end] if first and end > first.end() else None
    # The name whole: up to punctuation or "và", not a run cut by a lower-case word ("Ban Chỉ đạo").
    named = re.search(rf"(?i:{noun})\s+({_CAP}(?:\s+{_CAP})*|“[^”]{{1,80}}”)(?=\s*(?:[,.;:!?)]|và\b|$))",
                      sentence)
    if not named:
        # "đơn vị nào đứng đầu?": "đứng đầu là phường Xuân Khanh" (stop 45's walkthrough)
        said = _SAID_TO_BE.match(asked, match.end())
        if said:
            named = re.search(rf"(?i:{re.escape(said.group(1))})\s+là\s+({_NAME_ITEM})", sentence)
            if named and not _in_question(named.group(1), question):
                return named.group(1)
        # "Bộ phận Một cửa": a name whose later words are not capitalised, said whole
        return _sent_to(question, sentence)
    if strip_diacritics(named.group(1)).lower() in ABBREVIATIONS:  # "lãnh đạo UBND": an organ, not a name
        return None
    return named.group(1)


def extract_short(qtype: QuestionType, question: str, sentence: str) -> str | None:
    """The short answer inside `sentence` for a question of type `qtype`, or None."""
    return short_answer(qtype, question, sentence)[0]
