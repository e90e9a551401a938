"""HTML for the chat page. Article text is always escaped: it is shown as text, never run."""

from __future__ import annotations

import html

from .records import Answer, Citation


def _esc(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "<br>")


def format_date(iso: str | None) -> str:
    if not iso or len(iso) < 10 or iso[4] != "-":
        return iso or "không rõ ngày"
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def _quote_html(sentence: str, short: str | None) -> str:
    if short and short in sentence:
        i = sentence.index(short)
        return _esc(sentence[:i]) + "<strong class='qa-short'>" + _esc(short) + "</strong>" + _esc(sentence[i + len(short):])
    return _esc(sentence)


def _source_html(number: int, c: Citation, open_: bool) -> str:
    passage = (_esc(c.text[: c.quote_start]) + "<mark>" + _esc(c.quote) + "</mark>" + _esc(c.text[c.quote_end:]))
    summary = (f"<span class='qa-num'>[{number}]</span> <b>{_esc(c.title or c.doc_id)}</b>"
               f" — {_esc(format_date(c.date))} — <code>{_esc(c.source)}</code>")
    return (f"<details class='qa-source'{' open' if open_ else ''}><summary>{summary}</summary>"
            f"<div class='qa-passage'>{passage}</div></details>")


def render_answer(answer: Answer, typed: str | None = None) -> str:
    """One chat reply: the quoted answer with the short answer emphasised, then the sources.

    `typed` is what the user wrote; when the conversation completed it into another
    question, the reply says which question it answers.
    """
    parts = ["<div class='qa-reply'>"]
    if typed and typed.strip() != answer.question:
        parts.append(f"<p class='qa-asked'>Hiểu câu hỏi là: <i>{_esc(answer.question)}</i></p>")
    if answer.found:
        parts.append(f"<p class='qa-answer'>«{_quote_html(answer.text, answer.short)}» <sup>[1]</sup></p>")
        if answer.short:
            parts.append(f"<p>Trả lời ngắn: <strong class='qa-short'>{_esc(answer.short)}</strong></p>")
        parts.append(f"<p class='qa-confidence'>Độ tin cậy: {answer.confidence:.0%}</p>")
        heading = "Nguồn"
    else:
        parts.append("<p class='qa-notfound'><b>Không tìm thấy thông tin này trong các bài viết.</b></p>")
        if answer.citations:
            parts.append("<p>Các đoạn dưới đây <i>có thể liên quan</i> nhưng độ tin cậy thấp "
                         f"({answer.confidence:.0%}); hãy đọc và tự kiểm tra.</p>")
        heading = "Có thể liên quan"
    if answer.citations:
        parts.append(f"<p class='qa-heading'><b>{heading}</b></p>")
        for i, c in enumerate(answer.citations, start=1):
            parts.append(_source_html(i, c, open_=False))
    parts.append("</div>")
    return "".join(parts)


def render_error(message: str) -> str:
    return f"<div class='qa-reply'><p class='qa-error'>⚠️ {_esc(message)}</p></div>"
