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
