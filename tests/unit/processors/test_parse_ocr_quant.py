"""The recogniser's 8-bit form (ocr/quant.py): its graph, its ranges file and its setting."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ocr_fixtures import printed_image

rapidocr = pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")
ort = pytest.importorskip("onnxruntime")

from reams.processors.parse.ocr import quant, rapid  # noqa: E402
from reams.processors.parse.ocr.fuse import _field, fused_model  # noqa: E402

MODELS = Path(rapidocr.__file__).parent / "models"
REC = MODELS / "ch_PP-OCRv4_rec_infer.onnx"


def _session(model: bytes) -> Any:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def test_the_shipped_ranges_are_for_the_shipped_recogniser_and_quantize_every_convolution() -> None:
    import hashlib

    original = REC.read_bytes()
    ranges = quant.load_ranges()
    assert ranges.model_sha256 == hashlib.sha256(original).hexdigest()
    fused, _ = fused_model(original)
    assert set(ranges.tensors) == set(quant.conv_activations(fused))
    model, count = quant.quantized_model(fused, ranges.tensors)
    assert count == 51  # every convolution of PP-OCRv4's recogniser
    session = _session(model)
    line = np.random.default_rng(2).random((1, 3, 48, 320), dtype=np.float32) * 2 - 1
    steps = session.run(None, {session.get_inputs()[0].name: line})[0]
    assert steps.shape == (1, 40, 6625)
    assert np.allclose(steps.sum(axis=-1), 1.0, atol=1e-2)


def test_the_8_bit_engine_reads_the_letters_of_printed_lines_as_the_float_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = ("Invoice number 4711 is due on the first of March.", "TOTAL DUE 45.10 CASH 50.00")
    image = printed_image(lines, font="Helvetica", size=10, dpi=200)
    made: list[bool] = []
    quantized = rapid._quantized

    def recording(fused: bytes, original: bytes) -> tuple[bytes, bool]:
        model, done = quantized(fused, original)
        made.append(done)
        return model, done

    monkeypatch.setattr(rapid, "_quantized", recording)
    texts = {}
    for mode in ("off", "on"):
        monkeypatch.setenv("REAMS_OCR_INT8", mode)
        engine = rapid.RapidOcrEngine()
        texts[mode] = [box.text for box in engine.recognise(image)]
    assert made == [True]  # asked for once ("on"), and made
    assert sorted(texts["off"]) == sorted(lines)
    # The same letters; not always the same spaces: the 8-bit recogniser read "471 1" here once
    # (word spaces are put back from the per-step probabilities, which 8 bits perturb).
    assert sorted(t.replace(" ", "") for t in texts["on"]) == sorted(
        t.replace(" ", "") for t in lines
    )


def test_the_8_bit_model_is_built_the_same_every_time() -> None:
    """The quantized recogniser is made at load from the model file and the shipped ranges: two
    builds are the same bytes (no dict order, random sample or clock in it)."""
    fused, _ = fused_model(REC.read_bytes())
    ranges = quant.load_ranges().tensors
    first, count = quant.quantized_model(fused, ranges)
    assert count == 51
    assert quant.quantized_model(fused_model(REC.read_bytes())[0], dict(ranges)) == (first, 51)


def test_the_8_bit_recogniser_gives_the_float_ones_probabilities_on_printed_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Per output step, on the lines of small print: the total variation distance between the
    8-bit and the float recogniser's character distributions is at most 0.1 on average (0.03 to
    0.05 on the benchmark's lines; a wrong scale or zero point gives 0.5 and more) and the most
    likely character is the same at 90% of the steps or more (95% here: most of the others are
    a letter's edge read as blank by one and as the letter by the other)."""
    lines = (*_LINES, "SEATTLE GENERAL HOSPITAL 29/06/2018 8:26:57 AM")
    batches = _line_batches(printed_image(lines, font="Helvetica", size=9, dpi=200), monkeypatch)
    assert len(batches) == len(lines)
    fused, _ = fused_model(REC.read_bytes())
    model, _ = quant.quantized_model(fused, quant.load_ranges().tensors)
    float_session, int8_session = _session(fused), _session(model)
    distances, agree, steps = [], 0, 0
    for batch in batches:
        expected = float_session.run(None, {"x": batch})[0][0]
        got = int8_session.run(None, {"x": batch})[0][0]
        distances.append(float(0.5 * np.abs(expected - got).sum(axis=-1).mean()))
        agree += int((expected.argmax(-1) == got.argmax(-1)).sum())
        steps += expected.shape[0]
    assert float(np.mean(distances)) <= 0.1
    assert agree >= 0.9 * steps


_LINES = ("Invoice number 4711 is due on the first of March.", "TOTAL DUE 45.10 CASH 50.00")


def _line_batches(image: Any, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The recogniser's inputs for the lines of ``image``, as the float engine makes them."""
    monkeypatch.setenv("REAMS_OCR_INT8", "off")
    engine = rapid.RapidOcrEngine()
    session = engine._session
    batches: list[Any] = []

    def keep(batch: Any) -> Any:
        batches.append(batch.copy())
        return session(batch)

    engine._session = keep
    engine.recognise(image)
    return batches


def test_a_dead_channel_keeps_its_bias() -> None:
    """A channel whose weights are all but zero outputs its bias (PP-OCRv4 has such channels):
    its weight scale must leave that bias representable in 32 bits (2^31 units of ~1e-42 were
    about 0)."""
    weights = np.zeros((2, 2, 1, 1), np.float32)
    weights[0] = 0.5
    weights[1] = 3e-40  # as good as zero, as in the model
    bias = np.array([0.1, 0.75], np.float32)
    model = _conv_model(weights, bias)
    quantized, count = quant.quantized_model(model, {"x": (0.0, 1.0), "y": (0.0, 2.0)})
    assert count == 1
    x = np.full((1, 2, 3, 3), 0.5, np.float32)
    y = _session(quantized).run(None, {"x": x})[0]
    assert np.allclose(y[0, 0], 0.1 + 0.5, atol=0.02)
    assert np.allclose(y[0, 1], 0.75, atol=0.02)


def test_values_without_a_range_stay_float() -> None:
    model = _conv_model(np.ones((1, 1, 1, 1), np.float32), np.zeros(1, np.float32), channels=1)
    assert quant.quantized_model(model, {"x": (0.0, 1.0)}) == (model, 0)


def test_a_ranges_file_that_is_not_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ranges.json"
    path.write_text(json.dumps({"tensors": {"x": [0, 1]}}))
    with pytest.raises(ValueError, match="no activation ranges"):
        quant.load_ranges(path)
    path.write_text(json.dumps({"model_sha256": "0", "tensors": {"x": [0, "nan"]}}))
    with pytest.raises(ValueError, match="not finite"):
        quant.load_ranges(path)


def test_ranges_of_another_model_leave_it_float(monkeypatch: pytest.MonkeyPatch) -> None:
    fused, _ = fused_model(REC.read_bytes())
    assert rapid._quantized(fused, b"another model") == (fused, False)


@pytest.mark.parametrize(
    ("mode", "vnni", "wanted"),
    [("off", True, False), ("on", False, True), ("auto", True, True), ("auto", False, False)],
)
def test_the_setting(mode: str, vnni: bool, wanted: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REAMS_OCR_INT8", mode)
    monkeypatch.setattr(quant, "cpu_has_vnni", lambda: vnni)
    assert rapid._int8_wanted() is wanted


def test_a_bad_setting_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REAMS_OCR_INT8", "fast")
    with pytest.raises(ValueError, match="REAMS_OCR_INT8 must be auto, on or off"):
        rapid._int8_wanted()


def test_the_setting_is_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REAMS_OCR_INT8", raising=False)
    monkeypatch.setattr(quant, "cpu_has_vnni", lambda: True)
    assert rapid._int8_wanted() is False


# ------------------------------------------------------------- a one-convolution model, by hand


def _conv_model(weights: Any, bias: Any, *, channels: int = 2) -> bytes:
    def tensor(name: str, values: Any) -> bytes:
        array = np.asarray(values, "<f4")
        out = b"".join(_field(1, 0, int(dim)) for dim in array.shape)
        return out + _field(2, 0, 1) + _field(8, 2, name.encode()) + _field(9, 2, array.tobytes())

    def value_info(name: str) -> bytes:
        shape = b"".join(
            _field(1, 2, _field(1, 0, dim)) for dim in (1, channels, 3, 3)
        )  # TensorShapeProto.dim.dim_value
        tensor_type = _field(1, 0, 1) + _field(2, 2, shape)  # elem_type float, shape
        return _field(1, 2, name.encode()) + _field(2, 2, _field(1, 2, tensor_type))

    node = (
        _field(1, 2, b"x") + _field(1, 2, b"w") + _field(1, 2, b"b") + _field(2, 2, b"y")
    ) + _field(4, 2, b"Conv")
    graph = (
        _field(1, 2, node)
        + _field(2, 2, b"one_conv")
        + _field(5, 2, tensor("w", weights))
        + _field(5, 2, tensor("b", bias))
        + _field(11, 2, value_info("x"))
        + _field(12, 2, value_info("y"))
    )
    opset = _field(1, 2, b"") + _field(2, 0, 12)
    return _field(1, 0, 7) + _field(8, 2, opset) + _field(7, 2, graph)
