"""The reading order's sweep over box edges reads the boxes' edges in C (``sweep_boxes``) and
sorts them by integer keys: the same edges, in the same order, as the sweep of the edges' lists
(``sweep``, numpy's lexsort order: NaN last, -0.0 with 0.0, closing edges first, then as
given), and the same strips as numpy's sweep. Whether a side is a column of running text
(``order._is_text``) is told in C too, with the Python verdict."""

from __future__ import annotations

import math
import random

import pytest

from reams.processors.parse.pdf import native, order
from reams.processors.parse.pdf.order import Box

BUILT = native.chars_module
needs_native = pytest.mark.skipif(BUILT is None, reason="the native module is not built here")


def random_boxes(rng: random.Random) -> list[Box[int]]:
    boxes: list[Box[int]] = []
    for index in range(rng.randint(0, 70)):
        left: float = rng.choice([rng.randint(0, 20) * 5.0, rng.uniform(-50, 400), 0.0, -0.0])
        right: float = rng.choice([left, left + rng.randint(0, 4) * 5.0, rng.uniform(-50, 400)])
        if rng.random() < 0.03:
            left = math.nan
        if rng.random() < 0.03:
            right = math.nan
        if rng.random() < 0.03:
            left = 7  # an int edge
        boxes.append(Box(index, left, right, 10.0, 0.0, 5))
    return boxes


@needs_native
def test_the_edges_are_the_lists_sweep() -> None:
    assert BUILT is not None
    rng = random.Random(33)
    for _ in range(3000):
        boxes = random_boxes(rng)
        lefts = [box.left for box in boxes]
        rights = [box.right for box in boxes]
        assert BUILT.sweep_boxes(boxes) == BUILT.sweep(lefts, rights)


@needs_native
def test_the_strips_are_numpys(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(34)
    for _ in range(500):
        boxes = [b for b in random_boxes(rng) if not (math.isnan(b.left) or math.isnan(b.right))]
        if not boxes:
            continue
        origin = min(b.left for b in boxes)
        end = max(b.right for b in boxes)
        fast = order._Sweep(boxes)
        with monkeypatch.context() as patch:
            patch.setattr(native, "chars_module", None)
            slow = order._Sweep(boxes)
        for allowed in (0, 1, 3):
            found = fast.strips(allowed=allowed, origin=origin, end=end, wide=4.0)
            expected = slow.strips(allowed=allowed, origin=origin, end=end, wide=4.0)
            assert found == [tuple(strip) for strip in expected]


def python_is_text(side: list[Box[int]], monkeypatch: pytest.MonkeyPatch) -> bool:
    with monkeypatch.context() as patch:
        patch.setattr(native, "chars_module", None)
        return order._is_text(side)


@needs_native
def test_a_column_of_text_is_told_as_python_tells_it(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(35)
    for _ in range(3000):
        side = []
        for index in range(rng.randint(0, 30)):
            left = rng.choice([72.0, 72.5, rng.uniform(60, 120), -0.0, 0.0])
            width = rng.choice([rng.uniform(200, 400), rng.uniform(5, 150), 300.0])
            if rng.random() < 0.02:
                width = math.nan
            chars = rng.choice([rng.randint(0, 90), 14, 30, True]) if rng.random() < 0.9 else 60
            side.append(Box(index, left, left + width, 10.0, 0.0, chars))
        assert order._is_text(side) is python_is_text(side, monkeypatch)
