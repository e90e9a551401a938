"""Uploads, removals and the background rebuild of the chat page's state (fake embedder, no gradio)."""

from __future__ import annotations

import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import qa
from qa import uploads
from qa.app import answer_api, reply
from qa.ingest import Skipped
from qa.uploads import BUSY_TEXT, State, friendly_time, prepare, reason_vi, safe_name


def _record(doc_id, text, title="Tin"):
    return json.dumps({"id": doc_id, "title": title, "text": text}, ensure_ascii=False)


@pytest.fixture
def state(tiny_corpus, fake, tmp_path):
    (tiny_corpus / "tin.jsonl").write_text(_record("a1", "Xã Tân Lập có 12 thôn.") + "\n", encoding="utf-8")
    index = qa.build_index(tiny_corpus, tmp_path / "index", model=fake, progress=False)
    return State(index, tiny_corpus, tmp_path / "index")


def _upload(tmp_path, name, content: str | bytes):
    path = tmp_path / "up" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_dot_file_is_stored_under_a_visible_name_and_indexed(state, tmp_path):
    path = _upload(tmp_path, ".tan-lap.txt", "Xã Tân Lập số hóa hồ sơ\n\nXã Tân Lập đã số hóa 4.512 hồ sơ hộ tịch.")
    text = state.add_files([path]).text()
    assert "✅ **.tan-lap.txt**: đã lập chỉ mục 1 bài viết" in text and "lưu với tên «tan-lap.txt»" in text
    assert "uploads/tan-lap.txt" in state.index.articles
    assert state.index.retrieve("số hóa hồ sơ hộ tịch", k=1)[0].source == "uploads/tan-lap.txt"


def test_jsonl_id_clashing_with_an_existing_article_is_refused_and_changes_nothing(state, tmp_path):
    before = dict(state.index.articles)
    path = _upload(tmp_path, "moi.jsonl", _record("a1", "Xã Tân Lập có 99 thôn.") + "\n" + _record("b2", "Khác."))
    text = state.add_files([path]).text()
    assert "❌ **moi.jsonl**" in text and "«a1»" in text and "không thay đổi" in text
    assert not (state.corpus / "uploads" / "moi.jsonl").exists()
    assert state.index.articles.keys() == before.keys() and state.index.articles["a1"].text == "Xã Tân Lập có 12 thôn."


def test_jsonl_with_the_same_id_twice_reports_what_was_indexed(state, tmp_path):
    lines = [_record("n1", "Bài một."), _record("n2", "Bài hai."), _record("n2", "Bài hai lặp."), "{hỏng"]
    text = state.add_files([_upload(tmp_path, "lo.jsonl", "\n".join(lines))]).text()
    assert "đã lập chỉ mục 2 bài viết" in text
    assert "«n2» lặp lại trong tệp" in text and "dòng 4" in text
    assert state.index.articles["n2"].text == "Bài hai."


def test_two_simultaneous_uploads_with_the_same_id_index_exactly_one(state, tmp_path):
    first = _upload(tmp_path, "x.jsonl", _record("same", "Phiên bản X của bài."))
    (tmp_path / "up2").mkdir()
    second = tmp_path / "up2" / "y.jsonl"
    second.write_text(_record("same", "Phiên bản Y của bài."), encoding="utf-8")
    barrier = threading.Barrier(2)

    def go(path):
        barrier.wait()
        return state.add_files([path]).text()

    with ThreadPoolExecutor(2) as pool:
        texts = list(pool.map(go, [first, second]))
    assert sum("✅" in t for t in texts) == 1 and sum("«same»" in t and "❌" in t for t in texts) == 1
    kept = state.index.articles["same"]
    winner = "x.jsonl" if "✅" in texts[0] else "y.jsonl"
    assert kept.source == f"uploads/{winner}"
    assert sorted(p.name for p in (state.corpus / "uploads").iterdir()) == [winner]


def test_file_over_the_size_limit_is_refused_in_vietnamese(state, tmp_path):
    state.max_upload_mb = 0.001
    path = _upload(tmp_path, "lon.txt", "Xã Tân Lập. " * 200)
    text = state.add_files([path]).text()
    assert "vượt giới hạn 0.001 MB" in text and not (state.corpus / "uploads").exists()


def test_same_content_uploaded_twice_is_detected_and_changes_nothing(state, tmp_path, fake):
    path = _upload(tmp_path, "tan-lap.txt", "Xã Tân Lập\n\nXã Tân Lập có 7 trường học.")
    state.add_files([path])
    index = state.index
    again = _upload(tmp_path, "ban-sao.txt", path.read_bytes())
    text = state.add_files([again]).text()
    assert "đã có trong kho" in text and "uploads/tan-lap.txt" in text
    assert state.index is index and sorted(p.name for p in (state.corpus / "uploads").iterdir()) == ["tan-lap.txt"]
    existing = _upload(tmp_path, "a-copy.txt", (state.corpus / "a.txt").read_bytes())
    assert "cùng nội dung với «a.txt»" in state.add_files([existing]).text()


def test_removing_an_upload_drops_it_from_corpus_and_index_without_re_embedding(state, tmp_path, fake):
    state.add_files([_upload(tmp_path, "tan-lap.txt", "Xã Tân Lập\n\nXã Tân Lập có 7 trường học.")])
    assert ("Xã Tân Lập", "uploads/tan-lap.txt") in state.source_choices(only_uploads=True)
    embedded = len(fake.embedded)
    text = state.remove_upload("uploads/tan-lap.txt").text()
    assert "Đã xóa «Xã Tân Lập» (uploads/tan-lap.txt)" in text
    assert "uploads/tan-lap.txt" not in state.index.articles and not (state.corpus / "uploads" / "tan-lap.txt").exists()
    assert len(fake.embedded) == embedded  # the other articles' vectors were reused
    assert "chỉ xóa được" in state.remove_upload("a.txt").text() and (state.corpus / "a.txt").exists()


def test_panel_shows_titles_counts_and_a_friendly_build_time(state):
    labels = dict(state.source_choices())
    assert labels["Xã An Bình tổ chức hội nghị"] == "a.txt" and "Tin" in labels
    text = state.status_markdown()
    assert re.search(r"\*\*4\*\* bài viết, \*\*\d+\*\* đoạn văn", text)
    assert re.search(r"Cập nhật lúc \d\d:\d\d, \d\d/\d\d/\d{4}", text) and "T" not in text.split("lúc")[1][:18]
    assert "<details><summary>Chi tiết</summary>Mô hình: <code>fake/bag-of-syllables</code>" in text
    assert friendly_time("2026-11-21T15:07:00+00:00").endswith("/11/2026")


def test_start_up_serves_the_previous_index_while_rebuilding(tiny_corpus, fake, tmp_path, monkeypatch):
    old = qa.build_index(tiny_corpus, tmp_path / "index", model=fake, progress=False)
    (tiny_corpus / "d.txt").write_text("Xã Mới\n\nXã Mới có 3 hợp tác xã.", encoding="utf-8")
    release = threading.Event()
    real_build = uploads.build_index

    def slow_build(*args, **kwargs):
        release.wait(10)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(uploads, "build_index", slow_build)
    state = prepare(tmp_path / "index", tiny_corpus, fake)
    deadline = time.time() + 10
    while not state.rebuilding and time.time() < deadline:  # set once the corpus is found changed
        time.sleep(0.01)
    assert state.rebuilding and state.index is not None and len(state.index) == len(old)
    assert "Đang cập nhật chỉ mục…" in state.status_markdown()
    assert "qa-answer" in reply(state, "Xã An Bình giải quyết bao nhiêu hồ sơ?")
    release.set()
    state.wait(10)
    assert not state.rebuilding and "d.txt" in state.index.articles
    builds = []
    monkeypatch.setattr(uploads, "build_index", lambda *a, **k: builds.append(a))
    again = prepare(tmp_path / "index", tiny_corpus, fake)  # nothing changed: nothing rebuilt or announced
    again.wait(10)
    assert builds == [] and again.index is not None and not again.rebuilding and again.error is None
    assert "Đang cập nhật" not in state.status_markdown()


def test_without_any_index_the_page_says_it_is_building(tiny_corpus, fake, tmp_path, monkeypatch):
    release = threading.Event()
    real_build = uploads.build_index
    monkeypatch.setattr(uploads, "build_index", lambda *a, **k: (release.wait(10), real_build(*a, **k))[1])
    state = prepare(tmp_path / "index", tiny_corpus, fake)
    assert state.index is None and state.rebuilding
    assert "Đang lập chỉ mục lần đầu" in state.status_markdown()
    assert BUSY_TEXT in reply(state, "Xã An Bình giải quyết bao nhiêu hồ sơ?")
    assert "being built" in answer_api(state, "Xã An Bình?", 5)["error"]
    assert BUSY_TEXT in state.add_files([tiny_corpus / "a.txt"]).text()
    release.set()
    state.wait(10)
    assert state.index is not None and len(state.index.articles) == 3


@pytest.mark.parametrize("k", ["abc", None, [], 0, "2.5"])
def test_answer_api_reports_a_bad_k_in_the_error_field(state, k):
    result = answer_api(state, "Xã An Bình giải quyết bao nhiêu hồ sơ?", k)
    assert result["found"] is False and "k must be an integer" in result["error"] and result["citations"] == []


def test_answer_api_accepts_k_as_number_text(state):
    assert "error" not in answer_api(state, "Xã An Bình giải quyết bao nhiêu hồ sơ?", "3")


def test_skip_reasons_are_translated_from_their_code():
    assert reason_vi(Skipped("x.txt", "empty file")) == "empty file"  # no code yet: the reason as written
    coded = Skipped("x.txt", "empty file")
    object.__setattr__(coded, "code", "encoding")
    assert reason_vi(coded) == uploads.REASONS_VI["encoding"]


def test_safe_name_strips_folders_and_leading_dots():
    assert safe_name(".an.txt") == "an.txt" and safe_name("a/b/../c.md") == "c.md"
    assert safe_name("...txt") is None and safe_name(". .txt") is None
