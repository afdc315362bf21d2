"""CSV and TSV files: decoded, dialect sniffed, rendered as one table on one page."""

from __future__ import annotations

import csv
import io

from reams.domain.errors import ProcessorError
from reams.processors.parse.model import PageContent, StaticSource
from reams.processors.parse.tables import render_table
from reams.processors.parse.text import decode_document

_SNIFF_BYTES = 64 * 1024
_DELIMITERS = ",;\t|"


def read_delimited(data: bytes, *, tab_separated: bool, as_html: bool) -> StaticSource:
    """Read a CSV (or TSV when ``tab_separated``) file; the first row is the table header."""
    text, encoding = decode_document(data)
    if not text.strip():
        raise ProcessorError("empty_document", "The file contains no text.")
    dialect = _dialect(text, tab_separated=tab_separated)
    rows = [
        row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)
    ]
    table = render_table(rows, as_html=as_html)
    if table is None:
        raise ProcessorError("empty_document", "The file contains no values.")
    metadata: dict[str, str | int] = {
        "encoding": encoding,
        "delimiter": dialect.delimiter,
        "rows": len(rows),
        "columns": max(len(row) for row in rows),
    }
    return StaticSource([PageContent(markdown=table.markdown, text=table.text)], metadata=metadata)


def _dialect(text: str, *, tab_separated: bool) -> type[csv.Dialect] | csv.Dialect:
    if tab_separated:
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(text[:_SNIFF_BYTES], delimiters=_DELIMITERS)
    except csv.Error:
        # Single-column files and tiny samples defeat the sniffer; a comma is the CSV default.
        return csv.excel
