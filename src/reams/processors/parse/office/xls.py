"""Legacy Excel 97-2003 (.xls, BIFF) workbooks via xlrd: one page per visible sheet.

xlrd reads the whole workbook into memory, which the .xls format itself bounds (65,536 rows by
256 columns per sheet); the row cap of :mod:`sheets` still keeps the Markdown reasonable. Sheets
are loaded on demand so hidden sheets that are skipped cost nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reams.domain.errors import ProcessorError
from reams.processors.parse.model import StaticSource
from reams.processors.parse.office.common import encrypted_error
from reams.processors.parse.office.sheets import (
    Sheet,
    Workbook,
    collect_sheet,
    format_bool,
    format_number,
    format_temporal,
    workbook_source,
)

_LABEL = "Excel 97-2003"
_CELL_TEXT, _CELL_NUMBER, _CELL_DATE, _CELL_BOOLEAN, _CELL_ERROR = 1, 2, 3, 4, 5


def read_xls(data: bytes, *, as_html: bool, include_hidden: bool) -> StaticSource:
    book = _open(data)
    try:
        workbook = Workbook(sheets=[])
        for index, name in enumerate(book.sheet_names()):
            sheet = book.sheet_by_index(index)
            if sheet.visibility != 0 and not include_hidden:
                workbook.hidden_skipped.append(name)
            else:
                workbook.sheets.append(_sheet(book, sheet))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return workbook_source(workbook, as_html=as_html, label="Excel")


def _open(data: bytes) -> Any:
    import xlrd

    try:
        return xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True)
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise encrypted_error(_LABEL) from None
        if "xlsx" in str(exc).lower():
            raise ProcessorError(
                "unsupported_format", "The file is not an Excel 97-2003 workbook."
            ) from None
        raise


def _sheet(book: Any, sheet: Any) -> Sheet:
    return collect_sheet(sheet.name, _rows(book, sheet))


def _rows(book: Any, sheet: Any) -> Iterator[list[str]]:
    for number in range(sheet.nrows):
        yield [_display(book, cell) for cell in sheet.row(number)]


def _display(book: Any, cell: Any) -> str:
    kind, value = cell.ctype, cell.value
    if kind == _CELL_TEXT:
        return str(value).strip()
    if kind == _CELL_NUMBER:
        return format_number(float(value))
    if kind == _CELL_DATE:
        return _date(book, float(value))
    if kind == _CELL_BOOLEAN:
        return format_bool(bool(value))
    if kind == _CELL_ERROR:
        from xlrd.biffh import error_text_from_code

        return str(error_text_from_code.get(value, "#ERROR"))
    return ""


def _date(book: Any, value: float) -> str:
    from xlrd.xldate import XLDateError, xldate_as_datetime

    try:
        moment = xldate_as_datetime(value, book.datemode)
    except (XLDateError, ValueError, OverflowError):
        # A serial number outside the calendar Excel supports: show the number, not nothing.
        return format_number(value)
    # Serial numbers below 1 are times of day without a date.
    return format_temporal(moment.time() if 0 <= value < 1 else moment)
