from qa.followup import complete_question


def test_follow_up_replaces_the_place():
    previous = ["Tỷ lệ hồ sơ quá hạn của xã La Phù là bao nhiêu?"]
    assert complete_question("Còn phường Quảng Cư thì sao?", previous) == \
        "Tỷ lệ hồ sơ quá hạn của phường Quảng Cư là bao nhiêu?"


def test_follow_up_replaces_the_year():
    assert complete_question("còn năm 2022?", ["Xã La Phù xếp thứ mấy năm 2023?"]) == "Xã La Phù xếp thứ mấy năm 2022?"


def test_full_questions_and_first_questions_are_unchanged():
    assert complete_question("Ai là Chủ tịch UBND huyện Gia Lâm?", ["Câu trước?"]) == "Ai là Chủ tịch UBND huyện Gia Lâm?"
    assert complete_question("Còn phường Quảng Cư thì sao?", []) == "Còn phường Quảng Cư thì sao?"


def test_follow_up_without_a_matching_slot_is_appended():
    assert complete_question("Còn kiểm tra công vụ thì sao?", ["Huyện đã thực hiện bao nhiêu cuộc kiểm tra?"]) == \
        "Huyện đã thực hiện bao nhiêu cuộc kiểm tra – kiểm tra công vụ?"
