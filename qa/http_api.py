"""The plain JSON API (/api/retrieve, /api/answer, /api/health, /api/docs) served beside the chat page.

One request, one JSON reply, for curl and any language. Bad input is a 400 with
{"error": {"type": ..., "message": ...}}, a body over 1 MB a 413, no index yet a 503; never a traceback.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import anyio
from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Mount

from . import __version__
from .answering import check_min_confidence
from .dates import iso_date
from .errors import InvalidArgumentError, QAError
from .index import MODES

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000  # a question is cut at 2,000 characters: 1 MB is far more than any real request
MAX_K = 100
MAX_CONCURRENT = 4  # as many searches at once as the chat page's queue runs, so curl loops cannot starve it
FIELDS = ("question", "k", "mode", "sources", "date_from", "date_to", "min_confidence")


class RequestTooLargeError(QAError):
    """The request body is over MAX_BODY_BYTES."""


class IndexNotReadyError(QAError):
    """The server is still building its first index."""


@dataclass(frozen=True)
class Query:
    """A checked request body."""

    question: str
    k: int = 5
    mode: str = "hybrid"
    sources: list[str] | None = None
    date_from: str | None = None
    date_to: str | None = None
    min_confidence: float | None = None  # /answer only: the confidence needed to call the answer found

    def options(self) -> dict[str, Any]:
        return {"mode": self.mode, "sources": self.sources, "date_from": self.date_from, "date_to": self.date_to}


def _typed(payload: dict, name: str, kind: type, default: Any) -> Any:
    value = payload.get(name)
    if value is None:
        return default
    # bool is an int in Python; JSON's true is not a k.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InvalidArgumentError(f"{name!r} must be {'an integer' if kind is int else 'a string'}, "
                                   f"got {json.dumps(value, ensure_ascii=False)[:80]}")
    return value


def parse_query(body: bytes) -> Query:
    """The request body (JSON bytes) as a Query; InvalidArgumentError says what is wrong with it."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidArgumentError("the request body is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InvalidArgumentError(f"the request body is not valid JSON ({exc.msg} at line {exc.lineno} "
                                   f"column {exc.colno}); send e.g. {{\"question\": \"Xã La Phù xếp thứ mấy?\"}}") from None
    if not isinstance(payload, dict):
        raise InvalidArgumentError(f"the request body must be a JSON object, got {type(payload).__name__}")
    unknown = sorted(set(payload) - set(FIELDS))
    if unknown:
        raise InvalidArgumentError(f"unknown field(s) {', '.join(map(repr, unknown))}; known: {', '.join(FIELDS)}")
    if "question" not in payload:
        raise InvalidArgumentError("'question' is missing")
    question = _typed(payload, "question", str, "")
    k = _typed(payload, "k", int, 5)
    if not 1 <= k <= MAX_K:
        raise InvalidArgumentError(f"'k' must be between 1 and {MAX_K}, got {k}")
    mode = _typed(payload, "mode", str, "hybrid")
    if mode not in MODES:
        raise InvalidArgumentError(f"'mode' must be one of {', '.join(MODES)}, got {mode!r}")
    sources = payload.get("sources")
    if sources is not None and (not isinstance(sources, list) or not all(isinstance(s, str) for s in sources)):
        raise InvalidArgumentError(f"'sources' must be a list of file names, got "
                                   f"{json.dumps(sources, ensure_ascii=False)[:80]}")
    dates = {}
    for name in ("date_from", "date_to"):
        try:
            dates[name] = iso_date(_typed(payload, name, str, None))
        except ValueError as exc:
            raise InvalidArgumentError(f"{name!r}: {exc}") from None
    try:
        min_confidence = check_min_confidence(payload.get("min_confidence"))
    except InvalidArgumentError:  # the same check, said with the field name and the JSON value
        raise InvalidArgumentError(f"'min_confidence' must be a number from 0 to 1, got "
                                   f"{json.dumps(payload['min_confidence'], ensure_ascii=False)[:80]}") from None
    return Query(question, k, mode, sources or None, **dates, min_confidence=min_confidence)


# ------------------------------------------------------------------ the routes
QUERY_SCHEMA = {
    "type": "object",
    "required": ["question"],
    "additionalProperties": False,
    "properties": {
        "question": {"type": "string", "description": "in Vietnamese, with or without diacritics"},
        "k": {"type": "integer", "minimum": 1, "maximum": MAX_K, "default": 5,
              "description": "passages to return (retrieve) or citations to read (answer)"},
        "mode": {"type": "string", "enum": list(MODES), "default": "hybrid"},
        "sources": {"type": ["array", "null"], "items": {"type": "string"},
                    "description": "keep only passages from these files (as in /api/health's `sources`)"},
        "date_from": {"type": ["string", "null"], "description": "2024-01-01 or 01/01/2024"},
        "date_to": {"type": ["string", "null"], "description": "2024-12-31 or 31/12/2024"},
        "min_confidence": {"type": ["number", "null"], "minimum": 0, "maximum": 1,
                           "description": "/answer: the confidence needed to call the answer found (default 0.5)"},
    },
}
EXAMPLE = {"question": "Xã La Phù xếp thứ mấy về chỉ số thủ tục hành chính?", "k": 3}
ERROR_SCHEMA = {"type": "object", "properties": {"error": {"type": "object", "properties": {
    "type": {"type": "string"}, "message": {"type": "string"}}}}}
ERRORS = {
    400: {"description": "Bad input: not JSON, a wrong type, an unknown mode or field, a bad date, an empty question",
          "content": {"application/json": {"schema": ERROR_SCHEMA}}},
    413: {"description": f"The body is over {MAX_BODY_BYTES:,} bytes",
          "content": {"application/json": {"schema": ERROR_SCHEMA}}},
    503: {"description": "The index is being built for the first time: try again shortly",
          "content": {"application/json": {"schema": ERROR_SCHEMA}}},
}


def _request_body_doc() -> dict:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": QUERY_SCHEMA,
                                                                              "example": EXAMPLE}}}}


def error_response(status: int, kind: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"type": kind, "message": message}}, status_code=status)


async def read_body(request: Request) -> bytes:
    """The body, refused past MAX_BODY_BYTES: by its Content-Length first, then as it streams in."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise RequestTooLargeError(f"the request body is {int(declared):,} bytes; the limit is {MAX_BODY_BYTES:,}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise RequestTooLargeError(f"the request body is over the limit of {MAX_BODY_BYTES:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def health(state) -> tuple[int, dict]:
    """What /api/health answers: 200 with the index's size, model and build time, or 503 before it exists."""
    index = state.index
    rebuilding = bool(getattr(state, "rebuilding", False))
    if index is None:
        return 503, {"status": "building", "ready": False, "rebuilding": rebuilding, "version": __version__}
    return 200, {
        "status": "ok", "ready": True, "rebuilding": rebuilding, "version": __version__,
        "articles": len(index.articles), "passages": len(index), "model": index.model_id,
        "built_at": index.manifest.get("built_at"), "sources": index.sources(),
    }


def create_api(state):
    """The FastAPI app of the JSON routes, reading `state.index` on every request (uploads swap it)."""
    from fastapi_offline import FastAPIOffline  # Swagger UI served from the package: no CDN

    api = FastAPIOffline(title="Hỏi đáp tin tức — JSON API", version=__version__, docs_url="/docs",
                         redoc_url=None, openapi_url="/openapi.json", static_url="/docs-static",
                         description="Cited, extractive answers and passages from the indexed Vietnamese articles. "
                                     "Errors: `{\"error\": {\"type\", \"message\"}}`.")
    limiter = anyio.CapacityLimiter(MAX_CONCURRENT)

    @api.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        kind = {404: "NotFound", 405: "MethodNotAllowed"}.get(exc.status_code, "HTTPError")
        return error_response(exc.status_code, kind, f"{exc.detail}: {request.method} {request.url.path}")

    @api.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception):
        log.exception("API request %s %s failed", request.method, request.url.path)
        return error_response(500, "InternalError", "the server failed on this request; see its log")

    async def _run(request: Request, call) -> JSONResponse:
        try:
            query = parse_query(await read_body(request))
            index = state.index
            if index is None:
                raise IndexNotReadyError("the index is being built for the first time; try again in a minute")
            return JSONResponse(await anyio.to_thread.run_sync(call, index, query, limiter=limiter))
        except RequestTooLargeError as exc:
            return error_response(413, type(exc).__name__, str(exc))
        except IndexNotReadyError as exc:
            return error_response(503, type(exc).__name__, str(exc))
        except QAError as exc:
            if isinstance(exc, ValueError):  # EmptyQuestionError, InvalidArgumentError: the caller's input
                return error_response(400, type(exc).__name__, str(exc))
            log.exception("API request failed")  # an index error (CorruptIndexError, ...), not the caller's
            return error_response(500, type(exc).__name__, str(exc))
        except Exception:
            # Answered here rather than by the app's handler, which re-raises and drops the connection.
            log.exception("API request %s failed", request.url.path)
            return error_response(500, "InternalError", "the server failed on this request; see its log")

    def _retrieve(index, query: Query) -> dict:
        hits = index.retrieve(query.question, query.k, **query.options())
        return {"question": query.question, "mode": query.mode, "hits": [h.to_dict() for h in hits]}

    def _answer(index, query: Query) -> dict:
        return index.answer(query.question, query.k, min_confidence=query.min_confidence,
                            **query.options()).to_dict()

    @api.post("/retrieve", summary="The k passages most likely to answer the question, best first",
              openapi_extra=_request_body_doc(), responses=ERRORS)
    async def retrieve(request: Request):
        """Returns `{"question", "mode", "hits": [...]}`; each hit as `qa ask --passages --json` prints it:
        text, score, doc_id, title, date, source, start, end, rank and the channel scores
        dense, sentence, keyword (null where that channel did not find the passage)."""
        return await _run(request, _retrieve)

    @api.post("/answer", summary="A sentence quoted word for word from an article, with citations",
              openapi_extra=_request_body_doc(), responses=ERRORS)
    async def answer(request: Request):
        """Returns the answer as `qa ask --json` prints it: question, found, text, short, confidence,
        citations (doc_id, title, date, source, text, start, end, quote_start, quote_end, score, quote).
        When the articles do not say, `found` is false and the citations are the closest passages."""
        return await _run(request, _answer)

    @api.get("/health", summary="Index size, model, build time; 503 until the first index is ready",
             responses={503: {"description": "The index is being built for the first time"}})
    async def get_health():
        status, body = health(state)
        return JSONResponse(body, status_code=status)

    return api


def app_kwargs(state) -> dict:
    """Keyword arguments for Gradio's `launch(app_kwargs=...)`: the JSON API mounted at /api.

    Gradio passes them to the FastAPI app it serves; its own routes live under /gradio_api, and a
    route given here comes before them.
    """
    return {"routes": [Mount("/api", app=create_api(state))]}
