"""run(): the wire shape of a parse result, job types, unsupported formats, failed pages."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from docgen import make_docx, make_pdf
from reams.domain.errors import ProcessorError
from reams.processors import run
from reams.processors.parse import ParseOptions
from reams.processors.parse.assemble import assemble, extract_page
from reams.processors.parse.model import PageContent, StaticSource


def _error(data: bytes, name: str, parameters: dict[str, object] | None = None) -> ProcessorError:
    with pytest.raises(ProcessorError) as caught:
        run("parse", data, name, parameters or {})
    return caught.value


def test_result_has_exactly_the_wire_shape_and_is_json(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "a.pdf", ["One", "Two"]).read_bytes()
    result = run("parse", data, "a.pdf", {"premium_mode": True})
    assert set(result) == {"type", "document", "pages", "markdown_full", "text_full"}
    assert result["type"] == "parse"
    assert set(result["document"]) == {  # type: ignore[arg-type]
        "detected_type", "page_count", "language", "warnings", "ignored_options", "metadata",
    }  # fmt: skip
    page = result["pages"][0]  # type: ignore[index]
    assert set(page) == {
        "page_number", "markdown", "text", "width", "height", "success", "error", "ocr",
        "needs_ocr", "header", "footer", "printed_page_number", "items",
    }  # fmt: skip
    assert json.loads(json.dumps(result)) == result


def test_unknown_job_types_are_refused() -> None:
    with pytest.raises(ProcessorError) as caught:
        run("translate", b"x", "a.txt", {})
    assert caught.value.code == "unsupported_job_type"


def test_xlsb_is_unsupported_format() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x00")
    error = _error(buffer.getvalue(), "sales.xlsb")
    assert error.code == "unsupported_format"
    assert error.message == "Excel binary workbooks (.xlsb) are not supported yet."


def test_a_broken_png_is_corrupt_and_binary_data_is_unsupported_format() -> None:
    png = _error(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "scan.pdf")
    assert (png.code, png.message) == (
        "corrupt_document",
        "The PNG file is damaged or not really a PNG file; reams could not read it.",
    )
    garbage = _error(bytes(range(256)) * 4, "blob.bin")
    assert garbage.code == "unsupported_format"


def test_invalid_parameters_surface_from_run(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "a.pdf", ["One"]).read_bytes()
    assert _error(data, "a.pdf", {"target_pages": "abc"}).code == "invalid_parameters"


def test_library_errors_become_sanitised_corrupt_document(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "a.docx", title="T", paragraphs=["p"]).read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(
                item, b"<w:document><unclosed" if "document.xml" in item.filename else data
            )
    error = _error(buffer.getvalue(), "broken.docx")
    assert error.code == "corrupt_document"
    assert "lxml" not in error.message and "line" not in error.message


class _FlakySource(StaticSource):
    """Real pages, except that page 2 cannot be extracted."""

    def page(self, index: int) -> PageContent:
        if index == 1:
            raise RuntimeError("bad content stream")
        return super().page(index)


def _flaky_result(parameters: dict[str, object]) -> dict[str, object]:
    source = _FlakySource([PageContent(f"page {n}", f"page {n}") for n in (1, 2, 3)])
    options = ParseOptions.from_parameters(parameters)
    pages = [extract_page(source, index, options) for index in range(3)]
    return assemble("pdf", source, pages, options).to_dict()


def test_failed_page_is_flagged_with_the_default_error_message() -> None:
    pages = _flaky_result({})["pages"]
    assert isinstance(pages, list)
    assert [page["success"] for page in pages] == [True, False, True]
    failed = pages[1]
    assert failed["error"] == "Page 2 could not be read; its content may be damaged."
    assert failed["markdown"] == failed["error"]
    assert "bad content stream" not in failed["error"]


@pytest.mark.parametrize(
    ("parameters", "content"),
    [
        ({"replace_failed_page_mode": "blank_page"}, ""),
        ({"replace_failed_page_mode": "raw_text"}, "page 2"),
        (
            {
                "replace_failed_page_with_error_message_prefix": "<<",
                "replace_failed_page_with_error_message_suffix": ">>",
            },
            "<<Page 2 could not be read; its content may be damaged.>>",
        ),
    ],
)
def test_replace_failed_page_modes(parameters: dict[str, object], content: str) -> None:
    result = _flaky_result(parameters)
    failed = result["pages"][1]  # type: ignore[index]
    assert failed["success"] is False
    assert failed["markdown"] == content
    assert result["markdown_full"] == f"page 1\n\n---\n\n{content}\n\n---\n\npage 3"


def test_page_error_tolerance_fails_the_document_when_exceeded() -> None:
    assert _flaky_result({"page_error_tolerance": 0.5})["type"] == "parse"
    with pytest.raises(ProcessorError) as caught:
        _flaky_result({"page_error_tolerance": 0.1})
    assert caught.value.code == "corrupt_document"
    assert "1 of 3 pages" in caught.value.message


def test_a_document_whose_every_page_fails_is_corrupt() -> None:
    source = _FlakySource([PageContent("only", "only"), PageContent("x", "x")])
    options = ParseOptions.from_parameters({"target_pages": "1"})
    pages = [extract_page(source, 1, options)]
    with pytest.raises(ProcessorError) as caught:
        assemble("pdf", source, pages, options)
    assert caught.value.code == "corrupt_document"
