"""DOCX files via python-docx: headings, paragraphs, lists and tables in body order.

Pictures and alt chunks (content Word imports from HTML, MHT, RTF, text or another Word
document) are :mod:`docx_embedded`'s business; page furniture, notes and charts :mod:`docx_parts`'.

The body XML is walked directly so tables and paragraphs interleave as in the document. DOCX has
no reliable page boundaries (pages exist only once Word lays the text out), so the whole document
is one page; explicit page breaks are not treated as page boundaries.
"""

from __future__ import annotations

import html
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from reams.domain.errors import ProcessorError
from reams.processors.parse.blocks import Block, heading, list_item, paragraph
from reams.processors.parse.model import Metadata, StaticSource
from reams.processors.parse.office.common import (
    main_part,
    office_page,
    transitional,
)
from reams.processors.parse.office.docx_embedded import (
    PICTURE,
    VML_IMAGE,
    alt_chunk_blocks,
    picture_block,
)
from reams.processors.parse.office.docx_parts import (
    CHART,
    chart_blocks,
    furniture_blocks,
    note_blocks,
    note_reference,
)
from reams.processors.parse.office.docx_styles import Numbering, StyleInfo, W, read_styles
from reams.processors.parse.tables import render_table

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
_STRICT_NAMESPACE = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
_DEFAULT_BODY = "word/document.xml"

# Macro-enabled documents and templates have the same body; python-docx only registers .docx.
_EXTRA_MAIN_CONTENT_TYPES = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_TEXTBOX = f"{W}txbxContent"
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CORE_PROPERTIES = ("title", "author", "subject", "keywords", "created", "modified")
FORM_FIELDS_KEY = "form_field_count"  # as the PDF and HTML readers (read by classify)
# Content controls that are fields to fill: plain text, date, drop-down, combo box, check box,
# and any control still showing its placeholder ("Click here to enter text."). A rich-text
# control that holds filled-in text is a template's container, as are building blocks (a table
# of contents, a cover page), citations and bibliographies: not counted.
_FIELD_CONTROLS = frozenset(
    {
        f"{W}text",
        f"{W}date",
        f"{W}dropDownList",
        f"{W}comboBox",
        f"{W}showingPlcHdr",
        f"{_W14}checkbox",
    }
)
_MAX_SPAN = 64  # grid columns: a larger span or offset in a cell is damage, read as none


def read_docx(
    data: bytes, *, tables_as_html: bool, headers: bool = True, footers: bool = True
) -> StaticSource:
    """The body as one page, with page headers first and footers and notes last (when asked)."""
    _reject_ole(data)
    if _check_archive(data):
        data = transitional(data)
    document = _open(data)

    walker = _BodyWalker(document, tables_as_html=tables_as_html, depth=0)
    body = walker.walk(document.element.body)  # first, so headers do not advance list numbers
    if not any(block.text.strip() for block in body):
        raise ProcessorError("empty_document", "The Word document contains no text.")
    blocks = [
        *(furniture_blocks(document, walker.walk, kind="header") if headers else []),
        *body,
        *note_blocks(document, paragraph_text),
        *(furniture_blocks(document, walker.walk, kind="footer") if footers else []),
    ]
    width, height = _page_size(document)
    page = office_page(blocks, width=width, height=height)
    metadata = _metadata(document)
    fields = form_field_count(document.element.body)
    if fields:
        metadata[FORM_FIELDS_KEY] = fields
    return StaticSource([page], metadata=metadata)


def _chunk_body(data: bytes, depth: int, *, tables_as_html: bool) -> list[Block]:
    """The body blocks of a Word document imported into another one as an alt chunk."""
    _reject_ole(data)
    if _check_archive(data):
        data = transitional(data)
    document = _open(data)
    walker = _BodyWalker(document, tables_as_html=tables_as_html, depth=depth)
    return walker.walk(document.element.body)


def form_field_count(body: Any) -> int:
    """The fields of a Word form in ``body``: content controls (``w:sdt``) of the kinds in
    ``_FIELD_CONTROLS`` and legacy form fields (``FORMTEXT``, ``FORMCHECKBOX``,
    ``FORMDROPDOWN``: a field whose ``w:fldChar`` carries ``w:ffData``)."""
    count = 0
    for element in body.iter(f"{W}sdt", f"{W}ffData"):
        if element.tag == f"{W}ffData":
            count += 1
            continue
        properties = element.find(f"{W}sdtPr")
        kinds = {child.tag for child in properties} if properties is not None else set()
        if kinds & _FIELD_CONTROLS:
            count += 1
    return count


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


def _check_archive(data: bytes) -> bool:
    """Refuse zip bombs before parsing; whether the document is in Strict Open XML."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > _MAX_UNCOMPRESSED_BYTES:
            raise ProcessorError(
                "too_large",
                "The Word document unpacks to more than 512 MB; reams will not open it.",
            )
        found = main_part(archive)  # where _rels/.rels says the body is, as Word finds it
        with archive.open(found[0] if found and found[1] == "docx" else _DEFAULT_BODY) as body:
            head = body.read(4096)
    return _STRICT_NAMESPACE in head


def _open(data: bytes) -> Any:
    from docx.opc.part import PartFactory
    from docx.package import Package
    from docx.parts.document import DocumentPart

    for content_type in _EXTRA_MAIN_CONTENT_TYPES:
        PartFactory.part_type_for.setdefault(content_type, DocumentPart)
    if not _chunk_parts_installed:
        _install_chunk_parts(PartFactory)
    return Package.open(io.BytesIO(data)).main_document_part.document


_chunk_parts_installed = False


def _install_chunk_parts(factory: Any) -> None:
    """Make python-docx load alt chunks as plain parts. A chunk that is a whole Word document
    carries the body's content type, so python-docx would parse the zip as the body's XML and
    fail to open the document that imports it."""
    global _chunk_parts_installed
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.part import Part

    selector = factory.__dict__.get("part_class_selector")

    def select(content_type: str, reltype: str) -> Any:
        if reltype == RELATIONSHIP_TYPE.A_F_CHUNK:
            return Part
        return selector(content_type, reltype) if selector is not None else None

    factory.part_class_selector = select
    _chunk_parts_installed = True


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

    def __init__(self, document: Any, *, tables_as_html: bool, depth: int) -> None:
        part = self._part = self._body_part = document.part
        self._chunk_depth = depth  # how deep in alt chunks that are Word documents
        self._styles = read_styles(_styles_element(part))
        self._numbering = Numbering(_numbering_element(part))
        self._tables_as_html = tables_as_html
        self._blocks: list[Block] = []
        self._list_md: list[str] = []
        self._list_text: list[str] = []
        self._open_levels: list[int] = []

    def walk(self, container: Any, part: Any = None) -> list[Block]:
        """The blocks of ``container``, the root of ``part`` (default: the body's part, whose
        relationships name pictures and charts); the walker may walk several parts in turn."""
        self._blocks = []
        self._part = self._body_part if part is None else part
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
            elif tag == f"{W}altChunk":
                self._end_list()
                self._blocks.extend(
                    alt_chunk_blocks(
                        self._part,
                        child,
                        tables_as_html=self._tables_as_html,
                        depth=self._chunk_depth,
                        read_word=self._read_chunk,
                    )
                )

    def _read_chunk(self, data: bytes, depth: int) -> list[Block]:
        return _chunk_body(data, depth, tables_as_html=self._tables_as_html)

    def _paragraph(self, element: Any) -> None:
        raw, drawings = _text_and_drawings(element)
        text = raw.strip()
        items = len(self._list_md)
        if text:
            self._paragraph_text(element, text)
        if not drawings:
            return
        in_list = len(self._list_md) > items  # the paragraph is a list item
        for anchored in _anchored(element):
            if in_list and anchored.tag in (PICTURE, VML_IMAGE):
                self._picture_in_item(picture_block(self._part, anchored))
                continue
            self._end_list()
            if anchored.tag == _TEXTBOX:
                self._walk(anchored)
            elif anchored.tag == CHART:
                self._blocks.extend(
                    chart_blocks(self._part, anchored, as_html=self._tables_as_html)
                )
            else:
                self._blocks.append(picture_block(self._part, anchored))

    def _picture_in_item(self, picture: Block) -> None:
        """A picture in a list item (an icon, a small figure) stays in the item, so the list
        goes on after it."""
        self._list_md[-1] += " " + picture.markdown
        if picture.text:
            self._list_text[-1] += " " + picture.text

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
        if (cell := _single_cell(element)) is not None:
            # A one-cell table is a frame around its content (a box, or a nested table).
            self._walk(cell)
            return
        if self._tables_as_html:
            table = _spanned_html(element)
        else:
            table = render_table(_grid_rows(element), as_html=False)
        if table is not None:
            self._blocks.append(table)


def paragraph_text(element: Any) -> str:
    """The visible text of a ``w:p``, including hyperlinks, insertions and content controls."""
    parts: list[str] = []
    _collect_runs(element, parts, None)
    return "".join(parts)


def _text_and_drawings(element: Any) -> tuple[str, bool]:
    """:func:`paragraph_text`, and whether the paragraph may anchor drawings (text boxes,
    charts, pictures): seen on the way, so the many paragraphs without any are not searched."""
    parts: list[str] = []
    holders: list[Any] = []
    _collect_runs(element, parts, holders)
    return "".join(parts), bool(holders)


_RUN_CONTAINERS = frozenset(
    {f"{W}hyperlink", f"{W}ins", f"{W}smartTag", f"{W}fldSimple", f"{W}sdtContent", f"{W}sdt"}
)
_T, _BR, _RUN_PROPERTIES, _R_TAG = f"{W}t", f"{W}br", f"{W}rPr", f"{W}r"
_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
_NOTE_REFERENCES = frozenset({f"{W}footnoteReference", f"{W}endnoteReference"})
_RUN_TEXT = {f"{W}tab": "\t", f"{W}cr": "\n", f"{W}noBreakHyphen": "-", f"{W}softHyphen": ""}


# What a run holds drawings in; and the children of a paragraph or run container that hold
# neither text nor drawings (any other may: a drawing in markup-compatibility content, say).
_DRAWING_HOLDERS = frozenset({f"{W}drawing", f"{W}pict", f"{W}object", _ALTERNATE})
_NO_DRAWINGS = frozenset(
    f"{W}{name}"
    for name in (
        "pPr", "proofErr", "bookmarkStart", "bookmarkEnd", "commentRangeStart",
        "commentRangeEnd", "permStart", "permEnd", "del", "moveFrom", "moveFromRangeStart",
        "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd", "sdtPr", "sdtEndPr",
    )
)  # fmt: skip


def _collect_runs(container: Any, parts: list[str], holders: list[Any] | None) -> None:
    for child in container.iterchildren():
        tag = child.tag
        if tag == _R_TAG:
            _run_text(child, parts, holders)
        elif tag == f"{W}sdt" and (box := _checkbox(child)) is not None:
            parts.append(box)
        elif tag in _RUN_CONTAINERS:
            _collect_runs(child, parts, holders)
        elif holders is not None and tag not in _NO_DRAWINGS:
            holders.append(child)


def _checkbox(sdt: Any) -> str | None:
    """``[x]`` or ``[ ]`` for a checkbox content control (its glyph depends on the font)."""
    checkbox = sdt.find(f"{W}sdtPr/{_W14}checkbox")
    if checkbox is None:
        return None
    checked = checkbox.find(f"{_W14}checked")
    value = None if checked is None else checked.get(f"{_W14}val")
    return "[x]" if value in ("1", "true") else "[ ]"


def _run_text(run: Any, parts: list[str], holders: list[Any] | None) -> None:
    for child in run.iterchildren():
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag == _RUN_PROPERTIES:
            continue  # in nearly every run: settled first on long documents
        elif tag == _BR:
            # Page and column breaks end a line of text too; only their Markdown meaning differs.
            parts.append("\n")
        elif tag in _RUN_TEXT:
            parts.append(_RUN_TEXT[tag])
        elif tag in _NOTE_REFERENCES:
            parts.append(note_reference(child) or "")
        elif tag == f"{W}ruby":
            # Keep the base text of ruby (furigana) annotations, not the reading above it.
            base = child.find(f"{W}rubyBase")
            if base is not None:
                _collect_runs(base, parts, holders)
        elif holders is not None and tag in _DRAWING_HOLDERS:
            holders.append(child)


def _anchored(paragraph: Any) -> list[Any]:
    """Text boxes, charts and pictures anchored in a paragraph, once each: Word stores a VML
    fallback copy of every DrawingML drawing, and what is inside a text box is reached through
    the box. Those deleted as tracked changes are left out, as their text is."""
    return [
        box
        for box in paragraph.iter(_TEXTBOX, CHART, PICTURE, VML_IMAGE)
        if not _nested(box, paragraph)
    ]


# A drawing under these is a copy (a fallback, a box's content read with the box) or was deleted
# with tracked changes on (its text is not read either).
_NOT_ANCHORED_HERE = frozenset({_FALLBACK, _TEXTBOX, f"{W}del", f"{W}moveFrom"})


def _nested(box: Any, paragraph: Any) -> bool:
    parent = box.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag in _NOT_ANCHORED_HERE:
            return True
        parent = parent.getparent()
    return False


def _single_cell(table: Any) -> Any:
    """The only cell of a one-row, one-column table, else None."""
    rows = _rows(table)
    cells = list(rows[0].iterchildren(f"{W}tc")) if len(rows) == 1 else []
    if len(cells) != 1 or (_val(cells[0], f"{W}tcPr/{W}gridSpan") or "1") != "1":
        return None
    return cells[0]


@dataclass(slots=True)
class _Cell:
    """A cell placed on the table grid: its text, and how many grid columns and rows it covers."""

    text: str
    row: int
    column: int
    columns: int = 1
    rows: int = 1


def _grid_cells(table: Any) -> tuple[list[_Cell], int, int]:
    """The table's cells placed on its grid, with the grid's row and column counts.

    A row starts after ``gridBefore`` empty grid columns; a cell covers ``gridSpan`` columns; a
    cell whose ``vMerge`` continues the one above extends that cell down instead of being a cell,
    and one whose ``hMerge`` (older files' horizontal merge) continues the one before extends
    that cell across.
    """
    cells: list[_Cell] = []
    bottom: dict[int, _Cell] = {}  # grid column -> the cell last placed there
    width = 0
    table_rows = _rows(table)
    for index, row in enumerate(table_rows):
        column = _count(_val(row, f"{W}trPr/{W}gridBefore"), default=0)
        before: _Cell | None = None  # the cell this row placed last
        for cell in _own_cells(row):
            span = _count(_val(cell, f"{W}tcPr/{W}gridSpan"), default=1) or 1
            above = bottom.get(column)
            if (
                _continues_merge(cell, _V_MERGE)
                and above is not None
                and above.row + above.rows == index
            ):
                above.rows += 1
            elif (
                _continues_merge(cell, _H_MERGE)
                and before is not None
                and before.row == index
                and before.column + before.columns == column
            ):
                before.columns += span
                for covered in range(column, column + span):
                    bottom[covered] = before
            else:
                texts = (paragraph_text(p) for p in cell.iter(f"{W}p"))
                before = _Cell(" ".join(t for t in texts if t.strip()), index, column, span)
                cells.append(before)
                for covered in range(column, column + span):
                    bottom[covered] = before
            column += span
        width = max(width, column)
    return cells, len(table_rows), width


def _grid_rows(table: Any) -> list[list[str]]:
    """The table's rows on its grid, for a Markdown table, which has no spans: a merged cell's
    text in every grid cell it covers (as docling writes them), and empty cells where a row
    starts late or ends early, so that every column stays aligned."""
    cells, height, width = _grid_cells(table)
    rows = [[""] * width for _ in range(height)]
    for cell in cells:
        for row in rows[cell.row : cell.row + cell.rows]:
            row[cell.column : cell.column + cell.columns] = [cell.text] * cell.columns
    return rows


def _spanned_html(table: Any) -> Block | None:
    """The table as HTML with ``colspan`` and ``rowspan``; rows without any text are left out."""
    cells, height, width = _grid_cells(table)
    for cell in cells:
        cell.text = " ".join(cell.text.split())
    by_row: list[list[_Cell]] = [[] for _ in range(height)]
    for cell in cells:
        by_row[cell.row].append(cell)
    empty = {index for index, row in enumerate(by_row) if not any(cell.text for cell in row)}
    if len(empty) == height:
        return None
    for cell in cells:  # a spacing row inside a vertical merge is not counted in its span
        cell.rows -= sum(1 for index in range(cell.row + 1, cell.row + cell.rows) if index in empty)
    kept = [row for index, row in enumerate(by_row) if index not in empty]
    header, *body = _html_rows(kept, width)
    lines = ["<table>", f"<thead><tr>{header}</tr></thead>", "<tbody>"]
    lines += [f"<tr>{row}</tr>" for row in body] + ["</tbody>", "</table>"]
    text = "\n".join("\t".join(cell.text for cell in row) for row in kept)
    return Block("\n".join(lines), text)


def _html_rows(rows: list[list[_Cell]], width: int) -> list[str]:
    """Each row's cells as HTML, an empty filler cell over each stretch of the grid that no
    cell covers (where a row starts late or ends early), so that columns stay aligned."""
    rendered: list[str] = []
    below: dict[int, int] = {}  # grid column -> rows still covered by a rowspan from above
    for number, row in enumerate(rows):
        tag = "th" if number == 0 else "td"
        covered = {column for column, left in below.items() if left > 0}
        below = {column: left - 1 for column, left in below.items() if left > 1}
        anchored = {cell.column: cell for cell in row}
        parts: list[str] = []
        column = gap = 0
        while column < width:
            cell = anchored.get(column)
            if cell is None and column not in covered:
                gap, column = gap + 1, column + 1
                continue
            if gap:
                parts.append(_html_cell(tag, _Cell("", number, column - gap, gap)))
                gap = 0
            if cell is None:
                column += 1
                continue
            parts.append(_html_cell(tag, cell))
            for spanned in range(cell.column, cell.column + cell.columns):
                if cell.rows > 1:
                    below[spanned] = cell.rows - 1
            column += cell.columns
        if gap:
            parts.append(_html_cell(tag, _Cell("", number, width - gap, gap)))
        rendered.append("".join(parts))
    return rendered


def _html_cell(tag: str, cell: _Cell) -> str:
    spans = (f' colspan="{cell.columns}"' if cell.columns > 1 else "") + (
        f' rowspan="{cell.rows}"' if cell.rows > 1 else ""
    )
    return f"<{tag}{spans}>{html.escape(cell.text)}</{tag}>"


def _own_cells(row: Any) -> list[Any]:
    """A row's own cells, including cells wrapped in content controls (not nested tables')."""
    return [
        cell
        for cell in row.iter(f"{W}tc")
        if cell.getparent() is row or cell.getparent().tag == f"{W}sdtContent"
    ]


_V_MERGE, _H_MERGE = f"{W}tcPr/{W}vMerge", f"{W}tcPr/{W}hMerge"


def _continues_merge(cell: Any, path: str) -> bool:
    merge = cell.find(path)
    return merge is not None and merge.get(f"{W}val") in (None, "continue")


def _count(value: str | None, *, default: int) -> int:
    """A grid count attribute, within sense (a damaged file may say anything)."""
    return (
        int(value) if value is not None and value.isdigit() and int(value) < _MAX_SPAN else default
    )


def _rows(table: Any) -> list[Any]:
    """The table's own rows, including rows wrapped in content controls or custom XML."""
    rows: list[Any] = []
    for child in table.iterchildren(f"{W}tr", f"{W}sdt", f"{W}customXml"):
        if child.tag == f"{W}tr":
            rows.append(child)
        else:
            content = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            rows.extend(_rows(content) if content is not None else [])
    return rows


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
