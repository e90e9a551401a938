"""The small typed records that flow through the package: Article, Chunk, Hit, Citation, Answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Article:
    """One cleaned article. `text` is what spans and quotes refer to (NFC, tone marks as written)."""

    doc_id: str
    text: str
    title: str = ""
    date: str | None = None  # ISO 8601 day, "2024-05-07"
    author: str | None = None
    category: str | None = None
    url: str | None = None
    source: str = ""  # the file the article came from, relative to the corpus folder

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Chunk:
    """A passage of an article: `article.text[start:end] == text`."""

    doc_id: str
    text: str
    start: int
    end: int
    title: str = ""
    date: str | None = None
    source: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with its score (higher is better) and where it came from."""

    text: str
    score: float
    doc_id: str
    title: str
    date: str | None
    source: str
    start: int
    end: int
    rank: int = 0
    dense: float | None = None  # cosine similarity of the passage, when that channel found it
    sentence: float | None = None  # cosine similarity of its best sentence, when that channel found it
    keyword: float | None = None  # BM25 score, when the keyword channel found it

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Citation:
    """A passage supporting an answer; `quote_start:quote_end` locates the quote inside `text`.

    An answer's citations come in the order of their quotes (the answer's own first, then the best
    sentence of each other passage, best first); `score` is the passage's retrieval score, so it need
    not decrease along them.
    """

    doc_id: str
    title: str
    date: str | None
    source: str
    text: str
    start: int  # span of the passage in the article text
    end: int
    quote_start: int
    quote_end: int
    score: float = 0.0

    @property
    def quote(self) -> str:
        return self.text[self.quote_start : self.quote_end]

    def to_dict(self) -> dict:
        return {**asdict(self), "quote": self.quote}

    def __repr__(self) -> str:  # the quote a reader checks, not the whole passage
        return (f"Citation(doc_id={self.doc_id!r}, title={self.title!r}, date={self.date!r}, "
                f"quote={self.quote!r}, score={self.score:.3f})")


NOT_FOUND_TEXT = "Không tìm thấy thông tin này trong các bài viết."


@dataclass(frozen=True)
class Answer:
    """An extractive answer: `text` is copied verbatim from the first citation's passage."""

    question: str
    found: bool
    text: str
    short: str | None
    confidence: float
    citations: list[Citation] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    # Runner-up quotes scored almost as high as `text`: shown beside it so the reader can judge.
    alternatives: list[Citation] = field(default_factory=list)
    # A figure the question asked to confirm ("Có phải ... xếp thứ 15 không?": "thứ 15") when the quote gives
    # another (`short`): said beside the answer, so no one takes the quote for a yes.
    stated: str | None = None

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "found": self.found,
            "text": self.text,
            "short": self.short,
            "confidence": round(self.confidence, 4),
            "citations": [c.to_dict() for c in self.citations],
            "alternatives": [c.to_dict() for c in self.alternatives],
            "stated": self.stated,
        }

    def __repr__(self) -> str:  # the retrieved passages (`hits`) counted, not printed whole
        return (f"Answer(question={self.question!r}, found={self.found}, confidence={self.confidence:.3f}, "
                f"short={self.short!r}, text={self.text!r}, citations={self.citations!r}, "
                f"alternatives={self.alternatives!r}, stated={self.stated!r}, hits=<{len(self.hits)} passages>)")
