"""HTML for the chat page's replies. Article text is always escaped: it is shown as text, never run.

A reply is the quoted answer, then its sources grouped by article (passages below a relevance
floor are left out), each with the passage, the quote highlighted, and the whole article.
Elements with the class `qa-copy` are what "copy message" puts on the clipboard, one per line
(see `page.py`), so a copy is plain text: the answer, then the numbered sources.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass

from .records import Answer, Article, Citation

# A source other than the answer's own passage is shown only when its fused score reaches this
# share of the best passage's score. Fused scores are weighted z-scores over the candidates of
# one question; on the sample questions unrelated passages scored below 0.4 of the best.
RELEVANCE_SHARE = 0.4
# An answer shown below this confidence (the caller lowered min_confidence) is more likely wrong than
# right: the reply says so beside the figure.
LOW_CONFIDENCE = 0.5


def _esc(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "<br>")


def format_date(iso: str | None) -> str:
    if not iso or len(iso) < 10 or iso[4] != "-":
        return iso or "không rõ ngày"
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def _marked(text: str, spans: list[tuple[int, int, bool]]) -> str:
    """`text` escaped, with each (start, end, near) span in <mark>; overlapping spans are merged.

    `near` spans are other passages' closest sentences, not the answer's quote, and are marked more
    lightly (`mark.qa-near`), so the one yellow highlight is the quote (a merge of the two kinds is
    the quote)."""
    merged: list[list] = []
    for start, end, light in sorted((max(0, a), min(len(text), b), near) for a, b, near in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] = merged[-1][2] and light
        else:
            merged.append([start, end, light])
    out, pos = [], 0
    for start, end, light in merged:
        tag = "<mark class='qa-near'>" if light else "<mark>"
        out += [_esc(text[pos:start]), tag, _esc(text[start:end]), "</mark>"]
        pos = end
    out.append(_esc(text[pos:]))
    return "".join(out)


def _passage_blocks(citations: tuple[Citation, ...], quote: Citation | None) -> list[tuple[str, list]]:
    """One article's cited passages as text blocks to show: passages that overlap (a chunk shares
    its last sentences with the next) are joined, so no line is shown twice. Each block keeps its
    marks in its own offsets; blocks come in the order of their best-ranked passage."""
    blocks: list[dict] = []
    for rank, c in sorted(enumerate(citations), key=lambda rc: rc[1].start):
        mark = (c.start + c.quote_start, c.start + c.quote_end, c is not quote)
        last = blocks[-1] if blocks else None
        if last is not None and c.start <= last["end"]:
            if c.end > last["end"]:
                last["text"] += c.text[last["end"] - c.start:]
                last["end"] = c.end
            last["marks"].append(mark)
            last["rank"] = min(last["rank"], rank)
        else:
            blocks.append({"start": c.start, "end": c.end, "text": c.text, "marks": [mark], "rank": rank})
    return [(b["text"], [(a - b["start"], z - b["start"], light) for a, z, light in b["marks"]])
            for b in sorted(blocks, key=lambda b: b["rank"])]


def _quote_html(sentence: str, short: str | None) -> str:
    if short and short in sentence:
        i = sentence.index(short)
        return _esc(sentence[:i]) + "<strong class='qa-short'>" + _esc(short) + "</strong>" + _esc(sentence[i + len(short):])
    return _esc(sentence)


@dataclass(frozen=True)
class SourceGroup:
    """One article among the sources, with the passages of it that were cited."""

    number: int
    doc_id: str
    title: str
    date: str | None
    source: str
    citations: tuple[Citation, ...]


def relevant_citations(answer: Answer) -> list[Citation]:
    """The citations worth showing: the answer's own, then those above the relevance floor."""
    cites = list(answer.citations)
    if not cites:
        return []
    best = max(c.score for c in cites)
    floor = best * RELEVANCE_SHARE if best > 0 else best
    first = cites[0] if answer.found else None
    return [c for c in cites if c is first or c.score >= floor]


def group_sources(citations: list[Citation]) -> list[SourceGroup]:
    """Citations grouped by article, in the order each article first appears."""
    order: dict[str, list[Citation]] = {}
    for c in citations:
        order.setdefault(c.doc_id, []).append(c)
    return [SourceGroup(n, doc_id, cs[0].title, cs[0].date, cs[0].source, tuple(cs))
            for n, (doc_id, cs) in enumerate(order.items(), start=1)]


def stated_note(answer: Answer) -> str:
    """What the page and `qa ask` say when the question asked to confirm a figure the article does not give."""
    return f"⚠️ Câu hỏi nêu «{answer.stated}», nhưng bài viết ghi «{answer.short}»."


def plain_text(answer: Answer) -> str:
    """What "copy message" gives: the answer, then the numbered sources (title, date, file)."""
    lines = [f"«{answer.text}» [1]" if answer.found else answer.text]
    if answer.found and answer.short:
        lines.append(f"Trả lời ngắn: {answer.short}")
    if answer.found and answer.stated:
        lines.append(stated_note(answer))
    if answer.found:
        lines += [f"Cũng có thể là: «{alt.quote}» ({alt.title or alt.doc_id})" for alt in answer.alternatives]
    groups = group_sources(relevant_citations(answer))
    if groups:
        lines.append("Nguồn:" if answer.found else "Có thể liên quan:")
        lines += [_summary_text(g) for g in groups]
    return "\n".join(lines)


def _summary_text(g: SourceGroup) -> str:
    return f"[{g.number}] {g.title or g.doc_id} — {format_date(g.date)} — {g.source}"


def _source_html(g: SourceGroup, rid: str, article: Article | None, quote: Citation | None = None) -> str:
    """One numbered source: its cited passages and the whole article. `quote` is the answer's own
    citation (None when nothing was found): only its sentence gets the full highlight."""
    summary = (f"<span class='qa-num'>[{g.number}]</span> <b>{_esc(g.title or g.doc_id)}</b>"
               f" — {_esc(format_date(g.date))} — <code>{_esc(g.source)}</code>")
    parts = [f"<details class='qa-source' id='{rid}-{g.number}'>",
             f"<summary class='qa-copy' aria-label='{_esc(_summary_text(g))}'>{summary}</summary>"]
    for text, marks in _passage_blocks(g.citations, quote):
        parts.append(f"<div class='qa-passage'>{_marked(text, marks)}</div>")
    if article is not None:
        # The whole article marks the quote alone when it is here, else the passages' closest sentences.
        marked = [c for c in g.citations if c is quote] or list(g.citations)
        spans = [(c.start + c.quote_start, c.start + c.quote_end, c is not quote) for c in marked]
        parts.append("<details class='qa-article'><summary>Đọc toàn bài</summary>"
                     f"<div class='qa-article-text'>{_marked(article.text, spans)}</div></details>")
    parts.append("</details>")
    return "".join(parts)


def render_answer(answer: Answer, typed: str | None = None, articles: dict[str, Article] | None = None,
                  reply_id: str | None = None, scope: str | None = None) -> str:
    """One chat reply: the quoted answer with the short answer emphasised, then the sources.

    Args:
        answer: what `Index.answer` returned.
        typed: what the user wrote; when the conversation completed it into another question,
            the reply says which question it answers.
        articles: the index's articles by doc id, to let the reader open the whole article.
        reply_id: prefix of the element ids the [n] links jump to (unique per reply).
        scope: what the search was limited to (the page's filters), said under the answer or the
            "not found", so a reader does not take "not in these articles" for "not in any".
    """
    rid = reply_id or f"qa-{uuid.uuid4().hex[:8]}"
    groups = group_sources(relevant_citations(answer))
    parts = ["<div class='qa-reply'>"]
    if typed and typed.split() != answer.question.split():  # spaces alone are not a rewrite
        parts.append(f"<p class='qa-asked'>Hiểu câu hỏi là: <i>{_esc(answer.question)}</i></p>")
    if answer.found:
        ref = f"<a class='qa-ref' href='#{rid}-1' title='Mở nguồn 1'>[1]</a>" if groups else ""
        parts.append(f"<p class='qa-answer qa-copy'>«{_quote_html(answer.text, answer.short)}» {ref}</p>")
        if answer.confidence < LOW_CONFIDENCE:  # right under the quote, in full text: not a muted aside
            parts.append("<p class='qa-low'>⚠️ Độ tin cậy thấp: câu trích này nhiều khả năng chưa đúng, "
                         "hãy đọc nguồn để kiểm tra.</p>")
        if answer.short:
            parts.append(f"<p class='qa-copy'>Trả lời ngắn: <strong class='qa-short'>{_esc(answer.short)}</strong></p>")
        if answer.stated:
            parts.append(f"<p class='qa-low qa-copy'>{_esc(stated_note(answer))}</p>")
        # The confidence is a calibrated probability that the quoted sentence answers the question.
        parts.append(f"<p class='qa-confidence'>Độ tin cậy: {answer.confidence:.0%} "
                     "(xác suất câu trích này trả lời đúng câu hỏi)</p>")
        for alt in answer.alternatives:
            where = _esc(alt.title or alt.doc_id)
            parts.append(f"<p class='qa-alternative qa-copy'>Cũng có thể là: «{_esc(alt.quote)}» "
                         f"<span class='qa-confidence'>({where}; câu xếp thứ hai, điểm gần bằng câu trên: "
                         "hãy đọc cả hai)</span></p>")
        heading = "Nguồn"
    else:
        parts.append("<p class='qa-notfound qa-copy'><b>Không tìm thấy thông tin này trong các bài viết.</b></p>")
        if groups:
            parts.append("<p>Các đoạn dưới đây <i>có thể liên quan</i> nhưng độ tin cậy thấp "
                         f"({answer.confidence:.0%}); hãy đọc và tự kiểm tra.</p>")
        heading = "Có thể liên quan"
    if scope:
        tail = "" if answer.found else " Bỏ bộ lọc để tìm trong tất cả bài viết."
        parts.append(f"<p class='qa-confidence qa-scope'>Chỉ tìm trong: {_esc(scope)}.{tail}</p>")
    if groups:
        parts.append(f"<p class='qa-heading qa-copy'><b>{heading}:</b></p>")
        articles = articles or {}
        quote = answer.citations[0] if answer.found and answer.citations else None
        parts += [_source_html(g, rid, articles.get(g.doc_id), quote) for g in groups]
    parts.append("</div>")
    return "".join(parts)


def render_error(message: str) -> str:
    return f"<div class='qa-reply'><p class='qa-error qa-copy'>⚠️ {_esc(message)}</p></div>"
