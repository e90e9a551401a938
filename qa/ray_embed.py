"""Embedding spread over a Ray cluster: an Embedder whose batches go through Ray Data actors.

Each actor loads the encoder once (`ActorPoolStrategy`); rows carry their position, so the
vectors come back in order whatever actor computed them. Everything else in a build (chunking,
BM25, saving) stays on this machine.
"""

from __future__ import annotations

import json
import logging
import os
import time

import numpy as np

from .embed import PASSAGE_BATCH, Embedder, encoder_of, load_embedder
from .errors import QAError

log = logging.getLogger(__name__)

INSTALL_HINT = "Ray is not installed: pip install 'qa-vi[ray]' (or pip install 'ray[data]')"


class RayMissingError(QAError):
    """`--ray` was asked for but Ray is not installed."""


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401  (Ray Data ships with the `data` extra)
    except ImportError as exc:
        raise RayMissingError(f"{INSTALL_HINT} ({exc})") from None
    return ray


START_ATTEMPTS = 2


def _start_local(ray, num_cpus: int) -> None:
    """Start a local Ray, once more if it does not come up: a local node started seconds after the
    previous one stopped once timed out waiting for its raylet (the full test suite; not seen alone)."""
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            ray.init(num_cpus=num_cpus, log_to_driver=False, include_dashboard=False)
            return
        except Exception as exc:  # Ray raises a bare Exception when its node does not start
            ray.shutdown()  # stop what did start (the GCS), so the next attempt begins clean
            if attempt == START_ATTEMPTS:
                raise RayStartError(f"a local Ray did not start ({attempt} attempts): {exc}") from exc
            log.warning("a local Ray did not start (%s); starting it again", exc)
            time.sleep(2.0)


class RayStartError(QAError):
    """A local Ray could not be started."""


class _Encoder:
    """A Ray Data actor: loads the encoder once, then embeds the batches it is sent."""

    def __init__(self, model, encoder: str):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        self.embedder = load_embedder(model, encoder=encoder)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        texts = [str(t) for t in batch["text"]]
        if "spans" not in batch:
            vectors = self.embedder.embed_passages(texts, batch_size=PASSAGE_BATCH)
            return {"row": batch["row"], "part": np.zeros(len(texts), np.int64), "vector": vectors}
        spans = [json.loads(s) for s in batch["spans"]]
        passages, sentences = self.embedder.embed_with_sentences(texts, spans)
        # One output row per vector: part 0 is the passage, part j its j-th sentence.
        rows, parts, vectors = [], [], []
        for row, passage, pooled in zip(batch["row"], passages, sentences, strict=True):
            for part, vector in enumerate([passage, *pooled]):
                rows.append(row)
                parts.append(part)
                vectors.append(vector)
        return {"row": np.array(rows, np.int64), "part": np.array(parts, np.int64), "vector": np.stack(vectors)}


class RayEmbedder:
    """Wraps a local embedder (token counting, queries) and sends passage batches to Ray actors."""

    batches_itself = True  # give it every text at once: Ray splits them into batches

    def __init__(self, local: Embedder, *, address: str | None = None, model=None, workers: int | None = None,
                 num_cpus: int | None = None, batch_size: int = 32):
        ray = _ray()
        self._local = local
        self.model_id, self.dim, self.max_tokens = local.model_id, local.dim, local.max_tokens
        self.encoder = encoder_of(local)
        self.query_prompt = getattr(local, "query_prompt", "")
        self.passage_prompt = getattr(local, "passage_prompt", "")
        # The actors rebuild the encoder from its name or folder; an Embedder object is pickled to them.
        self._model = model
        self._batch_size = batch_size
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        self._started = not ray.is_initialized()
        if self._started:
            if address:
                ray.init(address=address, log_to_driver=False)
            else:
                _start_local(ray, num_cpus or os.cpu_count())
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.workers = workers or max(1, cpus)
        ray.data.DataContext.get_current().enable_progress_bars = False

    def close(self) -> None:
        """Stop the local Ray this embedder started (a cluster joined by address is left running)."""
        if self._started:
            _ray().shutdown()
            self._started = False

    def count_tokens(self, text: str) -> int:
        return self._local.count_tokens(text)

    def embed_query(self, text: str) -> np.ndarray:
        return self._local.embed_query(text)

    def _map(self, items: list[dict], out_rows: int) -> list[tuple[int, int, np.ndarray]]:
        ray = _ray()
        # One actor per worker, one CPU each; torch/onnxruntime threads are limited to that CPU.
        dataset = ray.data.from_items(items, override_num_blocks=max(1, min(len(items), self.workers * 4)))
        mapped = dataset.map_batches(_Encoder, fn_constructor_kwargs={"model": self._model, "encoder": self.encoder},
                                     compute=ray.data.ActorPoolStrategy(size=self.workers),
                                     batch_size=self._batch_size, num_cpus=1)
        found = []
        for batch in mapped.iter_batches(batch_size=None, batch_format="numpy"):
            found += zip(batch["row"].tolist(), batch["part"].tolist(), batch["vector"], strict=True)
        return found

    def embed_passages(self, texts: list[str], *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if texts:
            for row, _, vector in self._map([{"row": i, "text": t} for i, t in enumerate(texts)], len(texts)):
                out[row] = vector
        return out

    def embed_with_sentences(self, texts: list[str], spans: list[list[tuple[int, int]]]):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        sentences = [np.zeros((len(s), self.dim), dtype=np.float32) for s in spans]
        items = [{"row": i, "text": t, "spans": json.dumps([list(x) for x in s])}
                 for i, (t, s) in enumerate(zip(texts, spans, strict=True))]
        for row, part, vector in self._map(items, len(texts)) if texts else []:
            if part == 0:
                out[row] = vector
            else:
                sentences[row][part - 1] = vector
        return out, sentences
