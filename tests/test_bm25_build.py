import numpy as np

from qa.bm25_build import build_bm25
from qa.ingest import read_corpus
from qa.keyword import KeywordIndex, tokens
from qa.sentences import split_sentences
from qa.text import normalize
from qa.vietnamese import Abbreviations


def _texts() -> list[str]:
    articles, _ = read_corpus("corpus")
    # Passages of a few sentences each, with repeats, as the keyword channel indexes them.
    out = []
    for a in articles:
        sentences = split_sentences(a.text)
        out += [normalize(f"{a.title}\n{' '.join(sentences[i:i + 4])}") for i in range(0, len(sentences), 2)]
    return out + out[:5]


def test_streamed_build_scores_equal_bm25s_own_index():
    import bm25s

    abbreviations = Abbreviations.from_corpus([])
    texts = _texts()
    assert len(texts) > 50
    ours = build_bm25(iter(texts), lambda t: tokens(t, abbreviations))
    theirs = bm25s.BM25(k1=1.2, b=0.75)
    theirs.index([tokens(t, abbreviations) for t in texts], show_progress=False)
    assert ours.scores["num_docs"] == theirs.scores["num_docs"] == len(texts)
    assert set(ours.vocab_dict) == set(theirs.vocab_dict)
    assert len(ours.scores["data"]) == len(theirs.scores["data"])
    queries = ["Xã La Phù xếp thứ mấy về chỉ số thủ tục hành chính?", "ủy ban nhân dân", "giáo dục", "xa la phu"]
    queries += [t[:60] for t in texts[::17]]
    for q in queries:
        words = [w for w in tokens(q, abbreviations) if w in theirs.vocab_dict]
        a = ours.get_scores([ours.vocab_dict[w] for w in words])
        b = theirs.get_scores([theirs.vocab_dict[w] for w in words])
        np.testing.assert_array_equal(a, b)  # bit for bit, not approximately


def test_the_matrix_is_the_same_whatever_the_token_ranges_of_its_sort(monkeypatch):
    # The CSC matrix is sorted a range of at most _KEY_SPAN tokens at a time (a 16-bit sort key);
    # a tiny span makes hundreds of ranges, as a large vocabulary does.
    from qa import bm25_build

    abbreviations = Abbreviations.from_corpus([])
    texts = _texts()
    whole = build_bm25(iter(texts), lambda t: tokens(t, abbreviations))
    monkeypatch.setattr(bm25_build, "_KEY_SPAN", 7)
    ranged = build_bm25(iter(texts), lambda t: tokens(t, abbreviations))
    assert len(whole.vocab_dict) > 7 * 100
    for key in ("data", "indices", "indptr"):
        np.testing.assert_array_equal(whole.scores[key], ranged.scores[key])


def test_keyword_index_reads_texts_once_in_batches(monkeypatch):
    monkeypatch.setattr("qa.parallel.BATCH", 7)  # several batches and a partial last one
    abbreviations = Abbreviations({"ubnd": "ủy ban nhân dân"})
    texts = _texts()[:30]
    streamed = KeywordIndex.build(iter(texts), abbreviations)  # a generator: read once
    whole = KeywordIndex.build(texts, abbreviations)
    assert streamed.size == whole.size == 30
    for q in ["UBND xã", "thủ tục hành chính", texts[3][:40]]:
        assert streamed.search(q, 10) == whole.search(q, 10)
    assert KeywordIndex.build(iter([]), abbreviations).search("xã", 3) == []


def test_passages_without_tokens_are_kept_as_rows():
    index = KeywordIndex.build(["", "Nhà máy đóng cửa.", "?!"], Abbreviations({}))
    assert index.size == 3 and [row for row, _ in index.search("nhà máy", 3)] == [1]


def test_tokens_are_numbered_in_order_of_first_appearance():
    texts = ["b a b", "c a", "", "d b"]
    retriever = build_bm25(iter(texts), str.split)
    assert type(retriever.vocab_dict) is dict  # not the numbering helper: unknown tokens raise KeyError
    assert list(retriever.vocab_dict.items()) == [("b", 0), ("a", 1), ("c", 2), ("d", 3), ("", 4)]


def test_two_worker_processes_build_the_same_index(monkeypatch):
    import functools

    monkeypatch.setattr("qa.parallel.BATCH", 9)  # batches are cut in this process: several per worker
    abbreviations = Abbreviations({"ubnd": "ủy ban nhân dân"})
    texts = _texts()[:60]
    tokenize = functools.partial(tokens, abbreviations=abbreviations)
    one = build_bm25(iter(texts), tokenize, workers=1)
    two = build_bm25(iter(texts), tokenize, workers=2)
    assert list(one.vocab_dict.items()) == list(two.vocab_dict.items())
    for key in ("data", "indices", "indptr"):
        np.testing.assert_array_equal(one.scores[key], two.scores[key])
    assert build_bm25(iter([]), tokenize, workers=2) is None
