from qa.keyword import KeywordIndex, tokens
from qa.vietnamese import Abbreviations, DiacriticsRestorer, learn_abbreviations


def test_learns_full_form_abbreviation_pairs():
    pairs = learn_abbreviations(["Huyện đẩy mạnh công tác cải cách hành chính (CCHC) và chuyển đổi số (CĐS)."])
    assert pairs == {"cchc": "cải cách hành chính", "cđs": "chuyển đổi số"}


def test_abbreviation_and_full_form_meet_in_the_keyword_channel():
    abbr = Abbreviations.from_corpus([])
    index = KeywordIndex.build(["UBND xã giải quyết hồ sơ.", "Hội nghị bàn về giáo dục."], abbr)
    assert index.search("Ủy ban nhân dân xã", 2)[0][0] == 0
    index = KeywordIndex.build(["Ủy ban nhân dân xã giải quyết hồ sơ.", "Hội nghị bàn về giáo dục."], abbr)
    assert index.search("UBND xã", 2)[0][0] == 0
    assert "dong_chi" in tokens("đ/c Lê", abbr)


def test_restores_diacritics_from_corpus_vocabulary():
    restorer = DiacriticsRestorer.from_corpus([
        "Xã La Phù xếp thứ 19 về chỉ số thủ tục hành chính.",
        "Kết quả đánh giá chỉ số cải cách hành chính của xã.",
    ])
    assert restorer.restore("xa La Phu xep thu may ve chi so thu tuc hanh chinh") == \
        "xã La Phù xếp thứ mấy về chỉ số thủ tục hành chính"
    assert restorer.restore("Xa La Phu") == "Xã La Phù"  # case kept


def test_tiers_of_government_are_restored_though_the_articles_never_name_them():
    # "cap tinh" came back as "cấp tính" from articles that never say "cấp tỉnh", so the question
    # lost its tier and was answered, at 0.90, with another tier's figure (stop 26).
    restorer = DiacriticsRestorer.from_corpus(["Tính đến nay, cấp xã đã tiếp nhận 120 hồ sơ."])
    assert restorer.restore("Cap tinh thu duoc bao nhieu?").startswith("Cấp tỉnh")
    assert restorer.restore("cap huyen tiep nhan").startswith("cấp huyện")


def test_a_loaded_index_reads_co_may_as_how_many():
    # Stop 37: "co may dai bieu" came back as "có máy đại biểu" (a machine): the sample articles' "máy" tied
    # with the seed's "mấy", so the question was no count, and a sentence naming the office it mentions was
    # quoted at 0.85. A loaded index's tables get the question pairs (`QUESTION_SEED`), old indexes too.
    tables = DiacriticsRestorer.from_corpus(["Xã có 12 máy tính tra cứu.", "Nhà máy may mặc.", "Đại biểu phát biểu tại kỳ họp."]).to_dict()
    plain = DiacriticsRestorer(tables["unigrams"], tables["bigrams"])
    loaded = DiacriticsRestorer.loaded(tables["unigrams"], tables["bigrams"])
    assert plain.restore("co may dai bieu") == "có máy đại biểu"
    assert loaded.restore("Co may dai bieu phat bieu?") == "Có mấy đại biểu phát biểu?"
    assert loaded.restore("xa duoc may diem") == "xã được mấy điểm"
    assert loaded.restore("xa co may may tinh tra cuu") == "xã có mấy máy tính tra cứu"  # the articles' pair kept
    assert loaded.to_dict() != tables  # the pairs are added on load, not stored by a build


def test_unknown_words_are_left_alone():
    restorer = DiacriticsRestorer.from_corpus(["Xã La Phù"])
    assert restorer.restore("zzz qqq 2023") == "zzz qqq 2023"


def test_abbreviation_definitions_are_finditers_matches():
    from qa.ingest import read_corpus
    from qa.text import normalize
    from qa.vietnamese import _ABBR_DEF, _definitions

    articles, _ = read_corpus("corpus")
    texts = [normalize(a.text) for a in articles] + [
        "a b (c d (CD) e", "x (y", "Ủy ban nhân dân (UBND) và Hội đồng nhân dân (HĐND)", "12 (AB)",
        "ab  ( AB ) cd (CD)", "một hai ba bốn năm sáu bảy tám chín mười mười một (MHB)",
        "Tổ chức Y tế Thế giới(WHO) (TCYTTG)", "(X)", "a (", ")(", "Ngân hàng Nhà nước (NHNN), Bộ Tài chính (BTC)"]
    found = [[m.span() for m in _definitions(t)] for t in texts]
    assert found == [[m.span() for m in _ABBR_DEF.finditer(t)] for t in texts]
    assert sum(map(len, found)) >= 5


def test_corpus_tables_read_a_generator_once():
    from qa.vietnamese import DiacriticsRestorer

    texts = ["Ủy ban nhân dân (UBND) xã La Phù.", "Hội đồng nhân dân (HĐND) họp.", "Nhà máy đóng cửa."]
    assert Abbreviations.from_corpus(iter(texts)).pairs == Abbreviations.from_corpus(texts).pairs
    assert Abbreviations.from_corpus(iter(texts)).pairs["ubnd"] == "ủy ban nhân dân"
    assert DiacriticsRestorer.from_corpus(t for t in texts).to_dict() == DiacriticsRestorer.from_corpus(texts).to_dict()


def test_corpus_tables_in_worker_processes_equal_one_process_tables(monkeypatch):
    import json

    from qa.vietnamese import corpus_tables

    monkeypatch.setattr("qa.parallel.BATCH", 2)  # several batches, merged in order
    articles = [("La Phù", "Ủy ban nhân dân (UBND) xã La Phù họp."), (None, "Ủy ban nhân dân (UBND) huyện."),
                ("Họp", "Hội đồng nhân dân (HĐND) họp bàn."), ("Nhà máy", "Nhà máy đóng cửa. Nhà may mở cửa."),
                ("", "Ủy ban thường vụ (UBND) khác.")]  # a second definition of UBND: the first one wins
    expected_abbreviations = Abbreviations.from_corpus(text for _, text in articles)
    expected = DiacriticsRestorer.from_corpus(f"{title}\n{text}" for title, text in articles)
    for workers in (1, 2):
        abbreviations, restorer = corpus_tables(iter(articles), workers=workers)
        assert abbreviations.pairs == expected_abbreviations.pairs and abbreviations.pairs["ubnd"] == "ủy ban nhân dân"
        # key order too: the restorer ranks tied candidates by it, and restore.json is written in it
        assert json.dumps(restorer.to_dict(), ensure_ascii=False) == json.dumps(expected.to_dict(), ensure_ascii=False)


def test_telex_keystrokes_left_in_a_word_are_read():
    # Stop 42's walkthrough: "Phos Chủ tịch HĐND xã La Phù là ai" named the council's chair at 0.80, "Bis thư Huyện ủy
    # Gia Lââm" and "Xuân Khanh được bao nhiêu ddieemr" were "not found", "nawm 2021 ..." lost its year.
    from qa.vietnamese import telex_fixed
    known = {"phó", "chủ", "tịch", "bí", "thư", "năm", "điểm", "trưởng", "lâm", "xã", "gia", "ban"}
    cases = {"Phos Chủ tịch": "Phó Chủ tịch", "Bis thư": "Bí thư", "nawm 2021": "năm 2021", "Chur tịch": "Chủ tịch",
             "Gia Lââm": "Gia Lâm", "bao nhiêu ddieemr": "bao nhiêu điểm", "Truwởng ban": "Trưởng ban", "xax": "xã"}
    for typed, meant in cases.items():
        assert telex_fixed(typed, known) == meant, typed
    # A known word, an abbreviation, a word whose reading is unknown: as typed.
    for kept in ("Chủ tịch UBND xã", "TTHC", "Jobs", "xoong"):
        assert telex_fixed(kept, known) == kept, kept


def test_a_question_with_accents_on_some_words_only_has_the_rest_restored():
    # Stop 43's walkthrough: "chu tich UBND huyen Gia Lâm là bà nào" and "... xã La Phù xep thu may" were "not found"
    # (0.00, 0.16) though the same questions with all accents, or none, were answered.
    corpus = ["Chủ tịch UBND huyện Gia Lâm Đặng Thị Huyền phát biểu. Xã La Phù xếp thứ 19, tụt 10 bậc.",
              "Ai là chủ tịch xã? Xã xếp thứ mấy? Cho em hỏi xã La Phù ban hành quy chế cho cán bộ."]
    restorer = DiacriticsRestorer.from_corpus(corpus)
    assert restorer.restore_partly("chu tich UBND huyen Gia Lâm là bà nào") == "chủ tịch UBND huyện Gia Lâm là bà nào"
    assert restorer.restore_partly("Năm 2023 xã La Phù xep thu may") == "Năm 2023 xã La Phù xếp thứ mấy"
    # Unaccented words the articles write so, and numbers said in words, stay as typed.
    assert restorer.restore_partly("Xã La Phù ban hành quy chế cho cán bộ") == "Xã La Phù ban hành quy chế cho cán bộ"
    assert restorer.restore_partly("năm hai không hai ba xã xếp thứ mấy") == "năm hai không hai ba xã xếp thứ mấy"
    assert restorer.restore_partly("xa La Phu xep thu may") == "xa La Phu xep thu may"  # none accented: `restore`'s


def test_a_word_typed_with_a_wrong_tone_is_spelt_as_the_articles_do():
    # Stop 44's walkthrough (a learner): "chủ tich UBND xả La Phù" and "phường Quãng Cư" scored lower than the same
    # questions typed with no accents at all (0.50 against 0.66, 0.71 against 0.92).
    corpus = ["Chủ tịch UBND xã La Phù Tạ Công Luận phát biểu. Phường Quảng Cư còn 42 hồ sơ quá hạn.",
              "Chủ tịch UBND thị xã Sơn Tây chủ trì hội nghị. Xã đã ban hành quy chế."]
    restorer = DiacriticsRestorer.from_corpus(corpus)
    assert restorer.restore_partly("Cho em hỏi chủ tich UBND xả La Phù là ai ạ?") == "Cho em hỏi chủ tịch UBND xã La Phù là ai ạ?"
    assert restorer.restore_partly("hồ sơ quá hạn của phường Quãng Cư") == "hồ sơ quá hạn của phường Quảng Cư"
    # A word the articles lack stays as typed when no pair of theirs supports another spelling ("ông nhà tôi mất rồi"),
    # and so does a lower-case place after its level ("xã đa tốn" is no "xã đã ...").
    assert restorer.restore_partly("Ông nhà tôi mất rồi, xã La Phù") == "Ông nhà tôi mất rồi, xã La Phù"
    assert restorer.restore_partly("chủ tịch xã đa tốn") == "chủ tịch xã đa tốn"


def test_the_question_seed_says_a_tier_after_administration():
    # Stop 44: "cai cach hanh chinh cap huyen" was put back as "... hành chính cập huyện" ("hành chính cập nhật" once in the
    # articles), and the district's tier was lost (another tier's figure at 0.84).
    restorer = DiacriticsRestorer.loaded({"cấp": 17, "cập": 2, "huyện": 40, "hành": 70, "chính": 72, "nhật": 3},
                                         {"cấp huyện": 3, "chính cập": 1, "cập nhật": 2, "hành chính": 70})
    assert restorer.restore("ke hoach cai cach hanh chinh cap huyen") .endswith("hành chính cấp huyện")
    assert restorer.restore("thu tuc hanh chinh cap nhat").endswith("hành chính cập nhật")


def test_a_level_typed_without_accents_before_a_name_is_the_level():
    # Stop 44's walkthrough: "phuong Dong Ve ... ty le ho so qua han bao nhieu" was put back as "phương Đồng Về" and the
    # ward no article names was not read as a place (phường Quảng Cư's figure at 0.76).
    restorer = DiacriticsRestorer.from_corpus(["Phương hướng nhiệm vụ của phường Quảng Cư. Thị xã Sơn Tây."])
    assert restorer.restore("phuong Dong Ve ty le").startswith("phường ")
    assert restorer.restore("thi xa Son Tay").startswith("thị xã ")
    assert restorer.restore("phuong huong nhiem vu").startswith("phương hướng")  # no name after it
