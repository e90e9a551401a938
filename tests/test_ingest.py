import json
import os
import sys

import pytest

import qa
from qa.ingest import SKIP_CODES, Skipped, read_corpus


def test_bad_files_are_reported_and_skipped(tiny_corpus):
    (tiny_corpus / "latin1.txt").write_bytes("Xã An Bình".encode("cp1258", errors="replace") + b"\xe0\xff")
    (tiny_corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tiny_corpus / "empty.md").write_text("   \n", encoding="utf-8")
    (tiny_corpus / "ignored.pdf").write_bytes(b"%PDF")
    articles, skipped = read_corpus(tiny_corpus)
    assert sorted(a.doc_id for a in articles) == ["a.txt", "b.txt", "sub/c.md"]
    reasons = {s.path: s.reason for s in skipped}
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "binary" in reasons["image.txt"]
    assert "empty" in reasons["empty.md"]
    assert "ignored.pdf" not in reasons


def test_bom_and_crlf_are_not_errors(tmp_path):
    (tmp_path / "bom.txt").write_bytes("\ufeffTiêu đề\r\n\r\nNội dung bài.\r\n".encode("utf-8"))
    articles, skipped = read_corpus(tmp_path)
    assert not skipped
    assert articles[0].title == "Tiêu đề" and articles[0].text == "Tiêu đề\n\nNội dung bài."


def test_jsonl_records_and_bad_lines(tmp_path):
    rows = [
        {"id": "n1", "text": "Ủy ban nhân dân tỉnh họp.", "title": "Họp tỉnh", "date": "05/03/2024", "url": "http://x"},
        {"id": "n2", "text": "Bài thứ hai.", "source": "Báo A"},
        {"text": "thiếu id"},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows] + ["{not json"]
    (tmp_path / "news.jsonl").write_text("\n".join(lines), encoding="utf-8")
    articles, skipped = read_corpus(tmp_path)
    by_id = {a.doc_id: a for a in articles}
    assert by_id["n1"].date == "2024-03-05" and by_id["n1"].title == "Họp tỉnh" and by_id["n1"].url == "http://x"
    assert by_id["n2"].source == "Báo A"
    assert by_id["n1"].source == "news.jsonl"
    assert sorted(s.path for s in skipped) == ["news.jsonl:3", "news.jsonl:4"]


def test_jsonl_date_that_is_not_a_date_is_dropped_with_a_warning(tmp_path, caplog):
    rows = [{"id": "n1", "text": "Bài một.", "date": "2024-05-07T09:00:00"},
            {"id": "n2", "text": "Bài hai.", "date": "tháng 5 năm 2024"},
            {"id": "n3", "text": "Bài ba.", "date": "31/02/2024"}]
    (tmp_path / "news.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    articles, skipped = read_corpus(tmp_path)
    by_id = {a.doc_id: a for a in articles}
    assert not skipped and by_id["n1"].date == "2024-05-07"
    assert by_id["n2"].date is None and by_id["n3"].date is None  # indexed, without a date
    assert "news.jsonl id n2" in caplog.text and "31/02/2024" in caplog.text


def test_doc_id_is_path_relative_to_corpus(tiny_corpus):
    articles, _ = read_corpus(tiny_corpus)
    c = next(a for a in articles if a.doc_id == "sub/c.md")
    assert c.title == "Phường Đông Hòa chuyển đổi số"


def test_every_skip_has_a_known_code(tiny_corpus):
    (tiny_corpus / "latin1.txt").write_bytes(b"X\xe0\xff")
    (tiny_corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tiny_corpus / "empty.md").write_text("   \n", encoding="utf-8")
    (tiny_corpus / "menu.txt").write_text("Html Portlet\n", encoding="utf-8")
    (tiny_corpus / "unreadable.txt").write_text("Bài.", encoding="utf-8")
    (tiny_corpus / "unreadable.txt").chmod(0)
    lines = ["{not json", "[1, 2]", '{"text": "thiếu id"}', '{"id": ["a"], "text": "Bài."}',
             '{"id": "x", "text": "Bài x."}', '{"id": "x", "text": "Bài x lần hai."}']
    (tiny_corpus / "news.jsonl").write_text("\n".join(lines), encoding="utf-8")
    _, skipped = read_corpus(tiny_corpus)
    codes = {s.path: s.code for s in skipped}
    expected = {"latin1.txt": "encoding", "image.txt": "binary", "empty.md": "empty", "menu.txt": "no_text",
                "news.jsonl:1": "bad_json", "news.jsonl:2": "not_object", "news.jsonl:3": "missing_field",
                "news.jsonl:4": "bad_field", "news.jsonl": "duplicate_id"}
    if os.geteuid() != 0:  # root reads any file whatever its mode
        expected["unreadable.txt"] = "unreadable"
    assert codes == expected
    assert all(s.code in SKIP_CODES for s in skipped)
    with pytest.raises(ValueError, match="unknown skip code"):
        Skipped("a.txt", "why", "no such code")


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_file_name_that_is_not_utf8_is_skipped_and_named(tiny_corpus, tmp_path, fake):
    # Issue 10 item 3: this stopped the whole build ("'utf-8' codec can't encode character '\udcff'").
    (tiny_corpus / os.fsdecode(b"tin-m\xf3i.txt")).write_text("Bài mới\n\nNội dung bài mới.", encoding="utf-8")
    (tiny_corpus / os.fsdecode(b"th\xfa-m\xfcc")).mkdir()
    (tiny_corpus / os.fsdecode(b"th\xfa-m\xfcc") / "d.txt").write_text("Bài d\n\nNội dung.", encoding="utf-8")
    articles, skipped = read_corpus(tiny_corpus)
    assert sorted(a.doc_id for a in articles) == ["a.txt", "b.txt", "sub/c.md"]
    assert {(s.path, s.code) for s in skipped} == {("tin-m\ufffdi.txt", "bad_name"), ("th\ufffd-m\ufffdc/d.txt", "bad_name")}
    assert all("not valid UTF-8" in s.reason for s in skipped)
    index = qa.build_index(tiny_corpus, tmp_path / "index", model=fake, progress=False)
    assert len(index.articles) == 3 and len(index.build_report.skipped) == 2
    assert qa.load(tmp_path / "index").manifest["corpus"]["skipped"][0].startswith("th\ufffd-m\ufffdc/d.txt")


def test_symlinks_leaving_the_corpus_are_not_followed(tiny_corpus, tmp_path):
    # Issue 10 item 10: a link to /etc/passwd was indexed and quoted in an answer.
    secret = tmp_path / "secret.txt"
    secret.write_text("Mật khẩu\n\nMật khẩu bí mật của máy chủ.", encoding="utf-8")
    outside_folder = tmp_path / "elsewhere"
    outside_folder.mkdir()
    (outside_folder / "e.txt").write_text("Bài ngoài\n\nBài ở ngoài kho.", encoding="utf-8")
    (tiny_corpus / "passwd.txt").symlink_to(secret)
    (tiny_corpus / "linked").symlink_to(outside_folder, target_is_directory=True)
    (tiny_corpus / "dangling.txt").symlink_to(tiny_corpus / "gone.txt")
    (tiny_corpus / "loop.txt").symlink_to(tiny_corpus / "loop.txt")
    (tiny_corpus / "inside.txt").symlink_to(tiny_corpus / "b.txt")  # stays inside: may be read
    (tiny_corpus / "same").symlink_to(tiny_corpus / "sub", target_is_directory=True)  # read at its own place
    (tiny_corpus / "photo.jpg").symlink_to(tmp_path / "photo.jpg")  # not an article: ignored, as a file would be
    articles, skipped = read_corpus(tiny_corpus)
    assert sorted(a.doc_id for a in articles) == ["a.txt", "b.txt", "inside.txt", "sub/c.md"]
    assert not any("bí mật" in a.text or "ngoài kho" in a.text for a in articles)
    codes = {s.path: s.code for s in skipped}
    assert codes == {"passwd.txt": "link_outside", "linked": "link_outside", "dangling.txt": "link_broken",
                     "loop.txt": "link_broken"}
    reasons = {s.path: s.reason for s in skipped}
    assert "outside the corpus" in reasons["passwd.txt"] and "loops" in reasons["loop.txt"]


def test_jsonl_fields_of_the_wrong_type_are_skipped_with_the_reason(tmp_path):
    # Issue 10 item 12: an id that is a list became the string "['a']".
    rows = ['{"id": ["a"], "text": "Bài một."}', '{"id": {"k": 1}, "text": "Bài hai."}',
            '{"id": true, "text": "Bài ba."}', '{"id": 7, "text": "Bài bốn."}',
            '{"id": "t", "text": "Bài năm.", "title": ["x"]}', '{"id": "u", "text": 5}',
            '{"id": "s", "text": "B\\ud800i sáu."}']
    (tmp_path / "news.jsonl").write_text("\n".join(rows), encoding="utf-8")
    articles, skipped = read_corpus(tmp_path)
    assert [a.doc_id for a in articles] == ["7"]
    reasons = {s.path: (s.code, s.reason) for s in skipped}
    assert reasons["news.jsonl:1"] == ("bad_field", "field 'id' must be a string or an integer, got list ['a']")
    assert reasons["news.jsonl:2"][0] == "bad_field" and "got dict" in reasons["news.jsonl:2"][1]
    assert reasons["news.jsonl:3"][0] == "bad_field" and "got bool" in reasons["news.jsonl:3"][1]
    assert reasons["news.jsonl:5"][0] == "bad_field" and "'title'" in reasons["news.jsonl:5"][1]
    assert reasons["news.jsonl:6"][0] == "bad_field" and "'text'" in reasons["news.jsonl:6"][1]
    assert reasons["news.jsonl:7"][0] == "encoding" and "surrogate" in reasons["news.jsonl:7"][1]
