"""HTML files: decoded (BOM, declared charset, guess), cleaned of scripts and chrome, rendered.

Scripts, styles and other invisible elements are always removed; ``nav``, ``header``, ``footer``
and ``aside`` (and their ARIA roles) only when ``html_remove_navigation_elements`` is set, because
a page header often carries the document's real title. The whole page is one page.
"""

from __future__ import annotations

import re
from typing import Any

from reams.domain.errors import ProcessorError
from reams.processors.parse.blocks import heading, page_from_blocks
from reams.processors.parse.decode import decode_text
from reams.processors.parse.html_render import HtmlRenderer, collapse_inline
from reams.processors.parse.model import Metadata, StaticSource

_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_INVISIBLE = ("script", "style", "noscript", "template", "head", "iframe", "object", "svg")
_NAVIGATION_XPATH = (
    "//nav | //header | //footer | //aside"
    " | //*[@role='navigation' or @role='banner' or @role='contentinfo']"
)


def read_html(data: bytes, *, remove_navigation: bool, tables_as_html: bool) -> StaticSource:
    text, encoding = decode_text(data, declared=_declared_charset(data[:4096]))
    if not text.strip():
        raise ProcessorError("empty_document", "The file contains no text.")
    root = _parse(text)
    metadata = _metadata(root, encoding)
    _remove(root, remove_navigation=remove_navigation)
    body = root.find("body")
    blocks = HtmlRenderer(tables_as_html=tables_as_html).container(root if body is None else body)
    if not any(block.text.strip() for block in blocks):
        raise ProcessorError("empty_document", "The HTML page contains no visible text.")
    title = metadata.get("title")
    if isinstance(title, str) and not any(block.markdown.startswith("# ") for block in blocks):
        blocks.insert(0, heading(1, title))
    return StaticSource([page_from_blocks(blocks)], metadata=metadata)


def _declared_charset(head: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(head)
    if match is None:
        return None
    label = match.group(1) or match.group(2)
    return label.decode("ascii", errors="replace")


def _parse(text: str) -> Any:
    import lxml.html

    # Re-encoding lets lxml accept documents that carry their own (now stale) encoding declaration.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    return lxml.html.document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)


def _metadata(root: Any, encoding: str) -> Metadata:
    metadata: Metadata = {"encoding": encoding}
    title = root.find(".//title")
    if title is not None:
        text = collapse_inline(title.text_content())
        if text:
            metadata["title"] = text
    language = root.get("lang")
    if language:
        metadata["language"] = language.strip()
    return metadata


def _remove(root: Any, *, remove_navigation: bool) -> None:
    doomed = list(root.iter(*_INVISIBLE))
    if remove_navigation:
        doomed.extend(root.xpath(_NAVIGATION_XPATH))
    for element in doomed:
        if element.getparent() is not None:
            # drop_tree keeps the element's tail text, which belongs to the parent.
            element.drop_tree()
