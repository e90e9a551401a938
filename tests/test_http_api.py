"""The JSON API: request checking alone, then a running server (fake-embedder index) through httpx."""

from __future__ import annotations

import json
import socket

import pytest

import qa
from qa.errors import CorruptIndexError
from qa.http_api import MAX_BODY_BYTES, Query, parse_query

QUESTION = "Huyện Bình Minh khánh thành bao nhiêu trường học?"


# ------------------------------------------------------------- request checking
def test_parse_query_fills_defaults_and_normalises_dates():
    assert parse_query(json.dumps({"question": QUESTION}).encode()) == Query(QUESTION)
    body = {"question": "x", "k": 3, "mode": "keyword", "sources": ["a.txt"], "date_from": "01/02/2024",
            "date_to": None}
    assert parse_query(json.dumps(body).encode()) == Query("x", 3, "keyword", ["a.txt"], "2024-02-01", None)
    assert parse_query(b'{"question": "x", "min_confidence": 0.3}').min_confidence == 0.3
    assert parse_query(b'{"question": "x", "min_confidence": 0}').min_confidence == 0.0


@pytest.mark.parametrize("body, message", [
    (b"{bad", "not valid JSON"),
    (b"\xff\xfe", "not UTF-8"),
    (b"[1, 2]", "must be a JSON object, got list"),
    (b"{}", "'question' is missing"),
    (b'{"question": 5}', "'question' must be a string, got 5"),
    (b'{"question": "x", "k": "5"}', "'k' must be an integer, got \"5\""),
    (b'{"question": "x", "k": true}', "'k' must be an integer, got true"),
    (b'{"question": "x", "k": 2.5}', "'k' must be an integer"),
    (b'{"question": "x", "k": 0}', "'k' must be between 1 and 100, got 0"),
    (b'{"question": "x", "mode": "magic"}', "got 'magic'"),
    (b'{"question": "x", "sources": "a.txt"}', "'sources' must be a list"),
    (b'{"question": "x", "sources": [1]}', "'sources' must be a list"),
    (b'{"question": "x", "date_to": "31/02/2024"}', "'date_to': '31/02/2024' is not a day of the calendar"),
    (b'{"question": "x", "date_from": 20240101}', "'date_from' must be a string"),
    (b'{"question": "x", "top_k": 3}', "unknown field(s) 'top_k'"),
    (b'{"question": "x", "min_confidence": "0.3"}', "'min_confidence' must be a number from 0 to 1, got \"0.3\""),
    (b'{"question": "x", "min_confidence": 1.5}', "'min_confidence' must be a number from 0 to 1, got 1.5"),
    (b'{"question": "x", "min_confidence": true}', "'min_confidence' must be a number from 0 to 1"),
])
def test_parse_query_rejects_bad_input(body, message):
    with pytest.raises(qa.InvalidArgumentError) as info:
        parse_query(body)
    assert message in str(info.value)


# ------------------------------------------------------------- a running server
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The chat page and the API on a free port, over the fake-embedder index of the tiny corpus."""
    import httpx
    from conftest import TINY, FakeEmbedder

    from qa.app import State, launch

    root = tmp_path_factory.mktemp("api")
    for name, text in TINY.items():
        (root / "corpus" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "corpus" / name).write_text(text, encoding="utf-8")
    index = qa.build_index(root / "corpus", root / "index", model=FakeEmbedder(), progress=False)
    state = State(index, root / "corpus", root / "index")
    demo, url = launch(state, port=_free_port(), block=False)
    with httpx.Client(base_url=url.rstrip("/"), timeout=30) as client:
        yield client, state
    demo.close()


def _error(response, status: int, kind: str) -> str:
    assert response.status_code == status, response.text
    assert "Traceback" not in response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["type"] == kind
    return body["error"]["message"]


@pytest.mark.slow
def test_health(server):
    client, state = server
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["ready"] is True and body["rebuilding"] is False
    assert (body["articles"], body["passages"], body["model"]) == (3, len(state.index), "fake/bag-of-syllables")
    assert body["built_at"] == state.index.manifest["built_at"] and body["sources"] == ["a.txt", "b.txt", "sub/c.md"]


@pytest.mark.slow
def test_retrieve_returns_the_hits_as_json(server):
    client, state = server
    response = client.post("/api/retrieve", json={"question": QUESTION, "k": 2})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert "trường học" in response.text  # UTF-8, not \u escapes
    body = response.json()
    assert body["question"] == QUESTION and body["mode"] == "hybrid"
    assert body["hits"] == [h.to_dict() for h in state.index.retrieve(QUESTION, 2)]
    filtered = client.post("/api/retrieve", json={"question": QUESTION, "mode": "keyword", "sources": ["a.txt"],
                                                  "date_from": "2024-01-01", "date_to": "31/12/2024"}).json()
    assert {h["doc_id"] for h in filtered["hits"]} == {"a.txt"} and filtered["hits"][0]["dense"] is None


@pytest.mark.slow
def test_answer_returns_the_same_dict_as_json_output(server):
    client, state = server
    response = client.post("/api/answer", content=json.dumps({"question": QUESTION}, ensure_ascii=False).encode(),
                           headers={"content-type": "application/x-www-form-urlencoded"})  # what curl -d sends
    assert response.status_code == 200
    assert response.json() == state.index.answer(QUESTION).to_dict()
    assert response.json()["citations"] and "3 trường học" in response.json()["citations"][0]["text"]


@pytest.mark.slow
def test_bad_input_is_a_400_with_the_error_type(server):
    client, _ = server
    assert "not valid JSON" in _error(client.post("/api/retrieve", content=b'{"question": '), 400,
                                      "InvalidArgumentError")
    assert "'k' must be an integer" in _error(client.post("/api/answer", json={"question": "x", "k": "3"}), 400,
                                              "InvalidArgumentError")
    assert "'magic'" in _error(client.post("/api/retrieve", json={"question": "x", "mode": "magic"}), 400,
                               "InvalidArgumentError")
    assert "calendar" in _error(client.post("/api/answer", json={"question": "x", "date_from": "30/02/2024"}), 400,
                                "InvalidArgumentError")
    _error(client.post("/api/answer", json={"question": "   "}), 400, "EmptyQuestionError")
    _error(client.get("/api/retrieve"), 405, "MethodNotAllowed")
    _error(client.get("/api/nothing-here"), 404, "NotFound")


@pytest.mark.slow
def test_a_body_over_one_megabyte_is_a_413(server):
    client, _ = server
    padded = b'{"question": "' + QUESTION.encode() + b'"' + b" " * (MAX_BODY_BYTES - 200) + b"}"
    assert len(padded) <= MAX_BODY_BYTES and client.post("/api/retrieve", content=padded).status_code == 200
    _error(client.post("/api/retrieve", content=b"x" * (MAX_BODY_BYTES + 1)), 413, "RequestTooLargeError")

    def chunks():  # no Content-Length: the size is counted as the body streams in
        for _ in range(12):
            yield b" " * 100_000

    _error(client.post("/api/retrieve", content=chunks()), 413, "RequestTooLargeError")


@pytest.mark.slow
def test_503_until_the_first_index_and_500_without_a_traceback(server):
    client, state = server
    ready = state.index

    class Broken:
        def retrieve(self, *args, **kwargs):
            raise CorruptIndexError("vectors.faiss is truncated; run `qa index`")

        def answer(self, *args, **kwargs):
            raise RuntimeError("a bug")

    try:
        state.index = None
        state.rebuilding = True
        _error(client.post("/api/answer", json={"question": QUESTION}), 503, "IndexNotReadyError")
        health = client.get("/api/health")
        assert health.status_code == 503 and health.json()["status"] == "building" and health.json()["rebuilding"]
        # bad input is still the caller's fault while the index builds
        _error(client.post("/api/answer", json={"question": QUESTION, "k": -1}), 400, "InvalidArgumentError")
        state.index = Broken()
        assert "truncated" in _error(client.post("/api/retrieve", json={"question": "x"}), 500, "CorruptIndexError")
        assert "a bug" not in _error(client.post("/api/answer", json={"question": "x"}), 500, "InternalError")
    finally:
        state.index = ready
        state.rebuilding = False
    assert client.post("/api/answer", json={"question": QUESTION}).status_code == 200


@pytest.mark.slow
def test_openapi_page_is_served_offline_and_the_chat_page_still_answers(server):
    client, _ = server
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "swagger-ui" in docs.text
    assert "https://" not in docs.text and "http://" not in docs.text  # scripts come from this server, not a CDN
    assert client.get("/api/docs-static/swagger-ui-bundle.js").status_code == 200
    spec = client.get("/api/openapi.json").json()
    assert set(spec["paths"]) == {"/retrieve", "/answer", "/health"} and spec["servers"] == [{"url": "/api"}]
    assert spec["paths"]["/answer"]["post"]["requestBody"]["content"]["application/json"]["schema"]["required"] == [
        "question"]
    assert client.get("/").status_code == 200  # the Gradio page is not shadowed by the mount
    assert client.get("/gradio_api/info").status_code == 200
