"""The chat page: API through gradio_client, uploads, concurrency, and a real browser (Chromium)."""

from __future__ import annotations

import shutil
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

ARTIFACTS = ROOT / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
EVIL = ("Cảnh báo an ninh mạng tại xã Hòa Lạc\n\nXã Hòa Lạc phát hiện mã độc <script>window.__xss = 1</script> "
        "và thẻ <img src=x onerror=\"window.__xss = 2\"> trong thư điện tử giả mạo gửi tới 37 cán bộ.\n\nTrần Minh")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app(sample_index, real_embedder, tmp_path_factory):
    """The app on a free port, over a copy of the sample index (reused vectors) plus one hostile article."""
    import qa
    from qa.app import State, launch

    root = tmp_path_factory.mktemp("app")
    shutil.copytree(sample_index.path.parent / "corpus", root / "corpus")
    shutil.copytree(sample_index.path, root / "index")
    (root / "corpus" / "hostile.txt").write_text(EVIL, encoding="utf-8")
    index = qa.build_index(root / "corpus", root / "index", model=real_embedder, progress=False)
    state = State(index, root / "corpus", root / "index")
    demo, url = launch(state, port=_free_port(), block=False)
    yield url, state, root
    demo.close()


def test_answer_api_returns_the_structured_answer(app):
    from gradio_client import Client

    url, _, _ = app
    result = Client(url, verbose=False).predict("Huyện Gia Lâm đã thực hiện bao nhiêu cuộc kiểm tra công tác CCHC?",
                                                5, api_name="/answer")
    assert result["found"] is True
    assert "20 cuộc kiểm tra công tác CCHC" in result["text"] and result["short"] == "20 cuộc kiểm tra"
    first = result["citations"][0]
    assert first["doc_id"] == "001_be070d682d0e8f1f.txt" and first["quote"] == result["text"]
    assert first["text"][first["quote_start"]:first["quote_end"]] == result["text"]


def test_chat_endpoint_replies_with_html(app):
    from gradio_client import Client

    url, _, _ = app
    reply = Client(url, verbose=False).predict("Phường Quảng Cư còn bao nhiêu hồ sơ quá hạn?", [], "", "", 3,
                                               api_name="/respond")
    text = reply if isinstance(reply, str) else str(reply)
    assert "<strong class='qa-short'>42 hồ sơ</strong>" in text and "<details" in text


def test_eight_concurrent_questions_all_answered(app):
    from gradio_client import Client

    url, _, _ = app
    questions = {
        "Xã La Phù xếp thứ mấy về chỉ số thủ tục hành chính năm 2023?": "thứ 19",
        "Huyện Gia Lâm đã thực hiện bao nhiêu cuộc kiểm tra công tác CCHC?": "20 cuộc kiểm tra",
        "Tỷ lệ hồ sơ quá hạn của phường Quảng Cư là bao nhiêu?": "0,46%",
        "Phường Xuân Khanh đạt bao nhiêu điểm chỉ số CCHC?": "91/100",
        "Ai là Bí thư Huyện ủy Gia Lâm?": "Lê Anh Quân",
        "Xã đã tiếp nhận và giải quyết bao nhiêu hồ sơ trực tuyến một phần và toàn trình?": "673",
        "Phường Quảng Cư còn bao nhiêu hồ sơ quá hạn?": "42 hồ sơ",
        "Năm 2023 xã La Phù tụt bao nhiêu bậc so với năm 2022?": "10 bậc",
    }

    def ask(question):
        return Client(url, verbose=False).predict(question, 5, api_name="/answer")

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(ask, questions))
    for (question, expected), result in zip(questions.items(), results, strict=False):
        assert result["found"], question
        assert expected in result["text"], (question, result["text"])


def test_upload_indexes_good_files_and_rejects_bad_ones(app, tmp_path):
    from gradio_client import Client, handle_file

    url, state, root = app
    client = Client(url, verbose=False)
    before = len(state.index)
    bad = tmp_path / "hong.txt"
    bad.write_bytes("Xã Tân Lập tiếp nhận".encode() + b"\xff\xfe bad")
    status, _, _ = client.predict([handle_file(str(bad))], api_name="/upload")
    assert "hong.txt" in status and "UTF-8" in status and "không thay đổi" in status
    assert len(state.index) == before and not (root / "corpus" / "uploads" / "hong.txt").exists()

    good = tmp_path / "tan-lap.txt"
    good.write_text("Xã Tân Lập hoàn thành chuyển đổi số\n\nNăm 2024, xã Tân Lập đã số hóa 4.512 hồ sơ hộ tịch, "
                    "đạt 96% kế hoạch.\n\nHà Vy", encoding="utf-8")
    status, stats, _ = client.predict([handle_file(str(good))], api_name="/upload")
    assert "✅ tan-lap.txt" in status and "1 bài mới" in status
    assert len(state.index) > before and (root / "corpus" / "uploads" / "tan-lap.txt").exists()
    result = client.predict("Xã Tân Lập đã số hóa bao nhiêu hồ sơ hộ tịch?", 5, api_name="/answer")
    assert result["found"] and result["short"].startswith("4.512 hồ sơ")
    assert result["citations"][0]["source"] == "uploads/tan-lap.txt"


# ---------------------------------------------------------------- real browser
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (.ci/run installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def _ask_in_page(browser, url, question, shot):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    box = page.locator("#question textarea")
    box.wait_for(timeout=60_000)
    box.fill(question)
    page.get_by_test_id("submit-button").click()
    bot = page.locator('[data-testid="bot"]').last
    bot.wait_for(timeout=60_000)
    deadline = time.time() + 60
    while time.time() < deadline and "Nguồn" not in bot.inner_text() and "Có thể liên quan" not in bot.inner_text():
        time.sleep(0.3)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    return page, bot.inner_text(), dialogs


def test_browser_answers_with_source(app, browser):
    url, _, _ = app
    page, text, _ = _ask_in_page(browser, url, "Huyện Gia Lâm đã thực hiện bao nhiêu cuộc kiểm tra công tác CCHC?",
                                 "answer.png")
    assert "20 cuộc kiểm tra công tác CCHC" in text
    assert "Thường trực HĐND Huyện tổ chức phiên giải trình" in text and "27/05/2022" in text
    page.locator('[data-testid="bot"]').last.locator("summary").first.click()
    assert "20 cuộc kiểm tra" in page.locator('[data-testid="bot"]').last.locator("mark").first.inner_text()
    assert (ARTIFACTS / "answer.png").stat().st_size > 10_000
    page.close()


def test_browser_says_when_articles_do_not_answer(app, browser):
    url, _, _ = app
    page, text, _ = _ask_in_page(browser, url, "Giá vàng SJC hôm nay bao nhiêu?", "not-found.png")
    assert "Không tìm thấy thông tin này trong các bài viết." in text and "có thể liên quan" in text
    page.close()


def test_browser_shows_article_html_as_text(app, browser):
    url, _, _ = app
    page, text, dialogs = _ask_in_page(browser, url, "Xã Hòa Lạc phát hiện mã độc gửi tới bao nhiêu cán bộ?",
                                       "html-injection.png")
    assert "<script>window.__xss = 1</script>" in text
    assert page.evaluate("window.__xss") is None and dialogs == []
    assert page.locator('[data-testid="bot"] img[src="x"]').count() == 0
    page.close()


def test_browser_follow_up_question_uses_the_conversation(app, browser):
    url, _, _ = app
    page, text, _ = _ask_in_page(browser, url, "Ai là Chủ tịch UBND huyện Gia Lâm?", "follow-up-1.png")
    assert "Đặng Thị Huyền" in text
    bots = page.locator('[data-testid="bot"]')
    before = bots.count()
    page.locator("#question textarea").fill("Còn xã La Phù thì sao?")
    page.get_by_test_id("submit-button").click()
    deadline = time.time() + 60
    while time.time() < deadline and (bots.count() <= before or "Nguồn" not in bots.last.inner_text()):
        time.sleep(0.3)
    page.screenshot(path=str(ARTIFACTS / "follow-up-2.png"), full_page=True)
    reply = bots.last.inner_text()
    assert "Hiểu câu hỏi là: Ai là Chủ tịch UBND xã La Phù?" in reply
    assert "Tạ Công Luận" in reply
    page.close()
