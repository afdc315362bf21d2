"""HTML parsing: title, headings, lists, tables, invisible and navigation elements, charsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen import make_html
from reams.domain.errors import ProcessorError
from reams.processors import run

PRODUCTS = [["SKU", "Product", "Price"], ["NW-1", "Espresso beans", "18.50"]]


@pytest.fixture
def page(tmp_path: Path) -> bytes:
    return make_html(
        tmp_path / "page.html",
        title="Pantry essentials",
        paragraphs=["Shipped from Lyon.", "## Why us", "- Fair trade", "- Free delivery"],
        table=PRODUCTS,
        nav_links=["Home", "Shop"],
        footer="All rights reserved.",
    ).read_bytes()


def _markdown(data: bytes, name: str = "page.html", **parameters: object) -> str:
    result = run("parse", data, name, parameters)
    assert result["document"]["detected_type"] == "html"
    return str(result["markdown_full"])


def test_structure_is_rendered_and_scripts_are_dropped(page: bytes) -> None:
    markdown = _markdown(page)
    assert "# Pantry essentials\n\nShipped from Lyon.\n\n## Why us\n\n" in markdown
    assert "- Fair trade\n- Free delivery" in markdown
    assert (
        "| SKU | Product | Price |\n| --- | --- | --- |\n| NW-1 | Espresso beans | 18.50 |"
        in markdown
    )
    assert "tracking code" not in markdown
    assert "font-family" not in markdown


def test_navigation_stays_by_default_and_goes_when_asked(page: bytes) -> None:
    kept = _markdown(page)
    assert "- [Home](#)\n- [Shop](#)" in kept
    assert "All rights reserved." in kept
    removed = _markdown(page, html_remove_navigation_elements=True)
    assert "Home" not in removed
    assert "All rights reserved." not in removed
    assert "Shipped from Lyon." in removed


def test_title_metadata_and_tables_as_html(page: bytes) -> None:
    result = run("parse", page, "page.html", {"output_tables_as_HTML": True})
    assert result["document"]["metadata"]["title"] == "Pantry essentials"
    assert "<tr><td>NW-1</td><td>Espresso beans</td><td>18.50</td></tr>" in result["markdown_full"]


def test_inline_markup_links_breaks_and_nested_lists() -> None:
    html = (
        b"<html><body><p>See <a href='https://example.com'>our <b>site</b></a> now.<br>"
        b"Second line.</p><ol><li>One<ul><li>Inner</li></ul></li><li>Two</li></ol>"
        b"<blockquote>Quoted words</blockquote><pre>code  keeps   spaces</pre></body></html>"
    )
    markdown = _markdown(html, "x.html")
    assert "See [our **site**](https://example.com) now.\nSecond line." in markdown
    assert "1. One\n    - Inner\n2. Two" in markdown
    assert "> Quoted words" in markdown
    assert "```\ncode  keeps   spaces\n```" in markdown


def test_headings_without_title_and_no_duplicate_title() -> None:
    html = b"<html><head><title>Doc</title></head><body><h1>Doc</h1><h3>Part</h3><p>x</p></body>"
    assert _markdown(html, "x.html") == "# Doc\n\n### Part\n\nx"


def test_cp1252_page_without_declared_charset() -> None:
    html = "<html><body><p>Preis: 15,50 € – schön</p></body></html>".encode("cp1252")
    assert "Preis: 15,50 € – schön" in _markdown(html, "x.html")


def test_declared_charset_and_utf16_pages() -> None:
    latin = '<html><head><meta charset="iso-8859-1"></head><body><p>Café</p></body></html>'
    assert "Café" in _markdown(latin.encode("latin-1"), "x.html")
    utf16 = "<html><body><p>東京 Grüße</p></body></html>".encode("utf-16")
    assert "東京 Grüße" in _markdown(utf16, "x.html")


def test_page_with_only_scripts_is_empty_document() -> None:
    with pytest.raises(ProcessorError) as caught:
        run("parse", b"<html><script>var a = 1;</script><body> </body></html>", "x.html", {})
    assert caught.value.code == "empty_document"
