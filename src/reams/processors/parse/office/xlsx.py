"""XLSX and XLSM workbooks via openpyxl: one page per visible worksheet, cells as tables.

openpyxl runs in read-only mode, which streams each sheet's XML instead of building every cell
object up front, so a million-row sheet costs only the rows reams keeps (see :mod:`sheets`).
Formula cells show their cached values, as Excel last computed them; chart sheets have no cells
and are left out.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

from reams.processors.parse.model import Metadata, StaticSource
from reams.processors.parse.office.common import (
    check_archive,
    is_strict,
    reject_ole,
    transitional,
)
from reams.processors.parse.office.sheets import (
    MAX_SHEET_COLUMNS,
    CellRange,
    Sheet,
    Workbook,
    collect_sheet,
    fill_merged,
    format_bool,
    format_number,
    format_temporal,
    workbook_source,
)

_LABEL = "Excel"
# A percent sign outside quoted literals and escapes makes Excel show the value times 100.
_LITERALS = re.compile(r'"[^"]*"|\\.')
_MERGE_CELL = re.compile(
    rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"'
)
_MERGE_OVERLAP = 256
_CORE_PROPERTIES = ("title", "creator", "subject", "keywords", "created", "modified")
_DATES = ("created", "modified")
_CORE_PART = "docProps/core.xml"  # where openpyxl reads the core properties from


def read_xlsx(data: bytes, *, as_html: bool, include_hidden: bool) -> StaticSource:
    reject_ole(data, label=_LABEL, legacy="Excel 97-2003 (.xls)")
    # openpyxl warns about every extension and style it drops; none of them affects the values.
    archive = check_archive(data, label=_LABEL)
    if is_strict(archive):
        archive.close()
        data = transitional(data)  # openpyxl knows only the Transitional names
        archive = check_archive(data, label=_LABEL)
    with archive, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        book = _open(data)
        try:
            workbook = Workbook(sheets=[], metadata=_metadata(book, _stated_dates(archive)))
            for worksheet in book.worksheets:
                if worksheet.sheet_state != "visible" and not include_hidden:
                    workbook.hidden_skipped.append(worksheet.title)
                else:
                    workbook.sheets.append(_sheet(worksheet, archive))
        finally:
            book.close()
    return workbook_source(workbook, as_html=as_html, label=_LABEL)


def _open(data: bytes) -> Any:
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)


def _sheet(worksheet: Any, archive: zipfile.ZipFile) -> Sheet:
    # The declared dimension is often wrong (or A1:XFD1048576 on formatted sheets); without it
    # openpyxl yields only the cells the file has.
    worksheet.reset_dimensions()
    sheet = collect_sheet(worksheet.title, _rows(worksheet))
    path = getattr(worksheet, "_worksheet_path", None)
    if sheet.rows and isinstance(path, str) and path in archive.NameToInfo:
        fill_merged(sheet, _merged_ranges(archive, path))
    return sheet


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> Iterator[CellRange]:
    """The sheet's merged ranges; openpyxl's read-only mode does not report them.

    They follow the cell data in the sheet XML, so the member is scanned as bytes in chunks
    rather than parsed a second time.
    """
    seen: set[bytes] = set()
    tail = b""
    with archive.open(path) as member:
        while chunk := member.read(1 << 20):
            window, tail = tail + chunk, (tail + chunk)[-_MERGE_OVERLAP:]
            for match in _MERGE_CELL.finditer(window):
                if match.group(0) not in seen:
                    seen.add(match.group(0))
                    yield _cell_range(match)


def _cell_range(match: re.Match[bytes]) -> CellRange:
    first_column, first_row, last_column, last_row = match.groups()
    return (
        int(first_row) - 1,
        _column(first_column),
        int(last_row or first_row) - 1,
        _column(last_column or first_column),
    )


def _column(letters: bytes) -> int:
    """0-based column number of an A1-style column name."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number - 1


def _rows(worksheet: Any) -> Iterator[list[str]]:
    # Rows the file lacks come back empty. Cells past the column cap are not formatted, only
    # checked for a value, which a placeholder cell reports to collect_sheet.
    empty: list[str] = []
    for row in worksheet.iter_rows():
        if not row:
            yield empty  # a gap between rows: the common case on sheets with a stray far cell
            continue
        values = [_display(cell.value, cell) for cell in row[:MAX_SHEET_COLUMNS]]
        if any(cell.value is not None for cell in row[MAX_SHEET_COLUMNS:]):
            values.append("...")
        yield values


def _display(value: object, cell: Any) -> str:
    """The value as Excel would show it, minus number formats other than percent."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return format_bool(value)
    if isinstance(value, int | float):
        if _is_percent(getattr(cell, "number_format", "") or ""):
            return format_number(value * 100) + "%"
        return format_number(value)
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return format_temporal(value)
    return str(value).strip()


def _is_percent(number_format: str) -> bool:
    return "%" in number_format and "%" in _LITERALS.sub("", number_format)


def _stated_dates(archive: zipfile.ZipFile) -> frozenset[str]:
    """Which of the core dates (``created``, ``modified``) the package itself states: openpyxl
    gives a missing one the time of reading, which is no fact of the document (and made two
    parses of the same workbook differ)."""
    try:
        core = archive.read(_CORE_PART)
    except KeyError:
        return frozenset()
    return frozenset(name for name in _DATES if re.search(rf"<(?:\w+:)?{name}[\s>]".encode(), core))


def _metadata(book: Any, stated_dates: frozenset[str]) -> Metadata:
    metadata: Metadata = {}
    properties = getattr(book, "properties", None)
    for name in _CORE_PROPERTIES:
        value = getattr(properties, name, None)
        if name in _DATES and name not in stated_dates:
            continue
        if value:
            key = "author" if name == "creator" else name
            metadata[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return metadata
