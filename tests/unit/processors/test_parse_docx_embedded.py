"""DOCX content that is not the body's own text: pictures (DrawingML and VML) and alt chunks
(content in another format that Word imports where a ``w:altChunk`` stands)."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from PIL import Image

from reams.processors import run
from reams.processors.parse.office.docx import read_docx

_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office"'
)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def _saved(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _markdown(document: Any, *, as_html: bool = False) -> str:
    return str(read_docx(_saved(document), tables_as_html=as_html).pages[0].markdown)


def _picture_paragraph(document: Any, *, descr: str | None = None, title: str | None = None) -> Any:
    """A paragraph holding one inline picture, its alt text set in Word's way (on the
    drawing's ``wp:docPr``) when given."""
    paragraph = document.add_paragraph()
    paragraph.add_run().add_picture(_png())
    doc_pr = paragraph._p.find(f".//{_WP}docPr")
    for name, value in (("descr", descr), ("title", title)):
        if value is not None:
            doc_pr.set(name, value)
    return paragraph


def _blip_rid(paragraph: Any) -> str:
    return str(paragraph._p.find(f".//{_PIC}blipFill/{_A}blip").get(f"{_R}embed"))


def test_a_picture_with_alt_text_is_an_image_in_place() -> None:
    document = docx.Document()
    document.add_paragraph("Before the picture")
    _picture_paragraph(document, descr="A red square\n\non white")
    document.add_paragraph("After the picture")
    assert _markdown(document).split("\n\n") == [
        "Before the picture",
        "![A red square on white](image1.png)",
        "After the picture",
    ]
    result = run("parse", _saved(document), "pictures.docx", {})
    assert "A red square on white" in result["text_full"]  # alt text is content
    kinds = [item["type"] for item in result["pages"][0]["items"]]
    assert kinds == ["text", "image", "text"]


def test_a_picture_title_or_its_own_description_is_alt_text_too() -> None:
    document = docx.Document()
    _picture_paragraph(document, title="Logo of the firm")
    described = _picture_paragraph(document)
    described._p.find(f".//{_PIC}cNvPr").set("descr", "Own description")
    document.add_paragraph("Text")
    lines = _markdown(document).split("\n\n")
    assert lines[:2] == ["![Logo of the firm](image1.png)", "![Own description](image1.png)"]


@pytest.mark.parametrize("alt", [None, "", "photo.JPG", "C:\\Users\\me\\Pictures\\scan 3.png"])
def test_a_picture_without_real_alt_text_is_the_invisible_marker(alt: str | None) -> None:
    document = docx.Document()
    document.add_paragraph("Text")
    _picture_paragraph(document, descr=alt)
    assert _markdown(document) == "Text\n\n<!-- image -->"


def test_a_picture_in_markup_compatibility_content_around_runs_is_found() -> None:
    document = docx.Document()
    document.add_paragraph("Text")
    paragraph = _picture_paragraph(document, descr="Wrapped")
    run_element = paragraph._p.find(f"{_W}r")
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    wrapper = parse_xml(
        f'<mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="w14"/></mc:AlternateContent>'
    )
    run_element.addprevious(wrapper)
    wrapper[0].append(run_element)  # the paragraph's only run is inside mc:Choice
    assert _markdown(document) == "Text\n\n![Wrapped](image1.png)"


def test_a_picture_in_a_list_item_stays_in_the_item() -> None:
    document = docx.Document()
    document.add_paragraph("First point", style="List Bullet")
    item = _picture_paragraph(document, descr="Tick")
    item.style = document.styles["List Bullet"]
    item.add_run("Second point")
    iconless = _picture_paragraph(document)
    iconless.style = document.styles["List Bullet"]
    iconless.add_run("Third point")
    document.add_paragraph("After the list")
    assert _markdown(document).split("\n\n") == [
        "- First point\n- Second point ![Tick](image1.png)\n- Third point <!-- image -->",
        "After the list",
    ]
    text = run("parse", _saved(document), "list.docx", {})["text_full"]
    assert "- Second point Tick\n- Third point\n" in text


def test_a_group_of_pictures_gives_one_image_each() -> None:
    document = docx.Document()
    document.add_paragraph("Text")
    paragraph = _picture_paragraph(document, descr="The group")
    picture = paragraph._p.find(f".//{_PIC}pic")
    twin = parse_xml(picture.xml)
    picture.addnext(twin)
    picture.find(f".//{_PIC}cNvPr").set("descr", "First")
    # The group's description is not each picture's: the second has none of its own.
    assert _markdown(document).split("\n\n")[1:] == ["![First](image1.png)", "<!-- image -->"]


def test_vml_pictures_are_read() -> None:
    document = docx.Document()
    first = _picture_paragraph(document, descr="Modern picture")
    rid = _blip_rid(first)
    vml = (
        f'<w:pict><v:shape alt="Old picture"><v:imagedata r:id="{rid}" o:title=""/>'
        "</v:shape></w:pict>"
    )
    document.add_paragraph()._p.append(parse_xml(f"<w:r {_NAMESPACES}>{vml}</w:r>"))
    titled = f'<w:pict><v:shape><v:imagedata r:id="{rid}" o:title="Titled"/></v:shape></w:pict>'
    document.add_paragraph()._p.append(parse_xml(f"<w:r {_NAMESPACES}>{titled}</w:r>"))
    document.add_paragraph("End")
    assert _markdown(document).split("\n\n") == [
        "![Modern picture](image1.png)",
        "![Old picture](image1.png)",
        "![Titled](image1.png)",
        "End",
    ]


def test_a_picture_in_a_fallback_or_a_deleted_run_is_left_out() -> None:
    document = docx.Document()
    kept = _picture_paragraph(document, descr="Kept")
    rid = _blip_rid(kept)
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    fallback = (
        f'<w:r {_NAMESPACES} xmlns:mc="{mc}"><mc:AlternateContent><mc:Choice Requires="wps"/>'
        f'<mc:Fallback><w:pict><v:shape alt="Copy"><v:imagedata r:id="{rid}"/></v:shape>'
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    kept._p.append(parse_xml(fallback))
    deleted = _picture_paragraph(document, descr="Deleted picture")
    run_element = deleted._p.find(f"{_W}r")
    wrapper = parse_xml(f'<w:del {_NAMESPACES} w:id="1" w:author="me"/>')
    run_element.addprevious(wrapper)
    wrapper.append(run_element)
    document.add_paragraph("End")
    assert _markdown(document).split("\n\n") == ["![Kept](image1.png)", "End"]


def test_a_header_picture_is_named_from_the_header_part() -> None:
    document = docx.Document()
    document.add_paragraph("Body text")
    _picture_paragraph(document, descr="Body picture")
    header = document.sections[0].header
    header.paragraphs[0].add_run().add_picture(_png())
    header_picture = header.paragraphs[0]._p.find(f".//{_WP}docPr")
    header_picture.set("descr", "Letterhead")
    markdown = _markdown(document)
    blip = header.paragraphs[0]._p.find(f".//{_PIC}blipFill/{_A}blip")
    target = header.part.related_parts[blip.get(f"{_R}embed")].partname
    assert markdown.startswith(f"<!-- page header -->\n\n![Letterhead]({target.rsplit('/', 1)[1]})")
    assert "![Body picture](image1.png)" in markdown


# ---------------------------------------------------------------------------- alt chunks


def _with_chunk(document: Any, name: str, content_type: str, blob: bytes) -> Any:
    part = Part(PackURI(f"/word/{name}"), content_type, blob, document.part.package)
    rid = document.part.relate_to(part, RELATIONSHIP_TYPE.A_F_CHUNK)
    chunk = parse_xml(f'<w:altChunk {_NAMESPACES} r:id="{rid}"/>')
    document.element.body.sectPr.addprevious(chunk)
    return document


_HTML = (
    "<!DOCTYPE html><html><head><title>Import</title>"
    '<meta charset="windows-1252"></head><body>'
    "<p>Imported <strong>paragraph</strong> caf\xe9.</p>"
    "<table><tr><th>Col 1</th><th>Col 2</th></tr><tr><td>a</td><td>b</td></tr></table>"
    "</body></html>"
).encode("cp1252")
_IMPORTED = "Imported **paragraph** café.\n\n| Col 1 | Col 2 |\n| --- | --- |\n| a | b |"


def test_an_html_alt_chunk_is_read_where_it_stands() -> None:
    document = docx.Document()
    document.add_paragraph("Before")
    _with_chunk(document, "chunk.html", "text/html", _HTML)
    document.add_paragraph("After")
    assert _markdown(document) == f"Before\n\n{_IMPORTED}\n\nAfter"


def test_a_document_that_is_only_an_alt_chunk_is_not_empty() -> None:
    document = docx.Document()
    _with_chunk(document, "chunk.xhtml", "application/xhtml+xml", _HTML)
    result = run("parse", _saved(document), "chunk.docx", {})
    assert result["markdown_full"] == _IMPORTED
    html = _markdown(document, as_html=True)
    assert "<th>Col 1</th>" in html


def test_an_mht_alt_chunk_reads_its_html_body() -> None:
    html = _HTML.decode("cp1252").replace("caf\xe9", "caf=E9").replace('"', "=3D")
    mht = (
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; type="text/html"; boundary="XX"\r\n\r\n'
        '--XX\r\nContent-Type: text/html; charset="windows-1252"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        f"{html}\r\n"
        "--XX\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        "iVBORw0KGgo=\r\n--XX--\r\n"
    ).encode("ascii")
    document = docx.Document()
    _with_chunk(document, "chunk.mht", "message/rfc822", mht)
    assert _markdown(document) == _IMPORTED


def test_text_rtf_and_word_alt_chunks() -> None:
    inner = docx.Document()
    inner.add_heading("Inner heading", level=2)
    inner.add_paragraph("Inner text")
    document = docx.Document()
    _with_chunk(document, "a.txt", "text/plain", b"First line\nsame paragraph\n\nSecond")
    _with_chunk(document, "b.rtf", "application/rtf", rb"{\rtf1\ansi Rich {\b text}\par}")
    _with_chunk(
        document,
        "c.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        _saved(inner),
    )
    assert _markdown(document).split("\n\n") == [
        "First line\nsame paragraph",
        "Second",
        "Rich text",
        "## Inner heading",
        "Inner text",
    ]


def test_unknown_and_damaged_alt_chunks_are_left_out() -> None:
    document = docx.Document()
    document.add_paragraph("Kept")
    _with_chunk(document, "a.bin", "application/octet-stream", b"\x00\x01")
    _with_chunk(
        document,
        "b.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"PK\x03\x04 not really a zip",
    )
    _with_chunk(document, "c.rtf", "application/rtf", b"not rtf")
    _with_chunk(document, "d.txt", "text/plain", bytes(range(256)) * 8)
    document.element.body.sectPr.addprevious(parse_xml(f'<w:altChunk {_NAMESPACES} r:id="rId99"/>'))
    assert _markdown(document) == "Kept"


def test_word_alt_chunks_nest_only_so_deep() -> None:
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    document = docx.Document()
    document.add_paragraph("Level 3")
    for level in (2, 1, 0):  # each document imports the one before, then adds its own text
        document = _with_chunk(docx.Document(), "c.docx", kind, _saved(document))
        document.add_paragraph(f"Level {level}")
    # The body, a chunk in it and a chunk in that are read; a chunk three deep is not.
    assert _markdown(document).split("\n\n") == ["Level 2", "Level 1", "Level 0"]
