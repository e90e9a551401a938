"""The index on disk: a folder of plain files, written atomically and checked on load.

    manifest.json    format version, model, chunking, fusion weights, corpus fingerprint,
                     build time, and the size and SHA-256 of every other file
    chunks.jsonl     chunk text and metadata, one per line; row i is chunk i in every channel
    chunks.npy       per chunk: byte offset of its line, article row, start, source code, day
    articles.jsonl   the cleaned articles with their content hash (for incremental builds)
    articles.npy     per article: byte offset of its line, source code
    catalog.json     doc ids, content hashes and source names, row-aligned with articles.jsonl
    restore.json     syllable and pair counts used to restore diacritics
    and the store's own files (the default FAISS + bm25s store: see qa/faiss_store.py)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import CorruptIndexError, IndexFormatError, IndexNotFoundError, InvalidArgumentError, QAError
from .records import Article, Chunk
from .tables import ArticleTable, ChunkTable, read_tables, write_tables

FORMAT_VERSION = 3  # 2: sentence vectors, score fusion; 3: chunk columns, store protocol, ANN kinds
READABLE = (2, 3)  # format 2 is read as a FAISS-flat store, its columns derived on load
MANIFEST = "manifest.json"

log = logging.getLogger(__name__)


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def article_hash(article: Article) -> str:
    return hashlib.sha256(json.dumps(article.to_dict(), ensure_ascii=False, sort_keys=True)
                          .encode("utf-8")).hexdigest()


def corpus_fingerprint(hashes: dict[str, str]) -> str:
    joined = "\n".join(f"{doc_id}\t{h}" for doc_id, h in sorted(hashes.items()))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


@dataclass
class StoredIndex:
    """Everything read back from an index folder, before models are attached."""

    path: Path
    manifest: dict
    chunks: ChunkTable  # lazy: a chunk is parsed when asked for
    articles: ArticleTable  # lazy, by doc id
    store: object  # a qa.vectorstore.VectorStore
    restore: dict

    @property
    def hashes(self) -> dict[str, str]:
        return self.articles.hashes


# The top-level entries a build writes; anything else in an index folder is the user's.
WRITTEN = {MANIFEST, "vectors.faiss", "chunks.jsonl", "sentences.faiss", "sentences.npy", "articles.jsonl",
           "restore.json", "keyword", "chunks.npy", "articles.npy", "catalog.json"}


def check_target(folder: Path, corpus: Path | None = None) -> None:
    """Refuse an index folder whose replacement would delete files this package did not write.

    A build replaces the whole folder, so it must be missing, empty, or an index folder
    holding nothing but what a build writes; and it must not overlap the corpus.
    """
    folder = Path(folder)
    if corpus is not None:
        target, source = folder.resolve(), Path(corpus).resolve()
        if target == source or source in target.parents or target in source.parents:
            raise InvalidArgumentError(
                f"index folder {str(folder)!r} overlaps the corpus folder {str(corpus)!r}; building there "
                "would replace the articles. Choose a separate folder, e.g. --index index")
    if folder.exists() and not folder.is_dir():
        raise InvalidArgumentError(f"index folder {str(folder)!r} is a file, not a folder; choose another path")
    if not folder.is_dir():
        return
    entries = sorted(p.name for p in folder.iterdir())
    if not entries:
        return
    if MANIFEST not in entries:
        raise InvalidArgumentError(
            f"{str(folder)!r} is not empty and holds no index ({MANIFEST} is missing): building there would "
            f"delete {entries[0]!r} and the rest. Choose an empty or new folder for the index")
    foreign = [name for name in entries if name not in WRITTEN]
    if foreign:
        raise InvalidArgumentError(
            f"index folder {str(folder)!r} holds files a build did not write ({', '.join(map(repr, foreign[:3]))}); "
            "a rebuild replaces the whole folder, so move them out first")


def _files_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST)


def _flat_index(dim: int, vectors: np.ndarray):
    from .ann import FLAT, make

    return make(FLAT, dim, vectors)


def save(folder: Path, manifest: dict, chunks: list[Chunk], articles: list[Article],
         hashes: dict[str, str], vector_store, restore: dict) -> None:
    """Write the index into `folder`, replacing what was there only once all is written.

    `vector_store` (a qa.vectorstore.VectorStore holding every chunk) writes its own files
    and gives its manifest entry.
    """
    folder = Path(folder)
    check_target(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    # The builder's pid in the name tells a later build whether this folder is still being written.
    tmp = Path(tempfile.mkdtemp(prefix=f"{_tmp_prefix(folder)}{os.getpid()}-", dir=folder.parent))
    _WRITING.add(tmp)
    try:
        write_tables(tmp, chunks, articles, hashes)
        (tmp / "restore.json").write_text(json.dumps(restore, ensure_ascii=False), encoding="utf-8")
        manifest = {**manifest, "store": vector_store.save(tmp)}
        manifest = {**manifest, "files": {
            p.relative_to(tmp).as_posix(): {"bytes": p.stat().st_size, "sha256": _sha256(p)}
            for p in _files_of(tmp)}}
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        _swap_into_place(tmp, folder)
    finally:
        _WRITING.discard(tmp)
        shutil.rmtree(tmp, ignore_errors=True)


def _previous(folder: Path) -> Path:
    return folder.parent / f".{folder.name}.previous"


def _tmp_prefix(folder: Path) -> str:
    return f".{folder.name}.tmp-"


_WRITING: set[Path] = set()  # temporary folders this process is writing right now


def _swap_into_place(tmp: Path, folder: Path) -> None:
    old = _previous(folder)
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.rename(folder, old)
    os.rename(tmp, folder)
    shutil.rmtree(old, ignore_errors=True)


def recover(folder: str | Path) -> bool:
    """Put back the index that a build killed between its two renames left beside `folder`.

    An explicit step: `qa.load` and every build call it before reading the folder;
    `read_manifest` and `load` below never rename anything. Only acts when `folder` is
    missing or empty, so it can never replace anything else.

    Returns:
        True when the previous index was moved back into place.
    """
    folder = Path(folder)
    old = _previous(folder)
    if not (old / MANIFEST).is_file():
        return False
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    if folder.exists() or folder.is_symlink():
        return False
    os.rename(old, folder)
    log.warning("index %s: put back the previous index left by an interrupted build", folder)
    return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    return True


def _abandoned(tmp: Path, prefix: str) -> bool:
    """True when no running build is writing the temporary folder `tmp`."""
    pid = tmp.name[len(prefix):].split("-", 1)[0]
    if not pid.isdigit():
        return True  # named without a pid: left by an older version of this package
    if int(pid) == os.getpid():
        return tmp not in _WRITING
    return not _pid_alive(int(pid))


def _readable(folder: Path) -> bool:
    try:
        read_manifest(folder)
    except (QAError, OSError):
        return False
    return True


def remove_leftovers(folder: str | Path) -> list[Path]:
    """Delete what killed builds left next to `folder`; called by every build.

    Removes only folders named by this module next to the index folder: temporary folders
    (`.NAME.tmp-PID-*`) whose build is no longer running, and the previous copy
    (`.NAME.previous`) once `folder` holds a readable index of its own.

    Returns:
        The folders removed.
    """
    folder = Path(folder)
    if not folder.parent.is_dir():
        return []
    prefix = _tmp_prefix(folder)
    stale = [p for p in folder.parent.iterdir()
             if p.name.startswith(prefix) and p.is_dir() and not p.is_symlink() and _abandoned(p, prefix)]
    old = _previous(folder)
    if old.is_dir() and not old.is_symlink() and _readable(folder):
        stale.append(old)
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
        log.info("removed %s, left by an interrupted build", path)
    return stale


def _malformed(path: Path, what: str) -> CorruptIndexError:
    return CorruptIndexError(f"index manifest {path} is malformed ({what}); rebuild the index with "
                             f"`qa index --index {path.parent}`")


# Files every index holds; the manifest must list them with their size and checksum.
REQUIRED_FILES = ("chunks.jsonl", "chunks.npy", "articles.jsonl", "articles.npy", "catalog.json", "restore.json")
REQUIRED_FILES_V2 = ("vectors.faiss", "chunks.jsonl", "sentences.faiss", "sentences.npy", "articles.jsonl",
                     "restore.json", "keyword/size.json", "keyword/abbreviations.json")


_KINDS = {dict: "an object", list: "a list", str: "a string", int: "an integer", float: "a number", bool: "a boolean",
          type(None): "nothing"}


def _check_shape(manifest: dict, path: Path) -> None:
    """Raise CorruptIndexError unless `manifest` has the keys and types this module reads."""
    def need(value: object, kind: type, where: str) -> None:
        if isinstance(value, bool) or not isinstance(value, kind):
            raise _malformed(path, f"{where} should be {_KINDS[kind]}, found {_KINDS.get(type(value), type(value).__name__)}")

    model, corpus = manifest.get("model"), manifest.get("corpus")
    need(model, dict, "'model'")
    need(model.get("id"), str, "'model.id'")
    need(model.get("dim"), int, "'model.dim'")
    need(manifest.get("chunking"), dict, "'chunking'")
    if "fusion" in manifest:
        need(manifest["fusion"], dict, "'fusion'")
    need(corpus, dict, "'corpus'")
    need(corpus.get("fingerprint"), str, "'corpus.fingerprint'")
    files = manifest.get("files")
    need(files, dict, "'files' (the size and checksum of each file)")
    for name, info in files.items():
        if name.startswith("/") or ".." in Path(name).parts:
            raise _malformed(path, f"file name {name!r} points outside the index folder")
        need(info, dict, f"'files.{name}'")
        need(info.get("bytes"), int, f"'files.{name}.bytes'")
        need(info.get("sha256"), str, f"'files.{name}.sha256'")
    required = REQUIRED_FILES_V2 if manifest.get("format_version") == 2 else REQUIRED_FILES
    store = manifest.get("store", {"kind": "faiss"})
    need(store, dict, "'store'")
    if store.get("kind", "faiss") == "faiss":
        from .faiss_store import FILES

        required = tuple(dict.fromkeys(required + FILES))
    missing = [name for name in required if name not in files]
    if missing:
        raise _malformed(path, f"'files' does not list {', '.join(missing)}")


def read_manifest(folder: str | Path) -> dict:
    """The manifest of the index in `folder`, its format version and shape checked.

    Pure: reads, never renames or deletes (call `recover` first to put back an index an
    interrupted build left beside its place).

    Raises:
        IndexNotFoundError: no manifest.
        IndexFormatError: written by another format version.
        CorruptIndexError: not JSON, or not the shape this version writes.
    """
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.exists():
        raise IndexNotFoundError(
            f"no index at {str(folder)!r} (no {MANIFEST}); build one with `qa index --corpus DIR "
            f"--index {folder}` or qa.build_index(corpus_dir, {str(folder)!r})")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CorruptIndexError(f"{path} is not valid JSON ({exc}); rebuild the index with `qa index`") from exc
    if not isinstance(manifest, dict):
        raise _malformed(path, f"a JSON object was expected, found {type(manifest).__name__}")
    version = manifest.get("format_version")
    if version not in READABLE:
        raise IndexFormatError(
            f"index at {str(folder)!r} has format version {version!r}, this version of qa reads "
            f"version {FORMAT_VERSION}; rebuild it with `qa index --index {folder}`")
    _check_shape(manifest, path)
    return manifest


def load(folder: str | Path, *, verify: bool = True) -> StoredIndex:
    """Read an index folder, checking format version, manifest shape, file sizes and checksums.

    Reads only: an index left beside its place by an interrupted build is not looked for
    here (`qa.load` calls `recover` first). Chunk and article texts stay on disk until asked for.
    """
    from .vectorstore import open_store

    folder = Path(folder)
    manifest = read_manifest(folder)
    for name, info in manifest["files"].items():
        path = folder / name
        if not path.exists():
            raise CorruptIndexError(f"index file {path} is missing; rebuild the index with `qa index`")
        if path.stat().st_size != info["bytes"] or (verify and _sha256(path) != info["sha256"]):
            raise CorruptIndexError(
                f"index file {path} is corrupted (size or checksum differs from the manifest); "
                "rebuild the index with `qa index`")
    try:
        chunks, articles = read_tables(folder, int(manifest["format_version"]))
        restore = json.loads((folder / "restore.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
        raise CorruptIndexError(f"cannot read the index at {str(folder)!r}: {exc}; rebuild it with `qa index`") from exc
    if int(manifest["corpus"].get("chunks", len(chunks))) != len(chunks):
        raise CorruptIndexError(f"index at {str(folder)!r} lists {manifest['corpus']['chunks']} chunks but holds "
                                f"{len(chunks)}; rebuild it")
    vector_store = open_store(folder, {**manifest, "corpus": {**manifest["corpus"], "chunks": len(chunks)}})
    count = getattr(vector_store, "__len__", None)
    if count is not None and len(vector_store) != len(chunks):
        raise CorruptIndexError(
            f"index at {str(folder)!r} has {len(vector_store)} vectors for {len(chunks)} chunks; rebuild it")
    return StoredIndex(folder, manifest, chunks, articles, vector_store, restore)
