"""The optional native module (``pdf/_chars.c``) against the ctypes path it stands in for.

Where the module is built, every native routine must give exactly what the same PDFium calls
made through ctypes give: the text of any rectangle (``FPDFText_GetBoundedText``), the page
objects' walk, the rules of paths, the structure tree's ranks, the pieces of lines and the
gutter sweep. The pages are generated (ruled tables drawn every way, rotated pages, tagged
text) and, when the shared corpus is present, a few of its PDFs of each kind. Without the
module (or with ``REAMS_PDF_NATIVE=0``) reams takes the ctypes path: the last tests check that
this path is taken and gives the same document.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from test_parse_pdf_rules_calls import MAKERS, ROWS

from corpus import corpus_root
from docgen_pdf_tables import make_table_page
from reams.processors.parse.pdf import images, native, order, rules, structure, text
from reams.processors.parse.pdf.geometry import Turn
from reams.processors.parse.pdf.grids import bounded_text
from reams.processors.parse.pdf.reader import PdfSource

BUILT = native.chars_module
needs_native = pytest.mark.skipif(BUILT is None, reason="the native module is not built here")

# Ruled tables printed up the sheet: read turned a quarter (cells banded across, pieces turned).
SIDEWAYS = "tabula-tables/pdf/schools.pdf"
# A few corpus PDFs: ruled tables (docling, tabula), an invoice, tagged text, a contract.
CORPUS_PDFS = (
    "docling-groundtruth/pdf/sources/redp5110_sampled.pdf",
    "tabula-tables/pdf/argentina_diputados_voting_record.pdf",
    "tabula-tables/pdf/MultiColumn.pdf",
    "invoice2data/AmazonWebServices.pdf",
    "unstructured-example-docs/pdf/multi-column.pdf",
    "pdfplumber-pdfs/pdfs/nics-background-checks-2015-11-rotated.pdf",
    SIDEWAYS,
)


@pytest.fixture
def without_native(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(native, "chars_module", None)
    yield


def _pdfs(tmp_path: Path) -> list[Path]:
    generated = [make(tmp_path / f"{kind}.pdf") for kind, make in sorted(MAKERS.items())]
    generated.append(make_table_page(tmp_path / "table.pdf", ROWS, [80, 80, 90], borders="grid"))
    root = corpus_root()
    return generated + [root / name for name in CORPUS_PDFS if (root / name).is_file()]


def _both(read: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, Any]:
    """``read(*args, **kwargs)`` through ctypes, then through the native module."""
    native.chars_module = None
    try:
        slow = read(*args, **kwargs)
    finally:
        native.chars_module = BUILT
    return slow, read(*args, **kwargs)


def _pages(path: Path, limit: int = 6) -> Iterator[tuple[Any, Any, float, float]]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        for index in range(min(len(pdf), limit)):
            page = pdf[index]
            textpage = page.get_textpage()
            width, height = (float(v) for v in page.get_size())
            yield page, textpage, width, height
            textpage.close()
            page.close()
    finally:
        pdf.close()


def _rectangles(width: float, height: float, seed: int) -> list[tuple[float, ...]]:
    """Page-wide, random and cell-sized rectangles (left, right, top, bottom)."""
    rng = random.Random(seed)
    found: list[tuple[float, ...]] = [(0, width, height, 0), (-5, width + 5, height + 5, -5)]
    for _ in range(60):
        x, y = rng.uniform(0, width), rng.uniform(0, height)
        dx, dy = rng.choice([2, 10, 40, 150]), rng.choice([1, 5, 12, 30, 80])
        found.append((x - dx, x + dx, y + dy, y - dy))
    return found


@needs_native
def test_the_text_of_any_rectangle_is_pdfiums(tmp_path: Path) -> None:
    import pypdfium2.raw as pdfium_c

    compared = 0
    for path in _pdfs(tmp_path):
        for page, textpage, width, height in _pages(path):
            for rotation in (0, 90, 270):
                turn = Turn(rotation, width, height)
                slow, fast = _both(bounded_text, pdfium_c, textpage.raw, turn)
                # A page turned a quarter is as wide as it is tall unturned (its characters are
                # then banded across: cell-sized rectangles test that index).
                shown = (height, width) if rotation % 180 else (width, height)
                rects = _rectangles(*shown, seed=compared)
                for rect in rects:
                    assert fast(rect) == slow(rect), (path.name, rotation, rect)
                    compared += 1
                # A lattice's cells read in one call: the same texts.
                assert fast.many(rects) == [slow(rect) for rect in rects], (path.name, rotation)
            assert page is not None
    assert compared > 500


def _objects(page: Any, textpage: Any, size: tuple[float, float], rotation: int) -> tuple[Any, ...]:
    """A page's pictures, path objects (as addresses), rules, grids and structure ranks."""
    width, height = size
    pictures, paths = images.read_objects(page.raw, rotation=rotation, width=width, height=height)
    found = rules.read_rules(
        page.raw,
        rotation=rotation,
        width=width,
        height=height,
        textpage=textpage.raw,
        paths=paths,
    )
    addresses = (
        None
        if paths is None
        else [(o if isinstance(o, int) else native.address(o), m) for o, m in paths]
    )
    return pictures, addresses, found, found.grids, structure.structure_ranks(page.raw)


@needs_native
def test_objects_rules_and_structure_are_the_same(tmp_path: Path) -> None:
    grids = 0
    for path in _pdfs(tmp_path):
        for page, textpage, width, height in _pages(path):
            for rotation in (0, 90):
                slow, fast = _both(_objects, page, textpage, (width, height), rotation)
                assert fast == slow, (path.name, rotation)
                grids += len(fast[3])
    assert grids >= len(MAKERS) + 1  # every generated table is read as a grid


@needs_native
def test_lines_and_their_pieces_are_the_same(tmp_path: Path) -> None:
    pieces = [0, 0, 0, 0]
    for path in _pdfs(tmp_path):
        for _, textpage, width, height in _pages(path):
            for rotation in (0, 90, 180, 270):
                read = functools.partial(text.read_lines, textpage, marked=True)
                slow, fast = _both(read, rotation=rotation, width=width, height=height)
                assert fast == slow, (path.name, rotation)
                pieces[rotation // 90] += sum(len(line.pieces) for line in fast)
    # Pages turned by half are cut into pieces natively too, and so are those turned a quarter
    # whose text runs up the sheet.
    assert pieces[0] and pieces[2], pieces
    assert pieces[1] or not (corpus_root() / SIDEWAYS).is_file(), pieces


@dataclass
class _Box:
    left: float
    right: float


def _strips(boxes: list[_Box]) -> list[list[tuple[float, float]]]:
    sweep = order._Sweep(boxes)
    return [
        sweep.strips(allowed=allowed, origin=0.0, end=800.0, wide=wide)
        for allowed in (0, 1, 2, len(boxes) // 4)
        for wide in (0.0, 5.0, 20.0)
    ]


@needs_native
def test_the_gutter_sweep_is_the_same() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        grid = rng.choice([0.0, 1.0, 5.0])
        boxes = []
        for _ in range(rng.randint(0, 30)):
            left, width = rng.uniform(0, 600), rng.uniform(0, 200)
            if grid:
                left, width = round(left / grid) * grid, round(width / grid) * grid
            boxes.append(_Box(left, left + width))

        slow, fast = _both(_strips, boxes)
        assert fast == slow, boxes


def test_without_the_module_the_ctypes_path_reads_the_same_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_table_page(tmp_path / "table.pdf", ROWS, [80, 80, 90], borders="grid")

    def read() -> Any:
        source = PdfSource(path.read_bytes())
        try:
            return source.page(0)
        finally:
            source.close()

    built = read()
    calls: list[str] = []
    monkeypatch.setattr(native, "chars_module", None)
    original = rules._Reader.path

    def counted(self: Any, obj: Any, parent: Any) -> None:
        calls.append("path")
        original(self, obj, parent)

    monkeypatch.setattr(rules._Reader, "path", counted)
    assert read() == built
    assert calls  # the ctypes reader read the paths
    assert "| North | 1,204 | 18,400.00 |" in built.markdown


def test_the_environment_turns_the_module_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REAMS_PDF_NATIVE", "0")
    assert native._load() is None
    monkeypatch.delenv("REAMS_PDF_NATIVE")
    # Whether it is built, not BUILT: the suite may run with REAMS_PDF_NATIVE=0 (ctypes path).
    built = importlib.util.find_spec("reams.processors.parse.pdf._chars") is not None
    assert (native._load() is not None) == built


def test_a_module_older_than_its_source_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A pull that changes the C source without a rebuild would pass the old module arguments
    it does not take (every page failing): the ctypes path reads instead, with a warning."""
    built, source = tmp_path / "_chars.so", tmp_path / "_chars.c"
    built.write_bytes(b"")
    source.write_text("/* newer */")
    os.utime(built, ns=(1_000_000_000, 1_000_000_000))
    monkeypatch.setattr(native, "_SOURCE", source)
    assert native._built_before_its_source(built)
    os.utime(built, ns=(source.stat().st_mtime_ns + 1,) * 2)
    assert not native._built_before_its_source(built)
    monkeypatch.setattr(native, "_SOURCE", tmp_path / "absent.c")  # a wheel: no source
    assert not native._built_before_its_source(built)
    if importlib.util.find_spec("reams.processors.parse.pdf._chars") is None:
        return  # the rest needs the built module
    monkeypatch.delenv("REAMS_PDF_NATIVE", raising=False)
    monkeypatch.setattr(native, "_SOURCE", source)
    os.utime(source, ns=(2**62, 2**62))  # far in the future: newer than any build
    with caplog.at_level("WARNING", logger=native.__name__):
        assert native._load() is None
    assert "older than its source" in caplog.text
