"""Measure the channel ranges the int8 export smooths away; writes qa/int8_smoothing.npz.

    python scripts/calibrate_int8.py --corpus corpus --vas ../shared/data/vi-answer-selection.json

The int8 encoder quantises each activation tensor with one scale per batch, so a few channels with
a wide range cost all the others their precision. `qa.model._smooth` evens the ranges out before
quantising (SmoothQuant); it needs, for every weight product of the fp32 graph, the largest |value|
each input channel takes. This script measures them by running the fused fp32 graph (exported here
from the bundled weights, as `qa/model.py` does) on calibration texts: the passages of the sample
corpus and a seeded sample of vi-answer-selection snippets. MLQA-vi, on which the encoder is
measured, is not used. Deterministic: same weights and texts, same file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qa.chunk import ChunkSettings, chunk_article, make_splitter  # noqa: E402
from qa.cli import set_offline_environment  # noqa: E402
from qa.embed import padded_batch  # noqa: E402
from qa.ingest import read_corpus  # noqa: E402
from qa.model import SMOOTHING_FILE, UNFUSED, default_model_path, export_fused_fp32, quantised_products  # noqa: E402
from qa.text import normalize  # noqa: E402

SNIPPETS = 120
SEED = 0
BATCH = 8


def calibration_texts(corpus: Path, vas: Path, tokenizer, seed: int = SEED) -> list[str]:
    articles, _ = read_corpus(corpus)
    def count(text: str) -> int:
        return len(tokenizer.encode(text, add_special_tokens=False).ids)
    splitter = make_splitter(count, ChunkSettings(), 500)
    texts = [normalize(c.text) for a in articles for c in chunk_article(a, splitter)]
    data = json.loads(vas.read_text(encoding="utf-8"))
    snippets = sorted({normalize(p["context"]) for a in data["data"] for p in a["paragraphs"]})
    texts += random.Random(seed).sample(snippets, min(SNIPPETS, len(snippets)))
    return texts


def input_maxima(fp32: Path, texts: list[str], tokenizer) -> list[np.ndarray]:
    """For each weight product of the graph at `fp32`, in order, the largest |value| of each input channel."""
    import onnx
    import onnxruntime as ort
    from onnx import helper

    model = onnx.load(str(fp32))
    order = [n.input[0] for n in quantised_products(model.graph)]
    inputs = list(dict.fromkeys(order))
    for name in inputs:
        model.graph.output.append(helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    probe = fp32.with_name("probe.onnx")
    onnx.save(model, str(probe))
    del model
    session = ort.InferenceSession(str(probe), providers=["CPUExecutionProvider"], disabled_optimizers=UNFUSED)
    peak = dict.fromkeys(inputs, None)
    for start in range(0, len(texts), BATCH):
        ids, mask, _ = padded_batch(tokenizer, ["passage: " + t for t in texts[start : start + BATCH]])
        for name, values in zip(inputs, session.run(inputs, {"input_ids": ids, "attention_mask": mask}), strict=True):
            top = np.abs(values[mask.astype(bool)]).max(axis=0)
            peak[name] = top if peak[name] is None else np.maximum(peak[name], top)
    return [peak[name].astype(np.float32) for name in order]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--vas", type=Path, required=True, help="vi-answer-selection.json")
    parser.add_argument("--out", type=Path, default=SMOOTHING_FILE)
    parser.add_argument("--seed", type=int, default=SEED, help="which snippets are drawn (the committed file: 0)")
    args = parser.parse_args()
    set_offline_environment()
    from tokenizers import Tokenizer

    source = default_model_path()
    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    tokenizer.enable_truncation(512)
    texts = calibration_texts(args.corpus, args.vas, tokenizer, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = export_fused_fp32(source, Path(tmp) / "model.onnx")
        maxima = input_maxima(fp32, texts, tokenizer)
    np.savez_compressed(args.out, **{f"input_max_{k}": m for k, m in enumerate(maxima)})
    print(f"{args.out}: input maxima of {len(maxima)} weight products from {len(texts)} texts "
          f"(largest {max(float(m.max()) for m in maxima):.1f})")


if __name__ == "__main__":
    main()
