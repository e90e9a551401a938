"""The embedder interface and its sentence-transformers implementation.

Everything that turns text into vectors goes through `Embedder`, so tests can swap in a
deterministic fake and the index never cares which model sits behind it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from .errors import ModelLoadError
from .model import DEFAULT_MODEL, default_model_path

log = logging.getLogger(__name__)

E5_PROMPTS = {"query": "query: ", "passage": "passage: "}


@runtime_checkable
class Embedder(Protocol):
    """What the index needs from a model: token counting and normalised vectors."""

    model_id: str
    dim: int
    max_tokens: int  # the most content tokens one passage may have (prompt and specials excluded)

    def count_tokens(self, text: str) -> int: ...

    def embed_passages(self, texts: list[str], *, batch_size: int = 32,
                       progress: bool = False) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _quiet_libraries() -> None:
    """Loading bars and debug lines from the libraries would drown the CLI's own output."""
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:  # transformers is a dependency of sentence-transformers; be lenient
        pass


def _prompts_for(model_id: str, configured: dict[str, str]) -> tuple[str, str]:
    query = configured.get("query")
    passage = next((configured[k] for k in ("passage", "document", "doc", "corpus")
                    if k in configured), None)
    if query is None and passage is None and "e5" in model_id.lower():
        return E5_PROMPTS["query"], E5_PROMPTS["passage"]
    return query or "", passage or ""


class SentenceTransformerEmbedder:
    """A sentence-transformers model with its query/passage prompts, on the CPU by default."""

    def __init__(self, model: str | Path | None = None, *, device: str | None = None):
        # The process environment is the entry points' business (qa/cli.py sets HF_HUB_OFFLINE);
        # a local folder is read with local_files_only, so it never waits on the hub either way.
        local_only = False
        if model is None or str(model) == DEFAULT_MODEL:
            self.model_id, path, local_only = DEFAULT_MODEL, str(default_model_path()), True
        else:
            local = Path(model).expanduser()
            if local.exists():
                self.model_id, path, local_only = str(local.resolve()), str(local.resolve()), True
            else:
                self.model_id, path = str(model), str(model)
        try:
            from sentence_transformers import SentenceTransformer

            _quiet_libraries()
            self._model = SentenceTransformer(path, device=device or "cpu", local_files_only=local_only)
        except Exception as exc:  # the library raises many types; the user needs one message
            raise ModelLoadError(
                f"cannot load embedding model {self.model_id!r}: {exc}. Give a local "
                "sentence-transformers folder, or a hub id on a machine with internet access, "
                "or leave --model out to use the bundled multilingual-e5-small.") from exc
        self.query_prompt, self.passage_prompt = _prompts_for(self.model_id, dict(self._model.prompts))
        self.dim = int(self._model.get_embedding_dimension()
                       if hasattr(self._model, "get_embedding_dimension")
                       else self._model.get_sentence_embedding_dimension())
        tokenizer = self._model.tokenizer
        prompt_tokens = len(tokenizer(self.passage_prompt, add_special_tokens=False)["input_ids"])
        special = len(tokenizer("", add_special_tokens=True)["input_ids"])
        self.max_tokens = int(self._model.max_seq_length) - prompt_tokens - special
        self._lock = threading.Lock()  # torch modules are not safe to call from many threads

    def count_tokens(self, text: str) -> int:
        """Content tokens of `text` (no prompt, no special tokens)."""
        return len(self._model.tokenizer(text, add_special_tokens=False)["input_ids"])

    def token_count(self, text: str, *, query: bool = False) -> int:
        """Tokens the model is fed for `text`, prompt and special tokens included."""
        prompt = self.query_prompt if query else self.passage_prompt
        return len(self._model.tokenizer(prompt + text)["input_ids"])

    def embed_passages(self, texts: list[str], *, batch_size: int = 32,
                       progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(list(texts), prompt=self.passage_prompt, batch_size=batch_size,
                                         normalize_embeddings=True, convert_to_numpy=True,
                                         show_progress_bar=progress)
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        # Longer questions are cut at max_seq_length by the model itself, not rejected.
        with self._lock:
            vector = self._model.encode([text], prompt=self.query_prompt, normalize_embeddings=True,
                                        convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vector[0], dtype=np.float32)


def load_embedder(model: str | Path | Embedder | None = None) -> Embedder:
    """An Embedder for a model id, a local folder, an Embedder instance, or None (the default)."""
    if model is not None and not isinstance(model, (str, Path)):
        if not isinstance(model, Embedder):
            raise TypeError(f"model must be a name, a path or an Embedder, not {type(model).__name__}")
        return model
    return SentenceTransformerEmbedder(model)
