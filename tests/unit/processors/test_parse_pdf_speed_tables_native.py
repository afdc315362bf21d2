"""The gutters between the pieces of table rows (``tables._gutters``) and a row's cells by
column (``tables._cells``) come from the native module when it is built: the same strips and
cells as the Python loops give, ties, touching pieces and pieces spanning columns included, and
the loops' answer when a piece's edge is not a plain float (an int; NaN for the gutters)."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from reams.processors.parse.pdf import native, tables
from reams.processors.parse.pdf.lines import Piece
from reams.processors.parse.pdf.tables import Row, _cells, _gutters

BUILT = native.chars_module
needs_native = pytest.mark.skipif(BUILT is None, reason="the native module is not built here")


def python_gutters(rows: list[Row], monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, float]]:
    with monkeypatch.context() as patch:
        patch.setattr(native, "chars_module", None)
        return _gutters(rows)


def random_rows(rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for _ in range(rng.randint(0, 12)):
        pieces = []
        for _ in range(rng.randint(1, 5)):
            # Coarse positions make ties (equal lefts, equal rights) and touching pieces.
            left = rng.choice([rng.randint(0, 60) * 5.0, rng.uniform(0, 300)])
            right = left + rng.choice([0.0, 1.5, 2.0, rng.uniform(0, 80)])
            if rng.random() < 0.05:
                right = left - 3.0  # a piece whose edges came out swapped
            pieces.append(Piece("x", left, right))
        pieces.sort(key=lambda piece: piece.left)
        rows.append(Row([len(rows)], pieces, 700.0 - 12 * len(rows), 10.0))
    return rows


@needs_native
def test_the_native_gutters_are_the_loops(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(16)
    for _ in range(3000):
        rows = random_rows(rng)
        assert _gutters(rows) == python_gutters(rows, monkeypatch)


@needs_native
def test_a_table_of_three_columns() -> None:
    rows = [
        Row([0], [Piece("Name", 72.0, 110.0), Piece("Qty", 200.0, 220.0)], 700.0, 10.0),
        Row([1], [Piece("Bolts", 72.0, 101.5), Piece("12", 208.0, 220.0)], 688.0, 10.0),
        Row([2], [Piece("A heading over all", 72.0, 260.0)], 676.0, 10.0),  # one piece
    ]
    assert _gutters(rows) == [(110.0, 200.0)]


@pytest.mark.parametrize("odd", [150, math.nan])
def test_edges_that_are_no_plain_float_are_the_loops(
    odd: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    if BUILT is not None:
        real = BUILT.gutters

        def spy(rows: list[Row], gap: float) -> object:
            answer = real(rows, gap)
            calls.append(answer is None)
            return answer

        monkeypatch.setattr(native, "chars_module", type("M", (), {"gutters": staticmethod(spy)}))
    rows = [
        Row([0], [Piece("a", 72.0, 100.0), Piece("b", odd, 180.0)], 700.0, 10.0),
        Row([1], [Piece("c", 72.0, 90.0), Piece("d", 160.0, 175.0)], 688.0, 10.0),
    ]
    found = _gutters(rows)
    monkeypatch.setattr(native, "chars_module", None)
    assert found == tables._gutters(rows)
    assert calls in ([], [True])


def python_cells(
    row: Row, columns: list[tuple[float, float]], by_middle: bool, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    with monkeypatch.context() as patch:
        patch.setattr(native, "chars_module", None)
        return _cells(row, columns, by_middle=by_middle)


@needs_native
def test_the_native_cells_are_the_loops(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(61)
    for _ in range(3000):
        edges = sorted(
            rng.choice([rng.randint(0, 60) * 10.0, rng.uniform(0, 600)])
            for _ in range(rng.randint(2, 7))
        )
        columns = list(itertools.pairwise(edges))
        for row in random_rows(rng)[:3]:
            row.pieces = [
                Piece(rng.choice(["", "a", "b c", "Ünï"]), p.left, p.right) for p in row.pieces
            ]
            for by_middle in (False, True):
                assert _cells(row, columns, by_middle=by_middle) == python_cells(
                    row, columns, by_middle, monkeypatch
                )


def test_cells_of_a_row() -> None:
    columns = [(72.0, 150.0), (150.0, 230.0), (230.0, 300.0)]
    row = Row(
        [0],
        [
            Piece("Bolts", 72.0, 101.5),
            Piece("M8", 110.0, 125.0),
            Piece("12", 208.0, 220.0),
            Piece("across two", 140.0, 260.0),
            Piece("far right", 320.0, 360.0),
        ],
        700.0,
        10.0,
    )
    assert _cells(row, columns) == ["Bolts M8 across two", "12", "far right"]
    assert _cells(row, columns, by_middle=True) == ["Bolts M8", "12 across two", "far right"]


@pytest.mark.parametrize("odd", [150, math.nan])
def test_cells_of_edges_that_are_no_plain_float(
    odd: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    columns = [(72.0, 150.0), (150.0, 230.0)]
    row = Row([0], [Piece("a", 72.0, 100.0), Piece("b", odd, 180.0)], 700.0, 10.0)
    found = _cells(row, columns, by_middle=True)
    assert found == python_cells(row, columns, True, monkeypatch)
