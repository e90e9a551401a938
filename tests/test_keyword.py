import numpy as np

from qa.keyword import ACCENTED, KeywordIndex, tokens
from qa.vietnamese import Abbreviations


def test_tokens_add_accented_syllables_only_when_there_are_accents():
    assert {"xa", "la_phu", "~xã", "~phù"} <= set(tokens("Xã La Phù"))
    restored = tokens("xa La Phu", accented="xã La Phù")
    assert "~xã" in restored and "xa" in restored
    assert not any(t.startswith(ACCENTED) for t in tokens("xa La Phu", accented="xa La Phu"))


def test_accents_separate_words_that_folding_merges():
    index = KeywordIndex.build(["Nhà may đóng cửa sớm.", "Nhà máy đóng cửa sớm."], Abbreviations({}))
    hits = index.search("nhà máy", 2)
    assert hits[0][0] == 1 and hits[0][1] > hits[1][1]
    # Typed without accents: no accented tokens, both passages match alike.
    plain = index.search("nha may", 2)
    assert len(plain) == 2 and abs(plain[0][1] - plain[1][1]) < 1e-6


def test_top_rows_equals_a_stable_full_sort_with_ties():
    from qa.keyword import top_rows

    rng = np.random.default_rng(3)
    for n, k in ((10, 3), (5000, 50), (70_000, 50), (70_000, 1), (3000, 5000)):
        scores = rng.integers(0, 40, n).astype(np.float32)  # many ties, zeros included
        expected = np.lexsort((np.arange(n), -scores))[:k]
        assert top_rows(scores, k, block=64).tolist() == expected.tolist()
    assert top_rows(np.zeros(0, np.float32), 5).tolist() == []


def test_search_scores_equal_bm25s_and_filter_keeps_allowed_rows():
    texts = ["Xã An Bình giải quyết hồ sơ đúng hạn.", "Hồ sơ trực tuyến của xã đạt 85 phần trăm.",
             "Ủy ban nhân dân huyện họp bàn về hồ sơ.", "Trường học mới ở huyện Bình Minh."]
    index = KeywordIndex.build(texts, Abbreviations({}))
    question = "hồ sơ của xã"
    ids = [index._vocab[t] for t in tokens(question, index.abbreviations) if t in index._vocab]
    expected = np.asarray(index._bm25.get_scores(ids), dtype=np.float32)
    hits = index.search(question, 4)
    ranked = np.lexsort((np.arange(len(texts)), -expected))
    assert hits == [(int(r), float(expected[r])) for r in ranked if expected[r] > 0]
    allowed = np.array([False, True, True, True])
    assert index.search(question, 4, allowed=allowed) == [(r, s) for r, s in hits if allowed[r]]


def test_short_posting_lists_of_a_mapped_index_are_read_and_score_the_same(tmp_path, monkeypatch):
    import os

    from qa import keyword

    texts = ["Xã An Bình giải quyết hồ sơ đúng hạn.", "Hồ sơ trực tuyến của xã đạt 85 phần trăm.",
             "Ủy ban nhân dân huyện họp bàn về hồ sơ.", "Trường học mới ở huyện Bình Minh."] * 3
    built = KeywordIndex.build(texts, Abbreviations({}))
    built.save(tmp_path)
    mapped = KeywordIndex.load(tmp_path, mmap=True)
    reads = []
    real = os.pread
    monkeypatch.setattr(keyword.os, "pread", lambda fd, n, at: reads.append(n) or real(fd, n, at))
    monkeypatch.setattr(keyword, "PREAD_BELOW", 4)  # lists of up to 4 entries are read, longer ones mapped
    for question in ("hồ sơ của xã", "trường học mới", "huyện Bình Minh"):
        assert mapped.search(question, 5) == built.search(question, 5)
    assert reads and max(reads) <= 4 * 4
    assert KeywordIndex.load(tmp_path)._files is None  # read into memory: nothing to read by position
