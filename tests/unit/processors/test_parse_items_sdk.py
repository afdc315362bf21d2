"""Page items validate as LlamaParse v2 items under the official SDK's models (strict)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen import make_markdown
from docgen_pdf import make_running_heads_pdf, make_scanned_pdf, make_styled_pdf, make_table_pdf
from reams.processors import run
from reams.processors.parse.assemble import extract_page
from reams.processors.parse.model import LineBox, PageContent, StaticSource
from reams.processors.parse.options import ParseOptions

sdk = pytest.importorskip("llama_cloud.types.parsing_get_response")


def _items_response(result: dict[str, object]) -> object:
    pages = [
        {
            "page_number": page["page_number"],
            "page_width": page["width"] or 0.0,
            "page_height": page["height"] or 0.0,
            "success": True,
            "items": page["items"],
        }
        for page in result["pages"]  # type: ignore[attr-defined]
    ]
    job = {"id": "pjb-1", "project_id": "prj-1", "status": "COMPLETED"}
    return sdk.ParsingGetResponse.model_validate({"job": job, "items": {"pages": pages}})


def _kinds(response: object) -> set[str]:
    return {type(item).__name__ for page in response.items.pages for item in page.items}  # type: ignore[attr-defined]


def test_pdf_items_are_valid_sdk_items(tmp_path: Path) -> None:
    files = [
        make_table_pdf(tmp_path / "t.pdf", [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]]),
        make_styled_pdf(
            tmp_path / "s.pdf", [("title", "Title"), ("body", "- item one"), ("body", "- item two")]
        ),
        make_running_heads_pdf(tmp_path / "h.pdf", ["Page one body.", "Page two body."]),
        make_scanned_pdf(tmp_path / "i.pdf", "A scan"),
    ]
    kinds: set[str] = set()
    for path in files:
        result = run("parse", path.read_bytes(), path.name, {"disable_ocr": True})
        kinds |= _kinds(_items_response(result))
    assert kinds >= {
        "TableItem",
        "HeadingItem",
        "ListItem",
        "TextItem",
        "HeaderItem",
        "FooterItem",
        "ImageItem",
    }


def test_markdown_items_with_code_and_nested_lists_are_valid(tmp_path: Path) -> None:
    path = make_markdown(
        tmp_path / "m.md",
        title="Notes",
        paragraphs=["```sh\nls -l\n```", "- a\n    - nested\n- b"],
        table=[["x", "y"], ["1", "2"]],
    )
    response = _items_response(run("parse", path.read_bytes(), path.name, {}))
    assert _kinds(response) == {"HeadingItem", "CodeItem", "ListItem", "TableItem"}
    nested = response.items.pages[0].items[2].items[1]  # type: ignore[attr-defined]
    assert type(nested).__name__ == "ListItem" and nested.items[0].value == "nested"


def test_items_with_line_boxes_are_valid_sdk_items() -> None:
    """A reader that gives line boxes (PDF) yields items whose ``bbox`` the SDK accepts."""
    content = PageContent(
        markdown="# Nordlicht GmbH\n\nRechnungsnr.\n4471\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        text="Nordlicht GmbH\nRechnungsnr.\n4471\na\tb\n1\t2",
        width=595.0,
        height=842.0,
        lines=(
            LineBox("Nordlicht GmbH", 40.0, 30.0, 150.0, 16.8, 16.0),
            LineBox("Rechnungsnr.", 40.0, 80.0, 60.0, 10.5, 10.0),
            LineBox("4471", 40.0, 92.0, 20.0, 10.5, 10.0),
            LineBox("a\tb\n1\t2", 40.0, 120.0, 90.0, 24.0, 0.0),
        ),
    )
    page = extract_page(StaticSource([content]), 0, ParseOptions())
    response = _items_response({"pages": [page.to_dict()]})
    heading, text, table = response.items.pages[0].items  # type: ignore[attr-defined]
    assert heading.bbox[0].h == 16.8 and heading.bbox[0].start_index == 0
    assert [(b.y, text.value[b.start_index : b.end_index]) for b in text.bbox] == [
        (80.0, "Rechnungsnr."),
        (92.0, "4471"),
    ]
    assert table.bbox[0].label == "table"
