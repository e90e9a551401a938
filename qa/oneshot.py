"""The one-call API: `qa.retrieve` / `qa.answer` with the index folder loaded once and cached."""

from __future__ import annotations

from pathlib import Path

from . import store
from .index import Index, load
from .records import Answer, Hit


def retrieve(question: str, k: int = 5, index_dir: str | Path = "index", **options) -> list[Hit]:
    """One call: load the index at `index_dir` (cached per folder) and retrieve."""
    return _cached(index_dir).retrieve(question, k, **options)


def answer(question: str, k: int = 5, index_dir: str | Path = "index", **options) -> Answer:
    """One call: load the index at `index_dir` (cached per folder) and answer."""
    return _cached(index_dir).answer(question, k, **options)


_CACHE: dict[tuple[str, float], Index] = {}


def _cached(index_dir: str | Path) -> Index:
    path = Path(index_dir).resolve()
    manifest = path / store.MANIFEST
    key = (str(path), manifest.stat().st_mtime if manifest.exists() else 0.0)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = load(path)
    return _CACHE[key]
