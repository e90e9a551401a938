"""The embedder interface and its sentence-transformers implementation.

Everything that turns text into vectors goes through `Embedder`, so tests can swap in a
deterministic fake and the index never cares which model sits behind it.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from .errors import InvalidArgumentError, ModelLoadError
from .model import DEFAULT_MODEL, ONNX_EXPORT, ONNX_FILES, UNFUSED, default_model_path, onnx_model_path

log = logging.getLogger(__name__)

E5_PROMPTS = {"query": "query: ", "passage": "passage: "}
ENCODERS = ("torch", *ONNX_FILES)
# int8 became the default once the answer selector held on its vectors (README, "Int8 as the default"):
# MLQA-vi recall and answer figures within the bounds, the sample sets unchanged.
DEFAULT_ENCODER = "onnx-int8"
"""How the vectors are computed: sentence-transformers on torch (fp32), or ONNX Runtime (fp32 / int8)."""


# Texts per forward pass when a build encodes passages and sentences (sorted by length, so a batch
# pads little). Small batches were faster on this 2-core CPU: MLQA-vi's 451 paragraphs built in
# 42 s with 4 / 16 against 49 s with 32 / 64 (int8), 62 s against 66 s (torch); see the README.
PASSAGE_BATCH = 4
SENTENCE_BATCH = 16


def passage_batch(embedder) -> int:
    """Passages per forward pass in a build: the embedder's own `passage_batch` if it says one
    (int8 ONNX: 1), else PASSAGE_BATCH (torch, Ray, test fakes)."""
    return getattr(embedder, "passage_batch", PASSAGE_BATCH)


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


Spans = list[tuple[int, int]]


def pool_spans(tokens: np.ndarray, offsets: np.ndarray, shift: int,
               spans: Spans) -> tuple[np.ndarray, np.ndarray]:
    """Passage vector and one vector per character span, from one text's token vectors ("late chunking").

    Args:
        tokens: (n, dim) token vectors of `prompt + text`, padding removed.
        offsets: (n, 2) character offsets of those tokens in `prompt + text`; (0, 0) for special tokens.
        shift: len(prompt): span offsets are relative to `text`.
        spans: (start, end) of each sentence in `text`.

    Returns:
        The normalised mean of all tokens (what the model's own pooling gives) and a (len(spans), dim)
        matrix: the normalised mean of the tokens overlapping each span. A span with no token (cut
        by the 512-token limit) gets the passage vector.
    """
    passage = tokens.mean(axis=0)
    starts, ends = offsets[:, 0], offsets[:, 1]
    real = ends > starts
    out = np.empty((len(spans), tokens.shape[1]), dtype=np.float32)
    for i, (a, b) in enumerate(spans):
        # A token's offsets include the space before it ("▁Xin" covers " Xin"): overlap, not containment.
        inside = real & (starts < b + shift) & (ends > a + shift)
        out[i] = tokens[inside].mean(axis=0) if inside.any() else passage
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return (passage / max(float(np.linalg.norm(passage)), 1e-12)).astype(np.float32), out


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

    encoder = "torch"
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

    def embed_with_sentences(self, texts: list[str], spans: list[Spans]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors and, from the same forward pass, the vectors of each passage's sentence spans."""
        import torch

        transformer = self._model[0]
        batch = self._model.tokenizer([self.passage_prompt + t for t in texts], padding=True, truncation=True,
                                      max_length=int(self._model.max_seq_length), return_offsets_mapping=True,
                                      return_tensors="pt")
        offsets = batch.pop("offset_mapping").numpy()
        with self._lock, torch.inference_mode():
            tokens = transformer.auto_model(**batch).last_hidden_state.float().numpy()
        return _pool_batch(tokens, batch["attention_mask"].numpy(), offsets, len(self.passage_prompt), spans)


def _pool_batch(tokens: np.ndarray, mask: np.ndarray, offsets: np.ndarray, shift: int,
                spans: list[Spans]) -> tuple[np.ndarray, list[np.ndarray]]:
    passages, sentences = [], []
    for i, text_spans in enumerate(spans):
        n = int(mask[i].sum())
        passage, sentence = pool_spans(tokens[i, :n], offsets[i, :n], shift, text_spans)
        passages.append(passage)
        sentences.append(sentence)
    return np.stack(passages) if passages else np.zeros((0, tokens.shape[-1]), np.float32), sentences


def padded_batch(tokenizer, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ONNX graph's inputs for `texts` (prompts already added): token ids padded to the longest,
    the attention mask, and each token's character offsets."""
    encodings = tokenizer.encode_batch(texts)
    width = max(len(e.ids) for e in encodings)
    ids = np.ones((len(texts), width), dtype=np.int64)  # 1 = <pad>; masked out anyway
    mask = np.zeros((len(texts), width), dtype=np.int64)
    offsets = np.zeros((len(texts), width, 2), dtype=np.int64)
    for i, e in enumerate(encodings):
        ids[i, : len(e.ids)] = e.ids
        mask[i, : len(e.ids)] = 1
        offsets[i, : len(e.ids)] = e.offsets
    return ids, mask, offsets


class OnnxEmbedder:
    """The bundled e5 model run by ONNX Runtime (fp32, or int8 weights), mean pooled and normalised.

    Same tokenizer, prompts and pooling as the sentence-transformers folder, so token counts are
    identical and vectors agree to the cosine stated in tests/test_embed.py; no torch at run time.
    """

    def __init__(self, encoder: str = "onnx-int8", *, threads: int | None = None):
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer

            path = onnx_model_path(encoder)
            options = ort.SessionOptions()
            threads = threads or int(os.environ.get("OMP_NUM_THREADS", "0"))  # Ray sets it per actor
            if threads:
                options.intra_op_num_threads = threads
            self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"],
                                                 disabled_optimizers=UNFUSED)
            self._tokenizer = Tokenizer.from_file(str(path.parent / "tokenizer.json"))
        except ImportError as exc:
            raise ModelLoadError(f"encoder {encoder!r} needs onnxruntime and onnx: "
                                 f"pip install 'qa-vi[onnx]' ({exc})") from exc
        except Exception as exc:
            raise ModelLoadError(f"cannot load the {encoder} encoder of {DEFAULT_MODEL}: {exc}") from exc
        self.encoder = encoder
        self.onnx_export = ONNX_EXPORT
        # int8 quantises activations with one scale per batch, so a vector moves a little with the
        # texts batched with it. One passage per pass gives each its own scale: its vector depends
        # on its text alone (an incremental build embeds it as a full build does), MLQA-vi recall
        # was as good or better, and it cost about 1 s of a 24 s build (README, issue 12).
        self.passage_batch = 1 if encoder == "onnx-int8" else PASSAGE_BATCH
        self.model_id = DEFAULT_MODEL
        self.query_prompt, self.passage_prompt = E5_PROMPTS["query"], E5_PROMPTS["passage"]
        self.max_length = 512
        self._tokenizer.enable_truncation(self.max_length)
        self.dim = int(self._session.get_outputs()[0].shape[-1] or 384)
        prompt_tokens = len(self._tokenizer.encode(self.passage_prompt, add_special_tokens=False).ids)
        special = len(self._tokenizer.encode("").ids)
        self.max_tokens = self.max_length - prompt_tokens - special

    def count_tokens(self, text: str) -> int:
        """Content tokens of `text` (no prompt, no special tokens)."""
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def token_count(self, text: str, *, query: bool = False) -> int:
        """Tokens the model is fed for `text`, prompt and special tokens included."""
        return len(self._tokenizer.encode((self.query_prompt if query else self.passage_prompt) + text).ids)

    def _forward(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        ids, mask, offsets = padded_batch(self._tokenizer, texts)
        (tokens,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
        return tokens, mask, offsets

    def _pooled(self, texts: list[str]) -> np.ndarray:
        tokens, mask, _ = self._forward(texts)
        summed = (tokens * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return (summed / np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-12)).astype(np.float32)

    def embed_passages(self, texts: list[str], *, batch_size: int = 32,
                       progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # less padding per batch
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._pooled([self.passage_prompt + texts[i] for i in rows])
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self._pooled([self.query_prompt + text])[0]

    def embed_with_sentences(self, texts: list[str], spans: list[Spans]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors and, from the same forward pass, the vectors of each passage's sentence spans."""
        tokens, mask, offsets = self._forward([self.passage_prompt + t for t in texts])
        return _pool_batch(tokens, mask, offsets, len(self.passage_prompt), spans)


def load_embedder(model: str | Path | Embedder | None = None, *, encoder: str | None = None) -> Embedder:
    """An Embedder for a model id, a local folder, an Embedder instance, or None (the default).

    `encoder` ("torch", "onnx-fp32", "onnx-int8"; None = DEFAULT_ENCODER) picks the runtime; the
    ONNX ones exist for the bundled model only.
    """
    if model is not None and not isinstance(model, (str, Path)):
        if not isinstance(model, Embedder):
            raise TypeError(f"model must be a name, a path or an Embedder, not {type(model).__name__}")
        return model
    default = model is None or str(model) == DEFAULT_MODEL
    if encoder is None:
        encoder = DEFAULT_ENCODER if default else "torch"
    if encoder not in ENCODERS:
        raise InvalidArgumentError(f"encoder must be one of {', '.join(ENCODERS)}, got {encoder!r}")
    if encoder != "torch":
        if not default:
            raise InvalidArgumentError(f"encoder {encoder!r} is only built for the bundled model, "
                                       f"not {str(model)!r}; use --encoder torch")
        return OnnxEmbedder(encoder)
    return SentenceTransformerEmbedder(model)


def encoder_of(embedder: Embedder) -> str:
    """The encoder an embedder runs on ("torch" for any embedder that does not say)."""
    return getattr(embedder, "encoder", "torch")


def export_of(embedder: Embedder) -> str | None:
    """The version of the ONNX export an embedder runs (None for torch): two exports' vectors differ."""
    return getattr(embedder, "onnx_export", None)
