"""qa.langchain.Retriever: Documents from the fake-embedder index, sync, async, options, and in an LCEL chain."""

from __future__ import annotations

import asyncio

import pytest

import qa
from qa.langchain import Retriever

QUESTION = "Huyện Bình Minh khánh thành bao nhiêu trường học?"


@pytest.fixture
def index(tiny_corpus, fake, tmp_path):
    return qa.build_index(tiny_corpus, tmp_path / "index", model=fake, progress=False)


def test_documents_are_the_hits_of_retrieve(index):
    docs = Retriever(index=index, k=3).invoke(QUESTION)
    hits = index.retrieve(QUESTION, k=3)
    assert [d.page_content for d in docs] == [h.text for h in hits]
    first = docs[0]
    assert first.metadata["doc_id"] == "b.txt" and first.metadata["rank"] == 1
    assert set(first.metadata) == {"doc_id", "title", "date", "source", "start", "end", "score", "rank",
                                   "dense", "sentence", "keyword"}
    assert first.metadata["score"] == hits[0].score and first.metadata["keyword"] == hits[0].keyword
    assert first.id == "b.txt:0"


def test_loads_the_index_folder(index):
    # mode="keyword" needs no embedding model, so the fake index loads without its embedder
    docs = Retriever(index_dir=str(index.path), mode="keyword", k=1).invoke("ho so dung han")
    assert [d.metadata["doc_id"] for d in docs] == ["a.txt"]


def test_search_kwargs_and_call_options(index):
    retriever = Retriever(index=index, k=5, search_kwargs={"k": 2})
    assert len(retriever.invoke(QUESTION)) == 2
    assert len(retriever.invoke(QUESTION, k=1)) == 1
    dated = retriever.invoke(QUESTION, date_from="01/01/2024")
    assert {d.metadata["doc_id"] for d in dated} == {"a.txt"}  # the only dated article
    only_c = Retriever(index=index, sources=["sub/c.md"]).invoke(QUESTION)
    assert {d.metadata["source"] for d in only_c} == {"sub/c.md"}


def test_ainvoke_gives_the_same_documents(index):
    retriever = Retriever(index=index, k=2)
    assert asyncio.run(retriever.ainvoke(QUESTION)) == retriever.invoke(QUESTION)
    assert len(asyncio.run(retriever.ainvoke(QUESTION, k=1))) == 1  # call options reach the async path too


def test_in_an_lcel_chain(index):
    from langchain_core.runnables import RunnableLambda, RunnablePassthrough

    def format_docs(docs):
        return "\n\n".join(f"[{d.metadata['rank']}] {d.page_content}" for d in docs)

    retriever = Retriever(index=index, k=2)
    chain = ({"context": retriever | format_docs, "question": RunnablePassthrough()}
             | RunnableLambda(lambda x: f"Câu hỏi: {x['question']}\n\nNguồn:\n{x['context']}"))
    prompt = chain.invoke(QUESTION)
    assert prompt.startswith(f"Câu hỏi: {QUESTION}") and "[1] Huyện Bình Minh xây dựng trường học" in prompt
    assert asyncio.run(chain.ainvoke(QUESTION)) == prompt
    assert chain.batch([QUESTION, "tỷ lệ hồ sơ trực tuyến"])[1].count("[1] ") == 1


def test_bad_options_are_invalid_argument_errors(index):
    with pytest.raises(qa.InvalidArgumentError, match="'magic'"):
        Retriever(index=index, mode="magic")
    with pytest.raises(qa.InvalidArgumentError, match="'top_k'"):
        Retriever(index=index, search_kwargs={"top_k": 3})
    with pytest.raises(qa.InvalidArgumentError, match="'filter'"):
        Retriever(index=index).invoke(QUESTION, filter={"source": "a.txt"})
    with pytest.raises(qa.InvalidArgumentError, match="k must be"):
        Retriever(index=index, k=0).invoke(QUESTION)
    with pytest.raises(qa.EmptyQuestionError):
        Retriever(index=index).invoke("   ")
