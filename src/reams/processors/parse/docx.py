"""DOCX files via python-docx: headings, paragraphs, lists and tables in body order.

The body XML is walked directly so tables and paragraphs interleave as in the document. DOCX has
no reliable page boundaries (pages exist only once Word lays the text out), so the whole document
is one page; explicit page breaks are not treated as page boundaries.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from reams.domain.errors import ProcessorError
from reams.processors.parse.blocks import Block, heading, list_item, page_from_blocks, paragraph
from reams.processors.parse.docx_styles import Numbering, StyleInfo, W, read_styles
from reams.processors.parse.model import Metadata, StaticSource
from reams.processors.parse.tables import render_table

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
_STRICT_NAMESPACE = b"http://purl.oclc.org/ooxml/wordprocessingml/main"

# Macro-enabled documents and templates have the same body; python-docx only registers .docx.
_EXTRA_MAIN_CONTENT_TYPES = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_TEXTBOX = f"{W}txbxContent"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CORE_PROPERTIES = ("title", "author", "subject", "keywords", "created", "modified")


def read_docx(data: bytes, *, tables_as_html: bool) -> StaticSource:
    _reject_ole(data)
    _check_archive(data)
    document = _open(data)
    walker = _BodyWalker(document, tables_as_html=tables_as_html)
    blocks = walker.walk(document.element.body)
    if not any(block.text.strip() for block in blocks):
        raise ProcessorError("empty_document", "The Word document contains no text.")
    width, height = _page_size(document)
    page = page_from_blocks(blocks, width=width, height=height)
    return StaticSource([page], metadata=_metadata(document))


def _reject_ole(data: bytes) -> None:
    """Encrypted OOXML is stored in an OLE container; so is a legacy .doc given a .docx name."""
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_STREAM in data:
            raise ProcessorError(
                "encrypted_document",
                "The Word document is password-protected; "
                "reams cannot open it without the password.",
            )
        raise ProcessorError(
            "unsupported_format",
            "The file is a legacy Word (.doc) document named .docx; "
            "DOC files are not supported yet.",
        )


def _check_archive(data: bytes) -> None:
    """Refuse zip bombs and Strict Open XML, which python-docx cannot read, before parsing."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > _MAX_UNCOMPRESSED_BYTES:
            raise ProcessorError(
                "too_large",
                "The Word document unpacks to more than 512 MB; reams will not open it.",
            )
        with archive.open("word/document.xml") as body:
            head = body.read(4096)
    if _STRICT_NAMESPACE in head:
        raise ProcessorError(
            "unsupported_format", "Word documents saved as Strict Open XML are not supported yet."
        )


def _open(data: bytes) -> Any:
    from docx.opc.part import PartFactory
    from docx.package import Package
    from docx.parts.document import DocumentPart

    for content_type in _EXTRA_MAIN_CONTENT_TYPES:
        PartFactory.part_type_for.setdefault(content_type, DocumentPart)
    return Package.open(io.BytesIO(data)).main_document_part.document


def _page_size(document: Any) -> tuple[float | None, float | None]:
    sections = document.sections
    if len(sections) == 0:
        return None, None
    section = sections[0]
    width, height = section.page_width, section.page_height
    return (
        float(width.pt) if width is not None else None,
        float(height.pt) if height is not None else None,
    )


def _metadata(document: Any) -> Metadata:
    from docx.opc.constants import RELATIONSHIP_TYPE

    # Asking python-docx for missing core properties would invent defaults ("Word Document").
    try:
        part = document.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    except KeyError:
        return {}
    properties = part.core_properties
    metadata: Metadata = {}
    for name in _CORE_PROPERTIES:
        value = getattr(properties, name, None)
        if value:
            metadata[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return metadata


class _BodyWalker:
    """Turns body children into blocks, gathering consecutive list items into one list block."""

    def __init__(self, document: Any, *, tables_as_html: bool) -> None:
        part = document.part
        self._styles = read_styles(_styles_element(part))
        self._numbering = Numbering(_numbering_element(part))
        self._tables_as_html = tables_as_html
        self._blocks: list[Block] = []
        self._list_md: list[str] = []
        self._list_text: list[str] = []
        self._open_levels: list[int] = []

    def walk(self, container: Any) -> list[Block]:
        self._walk(container)
        self._end_list()
        return self._blocks

    def _walk(self, container: Any) -> None:
        for child in container.iterchildren():
            tag = child.tag
            if tag == f"{W}p":
                self._paragraph(child)
            elif tag == f"{W}tbl":
                self._end_list()
                self._table(child)
            elif tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self._walk(content)
            elif tag == f"{W}customXml":
                self._walk(child)

    def _paragraph(self, element: Any) -> None:
        text = paragraph_text(element).strip()
        if text:
            self._paragraph_text(element, text)
        for textbox in _textboxes(element):
            self._end_list()
            self._walk(textbox)

    def _paragraph_text(self, element: Any, text: str) -> None:
        style = self._styles.get(_val(element, f"{W}pPr/{W}pStyle") or "", StyleInfo())
        marker_and_depth = self._list_marker(element, style)
        if marker_and_depth is not None:
            marker, level = marker_and_depth
            depth = self._depth(level)
            self._list_md.append(list_item(marker, text, depth=depth))
            self._list_text.append(f"{'    ' * depth}{marker} {text}")
            return
        self._end_list()
        if style.heading_level is not None:
            self._blocks.append(heading(style.heading_level, " ".join(text.split())))
        else:
            self._blocks.append(paragraph(text))

    def _list_marker(self, element: Any, style: StyleInfo) -> tuple[str, int] | None:
        num_id = _val(element, f"{W}pPr/{W}numPr/{W}numId") or style.num_id
        level_value = _val(element, f"{W}pPr/{W}numPr/{W}ilvl") or "0"
        level = int(level_value) if level_value.isdigit() else 0
        # numId 0 is Word's way of switching numbering off for one paragraph.
        if num_id is not None and num_id != "0":
            return self._numbering.marker(num_id, level), level
        if style.list_style:
            return ("1." if style.numbered else "-"), 0
        return None

    def _depth(self, level: int) -> int:
        # Word lists may start at any level; Markdown nests one level at a time.
        while self._open_levels and self._open_levels[-1] > level:
            self._open_levels.pop()
        if not self._open_levels or self._open_levels[-1] < level:
            self._open_levels.append(level)
        return len(self._open_levels) - 1

    def _end_list(self) -> None:
        if self._list_md:
            self._blocks.append(Block("\n".join(self._list_md), "\n".join(self._list_text)))
            self._list_md, self._list_text, self._open_levels = [], [], []

    def _table(self, element: Any) -> None:
        rows = [_row_cells(row) for row in element.iterchildren(f"{W}tr")]
        table = render_table(rows, as_html=self._tables_as_html)
        if table is not None:
            self._blocks.append(table)


def paragraph_text(element: Any) -> str:
    """The visible text of a ``w:p``, including hyperlinks, insertions and content controls."""
    parts: list[str] = []
    _collect_runs(element, parts)
    return "".join(parts)


_RUN_CONTAINERS = frozenset(
    {f"{W}hyperlink", f"{W}ins", f"{W}smartTag", f"{W}fldSimple", f"{W}sdtContent", f"{W}sdt"}
)
_RUN_TEXT = {f"{W}tab": "\t", f"{W}cr": "\n", f"{W}noBreakHyphen": "-", f"{W}softHyphen": ""}


def _collect_runs(container: Any, parts: list[str]) -> None:
    for child in container.iterchildren():
        if child.tag == f"{W}r":
            _run_text(child, parts)
        elif child.tag in _RUN_CONTAINERS:
            _collect_runs(child, parts)


def _run_text(run: Any, parts: list[str]) -> None:
    for child in run.iterchildren():
        tag = child.tag
        if tag == f"{W}t":
            parts.append(child.text or "")
        elif tag == f"{W}br":
            # Page and column breaks end a line of text too; only their Markdown meaning differs.
            parts.append("\n")
        elif tag in _RUN_TEXT:
            parts.append(_RUN_TEXT[tag])
        elif tag == f"{W}ruby":
            # Keep the base text of ruby (furigana) annotations, not the reading above it.
            base = child.find(f"{W}rubyBase")
            if base is not None:
                _collect_runs(base, parts)


def _textboxes(paragraph: Any) -> list[Any]:
    """Text boxes anchored in a paragraph, once each: Word stores a VML fallback copy of every
    DrawingML text box, and a box inside another box is reached through its parent."""
    return [box for box in paragraph.iter(_TEXTBOX) if not _nested(box, paragraph)]


def _nested(box: Any, paragraph: Any) -> bool:
    parent = box.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag in (_FALLBACK, _TEXTBOX):
            return True
        parent = parent.getparent()
    return False


def _row_cells(row: Any) -> list[str]:
    cells: list[str] = []
    for cell in row.iter(f"{W}tc"):
        if cell.getparent() is not row and cell.getparent().tag != f"{W}sdtContent":
            continue  # a cell of a nested table: its text is part of the enclosing cell
        texts = (paragraph_text(p) for p in cell.iter(f"{W}p"))
        cells.append(" ".join(text for text in texts if text.strip()))
        span = _val(cell, f"{W}tcPr/{W}gridSpan") or "1"
        cells.extend([""] * (int(span) - 1 if span.isdigit() and int(span) < 64 else 0))
    return cells


def _val(parent: Any, path: str) -> str | None:
    element = parent.find(path)
    return None if element is None else element.get(f"{W}val")


def _styles_element(part: Any) -> Any:
    try:
        return part.styles.element
    except (KeyError, AttributeError, NotImplementedError):
        return None


def _numbering_element(part: Any) -> Any:
    try:
        return part.numbering_part.element
    except (KeyError, AttributeError, NotImplementedError):
        return None
