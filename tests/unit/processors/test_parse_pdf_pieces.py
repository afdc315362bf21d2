"""A line's pieces are values: equal and hashed by their fields (they stopped being frozen
dataclasses for a cheaper ``__init__``; sets and dict keys of pieces must keep working)."""

from __future__ import annotations

from reams.processors.parse.pdf.lines import Line, Piece


def test_pieces_compare_and_hash_by_their_fields() -> None:
    a, b, c = Piece("Total", 10.0, 40.0), Piece("Total", 10.0, 40.0), Piece("Total", 10.0, 41.0)
    assert a == b and a is not b
    assert a != c
    assert hash(a) == hash(b) == hash(("Total", 10.0, 40.0))
    assert {a, b, c} == {a, c}
    assert {a: 1}[b] == 1


def test_a_whole_line_is_one_piece_equal_to_its_text_and_extent() -> None:
    line = Line("Net 30 days", 72.0, 140.5, 700.0, 10.0)
    assert line.parts() == (Piece("Net 30 days", 72.0, 140.5),)
    split = Line("Net   30", 72.0, 200.0, 700.0, 10.0, pieces=(Piece("Net", 72.0, 90.0),))
    assert split.parts() == (Piece("Net", 72.0, 90.0),)


def test_a_lines_top_and_bottom_follow_its_baseline_and_size() -> None:
    line = Line("Total", 10.0, 40.0, 700.0, 10.0)
    assert (line.top, line.bottom) == (700.0 + 0.8 * 10.0, 700.0 - 0.25 * 10.0)
    # Worked out from baseline and size: not compared, not shown, not given.
    assert line == Line("Total", 10.0, 40.0, 700.0, 10.0)
    assert "top" not in repr(line)


def test_a_rows_right_edge_and_numbers_are_worked_out_once_and_kept() -> None:
    from reams.processors.parse.pdf.tables import Row

    row = Row([0], [Piece("Total", 10.0, 40.0), Piece("1 200", 60.0, 85.5)], 700.0, 10.0)
    assert row.right == 85.5
    assert "right" in vars(row)  # kept: read again from the instance, not worked out
    row.pieces.append(Piece("late", 90.0, 120.0))
    assert row.right == 85.5  # a row is complete once made; the kept value stands
    apart = row.numbers_apart
    assert row.numbers_apart is apart
