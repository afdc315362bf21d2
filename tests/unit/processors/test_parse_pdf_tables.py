"""Tables in PDFs: found from aligned text, joined across ruled rows, rendered and itemised."""

from __future__ import annotations

from pathlib import Path

from docgen import make_pdf
from docgen_pdf import make_styled_pdf, make_table_pdf
from reams.processors import run

SALES = [
    ["Region", "Q1 sales", "Q2 sales", "Growth"],
    ["North", "1,200", "1,350", "12%"],
    ["South", "980", "1,010", "3%"],
    ["East", "2,400", "2,050", "-15%"],
]
CATALOGUE = [
    ["Item", "Description", "Price"],
    ["Widget", "A small widget that fits in any pocket and lasts for years", "4.50"],
    ["Gadget", "A gadget", "12.00"],
    ["Gizmo", "An elaborate gizmo with many moving parts and a long description", "99.99"],
]


def _page(path: Path, **parameters: object) -> dict[str, object]:
    result = run("parse", path.read_bytes(), path.name, parameters)
    return result["pages"][0]  # type: ignore[index,no-any-return]


def test_aligned_columns_become_a_markdown_table(tmp_path: Path) -> None:
    intro = "Sales by region for the first half of the year, in thousands of euros."
    page = _page(make_table_pdf(tmp_path / "sales.pdf", SALES, intro=intro))
    assert page["markdown"] == (
        f"{intro}\n\n"
        "| Region | Q1 sales | Q2 sales | Growth |\n"
        "| --- | --- | --- | --- |\n"
        "| North | 1,200 | 1,350 | 12% |\n"
        "| South | 980 | 1,010 | 3% |\n"
        "| East | 2,400 | 2,050 | -15% |"
    )
    assert "North\t1,200\t1,350\t12%" in str(page["text"])


def test_table_items_carry_rows_markdown_html_and_csv(tmp_path: Path) -> None:
    page = _page(make_table_pdf(tmp_path / "sales.pdf", SALES))
    (table,) = [item for item in page["items"] if item["type"] == "table"]  # type: ignore[attr-defined]
    assert table["rows"] == SALES
    assert table["md"].startswith("| Region | Q1 sales |")
    assert "<th>Q2 sales</th>" in table["html"] and "<td>-15%</td>" in table["html"]
    assert table["csv"].splitlines()[1] == 'North,"1,200","1,350",12%'


def test_output_tables_as_html(tmp_path: Path) -> None:
    page = _page(make_table_pdf(tmp_path / "sales.pdf", SALES), output_tables_as_HTML=True)
    markdown = str(page["markdown"])
    assert markdown.startswith("<table>\n<thead><tr><th>Region</th>")
    assert "<tr><td>East</td><td>2,400</td><td>2,050</td><td>-15%</td></tr>" in markdown
    (table,) = [item for item in page["items"] if item["type"] == "table"]  # type: ignore[attr-defined]
    assert table["rows"][3] == ["East", "2,400", "2,050", "-15%"]


def test_ruled_rows_with_wrapped_cells_stay_one_row(tmp_path: Path) -> None:
    pdf = make_table_pdf(tmp_path / "catalogue.pdf", CATALOGUE, ruled=True, widths=[90, 200, 80])
    (table,) = [item for item in _page(pdf)["items"] if item["type"] == "table"]  # type: ignore[attr-defined]
    assert table["rows"] == CATALOGUE


def test_running_text_and_lists_are_not_tables(tmp_path: Path) -> None:
    prose = make_pdf(
        tmp_path / "prose.pdf", ["A paragraph of plain prose. " * 12, "Another one. " * 20]
    )
    bullets = make_styled_pdf(
        tmp_path / "bullets.pdf",
        [("body", f"- Point number {n} about the plan for next year") for n in range(1, 6)],
    )
    for path in (prose, bullets):
        page = _page(path)
        assert "|" not in str(page["markdown"])
        assert all(item["type"] != "table" for item in page["items"])  # type: ignore[attr-defined]
