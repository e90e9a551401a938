import json

import numpy as np
import pytest

import qa
from qa import store
from qa.chunk import ChunkSettings

SMALL = ChunkSettings(chunk_tokens=20, overlap_tokens=4)


def _build(corpus, folder, fake):
    return qa.build_index(corpus, folder, model=fake, settings=SMALL, progress=False)


def test_build_and_retrieve_with_metadata(tiny_corpus, tmp_path, fake):
    index = _build(tiny_corpus, tmp_path / "index", fake)
    hits = index.retrieve("Ủy ban nhân dân xã An Bình giải quyết bao nhiêu hồ sơ?", k=3)
    top = hits[0]
    assert top.doc_id == "a.txt" and "120 hồ sơ" in top.text
    assert top.title == "Xã An Bình tổ chức hội nghị" and top.date == "2024-02-01" and top.source == "a.txt"
    assert index.articles["a.txt"].text[top.start:top.end] == top.text
    assert [h.rank for h in hits] == [1, 2, 3]


def test_faiss_equals_bruteforce_cosine(tiny_corpus, tmp_path, fake):
    index = _build(tiny_corpus, tmp_path / "index", fake)
    matrix = np.stack([fake._vector(qa.text.normalize(c.text)) for c in index.chunks])
    for question in ["hồ sơ đúng hạn", "trường học mới", "dịch vụ công trực tuyến"]:
        query = fake.embed_query(question)
        expected = matrix @ query
        best_sentence = [max(float(fake._vector(qa.text.normalize(c.text[a:b])) @ query)
                             for a, b in qa.sentences.sentence_spans(c.text)) for c in index.chunks]
        hits = index.retrieve(question, k=len(index), mode="dense")
        got = {(h.doc_id, h.start): h for h in hits}
        for row, c in enumerate(index.chunks):
            assert got[(c.doc_id, c.start)].dense == pytest.approx(float(expected[row]), abs=1e-5)
            assert got[(c.doc_id, c.start)].sentence == pytest.approx(best_sentence[row], abs=1e-5)
        # Fused score: equal-weight sum of the two channels' z-scores, computed here by hand.
        z = lambda v: (np.asarray(v) - np.mean(v)) / np.std(v)  # noqa: E731
        fused = index.fusion.passage * z(expected) + index.fusion.sentence * z(best_sentence)
        for row, c in enumerate(index.chunks):
            assert got[(c.doc_id, c.start)].score == pytest.approx(float(fused[row]), abs=1e-4)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_answer_reuses_stored_sentence_vectors(tiny_corpus, tmp_path, fake):
    index = _build(tiny_corpus, tmp_path / "index", fake)
    fake.embedded.clear()
    answer = index.answer("Huyện Bình Minh khánh thành bao nhiêu trường học mới?")
    # The right sentence is quoted first (the fake vectors' cosines lie outside what the selector
    # was trained on, so its confidence says little here).
    assert "3 trường học" in answer.citations[0].quote
    assert fake.embedded == []  # no sentence embedded again at question time
    # Printed, an answer shows its quotes, not the passages around them.
    shown = repr(answer)
    assert f"quote={answer.citations[0].quote!r}" in shown and f"hits=<{len(answer.hits)} passages>" in shown
    assert answer.citations[0].text not in shown


def test_save_load_round_trip(tiny_corpus, tmp_path, fake):
    built = _build(tiny_corpus, tmp_path / "index", fake)
    loaded = qa.load(tmp_path / "index", model=fake)
    for mode in ("hybrid", "dense", "keyword"):
        assert built.retrieve("trường học", k=4, mode=mode) == loaded.retrieve("trường học", k=4, mode=mode)
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format_version"] == store.FORMAT_VERSION
    assert manifest["model"]["id"] == "fake/bag-of-syllables" and manifest["model"]["dim"] == 64
    assert manifest["chunking"] == {"chunk_tokens": 20, "overlap_tokens": 4}
    assert manifest["corpus"]["articles"] == 3 and "built_at" in manifest and "fingerprint" in manifest["corpus"]
    chunks_file = (tmp_path / "index" / "chunks.jsonl").read_text(encoding="utf-8")
    assert "Ủy ban nhân dân" in chunks_file  # written with ensure_ascii=False


def test_reindex_touches_only_changed_articles(tiny_corpus, tmp_path, fake):
    _build(tiny_corpus, tmp_path / "index", fake)
    fake.embedded.clear()
    (tiny_corpus / "b.txt").write_text("Huyện Bình Minh khánh thành 5 cây cầu mới.", encoding="utf-8")
    (tiny_corpus / "sub" / "c.md").unlink()
    (tiny_corpus / "d.txt").write_text("Xã Tân Lập có 200 hộ nghèo được hỗ trợ.", encoding="utf-8")
    index = _build(tiny_corpus, tmp_path / "index", fake)
    report = index.build_report
    assert report.added == ["d.txt"] and report.updated == ["b.txt"] and report.removed == ["sub/c.md"]
    assert report.unchanged == ["a.txt"]
    assert fake.embedded and all("An Bình" not in t for t in fake.embedded)
    assert report.chunks_embedded >= 2 and report.sentences_embedded >= 2
    assert {c.doc_id for c in index.chunks} == {"a.txt", "b.txt", "d.txt"}
    assert index.retrieve("cây cầu", k=1)[0].doc_id == "b.txt"
    assert not qa.is_stale(tiny_corpus, tmp_path / "index")
    (tiny_corpus / "a.txt").write_text("Đổi nội dung.", encoding="utf-8")
    assert qa.is_stale(tiny_corpus, tmp_path / "index")


def test_index_of_an_older_text_normalisation_counts_as_stale(tiny_corpus, tmp_path, fake):
    # Normalisation 1 turned "hoặc" into "họăc": its keyword tokens and sentence keys differ, so the
    # chat page rebuilds such an index; the rebuild re-embeds only the sentences whose key changed.
    import json

    from qa.text import NORMALISATION

    (tiny_corpus / "d.txt").write_text("Người dân nộp hồ sơ trực tiếp hoặc trực tuyến. Xã có 12 máy tính.",
                                       encoding="utf-8")
    _build(tiny_corpus, tmp_path / "index", fake)
    manifest_file = tmp_path / "index" / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    assert manifest["normalisation"] == NORMALISATION
    assert not qa.is_stale(tiny_corpus, tmp_path / "index")
    del manifest["normalisation"]  # as written before the version was recorded
    manifest_file.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    assert qa.is_stale(tiny_corpus, tmp_path / "index")
    fake.embedded.clear()
    report = _build(tiny_corpus, tmp_path / "index", fake).build_report
    assert report.chunks_embedded == 0 and not fake.embedded  # the keys of today's texts were stored
    assert not qa.is_stale(tiny_corpus, tmp_path / "index")
    index = qa.load(tmp_path / "index", model=fake)
    assert index.retrieve("nộp hồ sơ hoặc trực tuyến", k=1)[0].doc_id == "d.txt"


def test_interrupted_build_leaves_previous_index_usable(tiny_corpus, tmp_path, fake, monkeypatch):
    _build(tiny_corpus, tmp_path / "index", fake)
    before = qa.load(tmp_path / "index", model=fake).retrieve("trường học", k=2)
    (tiny_corpus / "e.txt").write_text("Bài mới về nông thôn mới.", encoding="utf-8")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("qa.keyword.KeywordIndex.save", crash)
    with pytest.raises(KeyboardInterrupt):
        _build(tiny_corpus, tmp_path / "index", fake)
    monkeypatch.undo()
    assert qa.load(tmp_path / "index", model=fake).retrieve("trường học", k=2) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".index")]  # no temp folder left


def test_half_swapped_index_is_recovered(tiny_corpus, tmp_path, fake):
    _build(tiny_corpus, tmp_path / "index", fake)
    (tmp_path / "index").rename(tmp_path / ".index.previous")  # killed between the two renames
    assert qa.load(tmp_path / "index", model=fake).retrieve("trường học", k=1)


def test_bad_input_errors(tiny_corpus, tmp_path, fake):
    index = _build(tiny_corpus, tmp_path / "index", fake)
    with pytest.raises(qa.EmptyQuestionError):
        index.retrieve("   ")
    with pytest.raises(qa.EmptyQuestionError):
        index.answer("")
    with pytest.raises(qa.InvalidArgumentError, match="k must be"):
        index.retrieve("hồ sơ", k=0)
    with pytest.raises(qa.InvalidArgumentError, match="mode"):
        index.retrieve("hồ sơ", mode="magic")
    assert index.retrieve("hồ sơ " * 5000, k=2)  # very long question: cut, not a crash
    with pytest.raises(qa.IndexNotFoundError, match="qa index"):
        qa.load(tmp_path / "nowhere")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blank.txt").write_text("", encoding="utf-8")
    with pytest.raises(qa.EmptyCorpusError, match="blank.txt"):
        qa.build_index(empty, tmp_path / "i2", model=fake, progress=False)


def test_version_model_and_corruption_are_detected(tiny_corpus, tmp_path, fake):
    _build(tiny_corpus, tmp_path / "index", fake)

    class OtherFake(type(fake)):
        model_id = "fake/other"

    with pytest.raises(qa.ModelMismatchError, match="fake/bag-of-syllables"):
        qa.load(tmp_path / "index", model=OtherFake())
    manifest_path = tmp_path / "index" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    (tmp_path / "index" / "vectors.faiss").write_bytes(b"garbage")
    with pytest.raises(qa.CorruptIndexError, match="vectors.faiss"):
        qa.load(tmp_path / "index")
    manifest["format_version"] = 999
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(qa.IndexFormatError, match="999"):
        qa.load(tmp_path / "index")
    # An index of another format counts as stale (the chat page rebuilds it) and a build replaces it.
    assert qa.is_stale(tiny_corpus, tmp_path / "index")
    assert len(_build(tiny_corpus, tmp_path / "index", fake)) == len(qa.load(tmp_path / "index"))
    manifest_path.write_text("{broken", encoding="utf-8")
    with pytest.raises(qa.CorruptIndexError):
        qa.load(tmp_path / "index")


def test_filters_by_source_and_date(tiny_corpus, tmp_path, fake):
    index = _build(tiny_corpus, tmp_path / "index", fake)
    assert {h.doc_id for h in index.retrieve("hồ sơ", k=10, sources=["b.txt"])} == {"b.txt"}
    assert {h.doc_id for h in index.retrieve("hồ sơ", k=10, date_from="2024-01-01")} == {"a.txt"}
    assert index.retrieve("hồ sơ", k=10, date_to="2000-01-01") == []
    assert {h.doc_id for h in index.retrieve("hồ sơ", k=10, date_from="01/01/2024")} == {"a.txt"}
    assert {h.doc_id for h in index.retrieve("hồ sơ", k=10, sources="b.txt")} == {"b.txt"}
    with pytest.raises(qa.InvalidArgumentError, match="31/02/2024"):
        index.retrieve("hồ sơ", date_from="31/02/2024")
    with pytest.raises(qa.InvalidArgumentError, match=r"date_from \(2024-01-01\) is after date_to \(2023-01-01\)"):
        index.retrieve("hồ sơ", date_from="2024-01-01", date_to="01/01/2023")


def test_unaccented_question_finds_the_same_passage(tiny_corpus, tmp_path, fake):
    index = _build(tiny_corpus, tmp_path / "index", fake)
    accented = index.retrieve("Huyện Bình Minh khánh thành bao nhiêu trường học?", k=1)[0]
    plain = index.retrieve("Huyen Binh Minh khanh thanh bao nhieu truong hoc?", k=1)[0]
    assert accented.doc_id == plain.doc_id == "b.txt"
    assert index.restore_diacritics("huyen Binh Minh khanh thanh truong hoc") == "huyện Bình Minh khánh thành trường học"


def test_tone_mark_variants_match(tiny_corpus, tmp_path, fake):
    index = _build(tiny_corpus, tmp_path / "index", fake)
    a = index.retrieve("Đảng ủy xã chỉ đạo", k=1, mode="keyword")[0]
    b = index.retrieve("Đảng uỷ xã chỉ đạo", k=1, mode="keyword")[0]
    assert a == b and a.doc_id == "a.txt"


def test_build_refuses_a_folder_holding_other_files(tiny_corpus, tmp_path, fake):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("ghi chú của tôi", encoding="utf-8")
    with pytest.raises(qa.InvalidArgumentError, match="not empty and holds no index"):
        _build(tiny_corpus, folder, fake)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "ghi chú của tôi"


def test_build_refuses_extra_files_in_an_index_folder(tiny_corpus, tmp_path, fake):
    _build(tiny_corpus, tmp_path / "index", fake)
    (tmp_path / "index" / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(qa.InvalidArgumentError, match="did not write"):
        _build(tiny_corpus, tmp_path / "index", fake)
    assert (tmp_path / "index" / "notes.txt").exists()


@pytest.mark.parametrize("where", ["same", "inside", "containing"])
def test_build_refuses_the_corpus_as_index_folder(tiny_corpus, tmp_path, fake, where):
    folder = {"same": tiny_corpus, "inside": tiny_corpus / "idx", "containing": tiny_corpus.parent}[where]
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(qa.InvalidArgumentError, match="overlaps the corpus"):
        _build(tiny_corpus, folder, fake)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("question", ["Xa La Phu \udcff xep thu may", "\ud800", "hồ sơ \udfff"])
def test_question_with_a_lone_surrogate_is_a_clear_error(tiny_corpus, tmp_path, fake, question):
    # Issue 10 item 6: a TypeError with a traceback from deep inside the tokenizer.
    index = _build(tiny_corpus, tmp_path / "index", fake)
    for ask in (index.retrieve, index.answer):
        with pytest.raises(qa.InvalidArgumentError, match=r"not valid text: character \d+ is a lone surrogate"):
            ask(question)


def test_question_and_sources_of_the_wrong_type_say_so(tiny_corpus, tmp_path, fake):
    # Issue 10 item 12: bytes and ints were "question is empty"; sources=5 a raw TypeError.
    index = _build(tiny_corpus, tmp_path / "index", fake)
    for question, kind in ((b"h\xe1\xbb\x93 s\xc6\xa1", "bytes"), (5, "int"), (["hồ sơ"], "list")):
        with pytest.raises(qa.InvalidArgumentError, match=f"question must be a string .*got {kind}"):
            index.answer(question)
    with pytest.raises(qa.EmptyQuestionError):
        index.retrieve(None)
    for sources in (5, [1, 2], {"a.txt": 1}):
        with pytest.raises(qa.InvalidArgumentError, match="sources must be a list of source file names"):
            index.retrieve("hồ sơ", sources=sources)
    assert {h.doc_id for h in index.retrieve("hồ sơ", k=10, sources=("b.txt",))} == {"b.txt"}
    assert {h.doc_id for h in index.retrieve("hồ sơ", k=10, sources="b.txt")} == {"b.txt"}


def test_build_encodes_in_the_small_batches_measured_fastest(tiny_corpus, tmp_path, fake, monkeypatch):
    """Passages go to the encoder PASSAGE_BATCH at a time, sentences SENTENCE_BATCH at a time (README, Smaller batches)."""
    import qa.build as build
    import qa.embed

    monkeypatch.setattr(qa.embed, "PASSAGE_BATCH", 2)  # read by qa.embed.passage_batch for embedders without their own
    monkeypatch.setattr(build, "SENTENCE_BATCH", 3)
    calls = []
    embed = fake.embed_passages

    def recording(texts, *, batch_size=32, progress=False):
        calls.append((len(texts), batch_size))
        return embed(texts, batch_size=batch_size, progress=progress)

    fake.embed_passages = recording
    index = qa.build_index(tiny_corpus, tmp_path / "idx", model=fake, progress=False)
    passages = len(index)
    sizes = [n for n, _ in calls]
    assert sum(sizes) == passages + len(index.store.sentence_spans())  # each text once (sentences here are distinct)
    passage_calls = calls[: -(-passages // 2)]
    sentence_calls = calls[len(passage_calls):]
    assert [n for n, _ in passage_calls] == [2] * (passages // 2) + ([passages % 2] if passages % 2 else [])
    assert all(b == 2 for _, b in passage_calls) and all(b == 3 and n <= 3 for n, b in sentence_calls)
    assert sentence_calls
