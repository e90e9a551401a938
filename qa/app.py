"""The Gradio chat page, in Vietnamese: cited answers, sources, filters, uploads.

The model and the index are loaded once per process and shared by every request; an
upload re-indexes incrementally and swaps the new index in under a lock.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no request leaves the machine
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from .dates import iso_date
from .errors import EmptyQuestionError, QAError
from .followup import complete_question
from .index import Index, build_index, is_stale, load
from .ingest import SUPPORTED_SUFFIXES, read_file
from .records import NOT_FOUND_TEXT
from .render import render_answer, render_error

log = logging.getLogger(__name__)

EXAMPLES_FILE = Path(__file__).resolve().parent.parent / "examples.json"

# Reasons from ingest (English, for logs) shown to the user in Vietnamese.
REASONS_VI = [
    ("empty", "tệp rỗng"),
    ("binary", "tệp nhị phân, không phải văn bản"),
    ("not UTF-8", "không phải văn bản mã UTF-8 (hãy lưu lại tệp dưới dạng UTF-8)"),
    ("invalid JSON", "dòng JSON không hợp lệ"),
    ("missing required", "thiếu trường bắt buộc `id` hoặc `text`"),
    ("not a JSON object", "dòng không phải đối tượng JSON"),
    ("no article text", "không còn nội dung bài viết sau khi lọc phần thừa của trang"),
    ("duplicate id", "trùng mã bài viết đã có"),
]

CSS = """
.qa-reply mark { background: #fff3a3; padding: 0 2px; }
.qa-short { color: #b42318; }
.qa-answer { font-size: 1.05em; }
.qa-confidence, .qa-asked { color: #667085; font-size: 0.9em; }
.qa-source { border: 1px solid #e4e7ec; border-radius: 6px; padding: 4px 8px; margin: 4px 0; }
.qa-source summary { cursor: pointer; }
.qa-passage { margin-top: 6px; white-space: normal; line-height: 1.5; }
.qa-notfound { color: #b54708; }
"""


def reason_vi(reason: str) -> str:
    for key, text in REASONS_VI:
        if key.lower() in reason.lower():
            return text
    return reason


class State:
    """The process-wide index, reloaded after uploads."""

    def __init__(self, index: Index, corpus: Path, index_dir: Path):
        self.index = index
        self.corpus = corpus
        self.index_dir = index_dir
        self.lock = threading.Lock()

    def stats_markdown(self) -> str:
        ix = self.index
        return (f"**{len(ix.articles)}** bài viết, **{len(ix)}** đoạn văn đã lập chỉ mục  \n"
                f"Mô hình: `{ix.model_id}`  \nCập nhật: {ix.manifest.get('built_at', '')}")

    def add_files(self, paths: list[str], progress=None) -> str:
        """Validate, copy into the corpus and re-index. Bad files change nothing."""
        messages, accepted = [], []
        known = set(self.index.articles)
        for path in paths:
            src = Path(path)
            name = src.name
            if src.suffix.lower() not in SUPPORTED_SUFFIXES:
                messages.append(f"❌ {name}: chỉ nhận tệp .txt, .md hoặc .jsonl")
                continue
            articles, skipped = read_file(src, name)
            clashes = [a.doc_id for a in articles if src.suffix.lower() == ".jsonl" and a.doc_id in known]
            if not articles:
                why = "; ".join(reason_vi(s.reason) for s in skipped) or "không có bài viết"
                messages.append(f"❌ {name}: không thể thêm ({why}). Kho bài viết không thay đổi.")
                continue
            if clashes:
                messages.append(f"❌ {name}: mã bài viết đã tồn tại ({', '.join(clashes[:3])}). Kho không thay đổi.")
                continue
            if skipped:
                messages.append(f"⚠️ {name}: bỏ qua {len(skipped)} dòng lỗi "
                                f"({'; '.join(f'{s.path}: {reason_vi(s.reason)}' for s in skipped[:3])})")
            accepted.append((src, len(articles)))
        if not accepted:
            return "\n".join(messages)
        with self.lock:
            target_dir = self.corpus / "uploads"
            target_dir.mkdir(parents=True, exist_ok=True)
            for src, count in accepted:
                target = target_dir / src.name
                stem, n = target.stem, 1
                while target.exists():
                    target = target_dir / f"{stem}-{n}{target.suffix}"
                    n += 1
                shutil.copyfile(src, target)
                messages.append(f"✅ {src.name}: đã thêm {count} bài viết")
            if progress is not None:
                progress(0.3, desc="Đang lập chỉ mục các bài viết mới…")
            self.index = build_index(self.corpus, self.index_dir, model=self.index.embedder, progress=False)
            if progress is not None:
                progress(1.0, desc="Xong")
        report = self.index.build_report
        messages.append(f"Chỉ mục đã cập nhật: {len(report.added)} bài mới, {len(report.updated)} bài sửa; "
                        "có thể hỏi ngay.")
        return "\n".join(messages)


def _parse_date(text: str | None) -> str | None:
    try:
        return iso_date(text)
    except ValueError:
        raise ValueError(f"Ngày không hợp lệ: «{text.strip()}». Hãy nhập theo dạng DD/MM/YYYY.") from None


def _text_of(content) -> str:
    """Message content as text: Gradio gives a string, or a list of parts ({"type": "text", "text": ...})."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or "")
    if isinstance(content, (list, tuple)):
        return " ".join(_text_of(part) for part in content).strip()
    return ""


def _previous_questions(history) -> list[str]:
    out = []
    for message in history or []:
        if isinstance(message, dict) and message.get("role") == "user":
            text = _text_of(message.get("content"))
            if text:
                out.append(text)
    return out


def example_questions(index: Index) -> list[str]:
    """Questions about this corpus: the curated ones when their articles are indexed, else from titles."""
    if EXAMPLES_FILE.exists():
        rows = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
        chosen = [r["question"] for r in rows if r.get("doc_id") in index.articles]
        if chosen:
            return chosen[:5]
    titles = [a.title for a in index.articles.values() if a.title][:4]
    return [f"{t.rstrip('.')} như thế nào?" for t in titles]


def build_app(state: State):
    import gradio as gr

    def respond(message, history, sources, date_from, date_to, k):
        if not isinstance(message, str) or not message.strip():
            return render_error("Vui lòng nhập câu hỏi.")
        try:
            asked = complete_question(message, _previous_questions(history))
            answer = state.index.answer(asked, k=int(k or 5), sources=sources or None,
                                        date_from=_parse_date(date_from), date_to=_parse_date(date_to))
        except EmptyQuestionError:
            return render_error("Vui lòng nhập câu hỏi.")
        except ValueError as exc:
            return render_error(str(exc))
        except QAError as exc:
            log.exception("answer failed")
            return render_error(f"Không trả lời được câu hỏi do lỗi chỉ mục: {exc}")
        return render_answer(answer, typed=message)

    def answer_api(question: str, k: int = 5) -> dict:
        """The structured answer: text, short answer, found, confidence, citations."""
        try:
            return state.index.answer(question, k=int(k)).to_dict()
        except QAError as exc:
            return {"question": question, "found": False, "text": NOT_FOUND_TEXT, "short": None,
                    "confidence": 0.0, "citations": [], "error": str(exc)}

    def upload(files, progress=gr.Progress()):
        if not files:
            return "Chưa chọn tệp nào.", state.stats_markdown(), gr.update()
        paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in files]
        message = state.add_files(paths, progress)
        return message, state.stats_markdown(), gr.update(choices=state.index.sources())

    with gr.Blocks(title="Hỏi đáp tin tức") as demo:
        with gr.Sidebar(open=True):
            gr.Markdown("### Kho bài viết")
            stats = gr.Markdown(state.stats_markdown())
            gr.Markdown("### Bộ lọc")
            sources = gr.Dropdown(choices=state.index.sources(), multiselect=True, label="Chỉ tìm trong các tệp",
                                  value=[])
            date_from = gr.Textbox(label="Từ ngày (DD/MM/YYYY)", placeholder="01/01/2022")
            date_to = gr.Textbox(label="Đến ngày (DD/MM/YYYY)", placeholder="31/12/2024")
            k = gr.Slider(1, 10, value=5, step=1, label="Số nguồn hiển thị")
            gr.Markdown("### Thêm bài viết")
            files = gr.File(file_count="multiple", file_types=[".txt", ".md", ".jsonl"], label="Tệp .txt, .md, .jsonl")
            add = gr.Button("Thêm vào kho và lập chỉ mục")
            status = gr.Markdown()
        gr.ChatInterface(
            respond,
            chatbot=gr.Chatbot(height=560, label="Trợ lý", sanitize_html=True, render_markdown=True,
                               placeholder="**Câu hỏi mẫu** — bấm để hỏi thử:",
                               examples=[{"text": q} for q in example_questions(state.index)]),
            textbox=gr.Textbox(placeholder="Nhập câu hỏi, ví dụ: Xã La Phù xếp thứ mấy về chỉ số TTHC?",
                               submit_btn="Gửi", elem_id="question"),
            additional_inputs=[sources, date_from, date_to, k],
            title="Hỏi đáp tin tức",
            description="Trả lời câu hỏi bằng đoạn trích nguyên văn từ các bài viết, kèm nguồn để kiểm chứng. "
                        "Nếu các bài viết không có thông tin, trợ lý sẽ nói rõ.",
            api_name="respond",
        )
        add.click(upload, inputs=[files], outputs=[status, stats, sources], api_name="upload")
        gr.api(answer_api, api_name="answer")
    demo.queue(default_concurrency_limit=4)
    return demo


def prepare(index_dir: str | Path = "index", corpus: str | Path = "corpus", model=None) -> State:
    """Load the index, building or updating it first when it is missing or older than the corpus."""
    index_dir, corpus = Path(index_dir), Path(corpus)
    if corpus.is_dir() and is_stale(corpus, index_dir):
        print(f"Building the index of {corpus} into {index_dir} …", flush=True)
        index = build_index(corpus, index_dir, model=model)
        print(index.build_report.summary(), flush=True)
    else:
        index = load(index_dir, model=model)
    index.warm_up()
    return State(index, corpus, index_dir)


def launch(state: State, host: str = "127.0.0.1", port: int | None = 7860, block: bool = True):
    demo = build_app(state)
    import gradio as gr

    from .http_api import app_kwargs as json_api  # /api/retrieve, /api/answer, /api/health, /api/docs

    _, url, _ = demo.launch(server_name=host, server_port=port, prevent_thread_lock=not block,
                            theme=gr.themes.Soft(), css=CSS, footer_links=["api"], quiet=not block,
                            show_error=True, app_kwargs=json_api(state))
    return demo, url


def serve(host: str = "127.0.0.1", port: int = 7860, index_dir: str | Path = "index",
          corpus: str | Path = "corpus", model=None) -> None:
    state = prepare(index_dir, corpus, model)
    print(f"Chat page: http://{host}:{port}", flush=True)
    launch(state, host, port, block=True)
