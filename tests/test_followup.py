from qa.followup import complete_question, needs_context


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


def test_follow_up_knows_every_administrative_level_of_the_lexicon():
    # ấp, bản and tổ dân phố were known to the short answers but not here (issue 10).
    previous = ["Tỷ lệ hồ sơ quá hạn của xã La Phù là bao nhiêu?"]
    for subject in ("ấp Tân Lập", "bản Lác", "tổ dân phố Quyết Thắng", "thị trấn Trâu Quỳ"):
        assert complete_question(f"Còn {subject} thì sao?", previous) == \
            f"Tỷ lệ hồ sơ quá hạn của {subject} là bao nhiêu?"
    assert complete_question("Còn xã La Phù thì sao?", ["Bản Lác có bao nhiêu hộ dân?"]) == "xã La Phù có bao nhiêu hộ dân?"


def test_follow_up_about_another_tier_replaces_the_tier():
    # The tier of government was appended ("Cấp xã ... – cấp huyện thì thu được bao nhiêu?"), so the
    # commune's figure came back, confidently, for the district (a walkthrough, stop 26).
    previous = ["Cấp xã ở Gia Lâm thu được bao nhiêu tiền phí, lệ phí?"]
    for follow_up in ("Còn cấp huyện thì thu được bao nhiêu?", "Thế cấp huyện thì sao?", "còn cấp huyện?"):
        assert complete_question(follow_up, previous) == "Cấp huyện ở Gia Lâm thu được bao nhiêu tiền phí, lệ phí?"
    assert complete_question("Còn cấp xã thì sao?", ["Số tiền phí cấp huyện thu được là bao nhiêu?"]) == \
        "Số tiền phí cấp xã thu được là bao nhiêu?"
    # "Thế nào là ..." asks on its own.
    assert complete_question("Thế nào là dịch vụ công mức độ 4?", previous) == "Thế nào là dịch vụ công mức độ 4?"


def test_follow_up_about_another_office_replaces_the_office_and_a_which_question_is_not_rewritten():
    # Found by a second walkthrough (stop 26): "Ai là Chủ tịch UBND huyện Gia Lâm – Chủ tịch HĐND?".
    assert complete_question("Còn Chủ tịch HĐND thì sao?", ["Ai là Chủ tịch UBND huyện Gia Lâm?"]) == \
        "Ai là Chủ tịch HĐND huyện Gia Lâm?"
    assert complete_question("Còn Bí thư Đảng ủy thì sao?", ["Ai là Chủ tịch UBND xã?"]) == "Ai là Bí thư Đảng ủy xã?"
    # An office named with its level replaces the office and its level (stop 27: "Ai là Chủ tịch UBND
    # xã La Phù – Chủ tịch HĐND xã?"); named without one, the previous question's level stays.
    assert complete_question("Còn Chủ tịch HĐND xã thì sao?", ["Ai là Chủ tịch UBND xã La Phù?"]) == \
        "Ai là Chủ tịch HĐND xã La Phù?"
    assert complete_question("Thế Chủ tịch UBND thì sao?", ["Chủ tịch HĐND huyện Gia Lâm là ai?"]) == \
        "Chủ tịch UBND huyện Gia Lâm là ai?"
    # The offices are those the answers know (qa.lexicon.OFFICE_TITLES), written with either tone-mark
    # placement ("Huyện uỷ").
    assert complete_question("Còn Chủ nhiệm UBMTTQ thì sao?", ["Ai là Bí thư Huyện uỷ Gia Lâm?"]) == \
        "Ai là Chủ nhiệm UBMTTQ Gia Lâm?"
    # "Phường nào đứng đầu" asks which ward: putting Lê Lợi in its place claimed Lê Lợi came first.
    which = ["Phường nào đứng đầu xếp hạng chỉ số CCHC năm 2017 của thị xã Sơn Tây?"]
    assert complete_question("Còn phường Lê Lợi thì sao?", which) == "Còn phường Lê Lợi thì sao?"


def test_a_follow_up_that_leans_on_a_previous_question_is_recognised():
    for q in ("Còn cấp huyện thì sao?", "La Phù thì sao?", "Còn xã La Phù sao?", "Thế cấp tỉnh thì thế nào?"):
        assert needs_context(q), q
    for q in ("Còn bao nhiêu hồ sơ chưa giải quyết?", "Còn xã La Phù vì sao?", "Xã La Phù xếp thứ mấy?",
              "Đối với xã La Phù, vì sao tụt hạng?"):
        assert not needs_context(q), q
