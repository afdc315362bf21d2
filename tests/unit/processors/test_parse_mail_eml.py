"""EML messages: header list, body choice (plain over HTML), attachment list, encodings,
encrypted mail. Messages are built in the test with the standard library."""

from __future__ import annotations

import base64
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest

from reams.domain.errors import ProcessorError
from reams.processors import run


def _message(
    *, html: str | None = None, plain: str | None = "Hello Bob,\n\nSee the *plan*."
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = '"Alice Example" <alice@example.com>'
    message["To"] = "bob@example.com, Carol <carol@example.com>"
    message["Cc"] = "dave@example.com"
    message["Date"] = "Fri, 16 Dec 2022 17:04:16 -0500"
    message["Subject"] = "Quarterly plan – draft"
    if plain is not None:
        message.set_content(plain)
    if html is not None:
        if plain is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    return message


def _parse(data: bytes, name: str = "mail.eml") -> dict[str, object]:
    result = run("parse", data, name, {})
    assert result["document"]["detected_type"] == "eml"
    return result


def test_headers_body_and_layout() -> None:
    result = _parse(_message(html="<p>HTML twin</p>").as_bytes())
    assert result["markdown_full"] == (
        "# Email Message\n\n"
        "- **From:** alice@example.com (Alice Example)\n"
        "- **To:** bob@example.com, carol@example.com (Carol)\n"
        "- **Cc:** dave@example.com\n"
        "- **Date:** Fri, 16 Dec 2022 17:04:16 -0500\n"
        "- **Subject:** Quarterly plan – draft\n\n"
        "## Content\n\nHello Bob,\n\nSee the *plan*."
    )
    assert result["document"]["warnings"] == []
    metadata = result["document"]["metadata"]
    assert metadata["subject"] == "Quarterly plan – draft"
    assert metadata["attachments"] == 0
    assert "From: alice@example.com (Alice Example)" in str(result["text_full"])


def test_html_only_body_is_rendered_as_html() -> None:
    html = (
        "<html><head><title>Newsletter</title></head><body><h2>Agenda</h2>"
        "<ul><li>Budget</li><li><b>Hiring</b></li></ul></body></html>"
    )
    markdown = str(_parse(_message(plain=None, html=html).as_bytes())["markdown_full"])
    assert markdown.endswith("## Content\n\n## Agenda\n\n- Budget\n- **Hiring**")


def test_attachments_are_listed_not_parsed() -> None:
    message = _message()
    message.add_attachment(
        b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename="plan.pdf"
    )
    forwarded = _message(plain="Earlier note")
    forwarded.replace_header("Subject", "Earlier")
    message.add_attachment(forwarded)
    result = _parse(message.as_bytes())
    markdown = str(result["markdown_full"])
    assert "## Attachments\n\n| Name | Type | Size |\n| --- | --- | --- |\n" in markdown
    assert "| plan.pdf | application/pdf | 13 B |" in markdown
    assert "| forwarded message: Earlier | message/rfc822 |" in markdown
    assert "Earlier note" not in markdown
    assert result["document"]["metadata"]["attachments"] == 2
    assert any("not parsed" in warning for warning in result["document"]["warnings"])


def test_message_without_body_warns() -> None:
    message = EmailMessage()
    message["From"] = "a@example.com"
    message["Subject"] = "Only a file"
    message.add_attachment(
        b"x" * 2048, maintype="application", subtype="octet-stream", filename="a.bin"
    )
    result = _parse(message.as_bytes())
    assert "## Content" not in str(result["markdown_full"])
    assert "| a.bin | application/octet-stream | 2.0 KB |" in str(result["markdown_full"])
    assert "The message has no body text." in result["document"]["warnings"]


def test_utf16_saved_message_and_mislabelled_charset() -> None:
    text = _message(plain="Grüße aus Köln").as_string()
    assert "Grüße aus Köln" in str(_parse(text.encode("utf-16"))["markdown_full"])
    raw = (
        "From: a@example.com\nSubject: x\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
        "I’m in Zürich"
    ).encode()
    assert "I’m in Zürich" in str(_parse(raw)["markdown_full"])


def test_encoded_words_and_legacy_charsets() -> None:
    body = base64.b64encode("שלום עולם".encode("cp1255")).decode()
    data = (
        "From: =?utf-8?q?Jos=C3=A9?= <jose@example.com>\n"
        "Subject: =?iso-8859-1?q?R=E9union?=\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=windows-1255\nContent-Transfer-Encoding: base64\n\n"
        f"{body}\n"
    ).encode()
    markdown = str(_parse(data)["markdown_full"])
    assert "- **From:** jose@example.com (José)" in markdown
    assert "- **Subject:** Réunion" in markdown
    assert "שלום עולם" in markdown


@pytest.mark.parametrize(
    "content_type",
    ['multipart/encrypted; protocol="application/pgp-encrypted"', "application/pkcs7-mime"],
)
def test_encrypted_messages_are_encrypted_document(content_type: str) -> None:
    data = (
        f"From: a@example.com\nTo: b@example.com\nMIME-Version: 1.0\nContent-Type: {content_type}; "
        'boundary="b"\n\n--b\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n--b--\n'
    ).encode()
    with pytest.raises(ProcessorError) as caught:
        run("parse", data, "secret.eml", {})
    assert caught.value.code == "encrypted_document"


def test_inline_pgp_body_is_encrypted_document() -> None:
    message = _message(plain="-----BEGIN PGP MESSAGE-----\nhQEMA...\n-----END PGP MESSAGE-----")
    with pytest.raises(ProcessorError) as caught:
        run("parse", message.as_bytes(), "secret.eml", {})
    assert caught.value.code == "encrypted_document"


def test_a_txt_that_is_a_mail_is_parsed_as_mail() -> None:
    result = run("parse", _message().as_bytes(), "saved.txt", {})
    assert result["document"]["detected_type"] == "eml"


def test_every_corpus_eml_parses_or_fails_cleanly(corpus_dir: Callable[[str], Path]) -> None:
    folder = corpus_dir("unstructured-example-docs/eml")
    outcomes: dict[str, str] = {}
    for path in sorted(folder.glob("*.eml")):
        try:
            result = run("parse", path.read_bytes(), path.name, {})
        except ProcessorError as error:
            outcomes[path.name] = error.code
            continue
        outcomes[path.name] = "ok"
        assert str(result["markdown_full"]).startswith("# Email Message\n\n- **"), path.name
    assert outcomes["fake-encrypted.eml"] == "encrypted_document"
    assert outcomes["empty.eml"] == "empty_document"
    assert {
        code for name, code in outcomes.items() if name not in ("fake-encrypted.eml", "empty.eml")
    } == {"ok"}


def test_corpus_utf16_and_digest_messages(corpus_dir: Callable[[str], Path]) -> None:
    folder = corpus_dir("unstructured-example-docs/eml")
    for name in ("fake-email-utf-16-be.eml", "fake-email-utf-16-le.eml", "fake-email.eml"):
        markdown = str(run("parse", (folder / name).read_bytes(), name, {})["markdown_full"])
        assert "- **Subject:** Test Email" in markdown
        assert "This is a test email to use for unit tests." in markdown
    digest = run("parse", (folder / "mime-multipart-digest.eml").read_bytes(), "d.eml", {})
    assert digest["document"]["metadata"]["attachments"] == 3
    assert "| forwarded message: First Message | message/rfc822 |" in str(digest["markdown_full"])
