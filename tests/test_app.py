"""The chat page: API through gradio_client, uploads, concurrency, and a real browser (Chromium)."""

from __future__ import annotations

import json
import re
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
def app(sample_index, default_embedder, tmp_path_factory):
    """The app on a free port, over a copy of the sample index (reused vectors) plus one hostile article."""
    import qa
    from qa.app import State, launch

    root = tmp_path_factory.mktemp("app")
    shutil.copytree(sample_index.path.parent / "corpus", root / "corpus")
    shutil.copytree(sample_index.path, root / "index")
    (root / "corpus" / "hostile.txt").write_text(EVIL, encoding="utf-8")
    index = qa.build_index(root / "corpus", root / "index", model=default_embedder, progress=False)
    state = State(index, root / "corpus", root / "index")
    demo, url = launch(state, port=_free_port(), block=False)
    yield url, state, root
    demo.close()


def test_example_questions_answer_well_on_the_sample_corpus(sample_index, answers):
    from qa.app import EXAMPLES_FILE, example_questions

    rows = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    shown = example_questions(sample_index)
    assert 4 <= len(shown) <= 6 and len({r["doc_id"] for r in rows}) == len(rows)  # one per article
    for row in rows:
        answer = answers[row["question"]]  # every example is in the question set, answered once per session
        assert answer.found and answer.confidence >= 0.8, row  # the bucket where >= 90% are right
        assert answer.citations[0].doc_id == row["doc_id"] and answer.short, row


def test_answer_api_returns_the_structured_answer(app):
    from gradio_client import Client

    url, _, _ = app
    result = Client(url, verbose=False).predict("Huyện Gia Lâm đã thực hiện bao nhiêu cuộc kiểm tra công tác CCHC?",
                                                5, api_name="/answer")
    assert result["found"] is True
    assert "20 cuộc kiểm tra công tác CCHC" in result["text"] and result["short"] == "20 cuộc kiểm tra công tác CCHC"
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
        "Ai là Bí thư Đảng ủy xã La Phù?": "Lê Đức Phóng",
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
    status, *_ = client.predict([handle_file(str(bad))], api_name="/upload")
    assert "hong.txt" in status and "UTF-8" in status and "không thay đổi" in status
    assert "không thêm — không phải văn bản mã UTF-8, hãy lưu lại tệp dưới dạng UTF-8." in status  # one plain sentence
    assert len(state.index) == before and not (root / "corpus" / "uploads" / "hong.txt").exists()

    good = tmp_path / "tan-lap.txt"
    good.write_text("Xã Tân Lập hoàn thành chuyển đổi số\n\nNăm 2024, xã Tân Lập đã số hóa 4.512 hồ sơ hộ tịch, "
                    "đạt 96% kế hoạch.\n\nHà Vy", encoding="utf-8")
    status, *_ = client.predict([handle_file(str(good))], api_name="/upload")
    assert "✅ **tan-lap.txt**: đã lập chỉ mục 1 bài viết" in status
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
    page.locator("#send").click()
    bot = page.locator('[data-testid="bot"]').last
    bot.wait_for(timeout=60_000)
    deadline = time.time() + 60
    while time.time() < deadline and "Nguồn" not in bot.inner_text() and "Có thể liên quan" not in bot.inner_text():
        time.sleep(0.3)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    return page, bot.inner_text(), dialogs


def test_browser_says_when_a_figure_asked_to_confirm_is_not_the_articles(app, browser):
    url, _, _ = app
    _, text, _ = _ask_in_page(browser, url, "Có phải xã La Phù năm 2023 xếp thứ 15 về chỉ số thủ tục hành chính không?",
                              "confirm.png")
    assert "xếp thứ 19" in text and "Câu hỏi nêu «thứ 15», nhưng bài viết ghi «thứ 19»." in text


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
    page, text, _ = _ask_in_page(browser, url, "Tỷ lệ hồ sơ quá hạn của phường Quảng Cư là bao nhiêu?",
                                 "follow-up-1.png")
    assert "0,46%" in text
    bots = page.locator('[data-testid="bot"]')
    before = bots.count()
    page.locator("#question textarea").fill("Còn xã La Phù thì sao?")
    page.locator("#send").click()
    deadline = time.time() + 60
    while time.time() < deadline and (bots.count() <= before or "Hiểu câu hỏi" not in bots.last.inner_text()):
        time.sleep(0.3)
    page.screenshot(path=str(ARTIFACTS / "follow-up-2.png"), full_page=True)
    reply = bots.last.inner_text()
    assert "Hiểu câu hỏi là: Tỷ lệ hồ sơ quá hạn của xã La Phù là bao nhiêu?" in reply
    # The article on La Phù gives no such rate: the completed question is honestly not found.
    assert "Không tìm thấy" in reply
    page.close()


# ------------------------------------------------- issue 10: the chat page's checks (items 13-22)
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def _open(browser, url, size="desktop", scheme="light", **context):
    width, height = SIZES[size]
    ctx = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme, **context)
    page = ctx.new_page()
    page.goto(url)
    page.locator("#question textarea").wait_for(timeout=60_000)
    page.locator("#chat button.example").first.wait_for(timeout=30_000)
    return ctx, page


def _wait_reply(page, count=1):
    bots = page.locator('#chat [data-testid="bot"]')
    deadline = time.time() + 60
    while time.time() < deadline and (bots.count() < count or ".qa-reply" and
                                      bots.nth(count - 1).locator(".qa-reply").count() == 0):
        time.sleep(0.2)
    time.sleep(0.4)  # the reply is brought into view after it is drawn
    return bots.nth(count - 1)


def _first_line_visible(page, reply) -> bool:
    """The first line of the reply is inside the viewport and not covered (by a label or anything)."""
    return page.evaluate("""(el) => {
        const first = el.querySelector('.qa-answer, .qa-notfound, .qa-error');
        const r = first.getBoundingClientRect();
        const x = r.left + Math.min(40, r.width / 2), y = r.top + 8;
        if (y < 0 || y > window.innerHeight) return false;
        const hit = document.elementFromPoint(x, y);
        return !!hit && first.contains(hit);
    }""", reply.element_handle())


def _contrast(fg: str, bg: str) -> float:
    def luminance(css: str) -> float:
        r, g, b = (float(v) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])
        lin = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.browser
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_browser_examples_on_load_and_reply_first_line_in_view(app, browser, size):
    url, _, _ = app
    ctx, page = _open(browser, url, size)
    examples = page.locator("#chat button.example")
    assert examples.count() >= 3 and all(examples.nth(i).is_visible() for i in range(3))
    page.screenshot(path=str(ARTIFACTS / f"load-{size}-light.png"))
    examples.first.click()
    reply = _wait_reply(page)
    assert "qa-answer" in reply.inner_html()
    assert _first_line_visible(page, reply)
    page.screenshot(path=str(ARTIFACTS / f"reply-{size}-light.png"))
    # A second, longer reply: still shown from its first line, not scrolled to its end.
    page.locator("#question textarea").fill("Ai là Bí thư Huyện ủy Gia Lâm?")
    page.locator("#send").click()
    reply = _wait_reply(page, 2)
    assert _first_line_visible(page, reply)
    ctx.close()


@pytest.mark.browser
def test_browser_copy_message_gives_plain_text(app, browser):
    url, _, _ = app
    ctx, page = _open(browser, url, permissions=["clipboard-read", "clipboard-write"])
    page.locator("#chat button.example").nth(1).click()
    reply = _wait_reply(page)
    reply.hover()
    page.locator('#chat button[aria-label="Sao chép tin nhắn"]').last.click()
    time.sleep(0.3)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "<" not in copied and "qa-reply" not in copied
    lines = copied.splitlines()
    assert lines[0].startswith("«") and "20 cuộc kiểm tra" in lines[0] and "Nguồn:" in lines
    assert re.match(r"\[1\] .+ — \d\d/\d\d/\d{4} — \S+\.txt$", lines[lines.index("Nguồn:") + 1])
    ctx.close()


@pytest.mark.browser
def test_browser_dark_mode_quote_is_readable(app, browser, size="desktop"):
    url, _, _ = app
    ctx, page = _open(browser, url, size, scheme="dark")
    assert page.evaluate("document.body.classList.contains('dark') || !!document.querySelector('.dark')")
    page.locator("#chat button.example").first.click()
    reply = _wait_reply(page)
    reply.locator("a.qa-ref").first.click()  # [1] jumps to the source and opens it
    time.sleep(0.3)
    source = reply.locator("details.qa-source").first
    assert source.get_attribute("open") is not None and reply.locator("mark").first.is_visible()
    reply.locator("details.qa-article > summary").first.click()  # the whole article, quote highlighted
    assert reply.locator(".qa-article-text mark").first.is_visible()
    # One yellow highlight per view, the quote (its passage, the whole article); other passages'
    # closest sentences keep their light mark through the page's HTML sanitiser.
    assert reply.locator("mark:not(.qa-near)").count() == 2
    for near in reply.locator("mark.qa-near").all():
        assert near.evaluate("(e) => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    page.screenshot(path=str(ARTIFACTS / f"reply-{size}-dark.png"))
    for selector in ("mark", ".qa-short", ".qa-confidence", "a.qa-ref"):
        fg, bg = page.evaluate("""(sel) => {
            const el = document.querySelector('#chat ' + sel);
            let bgEl = el, bg = 'rgba(0, 0, 0, 0)';
            while (bgEl && (bg = getComputedStyle(bgEl).backgroundColor) === 'rgba(0, 0, 0, 0)') bgEl = bgEl.parentElement;
            return [getComputedStyle(el).color, bg];
        }""", selector)
        ratio = _contrast(fg, bg)
        assert ratio >= 4.5, (selector, fg, bg, ratio)
    ctx.close()


@pytest.mark.browser
def test_browser_phone_shows_the_question_box_without_opening_anything(app, browser):
    url, _, _ = app
    ctx, page = _open(browser, url, "phone", scheme="dark")
    time.sleep(0.5)
    page.screenshot(path=str(ARTIFACTS / "load-phone-dark.png"))
    box = page.locator("#question textarea")
    rect = box.bounding_box()
    assert box.is_visible() and rect["y"] >= 0 and rect["y"] + rect["height"] <= 844
    assert page.locator(".sidebar.open").count() == 0  # the side panel starts closed
    assert page.evaluate("document.activeElement === document.querySelector('#question textarea')")
    from playwright.sync_api import expect

    send = page.locator("#send")
    expect(send).to_be_disabled()
    box.fill("Xã")
    expect(send).to_be_enabled(timeout=5_000)
    box.fill("   ")
    expect(send).to_be_disabled(timeout=5_000)
    box.fill("Ai là Bí thư Huyện ủy Gia Lâm?")
    expect(send).to_be_enabled(timeout=5_000)
    send.click()
    assert _first_line_visible(page, _wait_reply(page))
    page.screenshot(path=str(ARTIFACTS / "reply-phone-dark.png"))
    ctx.close()


@pytest.mark.browser
def test_browser_footer_links_the_json_api_and_gradio_buttons_keep_off_the_text(app, browser):
    url, _, _ = app
    ctx, page = _open(browser, url, "phone")
    # Gradio's footer is gone (its API panel is English and lists the page's private events); the
    # page's own line points to the documented JSON API.
    assert page.locator("footer").count() == 0
    assert page.locator("#qa-footer a").get_attribute("href") == "/api/docs"
    assert page.request.get(url.rstrip("/") + "/api/docs").ok
    page.locator("#question textarea").fill("Xã La Phù nhận được bao nhiêu phiếu đánh giá sự hài lòng năm 2023?")
    page.locator("#send").click()
    reply = _wait_reply(page)
    # Gradio's clear and copy-all buttons sat on the reply's first line; the text now scrolls below them.
    buttons = page.locator("#chat .top-panel").bounding_box()
    assert buttons["y"] + buttons["height"] <= page.locator("#chat .panel-wrap").bounding_box()["y"] + 1
    reply.locator("a.qa-ref").first.click()  # opens the source: the conversation now overflows
    time.sleep(0.5)
    page.evaluate("""() => { const c = [...document.querySelectorAll('#chat *')].find(e =>
        e.scrollHeight > e.clientHeight + 50 && getComputedStyle(e).overflowY !== 'visible');
        c.scrollTop = Math.max(0, c.scrollTop - 300); }""")
    arrow = page.locator("#chat .scroll-down-button-container button")
    arrow.wait_for(timeout=10_000)
    box, chat = arrow.bounding_box(), page.locator("#chat").bounding_box()
    assert box["x"] + box["width"] >= chat["x"] + chat["width"] - 40, (box, chat)  # at the edge, not mid-text
    assert arrow.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    page.screenshot(path=str(ARTIFACTS / "scroll-arrow-phone.png"))
    ctx.close()


@pytest.mark.browser
def test_browser_every_control_has_a_vietnamese_name(app, browser):
    from qa.page import UI_STRINGS_VI

    url, _, _ = app
    ctx, page = _open(browser, url)
    page.locator("#chat button.example").first.click()
    _wait_reply(page).hover()
    tree = page.locator("body").aria_snapshot()  # roles and accessible names, as a screen reader gets them
    controls = re.findall(r"^\s*- (button|textbox|combobox|slider|spinbutton|link|checkbox)\b(.*)$", tree, re.M)
    assert len(controls) >= 10
    for role, rest in controls:
        name = re.match(r' "([^"]*)"', rest)
        assert name and name.group(1).strip(), f"a {role} has no accessible name: {rest!r}"
    english = set(UI_STRINGS_VI) | {"Textbox", "Toggle Sidebar", "chatbot conversation", "Select example",
                                    "Use via API", "Built with Gradio"}
    found = [word for word in english if re.search(rf'"{re.escape(word)}\b|: {re.escape(word)}$', tree, re.M)]
    assert not found, found
    assert page.get_by_role("textbox", name="Câu hỏi").count() == 1
    assert page.get_by_role("log", name="Cuộc trò chuyện").count() == 1
    # A message's label was "bot's message: <div class='qa-reply'>...": English, and markup read out.
    labels = page.locator("#chat [aria-label]").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert "Trả lời của trợ lý" in labels and any(label.startswith("Câu hỏi: ") for label in labels), labels
    assert not [label for label in labels if "message" in label or "<" in label], labels
    # Gradio declares the page English: a screen reader would read the Vietnamese with English voices.
    assert page.evaluate("document.documentElement.lang") == "vi"
    ctx.close()


@pytest.mark.browser
def test_browser_bad_date_is_reported_when_typed_and_upload_result_is_in_view(app, browser, tmp_path):
    from playwright.sync_api import expect

    url, state, root = app
    ctx, page = _open(browser, url)
    page.locator("#date-from textarea").fill("31/02/2024")
    page.locator("#date-from textarea").blur()
    page.locator("#date-status").get_by_text("Ngày không hợp lệ").wait_for(timeout=10_000)
    article = tmp_path / "cho-que.txt"
    article.write_text("Chợ quê xã Yên Viên\n\nXã Yên Viên khánh thành chợ quê với 86 ki-ốt.", encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.locator("#add").click()
    chooser.value.set_files(str(article))
    # The result line sits below a 900-pixel screen's fold until the page brings it up (Playwright's
    # click may already have scrolled the sidebar, so put it back to where a user may have it).
    page.evaluate("() => { for (const e of document.querySelectorAll('*')) if (e.scrollTop) e.scrollTop = 0; }")
    status = page.locator("#upload-status")
    status.get_by_text("đã lập chỉ mục 1 bài viết").wait_for(timeout=60_000)
    expect(status).to_be_in_viewport(ratio=0.95, timeout=5_000)  # sub-pixel edges: 0.9994
    assert status.is_visible() and status.bounding_box()["y"] + 10 <= 900
    page.screenshot(path=str(ARTIFACTS / "upload-desktop-light.png"))
    assert "uploads/cho-que.txt" in state.index.articles
    (root / "corpus" / "uploads" / "cho-que.txt").unlink()
    # Another kind of file is refused by the upload's own check, in Vietnamese, not by an English notice.
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(b"%PDF-1.4 not an article")
    with page.expect_file_chooser() as chooser:
        page.locator("#add").click()
    chooser.value.set_files(str(pdf))
    status.get_by_text("chỉ nhận tệp .txt, .md hoặc .jsonl").wait_for(timeout=30_000)
    assert "Invalid file type" not in page.content()
    # A date range that ends before it starts is reported as soon as it is typed.
    page.locator("#date-from textarea").fill("01/01/2024")
    expect(page.locator("#date-status")).not_to_contain_text("Ngày không hợp lệ", timeout=10_000)
    page.locator("#date-to textarea").fill("01/01/2023")
    page.locator("#date-to textarea").blur()
    page.locator("#date-status").get_by_text("Khoảng ngày không hợp lệ").wait_for(timeout=10_000)
    ctx.close()


def test_number_of_sources_control_matches_what_is_read(app):
    import gradio as gr

    from qa.answering import PASSAGES_READ
    from qa.page import build_page

    _, state, _ = app
    demo = build_page(state)
    slider = next(b for b in demo.blocks.values() if isinstance(b, gr.Slider) and b.elem_id == "k")
    assert slider.maximum == PASSAGES_READ and slider.value == PASSAGES_READ
    answer = state.index.answer("Xã La Phù xếp thứ mấy về chỉ số thủ tục hành chính năm 2023?", k=PASSAGES_READ + 5)
    assert len({(c.doc_id, c.start) for c in answer.citations}) <= PASSAGES_READ


def test_min_confidence_control_starts_at_the_selector_threshold_and_is_applied(app):
    import gradio as gr

    from qa.answering import default_selector
    from qa.app import reply
    from qa.page import build_page

    _, state, _ = app
    demo = build_page(state)
    slider = next(b for b in demo.blocks.values() if isinstance(b, gr.Slider) and b.elem_id == "min-confidence")
    assert slider.value == default_selector().threshold
    question = "Huyện Gia Lâm đã thực hiện bao nhiêu cuộc kiểm tra công tác CCHC?"
    assert "qa-short" in reply(state, question, min_confidence=slider.value)
    refused = reply(state, question, min_confidence=1.0)  # no confidence reaches 1
    assert "Không tìm thấy" in refused and "qa-short" not in refused
    assert "Yêu cầu không hợp lệ: min_confidence must be a number from 0 to 1" in reply(state, question,
                                                                                        min_confidence=2)


def test_a_follow_up_asked_first_asks_for_the_whole_question(app):
    from qa.app import reply

    _, state, _ = app
    # Asked first (or after clearing the chat), "Còn cấp huyện thì sao?" was answered at 0.52 with an
    # unrelated sentence.
    first = reply(state, "Còn cấp huyện thì sao?")
    assert "nối tiếp một câu hỏi trước" in first and "qa-short" not in first
    history = [{"role": "user", "content": "Cấp xã ở Gia Lâm thu được bao nhiêu tiền phí, lệ phí?"},
               {"role": "assistant", "content": "..."}]
    assert "nối tiếp" not in reply(state, "Còn cấp huyện thì sao?", history)
    # A question of its own that starts with "Còn" is answered as usual.
    assert "nối tiếp" not in reply(state, "Còn bao nhiêu hồ sơ chưa giải quyết?")


def test_a_reply_under_filters_says_so_and_a_reversed_date_range_is_refused(app):
    from qa.app import reply

    _, state, _ = app
    question = "Huyện Gia Lâm đã thực hiện bao nhiêu cuộc kiểm tra công tác CCHC?"
    assert "Chỉ tìm trong" not in reply(state, question)
    # Gia Lâm's article is from 2022: limited to 2024, nothing is found, and the reply says where it looked.
    limited = reply(state, question, date_from="01/01/2024")
    assert "Không tìm thấy" in limited
    assert "Chỉ tìm trong: ngày đăng từ 01/01/2024. Bỏ bộ lọc để tìm trong tất cả bài viết." in limited
    found = reply(state, question, sources=[s for s in state.index.sources() if "001_" in s])
    assert "qa-short" in found and "Chỉ tìm trong: 1 bài viết đã chọn." in found
    reversed_range = reply(state, question, date_from="01/01/2024", date_to="01/01/2023")
    assert "Khoảng ngày không hợp lệ" in reversed_range and "01/01/2024" in reversed_range


@pytest.mark.browser
def test_browser_side_panel_is_current_on_load(sample_index, browser):
    """A page built while the first index was building must not keep saying so once it is ready."""
    from qa.app import State, launch

    state = State(None, sample_index.path.parent / "corpus", sample_index.path)
    demo, url = launch(state, port=_free_port(), block=False)
    try:
        state.index = sample_index  # the build finished after the page was built
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("#question textarea", timeout=60000)
        page.wait_for_function("document.querySelector('#stats').innerText.includes('bài viết')", timeout=1500)
        assert "Đang lập chỉ mục" not in page.locator("#stats").inner_text()
        page.close()
    finally:
        demo.close()
