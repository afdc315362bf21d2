"""Telling text formats apart by their opening: HTML, XML, JSON, e-mail or none of them.

Only the start of a document counts. A Markdown file that shows an HTML example in a code block
contains ``<html`` but is not HTML; an HTML page starts with a doctype or an ``<html>`` tag once
whitespace, a byte-order mark, comments and an XML declaration are skipped. A file name that
says HTML also accepts a fragment (``<div>…``); one that says Markdown never sniffs fragments,
since a README often opens with ``<p align="center">``.
"""

from __future__ import annotations

import json
import re

from reams.processors.parse.decode import decode_text, head_text

_PROLOG = re.compile(r"\A(?:\s+|<!--.*?-->|<\?xml[^>]*\?>)*", re.DOTALL)
_DOCUMENT_START = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_FRAGMENT_START = re.compile(
    r"<(?:p|div|span|table|ul|ol|h[1-6]|section|article|main|meta|title|a|b|i|br|img|center)\b",
    re.IGNORECASE,
)
_XML_ROOT = re.compile(r"<(?!!|\?)([\w:.-]+)([^>]*)>", re.DOTALL)
_FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf"})
_MARKUP_EXTENSIONS = frozenset({"md", "markdown", "txt", "text", "csv", "tsv"})
_HTML_EXTENSIONS = frozenset({"htm", "html", "xhtml", "shtml"})
_XML_EXTENSIONS = frozenset(
    {"xml", "rss", "atom", "xsd", "xsl", "xslt", "svg", "kml", "gpx", "opml", "plist"}
)
_HEADER_LINE = re.compile(r"^([!-9;-~]+):")
_MAIL_FIELDS = frozenset(
    {"from", "received", "mime-version", "return-path", "message-id", "delivered-to"}
)
_MIN_HEADER_FIELDS = 2
_JSON_SNIFF_LIMIT = 4 * 1024 * 1024


def sniff_markup(data: bytes, extension: str) -> str | None:
    """``html``, ``xml``, ``json`` or ``eml`` when the content says so, else None."""
    head = head_text(data)
    start = head[_PROLOG.match(head).end() :]  # type: ignore[union-attr]  # \A(...)* always matches
    if _DOCUMENT_START.match(start):
        return "html"
    if start.startswith("<"):
        return _markup_kind(head, start, extension)
    if start[:1] in ("{", "[") and _parses_as_json(data):
        return "json"
    if looks_like_email(head):
        return "eml"
    return None


def looks_like_email(head: str) -> bool:
    """Whether ``head`` opens with an RFC 822 header block naming a mail-specific field."""
    lines = head.lstrip("\r\n").splitlines()
    if lines and lines[0].startswith("From "):  # an mbox separator line
        lines = lines[1:]
    fields: list[str] = []
    for line in lines[:-1]:  # the last line may be cut short by the sample
        if not line.strip():
            break
        if line[:1] in (" ", "\t"):
            continue  # a folded continuation of the previous field
        match = _HEADER_LINE.match(line)
        if match is None:
            return False
        fields.append(match.group(1).lower())
    return len(fields) >= _MIN_HEADER_FIELDS and not _MAIL_FIELDS.isdisjoint(fields)


def _markup_kind(head: str, start: str, extension: str) -> str | None:
    if extension in _HTML_EXTENSIONS:
        return "html"
    root = _XML_ROOT.match(start)
    if head.lstrip("\ufeff \t\r\n").startswith("<?xml"):
        return "html" if root is not None and root.group(1).lower() == "html" else "xml"
    if root is not None and (root.group(1).lower() in _FEED_ROOTS or "xmlns" in root.group(2)):
        return "xml"
    if extension in _XML_EXTENSIONS:
        return "xml"
    if extension not in _MARKUP_EXTENSIONS and _FRAGMENT_START.match(start):
        return "html"
    return None


def _parses_as_json(data: bytes) -> bool:
    if len(data) > _JSON_SNIFF_LIMIT:
        return False  # too costly to parse twice; a .json name still says JSON
    try:
        text, _ = decode_text(data)
        json.loads(text.lstrip("\ufeff"))
    except (ValueError, RecursionError):
        return False
    return True
