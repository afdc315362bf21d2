"""Images on a PDF page: where they sit, for placeholders in the Markdown and for OCR decisions.

Image objects are found among the page objects and inside form XObjects. Small ones (icons,
bullets, rules drawn as bitmaps) are left out: only an image covering a noticeable share of the
page becomes a placeholder. The walk is bounded, so a page of vector art costs little.

The same walk notes the page's path objects for the ruling lines (``rules``), so that a page whose
rules are read has its objects walked once (:func:`read_objects`).
"""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reams.processors.parse.pdf import native
from reams.processors.parse.pdf.geometry import IDENTITY, Matrix, Turn, apply, compose
from reams.processors.parse.pdf.text import unchecked

_MIN_AREA = 0.02  # of the page: smaller images are decoration
_MAX_OBJECTS = 5_000
_MAX_DEPTH = 4


@dataclass(frozen=True, slots=True)
class Picture:
    """An image's box in display coordinates (y grows up the page)."""

    left: float
    right: float
    top: float
    bottom: float

    @property
    def area(self) -> float:
        return (self.right - self.left) * (self.top - self.bottom)


Paths = list[tuple[Any, Matrix]]
"""Path objects in the order of a walk of the page, each with the matrix of the form XObjects
around it (``rules.read_rules`` reads them); valid while the page stays open. An object is a
ctypes handle, or its address (an int) when the native module walked the page."""


def read_pictures(page: Any, *, rotation: int, width: float, height: float) -> list[Picture]:
    """The images of a pypdfium2 page (the raw FPDF_PAGE handle) worth a placeholder, top down."""
    return read_objects(page, rotation=rotation, width=width, height=height)[0]


def read_objects(
    page: Any, *, rotation: int, width: float, height: float
) -> tuple[list[Picture], Paths | None]:
    """:func:`read_pictures`, and the page's path objects in walk order; None instead of the
    paths when the walk stopped at its bound (the rules then walk the page on their own)."""
    import pypdfium2.raw as pdfium_c

    total = int(pdfium_c.FPDFPage_CountObjects(page))
    count = min(total, _MAX_OBJECTS)
    walked = _native_walk(pdfium_c, page, count)
    if walked is None:
        finder = _Finder(pdfium_c)
        get_object = unchecked(pdfium_c, "FPDFPage_GetObject")
        # map() rather than a generator: one frame less per object of the page.
        finder.walk(map(get_object, itertools.repeat(page, count), range(count)), IDENTITY, 0)
        stopped, boxes, paths = finder.seen > _MAX_OBJECTS, finder.boxes, finder.paths
    else:
        stopped, boxes, paths = walked
    turn = Turn(rotation % 360, width, height)
    pictures = []
    for x0, y0, x1, y1 in boxes:
        (a, b), (c, d) = turn(x0, y0), turn(x1, y1)
        left, right, top, bottom = min(a, c), max(a, c), max(b, d), min(b, d)
        # Picture.area, worked out before a Picture is made: most boxes are too small to keep.
        if (right - left) * (top - bottom) >= _MIN_AREA * width * height:
            pictures.append(Picture(left, right, top, bottom))
    complete = not stopped and total <= _MAX_OBJECTS
    return sorted(pictures, key=lambda picture: -picture.top), paths if complete else None


_Walked = tuple[bool, list[tuple[float, float, float, float]], "Paths"]


def _native_walk(pdfium_c: Any, page: Any, count: int) -> _Walked | None:
    """:class:`_Finder`'s walk of the first ``count`` objects of ``page`` in C (``native``):
    whether its bound stopped it, the image boxes and the path objects (as addresses); None
    without the native module."""
    module = native.chars_module
    if module is None:
        return None
    walked: _Walked = module.walk(
        native.address(page),
        count,
        native.functions(
            pdfium_c,
            "FPDFPage_GetObject",
            "FPDFFormObj_GetObject",
            "FPDFPageObj_GetType",
            "FPDFFormObj_CountObjects",
            "FPDFPageObj_GetBounds",
            "FPDFPageObj_GetMatrix",
        ),
        (
            pdfium_c.FPDF_PAGEOBJ_PATH,
            pdfium_c.FPDF_PAGEOBJ_IMAGE,
            pdfium_c.FPDF_PAGEOBJ_FORM,
            _MAX_OBJECTS,
            _MAX_DEPTH,
        ),
    )
    return walked


class _Finder:
    """Collects the page-space bounds (x0, y0, x1, y1) of image objects."""

    def __init__(self, pdfium_c: Any) -> None:
        self._c = pdfium_c
        self.boxes: list[tuple[float, float, float, float]] = []
        self.paths: Paths = []
        self.seen = 0
        self._bounds = tuple(ctypes.c_float() for _ in range(4))
        self._bounds_args = tuple(ctypes.byref(value) for value in self._bounds)
        self._matrix = pdfium_c.FS_MATRIX()
        # Called for every object of the page: without ctypes' argument conversion (text.py).
        self._get_type = unchecked(pdfium_c, "FPDFPageObj_GetType")
        self._get_bounds = unchecked(pdfium_c, "FPDFPageObj_GetBounds")
        self._form_object = unchecked(pdfium_c, "FPDFFormObj_GetObject")

    def walk(self, objects: Iterator[Any], parent: Matrix, depth: int) -> None:
        c = self._c
        get_type, image, form = self._get_type, c.FPDF_PAGEOBJ_IMAGE, c.FPDF_PAGEOBJ_FORM
        path, paths = c.FPDF_PAGEOBJ_PATH, self.paths
        for obj in objects:
            self.seen += 1
            if self.seen > _MAX_OBJECTS:
                return
            kind = get_type(obj)
            if kind == path:
                paths.append((obj, parent))
            elif kind == image:
                self._image(obj, parent)
            elif kind == form and depth < _MAX_DEPTH:
                count = c.FPDFFormObj_CountObjects(obj)
                inner = parent
                if c.FPDFPageObj_GetMatrix(obj, ctypes.byref(self._matrix)):
                    m = self._matrix
                    inner = compose((m.a, m.b, m.c, m.d, m.e, m.f), parent)
                form_object = self._form_object
                self.walk(
                    (form_object(obj, ctypes.c_ulong(i)) for i in range(count)), inner, depth + 1
                )

    def _image(self, obj: Any, parent: Matrix) -> None:
        if self._get_bounds(obj, *self._bounds_args):
            left, bottom, right, top = (value.value for value in self._bounds)
            (x0, y0), (x1, y1) = apply(parent, left, bottom), apply(parent, right, top)
            self.boxes.append((x0, y0, x1, y1))
