"""PPTX and ODP: a page per slide with title heading, lists, tables, pictures and notes."""

from __future__ import annotations

import pytest
from office_fixtures import fake_encrypted_ooxml, make_odf, make_pptx

from reams.domain.errors import ProcessorError
from reams.processors import run


@pytest.fixture(scope="module")
def slides() -> dict[str, object]:
    return run("parse", make_pptx(), "plan.pptx", {})


def _page(result: dict[str, object], index: int, key: str = "markdown") -> str:
    return str(result["pages"][index][key])  # type: ignore[index]


def test_one_page_per_slide_with_slide_size(slides: dict[str, object]) -> None:
    assert slides["document"]["detected_type"] == "pptx"  # type: ignore[index]
    assert len(slides["pages"]) == 3  # type: ignore[arg-type]
    assert slides["pages"][0]["width"] == pytest.approx(720.0)  # type: ignore[index]
    assert _page(slides, 0) == "# Launch plan\n\n## Spring 2025"


def test_bullets_nest_by_level_and_shapes_follow_reading_order(slides: dict[str, object]) -> None:
    assert _page(slides, 1) == (
        "# Goals\n\n- Grow revenue\n    - Enterprise first\n- Hire two engineers\n\n"
        "<!-- image -->\n\nFootnote box at the bottom\n\n"
        "**Notes:**\n\nMention the hiring freeze."
    )


def test_text_output_has_no_image_marker(slides: dict[str, object]) -> None:
    text = _page(slides, 1, "text")
    assert "<!--" not in text
    assert "Goals\n\n- Grow revenue" in text
    assert text.endswith("Notes:\n\nMention the hiring freeze.")


def test_tables_render_as_markdown_or_html(slides: dict[str, object]) -> None:
    assert _page(slides, 2) == "# Numbers\n\n| Region | Sales |\n| --- | --- |\n| EMEA | 42 |"
    html = run("parse", make_pptx(), "plan.pptx", {"output_tables_as_HTML": True})
    assert "<th>Region</th><th>Sales</th>" in _page(html, 2)


def test_target_pages_select_slides() -> None:
    result = run("parse", make_pptx(), "plan.pptx", {"target_pages": "2"})
    assert [page["page_number"] for page in result["pages"]] == [3]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (fake_encrypted_ooxml(), "encrypted_document"),
        (make_pptx()[:2000], "corrupt_document"),
    ],
)
def test_damaged_presentations_fail_with_codes(data: bytes, code: str) -> None:
    with pytest.raises(ProcessorError) as caught:
        run("parse", data, "deck.pptx", {})
    assert caught.value.code == code


def test_odp_slides_titles_lists_and_notes() -> None:
    slide = (
        '<draw:page draw:name="One">'
        '<draw:frame svg:y="5cm" svg:x="1cm"><draw:text-box><text:list>'
        "<text:list-item><text:p>First point</text:p><text:list><text:list-item>"
        "<text:p>Detail</text:p></text:list-item></text:list></text:list-item>"
        "</text:list></draw:text-box></draw:frame>"
        '<draw:frame presentation:class="title" svg:y="1cm" svg:x="1cm"><draw:text-box>'
        "<text:p>Agenda</text:p></draw:text-box></draw:frame>"
        '<draw:frame svg:y="9cm" svg:x="1cm"><draw:image/></draw:frame>'
        '<presentation:notes><draw:frame presentation:class="notes"><draw:text-box>'
        "<text:p>Speak slowly.</text:p></draw:text-box></draw:frame></presentation:notes>"
        "</draw:page>"
    )
    result = run("parse", make_odf("presentation", slide), "deck.odp", {})
    assert result["document"]["detected_type"] == "odp"
    assert result["markdown_full"] == (
        "# Agenda\n\n- First point\n    - Detail\n\n<!-- image -->\n\n**Notes:**\n\nSpeak slowly."
    )
