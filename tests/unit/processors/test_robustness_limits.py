"""Limits that hold whatever the document claims: decompression bombs in images and zips, and
documents with more pages than reams parses, end in ``too_large`` or a bounded result, quickly."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from docgen import make_docx
from ocr_fixtures import image_bytes, png_declaring, text_image
from reams.domain.errors import ProcessorError
from reams.processors import run
from reams.processors.parse.guards import MAX_PAGES


def _parse_error(data: bytes, name: str, parameters: dict[str, object] | None = None) -> str:
    started = time.monotonic()
    with pytest.raises(ProcessorError) as raised:
        run("parse", data, name, parameters or {})
    assert time.monotonic() - started < 5.0
    return raised.value.code


@pytest.mark.parametrize("side", [50_000, 12_000])
def test_an_image_declaring_too_many_pixels_is_too_large(side: int) -> None:
    # 50,000 squared is past Pillow's own refusal; 12,000 squared only past its warning.
    data = png_declaring(side, side)
    with pytest.raises(ProcessorError) as raised:
        run("parse", data, "bomb.png", {})
    assert raised.value.code == "too_large"
    assert (
        f"{side:,} x {side:,} pixels" in raised.value.message or "too many" in raised.value.message
    )


def test_a_truncated_image_is_a_corrupt_document() -> None:
    data = image_bytes(text_image(), "PNG")
    assert _parse_error(data[: len(data) // 2], "cut.png") == "corrupt_document"


def test_an_image_with_a_mangled_header_is_a_corrupt_document() -> None:
    data = bytearray(image_bytes(text_image(), "PNG"))
    data[16:24] = b"\xff" * 8  # width and height of the IHDR chunk, with a CRC that no longer fits
    assert _parse_error(bytes(data), "mangled.png") == "corrupt_document"


def test_a_zip_member_that_inflates_a_thousandfold_is_too_large(tmp_path: Path) -> None:
    docx = make_docx(
        tmp_path / "real.docx", title="Real", paragraphs=["A real document"]
    ).read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(buffer, "w") as bomb:
        for member in source.infolist():
            bomb.writestr(member, source.read(member), compress_type=zipfile.ZIP_DEFLATED)
        # Written in pieces, so the test itself never holds the inflated bytes.
        padding_info = zipfile.ZipInfo("word/media/padding.bin")
        padding_info.compress_type = zipfile.ZIP_DEFLATED
        with bomb.open(padding_info, "w") as padding:
            for _ in range(110):
                padding.write(bytes(1 << 20))
    assert len(buffer.getvalue()) < 1_000_000
    assert _parse_error(buffer.getvalue(), "bomb.docx") == "too_large"


def test_a_zip_declaring_more_than_a_gibibyte_is_too_large(tmp_path: Path) -> None:
    docx = bytearray(
        make_docx(tmp_path / "real.docx", title="Real", paragraphs=["A real document"]).read_bytes()
    )
    # Declare 2 GiB for the first member in the central directory; nothing is inflated.
    entry = docx.index(b"PK\x01\x02")
    docx[entry + 24 : entry + 28] = struct.pack("<I", 0x7FFF_FFFF)
    assert _parse_error(bytes(docx), "liar.docx") == "too_large"


def test_a_ten_thousand_page_pdf_is_parsed_up_to_the_page_limit() -> None:
    pdf = pdfium.PdfDocument.new()
    for _ in range(10_000):
        pdf.new_page(612, 792).close()
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    started = time.monotonic()
    result = run("parse", buffer.getvalue(), "huge.pdf", {})
    assert time.monotonic() - started < 30.0
    assert result["document"]["page_count"] == 10_000
    assert len(result["pages"]) == MAX_PAGES == 5_000
    assert result["pages"][-1]["page_number"] == 5_000
    assert result["document"]["warnings"][0].startswith(
        "only the first 5,000 of the 10,000 pages selected were parsed"
    )


def test_target_pages_reach_the_pages_beyond_the_limit() -> None:
    pdf = pdfium.PdfDocument.new()
    for _ in range(6_000):
        pdf.new_page(612, 792).close()
    buffer = io.BytesIO()
    pdf.save(buffer)
    result = run("parse", buffer.getvalue(), "huge.pdf", {"target_pages": "5500-5502"})
    assert [page["page_number"] for page in result["pages"]] == [5501, 5502, 5503]
    assert not any("only the first" in warning for warning in result["document"]["warnings"])
