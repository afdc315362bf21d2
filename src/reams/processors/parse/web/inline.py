"""Inline HTML (text, links, emphasis, code, images, line breaks) as Markdown or as plain text.

One renderer walks the same nodes in either mode, so a block's Markdown and its plain text never
disagree about what the block says. Whitespace follows HTML: runs collapse to one space, and
``<br>`` becomes a private-use marker until the very end so collapsing cannot eat it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from reams.processors.parse.web.links import image_target, link_target, link_title

BREAK = "\ue000"
_WHITESPACE = re.compile(r"\s+")
_AROUND_BREAK = re.compile(rf" ?{BREAK}[ {BREAK}]*")
_EDGE = " \t\n\r\f\v\u00a0" + BREAK
# Asterisks and backticks always mean markup; an underscore only at a word edge (GFM rule).
_MARKDOWN_SPECIAL = re.compile(r"\\(?=[!-/:-@\[-`{-~])|[*`]|(?<![^\W_])_|_(?![^\W_])")
_MAY_NEED_ESCAPE = re.compile(r"[*`_\\]")
_BACKTICKS = re.compile(r"`+")

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
        "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
        "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li",
        "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_MARKERS = {
    "b": "**", "strong": "**",
    "i": "*", "em": "*", "cite": "*", "var": "*", "dfn": "*",
    "s": "~~", "del": "~~", "strike": "~~",
}  # fmt: skip
_CODE = frozenset({"code", "kbd", "samp", "tt"})

Node = Any  # an lxml element; lxml ships no type stubs


def collapse_inline(text: str) -> str:
    """Collapse HTML whitespace to single spaces, turning ``<br>`` markers into newlines."""
    text = _WHITESPACE.sub(" ", text)
    return _AROUND_BREAK.sub("\n", text).strip(" \n")


def escape_inline(text: str) -> str:
    """Escape the characters that would turn plain words into inline Markdown (emphasis, code)."""
    if not _MAY_NEED_ESCAPE.search(text):
        return text  # the common case, without the slower substitution
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", text)


def is_block(element: Node) -> bool:
    return isinstance(element.tag, str) and element.tag in BLOCK_TAGS


class InlineRenderer:
    """Renders runs of inline nodes; ``markdown=False`` yields the plain text of the same run."""

    def __init__(self, *, markdown: bool) -> None:
        self.markdown = markdown
        self._open: set[str] = set()
        self._in_link = False
        self._handlers: dict[str, Callable[[Node], str]] = {
            "br": lambda _: BREAK,
            "img": self._image,
            "a": self._link,
            "q": lambda element: f'"{self.content(element)}"',
            **{tag: self._code for tag in _CODE},
            **{tag: self._marked for tag in _MARKERS},
        }

    def run(self, items: Iterable[str | Node]) -> str:
        """Render text strings and inline elements in order, then collapse the whitespace."""
        return collapse_inline("".join(self._item(item) for item in items))

    def element(self, element: Node) -> str:
        """The collapsed rendering of one element's content (not its tail)."""
        return collapse_inline(self.content(element))

    def content(self, element: Node) -> str:
        parts = [self.text(element.text)]
        for child in element:
            parts.append(self.node(child))
            parts.append(self.text(child.tail))
        return "".join(parts)

    def node(self, element: Node) -> str:
        if not isinstance(element.tag, str):
            return ""
        handler = self._handlers.get(element.tag)
        if handler is not None:
            return handler(element)
        inner = self.content(element)
        return f"{BREAK}{inner}{BREAK}" if element.tag in BLOCK_TAGS else inner

    def text(self, text: str | None) -> str:
        if not text:
            return ""
        return escape_inline(text) if self.markdown else text

    def _item(self, item: str | Node) -> str:
        return self.text(item) if isinstance(item, str) else self.node(item)

    def _marked(self, element: Node) -> str:
        marker = _MARKERS[element.tag]
        if not self.markdown or marker in self._open:
            return self.content(element)
        self._open.add(marker)
        try:
            return _wrap(self.content(element), marker)
        finally:
            self._open.discard(marker)

    def _code(self, element: Node) -> str:
        text = _WHITESPACE.sub(" ", element.text_content())
        if not self.markdown or not text.strip():
            return text
        longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
        fence = "`" * (longest + 1)
        core = text.strip()
        padded = f" {core} " if core.startswith("`") or core.endswith("`") else core
        return _with_edges(text, f"{fence}{padded}{fence}")

    def _link(self, element: Node) -> str:
        target = link_target(element.get("href")) if self.markdown else None
        if target is None or self._in_link:
            return self.content(element)
        self._in_link = True
        try:
            inner = self.content(element)
        finally:
            self._in_link = False
        label = _WHITESPACE.sub(" ", inner.replace(BREAK, " ")).strip()
        if not label:
            return inner
        return _with_edges(inner, f"[{label}]({target}{link_title(element.get('title'))})")

    def _image(self, element: Node) -> str:
        alt = " ".join((element.get("alt") or "").split())
        if _is_pixel(element):
            return ""
        if not self.markdown:
            return alt
        src = image_target(element.get("src") or element.get("data-src"))
        if not src and not alt:
            return ""
        alt = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        return f"![{alt}]({src})"


def _wrap(inner: str, marker: str) -> str:
    core = inner.strip(_EDGE)
    if not core:
        return inner
    return _with_edges(inner, f"{marker}{core}{marker}")


def _with_edges(inner: str, rendered: str) -> str:
    """``rendered`` with the leading and trailing whitespace (and breaks) of ``inner`` around it."""
    lead = inner[: len(inner) - len(inner.lstrip(_EDGE))]
    trail = inner[len(inner.rstrip(_EDGE)) :]
    return f"{lead}{rendered}{trail}"


def _is_pixel(element: Node) -> bool:
    # Tracking pixels and spacer GIFs are declared 1x1 (or 0x0); they are not content.
    return all((element.get(side) or "").strip() in ("0", "1") for side in ("width", "height"))
