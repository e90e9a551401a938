import pytest

from qa import parallel
from qa.errors import InvalidArgumentError


def _lengths(batch: list[str]) -> list[int]:
    return [len(x) for x in batch]


def test_batches_come_back_in_order_from_worker_processes(monkeypatch):
    monkeypatch.setattr(parallel, "BATCH", 3)  # batches are cut in this process
    items = [f"x{'y' * i}" for i in range(20)]
    expected = [_lengths(items[i : i + 3]) for i in range(0, 20, 3)]
    assert list(parallel.map_batches(_lengths, iter(items), workers=1)) == expected
    assert list(parallel.map_batches(_lengths, iter(items), workers=2)) == expected
    assert list(parallel.map_batches(_lengths, iter([]), workers=2)) == []


def test_workers_by_size_and_by_environment(monkeypatch):
    monkeypatch.delenv("QA_BUILD_WORKERS", raising=False)
    assert parallel.workers_for(["x"] * 10) == 1 and parallel.workers_for(iter(["x"])) == 1
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    assert parallel.workers_for(["x"] * parallel.PARALLEL_FROM) == 2
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    assert parallel.workers_for(["x"] * parallel.PARALLEL_FROM) == 1
    monkeypatch.setenv("QA_BUILD_WORKERS", "3")
    assert parallel.workers_for(["x"]) == 3
    monkeypatch.setenv("QA_BUILD_WORKERS", "two")
    with pytest.raises(InvalidArgumentError, match="'two'"):
        parallel.workers_for(["x"])
