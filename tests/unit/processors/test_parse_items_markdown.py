"""Typed page items derived from Markdown: every block kind, nesting, and every format's pages."""

from __future__ import annotations

from pathlib import Path

from docgen import make_csv, make_docx, make_html, make_markdown, make_text
from reams.processors import run
from reams.processors.parse.items import boxed_items, page_items, plain_text
from reams.processors.parse.model import LineBox


def test_headings_paragraphs_and_images() -> None:
    items = page_items(
        "# Title\n\nA paragraph with **bold**, a [link](https://x.org) and \\# escapes.\n"
        "It goes on.\n\n### Sub heading ###\n\n![A chart](chart.png)\n\n<!-- image -->"
    )
    assert items == [
        {"type": "heading", "level": 1, "md": "# Title", "value": "Title"},
        {
            "type": "text",
            "md": "A paragraph with **bold**, a [link](https://x.org) and \\# escapes."
            "\nIt goes on.",
            "value": "A paragraph with bold, a link and # escapes.\nIt goes on.",
        },
        {"type": "heading", "level": 3, "md": "### Sub heading ###", "value": "Sub heading"},
        {"type": "image", "md": "![A chart](chart.png)", "caption": "A chart", "url": "chart.png"},
        {"type": "image", "md": "<!-- image -->", "caption": "", "url": ""},
    ]


def test_nested_and_ordered_lists() -> None:
    (items,) = [page_items("- one\n- two\n    1. two a\n    2. two b\n- three\n  continued")]
    (outer,) = items
    assert outer["type"] == "list" and outer["ordered"] is False
    children = outer["items"]
    assert [child["type"] for child in children] == ["text", "text", "list", "text"]
    assert children[2]["ordered"] is True
    assert [grandchild["value"] for grandchild in children[2]["items"]] == ["two a", "two b"]
    assert children[3]["value"] == "three\ncontinued"
    assert outer["md"] == "- one\n- two\n    1. two a\n    2. two b\n- three\n  continued"


def test_a_loose_list_is_one_list_and_a_paragraph_ends_at_a_list() -> None:
    items = page_items("Intro line\n- a\n\n- b\n\n1. first")
    assert [item["type"] for item in items] == ["text", "list", "list"]
    assert [child["value"] for child in items[1]["items"]] == ["a", "b"]


def test_pipe_and_html_tables_give_rows() -> None:
    markdown = (
        "| Name | Note |\n| --- | :-: |\n| a \\| b | x |\n| c |  |\n\n"
        '<table>\n<tr><th>H1</th><th colspan="2">H2</th></tr>\n'
        "<tr><td>1 &amp; 2</td><td>3</td><td>4</td></tr>\n</table>"
    )
    pipe, html_table = page_items(markdown)
    assert pipe["rows"] == [["Name", "Note"], ["a | b", "x"], ["c", ""]]
    assert pipe["csv"] == "Name,Note\na | b,x\nc,\n"
    assert pipe["html"].startswith("<table>\n<thead><tr><th>Name</th><th>Note</th>")
    assert html_table["rows"] == [["H1", "H2", ""], ["1 & 2", "3", "4"]]
    assert html_table["html"] == html_table["md"]


def test_fenced_code_keeps_its_body_and_language() -> None:
    (code,) = page_items("```python\nprint('# not a heading')\n\nx = 1\n```")
    assert code == {
        "type": "code",
        "md": "```python\nprint('# not a heading')\n\nx = 1\n```",
        "value": "print('# not a heading')\n\nx = 1",
        "language": "python",
    }


def test_plain_text_strips_inline_markdown_only() -> None:
    assert plain_text("snake_case and 2*3*4 stay") == "snake_case and 2*3*4 stay"
    assert plain_text("> quoted *word* and `code`") == "quoted word and code"


def test_every_format_gets_items(tmp_path: Path) -> None:
    files = [
        make_text(tmp_path / "a.txt", "First paragraph.\n\nSecond paragraph."),
        make_markdown(tmp_path / "b.md", title="Notes", paragraphs=["- one\n- two"]),
        make_csv(tmp_path / "c.csv", [["k", "v"], ["a", "1"]]),
        make_html(
            tmp_path / "d.html",
            title="Page",
            paragraphs=["Hello there."],
            table=[["x", "y"], ["1", "2"]],
        ),
        make_docx(
            tmp_path / "e.docx",
            title="Doc",
            paragraphs=["Body text."],
            table=[["p", "q"], ["3", "4"]],
        ),
    ]
    kinds = {}
    for path in files:
        pages = run("parse", path.read_bytes(), path.name, {})["pages"]
        kinds[path.suffix] = {item["type"] for page in pages for item in page["items"]}  # type: ignore[attr-defined]
    assert kinds[".txt"] == {"text"}
    assert {"heading", "list"} <= kinds[".md"]
    assert kinds[".csv"] == {"table"}
    assert {"heading", "text", "table"} <= kinds[".html"]
    assert {"heading", "text", "table"} <= kinds[".docx"]


def test_boxed_items_take_their_lines_boxes_in_order() -> None:
    head = "# ACME TRADING B.V.\n\nInvoice no.\n7781\n\n1. first step\n\n"
    markdown = head + "| a | b |\n|---|---|\n| 1 | 2 |"
    lines = (
        LineBox("ACME TRADING B.V.", 40, 30, 200, 18.9, 18),
        LineBox("page 1 of 1", 300, 10, 40, 8.4, 8),  # furniture: matches no item
        LineBox("Invoice no.", 40, 80, 60, 10.5, 10),
        LineBox("7781", 40, 92, 30, 10.5, 10),
        LineBox("1. first step", 40, 110, 70, 10.5, 10),
        LineBox("a\tb\n1\t2", 40, 130, 100, 30, 0),
    )
    heading, text, listed, table = boxed_items(page_items(markdown), lines)
    assert heading["bbox"] == [
        {"x": 40, "y": 30, "w": 200, "h": 18.9, "start_index": 0, "end_index": 17}
    ]
    boxes = text["bbox"]
    assert isinstance(boxes, list) and [b["y"] for b in boxes] == [80, 92]
    value = str(text["value"])
    assert [value[b["start_index"] : b["end_index"]] for b in boxes] == ["Invoice no.", "7781"]
    assert listed["bbox"] == [{"x": 40, "y": 110, "w": 70, "h": 10.5}]  # its number dropped
    assert table["bbox"] == [{"x": 40, "y": 130, "w": 100, "h": 30, "label": "table"}]


def test_boxed_items_leave_items_whose_lines_are_not_found() -> None:
    items = boxed_items(page_items("Hello world"), (LineBox("Other words", 0, 0, 9, 9, 9),))
    assert "bbox" not in items[0]
    assert boxed_items(page_items("Hello world"), ()) == page_items("Hello world")
