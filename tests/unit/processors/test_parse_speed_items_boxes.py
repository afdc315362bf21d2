"""Page items: a table row without inline marks is split without plain_text, and a line's box
edges are rounded through a per-page memo; both give exactly what the plain code gives."""

from __future__ import annotations

import math
import random

from reams.processors.parse import items
from reams.processors.parse.items import boxed_items, page_items, plain_text
from reams.processors.parse.model import LineBox


def _reference_cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [plain_text(cell.strip()) for cell in items._PIPE_SPLIT.split(body)]


def test_pipe_cells_match_the_plain_split() -> None:
    rng = random.Random(16)
    alphabet = "ab 1|-|\\*_`<>[]()!:\u00a0\t"
    for _ in range(20000):
        line = "|" + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) + "|"
        assert items._pipe_cells(line) == _reference_cells(line), repr(line)
    for line in ("| a \\| b | c |", "| **x** | [y](z) |", "| a<br>b | `c` |", "| > q |", "|a|b"):
        assert items._pipe_cells(line) == _reference_cells(line)


def _reference_box(line: LineBox) -> dict[str, object]:
    _text, x, y, w, h, _size = line
    return {"x": round(x, 2), "y": round(y, 2), "w": round(w, 2), "h": round(h, 2)}


def test_boxes_keep_the_sign_of_a_zero_edge() -> None:
    lines = (
        LineBox("alpha", 0.0, 1.004, 10.0, 0.0, 9.0),
        LineBox("beta", -0.0, 2.0, 10.0, -0.0, 9.0),
        LineBox("gamma", -0.001, 3.0, 10.0, 0.001, 9.0),
    )
    boxed = boxed_items(page_items("alpha\n\nbeta\n\ngamma"), lines)
    got = [item["bbox"][0] for item in boxed]  # type: ignore[index]
    for box, line in zip(got, lines, strict=True):
        want = _reference_box(line)
        assert {k: box[k] for k in want} == want
        assert [math.copysign(1, box[k]) for k in want] == [  # type: ignore[arg-type]
            math.copysign(1, want[k])  # type: ignore[arg-type]
            for k in want
        ]


def test_boxes_match_round_on_shared_edges() -> None:
    rng = random.Random(7)
    edges = [0.0, -0.0, 72.0, 72.005, 72.015, 0.125, 0.375, 1e-9, -1e-9, 12.345, math.inf]
    words = [f"word{n}" for n in range(60)]
    lines = tuple(
        LineBox(
            word, rng.choice(edges), rng.uniform(0, 800), rng.choice(edges), rng.choice(edges), 9.0
        )
        for word in words
    )
    boxed = boxed_items(page_items("\n\n".join(words)), lines)
    for item, line in zip(boxed, lines, strict=True):
        box = item["bbox"][0]  # type: ignore[index]
        want = _reference_box(line)
        assert {k: box[k] for k in want} == want
        assert all(math.copysign(1, box[k]) == math.copysign(1, want[k]) for k in want)  # type: ignore[arg-type]
