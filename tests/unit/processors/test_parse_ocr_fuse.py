"""The recogniser graphs with fused hard-swish activations read exactly as the originals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


# ------------------------------------------------------------- a small graph built on the wire


def _message(*fields: tuple[int, int, bytes | int]) -> bytes:
    from reams.processors.parse.ocr import fuse

    return b"".join(fuse._field(number, kind, value) for number, kind, value in fields)


def _op(op: str, inputs: list[str], output: str, **ints: int | list[int]) -> bytes:
    fields: list[tuple[int, int, bytes | int]] = [(1, 2, name.encode()) for name in inputs]
    fields += [(2, 2, output.encode()), (4, 2, op.encode())]
    for name, value in ints.items():
        values = value if isinstance(value, list) else [value]
        kind = 7 if isinstance(value, list) else 2  # AttributeProto.INTS / INT
        number = 8 if isinstance(value, list) else 3
        items = ((number, 0, item) for item in values)
        fields.append((5, 2, _message((1, 2, name.encode()), *items, (20, 0, kind))))
    return _message(*fields)


def _value(name: str, shape: tuple[int, ...]) -> bytes:
    dims = _message(*((1, 2, _message((1, 0, dim))) for dim in shape))
    tensor_type = _message((1, 0, 1), (2, 2, dims))
    return _message((1, 2, name.encode()), (2, 2, _message((1, 2, tensor_type))))


def _model(nodes: list[bytes], constants: dict[str, object], outputs: list[str]) -> bytes:
    from reams.processors.parse.ocr import fuse

    graph = _message(
        *((1, 2, node) for node in nodes),
        (2, 2, b"g"),
        *((5, 2, fuse._tensor(name, value)) for name, value in constants.items()),
        (11, 2, _value("x", (1, 2, 5, 5))),
        *((12, 2, _value(name, ())) for name in outputs),
    )
    return _message((1, 0, 8), (8, 2, _message((2, 0, 12))), (7, 2, graph))


def _affine_chain_model(outputs: list[str]) -> bytes:
    """conv 1x1 -> *s1 +t1 -> *s2 +t2 -> depthwise conv 3x3 padded: both affines foldable."""
    rng = np.random.default_rng(3)
    constants: dict[str, object] = {
        "w1": rng.normal(size=(3, 2, 1, 1)).astype(np.float32),
        "b1": rng.normal(size=3).astype(np.float32),
        "w2": rng.normal(size=(3, 1, 3, 3)).astype(np.float32),
        "s1": 1.7,
        "t1": 0.4,
        "s2": 0.3,
        "t2": -0.8,
    }
    nodes = [
        _op("Conv", ["x", "w1", "b1"], "c1", kernel_shape=[1, 1], pads=[0, 0, 0, 0]),
        _op("Mul", ["s1", "c1"], "m1"),
        _op("Add", ["m1", "t1"], "a1"),
        _op("Mul", ["a1", "s2"], "m2"),
        _op("Add", ["m2", "t2"], "a2"),
        _op("Conv", ["a2", "w2"], "y", kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=3),
    ]
    return _model(nodes, constants, outputs)


def _run(model: bytes) -> list[np.ndarray]:
    session: Any = _session(model)
    sample = np.random.default_rng(4).normal(size=(1, 2, 5, 5)).astype(np.float32)
    return list(session.run(None, {"x": sample}))


def test_affines_before_and_after_convolutions_are_folded_exactly() -> None:
    original = _affine_chain_model(["y"])
    fused, count = fused_model(original)
    assert count == 2  # after the first convolution; the scale before the padded one
    expected, got = _run(original)[0], _run(fused)[0]
    assert got.shape == expected.shape == (1, 3, 5, 5)
    assert float(np.abs(expected - got).max()) < 1e-5  # the padded border included


def test_a_value_the_graph_outputs_is_not_folded_away() -> None:
    original = _affine_chain_model(["y", "c1"])
    fused, count = fused_model(original)
    assert count == 1  # only the affine before the second convolution
    for expected, got in zip(_run(original), _run(fused), strict=True):
        assert float(np.abs(expected - got).max()) < 1e-5


def _upsampling_model(group: int) -> bytes:
    """transposed conv 2x2 stride 2 -> + per-channel bias -> BatchNormalization -> y."""
    rng = np.random.default_rng(5)
    constants: dict[str, object] = {
        "w": rng.normal(size=(2, 4 // group, 2, 2)).astype(np.float32),
        "bias": rng.normal(size=(1, 4, 1, 1)).astype(np.float32),
        "gamma": rng.uniform(0.5, 2.0, size=4).astype(np.float32),
        "beta": rng.normal(size=4).astype(np.float32),
        "mean": rng.normal(size=4).astype(np.float32),
        "var": rng.uniform(0.1, 3.0, size=4).astype(np.float32),
    }
    nodes = [
        _op("ConvTranspose", ["x", "w"], "t", kernel_shape=[2, 2], strides=[2, 2], group=group),
        _op("Add", ["t", "bias"], "tb"),
        _op("BatchNormalization", ["tb", "gamma", "beta", "mean", "var"], "y"),
    ]
    return _model(nodes, constants, ["y"])


def _ops(model: bytes) -> list[str]:
    from reams.processors.parse.ocr import fuse

    graph = next(value for number, _, value in fuse._fields(model) if number == 7)
    assert isinstance(graph, bytes)
    return [fuse._node(value).op for number, _, value in fuse._fields(graph) if number == 1]


def test_a_transposed_convolution_takes_in_its_bias_and_normalization() -> None:
    original = _upsampling_model(group=1)
    fused, count = fused_model(original)
    assert count == 1
    assert _ops(fused) == ["ConvTranspose"]
    expected, got = _run(original)[0], _run(fused)[0]
    assert got.shape == expected.shape == (1, 4, 10, 10)
    assert float(np.abs(expected - got).max()) < 1e-5


def test_a_grouped_transposed_convolution_is_left_as_it_is() -> None:
    original = _upsampling_model(group=2)
    assert fused_model(original) == (original, 0)


def test_a_gated_residual_becomes_one_multiply_of_the_map() -> None:
    nodes = [
        _op("GlobalAveragePool", ["x"], "p"),
        _op("HardSigmoid", ["p"], "g"),
        _op("Mul", ["x", "g"], "m"),
        _op("Add", ["m", "x"], "y"),
    ]
    original = _model(nodes, {}, ["y"])
    fused, count = fused_model(original)
    assert count == 1
    assert _ops(fused) == ["GlobalAveragePool", "HardSigmoid", "Add", "Mul"]  # the Add: gate + 1
    expected, got = _run(original)[0], _run(fused)[0]
    assert got.shape == expected.shape == (1, 2, 5, 5)
    assert float(np.abs(expected - got).max()) < 1e-5


def _gated_adds(model: bytes) -> int:
    """How many Adds of a graph read a Mul by a HardSigmoid's output (``x + x * gate``)."""
    from reams.processors.parse.ocr import fuse

    graph = next(value for number, _, value in fuse._fields(model) if number == 7)
    assert isinstance(graph, bytes)
    nodes = [fuse._node(value) for number, _, value in fuse._fields(graph) if number == 1]
    gates = {node.outputs[0] for node in nodes if node.op == "HardSigmoid"}
    gated = {n.outputs[0] for n in nodes if n.op == "Mul" and gates & set(n.inputs)}
    return sum(1 for n in nodes if n.op == "Add" and gated & set(n.inputs))


def test_the_detector_loses_its_head_normalization_and_gate_adds() -> None:
    original = (MODELS / "ch_PP-OCRv4_det_infer.onnx").read_bytes()
    fused = fused_model(original)[0]
    before, after = _ops(original), _ops(fused)
    # the head: ConvTranspose -> Add -> BatchNormalization -> Relu -> ConvTranspose -> Sigmoid
    assert after.count("BatchNormalization") == before.count("BatchNormalization") - 1
    assert _gated_adds(original) >= 4  # RSE-FPN: a gated residual per input and output level
    assert _gated_adds(fused) == 0
