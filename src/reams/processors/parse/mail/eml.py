"""EML files (RFC 822 / MIME messages) read with the standard library's ``email`` package.

The body is the ``text/plain`` part when there is one, else the ``text/html`` part; every other
leaf part is an attachment (forwarded messages and inline images included), listed by name,
media type and decoded size. A PGP/MIME or S/MIME encrypted message is ``encrypted_document``.
Files saved as UTF-16 or UTF-32 are decoded to text first; everything else is parsed as bytes so
each part's own charset applies.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage, Message

from reams.domain.errors import ProcessorError
from reams.processors.parse.decode import decode_text, known_codec, wide_without_bom
from reams.processors.parse.mail.message import Attachment, MailMessage, format_address, mail_source
from reams.processors.parse.model import StaticSource

_ADDRESS_FIELDS = (("From", "from"), ("To", "to"), ("Cc", "cc"), ("Bcc", "bcc"))
_ENCRYPTED_TYPES = frozenset(
    {"multipart/encrypted", "application/pkcs7-mime", "application/x-pkcs7-mime"}
)
_PGP_ARMOUR = "-----BEGIN PGP MESSAGE-----"
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_eml(data: bytes, *, tables_as_html: bool) -> StaticSource:
    message = _parse(data)
    if not message.keys() and not message.get_payload():
        raise ProcessorError("empty_document", "The e-mail file contains no message.")
    body = _body_part(message)
    _refuse_encrypted(message, body)
    mail = MailMessage(headers=_headers(message), attachments=_attachments(message, body))
    if body is not None:
        content = _text_of(body)
        if body.get_content_subtype() == "html":
            mail.body_html = content
        else:
            mail.body_text = content
    return mail_source(mail, tables_as_html=tables_as_html, kind="EML")


def _parse(data: bytes) -> EmailMessage:
    policy = email.policy.default
    if data.startswith(_WIDE_BOMS) or wide_without_bom(data) is not None:
        text, _ = decode_text(data)
        parsed = email.message_from_string(text.lstrip("\ufeff"), policy=policy)
    else:
        parsed = email.message_from_bytes(data.lstrip(b"\r\n"), policy=policy)
    assert isinstance(parsed, EmailMessage)  # policy.default builds EmailMessage objects
    return parsed


def _headers(message: EmailMessage) -> list[tuple[str, str]]:
    headers = [(label, _addresses(message, name)) for label, name in _ADDRESS_FIELDS]
    headers.append(("Date", _header(message, "date")))
    headers.append(("Subject", _header(message, "subject")))
    return [(label, value) for label, value in headers if value]


def _addresses(message: EmailMessage, name: str) -> str:
    header = message.get(name)
    if header is None:
        return ""
    addresses = getattr(header, "addresses", None)
    if not addresses:
        return str(header)  # an unparseable address list is shown as written
    return ", ".join(format_address(a.display_name, a.addr_spec) for a in addresses)


def _header(message: EmailMessage, name: str) -> str:
    value = message.get(name)
    return "" if value is None else str(value)


def _body_part(message: EmailMessage) -> EmailMessage | None:
    if message.get_content_maintype() == "multipart" and message.get_content_subtype() == "digest":
        return None  # a digest is a bundle of messages: all of them are attachments
    part = message.get_body(preferencelist=("plain", "html"))
    return part if isinstance(part, EmailMessage) else None


def _refuse_encrypted(message: EmailMessage, body: EmailMessage | None) -> None:
    encrypted = message.get_content_type() in _ENCRYPTED_TYPES or (
        body is not None and _PGP_ARMOUR in _text_of(body)[:4096]
    )
    if encrypted:
        raise ProcessorError(
            "encrypted_document",
            "The e-mail is encrypted (PGP or S/MIME); reams cannot read an encrypted message.",
        )


def _attachments(message: EmailMessage, body: EmailMessage | None) -> list[Attachment]:
    listed: list[Attachment] = []
    for part in _leaves(message):
        if part is body or _is_body_alternative(part):
            continue
        listed.append(Attachment(_part_name(part), part.get_content_type(), _part_size(part)))
    return listed


def _leaves(message: Message) -> list[Message]:
    """The leaf parts of a message; an attached message counts as one leaf, not its parts."""
    if message.get_content_maintype() == "message":
        return [message]
    if not message.is_multipart():
        return [message]
    payload = message.get_payload()
    parts = payload if isinstance(payload, list) else []
    return [leaf for part in parts if isinstance(part, Message) for leaf in _leaves(part)]


def _is_body_alternative(part: Message) -> bool:
    # The HTML twin of a plain-text body (or the reverse) is the same text, not an attachment.
    return (
        part.get_content_type() in ("text/plain", "text/html")
        and part.get_content_disposition() != "attachment"
        and part.get_filename() is None
    )


def _part_name(part: Message) -> str:
    name = part.get_filename()
    if name:
        return str(name)
    if part.get_content_maintype() == "message":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        subject = inner.get("subject") if isinstance(inner, Message) else None
        return f"forwarded message: {subject}" if subject else "forwarded message"
    return ""


def _part_size(part: Message) -> int | None:
    if part.get_content_maintype() == "message":
        return len(part.as_bytes())
    payload = part.get_payload(decode=True)
    return len(payload) if isinstance(payload, bytes) else None


def _text_of(part: EmailMessage) -> str:
    """A text part's content, decoded by its declared charset unless that is wrong or unknown."""
    raw = part.get_payload(decode=True)
    if not isinstance(raw, bytes):
        content = part.get_payload()
        return content if isinstance(content, str) else ""
    declared = part.get_content_charset()
    text, _ = decode_text(raw, declared=declared if declared and known_codec(declared) else None)
    return text
