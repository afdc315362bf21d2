"""Page items validate as LlamaParse v2 items under the official SDK's models (strict)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen import make_markdown
from docgen_pdf import make_running_heads_pdf, make_scanned_pdf, make_styled_pdf, make_table_pdf
from reams.processors import run

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
