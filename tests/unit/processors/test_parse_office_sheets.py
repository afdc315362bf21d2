"""Spreadsheets (XLSX, XLS, ODS): a page per sheet, tables split by gaps, values, caps, errors."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from office_fixtures import (
    fake_encrypted_ooxml,
    make_empty_xlsx,
    make_odf,
    make_tall_xlsx,
    make_xlsx,
    ods_cell,
)

from reams.domain.errors import ProcessorError
from reams.processors import run
from reams.processors.parse.office import sheets
from reams.processors.parse.office.sheets import format_number, split_regions


def _parse(data: bytes, name: str, **parameters: object) -> dict[str, object]:
    return run("parse", data, name, parameters)


def test_xlsx_has_one_page_per_visible_sheet_with_its_name_as_heading() -> None:
    result = _parse(make_xlsx(), "budget.xlsx")
    pages = result["pages"]
    assert result["document"]["detected_type"] == "xlsx"  # type: ignore[index]
    assert [page["markdown"].split("\n")[0] for page in pages] == ["## Budget", "## Notes"]  # type: ignore[union-attr, index]
    assert pages[1]["markdown"] == "## Notes\n\nOnly one cell"  # type: ignore[index]
    warnings = result["document"]["warnings"]  # type: ignore[index]
    assert any("'Secret'" in warning for warning in warnings)


def test_xlsx_values_are_formatted_and_tables_split_at_gaps() -> None:
    budget = _parse(make_xlsx(), "budget.xlsx")["pages"][0]["markdown"]  # type: ignore[index]
    assert budget.startswith("## Budget\n\nQuarterly budget\n\n| Item | Date |")
    assert "| Paper | 2024-03-01 | 0.3 | 25% | TRUE |" in budget
    assert "| Ink | 2024-03-02 14:30:00 | 1200 | 50% | FALSE |" in budget
    # The table two empty columns to the right is a table of its own, after the first one.
    assert "| Owner |\n| --- |\n| Ana |" in budget
    # A merged cell's value fills the cells it covers.
    assert "| Merged label | Merged label | Merged label |\n| --- | --- | --- |\n| x | y | z |" in (
        budget
    )


def test_hidden_sheets_only_with_the_option() -> None:
    pages = _parse(make_xlsx(), "b.xlsx", spreadsheet_include_hidden_sheets=True)["pages"]
    assert pages[2]["markdown"] == "## Secret\n\nhidden value"  # type: ignore[index]


def test_tables_as_html() -> None:
    markdown = _parse(make_xlsx(), "b.xlsx", output_tables_as_HTML=True)["markdown_full"]
    assert "<th>Item</th>" in markdown  # type: ignore[operator]
    assert "| --- |" not in markdown  # type: ignore[operator]


def test_big_sheets_are_capped_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets, "MAX_SHEET_ROWS", 50)
    result = _parse(make_tall_xlsx(500), "tall.xlsx")
    markdown = result["pages"][0]["markdown"]  # type: ignore[index]
    table_lines = [line for line in markdown.split("\n") if line.startswith("| ")]
    assert len(table_lines) == 50 + 1  # the 50 kept rows and the header rule
    assert any("first 50 non-empty rows" in w for w in result["document"]["warnings"])  # type: ignore[index]


def test_empty_and_encrypted_workbooks_fail_with_codes() -> None:
    with pytest.raises(ProcessorError) as empty:
        _parse(make_empty_xlsx(), "empty.xlsx")
    assert empty.value.code == "empty_document"
    with pytest.raises(ProcessorError) as locked:
        _parse(fake_encrypted_ooxml(), "locked.xlsx")
    assert locked.value.code == "encrypted_document"
    with pytest.raises(ProcessorError) as truncated:
        _parse(make_xlsx()[:3000], "cut.xlsx")
    assert truncated.value.code == "corrupt_document"


def test_numbers_lose_binary_noise_but_keep_precision() -> None:
    assert format_number(0.1 + 0.2) == "0.3"
    assert format_number(3.0) == "3"
    assert format_number(1234567.891) == "1234567.891"
    assert format_number(-1e20) == "-1e+20"


def test_regions_touching_only_at_a_corner_are_separate_tables() -> None:
    rows = [(0, ["a", "b"]), (1, ["c", "d"]), (2, ["", "", "e", "f"]), (3, ["", "", "g", "h"])]
    assert split_regions(rows) == [([0, 1], [0, 1]), ([2, 3], [2, 3])]


def test_a_sparse_table_stays_whole() -> None:
    rows = [(0, ["h1", "h2", "h3"]), (1, ["x", "", ""]), (2, ["", "", "z"]), (3, ["p", "q", "r"])]
    assert split_regions(rows) == [([0, 1, 2, 3], [0, 1, 2])]


def _ods(rows: str, *, hidden: bool = False) -> bytes:
    styles = (
        '<style:style style:name="ta2" style:family="table">'
        '<style:table-properties table:display="false"/></style:style>'
    )
    second = '<table:table table:name="Hidden" table:style-name="ta2"><table:table-row>'
    second += ods_cell("secret") + "</table:table-row></table:table>"
    body = f'<table:table table:name="Main">{rows}</table:table>' + (second if hidden else "")
    return make_odf("spreadsheet", body, styles=styles)


def test_ods_typed_values_spans_and_repeats() -> None:
    rows = (
        "<table:table-row>"
        + ods_cell("Name")
        + ods_cell("When")
        + ods_cell("Rate")
        + ods_cell("Ok")
        + "</table:table-row><table:table-row>"
        + ods_cell("Ana")
        + ods_cell("2024-05-06T00:00:00", "date")
        + ods_cell("0.125", "percentage")
        + ods_cell("true", "boolean")
        + "</table:table-row>"
        + '<table:table-row table:number-rows-repeated="1048000">'
        + '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    start = time.perf_counter()
    result = _parse(_ods(rows, hidden=True), "data.ods")
    assert time.perf_counter() - start < 2  # a million repeated empty rows are counted, not built
    markdown = result["markdown_full"]
    assert result["document"]["detected_type"] == "ods"  # type: ignore[index]
    assert markdown == (
        "## Main\n\n| Name | When | Rate | Ok |\n| --- | --- | --- | --- |\n"
        "| Ana | 2024-05-06 | 12.5% | TRUE |"
    )
    hidden = _parse(_ods(rows, hidden=True), "d.ods", spreadsheet_include_hidden_sheets=True)
    assert hidden["pages"][1]["markdown"] == "## Hidden\n\nsecret"  # type: ignore[index]


def test_ods_merged_cells_repeat_their_value() -> None:
    rows = (
        "<table:table-row>"
        + ods_cell("Wide", spanned="2")
        + "<table:covered-table-cell/></table:table-row><table:table-row>"
        + ods_cell("a")
        + ods_cell("b")
        + "</table:table-row>"
    )
    assert "| Wide | Wide |\n| --- | --- |\n| a | b |" in str(
        _parse(_ods(rows), "m.ods")["markdown_full"]
    )


def test_legacy_xls_from_the_corpus(corpus_dir: Callable[[str], Path]) -> None:
    source = corpus_dir("docling-groundtruth/xls/sources") / "legacy_sample.xls"
    result = _parse(source.read_bytes(), source.name)
    assert result["document"]["detected_type"] == "xls"  # type: ignore[index]
    markdown = result["markdown_full"]
    assert str(markdown).startswith("## Duck Observations\n\nNumber of freshwater ducks per year")
    assert "| 2019 | 120 |" in str(markdown)


def test_encrypted_xls_from_the_corpus(corpus_dir: Callable[[str], Path]) -> None:
    source = corpus_dir("bad-inputs/office-encrypted") / "tika-testEXCEL_protected_passtika.xls"
    with pytest.raises(ProcessorError) as caught:
        _parse(source.read_bytes(), source.name)
    assert caught.value.code == "encrypted_document"


def _with_core(data: bytes, core: bytes | None) -> bytes:
    """The workbook with its core properties part replaced (None: without one)."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename == "docProps/core.xml":
                if core is not None:
                    dst.writestr(info, core)
            else:
                dst.writestr(info, src.read(info))
    return out.getvalue()


def test_workbook_dates_are_only_the_ones_it_states() -> None:
    # openpyxl gives a workbook without core dates the time of reading: two parses of the same
    # file differed, and the "created" date was no fact of the document.
    core = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'xmlns:dcterms="http://purl.org/dc/terms/" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        b"<dc:creator>Ada</dc:creator>%s</cp:coreProperties>"
    )
    dated = b'<dcterms:created xsi:type="dcterms:W3CDTF">2021-05-04T10:00:00Z</dcterms:created>'
    for part, expected in ((core % b"", None), (None, None), (core % dated, "2021-05-04T10:00:00")):
        data = _with_core(make_xlsx(), part)
        first = _parse(data, "budget.xlsx")["document"]["metadata"]  # type: ignore[index]
        time.sleep(0.01)
        second = _parse(data, "budget.xlsx")["document"]["metadata"]  # type: ignore[index]
        assert first == second
        assert first.get("created") == expected  # type: ignore[union-attr]
        assert "modified" not in first  # type: ignore[operator]
