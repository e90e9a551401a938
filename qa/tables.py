"""Chunk and article tables read on demand: JSONL lines reached by byte offsets, numpy columns for filters.

A loaded index keeps only small columns in memory (per chunk: its article, start, source
code and day; per article: doc id and hash); a chunk's text and metadata are parsed from
the memory-mapped JSONL when asked for, so a million-passage index does not hold every
chunk text to answer one question.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import BinaryIO

import numpy as np

from .records import Article, Chunk

NO_DAY = np.iinfo(np.int32).min  # an undated chunk
CHUNK_COLUMNS = np.dtype([("offset", "<i8"), ("article", "<i4"), ("start", "<i4"), ("source", "<i4"),
                          ("day", "<i4")])
ARTICLE_COLUMNS = np.dtype([("offset", "<i8"), ("source", "<i4")])


def day_of(iso: str | None) -> int:
    """Days since 0001-01-01 of an ISO date, NO_DAY for None."""
    return NO_DAY if not iso else date.fromisoformat(iso).toordinal()


def write_lines(path: Path, rows: list[dict]) -> np.ndarray:
    """Write rows as JSONL (UTF-8, ensure_ascii=False); returns each line's byte offset (int64)."""
    offsets = np.zeros(len(rows), dtype=np.int64)
    at = 0
    with path.open("wb") as f:
        for i, row in enumerate(rows):
            line = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
            offsets[i] = at
            at += len(line)
            f.write(line)
    return offsets


def line_offsets(path: Path) -> np.ndarray:
    """Byte offsets of the non-empty lines of a JSONL file (for indexes written before format 3)."""
    data = np.fromfile(path, dtype=np.uint8)
    if not len(data):
        return np.zeros(0, np.int64)
    ends = np.flatnonzero(data == ord("\n"))
    starts = np.concatenate([[0], ends + 1])
    starts = starts[starts < len(data)]
    nonempty = [s for s in starts if data[s] not in (ord("\n"), ord("\r"))]
    return np.asarray(nonempty, dtype=np.int64)


class _Lines:
    """The lines of a JSONL file by number, read with one positioned read each from the file opened
    at load (a later rebuild renames a new folder into place; this keeps reading the file it was
    loaded from).

    Not memory-mapped: each page fault on a mapping maps up to 16 neighbouring pages, so the five
    hits of a question left about 300 MB of a million-chunk file resident after 200 questions;
    a read leaves only the kernel's page cache, which is shared and dropped under pressure.
    """

    def __init__(self, path: Path, offsets: np.ndarray):
        self.offsets = offsets
        self._file = path.open("rb")
        self._size = path.stat().st_size
        self._lock = threading.Lock()  # seek + read where os.pread is missing (Windows)

    def __len__(self) -> int:
        return len(self.offsets)

    def row(self, i: int) -> dict:
        start = int(self.offsets[i])
        end = int(self.offsets[i + 1]) if i + 1 < len(self.offsets) else self._size
        if hasattr(os, "pread"):
            data = os.pread(self._file.fileno(), end - start, start)
        else:
            with self._lock:
                self._file.seek(start)
                data = self._file.read(end - start)
        return json.loads(data)


class ChunkTable(Sequence):
    """Chunks by row, parsed when asked for; `columns` holds the fields filters need."""

    def __init__(self, path: Path, columns: np.ndarray, source_names: list[str]):
        self.columns = columns
        self.source_names = source_names
        self._lines = _Lines(path, np.ascontiguousarray(columns["offset"]))
        self._path = path
        self._contiguous: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.columns)

    def column(self, name: str) -> np.ndarray:
        """One column as its own contiguous array (made once): filters compare a million of them per query,
        about 5x faster than through the 24-byte records."""
        if name not in self._contiguous:
            self._contiguous[name] = np.ascontiguousarray(self.columns[name])
        return self._contiguous[name]

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(f"chunk row {i} out of range (0..{len(self) - 1})")
        return Chunk(**self._lines.row(i))

    def __iter__(self) -> Iterator[Chunk]:
        with self._path.open(encoding="utf-8") as f:  # one sequential pass, not one parse per seek
            for line in f:
                if line.strip():
                    yield Chunk(**json.loads(line))


def read_catalog(file: Path | BinaryIO) -> dict:
    """catalog.json (a path or a file opened in binary mode): doc ids, content hashes and source
    names, row-aligned with articles.jsonl."""
    if isinstance(file, Path):
        return json.loads(file.read_text(encoding="utf-8"))
    file.seek(0)
    return json.loads(file.read())


def read_source_names(path: Path, block: int = 1 << 16) -> list[str]:
    """The source names of catalog.json without parsing its doc ids and hashes.

    `write_tables` writes "sources" last; a JSON string cannot hold an unescaped `"`, so the last
    `, "sources": ` in the file is that key. At a million articles the whole catalog costs about
    300 MB of Python strings that a query never needs; this reads the tail of the file.
    """
    size = path.stat().st_size
    with path.open("rb") as f:
        tail = b""
        while True:
            start = max(0, size - len(tail) - block)
            f.seek(start)
            tail = f.read(size - start)
            at = tail.rfind(b', "sources": ')
            if at >= 0:
                return json.loads(b"{" + tail[at + 2 :])["sources"]
            if start == 0:  # not written by write_tables (an older layout): parse it all
                return read_catalog(path)["sources"]
            block *= 4


class ArticleTable(Mapping):
    """Articles by doc id, parsed when asked for; doc ids and hashes read from catalog.json on first use."""

    def __init__(self, path: Path, columns: np.ndarray, catalog: dict | BinaryIO, source_names: list[str]):
        """`catalog`: parsed, or catalog.json opened at load (a rebuild may replace the folder's file
        before it is first read; the open file is still the one this index was written with)."""
        self.columns = columns
        self.source_names = source_names
        self._catalog_source = catalog
        self._lines = _Lines(path, np.ascontiguousarray(columns["offset"]))
        if isinstance(catalog, dict):
            self._check(catalog)

    def _check(self, catalog: dict) -> dict:
        if not len(catalog["doc_ids"]) == len(catalog["hashes"]) == len(self.columns):
            raise ValueError(f"{len(self.columns)} articles but {len(catalog['doc_ids'])} doc ids and "
                             f"{len(catalog['hashes'])} hashes")
        return catalog

    @functools.cached_property
    def _catalog(self) -> dict:
        source = self._catalog_source
        if isinstance(source, dict):
            return source
        with source:
            return self._check(read_catalog(source))

    @property
    def doc_ids(self) -> list[str]:
        return self._catalog["doc_ids"]

    @functools.cached_property
    def _row(self) -> dict[str, int]:
        return {d: i for i, d in enumerate(self.doc_ids)}

    @functools.cached_property
    def hashes(self) -> dict[str, str]:
        """doc id -> content hash (for incremental builds; made on first use)."""
        return dict(zip(self.doc_ids, self._catalog["hashes"], strict=True))

    def __len__(self) -> int:
        return len(self.columns)

    def __iter__(self) -> Iterator[str]:
        return iter(self.doc_ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._row

    def __getitem__(self, doc_id: str) -> Article:
        row = self._lines.row(self._row[doc_id])
        row.pop("hash", None)
        return Article(**row)

    def sources(self) -> list[str]:
        """The source files that have articles in this index, sorted."""
        used = np.unique(self.columns["source"]) if len(self.columns) else []
        return sorted(self.source_names[i] for i in used)


def write_tables(folder: Path, chunks: list[Chunk], articles: list[Article], hashes: dict[str, str]) -> None:
    """chunks.jsonl + chunks.npy, articles.jsonl + articles.npy, catalog.json (doc ids, hashes, sources)."""
    names = sorted({a.source for a in articles} | {c.source for c in chunks})
    code = {name: i for i, name in enumerate(names)}
    article_row = {a.doc_id: i for i, a in enumerate(articles)}
    columns = np.zeros(len(chunks), dtype=CHUNK_COLUMNS)
    columns["offset"] = write_lines(folder / "chunks.jsonl", [c.to_dict() for c in chunks])
    columns["article"] = [article_row.get(c.doc_id, -1) for c in chunks]
    columns["start"] = [c.start for c in chunks]
    columns["source"] = [code[c.source] for c in chunks]
    columns["day"] = [day_of(c.date) for c in chunks]
    np.save(folder / "chunks.npy", columns, allow_pickle=False)
    art = np.zeros(len(articles), dtype=ARTICLE_COLUMNS)
    art["offset"] = write_lines(folder / "articles.jsonl",
                                [{**a.to_dict(), "hash": hashes[a.doc_id]} for a in articles])
    art["source"] = [code[a.source] for a in articles]
    np.save(folder / "articles.npy", art, allow_pickle=False)
    (folder / "catalog.json").write_text(json.dumps(
        {"doc_ids": [a.doc_id for a in articles], "hashes": [hashes[a.doc_id] for a in articles],
         "sources": names}, ensure_ascii=False), encoding="utf-8")


def _derive(folder: Path) -> tuple[np.ndarray, np.ndarray, dict]:
    """The columns of an index written before format 3, read once from its JSONL files."""
    chunk_rows = [json.loads(line) for line in (folder / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
                  if line.strip()]
    article_rows = [json.loads(line) for line in
                    (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    names = sorted({r.get("source", "") for r in article_rows} | {r.get("source", "") for r in chunk_rows})
    code = {name: i for i, name in enumerate(names)}
    article_row = {r["doc_id"]: i for i, r in enumerate(article_rows)}
    columns = np.zeros(len(chunk_rows), dtype=CHUNK_COLUMNS)
    columns["offset"] = line_offsets(folder / "chunks.jsonl")
    columns["article"] = [article_row.get(r["doc_id"], -1) for r in chunk_rows]
    columns["start"] = [r["start"] for r in chunk_rows]
    columns["source"] = [code[r.get("source", "")] for r in chunk_rows]
    columns["day"] = [day_of(r.get("date")) for r in chunk_rows]
    art = np.zeros(len(article_rows), dtype=ARTICLE_COLUMNS)
    art["offset"] = line_offsets(folder / "articles.jsonl")
    art["source"] = [code[r.get("source", "")] for r in article_rows]
    catalog = {"doc_ids": [r["doc_id"] for r in article_rows], "hashes": [r["hash"] for r in article_rows],
               "sources": names}
    return columns, art, catalog


def read_tables(folder: Path, version: int) -> tuple[ChunkTable, ArticleTable]:
    """The chunk and article tables of an index folder (format 2: columns derived on load)."""
    if version >= 3:
        columns = np.load(folder / "chunks.npy", allow_pickle=False)
        art = np.load(folder / "articles.npy", allow_pickle=False)
        catalog: dict | BinaryIO = (folder / "catalog.json").open("rb")  # parsed when doc ids or hashes are asked for
        names = read_source_names(folder / "catalog.json")
    else:
        columns, art, catalog = _derive(folder)
        names = catalog["sources"]
    if columns.dtype != CHUNK_COLUMNS or art.dtype != ARTICLE_COLUMNS:
        raise ValueError("chunk or article columns do not match this format")
    return (ChunkTable(folder / "chunks.jsonl", columns, names),
            ArticleTable(folder / "articles.jsonl", art, catalog, names))
