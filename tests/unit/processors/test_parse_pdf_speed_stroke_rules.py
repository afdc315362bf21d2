"""A page's strokes become rules in C when the native module is built (``_chars.stroke_rules``):
the same horizontal and vertical rules, joined the same way and in the same order, as the Python
loop and ``rules._joined`` give, ties, half-way positions, signed zeros and infinite ends
included; strokes that are not plain floats get the Python answer."""

from __future__ import annotations

import dataclasses
import math
import random

import pytest

from reams.processors.parse.pdf import native, rules
from reams.processors.parse.pdf.rules import PageRules, Rule

BUILT = native.chars_module
needs_native = pytest.mark.skipif(BUILT is None, reason="the native module is not built here")


def _python(
    strokes: list[tuple[float, float, float, float]], patch: pytest.MonkeyPatch
) -> PageRules:
    with patch.context() as inner:
        inner.setattr(native, "chars_module", None)
        return rules._stroke_rules(strokes)


def _same(fast: PageRules, slow: PageRules) -> None:
    assert fast == slow
    for got, want in zip(
        fast.horizontal + fast.vertical, slow.horizontal + slow.vertical, strict=True
    ):
        assert type(got) is Rule
        for name in ("position", "start", "end"):
            a, b = getattr(got, name), getattr(want, name)
            assert type(a) is float
            assert a == b or (math.isnan(a) and math.isnan(b))
            assert math.copysign(1, a) == math.copysign(1, b)


def _coordinate(rng: random.Random) -> float:
    return rng.choice(
        [
            rng.randint(0, 60) * 10.0,
            rng.randint(0, 60) * 10.0 + rng.choice([0.5, -0.5, 1.25, 2.5, -2.5, 2.0, 4.0]),
            rng.uniform(0, 600),
            0.0,
            -0.0,
            math.inf,
            -math.inf,
            math.nan,
        ]
        if rng.random() < 0.1
        else [rng.randint(0, 60) * 10.0, rng.randint(0, 60) * 10.0 + rng.choice([0.5, 1.5, 2.5])]
    )


def _stroke(rng: random.Random) -> tuple[float, float, float, float]:
    x, y = _coordinate(rng), _coordinate(rng)
    along = rng.choice([3.9, 4.0, 6.0, 30.0, rng.uniform(0, 200)]) * rng.choice([1, -1])
    off = rng.choice([0.0, -0.0, 1.0, 2.5, -2.5, 2.6, rng.uniform(-3, 3)])
    if rng.random() < 0.5:
        return (x, y, x + along, y + off)
    return (x, y, x + off, y + along)


@needs_native
def test_the_rules_are_pythons(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(16)
    for _ in range(3000):
        strokes = [_stroke(rng) for _ in range(rng.randint(0, 40))]
        # Pieces that touch, overlap, or just miss one another on one line.
        if strokes and rng.random() < 0.5:
            _x, y, x1, _y1 = strokes[0]
            strokes += [(x1 + rng.choice([0.0, 2.0, 2.01]), y, x1 + 40.0, y) for _ in range(3)]
        _same(rules._stroke_rules(strokes), _python(strokes, monkeypatch))


@needs_native
def test_strokes_that_are_not_plain_floats_get_the_python_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert BUILT is not None
    with_int = [(0.0, 10.0, 100.0, 10.0), (0, 20.0, 100.0, 20.0)]
    assert BUILT.stroke_rules(with_int, Rule, rules._THIN, rules._MIN_LENGTH, rules._JOIN) is None
    assert rules._stroke_rules(with_int) == _python(with_int, monkeypatch)
    assert rules._stroke_rules(with_int).horizontal[0].start == 0


def test_collinear_pieces_join_into_one_rule() -> None:
    strokes = [(10.0, 100.0, 50.0, 100.0), (51.5, 100.4, 90.0, 100.4), (95.0, 100.0, 120.0, 100.0)]
    found = rules._stroke_rules(strokes)
    assert found.horizontal == (Rule(100.0, 10.0, 90.0), Rule(100.0, 95.0, 120.0))
    assert found.vertical == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.horizontal[0].start = 0.0  # type: ignore[misc]
