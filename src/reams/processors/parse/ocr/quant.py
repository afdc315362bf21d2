"""The recogniser's convolutions in 8-bit integers, with activation ranges calibrated offline.

Convolutions are 85% of the recogniser's time (ONNX Runtime's profile of a 640-pixel line), and
on a CPU with VNNI instructions (AVX512-VNNI or AVX-VNNI) ONNX Runtime runs an 8-bit convolution
faster than a float one: all 51 take 8.7 instead of 21.7 ms on that line. What is between them
must stay in bytes too, or the conversions cost more than that saves (measured: 15 instead of
13 ms a line with the hard-swish activations left in floats), so ``x * HardSigmoid(x)`` is
written as an Add and a Mul on quantized values (see :meth:`_Builder.swish`); the recogniser
then takes about 10 instead of 13 ms a line. The graph (already rewritten by :mod:`fuse`) is given
ONNX's standard "QDQ" form: every convolution reads ``DequantizeLinear(QuantizeLinear(x))`` of
its input and of its weights, and its output passes through the same pair, which ONNX Runtime's
optimiser turns into one ``QLinearConv`` working on bytes.

* Weights: signed 8-bit, one scale per output channel (its largest absolute weight / 127), zero
  point 0; computed here from the float weights at load.
* Bias: 32-bit integers in units of input scale x weight scale, as ``QLinearConv`` wants.
* Activations: unsigned 8-bit, one scale and zero point per tensor, from the range each tensor
  takes on calibration lines. Those ranges are not computed at run time: they were measured once
  on lines of the benchmark's dev pages (``bench/ocr_calibrate.py``) and ship as a small JSON file
  (:data:`RANGES`) keyed by the tensor names of the fused graph, with the SHA-256 of the model
  file they were measured on. Another model, or a tensor without a range, stays float.

:func:`quantized_model` returns the rewritten model's bytes and how many convolutions it
quantized. The engine can only check that it gives probabilities on a sample (8 bits do not read
noise as floats do); its accuracy is the OCR benchmark's to show (``bench/ocr_quality.py`` with
``REAMS_OCR_INT8=on``): word F1 as the float recogniser's with the shipped ranges. Its
stability is ``bench/ocr_calibrate.py --check``'s: ranges measured on other samples of the same
dev pages read 7 to 9% of the invoice lines differently from floats (noise of 2 grey levels:
4%) and move a set's word F1 by -0.011 to +0.008, the error spread over all the convolutions,
not a few sensitive ones.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reams.processors.parse.ocr.fuse import (
    _FLOAT_TYPE,
    _GRAPH_INITIALIZER,
    _GRAPH_NODE,
    _GRAPH_OUTPUT,
    _LENGTH_DELIMITED,
    _MODEL_GRAPH,
    _NODE_ATTRIBUTE,
    _NODE_INPUT,
    _NODE_NAME,
    _NODE_OP,
    _NODE_OUTPUT,
    _TENSOR_DIMS,
    _TENSOR_NAME,
    _TENSOR_RAW,
    _TENSOR_TYPE,
    _VARINT,
    WireError,
    _field,
    _fields,
    _float_tensors,
    _foldable_conv,
    _Node,
    _node,
)

RANGES = Path(__file__).with_name("rec_int8_ranges.json")
_UINT8, _INT8, _INT32 = 2, 3, 6  # TensorProto data types
_ATTRIBUTE_INT_TYPE = 2
_MODEL_OPSET, _NODE_DOMAIN = 8, 7  # ModelProto.opset_import, NodeProto.domain
_DOMAIN = "com.microsoft"


@dataclass(frozen=True, slots=True)
class Ranges:
    """Activation ranges measured on calibration lines, for one model file."""

    model_sha256: str
    tensors: dict[str, tuple[float, float]]


def cpu_has_vnni() -> bool:
    """Whether this CPU has 8-bit dot-product instructions (AVX512-VNNI or AVX-VNNI), where
    ONNX Runtime's 8-bit convolutions are the faster; read from /proc/cpuinfo (False where
    there is none)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    for line in text.splitlines():
        if line.startswith("flags"):
            flags = set(line.partition(":")[2].split())
            return bool(flags & {"avx512_vnni", "avx_vnni"})
    return False


def load_ranges(path: Path | None = None) -> Ranges:
    """The ranges stored at ``path`` (default :data:`RANGES`); ValueError when the file is not
    such a file."""
    path = path or RANGES
    data = json.loads(path.read_text(encoding="utf-8"))
    try:
        tensors = {
            str(name): (float(low), float(high)) for name, (low, high) in data["tensors"].items()
        }
        ranges = Ranges(str(data["model_sha256"]), tensors)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path} holds no activation ranges: {exc}") from exc
    if any(not (math.isfinite(low) and math.isfinite(high)) for low, high in tensors.values()):
        raise ValueError(f"{path} holds a range that is not finite")
    return ranges


def conv_activations(model: bytes) -> list[str]:
    """The names of the values the convolutions of ``model`` read and write, in graph order:
    what calibration measures."""
    graph = _graph(model)
    nodes = [_node(value) for number, _, value in _fields(graph) if number == _GRAPH_NODE]
    names: dict[str, None] = {}
    for node in nodes:
        if node.op == "Conv" and len(node.inputs) >= 2 and len(node.outputs) == 1:
            names[node.inputs[0]] = None
            names[node.outputs[0]] = None
    return list(names)


def with_outputs(model: bytes, names: list[str]) -> bytes:
    """``model`` with the values ``names`` added to its graph's outputs (for calibration)."""
    extra = bytearray()
    for name in names:
        info = _field(1, _LENGTH_DELIMITED, name.encode())  # ValueInfoProto.name
        extra += _field(_GRAPH_OUTPUT, _LENGTH_DELIMITED, info)
    return _replace_graph(model, _graph(model) + bytes(extra))


def quantized_model(model: bytes, ranges: dict[str, tuple[float, float]]) -> tuple[bytes, int]:
    """``model`` with every convolution whose input and output have a range in ``ranges``
    written in QDQ form (8-bit input, weights and output), and how many that was."""
    graph = _graph(model)
    fields = list(_fields(graph))
    nodes = [_node(value) for number, _, value in fields if number == _GRAPH_NODE]
    tensors = _float_tensors(nodes, fields)
    chosen = [
        node
        for node in nodes
        if _quantizable(node, tensors) and node.inputs[0] in ranges and node.outputs[0] in ranges
    ]
    if not chosen:
        return model, 0
    build = _Builder()
    for node in chosen:
        for value in (node.inputs[0], node.outputs[0]):
            build.activation(value, ranges[value])
    swishes = _hard_swishes(nodes, build.scales, ranges)
    for _, multiply in swishes:
        build.activation(multiply.outputs[0], ranges[multiply.outputs[0]])
    for node in chosen:
        build.convolution(node, tensors)
    if swishes:
        build.constants_of_swish()
    for sigmoid, _ in swishes:
        build.swish(sigmoid)
    return _replace_graph(model, build.graph(fields, nodes)), len(chosen)


class _Builder:
    """The new nodes and initializers of a quantized graph, and the nodes they replace."""

    def __init__(self) -> None:
        self.scales: dict[str, tuple[float, int]] = {}  # value -> (scale, zero point)
        self.initializers = bytearray()
        self.head = bytearray()  # nodes placed first: the weights' DequantizeLinear
        self.after: dict[str, bytes] = {}  # value -> the Q and DQ nodes following its producer
        self.replaced: dict[int, bytes] = {}  # id(node) -> the node fields replacing it

    def initializer(self, name: str, values: Any, kind: int) -> str:
        self.initializers += _field(
            _GRAPH_INITIALIZER, _LENGTH_DELIMITED, _tensor(name, values, kind)
        )
        return name

    def dequantized(self, value: str) -> str:
        return f"reams_q{list(self.scales).index(value)}_dq_out"

    def activation(self, value: str, bounds: tuple[float, float]) -> None:
        """One QuantizeLinear / DequantizeLinear pair for ``value``, after its producer."""
        import numpy as np

        if value in self.scales:
            return
        scale, zero = _activation_scale(*bounds)
        name = f"reams_q{len(self.scales)}"
        self.scales[value] = (scale, zero)
        self.initializer(f"{name}_scale", np.float32(scale), _FLOAT_TYPE)
        self.initializer(f"{name}_zero", np.uint8(zero), _UINT8)
        self.after[value] = _node_field(
            "QuantizeLinear", [value, f"{name}_scale", f"{name}_zero"], f"{name}_u8", f"{name}_q"
        ) + _node_field(
            "DequantizeLinear",
            [f"{name}_u8", f"{name}_scale", f"{name}_zero"],
            f"{name}_dq_out",
            f"{name}_dq",
        )

    def channel_constant(self, name: str, integers: Any, scale: Any, kind: int) -> str:
        """The value that dequantizes the constant ``integers`` (zero point 0) by one ``scale``
        per output channel (axis 0): the initializers and the DequantizeLinear node."""
        import numpy as np

        self.initializer(name, integers, kind)
        self.initializer(f"{name}s", scale, _FLOAT_TYPE)
        self.initializer(f"{name}z", np.zeros(integers.shape[0], integers.dtype), kind)
        self.head += _node_field(
            "DequantizeLinear",
            [name, f"{name}s", f"{name}z"],
            f"{name}dq",
            f"{name}dq_node",
            axis=0,
        )
        return f"{name}dq"

    def convolution(self, node: _Node, tensors: dict[str, Any]) -> None:
        """``node`` reading its input dequantized and its weights and bias as integers."""
        import numpy as np

        name = f"reams_qconv{len(self.replaced)}"
        input_scale = self.scales[node.inputs[0]][0]
        weights = tensors[node.inputs[1]]
        bias = tensors[node.inputs[2]] if len(node.inputs) == 3 else None
        peak = np.abs(weights).reshape(weights.shape[0], -1).max(axis=1)
        # A channel whose weights are (all but) zero (the model has such dead channels) outputs
        # its bias: its weight scale must stay large enough for that bias to fit 31 bits.
        floor = np.full(weights.shape[0], 1e-12, np.float32)
        if bias is not None:
            floor = np.maximum(floor, np.abs(bias) / (input_scale * 2.0**30))
        weight_scale = np.maximum(peak / 127.0, floor).astype(np.float32)
        shape = (-1,) + (1,) * (weights.ndim - 1)
        integers = np.clip(np.rint(weights / weight_scale.reshape(shape)), -127, 127)
        inputs = [
            self.dequantized(node.inputs[0]),
            self.channel_constant(f"{name}_w", integers.astype(np.int8), weight_scale, _INT8),
        ]
        if bias is not None:
            bias_scale = (input_scale * weight_scale).astype(np.float32)
            limit = 2**31 - 1
            integer = np.clip(np.rint(bias / bias_scale), -limit, limit).astype(np.int32)
            inputs.append(self.channel_constant(f"{name}_b", integer, bias_scale, _INT32))
        self.replaced[id(node)] = _field(_GRAPH_NODE, _LENGTH_DELIMITED, _with_inputs(node, inputs))

    def constants_of_swish(self) -> None:
        import numpy as np

        self.initializer("reams_three", np.uint8(255), _UINT8)
        self.initializer("reams_three_scale", np.float32(3.0 / 255.0), _FLOAT_TYPE)
        self.initializer("reams_sixth_scale", np.float32(1.0 / 255.0), _FLOAT_TYPE)
        self.initializer("reams_six_scale", np.float32(6.0 / 255.0), _FLOAT_TYPE)
        self.initializer("reams_zero", np.uint8(0), _UINT8)
        self.head += _node_field(
            "DequantizeLinear",
            ["reams_three", "reams_three_scale", "reams_zero"],
            "reams_three_dq",
            "reams_three_dq_node",
        )

    def swish(self, sigmoid: _Node) -> None:
        """``HardSigmoid(x)`` of ``x * HardSigmoid(x)`` on bytes.

        clip(x + 3, 0, 6) is x + 3 quantized with scale 6/255 and zero point 0 (the byte's
        range does the clipping); read back with scale 1/255 it is clip(x + 3, 0, 6) / 6, which
        the Mul multiplies by x. ONNX Runtime runs the Add and the Mul as QLinearAdd and
        QLinearMul between two QLinearConv, so the values stay bytes throughout.
        """
        name = f"reams_swish{len(self.replaced)}"
        x = self.dequantized(sigmoid.inputs[0])
        self.replaced[id(sigmoid)] = (
            _node_field("Add", [x, "reams_three_dq"], f"{name}_sum", f"{name}_add", domain="")
            + _node_field(
                "QuantizeLinear",
                [f"{name}_sum", "reams_six_scale", "reams_zero"],
                f"{name}_u8",
                f"{name}_q",
            )
            + _node_field(
                "DequantizeLinear",
                [f"{name}_u8", "reams_sixth_scale", "reams_zero"],
                sigmoid.outputs[0],
                f"{name}_dq",
            )
        )

    def graph(self, fields: list[tuple[int, int, bytes | int]], nodes: list[_Node]) -> bytes:
        """The graph's fields with the new nodes in place: every other reader of a quantized
        value reads it dequantized too, so that ONNX Runtime keeps the value in bytes between
        two quantized convolutions. Nodes first, then the rest of the graph, then the new
        initializers."""
        out = bytearray()
        graph_inputs = _graph_inputs(fields)
        for value in self.scales:
            if value in graph_inputs:
                out += self.after[value]
        out += self.head
        dequantized = {value: self.dequantized(value) for value in self.scales}
        for node in nodes:
            raw = self.replaced.get(id(node))
            if raw is None:
                raw = _field(
                    _GRAPH_NODE, _LENGTH_DELIMITED, _reading_dequantized(node, dequantized)
                )
            out += raw
            for output in node.outputs:
                out += self.after.get(output, b"")
        for number, kind, content in fields:
            if number != _GRAPH_NODE:
                out += _field(number, kind, content)
        return bytes(out + self.initializers)


def _hard_swishes(
    nodes: list[_Node], activations: dict[str, tuple[float, int]], ranges: dict[str, Any]
) -> list[tuple[_Node, _Node]]:
    """(HardSigmoid, Mul) of each ``x * HardSigmoid(x)`` (alpha 1/6, beta 1/2) whose ``x`` is
    quantized and whose result has a range, the HardSigmoid read by that Mul alone."""
    readers: dict[str, list[_Node]] = {}
    for node in nodes:
        for value in node.inputs:
            readers.setdefault(value, []).append(node)
    found: list[tuple[_Node, _Node]] = []
    for node in nodes:
        if node.op != "HardSigmoid" or len(node.inputs) != 1 or len(node.outputs) != 1:
            continue
        if node.inputs[0] not in activations or not _is_hard_sigmoid(node):
            continue
        gate_readers = readers.get(node.outputs[0], [])
        if len(gate_readers) != 1:
            continue
        multiply = gate_readers[0]
        if multiply.op != "Mul" or sorted(multiply.inputs) != sorted(
            [node.inputs[0], node.outputs[0]]
        ):
            continue
        if multiply.outputs[0] in ranges:
            found.append((node, multiply))
    return found


def _is_hard_sigmoid(node: _Node) -> bool:
    import struct

    values = {"alpha": 0.2, "beta": 0.5}
    for number, _, value in _fields(node.raw):
        if number == _NODE_ATTRIBUTE and isinstance(value, bytes):
            name = ""
            number_value = None
            for key, _, item in _fields(value):
                if key == 1 and isinstance(item, bytes):
                    name = item.decode()
                elif key == 2 and isinstance(item, bytes):
                    number_value = struct.unpack("<f", item)[0]
            if name in values and number_value is not None:
                values[name] = number_value
    return abs(values["alpha"] - 1 / 6) < 1e-6 and abs(values["beta"] - 0.5) < 1e-6


def _activation_scale(low: float, high: float) -> tuple[float, int]:
    """Scale and unsigned 8-bit zero point covering [low, high] (widened to hold 0)."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high - low <= 0.0:
        return 1.0, 0
    scale = (high - low) / 255.0
    zero = round(-low / scale)
    return scale, min(255, max(0, zero))


def _quantizable(node: _Node, tensors: dict[str, Any]) -> bool:
    """A 2-D convolution with constant float weights (and bias), one output: the convolutions
    ``fuse`` can fold into, the same test."""
    return _foldable_conv(node, tensors) is not None


def _graph(model: bytes) -> bytes:
    graphs = [value for number, kind, value in _fields(model) if number == _MODEL_GRAPH]
    if len(graphs) != 1 or not isinstance(graphs[0], bytes):
        raise WireError("the model has no single graph")
    return graphs[0]


def _replace_graph(model: bytes, graph: bytes) -> bytes:
    """``model`` with ``graph`` as its graph, importing ONNX Runtime's domain if it does not."""
    out = bytearray()
    domains: set[str] = set()
    for number, kind, value in _fields(model):
        out += _field(number, kind, graph if number == _MODEL_GRAPH else value)
        if number == _MODEL_OPSET and isinstance(value, bytes):
            domains.update(
                text.decode()
                for key, _, text in _fields(value)
                if key == 1 and isinstance(text, bytes)
            )
    if _DOMAIN not in domains:
        opset = _field(1, _LENGTH_DELIMITED, _DOMAIN.encode()) + _field(2, _VARINT, 1)
        out += _field(_MODEL_OPSET, _LENGTH_DELIMITED, opset)
    return bytes(out)


def _graph_inputs(fields: list[tuple[int, int, bytes | int]]) -> set[str]:
    names: set[str] = set()
    for number, _, value in fields:
        if number == 11 and isinstance(value, bytes):  # GraphProto.input
            for key, _, text in _fields(value):
                if key == 1 and isinstance(text, bytes):
                    names.add(text.decode())
    return names


def _node_field(
    op: str,
    inputs: list[str],
    output: str,
    name: str,
    *,
    axis: int | None = None,
    domain: str = "com.microsoft",
) -> bytes:
    """A node as a GraphProto.node field. QuantizeLinear and DequantizeLinear are ONNX Runtime's
    own (``com.microsoft``), whose ``axis`` (one scale per channel) does not need the model's
    opset raised to 13, which would change the meaning of some of its other operators."""
    out = bytearray()
    for value in inputs:
        out += _field(_NODE_INPUT, _LENGTH_DELIMITED, value.encode())
    out += _field(_NODE_OUTPUT, _LENGTH_DELIMITED, output.encode())
    out += _field(_NODE_NAME, _LENGTH_DELIMITED, name.encode())
    out += _field(_NODE_OP, _LENGTH_DELIMITED, op.encode())
    if domain:
        out += _field(_NODE_DOMAIN, _LENGTH_DELIMITED, domain.encode())
    if axis is not None:
        attribute = (
            _field(1, _LENGTH_DELIMITED, b"axis")  # AttributeProto.name
            + _field(3, _VARINT, axis)  # AttributeProto.i
            + _field(20, _VARINT, _ATTRIBUTE_INT_TYPE)  # AttributeProto.type
        )
        out += _field(_NODE_ATTRIBUTE, _LENGTH_DELIMITED, attribute)
    return _field(_GRAPH_NODE, _LENGTH_DELIMITED, bytes(out))


def _with_inputs(node: _Node, inputs: list[str]) -> bytes:
    out = bytearray()
    for name in inputs:
        out += _field(_NODE_INPUT, _LENGTH_DELIMITED, name.encode())
    for number, kind, value in _fields(node.raw):
        if number != _NODE_INPUT:
            out += _field(number, kind, value)
    return bytes(out)


def _reading_dequantized(node: _Node, dequantized: dict[str, str]) -> bytes:
    """``node``'s bytes with each input that has a dequantized copy reading that copy (but a
    QuantizeLinear node of this module keeps reading the float value it quantizes)."""
    if not any(value in dequantized for value in node.inputs):
        return node.raw
    out = bytearray()
    for number, kind, value in _fields(node.raw):
        if number == _NODE_INPUT and isinstance(value, bytes):
            out += _field(number, kind, dequantized.get(value.decode(), value.decode()).encode())
        else:
            out += _field(number, kind, value)
    return bytes(out)


def _tensor(name: str, values: Any, kind: int) -> bytes:
    """A TensorProto named ``name`` of data type ``kind`` holding ``values``."""
    import numpy as np

    dtype = {_FLOAT_TYPE: "<f4", _UINT8: "u1", _INT8: "i1", _INT32: "<i4"}[kind]
    array = np.asarray(values, dtype=dtype)
    out = bytearray()
    for dim in array.shape:
        out += _field(_TENSOR_DIMS, _VARINT, int(dim))
    out += _field(_TENSOR_TYPE, _VARINT, kind)
    out += _field(_TENSOR_NAME, _LENGTH_DELIMITED, name.encode())
    out += _field(_TENSOR_RAW, _LENGTH_DELIMITED, array.tobytes())
    return bytes(out)
