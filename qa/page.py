"""The chat page's layout (Gradio Blocks), its styles for light and dark themes, and its small scripts."""

from __future__ import annotations

import json
import time

import gradio as gr

from . import answering
from .app import answer_api, check_date, check_date_range, example_questions, reply
from .uploads import State

# Sentences are chosen among this many top passages, so more sources cannot be shown.
MAX_SOURCES = getattr(answering, "PASSAGES_READ", 5)
DEFAULT_MIN_CONFIDENCE = answering.default_selector().threshold  # the slider starts where `found` does

# Every custom colour has a light and a dark value; the highlighted quote keeps a contrast
# above 7:1 in both (dark text on pale yellow, pale text on dark amber).
CSS = """
.qa-reply { --qa-mark-bg: #fff3a3; --qa-mark-fg: #1d2939; --qa-short: #b42318; --qa-muted: #5d6679;
  --qa-border: #d0d5dd; --qa-notfound: #b54708; --qa-link: #175cd3; }
.dark .qa-reply { --qa-mark-bg: #5c4500; --qa-mark-fg: #fff4c2; --qa-short: #ff9c8f; --qa-muted: #a9b1c1;
  --qa-border: #475467; --qa-notfound: #fdb022; --qa-link: #84caff; }
.qa-reply mark { background: var(--qa-mark-bg); color: var(--qa-mark-fg); padding: 0 2px; border-radius: 2px; }
.qa-reply mark.qa-near { background: none; color: inherit; padding: 0; text-decoration: underline dotted; text-underline-offset: 3px; }
.qa-short { color: var(--qa-short); }
.qa-answer { font-size: 1.05em; }
.qa-confidence, .qa-asked { color: var(--qa-muted); font-size: 0.9em; }
.qa-source { border: 1px solid var(--qa-border); border-radius: 6px; padding: 4px 8px; margin: 4px 0;
  scroll-margin-top: 12px; }
.qa-source summary, .qa-article summary { cursor: pointer; }
.qa-article summary { color: var(--qa-link); margin-top: 6px; }
.qa-passage, .qa-article-text { margin-top: 6px; white-space: normal; line-height: 1.5; }
.qa-article-text { max-height: 24em; overflow-y: auto; border-top: 1px solid var(--qa-border); padding-top: 6px; }
.qa-notfound { color: var(--qa-notfound); }
.qa-reply a.qa-ref { color: var(--qa-link); text-decoration: underline; }
#chat .message { scroll-margin-top: 8px; }
#chat button.example { border: 1px solid var(--border-color-primary); border-radius: 8px;
  background: var(--background-fill-secondary); }
#chat button.example:hover { border-color: var(--color-accent); }
#ask-row { align-items: stretch; }
/* Gradio centres its "scroll to the end" arrow over the text, with no background: on a phone it sat
   on a line of the quote. It goes to the corner, on a disc of the page's colour. */
/* Gradio also puts it above everything (z-index 2147480000): on a phone it showed through the open
   side panel (z-index 1000), over a control. It stays above the conversation only. */
#chat .scroll-down-button-container { left: auto; right: 10px; transform: none; z-index: 10; }
#chat .scroll-down-button-container button { background: var(--background-fill-primary);
  border: 1px solid var(--border-color-primary); }
/* Gradio's clear and copy-all buttons sit over the conversation's top right corner: on a phone, over
   the first line of a reply. The conversation's scrolling area starts below them. */
#chat .panel-wrap { margin-top: 30px; height: calc(100% - 30px); }
#qa-footer { text-align: center; color: var(--body-text-color-subdued); font-size: 0.85em; }
#qa-footer a { color: inherit; text-decoration: underline; }
#send { min-width: 72px; }
@media (max-width: 640px) { #page-title h1 { font-size: 1.3em; margin: 0; } #page-title p { display: none; }
  /* The side panel's toggle sits at the title's left end: a little room between them. */
  #page-title { padding-left: 10px; }
  /* A phone's screen is mostly the conversation: 62vh left a band of blank screen under the question box. */
  #chat { height: calc(100dvh - 230px) !important; } }
"""

# Gradio's own widget strings that its i18n cannot reach (its frontend picks a locale only among
# the languages it ships, and Vietnamese is not one): replaced on the page as they appear.
UI_STRINGS_VI = {
    "Copy message": "Sao chép tin nhắn",
    "Copy conversation": "Sao chép cuộc trò chuyện",
    "Copied message": "Đã sao chép",
    "Copied conversation": "Đã sao chép",
    "Copied!": "Đã sao chép!",
    "Copy": "Sao chép",
    "Clear": "Xóa",
    "Retry": "Thử lại",
    "Undo": "Hoàn tác",
    "Edit": "Sửa",
    "Like": "Thích",
    "Dislike": "Không thích",
    "Share": "Chia sẻ",
    "Toggle Sidebar": "Mở hoặc đóng bảng bên",
    "chatbot conversation": "Cuộc trò chuyện",
    "Chatbot": "Cuộc trò chuyện",
    "Textbox": "Ô câu hỏi",
    "Submit": "Gửi",
    "Close": "Đóng",
    "Loading...": "Đang tải…",
    "Error": "Lỗi",
    "Info": "Thông báo",
    "Warning": "Cảnh báo",
    "Drop File Here": "Thả tệp vào đây",
    "- or -": "- hoặc -",
    "Click to Upload": "Bấm để tải lên",
    "Upload file": "Tải tệp lên",
    "Remove": "Bỏ",
    "Select": "Chọn",
    "dropdown": "danh sách chọn",
    "Clear all": "Bỏ chọn tất cả",
    "Remove file": "Bỏ tệp",
    "Scroll down": "Cuộn xuống",
    "Scroll to bottom": "Cuộn xuống cuối",
    "Scroll down to the end": "Cuộn xuống cuối",
    "number input for": "ô số cho",
    "range slider for": "thanh trượt cho",
    "Reset": "Đặt lại",
    "Reset to default value": "Đặt lại giá trị mặc định",
    "Stop Recording": "Dừng ghi",
    "Select example": "Câu hỏi mẫu",
    "common.complete": "Đã xong",
    "logo": "biểu tượng",
}

HEAD_JS = """
<script>
(() => {
  // The page is Vietnamese: a screen reader reads it with Vietnamese voices (Gradio writes lang="en").
  document.documentElement.lang = "vi";
  new MutationObserver(() => { if (document.documentElement.lang !== "vi") document.documentElement.lang = "vi"; })
    .observe(document.documentElement, {attributes: true, attributeFilter: ["lang"]});
  const VI = __VI__;
  const ATTRS = ["aria-label", "title", "placeholder", "alt"];
  const tr = (s) => {
    if (!s) return null;
    const t = s.trim();
    if (VI[t]) return s.replace(t, VI[t]);
    // Each chat message's label is "<role>'s message: <its content>", the reply's content being its
    // HTML: a screen reader would read the markup out. The reply is read from the message itself.
    if (t.startsWith("bot's message:")) return "Trả lời của trợ lý";
    if (t.startsWith("user's message:")) return "Câu hỏi: " + t.slice("user's message:".length).trim();
    for (const k of ["number input for", "range slider for", "Select example"]) if (t.startsWith(k)) return s.replace(k, VI[k]);
    return null;
  };
  function translate(root) {
    const els = root.querySelectorAll ? [root, ...root.querySelectorAll("*")] : [];
    for (const el of els) {
      for (const a of ATTRS) {
        const v = el.getAttribute && el.getAttribute(a);
        const n = tr(v);
        if (n && n !== v) el.setAttribute(a, n);
      }
      // Buttons with an icon and no name get one (the screen reader would say "button").
      if (el.tagName === "BUTTON" && !el.getAttribute("aria-label") && !el.textContent.trim()) {
        const t = el.getAttribute("title");
        if (t) el.setAttribute("aria-label", t);
      }
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      if (node.parentElement && node.parentElement.closest(".qa-reply, textarea, .message")) continue;
      const n = tr(node.nodeValue);
      if (n && n !== node.nodeValue) node.nodeValue = n;
    }
  }
  // "Copy message" copies the message content, which is HTML: put the plain text on the clipboard
  // instead (the lines marked qa-copy: the answer, then the numbered sources).
  function plain(text) {
    if (typeof text !== "string" || !text.includes("qa-reply")) return text;
    const doc = new DOMParser().parseFromString(text, "text/html");
    for (const r of doc.querySelectorAll(".qa-reply")) {
      const lines = [...r.querySelectorAll(".qa-copy")].map((e) => e.textContent.replace(/\\s+/g, " ").trim());
      r.replaceWith(doc.createTextNode("\\n" + lines.filter(Boolean).join("\\n") + "\\n"));
    }
    return doc.body.textContent.replace(/\\n{3,}/g, "\\n\\n").trim();
  }
  if (navigator.clipboard && navigator.clipboard.writeText) {
    const write = navigator.clipboard.writeText.bind(navigator.clipboard);
    navigator.clipboard.writeText = (t) => write(plain(t));
  }
  // [n] jumps to source n and opens it.
  document.addEventListener("click", (ev) => {
    const a = ev.target.closest && ev.target.closest("a.qa-ref");
    if (!a) return;
    ev.preventDefault();
    ev.stopPropagation();
    const target = document.getElementById(a.getAttribute("href").slice(1));
    if (target) { target.open = true; target.scrollIntoView({block: "start"}); }
  }, true);
  // The side panel starts closed on a phone: it would cover the whole chat.
  function closeSidebarOnPhone(tries) {
    if (window.innerWidth > 768) return;
    const side = document.querySelector(".sidebar");
    const toggle = side && side.querySelector("button.toggle-button, button[aria-label]");
    if (side && toggle && side.classList.contains("open")) { toggle.click(); return; }
    if (!side && tries > 0) setTimeout(() => closeSidebarOnPhone(tries - 1), 100);
  }
  const start = () => {
    translate(document.body);
    new MutationObserver((muts) => {
      for (const m of muts) {
        if (m.type === "attributes") { translate(m.target); continue; }
        for (const n of m.addedNodes) if (n.nodeType === 1) translate(n);
          else if (n.nodeType === 3 && n.parentElement) translate(n.parentElement);
      }
    }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ATTRS});
    closeSidebarOnPhone(100);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
</script>
"""

# After a reply arrives: bring its first line to the top of the chat, not its end into view.
SHOW_REPLY_JS = """() => {
  const show = () => {
    const bots = document.querySelectorAll('#chat [data-testid="bot"]');
    const last = bots[bots.length - 1];
    if (last) last.scrollIntoView({block: "start"});
  };
  requestAnimationFrame(() => requestAnimationFrame(show));
  setTimeout(show, 150);
}"""

# After an upload or a removal: its result line sits low in the sidebar (below the filters and the
# two sliders); bring it into view rather than leave it under the fold of a 900-pixel screen.
SHOW_UPLOAD_RESULT_JS = """() => {
  const show = () => {
    const status = document.querySelector('#upload-status');
    if (status) status.scrollIntoView({block: "nearest"});
  };
  requestAnimationFrame(() => requestAnimationFrame(show));
  setTimeout(show, 150);
}"""

FOCUS_JS = "() => { const t = document.querySelector('#question textarea'); if (t) t.focus(); }"


def launch_options() -> dict:
    return {"theme": gr.themes.Soft(), "css": CSS,
            "head": HEAD_JS.replace("__VI__", json.dumps(UI_STRINGS_VI, ensure_ascii=False))}


def build_page(state: State) -> gr.Blocks:
    """The page: a side panel (corpus, filters, uploads), the chat, the question box."""

    def ask(message, history, sources, date_from, date_to, k, min_confidence):
        history = list(history or [])
        if not isinstance(message, str) or not message.strip():
            return history, message, gr.update(interactive=False)
        html = reply(state, message, history, sources, date_from, date_to, k, min_confidence)
        history += [{"role": "user", "content": message}, {"role": "assistant", "content": html}]
        return history, "", gr.update(interactive=False)

    def respond(message: str, sources: list[str] | None = None, date_from: str = "", date_to: str = "",
                k: int = 5, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> str:
        """The chat reply to one question, as HTML."""
        return reply(state, message, None, sources, date_from, date_to, k, min_confidence)

    def answer(question: str, k: int = 5) -> dict:
        """The structured answer: text, short answer, found, confidence, citations (or error)."""
        return answer_api(state, question, k)

    def pick_example(evt: gr.SelectData):
        value = evt.value
        return value.get("text", "") if isinstance(value, dict) else str(value)

    def check_dates(date_from, date_to):
        problems = []
        for label, text in (("Từ ngày", date_from), ("Đến ngày", date_to)):
            try:
                check_date(text)
            except ValueError as exc:
                problems.append(f"⚠️ {label}: {exc}")
        if not problems:
            try:
                check_date_range(date_from, date_to)
            except ValueError as exc:
                problems.append(f"⚠️ {exc}")
        return "\n\n".join(problems)

    def panel():
        """Everything the side panel shows that changes with the index."""
        return (state.status_markdown(), gr.update(choices=state.source_choices()),
                gr.update(choices=state.source_choices(only_uploads=True), value=None))

    def upload(files, progress=gr.Progress()):
        if not files:
            return ("Chưa chọn tệp nào.", *panel())
        paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in files]
        report = state.add_files(paths, progress)
        # The time tells a second upload's result from the first's, even when they read the same.
        return (f"{report.text()}\n\n<small>({time.strftime('%H:%M:%S')})</small>", *panel())

    def remove(source):
        return (state.remove_upload(source or "").text(), *panel())

    def refresh(seen):
        """Timer: update the panel when a background build finished or started."""
        now = (id(state.index), state.rebuilding, state.error)
        if now == seen:
            return gr.skip(), gr.skip(), gr.skip(), seen
        return (*panel(), now)

    with gr.Blocks(title="Hỏi đáp tin tức") as demo:
        with gr.Sidebar(open=True, label="Kho bài viết và bộ lọc", elem_id="side"):
            gr.Markdown("### Kho bài viết")
            stats = gr.Markdown(state.status_markdown(), elem_id="stats")
            gr.Markdown("### Bộ lọc")
            sources = gr.Dropdown(choices=state.source_choices(), multiselect=True, value=[],
                                  label="Chỉ tìm trong các bài", elem_id="filter-sources")
            # Placeholders say "e.g.": a plain date in grey read as a filter already set.
            date_from = gr.Textbox(label="Từ ngày (DD/MM/YYYY)", placeholder="vd. 01/01/2022 (để trống: không lọc)",
                                   elem_id="date-from")
            date_to = gr.Textbox(label="Đến ngày (DD/MM/YYYY)", placeholder="vd. 31/12/2024 (để trống: không lọc)",
                                 elem_id="date-to")
            date_status = gr.Markdown(elem_id="date-status")
            k = gr.Slider(1, MAX_SOURCES, value=MAX_SOURCES, step=1, label="Số nguồn tối đa",
                          info=f"Số nguồn ghi dưới câu trả lời. Câu trích luôn được chọn trong {MAX_SOURCES} đoạn "
                               "liên quan nhất.", elem_id="k")
            min_confidence = gr.Slider(0.05, 0.95, value=DEFAULT_MIN_CONFIDENCE, step=0.05,
                                       label="Độ tin cậy tối thiểu để trả lời",
                                       info="Thấp hơn: ít khi báo «không tìm thấy» hơn, nhưng câu trích dễ sai hơn.",
                                       elem_id="min-confidence")
            gr.Markdown("### Thêm bài viết")
            # No `file_types`: Gradio would refuse another kind of file with an English notice; the
            # upload's own check says it in Vietnamese, beside the other files' results.
            add = gr.UploadButton(f"Chọn tệp để thêm (.txt, .md, .jsonl; tối đa {state.max_upload_mb:g} MB)",
                                  file_count="multiple", elem_id="add")
            upload_status = gr.Markdown(elem_id="upload-status")
            gr.Markdown("### Xóa bài đã tải lên")
            removable = gr.Dropdown(choices=state.source_choices(only_uploads=True), value=None,
                                    label="Bài đã tải lên", elem_id="removable")
            remove_btn = gr.Button("Xóa khỏi kho và chỉ mục", variant="stop", size="sm", elem_id="remove")
        gr.Markdown("# Hỏi đáp tin tức\nTrả lời bằng câu trích nguyên văn từ các bài viết, kèm nguồn để kiểm chứng. "
                    "Nếu các bài viết không có thông tin, trợ lý nói rõ.", elem_id="page-title")
        chatbot = gr.Chatbot(
            value=[], label="Cuộc trò chuyện", show_label=False, elem_id="chat", height="62vh", autoscroll=False,
            sanitize_html=True, render_markdown=True, buttons=["copy", "copy_all"], layout="panel",
            placeholder="**Câu hỏi mẫu** — bấm để hỏi thử:",
            examples=[{"text": q} for q in example_questions(state.index)])
        with gr.Row(elem_id="ask-row"):
            question = gr.Textbox(label="Câu hỏi", show_label=False, scale=8, autofocus=True, lines=1, max_lines=4,
                                  placeholder="Nhập câu hỏi, ví dụ: Xã La Phù xếp thứ mấy về chỉ số TTHC?",
                                  elem_id="question")
            send = gr.Button("Gửi", variant="primary", interactive=False, scale=1, min_width=72, elem_id="send")
        # In place of Gradio's footer: its API panel is in English and describes the page's private
        # events; the JSON API (/api/docs) is the one documented for programs.
        gr.HTML('<div>API JSON cho chương trình: <a href="/api/docs" target="_blank">/api/docs</a></div>',
                elem_id="qa-footer")
        seen = gr.State(None)
        timer = gr.Timer(2.0)

        inputs = [question, chatbot, sources, date_from, date_to, k, min_confidence]
        outputs = [chatbot, question, send]
        private = {"api_visibility": "private"}
        question.change(lambda t: gr.update(interactive=bool(str(t or "").strip())), question, send,
                        queue=False, show_progress="hidden", **private)
        for event in (question.submit, send.click):
            event(ask, inputs, outputs, show_progress="minimal", **private).then(None, js=SHOW_REPLY_JS)
        chatbot.example_select(pick_example, None, question, queue=False, **private).then(
            ask, inputs, outputs, show_progress="minimal", **private).then(None, js=SHOW_REPLY_JS)
        # One listener for both boxes, its runs queued in order: with one listener per box, the check
        # started by the first box (the second still empty) could finish last and wipe the message
        # about the range.
        gr.on([date_from.change, date_to.change], check_dates, [date_from, date_to], date_status,
              show_progress="hidden", concurrency_limit=1, trigger_mode="always_last", **private)
        add.upload(upload, add, [upload_status, stats, sources, removable], api_name="upload").then(
            None, js=SHOW_UPLOAD_RESULT_JS)
        remove_btn.click(remove, removable, [upload_status, stats, sources, removable], api_name="remove").then(
            None, js=SHOW_UPLOAD_RESULT_JS)
        timer.tick(refresh, seen, [stats, sources, removable, seen], show_progress="hidden", **private)
        # The panel was rendered when the page was built: bring it up to date at once on every visit,
        # not 2 s later (a page built while the first index was building said "building" after it was ready).
        demo.load(refresh, seen, [stats, sources, removable, seen], show_progress="hidden", **private)
        demo.load(None, js=FOCUS_JS)
        gr.api(respond, api_name="respond")
        gr.api(answer, api_name="answer")
    demo.queue(default_concurrency_limit=4)
    return demo
