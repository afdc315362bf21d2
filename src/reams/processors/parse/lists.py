"""Gathering list paragraphs into one Markdown list block, for readers that see items one by one.

Sources name an item's level (PowerPoint paragraph levels, RTF ``\\ilvl``) and may skip levels
or start below the top; Markdown nests one level at a time, so levels are mapped to depths.
"""

from __future__ import annotations

from reams.processors.parse.blocks import Block, list_item


class ListBuilder:
    """Collects list items until :meth:`end`, numbering automatically numbered items per level."""

    def __init__(self) -> None:
        self._markdown: list[str] = []
        self._text: list[str] = []
        self._counters: dict[int, int] = {}
        self._open_levels: list[int] = []

    def add(self, text: str, *, level: int, numbered: bool, number: str | None = None) -> None:
        """Add an item; ``number`` is the source's own label, else numbered items are counted."""
        for deeper in [key for key in self._counters if key > level]:
            del self._counters[deeper]
        marker = "-"
        if numbered:
            self._counters[level] = self._counters.get(level, 0) + 1
            marker = f"{number or self._counters[level]}."
        depth = self._depth(level)
        self._markdown.append(list_item(marker, text, depth=depth))
        self._text.append(f"{'    ' * depth}{marker} {text}")

    def _depth(self, level: int) -> int:
        while self._open_levels and self._open_levels[-1] > level:
            self._open_levels.pop()
        if not self._open_levels or self._open_levels[-1] < level:
            self._open_levels.append(level)
        return len(self._open_levels) - 1

    def end(self) -> Block | None:
        """The list gathered so far as one block (None if empty); the builder starts afresh."""
        block = None
        if self._markdown:
            block = Block("\n".join(self._markdown), "\n".join(self._text))
        self._markdown, self._text, self._counters, self._open_levels = [], [], {}, []
        return block
