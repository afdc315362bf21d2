"""DOCX tables and table-like content: merged cells, one-cell frames, checkboxes, charts."""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

from reams.processors.parse.office.docx import read_docx

_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def _markdown(document: Any, *, as_html: bool = False) -> str:
    buffer = io.BytesIO()
    document.save(buffer)
    return str(read_docx(buffer.getvalue(), tables_as_html=as_html).pages[0].markdown)


def _filled_table(document: Any, rows: int, cols: int) -> Any:
    table = document.add_table(rows=rows, cols=cols)
    for r in range(rows):
        for c in range(cols):
            table.cell(r, c).text = f"r{r}c{c}"
    return table


def test_merged_cells_repeat_their_value_in_every_grid_cell() -> None:
    document = docx.Document()
    table = _filled_table(document, 3, 3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "wide"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "tall"
    assert _markdown(document).splitlines() == [
        "| wide | wide | r0c2 |",
        "| --- | --- | --- |",
        "| r1c0 | r1c1 | tall |",
        "| r2c0 | r2c1 | tall |",
    ]


def test_block_merge_fills_rows_and_columns() -> None:
    document = docx.Document()
    table = _filled_table(document, 3, 3)
    table.cell(1, 0).merge(table.cell(2, 1)).text = "block"
    lines = _markdown(document).splitlines()
    assert lines[2:] == ["| block | block | r1c2 |", "| block | block | r2c2 |"]


def test_one_cell_table_is_unwrapped_into_its_content() -> None:
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].text = "Boxed note"
    inner = frame.add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            inner.cell(r, c).text = f"n{r}{c}"
    markdown = _markdown(document)
    assert markdown.splitlines() == [
        "Boxed note",
        "",
        "| n00 | n01 |",
        "| --- | --- |",
        "| n10 | n11 |",
    ]


def test_one_row_table_with_several_cells_stays_a_table() -> None:
    document = docx.Document()
    _filled_table(document, 1, 2)
    assert _markdown(document).splitlines()[0] == "| r0c0 | r0c1 |"


def _checkbox(checked: bool) -> Any:
    state = "1" if checked else "0"
    glyph = "\u2612" if checked else "\u2610"
    return parse_xml(
        f'<w:sdt {_NAMESPACES}><w:sdtPr><w14:checkbox><w14:checked w14:val="{state}"/>'
        f"</w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>{glyph}</w:t></w:r>"
        "</w:sdtContent></w:sdt>"
    )


def test_checkbox_content_controls_become_task_markers_in_cells_and_body() -> None:
    document = docx.Document()
    table = _filled_table(document, 2, 2)
    cell = table.cell(1, 1).paragraphs[0]
    cell.text = ""
    cell._p.append(_checkbox(True))
    cell.add_run(" Coffee")
    body = document.add_paragraph()
    body._p.append(_checkbox(False))
    body.add_run(" Tea")
    markdown = _markdown(document)
    assert "| r1c0 | [x] Coffee |" in markdown
    assert markdown.endswith("[ ] Tea")


def _add_chart(document: Any) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.enum.chart import XL_CHART_TYPE

    data = CategoryChartData()
    data.categories = ["North", "South"]
    data.add_series("Sales", (4.4000000000000004, 2.0))
    data.add_series("Costs", (1.5, 3.25))
    blob = ChartXmlWriter(XL_CHART_TYPE.LINE, data).xml.encode()
    part = Part(
        PackURI("/word/charts/chart1.xml"), CONTENT_TYPE.DML_CHART, blob, document.part.package
    )
    rid = document.part.relate_to(part, RELATIONSHIP_TYPE.CHART)
    document.add_paragraph("Before chart")._p.append(
        parse_xml(
            f"<w:r {_NAMESPACES}><w:drawing><wp:inline><a:graphic><a:graphicData>"
            f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
        )
    )


def test_inline_chart_becomes_a_table_of_its_data() -> None:
    document = docx.Document()
    _add_chart(document)
    assert _markdown(document).splitlines() == [
        "Before chart",
        "",
        "|  | Sales | Costs |",
        "| --- | --- | --- |",
        "| North | 4.4 | 1.5 |",
        "| South | 2 | 3.25 |",
    ]


def test_chart_table_as_html_when_asked() -> None:
    document = docx.Document()
    _add_chart(document)
    assert "<td>North</td>" in _markdown(document, as_html=True)


def test_rows_inside_a_content_control_are_kept() -> None:
    document = docx.Document()
    table = _filled_table(document, 3, 2)
    row = table.rows[2]._tr
    wrapper = parse_xml(f"<w:sdt {_NAMESPACES}><w:sdtPr/><w:sdtContent/></w:sdt>")
    row.addprevious(wrapper)
    wrapper[1].append(row)
    assert _markdown(document).splitlines()[-1] == "| r2c0 | r2c1 |"


def _raw_table(document: Any, rows: list[str]) -> None:
    """Append a table given as raw ``w:tr`` XML, with a 4-column grid."""
    grid = "".join('<w:gridCol w:w="1000"/>' for _ in range(4))
    document.element.body.append(
        parse_xml(f"<w:tbl {_NAMESPACES}><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")
    )


def _tc(text: str, *, span: int | str = 1, merge: str | None = None) -> str:
    properties = f'<w:gridSpan w:val="{span}"/>' if span != 1 else ""
    if merge is not None:
        properties += "<w:vMerge/>" if merge == "continue" else f'<w:vMerge w:val="{merge}"/>'
    return f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def _tr(*cells: str, before: int = 0, after: int = 0) -> str:
    properties = (f'<w:gridBefore w:val="{before}"/>' if before else "") + (
        f'<w:gridAfter w:val="{after}"/>' if after else ""
    )
    return f"<w:tr><w:trPr>{properties}</w:trPr>{''.join(cells)}</w:tr>"


def _shifted_rows() -> list[str]:
    # A form-like table: a heading row, a row that starts in the third column (gridBefore),
    # a row that ends early (gridAfter), and a label merged down over two rows under gridBefore.
    return [
        _tr(_tc("Item"), _tc("Size"), _tc("Qty"), _tc("Price")),
        _tr(_tc("subtotal"), _tc("90"), before=2),
        _tr(_tc("Pen"), _tc("S"), after=2),
        _tr(_tc("note", merge="restart"), _tc("a"), _tc("b"), before=1),
        _tr(_tc("", merge="continue"), _tc("c"), _tc("d"), before=1),
    ]


def test_grid_before_and_after_keep_columns_aligned() -> None:
    document = docx.Document()
    _raw_table(document, _shifted_rows())
    assert _markdown(document).splitlines() == [
        "| Item | Size | Qty | Price |",
        "| --- | --- | --- | --- |",
        "|  |  | subtotal | 90 |",
        "| Pen | S |  |  |",
        "|  | note | a | b |",
        "|  | note | c | d |",
    ]


def test_spans_become_colspan_and_rowspan_in_html() -> None:
    document = docx.Document()
    _raw_table(
        document,
        [
            _tr(_tc("Region"), _tc("2024", span=2), _tc("Total")),
            _tr(_tc("North", merge="restart"), _tc("1"), _tc("2"), _tc("3")),
            _tr(_tc("", merge="continue"), _tc("4"), _tc("5"), _tc("9")),
            _tr(_tc("South"), _tc("6", span=3)),
        ],
    )
    html = _markdown(document, as_html=True)
    assert html.splitlines() == [
        "<table>",
        '<thead><tr><th>Region</th><th colspan="2">2024</th><th>Total</th></tr></thead>',
        "<tbody>",
        '<tr><td rowspan="2">North</td><td>1</td><td>2</td><td>3</td></tr>',
        "<tr><td>4</td><td>5</td><td>9</td></tr>",
        '<tr><td>South</td><td colspan="3">6</td></tr>',
        "</tbody>",
        "</table>",
    ]


def test_html_rowspan_skips_spacing_rows_and_keeps_grid_offsets() -> None:
    document = docx.Document()
    _raw_table(document, _shifted_rows())
    html = _markdown(document, as_html=True).splitlines()
    # The row that starts late has no cells before its offset in HTML: an empty filler keeps
    # its columns where they belong.
    assert '<tr><td colspan="2"></td><td>subtotal</td><td>90</td></tr>' in html
    assert '<tr><td></td><td rowspan="2">note</td><td>a</td><td>b</td></tr>' in html
    assert "<tr><td></td><td>c</td><td>d</td></tr>" in html


def _wide_tall_rows() -> list[str]:
    # A label two columns wide merged down over three rows, beside rows that end early.
    return [
        _tr(_tc("A"), _tc("B"), _tc("C"), _tc("D")),
        _tr(_tc("big", span=2, merge="restart"), _tc("1"), _tc("2")),
        _tr(_tc("", span=2, merge="continue"), _tc("3"), _tc("4")),
        _tr(_tc("", span=2, merge="continue"), _tc("5"), after=1),
        _tr(_tc("x"), _tc("y"), after=2),
    ]


def test_a_wide_cell_merged_down_three_rows_covers_exactly_its_block() -> None:
    document = docx.Document()
    _raw_table(document, _wide_tall_rows())
    assert _markdown(document).splitlines() == [
        "| A | B | C | D |",
        "| --- | --- | --- | --- |",
        "| big | big | 1 | 2 |",
        "| big | big | 3 | 4 |",
        "| big | big | 5 |  |",
        "| x | y |  |  |",
    ]
    assert _markdown(document, as_html=True).splitlines()[3:8] == [
        '<tr><td colspan="2" rowspan="3">big</td><td>1</td><td>2</td></tr>',
        "<tr><td>3</td><td>4</td></tr>",
        "<tr><td>5</td><td></td></tr>",
        '<tr><td>x</td><td>y</td><td colspan="2"></td></tr>',
        "</tbody>",
    ]


def test_a_merge_restarting_below_a_merge_is_a_new_cell() -> None:
    document = docx.Document()
    _raw_table(
        document,
        [
            _tr(_tc("one", merge="restart"), _tc("a"), _tc("b"), _tc("c")),
            _tr(_tc("", merge="continue"), _tc("d"), _tc("e"), _tc("f")),
            _tr(_tc("two", merge="restart"), _tc("g"), _tc("h"), _tc("i")),
            _tr(_tc("", merge="continue"), _tc("j"), _tc("k"), _tc("l")),
        ],
    )
    lines = _markdown(document, as_html=True).splitlines()
    assert '<thead><tr><th rowspan="2">one</th><th>a</th><th>b</th><th>c</th></tr></thead>' in lines
    assert '<tr><td rowspan="2">two</td><td>g</td><td>h</td><td>i</td></tr>' in lines
    assert [line.count("<td") for line in lines if line.startswith("<tr>")] == [3, 4, 3]


def test_a_table_nested_in_a_cell_stays_in_that_cell() -> None:
    document = docx.Document()
    table = _filled_table(document, 2, 3)
    inner = table.cell(1, 1).add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            inner.cell(r, c).text = f"in{r}{c}"
    lines = _markdown(document).splitlines()
    # The inner table's rows neither become rows of the outer table nor shift its cells.
    assert lines == [
        "| r0c0 | r0c1 | r0c2 |",
        "| --- | --- | --- |",
        "| r1c0 | r1c1 in00 in01 in10 in11 | r1c2 |",
    ]


def _h_merged(text: str, merge: str) -> str:
    value = "" if merge == "continue" else f' w:val="{merge}"'
    return (
        f"<w:tc><w:tcPr><w:hMerge{value}/></w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"
    )


def test_older_horizontal_merges_span_like_grid_spans() -> None:
    document = docx.Document()
    _raw_table(
        document,
        [
            _tr(_tc("Region"), _h_merged("2024", "restart"), _h_merged("", "continue"), _tc("T")),
            _tr(_tc("North"), _tc("1"), _tc("2"), _tc("3")),
            # A continuation with nothing to continue is a cell of its own.
            _tr(_h_merged("orphan", "continue"), _tc("4"), _tc("5"), _tc("6")),
        ],
    )
    assert _markdown(document).splitlines() == [
        "| Region | 2024 | 2024 | T |",
        "| --- | --- | --- | --- |",
        "| North | 1 | 2 | 3 |",
        "| orphan | 4 | 5 | 6 |",
    ]
    html = _markdown(document, as_html=True).splitlines()
    assert html[1] == ('<thead><tr><th>Region</th><th colspan="2">2024</th><th>T</th></tr></thead>')


def test_damaged_spans_are_read_as_single_cells() -> None:
    document = docx.Document()
    _raw_table(
        document,
        [
            _tr(_tc("a", span=0, merge="continue"), _tc("b", span=9999), _tc("", span="x")),
            _tr(_tc("c", merge="continue"), _tc("d"), before=-1),
        ],
    )
    assert _markdown(document).splitlines() == [
        "| a | b |  |",
        "| --- | --- | --- |",
        "| a | d |  |",  # the second row's merge continues the first row's cell
    ]
