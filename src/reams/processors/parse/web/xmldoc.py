"""XML files: RSS and Atom feeds as articles, any other XML pretty-printed in a fenced block.

Generic XML is shown as itself, re-indented, because its element names carry the meaning a
reader needs and any outline would lose attributes or mixed content. A feed is a list of
articles, so it reads as one (see :mod:`feed`). Parsing never resolves entities or loads a DTD
(no XXE, no entity-expansion bomb); a file that is not well-formed is shown as written, with a
warning. The encoding follows the BOM, then the XML declaration, then the usual guessing.
"""

from __future__ import annotations

import re

from reams.domain.errors import ProcessorError
from reams.processors.parse.decode import decode_text
from reams.processors.parse.fenced import bounded, cut_warning, fenced
from reams.processors.parse.model import PageContent, StaticSource
from reams.processors.parse.web.feed import FEED_ROOTS, feed_source, local_name
from reams.processors.parse.web.inline import Node

_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(
    rb"""\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)"""
)


def read_xml(data: bytes, *, tables_as_html: bool) -> StaticSource:
    match = _DECLARED_ENCODING.match(data[:1024])
    text, encoding = decode_text(data, declared=match.group(1).decode() if match else None)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ProcessorError("empty_document", "The file contains no text.")
    root = _parse(text)
    if root is not None and local_name(root) in FEED_ROOTS:
        source = feed_source(root, tables_as_html=tables_as_html)
        source.metadata["encoding"] = encoding
        return source
    warnings: list[str] = []
    if root is None:
        shown = text.strip("\n")
        warnings.append("The file is not well-formed XML; it is shown as it is.")
    else:
        shown = _pretty(root)
    shown, cut = bounded(shown)
    if cut:
        warnings.append(cut_warning("XML"))
    page = PageContent(markdown=fenced(shown, "xml"), text=shown)
    return StaticSource([page], metadata={"encoding": encoding}, warnings=warnings)


def _parse(text: str) -> Node | None:
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, remove_blank_text=True
    )
    try:
        # A str must not carry an encoding declaration; the text is already decoded.
        return etree.fromstring(_DECLARATION.sub("", text, count=1), parser=parser)
    except etree.XMLSyntaxError:
        return None


def _pretty(root: Node) -> str:
    from lxml import etree

    # The tree, not the root element, so a doctype and top-level comments are kept.
    return str(etree.tostring(root.getroottree(), pretty_print=True, encoding="unicode")).strip(
        "\n"
    )
