"""PowerPoint PPTX presentations via python-pptx: one page per slide.

A slide page starts with its title as a heading, then the shapes in reading order (top to bottom,
then left to right by position; groups keep their members together): text as paragraphs and
nested lists, tables as tables, charts as a table of their data, pictures as image placeholders.
Speaker notes close the page under "Notes:". Slides are extracted lazily, so a damaged slide is
one failed page, and a damaged shape is skipped with a warning.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from reams.domain.errors import ProcessorError
from reams.processors.parse.blocks import Block, heading, paragraph
from reams.processors.parse.model import Metadata, PageContent
from reams.processors.parse.office.common import (
    EMU_PER_POINT,
    check_archive,
    image_block,
    is_strict,
    office_page,
    reject_ole,
    transitional,
)
from reams.processors.parse.office.pptx_text import shape_text, text_blocks
from reams.processors.parse.office.sheets import format_number
from reams.processors.parse.tables import render_table

logger = logging.getLogger(__name__)

_LABEL = "PowerPoint"
_TITLE_TYPES = frozenset({1, 3})  # PP_PLACEHOLDER.TITLE, CENTER_TITLE
_SUBTITLE_TYPE = 4
# Slide furniture repeated from the master: date, footer and slide number placeholders.
_FURNITURE_TYPES = frozenset({13, 15, 16})
_GROUP, _PICTURE = 6, 13  # MSO_SHAPE_TYPE
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_MAX_CHART_ROWS = 1000
_CORE_PROPERTIES = ("title", "author", "subject", "keywords", "created", "modified")


class PptxSource:
    """An opened presentation; ``page(i)`` renders slide ``i``."""

    def __init__(self, data: bytes, *, tables_as_html: bool) -> None:
        reject_ole(data, label=_LABEL, legacy="PowerPoint 97-2003 (.ppt)")
        with check_archive(data, label=_LABEL) as archive:
            strict = is_strict(archive)
        if strict:
            data = transitional(data)  # python-pptx knows only the Transitional names
        from pptx import Presentation

        self._presentation = Presentation(io.BytesIO(data))
        self._slides = list(self._presentation.slides)
        if not self._slides:
            raise ProcessorError("empty_document", "The PowerPoint file has no slides.")
        self._tables_as_html = tables_as_html
        self._size = _slide_size(self._presentation)
        self.metadata: Metadata = {**_metadata(self._presentation), "slides": len(self._slides)}
        self.warnings: list[str] = []

    @property
    def page_count(self) -> int:
        return len(self._slides)

    def page(self, index: int) -> PageContent:
        slide = self._slides[index]
        renderer = _SlideRenderer(tables_as_html=self._tables_as_html)
        blocks = renderer.slide(slide)
        self.warnings.extend(f"slide {index + 1}: {warning}" for warning in renderer.warnings)
        width, height = self._size
        return office_page(blocks, width=width, height=height)

    def raw_text(self, index: int) -> str:
        texts = (
            shape.text_frame.text
            for shape in self._slides[index].shapes
            if getattr(shape, "has_text_frame", False)
        )
        return "\n\n".join(text for text in texts if text.strip())

    def close(self) -> None:
        """Nothing to release: python-pptx holds the package in memory only."""


class _SlideRenderer:
    """Turns the shapes of one slide into blocks, collecting warnings for shapes it skips."""

    def __init__(self, *, tables_as_html: bool) -> None:
        self._tables_as_html = tables_as_html
        self.warnings: list[str] = []

    def slide(self, slide: Any) -> list[Block]:
        blocks = self._shapes(slide.shapes)
        blocks.extend(_notes(slide))
        return blocks

    def _shapes(self, shapes: Any) -> list[Block]:
        blocks: list[Block] = []
        for shape in sorted(shapes, key=_reading_key):
            try:
                blocks.extend(self._shape(shape))
            except Exception:
                logger.warning("skipping a PowerPoint shape", exc_info=True)
                self.warnings.append(f"a shape ({_shape_name(shape)}) could not be read")
        return blocks

    def _shape(self, shape: Any) -> list[Block]:
        shape_type = _shape_type(shape)
        if shape_type == _GROUP:
            return self._shapes(shape.shapes)
        if getattr(shape, "has_table", False) and shape.has_table:
            return _optional(render_table(_table_rows(shape.table), as_html=self._tables_as_html))
        if getattr(shape, "has_chart", False) and shape.has_chart:
            return _chart_blocks(shape.chart, as_html=self._tables_as_html)
        if shape_type == _PICTURE or _is_picture_placeholder(shape):
            return [image_block(*_picture_alt(shape))]
        if not getattr(shape, "has_text_frame", False) or not shape.has_text_frame:
            return []
        return _text_shape_blocks(shape)


def _text_shape_blocks(shape: Any) -> list[Block]:
    kind = _placeholder_type(shape)
    if kind in _FURNITURE_TYPES:
        return []
    if kind in _TITLE_TYPES or kind == _SUBTITLE_TYPE:
        text = shape_text(shape)
        return [heading(1 if kind in _TITLE_TYPES else 2, text)] if text else []
    return text_blocks(shape)


def _reading_key(shape: Any) -> tuple[int, int, int]:
    """Titles first, then top to bottom and left to right; unplaced shapes last."""
    title = 0 if _placeholder_type(shape) in _TITLE_TYPES else 1
    top, left = _position(shape)
    return title, top, left


def _position(shape: Any) -> tuple[int, int]:
    try:
        top, left = shape.top, shape.left
    except (AttributeError, KeyError, ValueError):
        top = left = None
    unplaced = 1 << 62
    return (unplaced if top is None else int(top), unplaced if left is None else int(left))


def _placeholder_type(shape: Any) -> int | None:
    if not getattr(shape, "is_placeholder", False):
        return None
    try:
        return int(shape.placeholder_format.type)
    except (AttributeError, ValueError, TypeError):
        return None


def _shape_type(shape: Any) -> int | None:
    # python-pptx raises on auto shapes of a kind it does not know; their text is still good.
    try:
        kind = shape.shape_type
    except (NotImplementedError, KeyError, ValueError):
        return None
    return None if kind is None else int(kind)


def _is_picture_placeholder(shape: Any) -> bool:
    return type(shape).__name__ == "PlaceholderPicture"


def _shape_name(shape: Any) -> str:
    try:
        return str(shape.name)
    except Exception:
        return "unnamed"


def _optional(block: Block | None) -> list[Block]:
    return [] if block is None else [block]


def _table_rows(table: Any) -> list[list[str]]:
    """Cell texts, with a merged cell's text repeated in every cell it covers."""
    rows = [[" ".join(cell.text.split()) for cell in row.cells] for row in table.rows]
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            if cell.is_merge_origin:
                _fill_span(rows, (r, c), height=cell.span_height, width=cell.span_width)
    return rows


def _fill_span(rows: list[list[str]], origin: tuple[int, int], *, height: int, width: int) -> None:
    top, left = origin
    for r in range(top, min(top + height, len(rows))):
        for c in range(left, min(left + width, len(rows[r]))):
            rows[r][c] = rows[r][c] or rows[top][left]


def _chart_blocks(chart: Any, *, as_html: bool) -> list[Block]:
    blocks: list[Block] = []
    if chart.has_title and chart.chart_title.has_text_frame:
        title = " ".join(chart.chart_title.text_frame.text.split())
        if title:
            blocks.append(paragraph(title))
    table = render_table(_chart_rows(chart), as_html=as_html)
    return blocks + ([table] if table is not None else [image_block()])


def _chart_rows(chart: Any) -> list[list[str]]:
    """The chart's cached data as a table: one row per category, one column per series.

    Read from the chart XML rather than python-pptx's plot classes, which reject 3-D and other
    less common chart types whose data is stored the same way.
    """
    series = list(chart._chartSpace.iter(f"{_C}ser"))
    columns = [_points(_child(item, "val", "yVal")) for item in series]
    categories = _points(_child(series[0], "cat", "xVal")) if series else {}
    count = max([len(categories), *(len(column) for column in columns)], default=0)
    rows = [["", *(_series_name(item) for item in series)]]
    for index in range(min(count, _MAX_CHART_ROWS)):
        cells = [_number_text(column.get(index, "")) for column in columns]
        rows.append([categories.get(index, ""), *cells])
    return rows


def _child(series: Any, *names: str) -> Any:
    for name in names:
        found = series.find(f"{_C}{name}")
        if found is not None:
            return found
    return None


def _points(data: Any) -> dict[int, str]:
    if data is None:
        return {}
    points: dict[int, str] = {}
    for point in data.iter(f"{_C}pt"):
        value = point.find(f"{_C}v")
        index = point.get("idx", "")
        if value is not None and index.isdigit():
            points[int(index)] = (value.text or "").strip()
    return points


def _series_name(series: Any) -> str:
    name = series.find(f"{_C}tx")
    if name is None:
        return ""
    return " ".join("".join(value.text or "" for value in name.iter(f"{_C}v")).split())


def _number_text(value: str) -> str:
    try:
        return format_number(float(value))
    except ValueError:
        return value


def _notes(slide: Any) -> list[Block]:
    if not slide.has_notes_slide:
        return []
    frame = slide.notes_slide.notes_text_frame
    if frame is None:
        return []
    texts = [" ".join(para.text.split()) for para in frame.paragraphs]
    texts = [text for text in texts if text]
    if not texts:
        return []
    return [Block("**Notes:**", "Notes:"), *(paragraph(text) for text in texts)]


def _slide_size(presentation: Any) -> tuple[float | None, float | None]:
    width, height = presentation.slide_width, presentation.slide_height
    return (
        None if width is None else width / EMU_PER_POINT,
        None if height is None else height / EMU_PER_POINT,
    )


def _metadata(presentation: Any) -> Metadata:
    from pptx.opc.constants import RELATIONSHIP_TYPE

    # Asking python-pptx for missing core properties would invent defaults.
    try:
        part = presentation.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    except KeyError:
        return {}
    properties = part
    metadata: Metadata = {}
    for name in _CORE_PROPERTIES:
        value = getattr(properties, name, None)
        if value:
            metadata[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return metadata


def _picture_alt(shape: Any) -> tuple[str, str]:
    """A picture's alt text (its description, else its title) and its image file name."""
    props = shape._element.xpath("./*[1]/p:cNvPr")  # nvPicPr or nvSpPr, whichever it has
    attrs = props[0].attrib if props else {}
    alt = attrs.get("descr") or attrs.get("title") or ""
    try:
        ext = shape.image.ext
    except (AttributeError, KeyError, ValueError):  # placeholders and linked pictures: none
        return alt, ""
    # Named after the shape ("Picture 4" -> Picture4.jpg), as other converters do.
    return alt, re.sub(r"\W", "", str(shape.name)) + "." + ext
