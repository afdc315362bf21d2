"""Which horizontal and vertical rules meet (``grids.lattices``) is tried in C when the native
module is built: the same groups of rules as the Python search over the pairs gives, rules that
just touch, overlap or miss by a hair included, and the Python answer for edges that are not
plain floats."""

from __future__ import annotations

import math
import random

import pytest

from reams.processors.parse.pdf import grids, native
from reams.processors.parse.pdf.rules import Rule

BUILT = native.chars_module
needs_native = pytest.mark.skipif(BUILT is None, reason="the native module is not built here")


def random_rules(rng: random.Random, count: int) -> list[Rule]:
    found = []
    for _ in range(count):
        position = rng.choice([rng.randint(0, 40) * 12.0, rng.uniform(0, 500)])
        start = rng.choice([rng.randint(0, 40) * 12.0 - 3.0, rng.uniform(0, 500)])
        found.append(Rule(position, start, start + rng.choice([3.0, 12.0, rng.uniform(0, 300)])))
    return found


@needs_native
def test_the_groups_are_pythons(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    for _ in range(1500):
        horizontal = random_rules(rng, rng.randint(1, 25))
        vertical = random_rules(rng, rng.randint(1, 25))
        fast = grids.lattices(horizontal, vertical)
        with monkeypatch.context() as patch:
            patch.setattr(native, "chars_module", None)
            slow = grids.lattices(horizontal, vertical)
        assert fast == slow
        assert BUILT is not None
        groups = BUILT.meeting_groups(horizontal, vertical, grids._TOUCH)
        assert groups == list(grids._meeting(horizontal, vertical).values())


def test_a_ruled_table_of_two_rows_and_two_columns() -> None:
    horizontal = [Rule(y, 72.0, 272.0) for y in (700.0, 680.0, 660.0)]
    vertical = [Rule(x, 660.0, 700.0) for x in (72.0, 172.0, 272.0)]
    (lattice,) = grids.lattices(horizontal, vertical)
    assert lattice.xs == (72.0, 172.0, 272.0)
    assert lattice.ys == (700.0, 680.0, 660.0)


@pytest.mark.parametrize("odd", [100, math.nan])
def test_edges_that_are_no_plain_float(odd: float, monkeypatch: pytest.MonkeyPatch) -> None:
    horizontal = [Rule(700.0, 72.0, 272.0), Rule(680.0, 72.0, odd), Rule(660.0, 72.0, 272.0)]
    vertical = [Rule(x, 660.0, 700.0) for x in (72.0, 172.0, 272.0)]
    if BUILT is not None:
        assert BUILT.meeting_groups(horizontal, vertical, grids._TOUCH) is None
    fast = grids.lattices(horizontal, vertical)
    monkeypatch.setattr(native, "chars_module", None)
    assert fast == grids.lattices(horizontal, vertical)
