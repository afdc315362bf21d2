"""OOXML packages whose main part is not where Word, Excel or PowerPoint put it: the main part is
found through the package relationships (``_rels/.rels``), as Office and markitdown find it."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable

import docx
import pytest
from office_fixtures import make_pptx, make_xlsx

from corpus import corpus_root
from reams.domain.errors import ProcessorError
from reams.processors import run
from reams.processors.parse.detect import detect_type
from reams.processors.parse.office.common import main_part


def _docx() -> bytes:
    document = docx.Document()
    document.add_heading("Moved body", level=1)
    document.add_paragraph("The main part lives elsewhere.")
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Key", (0, 1): "Value", (1, 0): "a", (1, 1): "1"}.items():
        table.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _moved(data: bytes, old: str, new: str, *, absolute: bool = True) -> bytes:
    """The package with its part ``old`` stored as ``new`` and every reference to it updated:
    the package relationship, the content type override and the part's own relationships."""
    old_rels = posixpath.join(posixpath.dirname(old), "_rels", posixpath.basename(old) + ".rels")
    new_rels = posixpath.join(posixpath.dirname(new), "_rels", posixpath.basename(new) + ".rels")
    target = f"/{new}" if absolute else new
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as moved:
        for info in source.infolist():
            body = source.read(info)
            name = {old: new, old_rels: new_rels}.get(info.filename, info.filename)
            if info.filename == "_rels/.rels":
                body = body.replace(f'Target="{old}"'.encode(), f'Target="{target}"'.encode())
                body = body.replace(f'Target="/{old}"'.encode(), f'Target="{target}"'.encode())
            elif info.filename == old_rels:
                body = _retargeted(body, posixpath.dirname(old), posixpath.dirname(new))
            elif info.filename == "[Content_Types].xml":
                body = body.replace(f'PartName="/{old}"'.encode(), f'PartName="/{new}"'.encode())
            moved.writestr(name, body)
    return out.getvalue()


def _retargeted(rels: bytes, old_folder: str, new_folder: str) -> bytes:
    """A part's relationships with their relative targets made relative to its new folder."""

    def move(match: re.Match[bytes]) -> bytes:
        target = match.group(1).decode()
        if target.startswith("/") or "://" in target:
            return match.group(0)
        path = posixpath.normpath(posixpath.join(old_folder, target))
        return f'Target="{posixpath.relpath(path, new_folder)}"'.encode()

    return re.sub(rb'Target="([^"]*)"', move, rels)


def _markdown(data: bytes, name: str) -> str:
    return str(run("parse", data, name, {})["markdown_full"])


@pytest.mark.parametrize("absolute", [True, False])
def test_docx_with_a_renamed_main_part_is_read(absolute: bool) -> None:
    data = _moved(_docx(), "word/document.xml", "content/body.xml", absolute=absolute)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "word/document.xml" not in archive.namelist()
        assert main_part(archive) == ("content/body.xml", "docx")
    markdown = _markdown(data, "moved.docx")
    assert markdown.startswith("# Moved body\n\nThe main part lives elsewhere.")
    assert "| a | 1 |" in markdown


def test_docx_main_part_is_found_whatever_the_file_is_called() -> None:
    data = _moved(_docx(), "word/document.xml", "word/document2.xml")
    assert "The main part lives elsewhere." in _markdown(data, "upload.bin")
    assert detect_type(data, "upload.bin") == "docx"  # the detected type says so too
    moved_xlsx = _moved(make_xlsx(), "xl/workbook.xml", "xl/book.xml")
    assert detect_type(moved_xlsx, "upload.zip") == "xlsx"
    assert detect_type(_zip({"notes.txt": "hello"}), "archive.zip") == "zip"


def test_xlsx_with_a_renamed_workbook_is_read() -> None:
    data = _moved(make_xlsx(), "xl/workbook.xml", "xl/book.xml")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert main_part(archive) == ("xl/book.xml", "xlsx")
    assert "Quarterly budget" in _markdown(data, "moved.xlsx")


def test_pptx_with_a_renamed_presentation_is_read() -> None:
    data = _moved(make_pptx(), "ppt/presentation.xml", "ppt/deck.xml")
    assert "Launch plan" in _markdown(data, "moved.pptx")


def test_standard_packages_report_their_main_part() -> None:
    for data, expected in (
        (_docx(), ("word/document.xml", "docx")),
        (make_xlsx(), ("xl/workbook.xml", "xlsx")),
        (make_pptx(), ("ppt/presentation.xml", "pptx")),
    ):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert main_part(archive) == expected


def _zip(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="{target}"/></Relationships>'
)
_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
)


def _unsupported_message(data: bytes, name: str) -> str:
    with pytest.raises(ProcessorError) as caught:
        run("parse", data, name, {})
    assert caught.value.code == "unsupported_format"
    return caught.value.message


def test_plain_zip_is_still_unsupported() -> None:
    data = _zip({"notes.txt": "hello", "data/report.xml": "<a/>"})
    assert _unsupported_message(data, "archive.zip") == "ZIP files are not supported yet."


def test_package_with_a_broken_relationship_is_a_plain_zip() -> None:
    missing = _zip(
        {
            "_rels/.rels": _RELS.format(target="doc/missing.xml"),
            "[Content_Types].xml": _TYPES.format(
                part="doc/missing.xml",
                content_type="application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document.main+xml",
            ),
        }
    )
    assert _unsupported_message(missing, "a.zip") == "ZIP files are not supported yet."
    garbled = _zip({"_rels/.rels": "<Relationships", "[Content_Types].xml": "not xml"})
    assert _unsupported_message(garbled, "b.zip") == "ZIP files are not supported yet."


def test_binary_workbook_main_part_is_named_in_the_error() -> None:
    data = _zip(
        {
            "_rels/.rels": _RELS.format(target="wb/main.bin"),
            "[Content_Types].xml": _TYPES.format(
                part="wb/main.bin",
                content_type="application/vnd.ms-excel.sheet.binary.macroEnabled.main",
            ),
            "wb/main.bin": "\x00\x01",
        }
    )
    message = _unsupported_message(data, "book.zip")
    assert message == "Excel binary workbooks (.xlsb) are not supported yet."


def _strict(data: bytes) -> bytes:
    """The package saved as Strict Open XML: the same markup under purl.oclc.org names."""
    from reams.processors.parse.office.common import STRICT_NAMES

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as strict:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.endswith((".xml", ".rels")):
                for strict_name, usual in STRICT_NAMES:
                    body = body.replace(usual, strict_name)
            strict.writestr(info.filename, body)
    return out.getvalue()


def test_strict_open_xml_is_read_like_transitional() -> None:
    data = _strict(_docx())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml")
    assert b"purl.oclc.org/ooxml/wordprocessingml/main" in body
    assert _markdown(data, "strict.docx") == _markdown(_docx(), "usual.docx")


def test_xlsx_and_pptx_main_parts_in_other_folders_with_relative_targets() -> None:
    # The part's own relationships are rewritten relative to its new folder (sheets, slides).
    book = _moved(make_xlsx(), "xl/workbook.xml", "data/books/main.xml", absolute=False)
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        assert main_part(archive) == ("data/books/main.xml", "xlsx")
    markdown = _markdown(book, "moved.xlsx")
    assert "Quarterly budget" in markdown and "Only one cell" in markdown
    deck = _moved(make_pptx(), "ppt/presentation.xml", "deck/main.xml", absolute=False)
    assert "Launch plan" in _markdown(deck, "moved.pptx")


# The names Strict Open XML gives the namespaces of workbooks and presentations, written out
# here rather than taken from the reader's own table.
_STRICT_SHEETS_AND_SLIDES = (
    (b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
     b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
    (b"http://schemas.openxmlformats.org/presentationml/2006/main",
     b"http://purl.oclc.org/ooxml/presentationml/main"),
    (b"http://schemas.openxmlformats.org/drawingml/2006/main",
     b"http://purl.oclc.org/ooxml/drawingml/main"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
     b"http://purl.oclc.org/ooxml/officeDocument/relationships"),
)  # fmt: skip


def _strict_sheets_and_slides(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as strict:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.endswith((".xml", ".rels")):
                for usual, strict_name in _STRICT_SHEETS_AND_SLIDES:
                    body = body.replace(usual, strict_name)
            strict.writestr(info.filename, body)
    return out.getvalue()


@pytest.mark.parametrize(("make", "name"), [(make_xlsx, "book.xlsx"), (make_pptx, "deck.pptx")])
def test_strict_workbooks_and_presentations_read_like_transitional(
    make: Callable[[], bytes], name: str
) -> None:
    usual = make()
    strict = _strict_sheets_and_slides(usual)
    with zipfile.ZipFile(io.BytesIO(strict)) as archive:
        assert b"purl.oclc.org" in archive.read("_rels/.rels")
    assert detect_type(strict, "upload.bin") == detect_type(usual, name)
    assert _markdown(strict, name) == _markdown(usual, name)


def test_corpus_strict_workbook() -> None:
    path = corpus_root() / "tika-test-documents" / "xlsx" / "testEXCEL.strict.xlsx"
    if not path.is_file():
        pytest.skip("corpus not present")
    markdown = _markdown(path.read_bytes(), path.name)
    assert markdown.startswith("## First Sheet\n\n| Test spreadsheet |  |")
    assert "| 1 | 10 | 2 | 13 |" in markdown  # formula results, as Excel last computed them
