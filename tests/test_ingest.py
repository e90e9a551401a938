import json

from qa.ingest import read_corpus


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
