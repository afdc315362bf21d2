"""Reading a page's rules: unchecked PDFium calls and the reader's shared text page.

The rules reader calls PDFium per page object and per path segment without ctypes' argument
conversion (``text.unchecked``), and reads the cells of ruled tables through the text page the
page reader already holds open. Both must give exactly what declared calls and a text page of
its own give, for rules drawn as lines, as rectangles, as one path of many segments and inside
a form XObject.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docgen import PDF_PAGE_HEIGHT, PDF_PAGE_WIDTH
from docgen_pdf_tables import make_table_page
from reams.processors.parse.pdf import rules as rules_module
from reams.processors.parse.pdf.reader import PdfSource
from reams.processors.parse.pdf.rules import PageRules, read_rules

ROWS = [
    ["Region", "Units", "Revenue"],
    ["North", "1,204", "18,400.00"],
    ["South", "987", "15,250.50"],
    ["East", "1,530", "22,975.25"],
]
XS = [100.0, 200.0, 300.0, 400.0]  # column borders of the drawn grids
YS = [700.0, 680.0, 660.0, 640.0]  # row borders, top down


def _canvas(path: Path) -> Any:
    from reportlab.pdfgen.canvas import Canvas

    return Canvas(str(path), (PDF_PAGE_WIDTH, PDF_PAGE_HEIGHT), invariant=1)


def _texts(canvas: Any) -> None:
    canvas.setFont("Helvetica", 9)
    for r, row in enumerate(ROWS[:3]):
        for c, cell in enumerate(row):
            canvas.drawString(XS[c] + 4, YS[r] - 14, cell)


def _lines_page(path: Path) -> Path:
    """A 3 × 3 grid drawn as one line per border (simple paths)."""
    canvas = _canvas(path)
    _texts(canvas)
    for y in YS:
        canvas.line(XS[0], y, XS[-1], y)
    for x in XS:
        canvas.line(x, YS[0], x, YS[-1])
    canvas.showPage()
    canvas.save()
    return path


def _rects_page(path: Path) -> Path:
    """The same grid drawn as one stroked rectangle per cell."""
    canvas = _canvas(path)
    _texts(canvas)
    for r in range(3):
        for c in range(3):
            canvas.rect(XS[c], YS[r + 1], XS[c + 1] - XS[c], YS[r] - YS[r + 1])
    canvas.showPage()
    canvas.save()
    return path


def _one_path_page(path: Path, *, in_form: bool = False) -> Path:
    """The same grid drawn as a single path of many segments (closed cells), optionally inside
    a form XObject placed with a translation."""
    canvas = _canvas(path)
    _texts(canvas)
    shift = 0.0
    if in_form:
        canvas.beginForm("grid")
        shift = 15.0  # drawn 15 points left of its place, then translated back
    grid = canvas.beginPath()
    for r in range(3):
        for c in range(3):
            grid.moveTo(XS[c] - shift, YS[r])
            grid.lineTo(XS[c + 1] - shift, YS[r])
            grid.lineTo(XS[c + 1] - shift, YS[r + 1])
            grid.lineTo(XS[c] - shift, YS[r + 1])
            grid.close()
    canvas.drawPath(grid, stroke=1, fill=0)
    if in_form:
        canvas.endForm()
        canvas.saveState()
        canvas.translate(shift, 0)
        canvas.doForm("grid")
        canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return path


def _read(path: Path, *, shared_textpage: bool = False) -> PageRules:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        page = pdf[0]
        width, height = (float(v) for v in page.get_size())
        textpage = page.get_textpage() if shared_textpage else None
        found = read_rules(
            page.raw,
            rotation=0,
            width=width,
            height=height,
            textpage=textpage.raw if textpage is not None else None,
        )
        if textpage is not None:
            # The shared text page stays open and usable after the rules are read.
            assert "North" in textpage.get_text_range()
            textpage.close()
        page.close()
        return found
    finally:
        pdf.close()


def _near(found: list[float], expected: list[float]) -> bool:
    return len(found) == len(expected) and all(
        abs(a - b) <= 1.0 for a, b in zip(found, expected, strict=True)
    )


def _declared(pdfium_c: Any, name: str) -> Any:
    return getattr(pdfium_c, name)


MAKERS: dict[str, Callable[[Path], Path]] = {
    "lines": _lines_page,
    "rects": _rects_page,
    "one_path": _one_path_page,
    "form": lambda path: _one_path_page(path, in_form=True),
}


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_rules_of_each_drawing_are_the_grids_borders(tmp_path: Path, kind: str) -> None:
    found = _read(MAKERS[kind](tmp_path / f"{kind}.pdf"))
    # Within a point: a path's bounds take in half its line width on each side.
    assert _near([rule.position for rule in found.horizontal], sorted(YS))
    assert _near([rule.position for rule in found.vertical], XS)
    for rule in found.horizontal:
        assert _near([rule.start, rule.end], [XS[0], XS[-1]])
    assert len(found.grids) == 1
    assert found.grids[0].rows == tuple(tuple(row) for row in ROWS[:3])


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_unchecked_calls_read_the_same_rules(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = MAKERS[kind](tmp_path / f"{kind}.pdf")
    fast = _read(path)
    monkeypatch.setattr(rules_module, "unchecked", _declared)
    declared = _read(path)
    assert fast == declared
    assert fast.grids == declared.grids


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_the_readers_text_page_gives_the_same_cells(tmp_path: Path, kind: str) -> None:
    path = MAKERS[kind](tmp_path / f"{kind}.pdf")
    own = _read(path)
    shared = _read(path, shared_textpage=True)
    assert own == shared
    assert own.grids == shared.grids and own.grids


def test_a_table_page_read_through_the_source_closes_its_pages(tmp_path: Path) -> None:
    path = make_table_page(tmp_path / "table.pdf", ROWS, [80, 80, 90], borders="grid")
    source = PdfSource(path.read_bytes())
    try:
        content = source.page(0)
        assert source._open == {}  # page and text page both closed after the page is read
        assert "| North | 1,204 | 18,400.00 |" in content.markdown
        # Reading it again (the page is loaded anew) gives the same page.
        assert source.page(0) == content
    finally:
        source.close()


def _read_with_paths(path: Path) -> tuple[PageRules, PageRules, bool]:
    """The rules read from the paths the picture walk found, read by walking the page, and
    whether the picture walk gave paths at all."""
    import pypdfium2 as pdfium

    from reams.processors.parse.pdf.images import read_objects

    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        page = pdf[0]
        width, height = (float(v) for v in page.get_size())
        _, paths = read_objects(page.raw, rotation=0, width=width, height=height)
        given = read_rules(page.raw, rotation=0, width=width, height=height, paths=paths)
        walked = read_rules(page.raw, rotation=0, width=width, height=height)
        page.close()
        return given, walked, paths is not None
    finally:
        pdf.close()


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_paths_found_by_the_picture_walk_give_the_same_rules(tmp_path: Path, kind: str) -> None:
    given, walked, found = _read_with_paths(MAKERS[kind](tmp_path / f"{kind}.pdf"))
    assert found
    assert given == walked
    assert given.grids == walked.grids and given.grids


def test_a_walk_stopped_at_its_bound_gives_no_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reams.processors.parse.pdf import images

    path = _lines_page(tmp_path / "lines.pdf")
    monkeypatch.setattr(images, "_MAX_OBJECTS", 3)  # fewer than the page's objects
    given, walked, found = _read_with_paths(path)
    assert not found  # the rules then walk the page themselves: the same rules
    assert given == walked and given.grids


def test_the_source_reads_the_rules_without_walking_the_page_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_table_page(tmp_path / "table.pdf", ROWS, [80, 80, 90], borders="grid")
    expected = PdfSource(path.read_bytes()).page(0)

    def no_walk(*_: Any) -> None:
        raise AssertionError("the page's objects were walked a second time")

    monkeypatch.setattr(rules_module._Reader, "walk", no_walk)
    source = PdfSource(path.read_bytes())
    try:
        assert source.page(0) == expected
        assert "| North | 1,204 | 18,400.00 |" in expected.markdown
    finally:
        source.close()
