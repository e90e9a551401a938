"""Completing follow-up questions from the conversation: "Còn phường Quảng Cư thì sao?".

A follow-up names a new subject and leans on the previous question for the rest. The
subject replaces the one of the same kind (a ward, a commune, a district, a year) in the
previous question; when there is none to replace, it is added to it.
"""

from __future__ import annotations

import re

from .lexicon import ADMIN_LEVEL_PATTERN, OFFICE_PATTERN, TIER_NAMED
from .text import normalize

_FOLLOW_UP = [
    re.compile(r"^(?:còn|thế còn|vậy còn|thế(?!\s+nào)|với|đối với)\s+(?P<subject>.+?)\s*(?:thì\s+)?"
               r"(?:sao|thế nào|ra sao|thì sao)?\s*\??$", re.IGNORECASE),
    re.compile(r"^(?P<subject>.+?)\s+thì\s+(?:sao|thế nào|ra sao)\s*\??$", re.IGNORECASE),
]
_UNIT = ADMIN_LEVEL_PATTERN
_YEAR = re.compile(r"(?:năm\s+)?(?:19|20)\d{2}")
# An office, and the level it is held at when written ("Chủ tịch HĐND xã"): a follow-up naming one
# replaces the previous question's, keeping its level when it names none.
_OFFICE = re.compile(rf"(?P<office>{OFFICE_PATTERN})(?:\s+(?P<level>{ADMIN_LEVEL_PATTERN})(?!\w))?", re.IGNORECASE)
# "... thì sao?", "Còn ... sao?": a question that only makes sense after another one.
_LEANS = re.compile(r"(?:\bthì\s+(?:sao|thế nào|ra sao)|^(?:còn|thế còn|vậy còn)\s.*(?<!\bvì)(?<!\btại)\s+sao)\s*\??$",
                    re.IGNORECASE)


def _same_case(new: str, old: str) -> str:
    """`new` capitalised as `old` is ("Cấp xã ..." -> "Cấp huyện ...")."""
    return new[:1].upper() + new[1:] if old[:1].isupper() else new[:1].lower() + new[1:]


def _subject(question: str) -> str | None:
    text = normalize(question.strip())
    if len(text.split()) > 10:
        return None  # a long question stands on its own
    for pattern in _FOLLOW_UP:
        match = pattern.match(text)
        if match:
            subject = match.group("subject").strip(" ,?")
            # "cấp huyện thì thu được bao nhiêu": the subject ends where "thì" starts; what follows
            # repeats the previous question.
            subject = re.split(r"\s+thì(?:\s|$)", subject, maxsplit=1)[0]
            return subject or None
    return None


def needs_context(question: str) -> bool:
    """A follow-up that cannot be read alone ("Còn cấp huyện thì sao?"): asked first, it has nothing to
    lean on. ("Còn bao nhiêu hồ sơ chưa giải quyết?" is a question of its own.)"""
    return _subject(question) is not None and bool(_LEANS.search(normalize(question.strip())))


def complete_question(question: str, previous: list[str]) -> str:
    """The question to search for, given the user's earlier questions (oldest first)."""
    subject = _subject(question)
    if subject is None or not previous:
        return question
    base = normalize(previous[-1]).rstrip(" ?")
    # "cấp huyện" after a question about "cấp xã": the tier of government is what changes.
    if TIER_NAMED.fullmatch(subject) and TIER_NAMED.search(base):
        return TIER_NAMED.sub(lambda m: _same_case(subject, m.group(0)), base, count=1) + "?"
    # "Chủ tịch HĐND" after a question about the "Chủ tịch UBND": the office is what changes.
    office = _OFFICE.fullmatch(subject)
    if office and _OFFICE.search(base):
        def swap(m: re.Match) -> str:
            level = office.group("level") or m.group("level")
            return _same_case(office.group("office"), m.group(0)) + (f" {level}" if level else "")
        return _OFFICE.sub(swap, base, count=1) + "?"
    unit = re.match(rf"({_UNIT})\s", subject, re.IGNORECASE)
    if unit and re.search(rf"\b(?i:{_UNIT})\s+nào\b", base, re.IGNORECASE):
        # "Phường nào đứng đầu?" then "Còn phường Lê Lợi thì sao?": no wording of the first makes a
        # question about Lê Lợi (putting it in would claim it came first); it is asked as typed.
        return question
    if unit:
        # Replace "phường X" / "xã X" ... of the same or any administrative kind ("phường nào" asks
        # which ward: it is not one to replace).
        pattern = re.compile(rf"\b(?i:{_UNIT})\s+(?!(?i:nào)\b)[^\s,?.]+(?:\s+[A-ZĐ][^\s,?.]*)*")
        if pattern.search(base):
            return pattern.sub(lambda _: subject, base, count=1) + "?"
    if _YEAR.fullmatch(subject) and _YEAR.search(base):
        return _YEAR.sub(subject if subject.startswith("năm") else f"năm {subject}", base, count=1) + "?"
    return f"{base} – {subject}?"
