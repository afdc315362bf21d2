"""The recogniser graphs with fused hard-swish activations read exactly as the originals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reams.processors.parse.ocr.fuse import WireError, fused_model

rapidocr = pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")
ort = pytest.importorskip("onnxruntime")

MODELS = Path(rapidocr.__file__).parent / "models"


def _session(model: bytes) -> object:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("ch_PP-OCRv4_rec_infer.onnx", (1, 3, 48, 200)),
        ("ch_PP-OCRv4_det_infer.onnx", (1, 3, 96, 128)),
        ("ch_ppocr_mobile_v2.0_cls_infer.onnx", (2, 3, 48, 192)),
    ],
)
def test_fused_models_compute_what_the_originals_do(name: str, shape: tuple[int, ...]) -> None:
    original = (MODELS / name).read_bytes()
    fused, count = fused_model(original)
    assert count > 0 and fused != original
    sample = np.random.default_rng(1).random(shape, dtype=np.float32) * 2 - 1
    outputs = []
    for model in (original, fused):
        session = _session(model)
        outputs.append(session.run(None, {session.get_inputs()[0].name: sample})[0])  # type: ignore[attr-defined]
    assert outputs[0].shape == outputs[1].shape
    assert float(np.abs(outputs[0] - outputs[1]).max()) < 1e-4


def test_a_fused_model_is_not_fused_again() -> None:
    fused, _ = fused_model((MODELS / "ch_PP-OCRv4_rec_infer.onnx").read_bytes())
    again, count = fused_model(fused)
    assert (again, count) == (fused, 0)


def test_bytes_that_are_no_model_are_refused() -> None:
    with pytest.raises(WireError):
        fused_model(b"\x3a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff")  # a varint that never ends
    with pytest.raises(WireError):
        fused_model(b"\x08\x07")  # a message without a graph


def _readers_of_convolutions(model: bytes) -> list[str]:
    """What reads each convolution's output in a model's graph: an operation's name, or
    "scale" for a multiply by a scalar constant."""
    from reams.processors.parse.ocr import fuse

    graph = next(value for number, _, value in fuse._fields(model) if number == 7)
    assert isinstance(graph, bytes)
    fields = list(fuse._fields(graph))
    nodes = [fuse._node(value) for number, _, value in fields if number == 1]
    constants = fuse._scalar_constants(nodes, fields)
    outputs = {node.outputs[0] for node in nodes if node.op == "Conv"}
    return [
        "scale" if node.op == "Mul" and set(node.inputs) & set(constants) else node.op
        for node in nodes
        if outputs & set(node.inputs)
    ]


def test_the_affine_after_each_convolution_is_folded_into_it() -> None:
    original = (MODELS / "ch_PP-OCRv4_rec_infer.onnx").read_bytes()
    before = _readers_of_convolutions(original)
    after = _readers_of_convolutions(fused_model(original)[0])
    assert before.count("scale") >= 25  # PPLCNetV3: a learnable affine after its convolutions
    assert after.count("scale") == 0
    # the activation x * HardSigmoid(x) now reads the convolution itself
    assert after.count("HardSigmoid") == before.count("HardSigmoid") + before.count("scale")
