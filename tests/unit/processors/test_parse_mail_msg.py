"""Outlook MSG files. No library at hand writes MSG files, so these run on the shared corpus
(skipped with a reason when it is absent); the rendering itself is shared with EML and tested
on generated messages in test_parse_mail_eml.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reams.domain.errors import ProcessorError
from reams.processors import run

Folder = Callable[[str], Path]


def _parse(path: Path, name: str | None = None) -> dict[str, object]:
    result = run("parse", path.read_bytes(), name or path.name, {})
    assert result["document"]["detected_type"] == "msg"
    return result


def test_headers_come_from_the_items_properties(corpus_dir: Folder) -> None:
    path = corpus_dir("markitdown-tests") / "test_outlook_msg.msg"
    markdown = str(_parse(path)["markdown_full"])
    assert markdown == (
        "# Email Message\n\n"
        "- **From:** test.sender@example.com (M. C. Kurtuluş)\n"
        "- **To:** test.recipient@example.com\n"
        "- **Date:** Sun, 22 Dec 2024 08:23:00 +0000\n"
        "- **Subject:** Test Email Message\n\n"
        "## Content\n\nThis is the body of the test email message"
    )


def test_recipients_by_kind_and_attachments(corpus_dir: Folder) -> None:
    folder = corpus_dir("unstructured-example-docs")
    markdown = str(_parse(folder / "fake-email-with-cc-and-bcc.msg")["markdown_full"])
    assert "- **To:** john-ctr@unstructured.io (John Jennings)\n" in markdown
    assert "- **Cc:** steve@unstructured.io\n- **Bcc:** hello@unstructured.io\n" in markdown
    result = _parse(folder / "fake-email-attachment.msg")
    assert "| fake-attachment.txt | text/plain | 30 B |" in str(result["markdown_full"])
    assert result["document"]["metadata"]["attachments"] == 1


def test_content_decides_over_a_wrong_name(corpus_dir: Folder) -> None:
    path = corpus_dir("unstructured-example-docs") / "fake-email.msg"
    assert "Violets are blue" in str(_parse(path, "upload.bin")["markdown_full"])


def test_exchange_senders_and_legacy_code_pages(corpus_dir: Folder) -> None:
    folder = corpus_dir("tika-test-documents/msg")
    appointment = str(_parse(folder / "testMSG_Appointment.msg")["markdown_full"])
    assert "/o=ExchangeLabs" not in appointment
    chinese = str(_parse(folder / "testMSG_chinese.msg")["markdown_full"])
    assert "- **Subject:** Alfresco MSG format testing ( MSG 格式測試 )" in chinese


def test_every_corpus_msg_parses(corpus_dir: Folder) -> None:
    paths = sorted(corpus_dir("tika-test-documents/msg").glob("*.msg"))
    for path in paths:
        markdown = str(_parse(path)["markdown_full"])
        assert markdown.startswith("# Email Message\n\n- **"), path.name


def test_pgp_encrypted_msg_is_encrypted_document(corpus_dir: Folder) -> None:
    path = corpus_dir("bad-inputs/office-encrypted") / "unstructured-fake-encrypted.msg"
    with pytest.raises(ProcessorError) as caught:
        run("parse", path.read_bytes(), path.name, {})
    assert caught.value.code == "encrypted_document"
