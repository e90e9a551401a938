"""A LangChain retriever over a qa index: `Retriever(index_dir="index").invoke("câu hỏi")` gives Documents."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForRetrieverRun, CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field, PrivateAttr

from .errors import InvalidArgumentError
from .index import MODES, Index, load
from .records import Hit

# The options a search takes, as fields, in `search_kwargs` or per call (`invoke(q, k=3)`).
SEARCH_OPTIONS = ("k", "mode", "sources", "date_from", "date_to")


def hit_to_document(hit: Hit) -> Document:
    """A Hit as a LangChain Document: the passage as `page_content`, everything else in `metadata`."""
    meta = hit.to_dict()
    text = meta.pop("text")
    return Document(page_content=text, metadata=meta, id=f"{hit.doc_id}:{hit.start}")


def _check_options(options: dict[str, Any], where: str) -> None:
    unknown = sorted(set(options) - set(SEARCH_OPTIONS))
    if unknown:
        raise InvalidArgumentError(f"unknown option(s) {', '.join(map(repr, unknown))} in {where}; "
                                   f"known: {', '.join(SEARCH_OPTIONS)}")
    mode = options.get("mode")
    if mode is not None and mode not in MODES:
        raise InvalidArgumentError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")


class Retriever(BaseRetriever):
    """Passages of a qa index as LangChain `Document`s, best first (a `BaseRetriever`, so a Runnable).

    Args:
        index_dir: the folder `qa index` wrote; loaded on first use (ignored when `index` is given).
        index: an `Index` already loaded (`qa.load(...)`, `qa.build_index(...)`).
        model: the embedding model to load `index_dir` with (a name, path or Embedder); default: the
            one named in the index manifest.
        k, mode, sources, date_from, date_to: what `Index.retrieve` takes.
        search_kwargs: the same options as a dict (LangChain's vector-store style); they win over
            the fields. Options given to `invoke(question, k=3)` win over both.

    `metadata` of each Document holds doc_id, title, date, source, start, end, score, rank and the
    channel scores dense, sentence and keyword (None where that channel did not find the passage).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index_dir: str | Path = "index"
    index: Index | None = Field(default=None, exclude=True)
    model: Any = Field(default=None, exclude=True)
    k: int = 5
    mode: str = "hybrid"
    sources: list[str] | None = None
    date_from: str | None = None
    date_to: str | None = None
    search_kwargs: dict[str, Any] = Field(default_factory=dict)

    _loaded: Index | None = PrivateAttr(default=None)

    def __init__(self, **data: Any):
        super().__init__(**data)
        # Checked here, not in a pydantic validator, so the error is ours (InvalidArgumentError).
        _check_options({"mode": self.mode}, "Retriever(...)")
        _check_options(self.search_kwargs, "search_kwargs")

    def get_index(self) -> Index:
        """The index searched: the one given, else `index_dir` loaded once."""
        if self.index is not None:
            return self.index
        if self._loaded is None:
            self._loaded = load(self.index_dir, model=self.model)
        return self._loaded

    def options(self, **overrides: Any) -> dict[str, Any]:
        """The search options in force: fields, then `search_kwargs`, then `overrides`."""
        _check_options(overrides, "the call")
        base = {name: getattr(self, name) for name in SEARCH_OPTIONS}
        return {**base, **self.search_kwargs, **overrides}

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **overrides: Any) -> list[Document]:
        options = self.options(**overrides)
        hits = self.get_index().retrieve(query, options.pop("k"), **options)
        return [hit_to_document(h) for h in hits]

    async def _aget_relevant_documents(self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun,
                                       **overrides: Any) -> list[Document]:
        # Retrieval is CPU work (FAISS, BM25, the embedding model): keep it off the event loop.
        return await asyncio.to_thread(self._get_relevant_documents, query, run_manager=run_manager.get_sync(),
                                       **overrides)
