import json
import os
import re

import pytest

import qa
from qa.cli import main


def test_missing_index_is_a_clean_error(tmp_path, capsys):
    assert main(["ask", "Câu hỏi?", "--index", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no index at") and "Traceback" not in err


def test_empty_corpus_is_a_clean_error(tmp_path, capsys):
    (tmp_path / "c").mkdir()
    assert main(["index", "--corpus", str(tmp_path / "c"), "--index", str(tmp_path / "i"), "-q"]) == 2
    assert "no readable article" in capsys.readouterr().err


@pytest.mark.slow
def test_ask_prints_answer_and_citations(sample_index, capsys):
    assert main(["ask", "Huyện Gia Lâm đã thực hiện bao nhiêu cuộc kiểm tra công tác CCHC?",
                 "--index", str(sample_index.path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("Huyện đã thực hiện 20 cuộc kiểm tra công tác CCHC")
    assert "→ 20 cuộc kiểm tra" in out and "[1] Thường trực HĐND Huyện" in out
    # Worded as the chat page words it: Vietnamese labels, dates as DD/MM/YYYY.
    assert re.search(r"\(Độ tin cậy \d+%: xác suất câu trích này trả lời đúng câu hỏi\)", out)
    assert re.search(r"\[1\] .+ — \d\d/\d\d/\d{4} — \S+\.txt", out) and "confidence" not in out
    # One number per article, as on the page: two passages of one article printed the same line twice.
    headers = [line.split("] ", 1)[1] for line in out.splitlines() if re.match(r"\[\d+\] ", line)]
    assert headers and len(headers) == len(set(headers)), headers


@pytest.mark.slow
def test_ask_json_and_empty_question(sample_index, capsys):
    assert main(["ask", "Giá vàng hôm nay?", "--index", str(sample_index.path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["found"] is False and data["citations"]
    assert main(["ask", "  ", "--index", str(sample_index.path)]) == 2
    assert "question is empty" in capsys.readouterr().err
    assert main(["ask", "Xã La Phù?", "--index", str(sample_index.path), "-k", "0"]) == 2
    assert main(["ask", "Xã La Phù?", "--index", str(sample_index.path), "--min-confidence", "1.5"]) == 2
    assert "min_confidence must be a number from 0 to 1, got 1.5" in capsys.readouterr().err


@pytest.mark.slow
def test_output_piped_into_a_reader_that_stops_is_no_traceback(sample_index):
    # Stop 41's walkthrough: `qa ask ... --json | head` printed a BrokenPipeError traceback.
    import subprocess
    import sys

    ask = (f"{sys.executable} -m qa.cli ask 'Huyện Gia Lâm đã thực hiện bao nhiêu cuộc kiểm tra?' "
           f"--index '{sample_index.path}' --json")
    done = subprocess.run(["bash", "-c", f"{ask} | true; exit ${{PIPESTATUS[0]}}"], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert done.returncode == 141  # what a shell reports for a writer stopped by a closed pipe


def test_index_into_the_corpus_folder_is_refused(tiny_corpus, capsys):
    files = sorted(p.name for p in tiny_corpus.rglob("*"))
    assert main(["index", "--corpus", str(tiny_corpus), "--index", str(tiny_corpus), "-q"]) == 2
    assert "overlaps the corpus" in capsys.readouterr().err
    assert sorted(p.name for p in tiny_corpus.rglob("*")) == files


def test_ask_with_bytes_that_are_not_utf8_is_a_clean_error(tiny_corpus, tmp_path, fake, capsys):
    # Issue 10 item 6: `qa ask $'Xa La Phu \xff xep thu may'` (argv decoded with surrogate escapes).
    qa.build_index(tiny_corpus, tmp_path / "index", model=fake, progress=False)
    question = os.fsdecode(b"Xa La Phu \xff xep thu may")
    assert main(["ask", question, "--index", str(tmp_path / "index")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: question is not valid text") and "Traceback" not in err


def test_serve_passes_the_upload_limit_and_sets_the_offline_switches(monkeypatch, capsys):
    import qa.app

    seen = {}
    monkeypatch.setattr(qa.app, "serve", lambda **kwargs: seen.update(kwargs))
    monkeypatch.delenv("GRADIO_ANALYTICS_ENABLED", raising=False)
    assert main(["serve", "--max-upload-mb", "2.5", "--port", "7999"]) == 0
    assert seen["max_upload_mb"] == 2.5 and seen["port"] == 7999
    import os

    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False" and os.environ["HF_HUB_OFFLINE"] == "1"
    assert main(["serve", "--max-upload-mb", "0"]) == 2 and "must be positive" in capsys.readouterr().err
    assert "os.environ" not in (qa.app.__file__ and open(qa.app.__file__, encoding="utf-8").read())
