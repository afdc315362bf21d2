"""Parsing with the external programs reams runs as child processes: tesseract, driven through
its command line (a stand-in script where the real binary is absent, the real binary where
installed), whose failures fail only their page; and antiword for legacy .doc files."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from ocr_fixtures import WORDS, image_bytes, normalised, scanned_pdf, text_image
from reams.domain.errors import ProcessorError
from reams.processors import run

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # as tests/unit/processors/office_fixtures.py

FAKE_TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "5\t1\t1\t1\t1\t1\t10\t10\t100\t20\t95\tStand-in\n"
    "5\t1\t1\t1\t1\t2\t120\t10\t100\t20\t95\ttesseract\n"
)


def _fake_tesseract(folder: Path, body: str) -> Path:
    """An executable called ``tesseract`` in ``folder`` running the shell ``body``."""
    script = folder / "tesseract"
    script.write_text(f"#!/bin/sh\ncat > /dev/null\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder


def test_tesseract_runs_with_one_openmp_thread_and_its_tsv_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stand-in answers only when OMP_THREAD_LIMIT=1 reaches it, as tesseract needs.
    body = f"[ \"$OMP_THREAD_LIMIT\" = 1 ] || exit 7\nprintf '{FAKE_TSV}'"
    monkeypatch.setenv("PATH", f"{_fake_tesseract(tmp_path, body)}{os.pathsep}/usr/bin:/bin")
    page = run("parse", image_bytes(text_image(), "PNG"), "s.png", {"ocr_engine": "tesseract"})[
        "pages"
    ][0]
    assert (page["text"], page["ocr"], page["success"]) == ("Stand-in tesseract", True, True)


def test_an_ocr_failure_fails_that_page_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", f"{_fake_tesseract(tmp_path, 'exit 3')}{os.pathsep}/usr/bin:/bin")
    data = scanned_pdf(["A page with a real text layer", text_image()])
    result = run("parse", data, "mixed.pdf", {"ocr_engine": "tesseract"})
    first, second = result["pages"]
    assert first["success"] and "real text layer" in first["text"]
    assert not second["success"]
    assert second["error"] == (
        "Page 2 could not be read by OCR: the tesseract engine failed (TesseractError)."
    )
    assert second["markdown"] == second["error"]  # replace_failed_page_mode "error_message"


def test_ocr_failures_count_against_page_error_tolerance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", f"{_fake_tesseract(tmp_path, 'exit 3')}{os.pathsep}/usr/bin:/bin")
    data = scanned_pdf(["A page with a real text layer", text_image()])
    parameters = {"ocr_engine": "tesseract", "page_error_tolerance": 0.2}
    with pytest.raises(ProcessorError) as raised:
        run("parse", data, "mixed.pdf", parameters)
    assert raised.value.code == "corrupt_document"


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed here")
def test_real_tesseract_reads_the_words_of_an_image() -> None:
    result = run("parse", image_bytes(text_image(), "PNG"), "s.png", {"ocr_engine": "tesseract"})
    assert not result["document"]["warnings"]
    text = normalised(result["text_full"])
    for word in WORDS:
        assert word.lower() in text


def _ole_with(*streams: str) -> bytes:
    body = b"".join(name.encode("utf-16-le") + b"\x00" * 32 for name in streams)
    return OLE_MAGIC + b"\x00" * 504 + body


def test_legacy_doc_uses_antiword_when_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tool = tmp_path / "antiword"
    tool.write_text("#!/bin/sh\nprintf 'Converted title\\n\\nSecond paragraph\\n'\n")
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    result = run("parse", _ole_with("WordDocument"), "old.doc", {})
    assert result["text_full"] == "Converted title\n\nSecond paragraph"
