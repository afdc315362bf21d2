"""Markdown, plain text, CSV and TSV: decoding, pages on form feeds, tables, empty files."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen import make_csv, make_markdown, make_text
from reams.domain.errors import ProcessorError
from reams.processors import run

ROWS = [["Team", "City", "Cups"], ["Maple Leafs", "Toronto", "13"], ["Blues", "St. Louis", "1"]]


def test_markdown_passes_through(tmp_path: Path) -> None:
    path = make_markdown(tmp_path / "n.md", title="Notes", paragraphs=["- a\n- b"], table=ROWS)
    result = run("parse", path.read_bytes(), "n.md", {})
    assert result["document"]["detected_type"] == "markdown"
    assert result["markdown_full"] == path.read_text(encoding="utf-8").rstrip("\n")


def test_plain_text_escapes_only_markdown_structure() -> None:
    data = b"# not a heading\nplain line\n> not a quote\n---\nend\r\n"
    result = run("parse", data, "notes.txt", {})
    assert result["document"]["detected_type"] == "text"
    page = result["pages"][0]
    assert page["markdown"] == "\\# not a heading\nplain line\n\\> not a quote\n\\---\nend"
    assert page["text"] == "# not a heading\nplain line\n> not a quote\n---\nend"


def test_form_feeds_split_text_into_pages() -> None:
    result = run(
        "parse", b"first page\fsecond page\f", "print.txt", {"page_prefix": "@{pageNumber} "}
    )
    assert [page["text"] for page in result["pages"]] == ["first page", "second page"]
    assert result["markdown_full"] == "@1 first page\n\n---\n\n@2 second page"


def test_cp1252_and_utf16_text_files_decode(tmp_path: Path) -> None:
    words = "Grüße – “Zoë” costs €5"
    for encoding in ("cp1252", "utf-16"):
        path = make_text(tmp_path / f"{encoding}.txt", words, encoding=encoding)
        result = run("parse", path.read_bytes(), path.name, {})
        assert result["pages"][0]["text"] == words


def test_csv_becomes_a_markdown_table(tmp_path: Path) -> None:
    path = make_csv(tmp_path / "cups.csv", ROWS)
    result = run("parse", path.read_bytes(), "cups.csv", {})
    assert result["markdown_full"] == (
        "| Team | City | Cups |\n| --- | --- | --- |\n"
        "| Maple Leafs | Toronto | 13 |\n| Blues | St. Louis | 1 |"
    )
    assert result["document"]["metadata"]["rows"] == 3


@pytest.mark.parametrize(("name", "delimiter"), [("cups.tsv", "\t"), ("cups.csv", ";")])
def test_other_delimiters_are_found(tmp_path: Path, name: str, delimiter: str) -> None:
    path = make_csv(
        tmp_path / name, [*ROWS, ["Kings, LA", "Los Angeles", "2"]], delimiter=delimiter
    )
    markdown = run("parse", path.read_bytes(), name, {})["markdown_full"]
    assert "| Kings, LA | Los Angeles | 2 |" in markdown


def test_csv_as_html_table(tmp_path: Path) -> None:
    path = make_csv(tmp_path / "cups.csv", ROWS)
    markdown = run("parse", path.read_bytes(), "cups.csv", {"output_tables_as_HTML": True})[
        "markdown_full"
    ]
    assert markdown.startswith("<table>\n<thead><tr><th>Team</th>")


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"", "empty.txt"), (b"", "empty.pdf"), (b"  \n\t\r\n ", "blank.txt"), (b"\n\n", "b.csv")],
)
def test_empty_and_whitespace_files_are_empty_document(data: bytes, name: str) -> None:
    with pytest.raises(ProcessorError) as caught:
        run("parse", data, name, {})
    assert caught.value.code == "empty_document"


def test_utf16_whitespace_only_text_is_empty_document() -> None:
    with pytest.raises(ProcessorError) as caught:
        run("parse", "   \n  ".encode("utf-16"), "blank.txt", {})
    assert caught.value.code == "empty_document"
