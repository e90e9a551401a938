"""Reading a corpus folder: .txt/.md articles and .jsonl article collections.

Unreadable input is reported and skipped, never fatal: one bad file must not cost the rest.
"""

from __future__ import annotations

import errno
import json
import logging
import os
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

# Why a file or line was not indexed, as a stable code (the chat page translates codes, logs
# and the CLI print the English reason). Not every code is produced by the corpus reader:
# "too_large", "unsupported" and "hidden" are for callers that check uploads.
EMPTY = "empty"  # no text at all
BINARY = "binary"  # NUL bytes: an image, a PDF, ...
ENCODING = "encoding"  # not UTF-8, or text holding lone surrogates
BAD_JSON = "bad_json"  # a JSONL line that is not JSON
NOT_OBJECT = "not_object"  # a JSONL line that is JSON but not an object
MISSING_FIELD = "missing_field"  # a JSONL record without `id` or `text`
BAD_FIELD = "bad_field"  # a JSONL field of the wrong type (an `id` that is a list, ...)
NO_TEXT = "no_text"  # nothing left once the page's boilerplate is removed
DUPLICATE_ID = "duplicate_id"  # an article id seen before; the first one is kept
BAD_NAME = "bad_name"  # a file name that is not valid UTF-8
LINK_OUTSIDE = "link_outside"  # a symbolic link to a file outside the corpus folder
LINK_BROKEN = "link_broken"  # a symbolic link whose target is missing, or a loop
TOO_LARGE = "too_large"  # larger than the caller's size limit
UNSUPPORTED = "unsupported"  # not .txt, .md or .jsonl
HIDDEN = "hidden"  # a name starting with "."
UNREADABLE = "unreadable"  # the operating system refused to read it
SKIP_CODES = (EMPTY, BINARY, ENCODING, BAD_JSON, NOT_OBJECT, MISSING_FIELD, BAD_FIELD, NO_TEXT, DUPLICATE_ID,
              BAD_NAME, LINK_OUTSIDE, LINK_BROKEN, TOO_LARGE, UNSUPPORTED, HIDDEN, UNREADABLE)


@dataclass(frozen=True)
class Skipped:
    """A file (or one JSONL line) that was not indexed: where, why in English, and why as a code.

    `code` is one of SKIP_CODES, for callers that show the reason in another language.
    """

    path: str
    reason: str
    code: str

    def __post_init__(self) -> None:
        if self.code not in SKIP_CODES:
            raise ValueError(f"unknown skip code {self.code!r}; expected one of {', '.join(SKIP_CODES)}")

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class UnreadableFile(ValueError):
    """A file or record that cannot be indexed; `code` is one of SKIP_CODES."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is fine); binary, other encodings and empty files raise UnreadableFile."""
    if not data.strip():
        raise UnreadableFile("empty file", EMPTY)
    if b"\x00" in data[:8192]:
        raise UnreadableFile("binary file (contains NUL bytes), expected UTF-8 text", BINARY)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}); save it as UTF-8", ENCODING) from None
    if not text.strip():
        raise UnreadableFile("empty file", EMPTY)
    return text


def printable_name(name: str) -> str:
    """`name` as valid Unicode: bytes that were not UTF-8 (surrogate escapes) shown as U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def is_valid_unicode(text: str) -> bool:
    """False when `text` holds lone surrogates (undecodable bytes of a file name, "\\ud800" in JSON)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
        raise UnreadableFile("no article text left after removing boilerplate", NO_TEXT)
    return Article(doc_id=doc_id, text=cleaned.text, title=cleaned.title, date=cleaned.date,
                   author=cleaned.author, category=cleaned.category, source=source)


_OPTIONAL_FIELDS = ("title", "url", "source", "category")


def _short_repr(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _check_record(record: object) -> str:
    """The record's id as a string; a record of the wrong shape raises UnreadableFile."""
    if not isinstance(record, dict):
        raise UnreadableFile(f"line is not a JSON object (got {type(record).__name__})", NOT_OBJECT)
    missing = [key for key in ("id", "text") if record.get(key) in (None, "")]
    if missing:
        raise UnreadableFile(f"missing required field(s): {', '.join(missing)}", MISSING_FIELD)
    doc_id = record["id"]
    # An id is a name: a string, or an integer read as its decimal string. A list would
    # become "['a']" and a boolean "True", neither of which anybody meant.
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
        raise UnreadableFile(f"field 'id' must be a string or an integer, got {type(doc_id).__name__} "
                             f"{_short_repr(doc_id)}", BAD_FIELD)
    if not isinstance(record["text"], str):
        raise UnreadableFile(f"field 'text' must be a string, got {type(record['text']).__name__}", BAD_FIELD)
    for key in _OPTIONAL_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise UnreadableFile(f"field {key!r} must be a string, got {type(value).__name__} "
                                 f"{_short_repr(value)}", BAD_FIELD)
    for key in ("id", "text", "date", *_OPTIONAL_FIELDS):
        value = record.get(key)
        if isinstance(value, str) and not is_valid_unicode(value):
            raise UnreadableFile(f"field {key!r} holds a lone surrogate (such as \\ud800), not valid text",
                                 ENCODING)
    return str(doc_id)


def article_from_record(record: dict, source: str) -> Article:
    """An article from one JSONL record (`id`, `text`, optional `title`, `date`, `url`, `source`)."""
    doc_id = _check_record(record)
    cleaned = clean_article(record["text"], title=record.get("title") or "")
    if not cleaned.text.strip():
        raise UnreadableFile("empty text", NO_TEXT)
    return Article(doc_id=doc_id, text=cleaned.text, title=cleaned.title,
                   date=_iso(record.get("date"), f"{source} id {doc_id}") or cleaned.date, author=cleaned.author,
                   category=record.get("category"), url=record.get("url"),
                   source=record.get("source") or source)


def read_jsonl(data: str, source: str) -> tuple[list[Article], list[Skipped]]:
    articles, skipped = [], []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            articles.append(article_from_record(json.loads(line), source))
        except json.JSONDecodeError as exc:
            skipped.append(Skipped(where, f"invalid JSON ({exc.msg})", BAD_JSON))
        except UnreadableFile as exc:
            skipped.append(Skipped(where, str(exc), exc.code))
    if not articles and not skipped:
        skipped.append(Skipped(source, "empty file", EMPTY))
    return articles, skipped


def read_file(path: Path, rel: str) -> tuple[list[Article], list[Skipped]]:
    """Read one corpus file; problems come back as Skipped entries."""
    if not is_valid_unicode(rel):
        return [], [Skipped(printable_name(rel), "file name is not valid UTF-8 (shown with \ufffd); rename the file",
                            BAD_NAME)]
    try:
        text = decode(path.read_bytes())
        if path.suffix.lower() in JSONL_SUFFIXES:
            return read_jsonl(text, rel)
        return [article_from_text(text, rel, rel)], []
    except UnreadableFile as exc:
        return [], [Skipped(rel, str(exc), exc.code)]
    except OSError as exc:
        return [], [Skipped(rel, f"cannot read: {exc.strerror or exc}", UNREADABLE)]


def _link_problem(path: Path, rel: str, root: Path) -> Skipped | None:
    """Why the symbolic link `path` must not be read, or None when it stays inside `root` (resolved)."""
    rel = printable_name(rel)
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop, before Python 3.13
        loop = isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP
        return Skipped(rel, "symbolic link that loops back on itself; not followed" if loop
                       else "symbolic link to a missing file; not followed", LINK_BROKEN)
    if target != root and not target.is_relative_to(root):
        what = "folder" if target.is_dir() else "file"
        return Skipped(rel, f"symbolic link to a {what} outside the corpus folder "
                            f"({printable_name(str(target))}); not followed", LINK_OUTSIDE)
    return None


def corpus_entries(folder: Path) -> tuple[list[Path], list[Skipped]]:
    """The files to read under `folder`, sorted, and the links that must not be followed.

    Hidden names (starting with ".") and unsupported suffixes are left out silently. A symbolic
    link is read only when its target stays inside the corpus folder; links to folders are never
    entered (a folder inside the corpus is read at its own place). Links to article files that
    leave the corpus, dangle or loop, and links to folders outside it, are reported.
    """
    folder = Path(folder)
    real_root = folder.resolve()
    files: list[Path] = []
    refused: list[Skipped] = []
    for dirpath, dirnames, filenames in os.walk(folder):  # never follows links to folders
        base = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames) + [d for d in dirnames if (base / d).is_symlink()]:
            path = base / name
            if name.startswith("."):
                continue
            supported = path.suffix.lower() in SUPPORTED_SUFFIXES
            if path.is_symlink():
                problem = _link_problem(path, path.relative_to(folder).as_posix(), real_root)
                if problem is not None:
                    # Reported when it would have been read: an article file, or a folder of them.
                    if supported or path.is_dir():
                        refused.append(problem)
                    continue
                if not path.is_file():
                    continue  # a link to a folder inside the corpus: read at its own place
            if supported and path.is_file():
                files.append(path)
    return sorted(files), refused


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
    paths, skipped = corpus_entries(root)
    seen: set[str] = set()
    for path in paths:
        rel = path.relative_to(root).as_posix()
        found, bad = read_file(path, rel)
        skipped.extend(bad)
        for article in found:
            if article.doc_id in seen:
                skipped.append(Skipped(rel, f"duplicate id {article.doc_id!r}, first one kept", DUPLICATE_ID))
                continue
            seen.add(article.doc_id)
            articles.append(article)
    for entry in skipped:
        log.warning("skipped %s", entry)
    return articles, skipped
