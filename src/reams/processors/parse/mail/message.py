"""One e-mail message (from an EML or an Outlook MSG file) rendered as a page.

Layout, the same for both formats::

    # Email Message
    - **From:** address (Name)
    - **To:** …  (Cc, Bcc, Date, Subject likewise, when present)
    ## Content
    the body: the plain-text part, or else the HTML part rendered like an HTML page
    ## Attachments
    | Name | Type | Size |

Addresses are written address first, the display name in parentheses: the address is what
identifies a person, and it keeps angle brackets (HTML to a Markdown renderer) out of the page.
Attachments are listed, never parsed; a warning says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reams.processors.parse.blocks import Block, escape_markdown, heading, page_from_blocks
from reams.processors.parse.model import Metadata, StaticSource
from reams.processors.parse.tables import render_table
from reams.processors.parse.web.html import render_html
from reams.processors.parse.web.inline import escape_inline

MAX_LISTED_ATTACHMENTS = 200
_UNITS = ("B", "KB", "MB", "GB")


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attachment as listed: its file name, media type and size in bytes (None if unknown)."""

    name: str
    content_type: str
    size: int | None


@dataclass
class MailMessage:
    """What a mail reader extracted: display headers in order, body alternatives, attachments."""

    headers: list[tuple[str, str]] = field(default_factory=list)
    body_text: str | None = None
    body_html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)


def format_address(name: str | None, address: str | None) -> str:
    """``address (Name)``, or whichever of the two is known."""
    name = " ".join((name or "").split()).strip("\"'")
    address = (address or "").strip().strip("<>")
    if not address:
        return name
    if not name or name.lower() == address.lower():
        return address
    return f"{address} ({name})"


def mail_source(message: MailMessage, *, tables_as_html: bool, kind: str) -> StaticSource:
    """The one-page source of a message; ``kind`` ("EML", "MSG") names the format in warnings."""
    blocks = [heading(1, "Email Message"), *_header_blocks(message.headers)]
    body = _body_blocks(message, tables_as_html=tables_as_html)
    warnings: list[str] = []
    if body:
        blocks.extend([heading(2, "Content"), *body])
    else:
        warnings.append("The message has no body text.")
    if message.attachments:
        blocks.extend([heading(2, "Attachments"), *_attachment_blocks(message.attachments)])
        warnings.append(_attachment_warning(message.attachments, kind))
    return StaticSource([page_from_blocks(blocks)], metadata=_metadata(message), warnings=warnings)


def _header_blocks(headers: list[tuple[str, str]]) -> list[Block]:
    shown = [(label, " ".join(value.split())) for label, value in headers if value.strip()]
    if not shown:
        return []
    markdown = "\n".join(f"- **{label}:** {escape_inline(value)}" for label, value in shown)
    text = "\n".join(f"{label}: {value}" for label, value in shown)
    return [Block(markdown, text)]


def _body_blocks(message: MailMessage, *, tables_as_html: bool) -> list[Block]:
    if message.body_text is not None and message.body_text.strip():
        text = message.body_text.replace("\r\n", "\n").replace("\r", "\n")
        # Trailing blanks are invisible in mail but would make "blank" lines non-blank.
        text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
        return [
            Block(escape_markdown(part.strip("\n")), part.strip("\n")) for part in _paragraphs(text)
        ]
    if message.body_html is not None and message.body_html.strip():
        blocks, _ = render_html(
            message.body_html,
            remove_navigation=False,
            tables_as_html=tables_as_html,
            with_title=False,
        )
        return blocks
    return []


def _paragraphs(text: str) -> list[str]:
    # Blank lines separate paragraphs in mail as in Markdown; lines within one are kept.
    return [part for part in text.split("\n\n") if part.strip()]


def _attachment_blocks(attachments: list[Attachment]) -> list[Block]:
    rows = [["Name", "Type", "Size"]]
    rows.extend(
        [item.name or "(unnamed)", item.content_type or "unknown", _size(item.size)]
        for item in attachments[:MAX_LISTED_ATTACHMENTS]
    )
    table = render_table(rows, as_html=False)
    blocks = [table] if table is not None else []
    hidden = len(attachments) - MAX_LISTED_ATTACHMENTS
    if hidden > 0:
        blocks.append(
            Block(f"… and {hidden} more attachments.", f"… and {hidden} more attachments.")
        )
    return blocks


def _attachment_warning(attachments: list[Attachment], kind: str) -> str:
    count = len(attachments)
    if count == 1:
        return f"The {kind} message's attachment is listed but not parsed; parse it on its own."
    return (
        f"The {kind} message's {count} attachments are listed but not parsed; "
        "parse them on their own."
    )


def _size(size: int | None) -> str:
    if size is None:
        return "unknown"
    value = float(size)
    for unit in _UNITS:
        if value < 1024 or unit == _UNITS[-1]:
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # unreachable: the loop returns at the last unit


def _metadata(message: MailMessage) -> Metadata:
    metadata: Metadata = {"attachments": len(message.attachments)}
    for label, value in message.headers:
        if label in ("Subject", "From", "Date") and value.strip():
            metadata[label.lower()] = " ".join(value.split())
    return metadata
