"""The shared word tables: one definition, used by every module that needs it."""

import re

from qa import followup, lexicon, selector, sentences, shortanswer, vietnamese


def test_every_module_uses_the_one_table():
    assert shortanswer.ADMIN_UNIT is lexicon.ADMIN_LEVEL_PATTERN
    assert followup._UNIT is lexicon.ADMIN_LEVEL_PATTERN
    assert shortanswer.SURNAMES is lexicon.SURNAMES and shortanswer.TITLE_WORDS is lexicon.TITLE_WORDS
    assert shortanswer.UNIT_STOP is lexicon.UNIT_STOP
    assert selector.STOPWORDS == lexicon.STOPWORDS | lexicon.PARTICLES
    assert vietnamese.BUILTIN_ABBREVIATIONS is lexicon.BUILTIN_ABBREVIATIONS
    assert vietnamese.SEED_TEXT is lexicon.SEED_TEXT
    assert sentences.ABBREVIATIONS is lexicon.PERIOD_ABBREVIATIONS


def test_administrative_levels_match_whole_levels_longest_first():
    levels = re.compile(rf"{lexicon.ADMIN_LEVEL_PATTERN}\s")
    assert levels.match("thị xã Sơn Tây").group(0).strip() == "thị xã"
    assert levels.match("tổ dân phố 5").group(0).strip() == "tổ dân phố"
    for level in ("ấp", "bản", "thôn", "phường"):
        assert level in lexicon.ADMIN_LEVELS


def test_folded_tables_are_folded():
    assert "nguyen" in lexicon.SURNAMES and "nguyễn" not in lexicon.SURNAMES
    assert lexicon.FOLDED_ABBREVIATIONS["ubnd"] == "uy ban nhan dan"
    assert vietnamese.spell_out("Đ/c Nguyễn Văn A") == "đồng chí Nguyễn Văn A"


def test_offices_in_apposition():
    from qa.lexicon import appositive_roles
    assert appositive_roles("- Phó Bí thư Huyện ủy, Chủ tịch UBND huyện phát biểu") == [
        ("pho", "bi thu", "huyen uy", ""), ("", "chu tich", "ubnd", "huyen")]
    assert appositive_roles("- Thành ủy viên, Bí thư Huyện uỷ; đồng chí B") == [("", "bi thu", "huyen uy", "")]
    assert appositive_roles(", Trưởng ban Pháp chế đề nghị Chủ tịch UBND phường rà soát") == [
        ("", "truong ban", "phap che", "")]
    assert appositive_roles(" phát biểu tại hội nghị của UBND xã, Chủ tịch UBND xã") == []
    assert appositive_roles(" - Trưởng ban Pháp chế, HĐND huyện; đồng chí B") == [("", "truong ban", "phap che", "huyen")]


def test_an_office_is_of_one_level():
    from qa.lexicon import holds_office, roles_of
    assert roles_of("Chủ tịch UBND xã La Phù") == [("", "chu tich", "ubnd", "xa")]
    assert roles_of("Chủ tịch UBND thị xã Sơn Tây") == [("", "chu tich", "ubnd", "thi xa")]
    asked = roles_of("Ai là Chủ tịch UBND xã La Phù?")
    assert holds_office(asked, roles_of("Ông Tạ Công Luận, Chủ tịch UBND xã"))
    assert holds_office(asked, roles_of("Ông Tạ Công Luận, Chủ tịch UBND"))  # no level said: no contradiction
    assert not holds_office(asked, roles_of("Bà Đặng Thị Huyền, Chủ tịch UBND huyện"))
    assert not holds_office(asked, roles_of("Bà Nguyễn Thanh Bình, Chủ tịch HĐND xã"))
    # Stop 31 (ninth walkthrough): a committee's council and its level follow the committee, with or
    # without a comma. "Trưởng ban Pháp chế HĐND xã La Phù là ai?" was answered at 0.87 with the
    # district's: "Bà Phạm Thị Nhung - Trưởng ban Pháp chế, HĐND huyện".
    asked = roles_of("Trưởng ban Pháp chế HĐND xã La Phù là ai?")
    assert asked == [("", "truong ban", "phap che", "xa")]
    assert roles_of("Bà Phạm Thị Nhung - Trưởng ban Pháp chế, HĐND huyện") == [("", "truong ban", "phap che", "huyen")]
    assert not holds_office(asked, roles_of("Bà Phạm Thị Nhung - Trưởng ban Pháp chế, HĐND huyện"))
    assert holds_office(roles_of("Trưởng ban Pháp chế HĐND thành phố là ai?"),
                        roles_of("đồng chí Lê Ngọc Khanh, Trưởng ban Pháp chế HĐND thành phố"))


def test_an_office_of_another_kind_of_body_is_not_a_local_governments():
    # Stop 37: off-topic questions ("Ai là chủ tịch tập đoàn Hòa Phát") matched every "Chủ tịch UBND" of the
    # sample articles, so the calibrator learnt to doubt a named office, and "Ai là Chủ tịch UBND xã La Phù?"
    # was "not found" at 0.42 with the right sentence first.
    from qa.lexicon import holds_office, roles_of
    assert roles_of("Ai là chủ tịch tập đoàn Hòa Phát") == [("", "chu tich", "other", "")]
    assert roles_of("Ai là tổng giám đốc của công ty Vinhomes") == [("", "tong giam doc", "other", "")]
    assert roles_of("Bộ trưởng bộ Tài chính là ai") == [("", "bo truong", "other", "")]
    assert not holds_office(roles_of("Ai là chủ tịch tập đoàn Hòa Phát"), roles_of("Ông Tạ Công Luận, Chủ tịch UBND xã"))
    assert not holds_office(roles_of("Ai là giám đốc công ty X"), roles_of("ông A, tổng giám đốc công ty X"))
    # Another kind of body is one to another: a group's "Chủ tịch HĐQT" may be the "chủ tịch tập đoàn" asked.
    assert holds_office(roles_of("chủ tịch tập đoàn Hòa Phát là ai"), roles_of("ông Trần Đình Long, Chủ tịch HĐQT Tập đoàn Hòa Phát"))
    # The local bodies are read as before, and a level or a name after the office is no other body.
    assert roles_of("Chủ tịch Hội đồng nhân dân huyện") == [("", "chu tich", "hdnd", "huyen")]
    assert roles_of("Ai là Chủ tịch xã La Phù?") == [("", "chu tich", "", "")]
    assert roles_of("Chủ tịch Lê Quốc Dũng") == [("", "chu tich", "", "")]
    # "CT" and "PCT" before a body (the twenty-fifth walkthrough: "Ai là Chủ tịch Ủy ban MTTQ xã ...?" was "not
    # found" at 0.02, the list naming "đ/c Nguyễn Thanh Tuyền- CT UBMTTQVN" read as naming other offices only).
    assert roles_of("đ/c Nguyễn Thanh Tuyền- CT UBMTTQVN, cùng toàn thể") == [("", "chu tich", "mttq", "")]
    assert holds_office(roles_of("Ai là Chủ tịch Ủy ban MTTQ xã?"), roles_of("đ/c Nguyễn Thanh Tuyền- CT UBMTTQVN"))
    assert roles_of("ông A, PCT UBND xã") == [("pho", "chu tich", "ubnd", "xa")]
    assert roles_of("công ty CT Group") == []
    # Stop 38: "đội" went from the other bodies: folded, "Chủ tịch đối thoại với dân" read as "chủ tịch đội".
    assert roles_of("Chủ tịch đối thoại với người dân") == [("", "chu tich", "", "")]


def test_the_polite_frame_of_a_spoken_question_is_set_aside():
    # Stop 28: "Cho em hỏi ai là người trình bày báo cáo đề dẫn ... ạ?" was "not found" at 0.42; without
    # the frame the same question was found at 0.62.
    from qa.lexicon import plain_question
    assert plain_question("Cho em hỏi ai là người trình bày báo cáo đề dẫn ạ?") == "ai là người trình bày báo cáo đề dẫn?"
    assert plain_question("Cho em hoi phuong Quang Cu con bao nhieu ho so a?") == "phuong Quang Cu con bao nhieu ho so?"
    assert plain_question("Xin hỏi, xã La Phù xếp thứ mấy?") == "xã La Phù xếp thứ mấy?"
    assert plain_question("Anh chị ơi, cho em hỏi điểm của xã La Phù với ạ?") == "điểm của xã La Phù?"
    for kept in ("Xã La Phù xếp thứ mấy?", "Vì sao vậy?", "Cho em hỏi ạ?", "Ai cho em hỏi?"):
        assert plain_question(kept) == kept


def test_a_misspelt_question_word_is_put_right():
    # Stop 36's walkthrough: "huyên Gia Lâm tiếp nhận bao nhiu hồ sơ DVC mức độ 3, 4?" was not read as a count.
    from qa.lexicon import plain_question
    from qa.shortanswer import classify
    assert plain_question("Huyện tiếp nhận bao nhiu hồ sơ?") == "Huyện tiếp nhận bao nhiêu hồ sơ?"
    assert plain_question("Bao nhiều hồ sơ được tiếp nhận?") == "Bao nhiêu hồ sơ được tiếp nhận?"
    assert classify(plain_question("Huyện tiếp nhận bao nhiu hồ sơ?")).kind == "count"
    assert plain_question("Bao nhiêu người chăm sóc bao nhiêu nhiu?") == "Bao nhiêu người chăm sóc bao nhiêu nhiu?"


def test_chat_spellings_of_question_words_are_written_out():
    # Stop 40's walkthrough (typed on a phone): "gia lâm làm bn cuộc kiểm tra cchc" and four more "bn" questions
    # were "not found" (0.00-0.48), the count unread; written out, all five are right.
    from qa.lexicon import plain_question
    from qa.shortanswer import classify
    assert plain_question("gia lâm làm bn cuộc kiểm tra cchc") == "gia lâm làm bao nhiêu cuộc kiểm tra CCHC"
    assert classify(plain_question("thị xã sơn tây công khai bn tthc")).kind == "count"
    assert (plain_question("chỉ số tthc xã la phù tụt bn bậc so vs năm 2022")
            == "chỉ số TTHC xã la phù tụt bao nhiêu bậc so với năm 2022")
    assert plain_question("nộp qua mạng có dc ko") == "nộp qua mạng có được không"
    assert plain_question("sđt đường dây nóng của xã") == "số điện thoại đường dây nóng của xã"
    # "bn" opening a question or before "ơi" is "bạn"; a letter in a code or an amount ("50k") is left alone,
    # and so is an upper-case "VS" (a name).
    for kept in ("bn ơi xã la phù xếp thứ mấy", "bn cho mình hỏi xã nào", "phí 50k là gì", "quyết định số 12/k-ubnd",
                 "VS là gì"):
        assert plain_question(kept) == kept


def test_offices_named_loosely_are_named_as_the_articles_do():
    # Stop 40's walkthrough: "bà chủ tịch hội đồng xã la phù là ai" was "not found" at 0.00 ("hội đồng" read as
    # some council other than the HĐND), "chủ tịch mặt trận xã ..." got the UBND chair at 0.95.
    from qa.lexicon import offices_written, roles_of
    assert offices_written("bà chủ tịch hội đồng xã la phù là ai") == "bà chủ tịch HĐND xã la phù là ai"
    assert offices_written("chu tich hoi dong huyen Gia Lam la ai") == "chu tich HDND huyen Gia Lam la ai"
    assert offices_written("Chủ tịch mặt trận xã là ai?") == "Chủ tịch MTTQ xã là ai?"
    assert offices_written("bí thư đề nghị mặt trận huyện làm gì") == "bí thư đề nghị MTTQ huyện làm gì"
    assert offices_written("Phó chủ tịch ủy ban phường là ai?") == "Phó chủ tịch UBND phường là ai?"
    assert offices_written("Ông chủ tịch xã La Phù tên gì?") == "Ông chủ tịch UBND xã La Phù tên gì?"
    assert offices_written("bí thư huyện Gia Lâm là ai") == "bí thư Huyện ủy huyện Gia Lâm là ai"
    assert roles_of(offices_written("chủ tịch hội đồng xã")) == [("", "chu tich", "hdnd", "xa")]
    assert roles_of(offices_written("chủ tịch mặt trận")) == [("", "chu tich", "mttq", "")]
    # Named as the articles name them, or "mặt trận" of something else: left alone.
    for kept in ("Chủ tịch UBND xã là ai?", "Bí thư Huyện ủy Gia Lâm là ai?", "Chủ tịch HĐND xã là ai?",
                 "Mặt trận phía Tây ở đâu?", "Chủ tịch Ủy ban MTTQ xã là ai?", "hội đồng thi đua khen thưởng"):
        assert offices_written(kept) == kept, kept


def test_a_search_box_query_asks_what_its_opening_names():
    # Stop 41's walkthrough: "chủ tịch ubnd thị xã sơn tây" was "not found" at 0.12 (the name in the first
    # sentence), "điểm chỉ số cchc phường kim sơn 2017" got another ward's 91/100 at 0.81.
    from qa.lexicon import plain_question
    from qa.shortanswer import classify
    assert plain_question("chủ tịch ubnd thị xã sơn tây") == "chủ tịch UBND thị xã sơn tây là ai"
    assert plain_question("chu tich ubnd thi xa son tay") == "chu tich UBND thi xa son tay la ai"
    assert classify(plain_question("người thông qua báo cáo đề dẫn phiên giải trình")).kind == "who"
    assert classify(plain_question("điểm chỉ số cchc xã la phù 2023")) == classify("xã đạt bao nhiêu điểm")
    assert classify(plain_question("tỷ lệ hồ sơ trực tuyến gia lâm")).kind == "count"
    assert classify(plain_question("ngày họp phiên giải trình")).kind == "when"
    # A question word, a yes/no ending or a question mark: a question already.
    for kept in ("Chủ tịch UBND xã phát biểu gì?", "chủ tịch UBND xã có dự không", "người dân được hỗ trợ gì",
                 "Chủ tịch UBND xã dự hội nghị?", "phiên giải trình la phù"):
        assert plain_question(kept) == kept, kept


def test_numbers_said_in_words_are_written_in_digits():
    # Stop 41's walkthrough: "Năm hai không hai hai xã La Phù nhận được bao nhiêu phiếu ...?" got 2023's 2.354 at
    # 0.89 (the year unread); "Kỳ họp thứ sáu ... diễn ra ngày nào?" the fifth session's date at 0.85.
    from qa.lexicon import numbers_in_digits, plain_question
    assert plain_question("Năm hai không hai hai xã La Phù nhận được bao nhiêu phiếu?") == (
        "Năm 2022 xã La Phù nhận được bao nhiêu phiếu?")
    cases = {"hai mươi cuộc kiểm tra": "20 cuộc kiểm tra", "mười bảy trên hai mươi lăm nhiệm vụ": "17/25 nhiệm vụ",
             "chín mươi chín phẩy chín phần trăm": "99,9%", "không phẩy bốn sáu phần trăm": "0,46%",
             "ngày mười bốn tháng Tư năm hai không hai mốt": "ngày 14 tháng 4 năm 2021",
             "năm hai nghìn không trăm mười bảy": "năm 2017", "trong năm hai không hai mươi": "trong năm 2020",
             "hai nghìn ba trăm năm mươi tư phiếu": "2.354 phiếu", "Quyết định số năm trăm chín mươi chín": "Quyết định số 599",
             "Kỳ họp thứ sáu": "Kỳ họp thứ 6", "ngày 11 tháng Bảy năm 2024": "ngày 11 tháng 7 năm 2024",
             "sáu tháng đầu năm": "6 tháng đầu năm", "hai mươi năm qua": "20 năm qua", "xã xếp thứ hai": "xã xếp thứ 2"}
    for said, written in cases.items():
        assert numbers_in_digits(said) == written, said
    # A lone number word is a word; "năm" is the year's word unless a number goes on ("năm trăm", "năm mươi").
    for kept in ("một số đơn vị", "có ba người", "năm 2023 và năm 2024", "từ năm 2021", "9 tháng năm 2024",
                 "Có bao nhiêu", "năm năm", "sáng thứ hai"):
        assert numbers_in_digits(kept) == kept, kept


def test_numbers_said_in_words_and_typed_without_accents_are_written_in_digits():
    # Stop 41's left-over: "nam hai khong hai hai" came back from the accent restorer as "năm hài không hài hài",
    # and "Năm 2023"'s figure was the answer at 0.91.
    from qa.lexicon import numbers_in_digits_folded
    cases = {"nam hai khong hai hai xa la phu": "nam 2022 xa la phu", "hai muoi cuoc kiem tra": "20 cuoc kiem tra",
             "ty le chin muoi chin phay chin phan tram": "ty le 99,9%", "muoi bay tren hai muoi lam": "17/25",
             "thang bay nam hai khong hai ba": "thang 7 nam 2023", "ky hop thu sau": "ky hop thu 6",
             "nam hai nghin khong tram hai muoi ba": "nam 2023", "thang muoi hai nam 2023": "thang 12 nam 2023",
             "hai muoi mot thu tuc": "21 thu tuc", "ba muoi phan tram": "30%", "xep thu hai": "xep thu 2",
             "quy ba nam 2024": "quy 3 nam 2024", "Nam Hai Khong Hai Hai": "Nam 2022", "nam muoi nguoi": "50 nguoi"}
    for said, written in cases.items():
        assert numbers_in_digits_folded(said) == written, said
    # Folded number words that are other words: "sau" after, "tu" from, "khong" not, "tram" a station, "nam" a
    # year or the south, "hai nam" two years; and accented text is `numbers_in_digits`' to read.
    for kept in ("sau khi", "tang tu 2021", "xa khong co", "co bao nhieu tram y te", "huong nam", "thang sau",
                 "le hoi", "hai nam", "muoi nam", "nam 2022 co hai xa", "năm hai không hai hai"):
        assert numbers_in_digits_folded(kept) == kept, kept
    assert numbers_in_digits_folded("sau hai muoi ngay") == "sau 20 ngay"


def test_the_head_of_a_body_is_named_by_its_office():
    # Stop 42's walkthrough: "người đứng đầu huyện ủy gia lâm là ai vậy" was "not found" at 0.06 ("Bí thư Huyện
    # ủy" right at 0.86); "ai là người đứng đầu Ban Pháp chế HĐND thành phố ..." at 0.08.
    from qa.lexicon import heads_named, plain_question
    assert heads_named("người đứng đầu huyện ủy gia lâm là ai") == "Bí thư huyện ủy gia lâm là ai"
    assert heads_named("ai là người đứng đầu Ban Pháp chế HĐND") == "ai là Trưởng Ban Pháp chế HĐND"
    assert heads_named("ai đứng đầu đảng ủy xã la phù") == "ai là Bí thư đảng ủy xã la phù"
    assert heads_named("nguoi dung dau ubnd xa la ai") == "chu tich ubnd xa la ai"
    assert plain_question("người đứng đầu hội đồng xã la phù là ai") == "Chủ tịch HĐND xã la phù là ai"
    for kept in ("phường đứng đầu Sơn Tây được mấy điểm", "Đơn vị nào đứng đầu bảng xếp hạng?",
                 "người đứng đầu huyện là ai"):  # a place's head is its Bí thư or its Chủ tịch: not said
        assert heads_named(kept) == kept, kept


def test_bodies_cut_short_are_named_as_the_articles_name_them():
    # Stop 42's walkthrough: "Chủ tịch UB xã La Phù tên gì" named the HĐND chair at 0.74; "... HĐND TP ..." was
    # "not found" at 0.36.
    from qa.lexicon import offices_written
    assert offices_written("Chủ tịch UB xã La Phù tên gì") == "Chủ tịch UBND xã La Phù tên gì"
    assert offices_written("chu tich ub xa la phu") == "chu tich UBND xa la phu"
    assert offices_written("Chủ tịch UB MT xã La Phù") == "Chủ tịch UBMTTQ xã La Phù"
    assert offices_written("chủ tịch MT xã") == "chủ tịch MTTQ xã"
    assert offices_written("Trưởng ban Pháp chế HĐND TP") == "Trưởng ban Pháp chế HĐND thành phố"
    assert offices_written("hdnd tp") == "hdnd thanh pho"
    for kept in ("TP.HCM có bao nhiêu", "UB nào", "MT phía Tây"):
        assert offices_written(kept) == kept, kept


def test_question_words_of_the_centre_and_the_south_are_read():
    # Stop 41's walkthrough: "Bà Nguyễn Thị Ngoan làm chức chi ở xã rứa?" was "not found" at 0.36 ("chức gì": 0.82).
    from qa.lexicon import plain_question
    from qa.shortanswer import classify
    assert plain_question("Bà Nguyễn Thị Ngoan làm chức chi ở xã rứa?") == "Bà Nguyễn Thị Ngoan làm chức gì ở xã vậy?"
    assert plain_question("Phường mô đứng đầu bảng xếp hạng?") == "Phường nào đứng đầu bảng xếp hạng?"
    assert plain_question("Trưởng ban là ổng nào dợ?") == "Trưởng ban là ông nào vậy?"
    assert classify(plain_question("Gia Lâm có nhiêu thủ tục hành chính rứa?")).kind == "count"
    assert classify(plain_question("xã ở mô")).kind == "where"
    for kept in ("chi trả chế độ an sinh qua đâu", "mô hình nào được triển khai?", "quy mô ra sao?", "Chi bộ thôn"):
        assert plain_question(kept) == kept, kept


def test_an_alternative_the_question_rules_out_is_set_aside():
    # Stop 29 (sixth walkthrough): "... chứ không phải cấp huyện?" was read as asking about cấp huyện.
    from qa.lexicon import plain_question
    q = "Ở Gia Lâm có bao nhiêu thủ tục hành chính do cấp xã, thị trấn giải quyết chứ không phải cấp huyện?"
    assert plain_question(q) == "Ở Gia Lâm có bao nhiêu thủ tục hành chính do cấp xã, thị trấn giải quyết?"
    assert plain_question("Cho em hỏi xa nao dung dau, ma khong phai la phuong a?") == "xa nao dung dau?"
    # A negation that is the question itself stays.
    assert plain_question("Ebert không phải là fan của bộ phim nào?") == "Ebert không phải là fan của bộ phim nào?"
    # A comparison added after the question is set aside too (stop 40's walkthrough: "Tỷ lệ hồ sơ đúng hạn ở bộ phận
    # một cửa thị xã Sơn Tây là bao nhiêu, cao hay thấp hơn các xã phường?" got the communes' 99,6% at 0.95).
    assert (plain_question("Tỷ lệ hồ sơ đúng hạn ở bộ phận một cửa thị xã là bao nhiêu, cao hay thấp hơn các xã phường?")
            == "Tỷ lệ hồ sơ đúng hạn ở bộ phận một cửa thị xã là bao nhiêu?")
    assert (plain_question("Tiền phí, lệ phí cấp huyện thu được là bao nhiêu, ít hơn cấp xã đúng không?")
            == "Tiền phí, lệ phí cấp huyện thu được là bao nhiêu?")
    # ... but not when nothing would be left to ask, nor a comparison the question asks about.
    for kept in ("Tỷ lệ này cao hay thấp hơn năm trước?", "Chỉ số năm 2023, so với năm 2022 thì tụt bao nhiêu bậc?"):
        assert plain_question(kept) == kept


def test_cho_hoi_without_who_asks_is_a_polite_frame_too():
    # Stop 39 (walkthrough 61): "cho hỏi chủ tịch ubnd xã la phù tên gì" kept "cho hỏi" as words asked about.
    from qa.lexicon import plain_question
    assert plain_question("cho hỏi chủ tịch ubnd xã la phù tên gì") == "chủ tịch UBND xã la phù là ai"  # stop 42
    assert plain_question("Cho biết ai là chủ tịch?") == "ai là chủ tịch?"
    assert plain_question("Cho hỏi") == "Cho hỏi"  # nothing would remain


def test_a_name_asked_of_an_office_asks_who_and_spoken_fillers_are_dropped():
    # Stop 42's walkthroughs: "chủ tịch ubnd xã la phù tên gì" was "not found" at 0.43 ("... là ai": 0.72); a dictated
    # "à xã trung mầu giải quyết được bao nhiêu hồ sơ đúng hạn" was answered at 0.56, without the "à" not; "... trên
    # app nào" was "not found" ("trên ứng dụng nào": Zalo at 0.89).
    from qa.lexicon import plain_question
    assert plain_question("Bí thư Huyện ủy Gia Lâm tên là gì ạ?") == "Bí thư Huyện ủy Gia Lâm là ai?"
    assert plain_question("Người kết luận buổi giám sát tên là gì?") == "Người kết luận buổi giám sát là ai?"
    assert plain_question("chu tich ubnd xa la phu ten gi") == "chu tich UBND xa la phu la ai"
    for kept in ("Xã nào tên gì", "Ứng dụng tên là gì", "người dân tên gì"):  # no person's office
        assert plain_question(kept) == kept, kept
    assert plain_question("à xã trung mầu giải quyết được bao nhiêu hồ sơ") == "xã trung mầu giải quyết được bao nhiêu hồ sơ"
    assert plain_question("ờ, trưởng ban pháp chế là ai") == "trưởng ban pháp chế là ai"
    assert plain_question("ở xã La Phù ai là chủ tịch") == "ở xã La Phù ai là chủ tịch"  # "ở" is a word
    assert plain_question("xã La Phù có trang tin trên app nào") == "xã La Phù có trang tin trên ứng dụng nào"



def test_a_last_a_left_unaccented_is_the_polite_particle():
    # Stop 42's walkthrough: "... Ban Pháp chế HĐND thành phố khoa may a?" was "not found" at 0.18: the restorer put
    # back every accent but the last "ạ".
    from qa.lexicon import plain_question
    assert plain_question("Ban Pháp chế HĐND thành phố khóa mấy a?") == "Ban Pháp chế HĐND thành phố khóa mấy?"
    assert plain_question("Uống vitamin A?") == "Uống vitamin A?"



def test_numbers_are_written_as_the_articles_write_them():
    # Stop 42's walkthrough: "tiếp nhận 1,261 hồ sơ" contradicted the article's "1.261" (another figure at 0.93);
    # "48.5%", "27866 hồ sơ", "ngày 14.01.2022" found nothing the articles write.
    from qa.lexicon import numbers_as_written
    cases = {"tiếp nhận 1,261 hồ sơ": "tiếp nhận 1.261 hồ sơ", "số 27866 hồ sơ": "số 27.866 hồ sơ", "48.5% ở xã": "48,5% ở xã",
             "ngày 14.01.2022": "ngày 14/01/2022", "Tính đến 31-12-2024": "Tính đến 31/12/2024",
             "1386718000 đồng": "1.386.718.000 đồng", "0.46%": "0,46%"}
    for typed, written in cases.items():
        assert numbers_as_written(typed) == written, typed
    for kept in ("năm 2024", "08 cuộc", "0912345678", "1,5 triệu", "mức độ 3, 4", "17/25", "599/QĐ-UBND", "năm 1831",
                 "Cách mạng Pháp 1789 đã lật đổ vua nào"):  # a year outside 1900-2099 too
        assert numbers_as_written(kept) == kept, kept


def test_the_asking_frame_put_last_is_set_aside():
    # Stop 43's walkthrough: "gia lâm có tất cả bao nhiêu thủ tục hành chính đang thực hiện, cho tôi hỏi với" (0.00).
    from qa.lexicon import plain_question
    assert plain_question("gia lâm có bao nhiêu thủ tục hành chính, cho tôi hỏi với") == "gia lâm có bao nhiêu thủ tục hành chính"
    assert plain_question("gia lam co bao nhieu thu tuc, cho toi hoi voi") == "gia lam co bao nhieu thu tuc"
    assert plain_question("Xã La Phù xếp thứ mấy giúp em với ạ?") == "Xã La Phù xếp thứ mấy?"
    assert plain_question("Xã nào cho tôi vay vốn?") == "Xã nào cho tôi vay vốn?"  # what is given, not a frame


def test_which_few_is_which_not_how_many():
    # Stop 43's walkthrough: "mấy đơn vị nào còn đạt thấp ..." was read as a count, and the sentence listing them
    # ("như Kim Sơn, Sơn Đông, Phú Thịnh") "not found" at 0.00.
    from qa.lexicon import plain_question
    assert plain_question("mấy đơn vị nào còn đạt thấp ở Sơn Tây") == "những đơn vị nào còn đạt thấp ở Sơn Tây"
    assert plain_question("Xã có mấy thôn?") == "Xã có mấy thôn?"


def test_a_comparison_opening_the_question_is_set_aside():
    # Stop 44's walkthrough: "Phường Quảng Cư so với La Phù thế nào, bên Quảng Cư tỷ lệ hồ sơ quá hạn còn bao nhiêu?"
    # read La Phù as asked, and every article was about elsewhere ("not found", 0.00).
    from qa.lexicon import plain_question
    asked = plain_question("Phường Quảng Cư so với La Phù thế nào, bên Quảng Cư tỷ lệ hồ sơ quá hạn còn bao nhiêu?")
    assert "La Phù" not in asked and "Quảng Cư tỷ lệ hồ sơ quá hạn còn bao nhiêu" in asked
    assert plain_question("Huyện Gia Lâm có tổng cộng bi nhiêu thủ tục?").endswith("bao nhiêu thủ tục?")  # southern


def test_a_model_is_no_dialect_where_and_a_name_asked_with_a_particle_is_who():
    # Stop 44's walkthroughs: "... về mô hình Hành chính ..." was read "về đâu hình"; "... tên chi rứa?" and "... tên
    # là gì vậy ạ" were not read as "là ai" (0.44, 0.23).
    from qa.lexicon import plain_question
    assert "về mô hình" in plain_question("Quyết định số 26/QĐ-UBND về mô hình Hành chính phục vụ người dân có từ ngày nào?")
    assert plain_question("Chủ tịch UBND xã La Phù tên chi rứa?") == "Chủ tịch UBND xã La Phù là ai?"
    assert plain_question("Trưởng ban Pháp chế HĐND thành phố tên là gì vậy ạ").endswith("là ai")
    assert plain_question("Ứng dụng này tên là gì vậy?").endswith("tên là gì vậy?")  # no person: a name of a thing


def test_levels_listed_abbreviations_and_address_words_typed_loosely():
    # Stop 44's walkthroughs: "mức độ 3,4" read as the number 3,4 (0.00); "hđnd" in lower case (0.47 against 0.51 in
    # capitals); "tên là gì vậy cháu?" not read as "là ai" (0.39).
    from qa.lexicon import plain_question
    assert plain_question("bao nhiêu hồ sơ dịch vụ công mức độ 3,4").endswith("mức độ 3, 4")
    assert plain_question("trưởng ban pháp chế hđnd thành phố là ai vậy").startswith("trưởng ban pháp chế HĐND")
    assert "TTHC" in plain_question("gia lam co bao nhieu tthc")
    assert "hs" in plain_question("xã nhận bao nhiêu hs trực tuyến")  # short ones are words too: left as typed
    assert plain_question("Ông Chủ tịch UBND xã La Phù tên là gì vậy cháu?").endswith("là ai?")
