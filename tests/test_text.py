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
