"""Type detection from content: magic bytes, OLE directories, and the opening of text files
(HTML, XML, JSON, e-mail) win over the file name; the name decides only what content cannot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from docgen import make_pdf
from reams.processors.parse import detect_type

MAIL = (
    b"Received: from mx.example.com by mail.example.com; Fri, 16 Dec 2022 17:04:16 -0500\r\n"
    b"MIME-Version: 1.0\r\nFrom: Alice <alice@example.com>\r\nSubject: Hi\r\n"
    b"Content-Type: text/plain\r\n\r\nHello\r\n"
)


def test_a_txt_that_is_a_pdf_is_a_pdf(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "a.pdf", ["Hello"]).read_bytes()
    assert detect_type(pdf, "notes.txt") == "pdf"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"GIF87a\x01\x00", "gif"),
        (b"MM\x00*\x00\x00\x00\x08", "tiff"),
        (b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00", "bmp"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8L", "webp"),
        (b"{\\rtf1\\ansi\\deff0", "rtf"),
    ],
)
def test_image_and_rtf_magic(head: bytes, expected: str) -> None:
    assert detect_type(head + bytes(64), "upload.txt") == expected


def test_riff_that_is_not_webp_and_bm_text_are_not_images() -> None:
    assert detect_type(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(32), "a.bin") != "webp"
    assert detect_type(b"BMW annual report 2024\n", "report") == "text"


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body>x</body></html>",
        b"\n\n   <html lang='en'><body>x</body></html>",
        b"\xef\xbb\xbf<!DOCTYPE HTML PUBLIC '-//W3C//DTD HTML 4.01//EN'><html>",
        b"<!-- saved from url=(0014)about:internet -->\n<!doctype html><title>x</title>",
        b'<?xml version="1.0"?>\n<!-- c --><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
        "<html><body>UTF-16 page</body></html>".encode("utf-16"),
        "<html><body>UTF-16 no BOM</body></html>".encode("utf-16-le"),
    ],
)
def test_html_by_its_opening_whatever_the_name(data: bytes) -> None:
    assert detect_type(data, "download.txt") == "html"


def test_html_fragments_need_an_html_or_neutral_name() -> None:
    fragment = b"<div><p>Hello</p></div>"
    assert detect_type(fragment, "page.htm") == "html"
    assert detect_type(fragment, "upload") == "html"
    assert detect_type(b'<p align="center"><img src="logo.png"></p>\n# Project\n', "README.md") == (
        "markdown"
    )


def test_html_in_a_markdown_code_block_is_still_markdown() -> None:
    data = b"## Example\n\n```html\n<!DOCTYPE html>\n<html></html>\n```\n"
    assert detect_type(data, "notes.md") == "markdown"


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0" encoding="UTF-8"?>\n<factbook><country/></factbook>',
        '<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16"),
        b'<rss version="2.0"><channel><title>x</title></channel></rss>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>',
        b'<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion/></project>',
    ],
)
def test_xml_by_its_declaration_root_or_namespace(data: bytes) -> None:
    assert detect_type(data, "export.dat") == "xml"


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b'{"a": [1, 2, {"b": null}]}', "response", "json"),
        (b'  \n[{"id": 1}, {"id": 2}]\n', "data.txt", "json"),
        (b'{"name": "John", "age": 30,', "fake-incomplete-json.txt", "text"),
        (b'{"name": "John", "age": 30,', "broken.json", "json"),
        (b"[link](https://x.test) is Markdown\n", "notes.md", "markdown"),
        (b"[not json", "x.txt", "text"),
    ],
)
def test_json_only_when_it_parses_or_is_named_so(data: bytes, name: str, expected: str) -> None:
    assert detect_type(data, name) == expected


@pytest.mark.parametrize(
    "data",
    [
        MAIL,
        b"From alice@example.com Fri Dec 16 17:04:16 2022\nFrom: alice@example.com\n"
        b"To: bob@example.com\nSubject: mbox\n\nHi\n",
        b"MIME-Version: 1.0\nDate: Fri, 16 Dec 2022 17:04:16 -0500\nMessage-ID: <a@b>\n"
        b"Subject: Test\n\nBody\n",
        MAIL.decode().encode("utf-16"),
    ],
)
def test_email_by_its_header_block(data: bytes) -> None:
    assert detect_type(data, "message.txt") == "eml"


@pytest.mark.parametrize(
    "data",
    [
        b"Subject: meeting notes\nWe talked about the plan.\n",
        b"Note: this is text.\nAuthor: me\n\nBody\n",
        b"Dear team,\nFrom: the board\n",
    ],
)
def test_text_that_merely_has_colons_is_not_email(data: bytes) -> None:
    assert detect_type(data, "notes.txt") == "text"


def test_names_decide_only_for_neutral_text() -> None:
    assert detect_type(b"just words\n", "note.eml") == "eml"
    assert detect_type(b"just words\n", "page.html") == "html"
    assert detect_type(b"just words\n", "feed.xml") == "xml"
    assert detect_type(b"a,b\n1,2\n", "data.csv") == "csv"


@pytest.mark.parametrize(
    ("folder", "name", "expected"),
    [
        ("tika-test-documents/doc", "testWORD.doc", "doc"),
        ("tika-test-documents/xls", "testEXCEL.xls", "xls"),
        ("tika-test-documents/xls", "testEXCEL_WORKBOOK_in_capitals.xls", "xls"),
        ("tika-test-documents/ppt", "testPPT.ppt", "ppt"),
        ("tika-test-documents/msg", "testMSG.msg", "msg"),
        ("bad-inputs/office-encrypted", "unstructured-fake-encrypted.msg", "msg"),
    ],
)
def test_ole_containers_are_named_by_their_streams(
    corpus_dir: Callable[[str], Path], folder: str, name: str, expected: str
) -> None:
    data = (corpus_dir(folder) / name).read_bytes()
    assert detect_type(data, "renamed.bin") == expected
    assert detect_type(data, "wrong.docx") == expected


def test_encrypted_ooxml_in_ole_keeps_its_extension(corpus_dir: Callable[[str], Path]) -> None:
    data = (
        corpus_dir("bad-inputs/office-encrypted") / "tika-testWORD_protected_passtika.docx"
    ).read_bytes()
    assert detect_type(data, "secret.docx") == "docx"
    assert detect_type(data, "secret") == "ole"
