from conftest import SAMPLE_CORPUS

from qa.chunk import ChunkSettings, chunk_article, make_splitter
from qa.ingest import read_corpus
from qa.records import Article


def _words(text):
    return len(text.split())


def test_spans_point_into_the_article_and_sizes_hold():
    splitter = make_splitter(_words, ChunkSettings(chunk_tokens=40, overlap_tokens=8), max_tokens=500)
    for article in read_corpus(SAMPLE_CORPUS)[0]:
        chunks = chunk_article(article, splitter)
        assert chunks
        for c in chunks:
            assert article.text[c.start:c.end] == c.text
            assert _words(c.text) <= 40
            assert c.title == article.title and c.date == article.date and c.source == article.source
        covered = set()
        for c in chunks:
            covered.update(range(c.start, c.end))
        body = {i for i, ch in enumerate(article.text) if not ch.isspace()}
        assert body <= covered  # nothing of the article is lost


def test_numbers_are_not_sentence_breaks():
    text = "Xã đạt 2.354 phiếu. Tỷ lệ 0,46% hồ sơ quá hạn. " * 3
    article = Article(doc_id="x", text=text.strip())
    splitter = make_splitter(_words, ChunkSettings(chunk_tokens=8, overlap_tokens=0), max_tokens=500)
    for c in chunk_article(article, splitter):
        assert not c.text.startswith(("354", "46%"))


def test_chunk_size_is_capped_by_the_model_limit():
    splitter = make_splitter(_words, ChunkSettings(chunk_tokens=1000, overlap_tokens=10), max_tokens=50)
    article = Article(doc_id="x", text=" ".join(["từ"] * 400))
    assert max(_words(c.text) for c in chunk_article(article, splitter)) <= 50


def test_cached_token_counts_give_the_splitters_own_chunks_with_fewer_calls():
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from qa.chunk import SEPARATORS

    cached_calls, plain_calls = [], []

    def counter(calls):
        return lambda text: calls.append(text) or _words(text)

    plain = RecursiveCharacterTextSplitter(separators=SEPARATORS, is_separator_regex=True, keep_separator="end",
                                           chunk_size=40, chunk_overlap=8, length_function=counter(plain_calls),
                                           strip_whitespace=True)
    cached = make_splitter(counter(cached_calls), ChunkSettings(chunk_tokens=40, overlap_tokens=8), max_tokens=500)
    for article in read_corpus(SAMPLE_CORPUS)[0]:
        assert cached.split_text(article.text) == plain.split_text(article.text)
    # Most pieces are measured twice without the cache; with it, about once.
    assert len(cached_calls) < 0.7 * len(plain_calls)
    assert len(cached_calls) <= 1.01 * len(set(cached_calls))
