from qa.text import folded_syllables, has_diacritics, lacks_diacritics, normalize, strip_diacritics


def test_tone_mark_placement_is_unified():
    assert normalize("Đảng uỷ") == normalize("Đảng ủy") == "Đảng ủy"
    assert normalize("hoà bình") == "hòa bình"
    assert normalize("khoẻ") == "khỏe"
    assert normalize("Thuỷ lợi") == "Thủy lợi"


def test_tone_mark_normalisation_keeps_qu_and_closed_syllables():
    assert normalize("quý") == "quý"
    assert normalize("quỷ") == "quỷ"
    assert normalize("hoàn thành") == "hoàn thành"


def test_normalize_composes_nfd_and_keeps_length():
    nfd = "Ủy ban nhân dân".encode().decode()
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Đảng uỷ xã")
    assert normalize(decomposed) == "Đảng ủy xã"
    assert len(normalize(unicodedata.normalize("NFC", "uỷ ban hoà"))) == len("uỷ ban hoà")
    assert normalize(nfd) == nfd


def test_strip_and_detect_diacritics():
    assert strip_diacritics("Đảng ủy xã La Phù") == "Dang uy xa La Phu"
    assert has_diacritics("xã") and not has_diacritics("xa")
    assert lacks_diacritics("xa La Phu xep thu may")
    assert not lacks_diacritics("Xã La Phù xếp thứ mấy")
    assert not lacks_diacritics("UBND")  # too short to judge


def test_folded_syllables_keep_numbers_whole():
    assert folded_syllables("đạt 2.354 phiếu, 0,46%") == ["dat", "2.354", "phieu", "0,46"]
    assert folded_syllables("") == []


def test_a_vowel_with_two_marks_keeps_them():
    # "ặ" is a + dot below + breve in NFD (the dot sorts first): the dot is not an old-style tone.
    import unicodedata

    for word in ("hoặc", "Hoặc", "ngoặt", "ngoặc", "Huệ", "Thuận", "khoẻ mạnh hoặc"):
        expected = word.replace("khoẻ", "khỏe")
        assert normalize(word) == expected
        assert normalize(unicodedata.normalize("NFD", word)) == expected


def test_the_nfc_shortcut_gives_what_the_round_trip_gives():
    import random
    import unicodedata

    from qa.text import _round_trip

    letters = list("oOuUaAeEyYqQđ hntr.,-") + list("\u0300\u0301\u0309\u0303\u0323\u0302\u0306\u031b")
    letters += list("àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴôơưâăêặậệ")
    rng = random.Random(0)
    texts = ["Đảng uỷ", "hoà bình", "quý", "hoặc", "Thuỷ lợi hoặc khoẻ", "uỷ-ban", "QUÝ", "HOÀ"]
    for _ in range(20000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(1, 7)))
        texts += [text, unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)]
    different = [t for t in texts if normalize(t) != _round_trip(t)]
    assert different == []
