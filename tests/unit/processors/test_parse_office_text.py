"""ODT, RTF, DOCX headers/footers/notes and legacy DOC/PPT: structure and error codes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from office_fixtures import OLE_MAGIC, make_odf

from reams.domain.errors import ProcessorError
from reams.processors import run
from reams.processors.parse.office.docx import read_docx

_LIST_STYLE = (
    '<text:list-style style:name="L1"><text:list-level-style-number text:level="1" '
    'style:num-format="1"/><text:list-level-style-bullet text:level="2"/></text:list-style>'
    '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Title"/>'
)
_ODT_BODY = (
    '<text:p text:style-name="P1">Report</text:p>'
    '<text:h text:outline-level="2">Scope</text:h>'
    "<text:p>Plain <text:span>spaced</text:span><text:s text:c='2'/>text.</text:p>"
    '<text:list text:style-name="L1"><text:list-item><text:p>One</text:p><text:list>'
    "<text:list-item><text:p>Sub</text:p></text:list-item></text:list></text:list-item>"
    "<text:list-item><text:p>Two</text:p></text:list-item></text:list>"
    "<table:table><table:table-row><table:table-cell><text:p>K</text:p></table:table-cell>"
    "<table:table-cell><text:p>V</text:p></table:table-cell></table:table-row>"
    "<table:table-row><table:table-cell><text:p>a</text:p></table:table-cell>"
    "<table:table-cell><text:p>b</text:p></table:table-cell></table:table-row></table:table>"
)


def test_odt_headings_lists_and_tables() -> None:
    result = run("parse", make_odf("text", _ODT_BODY, styles=_LIST_STYLE), "r.odt", {})
    assert result["document"]["detected_type"] == "odt"
    assert result["markdown_full"] == (
        "# Report\n\n## Scope\n\nPlain spaced text.\n\n1. One\n    - Sub\n2. Two\n\n"
        "| K | V |\n| --- | --- |\n| a | b |"
    )


def test_encrypted_odf_is_reported_as_such() -> None:
    data = make_odf("text", _ODT_BODY, manifest_extra="<manifest:encryption-data/>")
    with pytest.raises(ProcessorError) as caught:
        run("parse", data, "secret.odt", {})
    assert caught.value.code == "encrypted_document"


_RTF = (
    rb"{\rtf1\ansi\ansicpg1250{\fonttbl{\f0 Arial;}}"
    rb"{\stylesheet{\s1 heading 1;}}"
    rb"{\header Page header text\par}"
    rb"\pard\s1 Intro\par"
    rb"\pard Za\'bf\'f3\'b3\'e6 g\u281?\'9cl\'b9 and \u8364?5\par"
    rb"{\listtext 1.\tab}\pard\ls1 First\par"
    rb"{\listtext 2.\tab}\pard\ls1 Second\par"
    rb"\pard\intbl A\cell B\cell\row"
    rb"\pard\intbl c\cell d\cell\row"
    rb"\pard After{\*\fldinst HYPERLINK x}{\fldrslt  link}\par}"
)


def test_rtf_paragraphs_headings_lists_tables_and_code_page() -> None:
    result = run("parse", _RTF, "note.rtf", {})
    assert result["document"]["detected_type"] == "rtf"
    assert result["markdown_full"] == (
        "# Intro\n\nZażółć gęślą and €5\n\n1. First\n2. Second\n\n"
        "| A | B |\n| --- | --- |\n| c | d |\n\nAfter link"
    )


def test_broken_rtf_does_not_raise_raw_errors() -> None:
    # A \bin longer than the file swallows the rest; a bad hex escape is passed over.
    data = rb"{\rtf1 ok\'zz \bin999999 {{{{ unbalanced \par text"
    assert run("parse", data, "bad.rtf", {})["text_full"] == "okzz"
    with pytest.raises(ProcessorError) as caught:
        run("parse", rb"{\rtf1 {\pict 0102}}", "picture.rtf", {})
    assert caught.value.code == "empty_document"
    assert (
        run("parse", rb"{\rtf1 {{{ unbalanced \par text", "b.rtf", {})["text_full"]
        == "unbalanced\n\ntext"
    )


def _docx_with_header(tmp_path: Path) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Body text")
    section = document.sections[0]
    section.header.paragraphs[0].text = "ACME confidential"
    section.footer.paragraphs[0].text = "Page footer"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_headers_and_footers_are_marked(tmp_path: Path) -> None:
    markdown = run("parse", _docx_with_header(tmp_path), "h.docx", {})["markdown_full"]
    assert markdown == (
        "<!-- page header -->\n\nACME confidential\n\nBody text\n\n"
        "<!-- page footer -->\n\nPage footer"
    )
    page = read_docx(_docx_with_header(tmp_path), tables_as_html=False, headers=False)
    assert page.pages[0].text == "Body text\n\nPage footer"


def test_docx_footnotes_from_the_corpus(corpus_dir: object) -> None:
    source = corpus_dir("tika-test-documents/docx") / "footnotes.docx"  # type: ignore[operator]
    markdown = run("parse", source.read_bytes(), source.name, {})["markdown_full"]
    assert "prostoy[^1] text" in markdown
    assert markdown.endswith("[^1]: snoska")


def _ole_with(*streams: str) -> bytes:
    body = b"".join(name.encode("utf-16-le") + b"\x00" * 32 for name in streams)
    return OLE_MAGIC + b"\x00" * 504 + body


def test_legacy_doc_is_refused_with_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ProcessorError) as caught:
        run("parse", _ole_with("WordDocument"), "old.doc", {})
    assert caught.value.code == "unsupported_format"
    assert "save the file as .docx" in caught.value.message


def test_rights_managed_doc_is_encrypted() -> None:
    with pytest.raises(ProcessorError) as caught:
        run("parse", _ole_with("\x06DataSpaces", "WordDocument"), "drm.doc", {})
    assert caught.value.code == "encrypted_document"
