"""Batches of a stream mapped in worker processes and handed back in order (the build's text stages).

Tokenising and counting a million passages is pure Python: 10-15 minutes per stage on one core.
Spread over the machine's two cores, batch by batch, with the results merged in the stream's
order, a stage gives exactly what one process gives.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from .errors import InvalidArgumentError

T = TypeVar("T")
R = TypeVar("R")

BATCH = 4096  # items per batch handed to a worker
PARALLEL_FROM = 50_000  # items from which a stage is spread over worker processes
MAX_WORKERS = 2  # the build's other stages hold memory; two text workers is what this machine has


def workers_for(items: Iterable) -> int:
    """Worker processes for a stage over `items`: QA_BUILD_WORKERS if set, else 2 (on 2 or more cores)
    for PARALLEL_FROM items or more, else 1 (starting processes would cost more than it saves)."""
    wanted = os.environ.get("QA_BUILD_WORKERS")
    if wanted:
        if not wanted.isdigit() or int(wanted) < 1:
            raise InvalidArgumentError(f"QA_BUILD_WORKERS must be a whole number of at least 1, got {wanted!r}")
        return int(wanted)
    size = len(items) if hasattr(items, "__len__") else 0
    return min(MAX_WORKERS, os.cpu_count() or 1) if size >= PARALLEL_FROM else 1


def batches(items: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    """`items` read once, in lists of `size` (default BATCH)."""
    size = size or BATCH
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def map_batches(function: Callable[[list[T]], R], items: Iterable[T], workers: int | None = None) -> Iterator[R]:
    """`function` of each batch of `items`, in order.

    With more than one worker, batches run in that many processes, started by spawning (a forked
    copy of a large build's memory would be touched page by page), at most two batches per worker
    in flight, so `items` is still read as a stream; `function` and the batches must pickle.
    """
    workers = workers_for(items) if workers is None else workers
    if workers <= 1:
        for batch in batches(items):
            yield function(batch)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque = deque()
        for batch in batches(items):
            pending.append(pool.submit(function, batch))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
