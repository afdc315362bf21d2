"""PDF files via PDFium (pypdfium2): one page per PDF page, laid out from the text layer.

The document stays open while pages are extracted one at a time, so only the selected pages are
loaded, and every PDFium object is closed as soon as it is done with. Running headers and footers
are learned once per document from a sample of pages (``furniture``); the sampled pages' lines
are kept and reused, so small documents are still read once. This module does not OCR: it marks a
page whose text layer is missing or unusable with ``needs_ocr`` and offers
:meth:`PdfSource.page_needs_ocr` and :meth:`PdfSource.render` to the OCR step.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reams.domain.errors import ProcessorError
from reams.processors.parse.model import Metadata, PageContent
from reams.processors.parse.pdf.furniture import (
    Furniture,
    PageLines,
    joined,
    learn,
    printed_page_number,
)
from reams.processors.parse.pdf.images import Paths, Picture, read_objects
from reams.processors.parse.pdf.layout import layout_page
from reams.processors.parse.pdf.lines import Line
from reams.processors.parse.pdf.metadata import load_error, read_metadata
from reams.processors.parse.pdf.rules import PageRules, read_rules
from reams.processors.parse.pdf.structure import structure_ranks
from reams.processors.parse.pdf.text import read_lines, text_direction

_FURNITURE_SAMPLE = 16  # pages looked at to learn running headers and footers
_MIN_USABLE_CHARS = 10  # visible characters a usable text layer has at least
_MAX_GARBAGE = 0.5  # share of unmapped glyphs (no Unicode) above which text is unusable
_BACKGROUND = 0.8  # of the page: an image this large behind usable text is a background
_MAX_RENDER_PIXELS = 40_000_000  # a bound on a rendered page, whatever the scale asked for
_GARBAGE = re.compile("[\ufffd\ue000-\uf8ff]")


@dataclass(frozen=True, slots=True)
class _Page:
    """What one read of a page yields: its lines, size, rotation and pictures.

    ``width``, ``height`` and ``rotation`` are those of the page as it is read: turned so that
    most of its text runs across (``reading``); the page as displayed may be turned otherwise
    (``displayed``: its width and height with ``/Rotate`` applied).
    """

    lines: list[Line]
    width: float
    height: float
    rotation: int
    pictures: list[Picture]
    displayed: tuple[float, float]
    structure: dict[int, int] | None = None
    """Rank of each marked-content id in the page's structure tree (tagged PDFs)."""


class PdfSource:
    """An open PDF whose pages are extracted on demand; a :class:`PageSource`."""

    def __init__(
        self,
        data: bytes,
        *,
        tables_as_html: bool = False,
        furniture: Furniture | None = None,
        document: Any | None = None,
    ) -> None:
        import pypdfium2 as pdfium

        # ``document``: ``data`` already open (a worker keeps it for the next page part of the
        # same PDF: parse.parts); it stays open when this source closes.
        self._owned = document is None
        try:
            self._pdf = pdfium.PdfDocument(data) if document is None else document
        except pdfium.PdfiumError as exc:
            raise load_error(exc) from None
        self.page_count: int = len(self._pdf)
        self.warnings: list[str] = []
        self._tables_as_html = tables_as_html
        self._read_ahead: dict[int, _Page] = {}
        # PDFium pages kept open after a read, each with its text page and its path objects
        # (see _read).
        self._open: dict[int, tuple[Any, Any, Paths | None]] = {}
        # Pages loaded (their content parsed) before they are read: counting a form's fields
        # loads its first pages, which the reader then takes from here (see _read).
        self._loaded: dict[int, Any] = {}
        if self.page_count == 0:
            self.close()
            raise ProcessorError("empty_document", "The PDF has no pages.")
        self.metadata: Metadata = self._read_metadata()
        # Given when already learned from this very document (page parts: parse.parts).
        self._furniture: Furniture | None = furniture

    def _read_metadata(self) -> Metadata:
        # Metadata is a nicety: a damaged info dictionary must not cost the user the text.
        try:
            return read_metadata(self._pdf, load_page=self._load_ahead)
        except Exception:
            self.warnings.append("the document metadata could not be read")
            return {}

    def _load_ahead(self, index: int) -> Any:
        """The raw handle of page ``index``, loaded now and kept for :meth:`_read`; None when
        the page does not load (it fails on its own when it is read)."""
        import pypdfium2 as pdfium

        page = self._loaded.get(index)
        if page is None:
            try:
                page = self._loaded[index] = self._pdf[index]
            except pdfium.PdfiumError:
                return None
        return page.raw

    def page(self, index: int) -> PageContent:
        with collection_paused():
            furniture = self._learned_furniture()
            try:
                return self._page(index, furniture)
            finally:
                self._close_page(index)

    def _page(self, index: int, furniture: Furniture) -> PageContent:
        page = self._read_ahead.pop(index, None) or self._read(index, keep=True)
        header, body, footer = furniture.split(PageLines(page.lines, page.height, index))
        usable = _usable(page.lines)
        # An image filling a page of usable text is its background (or the scan under an OCR
        # layer), not a figure.
        background = _BACKGROUND * page.width * page.height
        content = layout_page(
            body,
            width=page.width,
            height=page.height,
            tables_as_html=self._tables_as_html,
            rules=functools.cache(lambda: self._rules(index, page)),
            pictures=[p for p in page.pictures if not usable or p.area < background],
            structure=page.structure,
        )
        return dataclasses.replace(
            content,
            width=page.displayed[0],
            height=page.displayed[1],
            header=joined(header),
            footer=joined(footer),
            printed_page_number=printed_page_number(header, footer),
            needs_ocr=not usable and bool(page.pictures),
        )

    def page_needs_ocr(self, index: int) -> bool:
        """Whether page ``index`` (0-based) lacks a usable text layer but shows an image.

        A page with fewer than a handful of visible characters, or whose characters are mostly
        glyphs without Unicode (a font without a ToUnicode map), has no usable text; it needs OCR
        when it shows an image (a scan, a photo of text). A blank page needs nothing.
        """
        page = self._read_ahead.get(index) or self._read(index, keep=False)
        return _needs_ocr(page)

    def render(self, index: int, scale: float = 2.0) -> Any:
        """Page ``index`` (0-based) as an RGB :class:`PIL.Image.Image`, ``scale`` × 72 dpi.

        The page's ``/Rotate`` is applied; ``scale`` is lowered if the image would exceed
        40 million pixels, so one huge page cannot exhaust memory.
        """
        page = self._pdf[index]
        try:
            width, height = page.get_size()
            # Just under the bound: PDFium rounds the bitmap size up.
            limit = 0.99 * (_MAX_RENDER_PIXELS / max(width * height, 1.0)) ** 0.5
            bitmap = page.render(scale=min(scale, limit))
            try:
                # PDFium renders BGR here; the conversion to RGB copies the pixels, so the
                # image outlives the bitmap.
                return bitmap.to_pil()
            finally:
                bitmap.close()
        finally:
            page.close()

    def raw_text(self, index: int) -> str:
        page = self._pdf[index]
        try:
            textpage = page.get_textpage()
            try:
                return str(textpage.get_text_range()).replace("\r\n", "\n")
            finally:
                textpage.close()
        finally:
            page.close()

    def close(self) -> None:
        self._read_ahead.clear()
        for index in list(self._open):
            self._close_page(index)
        for page in self._loaded.values():
            page.close()
        self._loaded.clear()
        if self._owned:
            self._pdf.close()

    def _read(self, index: int, *, keep: bool) -> _Page:
        """Read page ``index``; with ``keep`` its PDFium page and text page stay open (in
        ``_open``) for :meth:`_rules`, until :meth:`_close_page`: loading a page parses its
        content again, loading a text page reads all its characters again. The path objects
        the walk for pictures found are kept with them, so the rules do not walk the page
        again."""
        page = self._loaded.pop(index, None)
        if page is None:
            page = self._pdf[index]
        textpage = None
        kept = False
        try:
            width, height = (float(size) for size in page.get_size())
            displayed = width, height
            rotation = int(page.get_rotation())
            textpage = page.get_textpage()
            direction = text_direction(textpage)
            if direction is not None and direction != rotation % 360:
                # Read the page turned so that its text runs across (see _Page).
                if (direction - rotation) % 180:
                    width, height = height, width
                rotation = direction
            structure = structure_ranks(page.raw)
            lines = read_lines(
                textpage,
                rotation=rotation,
                width=width,
                height=height,
                marked=structure is not None,
            )
            pictures, paths = read_objects(page.raw, rotation=rotation, width=width, height=height)
            read = _Page(lines, width, height, rotation, pictures, displayed, structure)
            if keep:
                self._close_page(index)
                self._open[index] = (page, textpage, paths)
                kept = True
            return read
        finally:
            if not kept:
                if textpage is not None:
                    textpage.close()
                page.close()

    def _close_page(self, index: int) -> None:
        opened = self._open.pop(index, None)
        if opened is not None:
            page, textpage, _ = opened
            textpage.close()
            page.close()

    def _rules(self, index: int, read: _Page) -> PageRules:
        kept = self._open.get(index)
        page = kept[0] if kept else self._pdf[index]
        try:
            return read_rules(
                page.raw,
                rotation=read.rotation,
                width=read.width,
                height=read.height,
                textpage=kept[1].raw if kept else None,
                # The objects the read of this very page found (their handles are its own).
                paths=kept[2] if kept else None,
            )
        finally:
            if kept is None:
                page.close()

    @property
    def furniture(self) -> Furniture:
        """The document's running headers and footers (learned on first use)."""
        return self._learned_furniture()

    def _learned_furniture(self) -> Furniture:
        """Running headers and footers, learned on first use from pages across the document."""
        if self._furniture is None:
            samples: list[PageLines] = []
            for index in _sample(self.page_count):
                try:
                    page = self._read_ahead.get(index) or self._read(index, keep=True)
                except Exception:
                    continue  # a damaged page fails on its own when it is extracted
                self._read_ahead[index] = page
                samples.append(PageLines(page.lines, page.height, index))
            self._furniture = learn(samples)
        return self._furniture


_pause_lock = threading.Lock()
_pauses = 0  # reads of a page under way with the collector paused (threads may share it)
_resume = False  # whether the collector was on when the first of them paused it


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """The cyclic garbage collector off while one page is read, on again after.

    A page's read makes tens of thousands of objects (lines, pieces, rows, cells) that live
    until its layout is done and then die by reference counting; with the collector on, every
    700 of them started a collection that walked all those still alive, and their promotion
    into older generations brought on full collections of the whole heap. Paused for one page,
    they are looked at once, by the first collection after it; what a page leaves as cyclic
    garbage waits no longer than the page, so memory stays bounded by one page's worth, as
    before. Nested and concurrent reads share one pause: the collector comes back on (if it
    was on) when the last of them ends.
    """
    global _pauses, _resume
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()


def _sample(page_count: int) -> list[int]:
    """Up to ``_FURNITURE_SAMPLE`` page indices spread evenly over the document."""
    if page_count <= _FURNITURE_SAMPLE:
        return list(range(page_count)) if page_count > 1 else []
    step = page_count / _FURNITURE_SAMPLE
    return sorted({int(i * step) for i in range(_FURNITURE_SAMPLE)})


def _usable(lines: list[Line]) -> bool:
    # The page's text searched at once (the pattern matches single characters).
    text = "".join([line.text for line in lines])
    chars = len(text)
    if chars < _MIN_USABLE_CHARS:
        return False
    # Glyphs without a Unicode mapping come out as U+FFFD or private-use code points.
    if not _GARBAGE.search(text):
        return True
    return len(_GARBAGE.findall(text)) <= _MAX_GARBAGE * chars


def _needs_ocr(page: _Page) -> bool:
    return not _usable(page.lines) and bool(page.pictures)
