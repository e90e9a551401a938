"""Vietnamese-specific search aids: abbreviations and diacritics restoration.

Both learn from the indexed corpus itself, so they follow its vocabulary (place names,
institutions) rather than a general dictionary. The learned tables are saved with the index.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, groupby

from .lexicon import ADMIN_LEVELS, BUILTIN_ABBREVIATIONS, QUESTION_SEED, SEED_TEXT, SLASH_ABBREVIATIONS
from .text import has_diacritics, normalize, strip_diacritics, syllables

_SLASH_FORMS = [(re.compile(rf"(?i)(?<!\w){re.escape(short)}(?!\w)"), full)
                for short, full in SLASH_ABBREVIATIONS.items()]
_ABBR_DEF = re.compile(r"((?:[^\W\d_]+\s+){1,10}?)\(\s*([^\W\d_][^\W_]{1,11})\s*\)")
_OPENING = re.compile(r"\(")
_WORD_OR_SPACE = re.compile(r"[^\W\d_]|\s")


_PAIR = "{} {}"


def _tally(text: str, unigrams: Counter, bigrams: Counter) -> None:
    """Add the syllables of `text` and its pairs of neighbouring syllables to the counts."""
    words = syllables(spell_out(text))
    unigrams.update(words)
    bigrams.update(map(_PAIR.format, words, words[1:]))  # no Python frame per pair, as a generator has


def _fold(word: str) -> str:
    return strip_diacritics(word).lower()


def _definitions(text: str) -> Iterator[re.Match]:
    """The matches of `_ABBR_DEF.finditer(text)`, found by trying only the runs of words before a "(".

    A match is words and spaces, "(", the abbreviation, ")": it starts inside the run of letters
    and spaces that ends at its "(" and ends at the first ")" after it. Searching only there is
    about 30 times faster than finditer trying every position of a long passage.
    """
    last_end = 0
    for opening in _OPENING.finditer(text):
        at = opening.start()
        close = text.find(")", at)
        if close < 0:
            return
        start = at
        while start > last_end and _WORD_OR_SPACE.match(text, start - 1):  # letters and spaces before "("
            start -= 1
        match = _ABBR_DEF.search(text, start, close + 1)
        if match:
            last_end = match.end()
            yield match


def learn_abbreviations(texts: Iterable[str]) -> dict[str, str]:
    """Pairs written as "full form (ABBR)" whose word initials spell the abbreviation; `texts` is read once."""
    learned: dict[str, str] = {}
    for text in texts:
        for match in _definitions(normalize(text)):
            abbr = match.group(2)
            if not any(ch.isupper() for ch in abbr[1:]) and not abbr.isupper():
                continue
            letters = _fold(abbr)
            words = match.group(1).split()
            if len(words) < len(letters):
                continue
            candidate = words[-len(letters):]
            if "".join(_fold(w)[0] for w in candidate) == letters:
                learned.setdefault(abbr.lower(), " ".join(candidate).lower())
    return learned


@dataclass
class Abbreviations:
    """Two-way expansion between abbreviations and their full forms, on folded syllables."""

    pairs: dict[str, str] = field(default_factory=dict)

    folded: bool = True  # expand folded syllables (keyword channel) or accented ones (answers)

    def __post_init__(self) -> None:
        key = _fold if self.folded else (lambda w: normalize(w).lower())
        self._full = {key(k): key(v).split() for k, v in self.pairs.items()}
        self._by_first: dict[str, list[tuple[list[str], str]]] = defaultdict(list)
        for abbr, words in self._full.items():
            self._by_first[words[0]].append((words, abbr))

    @classmethod
    def from_corpus(cls, texts: Iterable[str]) -> Abbreviations:
        return cls({**BUILTIN_ABBREVIATIONS, **learn_abbreviations(texts)})

    def expand(self, tokens: list[str]) -> list[list[str]]:
        """Extra token sequences: the full form of each abbreviation, the abbreviation of each full form."""
        extra: list[list[str]] = []
        for i, token in enumerate(tokens):
            if token in self._full:
                extra.append(self._full[token])
            for words, abbr in self._by_first.get(token, ()):
                if tokens[i : i + len(words)] == words:
                    extra.append([abbr])
        return extra


def spell_out(text: str) -> str:
    """Write slash abbreviations ("đ/c") in full so that they tokenise into real syllables."""
    if "/" not in text:  # every form has a slash: most passages have none (a build calls this twice each)
        return text
    for pattern, full in _SLASH_FORMS:
        text = pattern.sub(full, text)
    return text


# Keystrokes of the Telex input method left in a word ("Phos" for "Phó", "Bis" for "Bí", "nawm" for "năm", "ddieemr"
# for "điểm", "Truwởng" for "Trưởng", "Lââm" for "Lâm"; stop 42's walkthrough: a slip on an office's title named the
# wrong official at 0.80, or "not found"). A word is rewritten only when it is no known syllable and its rewriting is.
_TELEX_TONES = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
_TELEX_MARKS = (("uow", "ươ"), ("uwo", "ươ"), ("dd", "đ"), ("aa", "â"), ("aw", "ă"), ("ee", "ê"), ("oo", "ô"),
                ("ow", "ơ"), ("uw", "ư"), ("ââ", "â"), ("êê", "ê"), ("ôô", "ô"))
_VOWELS = set("aeiouy")  # with their marks stripped ("â" is an "a")
_WORD = re.compile(r"[^\W\d_]+")


def _telex_candidates(word: str) -> list[str]:
    """The spellings a word typed with Telex keystrokes left in it may stand for (lower case): its marks' keys read,
    and a last tone key put on each vowel in turn."""
    lowered = normalize(word).lower()
    tone = lowered[-1] if len(lowered) > 2 and lowered[-1] in _TELEX_TONES else None
    if tone:
        lowered = lowered[:-1]
    for keys, letter in _TELEX_MARKS:
        lowered = lowered.replace(keys, letter)
    if tone is None:
        return [normalize(lowered)]
    return [normalize(lowered[: i + 1] + _TELEX_TONES[tone] + lowered[i + 1 :])
            for i, ch in enumerate(lowered) if strip_diacritics(ch) in _VOWELS]


def telex_fixed(text: str, known: set[str] | dict[str, int]) -> str:
    """`text` with each word that still holds Telex keystrokes written as the syllable they type, when `known` (the
    syllables of the articles and the question seed, lower case) has it and not the word as typed."""
    def fix(m: re.Match) -> str:
        word = m.group(0)
        lowered = normalize(word).lower()
        if lowered in known or word.isupper() or len(word) < 2:
            return word
        for candidate in _telex_candidates(word):
            if candidate != lowered and candidate in known:
                return candidate[:1].upper() + candidate[1:] if word[:1].isupper() else candidate
        return word
    return _WORD.sub(fix, text)


_SYLLABLE_RUN = re.compile(r"[^\W_]+")  # a word as the restorer reads it: letters and digits


# Numbers said in words that have no accents: articles write numbers in digits, so their tables may lack them ("hai"
# was read as a stripped "hài" in "năm hai không hai mươi").
_PLAIN_NUMBER_WORDS = frozenset({"hai", "ba", "linh"})


_LEVEL_WORDS = frozenset(level.split()[-1] for level in ADMIN_LEVELS)  # "xã", "phường", "trấn", "phố", ...
# A level word typed without accents before a capitalised name is the level ("phuong Dong Ve" is "phường", not
# "phương": stop 44's walkthrough got phường Quảng Cư's figure at 0.76 for a ward no article names).
_LEVEL_BY_FOLD = {strip_diacritics(level): level for level in ADMIN_LEVELS if level not in ("bản", "ấp")}


def _levels_before_names(typed: list[str], restored: list[str]) -> list[str]:
    """`restored` with each level word typed without accents right before a capitalised word ("phuong Dong Ve",
    "thi xa Son Tay") spelt as the level."""
    out = list(restored)
    for i in range(len(typed) - 1):
        for width in (2, 1):
            if i + width >= len(typed) or not typed[i + width][:1].isupper() or has_diacritics("".join(typed[i : i + width])):
                continue
            level = _LEVEL_BY_FOLD.get(" ".join(w.lower() for w in typed[i : i + width]))
            if level and len(level.split()) == width:
                out[i : i + width] = level.split()
                break
    return out


class DiacriticsRestorer:
    """Puts accents back on a question typed without them, from the corpus's own bigrams."""

    def __init__(self, unigrams: dict[str, int], bigrams: dict[str, int], extra: str = ""):
        """`extra`: a text whose counts are added to the tables' (the candidates follow the sums)."""
        self.unigrams = Counter(unigrams)
        self.bigrams = Counter(bigrams)
        if extra:
            _tally(extra, self.unigrams, self.bigrams)
        self.total = max(1, sum(self.unigrams.values()))
        self.candidates: dict[str, list[str]] = defaultdict(list)
        for word, _ in self.unigrams.most_common():
            self.candidates[strip_diacritics(word)].append(word)

    @classmethod
    def from_corpus(cls, texts: Iterable[str]) -> DiacriticsRestorer:
        """Syllable and pair counts of `texts` (read once, one at a time) and the seed text."""
        unigrams: Counter = Counter()
        bigrams: Counter = Counter()
        for text in chain(texts, [SEED_TEXT]):
            _tally(text, unigrams, bigrams)
        return cls(dict(unigrams), dict(bigrams))

    @classmethod
    def loaded(cls, unigrams: dict[str, int], bigrams: dict[str, int]) -> DiacriticsRestorer:
        """The restorer of an index's stored tables, with `QUESTION_SEED`'s counts added (the tables are
        copied once, as without it: a large index's pair table has millions of entries)."""
        return cls(unigrams, bigrams, extra=QUESTION_SEED)

    def to_dict(self) -> dict:
        return {"unigrams": dict(self.unigrams), "bigrams": dict(self.bigrams)}

    def _log_prob(self, prev: str | None, word: str) -> float:
        unigram = (self.unigrams.get(word, 0) + 0.1) / (self.total + 0.1 * len(self.unigrams))
        if prev is None:
            return math.log(unigram)
        # Interpolated bigram: trust the pair count when there is one, the word frequency otherwise.
        pair = self.bigrams.get(f"{prev} {word}", 0)
        prev_count = self.unigrams.get(prev, 0)
        return math.log((pair + 5.0 * unigram) / (prev_count + 5.0))

    def restore_words(self, folded: list[str]) -> list[str]:
        """Most likely accented spelling of a sequence of folded syllables (Viterbi)."""
        if not folded:
            return []
        lattice = [self.candidates.get(w, [w])[:8] for w in folded]
        best = {w: (self._log_prob(None, w), [w]) for w in lattice[0]}
        for options in lattice[1:]:
            step = {}
            for word in options:
                score, path = max(((s + self._log_prob(prev, word), p) for prev, (s, p) in best.items()),
                                  key=lambda item: item[0])
                step[word] = (score, [*path, word])
            best = step
        return max(best.values(), key=lambda item: item[0])[1]

    def restore(self, text: str, only: list[bool] | None = None, restored: list[str] | None = None) -> str:
        """`text` with each unaccented syllable replaced by its restored spelling, case kept; with `only`, the
        words it marks (one flag per word), the others as typed. `restored`: `restore_words` of its words, when
        the caller has read them already."""
        spans = [(m.start(), m.end()) for m in _SYLLABLE_RUN.finditer(text)]
        words = [text[a:b] for a, b in spans]
        if restored is None:
            restored = self.restore_words([_fold(w) for w in words])
        restored = _levels_before_names(words, restored)
        out, last = [], 0
        for i, ((a, b), original, new) in enumerate(zip(spans, words, restored, strict=False)):
            out.append(text[last:a])
            if strip_diacritics(original).lower() != strip_diacritics(new).lower() or original.isdigit():
                new = original
            elif only is not None and not only[i]:
                new = original
            elif original.isupper() and len(original) > 1:
                new = new.upper()
            elif original[:1].isupper():
                new = new[:1].upper() + new[1:]
            out.append(new)
            last = b
        out.append(text[last:])
        return "".join(out)

    def restore_partly(self, text: str) -> str:
        """A question typed with accents on some words only ("chu tich UBND huyen Gia Lâm là bà nào", "... xã La Phù
        xep thu may"): each run of unaccented words holding one that the articles never write so ("tich", "huyen",
        "xep") is restored, in the context of the whole question; the words typed with accents stay as typed, and
        so do runs of unaccented words the articles write as they are ("cho", "Gia Lâm" ... "ban hành")."""
        words = _SYLLABLE_RUN.findall(text)
        plain = [not has_diacritics(w) and not w.isdigit() and not (w.isupper() and len(w) > 1) for w in words]
        if all(plain):
            return text
        stripped = [p and self.unigrams.get(w.lower(), 0) == 0 and w.lower() not in _PLAIN_NUMBER_WORDS
                    and any(c != w.lower() for c in self.candidates.get(_fold(w), ())) for w, p in zip(words, plain, strict=True)]
        only: list[bool] = []  # each run of unaccented words, whole, when one of its words is stripped
        for unaccented, run in groupby(zip(plain, stripped, strict=True), key=lambda pair: pair[0]):
            flags = [s for _, s in run]
            only += [unaccented and any(flags)] * len(flags)
        mistoned, restored = self._mistoned(words, plain)
        only = [o or m for o, m in zip(only, mistoned, strict=True)]
        return self.restore(text, only, restored) if any(only) else text

    def _mistoned(self, words: list[str], plain: list[bool]) -> tuple[list[bool], list[str] | None]:
        """The accented words typed with a wrong tone ("xả La Phù", "phường Quãng Cư", a learner's or a slip of the
        keyboard): never written in the articles, and spelt otherwise they make a pair the articles write with a
        word beside them ("xã La", "Quảng Cư"). A word the articles lack that makes no such pair stays as typed.
        With the flags, `restore_words` of the words when it was read (None when no word was a candidate)."""
        wrong = [not p and not w.isupper() and self.unigrams.get(w.lower(), 0) == 0
                 and bool(self.candidates.get(_fold(w))) for w, p in zip(words, plain, strict=True)]
        if not any(wrong):
            return wrong, None
        restored = self.restore_words([_fold(w) for w in words])
        read = [r if p else w.lower() for w, r, p in zip(words, restored, plain, strict=True)]  # the neighbours

        def supported(i: int) -> bool:
            # After a level word is a place's name, whatever the articles write there ("xã đa tốn" is no "xã đã").
            pairs = [f"{read[i - 1]} {restored[i]}"] if i and read[i - 1] not in _LEVEL_WORDS else []
            pairs += [f"{restored[i]} {read[i + 1]}"] if i + 1 < len(read) else []
            return any(self.bigrams.get(pair, 0) for pair in pairs)

        return [flag and restored[i] != read[i] and supported(i) for i, flag in enumerate(wrong)], restored


def _count(articles: list[tuple[str | None, str]]) -> tuple[dict[str, str], Counter, Counter]:
    """One batch of (title, text): the abbreviations its texts define, its syllable and pair counts."""
    unigrams: Counter = Counter()
    bigrams: Counter = Counter()
    for title, text in articles:
        _tally(f"{title}\n{text}", unigrams, bigrams)
    return learn_abbreviations(text for _, text in articles), unigrams, bigrams


def corpus_tables(articles: Iterable[tuple[str | None, str]], *,
                  workers: int | None = None) -> tuple[Abbreviations, DiacriticsRestorer]:
    """`Abbreviations.from_corpus` of the texts and `DiacriticsRestorer.from_corpus` of title + text,
    in one pass over (title, text) pairs, in batches over `workers` processes (`qa.parallel`); the
    batches' tables are merged in order, so both equal what one process builds, key order included.
    """
    from .parallel import map_batches

    learned: dict[str, str] = {}
    unigrams: Counter = Counter()
    bigrams: Counter = Counter()
    for found, batch_unigrams, batch_bigrams in map_batches(_count, articles, workers):
        for abbreviation, full in found.items():
            learned.setdefault(abbreviation, full)  # the first definition in corpus order wins
        unigrams.update(batch_unigrams)
        bigrams.update(batch_bigrams)
    _tally(SEED_TEXT, unigrams, bigrams)
    return (Abbreviations({**BUILTIN_ABBREVIATIONS, **learned}),
            DiacriticsRestorer(dict(unigrams), dict(bigrams)))
