"""How the parse pipeline opens each Office format: reader plus the options it honours.

Kept beside the readers so :mod:`document` registers the whole Office family in one line, and
so every reader module is imported only when its format is parsed (python-pptx, openpyxl, xlrd
and lxml cost tens of milliseconds to import).
"""

from __future__ import annotations

from collections.abc import Callable

from reams.processors.parse.model import PageSource
from reams.processors.parse.options import ParseOptions

OfficeOpener = Callable[[bytes, ParseOptions], PageSource]


def _docx(data: bytes, options: ParseOptions) -> PageSource:
    from reams.processors.parse.office.docx import read_docx

    # hide_headers / hide_footers are honoured once ParseOptions carries them (the PDF work
    # adds them); until then DOCX headers and footers are included, marked as such.
    return read_docx(
        data,
        tables_as_html=options.output_tables_as_html,
        headers=not getattr(options, "hide_headers", False),
        footers=not getattr(options, "hide_footers", False),
    )


def _xlsx(data: bytes, options: ParseOptions) -> PageSource:
    from reams.processors.parse.office.xlsx import read_xlsx

    return read_xlsx(
        data,
        as_html=options.output_tables_as_html,
        include_hidden=options.spreadsheet_include_hidden_sheets,
    )


def _xls(data: bytes, options: ParseOptions) -> PageSource:
    from reams.processors.parse.office.xls import read_xls

    return read_xls(
        data,
        as_html=options.output_tables_as_html,
        include_hidden=options.spreadsheet_include_hidden_sheets,
    )


def _ods(data: bytes, options: ParseOptions) -> PageSource:
    from reams.processors.parse.office.ods import read_ods

    return read_ods(
        data,
        as_html=options.output_tables_as_html,
        include_hidden=options.spreadsheet_include_hidden_sheets,
    )


def _pptx(data: bytes, options: ParseOptions) -> PageSource:
    from reams.processors.parse.office.pptx import PptxSource

    return PptxSource(data, tables_as_html=options.output_tables_as_html)


def _odt(data: bytes, options: ParseOptions) -> PageSource:
    from reams.processors.parse.office.odf import read_odt

    return read_odt(data, tables_as_html=options.output_tables_as_html)


def _odp(data: bytes, options: ParseOptions) -> PageSource:
    from reams.processors.parse.office.odf import read_odp

    return read_odp(data, tables_as_html=options.output_tables_as_html)


def _rtf(data: bytes, options: ParseOptions) -> PageSource:
    from reams.processors.parse.office.rtf import read_rtf

    return read_rtf(data, tables_as_html=options.output_tables_as_html)


def _doc(data: bytes, options: ParseOptions) -> PageSource:
    from reams.processors.parse.office.legacy import read_legacy

    return read_legacy(data, kind="doc")


def _ppt(data: bytes, options: ParseOptions) -> PageSource:
    from reams.processors.parse.office.legacy import read_legacy

    return read_legacy(data, kind="ppt")


OFFICE_OPENERS: dict[str, OfficeOpener] = {
    "docx": _docx,
    "xlsx": _xlsx,
    "xls": _xls,
    "ods": _ods,
    "pptx": _pptx,
    "odt": _odt,
    "odp": _odp,
    "rtf": _rtf,
    "doc": _doc,
    "ppt": _ppt,
}

# How a damaged file of each format is named in the corrupt_document message.
OFFICE_LABELS = {
    "xlsx": "Excel",
    "xls": "Excel 97-2003",
    "ods": "OpenDocument spreadsheet",
    "pptx": "PowerPoint",
    "odt": "OpenDocument text",
    "odp": "OpenDocument presentation",
    "rtf": "RTF",
    "doc": "Word 97-2003",
    "ppt": "PowerPoint 97-2003",
}
