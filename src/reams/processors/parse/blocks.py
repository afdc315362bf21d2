"""Markdown building blocks shared by the format readers.

A :class:`Block` carries the Markdown of one paragraph, heading, list or table together with its
plain-text form, so every reader produces ``markdown`` and ``text`` from the same walk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from reams.processors.parse.model import PageContent

_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
# Plain text that starts like Markdown structure would change meaning when rendered.
_STRUCTURAL_START = re.compile(
    r"^( {0,3})([#>]|=+[ \t]*$|-{3,}[ \t]*$|\*{3,}[ \t]*$)", re.MULTILINE
)


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a page: its Markdown and its plain text."""

    markdown: str
    text: str


def collapse_spaces(text: str) -> str:
    """Collapse runs of horizontal whitespace to one space and trim the ends of every line."""
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def escape_markdown(text: str) -> str:
    """Escape only what would turn plain text into Markdown structure (headings, quotes, rules)."""
    if "\n" not in text and _STRUCTURAL_START.match(text) is None:
        return text  # the common single-line case, without a scan of the whole text
    return _STRUCTURAL_START.sub(r"\1\\\2", text)


def paragraph(text: str) -> Block:
    return Block(escape_markdown(text), text)


def heading(level: int, text: str) -> Block:
    level = min(max(level, 1), 6)
    return Block(f"{'#' * level} {text}", text)


def list_item(marker: str, text: str, *, depth: int = 0) -> str:
    """One Markdown list line; nested levels indent by four spaces, valid under any marker."""
    continuation = "\n" + " " * (4 * depth + len(marker) + 1)
    body = escape_markdown(text).replace("\n", continuation)
    return f"{'    ' * depth}{marker} {body}"


def page_from_blocks(
    blocks: Iterable[Block], *, width: float | None = None, height: float | None = None
) -> PageContent:
    """Join blocks into a page, separated by blank lines as Markdown paragraphs are."""
    kept = [block for block in blocks if block.markdown.strip()]
    return PageContent(
        markdown="\n\n".join(block.markdown for block in kept),
        text="\n\n".join(block.text for block in kept),
        width=width,
        height=height,
    )
