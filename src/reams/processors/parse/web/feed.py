"""RSS (0.9x, 1.0 RDF, 2.0) and Atom feeds rendered as a document of articles.

The feed's title is the ``#`` heading, its description the first paragraph; each item or entry
is a ``##`` heading followed by a line of its date, author and link, then its content: the full
content when the feed carries it (``content:encoded``, Atom ``content``), else the summary. Feed
content is HTML, so it goes through the HTML renderer. Elements are matched by local name, so
any namespace prefix works.
"""

from __future__ import annotations

from collections.abc import Iterator

from reams.processors.parse.blocks import Block, heading, page_from_blocks, paragraph
from reams.processors.parse.model import StaticSource
from reams.processors.parse.web.html import render_html
from reams.processors.parse.web.inline import Node, escape_inline

FEED_ROOTS = frozenset({"rss", "feed", "RDF"})
_CONTENT = ("encoded", "content", "description", "summary")
_DATES = ("pubDate", "published", "updated", "date")
_AUTHORS = ("creator", "author")


def local_name(element: Node) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def feed_source(root: Node, *, tables_as_html: bool) -> StaticSource:
    channel = _child(root, "channel")
    head = root if channel is None or local_name(root) == "feed" else channel
    blocks: list[Block] = []
    title = _text(_child(head, "title"))
    if title:
        blocks.append(heading(1, title))
    description = _text(_first(head, ("description", "subtitle")))
    if description:
        blocks.append(paragraph(description))
    entries = list(_entries(root, channel))
    for entry in entries:
        blocks.extend(_entry_blocks(entry, tables_as_html=tables_as_html))
    metadata: dict[str, str | int] = {"entries": len(entries)}
    if title:
        metadata["title"] = title
    return StaticSource([page_from_blocks(blocks)], metadata=metadata)


def _entries(root: Node, channel: Node | None) -> Iterator[Node]:
    # RSS 2.0 nests items in the channel, RSS 1.0 puts them beside it, Atom has entries.
    for parent in (root, channel) if channel is not None else (root,):
        for child in parent:
            if local_name(child) in ("item", "entry"):
                yield child


def _entry_blocks(entry: Node, *, tables_as_html: bool) -> list[Block]:
    blocks: list[Block] = []
    title = _text(_child(entry, "title"))
    if title:
        blocks.append(heading(2, title))
    details = _details(entry)
    if details:
        blocks.append(Block(" · ".join(md for md, _ in details), " · ".join(t for _, t in details)))
    content = _first(entry, _CONTENT)
    if content is not None:
        blocks.extend(_content_blocks(content, tables_as_html=tables_as_html))
    return blocks


def _details(entry: Node) -> list[tuple[str, str]]:
    details: list[tuple[str, str]] = []
    date = _text(_first(entry, _DATES))
    if date:
        details.append((f"Published: {escape_inline(date)}", f"Published: {date}"))
    author = _first(entry, _AUTHORS)
    name = _text(_child(author, "name") if author is not None and len(author) else author)
    if name:
        details.append((f"Author: {escape_inline(name)}", f"Author: {name}"))
    link = _link(entry)
    if link:
        details.append((f"Link: <{link}>", f"Link: {link}"))
    return details


def _link(entry: Node) -> str:
    for child in entry:
        if local_name(child) != "link":
            continue
        href = child.get("href")
        if href and child.get("rel", "alternate") == "alternate":
            return str(href).strip()
        if not href and child.text and child.text.strip():
            return str(child.text).strip()
    return ""


def _content_blocks(content: Node, *, tables_as_html: bool) -> list[Block]:
    from lxml import etree

    if len(content):  # Atom type="xhtml": the content is markup, not escaped text
        markup = "".join(etree.tostring(child, encoding="unicode") for child in content)
    elif content.get("type") == "text":
        text = _text(content)
        return [paragraph(text)] if text else []
    else:
        markup = content.text or ""
    blocks, _ = render_html(
        markup, remove_navigation=False, tables_as_html=tables_as_html, with_title=False
    )
    return blocks


def _child(parent: Node | None, name: str) -> Node | None:
    if parent is None:
        return None
    for child in parent:
        if local_name(child) == name:
            return child
    return None


def _first(parent: Node, names: tuple[str, ...]) -> Node | None:
    for name in names:
        found = _child(parent, name)
        if found is not None:
            return found
    return None


def _text(element: Node | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())
