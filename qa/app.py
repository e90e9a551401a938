"""The chat page's request handlers and its start-up: answer a chat message, answer the web API.

The page itself (layout, styles, scripts) is in `page.py`; uploads and the shared index in
`uploads.py`. Nothing here imports gradio, so the handlers are tested without it.
Environment variables (offline hub, no analytics) are set by the entry points (`ui.py`,
`qa serve`), not here.
"""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path

from .dates import iso_date
from .errors import EmptyQuestionError, InvalidArgumentError, QAError
from .followup import complete_question, needs_context
from .index import Index
from .records import NOT_FOUND_TEXT
from .render import format_date, render_answer, render_error
from .uploads import BUSY_TEXT, DEFAULT_MAX_UPLOAD_MB, State, prepare

log = logging.getLogger(__name__)

EXAMPLES_FILE = Path(__file__).resolve().parent.parent / "examples.json"
MAX_EXAMPLES = 6

__all__ = ["State", "answer_api", "check_date", "example_questions", "launch", "prepare", "reply", "serve"]


def check_date(text: str | None) -> str | None:
    """An ISO date from what the user typed in a date filter; ValueError in Vietnamese."""
    try:
        return iso_date(text)
    except ValueError:
        raise ValueError(f"Ngày không hợp lệ: «{str(text).strip()}». Hãy nhập theo dạng DD/MM/YYYY, "
                         "ví dụ 21/11/2024.") from None


def check_date_range(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    """Both date filters as ISO dates, in order; ValueError in Vietnamese."""
    low, high = check_date(date_from), check_date(date_to)
    if low and high and low > high:
        raise ValueError(f"Khoảng ngày không hợp lệ: “Từ ngày” ({format_date(low)}) sau “Đến ngày” "
                         f"({format_date(high)}), nên không bài viết nào khớp.")
    return low, high


def filter_scope(sources, date_from: str | None, date_to: str | None) -> str | None:
    """What a reply was limited to, in Vietnamese (None: the whole collection)."""
    parts = [f"{len(sources)} bài viết đã chọn"] if sources else []
    when = " ".join(f"{word} {format_date(day)}" for word, day in (("từ", date_from), ("đến", date_to)) if day)
    if when:
        parts.append(f"ngày đăng {when}")
    return "; ".join(parts) or None


def _text_of(content) -> str:
    """Message content as text: Gradio gives a string, or a list of parts ({"type": "text", "text": ...})."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or "")
    if isinstance(content, (list, tuple)):
        return " ".join(_text_of(part) for part in content).strip()
    return ""


def previous_questions(history) -> list[str]:
    out = []
    for message in history or []:
        if isinstance(message, dict) and message.get("role") == "user":
            text = _text_of(message.get("content"))
            if text:
                out.append(text)
    return out


def example_questions(index: Index | None) -> list[str]:
    """Questions about this corpus: the curated ones whose articles are indexed, else from titles."""
    rows = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8")) if EXAMPLES_FILE.exists() else []
    if index is None:  # still building: the curated list, which the sample corpus answers
        return [r["question"] for r in rows][:MAX_EXAMPLES]
    chosen = [r["question"] for r in rows if r.get("doc_id") in index.articles]
    if chosen:
        return chosen[:MAX_EXAMPLES]
    titles = [a.title for a in index.articles.values() if a.title][:4]
    return [f"{t.rstrip('.')} như thế nào?" for t in titles]


def _k(value: object) -> int:
    """k from a web request: an integer (or its text) of at least 1, else InvalidArgumentError."""
    if isinstance(value, bool) or value is None:
        raise InvalidArgumentError(f"k must be an integer of at least 1, got {value!r}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(f"k must be an integer of at least 1, got {value!r}")
    return value


def answer_api(state: State, question: object, k: object = 5) -> dict:
    """The structured answer for `/answer`; any problem is reported in the `error` field."""
    try:
        if state.index is None:
            raise QAError("the index is being built; try again in a few minutes")
        return state.index.answer(question, k=_k(k)).to_dict()
    except (QAError, TypeError, ValueError) as exc:
        return {"question": question if isinstance(question, str) else str(question), "found": False,
                "text": NOT_FOUND_TEXT, "short": None, "confidence": 0.0, "citations": [], "error": str(exc)}


def reply(state: State, message: object, history=None, sources=None, date_from: str | None = None,
          date_to: str | None = None, k: object = 5, min_confidence: object = None) -> str:
    """The HTML reply to one chat message; errors become a Vietnamese line, never a traceback.

    `min_confidence`: the confidence from which the quote is shown as the answer (None: 0.5).
    """
    if not isinstance(message, str) or not message.strip():
        return render_error("Vui lòng nhập câu hỏi.")
    index = state.index
    if index is None:
        return render_error(BUSY_TEXT)
    previous = previous_questions(history)
    if not previous and needs_context(message):
        return render_error("Câu hỏi này nối tiếp một câu hỏi trước, nhưng cuộc trò chuyện chưa có câu hỏi nào. "
                            "Vui lòng hỏi đầy đủ, ví dụ: «Cấp huyện ở Gia Lâm thu được bao nhiêu tiền phí, lệ phí?»")
    try:
        asked = complete_question(message, previous)
        low, high = check_date_range(date_from, date_to)
        answer = index.answer(asked, k=_k(k), sources=sources or None, min_confidence=min_confidence,
                              date_from=low, date_to=high)
    except EmptyQuestionError:
        return render_error("Vui lòng nhập câu hỏi.")
    except InvalidArgumentError as exc:
        return render_error(f"Yêu cầu không hợp lệ: {exc}")
    except ValueError as exc:
        return render_error(str(exc))
    except QAError as exc:
        log.exception("answer failed")
        return render_error(f"Không trả lời được câu hỏi do lỗi chỉ mục: {exc}")
    return render_answer(answer, typed=message, articles=index.articles, reply_id=f"qa-{uuid.uuid4().hex[:8]}",
                         scope=filter_scope(sources, low, high))


def launch(state: State, host: str = "127.0.0.1", port: int | None = 7860, block: bool = True):
    """Start the page; returns (demo, url). With `block=False` it runs in the background."""
    from .http_api import app_kwargs as json_api  # /api/retrieve, /api/answer, /api/health, /api/docs
    from .page import build_page, launch_options

    demo = build_page(state)
    _, url, _ = demo.launch(server_name=host, server_port=port, prevent_thread_lock=not block, quiet=not block,
                            show_error=True, footer_links=[], app_kwargs=json_api(state), **launch_options())
    return demo, url


def serve(host: str = "127.0.0.1", port: int = 7860, index_dir: str | Path = "index",
          corpus: str | Path = "corpus", model=None, max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB) -> None:
    """Listen at once: the previous index answers while a background thread brings it up to date."""
    from . import page  # noqa: F401  gradio first: the background build's imports would slow it down (GIL)

    state = prepare(index_dir, corpus, model, max_upload_mb=max_upload_mb)
    print(f"Chat page: http://{host}:{port}", flush=True)
    launch(state, host, port, block=True)
