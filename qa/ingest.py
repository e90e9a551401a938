"""Reading a corpus folder: .txt/.md articles and .jsonl article collections.

Unreadable input is reported and skipped, never fatal: one bad file must not cost the rest.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from .clean import clean_article
from .dates import iso_date
from .records import Article

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES


@dataclass(frozen=True)
class Skipped:
    """A file (or one JSONL line) that was not indexed, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class UnreadableFile(ValueError):
    pass


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is fine); binary, other encodings and empty files raise UnreadableFile."""
    if not data.strip():
        raise UnreadableFile("empty file")
    if b"\x00" in data[:8192]:
        raise UnreadableFile("binary file (contains NUL bytes), expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}); save it as UTF-8") from None
    if not text.strip():
        raise UnreadableFile("empty file")
    return text


def _iso(value: object, where: str) -> str | None:
    try:
        return iso_date(value, trailing=True)
    except ValueError as exc:
        log.warning("%s: date %s; the article is indexed without a date", where, exc)
        return None


def article_from_text(raw: str, doc_id: str, source: str) -> Article:
    """An article from a scraped .txt/.md file."""
    if source.endswith(".md"):
        raw = re.sub(r"^#{1,6}\s+", "", raw, flags=re.MULTILINE)
    cleaned = clean_article(raw)
    if not cleaned.text.strip():
        raise UnreadableFile("no article text left after removing boilerplate")
    return Article(doc_id=doc_id, text=cleaned.text, title=cleaned.title, date=cleaned.date,
                   author=cleaned.author, category=cleaned.category, source=source)


def article_from_record(record: dict, source: str) -> Article:
    """An article from one JSONL record (`id`, `text`, optional `title`, `date`, `url`, `source`)."""
    if not isinstance(record, dict):
        raise UnreadableFile("line is not a JSON object")
    missing = [key for key in ("id", "text") if record.get(key) in (None, "")]
    if missing:
        raise UnreadableFile(f"missing required field(s): {', '.join(missing)}")
    if not isinstance(record["text"], str):
        raise UnreadableFile("field 'text' must be a string")
    cleaned = clean_article(record["text"], title=str(record.get("title") or ""))
    if not cleaned.text.strip():
        raise UnreadableFile("empty text")
    return Article(doc_id=str(record["id"]), text=cleaned.text, title=cleaned.title,
                   date=_iso(record.get("date"), f"{source} id {record['id']}") or cleaned.date, author=cleaned.author,
                   category=record.get("category"), url=record.get("url"),
                   source=str(record.get("source") or source))


def read_jsonl(data: str, source: str) -> tuple[list[Article], list[Skipped]]:
    articles, skipped = [], []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            articles.append(article_from_record(json.loads(line), source))
        except json.JSONDecodeError as exc:
            skipped.append(Skipped(where, f"invalid JSON ({exc.msg})"))
        except UnreadableFile as exc:
            skipped.append(Skipped(where, str(exc)))
    if not articles and not skipped:
        skipped.append(Skipped(source, "empty file"))
    return articles, skipped


def read_file(path: Path, rel: str) -> tuple[list[Article], list[Skipped]]:
    """Read one corpus file; problems come back as Skipped entries."""
    try:
        text = decode(path.read_bytes())
        if path.suffix.lower() in JSONL_SUFFIXES:
            return read_jsonl(text, rel)
        return [article_from_text(text, rel, rel)], []
    except UnreadableFile as exc:
        return [], [Skipped(rel, str(exc))]
    except OSError as exc:
        return [], [Skipped(rel, f"cannot read: {exc.strerror or exc}")]


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def read_corpus(folder: str | Path) -> tuple[list[Article], list[Skipped]]:
    """Read every supported file under `folder` (recursively).

    Returns:
        The articles, and the files or lines that were skipped with the reason.
        Duplicate doc ids keep the first article and report the others.
    """
    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(f"corpus folder {str(root)!r} does not exist")
    articles: list[Article] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for path in corpus_files(root):
        rel = path.relative_to(root).as_posix()
        found, bad = read_file(path, rel)
        skipped.extend(bad)
        for article in found:
            if article.doc_id in seen:
                skipped.append(Skipped(rel, f"duplicate id {article.doc_id!r}, first one kept"))
                continue
            seen.add(article.doc_id)
            articles.append(article)
    for entry in skipped:
        log.warning("skipped %s", entry)
    return articles, skipped
