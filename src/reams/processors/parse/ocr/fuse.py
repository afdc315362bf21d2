"""A faster copy of rapidocr's recogniser graph: its hard-swish activations in two operations.

PaddleOCR exports the hard-swish activation ``x * clip(x + 3, 0, 6) / 6`` as four element-wise
operations (Add, Clip, Mul, Div), which ONNX Runtime does not fuse: on a 48-pixel line they are
over half of the recogniser's time, each a full pass over the feature maps. The same function is
``x * HardSigmoid(x)`` with alpha 1/6 and beta 1/2, two operations of ONNX opset 6, which the
graph here is rewritten to use. The model file is read and rewritten in memory at load (nothing is
written or downloaded), at the protobuf wire level, so no ``onnx`` package is needed; a pattern
that does not match exactly is left as it is.

:func:`fused_model` returns the rewritten model's bytes and how many activations it rewrote; the
engine checks the rewritten graph against the original on a sample line before using it.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

_ALPHA, _BETA = 1.0 / 6.0, 0.5
_LENGTH_DELIMITED, _FIXED32, _VARINT, _FIXED64 = 2, 5, 0, 1
# Field numbers of the ONNX protobuf messages used here.
_MODEL_GRAPH = 7
_GRAPH_NODE, _GRAPH_INITIALIZER = 1, 5
_NODE_INPUT, _NODE_OUTPUT, _NODE_NAME, _NODE_OP, _NODE_ATTRIBUTE = 1, 2, 3, 4, 5
_ATTRIBUTE_NAME, _ATTRIBUTE_FLOAT, _ATTRIBUTE_TYPE, _ATTRIBUTE_TENSOR = 1, 2, 20, 5
_TENSOR_DIMS, _TENSOR_TYPE, _TENSOR_FLOATS, _TENSOR_RAW = 1, 2, 4, 9
_FLOAT_TYPE = 1


class WireError(ValueError):
    """The bytes are not the protobuf message they should be."""


@dataclass(slots=True)
class _Node:
    raw: bytes
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    op: str = ""


def fused_model(model: bytes) -> tuple[bytes, int]:
    """``model`` with every hard-swish written as HardSigmoid and Mul, and how many there were."""
    fields = list(_fields(model))
    graphs = [value for number, kind, value in fields if number == _MODEL_GRAPH and kind == 2]
    if len(graphs) != 1 or not isinstance(graphs[0], bytes):
        raise WireError("the model has no single graph")
    graph, count = _fused_graph(graphs[0])
    out = bytearray()
    for number, kind, value in fields:
        out += _field(number, kind, graph if number == _MODEL_GRAPH else value)
    return bytes(out), count


def _fused_graph(graph: bytes) -> tuple[bytes, int]:
    fields = list(_fields(graph))
    nodes = [_node(value) for number, kind, value in fields if number == _GRAPH_NODE]
    constants = _scalar_constants(nodes, fields)
    producer = {output: node for node in nodes for output in node.outputs}
    uses: dict[str, int] = {}
    for node in nodes:
        for name in node.inputs:
            uses[name] = uses.get(name, 0) + 1
    replaced: dict[int, bytes | None] = {}  # id(node) -> its new bytes, None to drop it
    count = 0
    for divide in nodes:
        match = _hard_swish(divide, producer, constants, uses)
        if match is None or any(id(node) in replaced for node in match):
            continue
        add, clip, multiply = match
        x = add.inputs[0] if add.inputs[0] not in constants else add.inputs[1]
        replaced[id(add)] = _hard_sigmoid(x, clip.outputs[0], name=f"reams_hardsigmoid_{count}")
        replaced[id(clip)] = None
        replaced[id(multiply)] = _renamed_output(multiply, divide.outputs[0])
        replaced[id(divide)] = None
        count += 1
    out = bytearray()
    node_index = 0
    for number, kind, value in fields:
        if number == _GRAPH_NODE:
            node = nodes[node_index]
            node_index += 1
            if id(node) in replaced:
                new = replaced[id(node)]
                if new is not None:
                    out += _field(number, kind, new)
                continue
        out += _field(number, kind, value)
    return bytes(out), count


def _hard_swish(
    divide: _Node, producer: dict[str, _Node], constants: dict[str, float], uses: dict[str, int]
) -> tuple[_Node, _Node, _Node] | None:
    """(Add, Clip, Mul) when ``divide`` ends ``x * clip(x + 3, 0, 6) / 6``, each step used once."""
    if divide.op != "Div" or len(divide.inputs) != 2 or constants.get(divide.inputs[1]) != 6.0:
        return None
    multiply = producer.get(divide.inputs[0])
    if multiply is None or multiply.op != "Mul" or len(multiply.inputs) != 2:
        return None
    for x, clipped in (multiply.inputs, reversed(multiply.inputs)):
        clip = producer.get(clipped)
        if clip is None or clip.op != "Clip" or len(clip.inputs) != 3:
            continue
        if (constants.get(clip.inputs[1]), constants.get(clip.inputs[2])) != (0.0, 6.0):
            continue
        add = producer.get(clip.inputs[0])
        if add is None or add.op != "Add" or x not in add.inputs:
            continue
        if constants.get(_other(add, x)) != 3.0:
            continue
        private = (add.outputs[0], clip.outputs[0], multiply.outputs[0])
        if all(uses.get(name) == 1 for name in private):
            return add, clip, multiply
    return None


def _other(node: _Node, name: str) -> str:
    others = [value for value in node.inputs if value != name]
    return others[0] if len(others) == 1 else ""


def _scalar_constants(
    nodes: list[_Node], fields: list[tuple[int, int, bytes | int]]
) -> dict[str, float]:
    """Names of one-element float tensors (Constant nodes and initializers) and their values."""
    constants: dict[str, float] = {}
    for node in nodes:
        if node.op != "Constant" or len(node.outputs) != 1:
            continue
        for number, _, value in _fields(node.raw):
            if number == _NODE_ATTRIBUTE and isinstance(value, bytes):
                tensors = [v for n, _, v in _fields(value) if n == _ATTRIBUTE_TENSOR]
                scalar = _scalar(tensors[0]) if tensors and isinstance(tensors[0], bytes) else None
                if scalar is not None:
                    constants[node.outputs[0]] = scalar
    for number, _, value in fields:
        if number == _GRAPH_INITIALIZER and isinstance(value, bytes):
            name = _tensor_name(value)
            scalar = _scalar(value)
            if name and scalar is not None:
                constants[name] = scalar
    return constants


def _tensor_name(tensor: bytes) -> str:
    for number, _, value in _fields(tensor):
        if number == 8 and isinstance(value, bytes):  # TensorProto.name
            return value.decode("utf-8", errors="replace")
    return ""


def _scalar(tensor: bytes) -> float | None:
    """The value of a float TensorProto holding exactly one element, else None."""
    dims: list[int] = []
    kind = 0
    floats: list[float] = []
    raw = b""
    for number, wire, value in _fields(tensor):
        if number == _TENSOR_DIMS:
            dims.extend(_packed_varints(value) if isinstance(value, bytes) else [int(value)])
        elif number == _TENSOR_TYPE and isinstance(value, int):
            kind = value
        elif number == _TENSOR_FLOATS:
            if isinstance(value, bytes) and wire == _LENGTH_DELIMITED:
                floats.extend(struct.unpack(f"<{len(value) // 4}f", value))
            elif isinstance(value, bytes):
                floats.append(struct.unpack("<f", value)[0])
        elif number == _TENSOR_RAW and isinstance(value, bytes):
            raw = value
    if kind != _FLOAT_TYPE or any(dim != 1 for dim in dims):
        return None
    if len(raw) == 4:
        return float(struct.unpack("<f", raw)[0])
    return float(floats[0]) if len(floats) == 1 else None


def _node(raw: bytes | int) -> _Node:
    if not isinstance(raw, bytes):
        raise WireError("a node is not a message")
    node = _Node(raw)
    for number, _, value in _fields(raw):
        if not isinstance(value, bytes):
            continue
        if number == _NODE_INPUT:
            node.inputs.append(value.decode())
        elif number == _NODE_OUTPUT:
            node.outputs.append(value.decode())
        elif number == _NODE_OP:
            node.op = value.decode()
    return node


def _hard_sigmoid(x: str, output: str, *, name: str) -> bytes:
    out = bytearray()
    out += _field(_NODE_INPUT, _LENGTH_DELIMITED, x.encode())
    out += _field(_NODE_OUTPUT, _LENGTH_DELIMITED, output.encode())
    out += _field(_NODE_NAME, _LENGTH_DELIMITED, name.encode())
    out += _field(_NODE_OP, _LENGTH_DELIMITED, b"HardSigmoid")
    for attribute, value in (("alpha", _ALPHA), ("beta", _BETA)):
        body = (
            _field(_ATTRIBUTE_NAME, _LENGTH_DELIMITED, attribute.encode())
            + _field(_ATTRIBUTE_FLOAT, _FIXED32, struct.pack("<f", value))
            + _field(_ATTRIBUTE_TYPE, _VARINT, 1)  # AttributeProto.FLOAT
        )
        out += _field(_NODE_ATTRIBUTE, _LENGTH_DELIMITED, body)
    return bytes(out)


def _renamed_output(node: _Node, output: str) -> bytes:
    out = bytearray()
    for number, kind, value in _fields(node.raw):
        if number == _NODE_OUTPUT:
            value = output.encode()
        out += _field(number, kind, value)
    return bytes(out)


# ------------------------------------------------------------------------- protobuf wire format


def _fields(data: bytes) -> Iterator[tuple[int, int, bytes | int]]:
    """(field number, wire type, value) of each field of a message, in order."""
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, kind = key >> 3, key & 7
        value: bytes | int
        if kind == _VARINT:
            value, position = _varint(data, position)
        elif kind == _LENGTH_DELIMITED:
            length, position = _varint(data, position)
            value = data[position : position + length]
            if len(value) != length:
                raise WireError("a field runs past the end of its message")
            position += length
        elif kind == _FIXED32:
            value, position = data[position : position + 4], position + 4
        elif kind == _FIXED64:
            value, position = data[position : position + 8], position + 8
        else:
            raise WireError(f"unsupported wire type {kind}")
        yield number, kind, value


def _field(number: int, kind: int, value: bytes | int) -> bytes:
    key = _encode_varint(number << 3 | kind)
    if kind == _VARINT:
        return key + _encode_varint(int(value))
    if not isinstance(value, bytes):
        raise WireError("a length-delimited or fixed field needs bytes")
    if kind == _LENGTH_DELIMITED:
        return key + _encode_varint(len(value)) + value
    return key + value


def _varint(data: bytes, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if position >= len(data) or shift > 63:
            raise WireError("a truncated varint")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, position


def _packed_varints(data: bytes) -> list[int]:
    values: list[int] = []
    position = 0
    while position < len(data):
        value, position = _varint(data, position)
        values.append(value)
    return values


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)
