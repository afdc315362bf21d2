"""OpenDocument spreadsheets (ODS): one page per visible sheet, cells as tables.

``content.xml`` is streamed with ``iterparse`` and every row is freed once read, so a big sheet
costs only the rows reams keeps. Repeated rows and cells (how ODF stores runs of identical or
empty cells, often a million trailing empty rows) are counted, never expanded beyond the caps of
:mod:`sheets`. A sheet is hidden when its table style says ``table:display="false"``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reams.processors.parse.model import StaticSource
from reams.processors.parse.office.odf import open_odf
from reams.processors.parse.office.odf_text import attr, plain_text, q
from reams.processors.parse.office.sheets import (
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    CellRange,
    Sheet,
    Workbook,
    add_row,
    fill_merged,
    format_bool,
    format_number,
    format_temporal,
    workbook_source,
)

_TABLE, _ROW, _STYLE = q("table:table"), q("table:table-row"), q("style:style")
_CELL, _COVERED = q("table:table-cell"), q("table:covered-table-cell")
_TABLE_PROPERTIES = q("style:table-properties")
_P = q("text:p")


def read_ods(data: bytes, *, as_html: bool, include_hidden: bool) -> StaticSource:
    from lxml import etree

    with open_odf(data, kind="ods") as archive, archive.open("content.xml") as member:
        events = etree.iterparse(
            member,
            events=("start", "end"),
            tag=(_TABLE, _ROW, _STYLE),
            resolve_entities=False,
            no_network=True,
        )
        reader = _SpreadsheetReader(include_hidden=include_hidden)
        for event, element in events:
            reader.event(event, element)
    return workbook_source(reader.workbook, as_html=as_html, label="OpenDocument spreadsheet")


class _SpreadsheetReader:
    """Consumes iterparse events: table styles, then sheets row by row."""

    def __init__(self, *, include_hidden: bool) -> None:
        self.workbook = Workbook(sheets=[])
        self._include_hidden = include_hidden
        self._hidden_styles: set[str] = set()
        self._depth = 0
        self._sheet: Sheet | None = None
        self._row_number = 0
        self._merges: list[CellRange] = []
        self._full = False

    def event(self, event: str, element: Any) -> None:
        if element.tag == _STYLE:
            if event == "end":
                self._style(element)
        elif element.tag == _TABLE:
            self._table(event, element)
        elif event == "end" and self._depth == 1:
            self._row(element)

    def _style(self, style: Any) -> None:
        properties = style.find(_TABLE_PROPERTIES)
        if properties is not None and attr(properties, "table:display") == "false":
            self._hidden_styles.add(attr(style, "style:name") or "")

    def _table(self, event: str, element: Any) -> None:
        if event == "start":
            self._depth += 1
            if self._depth == 1:
                self._start_sheet(element)
            return
        self._depth -= 1
        if self._depth == 0:
            self._end_sheet()
            element.clear(keep_tail=True)

    def _start_sheet(self, element: Any) -> None:
        name = attr(element, "table:name") or f"Sheet{len(self.workbook.sheets) + 1}"
        hidden = attr(element, "table:style-name") in self._hidden_styles
        if hidden and not self._include_hidden:
            self.workbook.hidden_skipped.append(name)
            self._sheet = None
        else:
            self._sheet = Sheet(name)
        self._row_number, self._merges, self._full = 0, [], False

    def _end_sheet(self) -> None:
        if self._sheet is not None:
            fill_merged(self._sheet, self._merges)
            self.workbook.sheets.append(self._sheet)
        self._sheet = None

    def _row(self, row: Any) -> None:
        repeat = _count(attr(row, "table:number-rows-repeated"))
        if self._sheet is not None and not self._full:
            values = self._values(row)
            for offset in range(min(repeat, MAX_SHEET_ROWS + 1) if any(values) else 1):
                if not add_row(self._sheet, self._row_number + offset, values):
                    self._full = True
                    break
        self._row_number += repeat
        row.clear(keep_tail=True)
        while row.getprevious() is not None:
            del row.getparent()[0]

    def _values(self, row: Any) -> list[str]:
        values: list[str] = []
        for cell in row.iterchildren(_CELL, _COVERED):
            if len(values) > MAX_SHEET_COLUMNS:
                break
            value = _display(cell) if cell.tag == _CELL else ""
            repeat = _count(attr(cell, "table:number-columns-repeated"))
            if value:
                self._note_span(cell, column=len(values))
            values.extend([value] * min(repeat, MAX_SHEET_COLUMNS + 1 - len(values)))
        return values

    def _note_span(self, cell: Any, *, column: int) -> None:
        rows = _count(attr(cell, "table:number-rows-spanned"))
        columns = _count(attr(cell, "table:number-columns-spanned"))
        if rows > 1 or columns > 1:
            top = self._row_number
            self._merges.append((top, column, top + rows - 1, column + columns - 1))


def _count(value: str | None) -> int:
    return int(value) if value is not None and value.isdigit() and int(value) > 0 else 1


def _display(cell: Any) -> str:
    """A cell's value: typed values from their attributes, everything else as displayed."""
    kind = attr(cell, "office:value-type")
    try:
        if kind in ("float", "percentage"):
            number = float(attr(cell, "office:value") or "")
            return (
                format_number(number * 100) + "%" if kind == "percentage" else format_number(number)
            )
        if kind == "date":
            return format_temporal(dt.datetime.fromisoformat(attr(cell, "office:date-value") or ""))
        if kind == "boolean":
            return format_bool(attr(cell, "office:boolean-value") == "true")
    except ValueError:
        pass  # a malformed typed value: fall back to the text LibreOffice displayed
    texts = (" ".join(plain_text(p).split()) for p in cell.iterchildren(_P))
    return "\n".join(text for text in texts if text)
