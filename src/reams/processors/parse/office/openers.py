"""How the parse pipeline opens each Office format: reader plus the options it honours.

Kept beside the readers so :mod:`document` registers the whole Office family in one line, and
so every reader module is imported only when its format is parsed (python-pptx, openpyxl, xlrd
and lxml cost tens of milliseconds to import).
"""

from __future__ import annotations

from collections.abc import Callable

from reams.domain.errors import ProcessorError
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


def _package(data: bytes, options: ParseOptions) -> PageSource:
    """A zip that detection could not name: an OOXML file whose main part is stored under
    another name than Word, Excel or PowerPoint use (``_rels/.rels`` says where it is), or a
    plain zip archive, which is not supported."""
    from reams.processors.parse.office.common import check_archive, main_part

    with check_archive(data, label="zip") as archive:
        found = main_part(archive)
    opener = OFFICE_OPENERS.get(found[1]) if found is not None else None
    if opener is None or opener is _package:
        kind = found[1] if found is not None else "zip"
        what = "Excel binary workbooks (.xlsb)" if kind == "xlsb" else "ZIP files"
        raise ProcessorError("unsupported_format", f"{what} are not supported yet.")
    return opener(data, options)


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
    "zip": _package,
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
