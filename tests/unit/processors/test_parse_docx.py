"""DOCX parsing on real python-docx documents: structure in body order, tables, error codes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from docgen import make_docx
from reams.domain.errors import ProcessorError
from reams.processors import run
from reams.processors.parse.office import docx as docx_reader

PARAGRAPHS = [
    "# Attendees",
    "Priya, Tom and Ana.",
    "## Decisions",
    "- Move the launch",
    "- Freeze features",
    "1. Draft the announcement",
    "1. Confirm the printing order",
    "Closing remarks after the table.",
]
TABLE = [["Owner", "Action", "Due"], ["Ana", "Announcement | draft", "1 Nov"]]


@pytest.fixture
def notes_docx(tmp_path: Path) -> bytes:
    path = make_docx(
        tmp_path / "notes.docx", title="Launch meeting", paragraphs=PARAGRAPHS, table=TABLE,
        table_after=7,
    )  # fmt: skip
    return path.read_bytes()


def _markdown(data: bytes, **parameters: object) -> str:
    result = run("parse", data, "notes.docx", parameters)
    assert result["document"]["detected_type"] == "docx"
    assert len(result["pages"]) == 1
    return str(result["markdown_full"])


def test_headings_lists_and_table_render_in_document_order(notes_docx: bytes) -> None:
    markdown = _markdown(notes_docx)
    expected = (
        "# Launch meeting\n\n# Attendees\n\nPriya, Tom and Ana.\n\n## Decisions\n\n"
        "- Move the launch\n- Freeze features\n"
        "1. Draft the announcement\n2. Confirm the printing order\n\n"
        "| Owner | Action | Due |\n| --- | --- | --- |\n| Ana | Announcement \\| draft | 1 Nov |"
        "\n\nClosing remarks after the table."
    )
    assert markdown == expected


def test_text_output_has_no_markdown_markers(notes_docx: bytes) -> None:
    text = run("parse", notes_docx, "notes.docx", {})["pages"][0]["text"]
    assert text.startswith("Launch meeting\n\nAttendees\n\n")
    assert "Ana\tAnnouncement | draft\t1 Nov" in text


def test_tables_as_html_when_asked(notes_docx: bytes) -> None:
    markdown = _markdown(notes_docx, output_tables_as_HTML=True)
    assert "<table>\n<thead><tr><th>Owner</th><th>Action</th><th>Due</th></tr></thead>" in markdown
    assert "<td>Announcement | draft</td>" in markdown
    assert "| --- |" not in markdown


def test_metadata_and_page_size(notes_docx: bytes) -> None:
    result = run("parse", notes_docx, "notes.docx", {})
    assert result["document"]["metadata"]["title"] == "Launch meeting"
    assert result["pages"][0]["width"] == pytest.approx(612.0)
    assert result["pages"][0]["height"] == pytest.approx(792.0)


def test_truncated_docx_is_corrupt_document(notes_docx: bytes) -> None:
    with pytest.raises(ProcessorError) as caught:
        run("parse", notes_docx[: len(notes_docx) // 2], "notes.docx", {})
    assert caught.value.code == "corrupt_document"
    assert "Traceback" not in caught.value.message


def test_docx_without_text_is_empty_document(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    with pytest.raises(ProcessorError) as caught:
        run("parse", path.read_bytes(), "blank.docx", {})
    assert caught.value.code == "empty_document"


def test_ole_container_named_docx_is_encrypted_when_it_holds_encryption_info() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    encrypted = ole + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 100
    with pytest.raises(ProcessorError) as caught:
        run("parse", encrypted, "secret.docx", {})
    assert caught.value.code == "encrypted_document"
    with pytest.raises(ProcessorError) as legacy:
        run("parse", ole + b"\x01" * 100, "old.docx", {})
    assert legacy.value.code == "unsupported_format"


def test_corpus_password_protected_docx(corpus_dir: Callable[[str], Path]) -> None:
    path = corpus_dir("bad-inputs/office-encrypted") / "tika-testWORD_protected_passtika.docx"
    with pytest.raises(ProcessorError) as caught:
        run("parse", path.read_bytes(), path.name, {})
    assert caught.value.code == "encrypted_document"


def test_zip_bomb_is_too_large(notes_docx: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    # A real 512 MB bomb takes seconds to build; a lower limit exercises the same check.
    monkeypatch.setattr(docx_reader, "_MAX_UNCOMPRESSED_BYTES", 10 * 1024 * 1024)
    buffer = io.BytesIO(notes_docx)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\x00" * (11 * 1024 * 1024))
    assert len(buffer.getvalue()) < len(notes_docx) + 100_000
    with pytest.raises(ProcessorError) as caught:
        run("parse", buffer.getvalue(), "bomb.docx", {})
    assert caught.value.code == "too_large"
