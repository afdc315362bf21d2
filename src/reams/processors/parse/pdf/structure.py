"""The reading order a tagged PDF declares: its structure tree, through PDFium.

A tagged PDF wraps the content of its pages in marked-content sequences, each with an id (MCID)
unique on its page, and lists them in a structure tree (document, sections, paragraphs, table
cells...) in reading order. :func:`structure_ranks` walks the tree of one page depth first and
gives each MCID its rank in that walk; the text reader notes the MCID of each line
(``Line.mcid``), and the layout reads lines by rank when the ranks cover most of the page's
text. A page without a tree (most PDFs) gets None, and the layout orders it by its geometry.
"""

from __future__ import annotations

from typing import Any

from reams.processors.parse.pdf import native
from reams.processors.parse.pdf.text import unchecked

_MAX_ELEMENTS = 100_000  # a bound on the elements walked, whatever a damaged tree claims
_MAX_DEPTH = 200


def structure_ranks(page: Any) -> dict[int, int] | None:
    """MCID -> rank in the structure tree's reading order for a raw PDFium page, or None.

    None when the page has no structure tree or it names fewer than two marked-content ids.
    """
    import pypdfium2.raw as pdfium_c

    tree = pdfium_c.FPDF_StructTree_GetForPage(page)
    if not tree:
        return None
    try:
        elements = [
            element
            for index in range(max(int(pdfium_c.FPDF_StructTree_CountChildren(tree)), 0))
            if (element := pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, index))
        ]
        ranks = _native_ranks(pdfium_c, elements)
        if ranks is None:
            walker = _Walker(pdfium_c)
            for element in elements:
                walker.walk(element, 0)
            ranks = walker.ranks
        return ranks if len(ranks) >= 2 else None
    finally:
        pdfium_c.FPDF_StructTree_Close(tree)


def _native_ranks(pdfium_c: Any, elements: list[Any]) -> dict[int, int] | None:
    """:class:`_Walker`'s walk of ``elements`` in C (``native``), or None without it."""
    module = native.chars_module
    if module is None:
        return None
    ranks: dict[int, int] = module.structure(
        [native.address(element) for element in elements],
        native.functions(
            pdfium_c,
            "FPDF_StructElement_CountChildren",
            "FPDF_StructElement_GetChildAtIndex",
            "FPDF_StructElement_GetChildMarkedContentID",
            "FPDF_StructElement_GetMarkedContentIdCount",
            "FPDF_StructElement_GetMarkedContentIdAtIndex",
        ),
        _MAX_ELEMENTS,
        _MAX_DEPTH,
    )
    return ranks


class _Walker:
    def __init__(self, pdfium_c: Any) -> None:
        # Called for every element of the tree: without ctypes' argument conversion (text.py).
        self._count = unchecked(pdfium_c, "FPDF_StructElement_CountChildren")
        self._child = unchecked(pdfium_c, "FPDF_StructElement_GetChildAtIndex")
        self._child_mcid = unchecked(pdfium_c, "FPDF_StructElement_GetChildMarkedContentID")
        self._mcid_count = unchecked(pdfium_c, "FPDF_StructElement_GetMarkedContentIdCount")
        self._mcid_at = unchecked(pdfium_c, "FPDF_StructElement_GetMarkedContentIdAtIndex")
        self.ranks: dict[int, int] = {}
        self._seen = 0

    def walk(self, element: Any, depth: int) -> None:
        self._seen += 1
        if self._seen > _MAX_ELEMENTS or depth > _MAX_DEPTH:
            return
        count = int(self._count(element))
        for index in range(max(count, 0)):
            child = self._child(element, index)
            if child:
                self.walk(child, depth + 1)
            else:  # a marked-content reference: an MCID on the page
                self._rank(int(self._child_mcid(element, index)))
        if count <= 0:  # an element whose content is given as MCIDs only
            for index in range(max(int(self._mcid_count(element)), 0)):
                self._rank(int(self._mcid_at(element, index)))

    def _rank(self, mcid: int) -> None:
        if mcid >= 0 and mcid not in self.ranks:
            self.ranks[mcid] = len(self.ranks)
