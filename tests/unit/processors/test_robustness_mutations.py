"""Damaged copies of good documents: truncated, bit-flipped and overwritten variants of PDFs (with
a text layer, and scanned), a DOCX and a PNG each end in a parse result or a ProcessorError with
a stable code, never another exception, and each within a few seconds."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from docgen import make_docx, make_pdf
from ocr_fixtures import image_bytes, scanned_pdf, text_image
from reams.domain.errors import ProcessorError
from reams.processors import run

SECONDS_PER_VARIANT = 5.0
STABLE_CODES = frozenset(
    {"encrypted_document", "corrupt_document", "empty_document", "unsupported_format", "too_large"}
)
CUTS = (0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 0.98)

PAGES = [
    "# Annual report\n\nRevenue grew in every region.\n\n- North: 12%\n- South: 9%",
    "# Outlook\n\nWe expect the growth to continue next year, barring surprises.",
    "A closing page of plain prose that ends the document.",
]


def truncations(data: bytes) -> Iterator[tuple[str, bytes]]:
    for fraction in CUTS:
        yield f"cut at {fraction:.0%}", data[: int(len(data) * fraction)]
    yield "last byte missing", data[:-1]


def bit_flips(data: bytes, *, count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    rng = random.Random(seed)
    for variant in range(count):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 40)):
            damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
        yield f"bit flips #{variant}", bytes(damaged)


def overwrites(data: bytes, *, count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    """A run of bytes overwritten with zeros or noise, as a bad disk sector or transfer does."""
    rng = random.Random(seed)
    for variant in range(count):
        start = rng.randrange(len(data))
        length = rng.randint(16, 512)
        noise = bytes(length) if variant % 2 else rng.randbytes(length)
        yield f"overwrite #{variant}", data[:start] + noise + data[start + length :]


def _variants(data: bytes, *, flips: int, seed: int) -> list[tuple[str, bytes]]:
    return [
        *truncations(data),
        *bit_flips(data, count=flips, seed=seed),
        *overwrites(data, count=flips // 2, seed=seed),
    ]


def _check(name: str, variants: list[tuple[str, bytes]], filename: str) -> None:
    outcomes: dict[str, int] = {}
    for label, data in variants:
        started = time.monotonic()
        try:
            result = run("parse", data, filename, {})
        except ProcessorError as error:
            assert error.code in STABLE_CODES, f"{name}, {label}: {error.code}"
            outcome = error.code
        else:
            assert result["type"] == "parse", f"{name}, {label}"
            assert all(isinstance(page["markdown"], str) for page in result["pages"])
            outcome = "parsed"
        elapsed = time.monotonic() - started
        assert elapsed < SECONDS_PER_VARIANT, f"{name}, {label} took {elapsed:.1f} s"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    # The damage is real: some variants must fail (and for PDFs, PDFium repairs many others).
    assert "corrupt_document" in outcomes or "empty_document" in outcomes, outcomes


Maker = Callable[[Path], tuple[bytes, str]]


def _text_pdf(folder: Path) -> tuple[bytes, str]:
    return make_pdf(folder / "report.pdf", PAGES, title="Report").read_bytes(), "report.pdf"


def _docx(folder: Path) -> tuple[bytes, str]:
    path = make_docx(folder / "letter.docx", title="Letter", paragraphs=PAGES[0].split("\n\n"))
    return path.read_bytes(), "letter.docx"


@pytest.mark.parametrize(("maker", "flips"), [(_text_pdf, 40), (_docx, 20)])
def test_damaged_documents_parse_or_fail_cleanly(tmp_path: Path, maker: Maker, flips: int) -> None:
    data, filename = maker(tmp_path)
    _check(filename, _variants(data, flips=flips, seed=len(data)), filename)


@pytest.mark.slow
def test_damaged_scanned_pdfs_parse_or_fail_cleanly() -> None:
    pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra (rapidocr) is not installed")
    data = scanned_pdf(["A typed first page", text_image()])
    _check("scanned.pdf", _variants(data, flips=8, seed=7), "scanned.pdf")


def test_damaged_images_parse_or_fail_cleanly() -> None:
    pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra (rapidocr) is not installed")
    data = image_bytes(text_image(), "PNG")
    _check("scan.png", _variants(data, flips=8, seed=11), "scan.png")
