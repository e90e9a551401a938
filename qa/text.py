"""Vietnamese text normalisation: NFC, one tone-mark placement, accent folding, syllables."""

from __future__ import annotations

import re
import unicodedata

# Indexes record this: text normalised by another version gives other keyword tokens and sentence
# keys, so the chat page rebuilds such an index (vectors of unchanged sentences are reused).
# 2: "hoặc" stays "hoặc" (version 1 turned it into "họăc").
NORMALISATION = 2

# Old-style placement puts the tone on the second vowel of an open "oa", "oe", "uy"
# syllable ("hoà", "uỷ"); the modern style puts it on the first ("hòa", "ủy"). The
# sample articles use both, so every text is brought to the modern style. "qu" + y is
# excluded: in "quý" the u belongs to the consonant and the tone stays on y.
_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
# The toned vowel must carry the tone alone: in "hoặc" (NFD: a, dot below, breve) the dot below sorts
# before the breve, and moving it gave "họăc".
_OLD_STYLE = re.compile(r"(?<![qQ])([oOuU])([aAeEyY][\u0300\u0301\u0309\u0303\u0323])(?![\w\u0300-\u036f])")
_LETTER_OR_MARK = re.compile(r"[^\W\d_]", re.UNICODE)


def _move_tone(match: re.Match) -> str:
    first, second = match.group(1), match.group(2)
    base, tone = second[0], second[1]
    if (first.lower(), base.lower()) not in {("o", "a"), ("o", "e"), ("u", "y")}:
        return match.group(0)
    return first + tone + base


# The same places in NFC text: a bare o/u before a toned a/e/y that ends the syllable. Text that is
# already NFC and has none of them comes back unchanged, without the NFD round trip (most texts a
# build reads are NFC from ingest, and many are normalised again on their way to tokens and tables).
# (The lookbehind after the first letter lets the engine skip to an o or u: 3x faster than before it.)
_OLD_STYLE_NFC = re.compile(r"[oOuU](?<![qQ][oOuU])[àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ](?!\w)")


def normalize(text: str) -> str:
    """NFC with modern tone-mark placement. Keeps length: the result lines up with NFC input.

    >>> normalize("Đảng uỷ") == normalize("Đảng ủy")
    True
    """
    if unicodedata.is_normalized("NFC", text) and _OLD_STYLE_NFC.search(text) is None:
        return text
    return _round_trip(text)


def _round_trip(text: str) -> str:
    """What `normalize` gives without its shortcut: NFD, tones moved, NFC."""
    return unicodedata.normalize("NFC", _OLD_STYLE.sub(_move_tone, unicodedata.normalize("NFD", text)))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    """Remove tones and vowel marks, and map đ to d: "Đảng ủy" -> "Dang uy"."""
    nfd = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in nfd if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


def has_diacritics(text: str) -> bool:
    return strip_diacritics(text) != unicodedata.normalize("NFC", text)


_SYLLABLE = re.compile(r"[^\W_]+(?:[.,][0-9]+)*", re.UNICODE)


def syllables(text: str) -> list[str]:
    """Lower-case syllables (and numbers such as 2.354 or 0,46) of normalised text."""
    return _SYLLABLE.findall(normalize(text).lower())


def folded_syllables(text: str) -> list[str]:
    """Syllables without diacritics, the key both accented and unaccented text share."""
    return [strip_diacritics(s) for s in syllables(text)]


def lacks_diacritics(text: str) -> bool:
    """True when a question looks typed without accents (enough words, none accented)."""
    words = [w for w in syllables(text) if _LETTER_OR_MARK.search(w) and not w.isdigit()]
    if len(words) < 3:
        return False
    return not any(has_diacritics(w) for w in words)
