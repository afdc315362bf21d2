"""PDF layout on reportlab-made pages: headings, lists, reading order of columns, images."""

from __future__ import annotations

from pathlib import Path

from docgen import make_pdf
from docgen_pdf import make_columns_pdf, make_scanned_pdf, make_styled_pdf
from reams.processors import run

LEFT = [
    "Alpha opens the left column with a sentence long enough to wrap over several lines.",
    "Bravo closes the left column, again with enough words to fill a few lines of text.",
]
RIGHT = [
    "Yankee opens the right column and carries on for a while to fill a few lines too.",
    "Zulu ends the page in the right column with a final sentence of some length here.",
]


def _parse(path: Path, **parameters: object) -> dict[str, object]:
    return run("parse", path.read_bytes(), path.name, parameters)


def test_headings_get_levels_from_size_and_weight(tmp_path: Path) -> None:
    pdf = make_styled_pdf(
        tmp_path / "styled.pdf",
        [
            ("title", "Annual Review"),
            ("heading", "Results"),
            ("body", "Revenue grew strongly this year across all regions of the company."),
            ("label", "Key points"),
            ("body", "Costs fell while margins rose in every quarter of the year."),
        ],
    )
    markdown = _parse(pdf)["pages"][0]["markdown"]  # type: ignore[index]
    assert markdown.split("\n\n") == [
        "# Annual Review",
        "## Results",
        "Revenue grew strongly this year across all regions of the company.",
        "#### Key points",
        "Costs fell while margins rose in every quarter of the year.",
    ]


def test_bullets_and_numbers_become_tight_lists(tmp_path: Path) -> None:
    pdf = make_styled_pdf(
        tmp_path / "lists.pdf",
        [
            ("heading", "Plans"),
            ("body", "- Hire more staff for the two new shops opening in spring"),
            ("body", "- Renew the delivery fleet"),
            ("body", "1. Open the Lyon shop"),
            ("body", "2. Open the Nantes shop"),
        ],
    )
    page = _parse(pdf)["pages"][0]  # type: ignore[index]
    assert page["markdown"].endswith(
        "- Hire more staff for the two new shops opening in spring\n- Renew the delivery fleet"
        "\n\n1. Open the Lyon shop\n2. Open the Nantes shop"
    )
    lists = [item for item in page["items"] if item["type"] == "list"]
    assert [(item["ordered"], len(item["items"])) for item in lists] == [(False, 2), (True, 2)]
    assert lists[0]["items"][1] == {
        "type": "text",
        "md": "Renew the delivery fleet",
        "value": "Renew the delivery fleet",
    }


def test_columns_drawn_across_the_page_are_read_one_after_the_other(tmp_path: Path) -> None:
    pdf = make_columns_pdf(tmp_path / "columns.pdf", LEFT, RIGHT, title="Field report")
    markdown = _parse(pdf)["markdown_full"]
    assert isinstance(markdown, str)
    paragraphs = markdown.split("\n\n")
    assert paragraphs[0] == "# Field report"
    assert [p.split()[0] for p in paragraphs[1:]] == ["Alpha", "Bravo", "Yankee", "Zulu"]
    assert paragraphs[1] == LEFT[0]
    assert paragraphs[4] == RIGHT[1]


def test_text_keeps_one_line_per_printed_line(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "lines.pdf", ["First line\nSecond line"])
    assert _parse(pdf)["pages"][0]["text"] == "First line\nSecond line"  # type: ignore[index]


def test_an_image_gets_a_placeholder_in_markdown_and_items(tmp_path: Path) -> None:
    pdf = make_scanned_pdf(tmp_path / "scan.pdf", "Hello scanned world")
    page = _parse(pdf, disable_ocr=True)["pages"][0]  # type: ignore[index]
    assert page["markdown"] == "<!-- image -->"
    assert page["items"] == [{"type": "image", "md": "<!-- image -->", "caption": "", "url": ""}]
    assert page["needs_ocr"] is True and page["ocr"] is False


def test_document_reports_its_language(tmp_path: Path) -> None:
    english = make_pdf(
        tmp_path / "en.pdf", ["The cat is on the table and the dog is in the garden " * 3]
    )
    french = make_pdf(
        tmp_path / "fr.pdf", ["Le chat est sur la table et le chien est dans le jardin " * 3]
    )
    assert _parse(english)["document"]["language"] == "en"  # type: ignore[index]
    assert _parse(french)["document"]["language"] == "fr"  # type: ignore[index]
