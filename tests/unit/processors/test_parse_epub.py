"""EPUB 2 and 3: chapters of the reading order as pages, OPF metadata, and the failure codes."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from corpus import corpus_root
from reams.domain.errors import ProcessorError
from reams.processors import run
from reams.processors.parse import detect_type

CONTAINER = (
    '<?xml version="1.0"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
    '<rootfiles><rootfile full-path="OEBPS/content.opf" '
    'media-type="application/oebps-package+xml"/></rootfiles></container>'
)
METADATA = (
    "<dc:title>A Small Book</dc:title>"
    '<dc:creator id="a1">Ada Writer</dc:creator>'
    '<dc:creator id="e1">Ed Itor</dc:creator>'
    '<meta refines="#e1" property="role" scheme="marc:relators">edt</meta>'
    "<dc:language>en</dc:language><dc:date>2021-05-04</dc:date>"
)
MANIFEST = (
    '<item id="c1" href="text/chapter%201.xhtml" media-type="application/xhtml+xml"/>'
    '<item id="c2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/>'
    '<item id="notes" href="text/notes.xhtml" media-type="application/xhtml+xml"/>'
    '<item id="css" href="style.css" media-type="text/css"/>'
)
SPINE = '<itemref idref="c1"/><itemref idref="notes" linear="no"/><itemref idref="c2"/>'
CHAPTER_ONE = (
    "<h1>Chapter One</h1>"
    '<p>Plain <em>emphasis</em> and <a href="ch2.xhtml#start">a link</a>.</p>'
    "<ul><li>Apple</li><li>Pear</li></ul>"
    '<p><img src="../images/map.png" alt=""/></p>'
)
CHAPTER_TWO = (
    "<h2>Chapter Two</h2>"
    "<table><tr><th>Name</th><th>Qty</th></tr><tr><td>Ink</td><td>2</td></tr></table>"
    "<ol><li>First</li><li>Second</li></ol>"
)


def xhtml(body: str, *, title: str = "A Small Book") -> str:
    return (
        "<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE html>\n"
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>{title}</title></head><body>{body}</body></html>"
    )


def package(
    *, metadata: str = METADATA, manifest: str = MANIFEST, spine: str = SPINE, version: str = "3.0"
) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="{version}" '
        'xmlns:opf="http://www.idpf.org/2007/opf" unique-identifier="id">'
        f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">{metadata}</metadata>'
        f"<manifest>{manifest}</manifest><spine>{spine}</spine></package>"
    )


def book_parts() -> dict[str, str | bytes]:
    return {
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": package(),
        "OEBPS/text/chapter 1.xhtml": xhtml(CHAPTER_ONE),
        "OEBPS/text/ch2.xhtml": xhtml(CHAPTER_TWO),
        "OEBPS/text/notes.xhtml": xhtml("<p>A note read only through its link.</p>"),
        "OEBPS/style.css": "p { margin: 0 }",
    }


def make_epub(parts: dict[str, str | bytes], *, mimetype: bool = True) -> bytes:
    """An EPUB as packers write it: ``mimetype`` first and stored, the rest deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if mimetype:
            archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def parse_error(data: bytes, parameters: dict[str, object] | None = None) -> ProcessorError:
    with pytest.raises(ProcessorError) as caught:
        run("parse", data, "book.epub", parameters or {})
    assert caught.value.message[:1].isupper() and caught.value.message.endswith(".")
    return caught.value


def test_each_linear_chapter_is_a_page_in_spine_order() -> None:
    result = run("parse", make_epub(book_parts()), "book.epub", {})
    document = result["document"]
    assert document["detected_type"] == "epub"
    assert document["page_count"] == 2  # the non-linear notes are left out
    assert document["warnings"] == []
    first, second = result["pages"]
    assert first["page_number"] == 1 and second["page_number"] == 2
    assert first["markdown"] == (
        "# Chapter One\n\nPlain *emphasis* and [a link](ch2.xhtml#start).\n\n"
        "- Apple\n- Pear\n\n![](../images/map.png)"
    )
    assert second["markdown"] == (
        "## Chapter Two\n\n| Name | Qty |\n| --- | --- |\n| Ink | 2 |\n\n1. First\n2. Second"
    )
    assert "A note read only" not in result["markdown_full"]
    assert "Plain emphasis and a link." in first["text"]


def test_pages_carry_typed_items() -> None:
    result = run("parse", make_epub(book_parts()), "book.epub", {})
    first, second = result["pages"]
    assert [item["type"] for item in first["items"]] == ["heading", "text", "list", "image"]
    assert [item["type"] for item in second["items"]] == ["heading", "table", "list"]
    table = second["items"][1]
    assert table["rows"] == [["Name", "Qty"], ["Ink", "2"]]
    assert second["items"][2]["ordered"] is True


def test_metadata_comes_from_the_package_document() -> None:
    metadata = run("parse", make_epub(book_parts()), "book.epub", {})["document"]["metadata"]
    assert metadata["title"] == "A Small Book"
    assert metadata["author"] == "Ada Writer"  # the editor is a creator, not an author
    assert metadata["language"] == "en"
    assert metadata["date"] == "2021-05-04"
    assert metadata["epub_version"] == "3.0"
    assert metadata["chapters"] == 2


def test_epub2_roles_and_publication_date() -> None:
    metadata = (
        "<dc:title>Old Book</dc:title>"
        '<dc:creator opf:role="aut">First Author</dc:creator>'
        '<dc:creator opf:role="aut">Second Author</dc:creator>'
        '<dc:creator opf:role="ill">An Illustrator</dc:creator>'
        '<dc:date opf:event="conversion">2023-01-01</dc:date>'
        '<dc:date opf:event="publication">1901</dc:date>'
    )
    parts = {**book_parts(), "OEBPS/content.opf": package(metadata=metadata, version="2.0")}
    found = run("parse", make_epub(parts), "old.epub", {})["document"]["metadata"]
    assert found["author"] == "First Author; Second Author"
    assert found["date"] == "1901"
    assert found["epub_version"] == "2.0"
    assert "language" not in found


def test_description_and_subjects_come_from_the_package_document() -> None:
    metadata = (
        METADATA
        + "<dc:publisher>Small Press</dc:publisher>"
        + "<dc:subject>Fiction</dc:subject><dc:subject>Sea</dc:subject>"
        + "<dc:subject>Fiction</dc:subject>"
        # Calibre and others store the description as escaped HTML markup.
        + "<dc:description>&lt;div&gt;&lt;p&gt;A &lt;b&gt;short&lt;/b&gt; tale&lt;/p&gt;"
        + "&lt;p&gt;of the sea.&lt;/p&gt;&lt;/div&gt;</dc:description>"
    )
    parts = {**book_parts(), "OEBPS/content.opf": package(metadata=metadata)}
    result = run("parse", make_epub(parts), "book.epub", {})
    found = result["document"]["metadata"]
    assert found["description"] == "A short tale of the sea."
    assert found["subject"] == "Fiction; Sea"
    assert found["publisher"] == "Small Press"
    # The package's metadata is the document's metadata, not text of its chapters.
    assert "short tale" not in result["markdown_full"]
    plain = {
        **book_parts(),
        "OEBPS/content.opf": package(
            metadata=METADATA + ("<dc:description>Plain words &amp; more</dc:description>")
        ),
    }
    found = run("parse", make_epub(plain), "book.epub", {})["document"]["metadata"]
    assert found["description"] == "Plain words & more"
    assert "subject" not in found


@pytest.mark.parametrize(
    ("parameters", "numbers", "heading"),
    [
        ({"target_pages": "1"}, [2], "## Chapter Two"),
        ({"max_pages": 1}, [1], "# Chapter One"),
    ],
)
def test_page_options_select_chapters(
    parameters: dict[str, object], numbers: list[int], heading: str
) -> None:
    result = run("parse", make_epub(book_parts()), "book.epub", parameters)
    assert [page["page_number"] for page in result["pages"]] == numbers
    assert result["document"]["page_count"] == 2
    assert result["markdown_full"].startswith(heading)


def test_tables_as_html_is_honoured() -> None:
    result = run("parse", make_epub(book_parts()), "book.epub", {"output_tables_as_HTML": True})
    assert "<table>" in result["pages"][1]["markdown"]


def test_a_spine_of_only_non_linear_items_is_still_read() -> None:
    spine = '<itemref idref="c1" linear="no"/><itemref idref="c2" linear="no"/>'
    parts = {**book_parts(), "OEBPS/content.opf": package(spine=spine)}
    assert run("parse", make_epub(parts), "book.epub", {})["document"]["page_count"] == 2


def test_missing_chapters_are_skipped_with_a_warning() -> None:
    parts = book_parts()
    del parts["OEBPS/text/ch2.xhtml"]
    spine = SPINE + '<itemref idref="nowhere"/>'
    parts["OEBPS/content.opf"] = package(spine=spine)
    result = run("parse", make_epub(parts), "book.epub", {})
    assert result["document"]["page_count"] == 1
    warnings = " ".join(result["document"]["warnings"])
    assert "'text/ch2.xhtml' is missing" in warnings
    assert "'nowhere'" in warnings


def test_self_closed_xhtml_elements_do_not_swallow_the_chapter() -> None:
    chapter = (
        '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title/>'
        '<script src="reader.js"/></head><body><p>Kept<a id="p1"/> text</p><div/>'
        "<p>After</p></body></html>"
    )
    parts = {**book_parts(), "OEBPS/text/chapter 1.xhtml": chapter}
    first = run("parse", make_epub(parts), "book.epub", {})["pages"][0]
    assert first["markdown"] == "Kept text\n\nAfter"


def test_a_chapter_that_is_not_well_formed_xml_is_read_as_html() -> None:
    chapter = "<html><body><h1>Loose</h1><p>One&nbsp;two<br>three</p></body></html>"
    parts = {**book_parts(), "OEBPS/text/chapter 1.xhtml": chapter}
    first = run("parse", make_epub(parts), "book.epub", {})["pages"][0]
    assert first["markdown"] == "# Loose\n\nOne two\nthree"


def test_a_picture_in_the_spine_is_an_image_page() -> None:
    manifest = MANIFEST + '<item id="cover" href="cover.png" media-type="image/png"/>'
    parts = {
        **book_parts(),
        "OEBPS/content.opf": package(manifest=manifest, spine='<itemref idref="cover"/>' + SPINE),
        "OEBPS/cover.png": b"\x89PNG\r\n\x1a\n",
    }
    cover = run("parse", make_epub(parts), "book.epub", {})["pages"][0]
    assert cover["markdown"] == "<!-- image -->"
    assert [item["type"] for item in cover["items"]] == ["image"]


def test_a_book_without_its_mimetype_member_is_still_an_epub() -> None:
    data = make_epub(book_parts(), mimetype=False)
    assert detect_type(data, "book.zip") == "epub"
    assert run("parse", data, "book.zip", {})["document"]["page_count"] == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"META-INF/container.xml": None}, "has no META-INF/container.xml"),
        ({"META-INF/container.xml": "<container/>"}, "names no package document"),
        ({"OEBPS/content.opf": None}, "OEBPS/content.opf is missing"),
        ({"OEBPS/content.opf": "<package><manifest>"}, "is not well-formed XML"),
        ({"OEBPS/content.opf": "<package><manifest/></package>"}, "has no spine"),
        ({"OEBPS/text/chapter 1.xhtml": None, "OEBPS/text/ch2.xhtml": None}, "none of the"),
    ],
)
def test_a_broken_package_is_a_corrupt_document(
    change: dict[str, str | None], expected: str
) -> None:
    parts = book_parts()
    for name, data in change.items():
        if data is None:
            del parts[name]
        else:
            parts[name] = data
    error = parse_error(make_epub(parts))
    assert error.code == "corrupt_document"
    assert expected in error.message
    assert error.message.startswith("The EPUB file is damaged")


def test_a_mimetype_alone_is_a_corrupt_document() -> None:
    assert parse_error(make_epub({})).code == "corrupt_document"


def test_a_truncated_epub_is_a_corrupt_document() -> None:
    data = make_epub(book_parts())
    assert parse_error(data[: len(data) // 2]).code == "corrupt_document"


def test_a_zip_needing_an_unknown_zip_version_is_a_corrupt_document() -> None:
    data = bytearray(make_epub(book_parts()))
    entry = data.index(b"PK\x01\x02")
    data[entry + 6 : entry + 8] = struct.pack("<H", 236)  # "version needed to extract": 23.6
    assert parse_error(bytes(data)).code == "corrupt_document"


def _encryption(*uris: str, algorithm: str = "http://www.w3.org/2001/04/xmlenc#aes128-cbc") -> str:
    entries = "".join(
        f'<EncryptedData xmlns="http://www.w3.org/2001/04/xmlenc#">'
        f'<EncryptionMethod Algorithm="{algorithm}"/>'
        f'<CipherData><CipherReference URI="{uri}"/></CipherData></EncryptedData>'
        for uri in uris
    )
    namespace = "urn:oasis:names:tc:opendocument:xmlns:container"
    return f'<encryption xmlns="{namespace}">{entries}</encryption>'


def test_drm_encrypted_chapters_are_an_encrypted_document() -> None:
    parts = {
        **book_parts(),
        "META-INF/encryption.xml": _encryption("OEBPS/text/chapter%201.xhtml"),
        "OEBPS/text/chapter 1.xhtml": bytes(range(256)) * 4,
    }
    assert parse_error(make_epub(parts)).code == "encrypted_document"


def test_obfuscated_fonts_alone_do_not_make_a_book_encrypted() -> None:
    parts = {
        **book_parts(),
        "META-INF/encryption.xml": _encryption(
            "OEBPS/fonts/serif.otf", algorithm="http://www.idpf.org/2008/embedding"
        ),
        "OEBPS/fonts/serif.otf": bytes(range(256)),
    }
    assert run("parse", make_epub(parts), "book.epub", {})["document"]["page_count"] == 2


def test_a_binary_chapter_fails_alone() -> None:
    parts = {**book_parts(), "OEBPS/text/ch2.xhtml": bytes(range(256)) * 4}
    result = run("parse", make_epub(parts), "book.epub", {})
    first, second = result["pages"]
    assert first["success"] is True
    assert second["success"] is False and "not text" in str(second["error"])


def test_an_epub_declaring_more_than_a_gibibyte_is_too_large() -> None:
    data = bytearray(make_epub(book_parts()))
    # Declare 2 GiB for the first member in the central directory; nothing is inflated.
    entry = data.index(b"PK\x01\x02")
    data[entry + 24 : entry + 28] = struct.pack("<I", 0x7FFF_FFFF)
    assert parse_error(bytes(data)).code == "too_large"


@pytest.mark.parametrize(
    ("relative", "pages", "title"),
    [
        ("markitdown-tests/test.epub", 3, "Test EPUB Document"),
        ("unstructured-example-docs/winter-sports.epub", 10, "Winter Sports in Switzerland"),
    ],
)
def test_corpus_books(relative: str, pages: int, title: str) -> None:
    path: Path = corpus_root() / relative
    if not path.is_file():
        pytest.skip(f"{path} is not available on this machine")
    result = run("parse", path.read_bytes(), path.name, {})
    assert result["document"]["page_count"] == pages
    assert result["document"]["metadata"]["title"] == title
    assert all(page["success"] for page in result["pages"])
