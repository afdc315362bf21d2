"""Outlook MSG files, read with extract-msg.

Headers come from the item's MAPI properties (what Outlook itself displays: the sender's name and
address, the recipient table) rather than from the transport headers, which an edited or
re-addressed item no longer matches. The body is the plain-text body, else the HTML body. A
message whose content is PGP/MIME or S/MIME encrypted is ``encrypted_document``.
"""

from __future__ import annotations

import codecs
import email.utils
import logging
from datetime import datetime
from typing import Any

from reams.domain.errors import ProcessorError
from reams.processors.parse.decode import decode_text
from reams.processors.parse.mail.message import Attachment, MailMessage, format_address, mail_source
from reams.processors.parse.model import StaticSource

logger = logging.getLogger(__name__)

_SENDER_NAME = "__substg1.0_0C1A"
# PR_SENDER_SMTP_ADDRESS, PR_SENDER_EMAIL_ADDRESS, PR_SENT_REPRESENTING_EMAIL_ADDRESS.
_SENDER_ADDRESSES = ("__substg1.0_5D01", "__substg1.0_0C1F", "__substg1.0_0065")
_ENCRYPTED_TYPES = frozenset(
    {"application/pgp-encrypted", "application/pkcs7-mime", "application/x-pkcs7-mime"}
)
_ENCRYPTED_CLASSES = ("IPM.Note.SMIME", "IPM.Note.Secure")
_RECIPIENT_LABELS = {1: "To", 2: "Cc", 3: "Bcc"}
_CODEPAGE = "3FFD0003"  # PR_MESSAGE_CODEPAGE
_INTERNET_CPID = "3FDE0003"  # PR_INTERNET_CPID
# Windows code page numbers that are not "cp" + number in Python.
_CODEPAGES = {
    20127: "ascii",
    28591: "cp1252",  # ISO-8859-1 as browsers and mailers read it
    28592: "iso8859_2",
    28595: "iso8859_5",
    28597: "iso8859_7",
    28605: "iso8859_15",
    50220: "iso2022_jp",
    51932: "euc_jp",
    51949: "euc_kr",
    54936: "gb18030",
    65001: "utf-8",
}


def read_msg(data: bytes, *, tables_as_html: bool) -> StaticSource:
    item = _open(data)
    try:
        _refuse_encrypted(item)
        mail = MailMessage(headers=_headers(item), attachments=_attachments(item))
        mail.body_text, mail.body_html = _bodies(item)
        return mail_source(mail, tables_as_html=tables_as_html, kind="MSG")
    finally:
        item.close()


def _open(data: bytes) -> Any:
    import extract_msg

    item = extract_msg.openMsg(data, strict=False, delayAttachments=True)
    encoding = _internet_encoding(item)
    if encoding is None:
        return item
    # An 8-bit item without PR_MESSAGE_CODEPAGE is read as ISO-8859-15 by extract-msg; the
    # internet code page (PR_INTERNET_CPID) names its real encoding, often a CJK one.
    item.close()
    return extract_msg.openMsg(data, strict=False, delayAttachments=True, overrideEncoding=encoding)


def _internet_encoding(item: Any) -> str | None:
    props = getattr(item, "props", None)
    if props is None or getattr(item, "areStringsUnicode", True) or props.get(_CODEPAGE):
        return None
    cpid = props.get(_INTERNET_CPID)
    value = getattr(cpid, "value", None)
    return _CODEPAGES.get(value) or _windows_codec(value) if isinstance(value, int) else None


def _windows_codec(codepage: int) -> str | None:
    try:
        return codecs.lookup(f"cp{codepage}").name
    except LookupError:
        return None


def _refuse_encrypted(item: Any) -> None:
    message_class = str(getattr(item, "classType", "") or "")
    types = {str(getattr(a, "mimetype", "") or "").lower() for a in _attachment_list(item)}
    signed_only = message_class.endswith("MultipartSigned")
    if not signed_only and (
        message_class.startswith(_ENCRYPTED_CLASSES) or types & _ENCRYPTED_TYPES
    ):
        raise ProcessorError(
            "encrypted_document",
            "The Outlook message is encrypted (PGP or S/MIME); reams cannot read it.",
        )


def _headers(item: Any) -> list[tuple[str, str]]:
    headers = [("From", format_address(_string(item, _SENDER_NAME), _sender_address(item)))]
    recipients: dict[str, list[str]] = {label: [] for label in _RECIPIENT_LABELS.values()}
    for recipient in getattr(item, "recipients", None) or []:
        label = _RECIPIENT_LABELS.get(int(getattr(recipient, "type", 0) or 0))
        shown = format_address(_clean(recipient, "name"), _clean(recipient, "email"))
        if label is not None and shown:
            recipients[label].append(shown)
    headers.extend((label, ", ".join(names)) for label, names in recipients.items())
    headers.append(("Date", _date(getattr(item, "date", None))))
    headers.append(("Subject", _clean(item, "subject")))
    return [(label, value) for label, value in headers if value]


def _sender_address(item: Any) -> str:
    # Exchange senders carry an X.500 path ("/o=ExchangeLabs/ou=..."); the SMTP address is
    # in a property of its own or, failing that, in the transport headers.
    candidates = [_string(item, stream) for stream in _SENDER_ADDRESSES]
    candidates.append(email.utils.parseaddr(str(getattr(item, "sender", "") or ""))[1])
    smtp = next((a for a in candidates if "@" in a and " " not in a.strip()), "")
    return smtp or candidates[0]


def _bodies(item: Any) -> tuple[str | None, str | None]:
    text = _body(item, "body")
    if text is not None and text.strip():
        return text, None  # the HTML body (often rebuilt from RTF) is slow and fragile: skip it
    html = _body(item, "htmlBody")
    if isinstance(html, bytes):
        html = decode_text(html)[0] if html.strip() else None
    return text, html if isinstance(html, str) else None


def _body(item: Any, name: str) -> Any:
    try:
        return getattr(item, name, None)
    except Exception:
        # A body in an unexpected encoding must not cost the headers and attachment list.
        logger.warning("could not read the %s of an Outlook message", name, exc_info=True)
        return None


def _attachments(item: Any) -> list[Attachment]:
    listed = []
    for attachment in _attachment_list(item):
        name = (
            getattr(attachment, "longFilename", None)
            or getattr(attachment, "shortFilename", None)
            or getattr(attachment, "displayName", None)
            or ""
        )
        data = getattr(attachment, "data", None)
        size = len(data) if isinstance(data, bytes) else None
        media_type = getattr(attachment, "mimetype", None) or _embedded_type(data)
        listed.append(Attachment(str(name), str(media_type or ""), size))
    return listed


def _attachment_list(item: Any) -> list[Any]:
    return list(getattr(item, "attachments", None) or [])


def _clean(record: Any, name: str) -> str:
    value = getattr(record, name, None)
    return value.replace("\x00", "").strip() if isinstance(value, str) else ""


def _embedded_type(data: object) -> str:
    return "embedded Outlook item" if data is not None and not isinstance(data, bytes) else ""


def _string(item: Any, stream: str) -> str:
    value = item.getStringStream(stream) if hasattr(item, "getStringStream") else None
    return value.replace("\x00", "").strip() if isinstance(value, str) else ""


def _date(value: object) -> str:
    return email.utils.format_datetime(value) if isinstance(value, datetime) else ""
