"""A part of a run that is prose, cut at its widest gap: what its rows by chance line up into.

Lines of justified text arrive split at their widest spaces; over a few rows those spaces can
fall in line and look like the gutters of a table. A run whose columns hold running text is
still cut at its widest gap (a table may sit right under the prose), but a table found in a
part of it is kept only when one of its columns holds numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from reams.processors.parse.pdf import tables as tables_module
from reams.processors.parse.pdf.lines import Line, Piece
from reams.processors.parse.pdf.tables import find_tables

SIZE = 10.0
PITCH = 12.0
WIDER = 20.0  # the gap above the rows under the prose: the widest of the run
LEFT_TEXT = "the parties agree that the terms of this agreement shall apply"
RIGHT_TEXT = "to every licence granted under it for as long as it remains"


def _line(baseline: float, pieces: Sequence[tuple[str, float, float]]) -> Line:
    parts = tuple(Piece(text, left, right) for text, left, right in pieces)
    text = " ".join(piece.text for piece in parts)
    return Line(text, parts[0].left, parts[-1].right, baseline, SIZE, pieces=parts)


def _page(under: list[list[str]]) -> list[Line]:
    """Six lines of prose in two columns, then (a little further down) the rows ``under``,
    their words set at three fixed places."""
    lines = [
        _line(700 - n * PITCH, [(LEFT_TEXT, 50, 250), (RIGHT_TEXT, 300, 550)]) for n in range(6)
    ]
    top = 700 - 5 * PITCH - WIDER
    places = [(50, 90), (150, 190), (300, 340)]
    for n, words in enumerate(under):
        pieces = [(word, *place) for word, place in zip(words, places, strict=True)]
        lines.append(_line(top - n * PITCH, pieces))
    return lines


def test_words_lined_up_under_prose_are_no_table() -> None:
    # The spaces of three justified lines fall at the same places: no numbers, no table.
    lines = _page([["shall", "not", "be"], ["and", "its", "the"], ["for", "any", "such"]])
    assert find_tables(lines) == []


def test_a_table_of_numbers_under_prose_is_kept() -> None:
    under = [["Alpha", "north", "1,204"], ["Beta", "south", "1,388"], ["Gamma", "east", "917"]]
    found = find_tables(_page(under))
    assert [table.rows for table in found] == [under]
    assert found[0].lines == [6, 7, 8]


def test_the_same_words_alone_are_a_table() -> None:
    # Without the prose above, the rows are searched as a run of their own: a table.
    words = [["shall", "not", "be"], ["and", "its", "the"], ["for", "any", "such"]]
    assert [table.rows for table in find_tables(_page(words)[6:])] == [words]


@pytest.mark.parametrize(
    ("text", "numerals"),
    [("no digit here", False), ("clause 12", True), ("a - b", True), ("non-exclusive", False)],
)
def test_numerals_are_digits_or_dashes_standing_alone(text: str, numerals: bool) -> None:
    row = tables_module.Row([0], [Piece(text, 0, 100)], 0.0, SIZE)
    assert tables_module._has_numerals([row]) is numerals
