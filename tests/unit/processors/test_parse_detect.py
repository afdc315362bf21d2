"""detect_type and text decoding: magic bytes first, then extension; encodings survive."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from docgen import make_docx, make_pdf
from reams.domain.errors import ProcessorError
from reams.processors.parse import detect_type
from reams.processors.parse.decode import decode_text

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_real_pdf_and_docx_are_detected_whatever_their_name(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "a.pdf", ["Hello"]).read_bytes()
    docx = make_docx(tmp_path / "a.docx", title="T", paragraphs=["p"]).read_bytes()
    assert detect_type(pdf, "upload.bin") == "pdf"
    assert detect_type(b"garbage header\n" + pdf, "x") == "pdf"
    assert detect_type(docx, "noextension") == "docx"


@pytest.mark.parametrize(
    ("member", "expected"),
    [("xl/workbook.xml", "xlsx"), ("ppt/presentation.xml", "pptx"), ("other.txt", "zip")],
)
def test_office_zip_members_name_the_format(member: str, expected: str) -> None:
    assert detect_type(_zip({member: b"<x/>"}), "file.docx") == expected


def test_odf_and_epub_are_named_by_their_mimetype_member() -> None:
    odt = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    epub = _zip({"mimetype": b"application/epub+zip"})
    assert detect_type(odt, "a") == "odt"
    assert detect_type(epub, "a") == "epub"


def test_a_truncated_zip_is_named_by_its_extension(tmp_path: Path) -> None:
    docx = make_docx(tmp_path / "a.docx", title="T", paragraphs=["p"]).read_bytes()
    assert detect_type(docx[: len(docx) // 2], "a.docx") == "docx"
    assert detect_type(docx[: len(docx) // 2], "a.dat") == "zip"


@pytest.mark.parametrize(
    ("name", "expected"), [("a.doc", "doc"), ("a.xls", "xls"), ("a.docx", "docx"), ("a", "ole")]
)
def test_ole_containers_are_named_by_extension(name: str, expected: str) -> None:
    assert detect_type(OLE, name) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"\xff\xd8\xff\xe0", "jpeg"),
        (b"GIF89a", "gif"),
        (b"II*\x00", "tiff"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (b"{\\rtf1\\ansi", "rtf"),
        (b"BM\x36\x00\x0c\x00\x00\x00\x00\x00", "bmp"),
    ],
)
def test_magic_bytes_win_over_the_extension(head: bytes, expected: str) -> None:
    assert detect_type(head + b"\x00\x01\x02" * 10, "looks.txt") == expected


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"<!DOCTYPE html><html><body>x</body></html>", "page.txt", "html"),
        ("<html><body>x</body></html>".encode("utf-16"), "page", "html"),
        (b"<p>fragment</p>", "page.htm", "html"),
        (b"# Title\n", "notes.md", "markdown"),
        (b"a,b\n1,2\n", "data.csv", "csv"),
        (b"a\tb\n1\t2\n", "data.tsv", "tsv"),
        (b"just words\n", "notes.txt", "text"),
        (b"just words\n", "README", "text"),
        (b"BMW annual report\n", "bmw.txt", "text"),
        (b"%%not a pdf", "broken.pdf", "pdf"),
    ],
)
def test_text_formats_by_content_then_extension(data: bytes, name: str, expected: str) -> None:
    assert detect_type(data, name) == expected


def test_binary_garbage_is_not_text() -> None:
    assert detect_type(bytes(range(256)) * 8, "mystery.dat") == "binary"


def test_cp1252_is_not_mangled() -> None:
    original = "Café – “quoted” naïve €5 résumé, Zoë and François."
    text, encoding = decode_text(original.encode("cp1252"))
    assert text == original
    assert encoding == "cp1252"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_encodings_with_and_without_bom(codec: str) -> None:
    original = "Grüße aus Köln — 東京 and plain ASCII text to make the pattern clear."
    text, _ = decode_text(original.encode(codec))
    assert text.lstrip("\ufeff") == original


def test_declared_charset_is_used_when_there_is_no_bom() -> None:
    text, encoding = decode_text("Ελληνικά".encode("iso8859-7"), declared="iso-8859-7")
    assert text == "Ελληνικά"
    assert encoding == "iso8859-7"


def test_binary_data_cannot_be_decoded() -> None:
    with pytest.raises(ProcessorError) as caught:
        decode_text(b"\x00\x01\x02\x03\xff\xfe\xfd" * 50 + b"\x00")
    assert caught.value.code == "unsupported_format"
