"""HTML files: decoded (BOM, declared charset, guess), reduced to their content, rendered.

What counts as content is :mod:`clean`'s business; rendering is :mod:`render`'s. This
module reads the page's metadata (title, language, the number of form fields) and adds the
title as a heading when the content has no top-level heading of its own. The whole page is one
page.
"""

from __future__ import annotations

import re

from reams.domain.errors import ProcessorError
from reams.processors.parse.blocks import Block, heading, page_from_blocks
from reams.processors.parse.decode import decode_text
from reams.processors.parse.model import Metadata, StaticSource
from reams.processors.parse.web.clean import content_root
from reams.processors.parse.web.inline import Node, collapse_inline
from reams.processors.parse.web.render import HtmlRenderer

FORM_FIELDS_KEY = "form_field_count"  # as the PDF and Word readers (read by classify)
# Inputs a user does not fill: hidden values, buttons, and the site's search box.
_NOT_FIELDS = frozenset({"hidden", "submit", "reset", "button", "image", "search"})
# Site chrome, whose controls (a search box, menu toggles, a language picker) every page has.
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})
_CHROME_ROLES = frozenset({"navigation", "search", "banner", "menu", "menubar", "contentinfo"})
_CHROME_NAMES = frozenset({"nav", "navbar", "navigation", "menu", "search", "searchbox", "sidebar"})
_NAME_TOKENS = re.compile(r"[^a-z0-9]+")
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)


def read_html(data: bytes, *, remove_navigation: bool, tables_as_html: bool) -> StaticSource:
    text, encoding = decode_text(data, declared=declared_charset(data[:4096]))
    blocks, metadata = render_html(
        text, remove_navigation=remove_navigation, tables_as_html=tables_as_html
    )
    if not any(block.text.strip() or block.markdown.strip() for block in blocks):
        raise ProcessorError("empty_document", "The HTML page contains no visible text.")
    return StaticSource([page_from_blocks(blocks)], metadata={"encoding": encoding, **metadata})


def render_html(
    text: str, *, remove_navigation: bool, tables_as_html: bool, with_title: bool = True
) -> tuple[list[Block], Metadata]:
    """Render decoded HTML into blocks.

    With ``with_title``, the page's ``<title>`` comes first when the content has no ``#``
    heading; an HTML part of a larger document (a mail body, a feed entry) has its own heading.
    """
    if not text.strip():
        return [], {}
    root = _parse(text)
    metadata = _metadata(root)
    content = content_root(root, remove_navigation=remove_navigation)
    blocks = HtmlRenderer(tables_as_html=tables_as_html).container(content)
    title = metadata.get("title")
    has_heading = any(block.markdown.startswith("# ") for block in blocks)
    if with_title and isinstance(title, str) and blocks and not has_heading:
        blocks.insert(0, heading(1, title))
    return blocks, metadata


def declared_charset(head: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(head)
    if match is None:
        return None
    label = match.group(1) or match.group(2)
    return label.decode("ascii", errors="replace")


def _parse(text: str) -> Node:
    import lxml.html

    # Re-encoding lets lxml accept documents that carry their own (now stale) encoding declaration.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    return lxml.html.document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)


def _metadata(root: Node) -> Metadata:
    metadata: Metadata = {}
    title = root.find(".//title")
    if title is not None:
        text = collapse_inline(title.text_content()).replace("\n", " ")
        if text:
            metadata["title"] = text
    language = root.get("lang")
    if language and language.strip():
        metadata["language"] = language.strip()
    fields = form_field_count(root)
    if fields:
        metadata[FORM_FIELDS_KEY] = fields
    return metadata


def form_field_count(root: Node) -> int:
    """The controls a user fills in: ``<input>`` (not hidden, a button or a search box),
    ``<select>`` and ``<textarea>``, inside a ``<form>`` or not (script-driven forms have none),
    leaving out those of the site's chrome (navigation, header, footer, search, menus).

    Counted on the whole page before the content is chosen, since rendering drops controls.
    """
    count = 0
    for element in root.iter("input", "select", "textarea"):
        kind = str(element.get("type") or "text").strip().lower()
        if element.tag == "input" and kind in _NOT_FIELDS:
            continue
        if not any(_chrome(node) for node in element.iterancestors()):
            count += 1
    return count


def _chrome(element: Node) -> bool:
    if element.tag in _CHROME_TAGS or str(element.get("role") or "").lower() in _CHROME_ROLES:
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return not _CHROME_NAMES.isdisjoint(_NAME_TOKENS.split(names))
