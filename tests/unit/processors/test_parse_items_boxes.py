"""Line boxes for items: the shortcut (a line printed in the item's text as it is) boxes
exactly as matching on keys alone does, on texts built to trip it up."""

from __future__ import annotations

import itertools
import random
import sys

from reams.processors.parse import items as items_module
from reams.processors.parse.items import boxed_items, page_items
from reams.processors.parse.model import Item, LineBox

# Words that trip up a matcher on letters: case-changing and multi-letter lower cases (İ, ẞ),
# the context-dependent final sigma, ligatures, marks that stick to words, list numbers,
# digits in other scripts, an underscore (not a letter or digit).
_WORDS = (
    "Invoice",
    "INVOICE",
    "no.",
    "7781",
    "B.V.",
    "$12.50",
    "(a)",
    "1.",
    "2)",
    "ΣΟΦΟΣ",
    "σοφός",
    "İstanbul",
    "STRAẞE",
    "ﬁnal",
    "naïve",
    "—",
    "***",
    "snake_case",
    "٣٤",
    "x²",
    "«ok»",
    "e-",
    "mail",
    "[link](http://a.b/c)",
)


def _keyed_only(items: list[Item], lines: tuple[LineBox, ...]) -> list[Item]:
    """``boxed_items`` matching every item on keys alone (no shortcut)."""
    page = items_module._Lines(lines)
    at = 0
    for item in items:
        if item.get("type") in ("header", "footer"):
            continue
        if item.get("type") == "table":
            at = items_module._box_table(item, lines, at)
        else:
            at = items_module._box_keyed(item, items_module._item_text(item), page, at)
    return items


def _page(rng: random.Random) -> tuple[str, tuple[LineBox, ...]]:
    """Random Markdown blocks and page lines close to them: their words, sometimes in another
    case, with list numbers, stray furniture, lines missing or merged, and tables."""
    blocks: list[str] = []
    lines: list[LineBox] = []
    y = 0.0
    for _ in range(rng.randint(1, 8)):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(1, 12))]
        cut = sorted(rng.sample(range(1, len(words)), k=min(len(words) - 1, rng.randint(0, 3))))
        printed = [" ".join(part) for part in _split(words, cut)]
        kind = rng.random()
        if kind < 0.1:
            blocks.append("| a | b |\n|---|---|\n| 1 | 2 |")
            lines.append(LineBox("a\tb\n1\t2", 10, y, 50, 20, 0))
            y += 20
            continue
        if kind < 0.25:
            blocks.append("## " + " ".join(words))
        elif kind < 0.4:
            blocks.append(f"{rng.randint(1, 9)}. " + " ".join(words))
            printed[0] = f"{rng.randint(1, 9)}. {printed[0]}"
        elif kind < 0.5:
            blocks.append("- " + "\n- ".join(printed))
        else:
            blocks.append(" ".join(words))
        for text in printed:
            y = _print(rng, text, lines, y)
    return "\n\n".join(blocks), tuple(lines)


def _print(rng: random.Random, text: str, lines: list[LineBox], y: float) -> float:
    """Add ``text``'s line to ``lines`` at ``y``, perhaps changed; the next line's ``y``."""
    roll = rng.random()
    if roll < 0.1:
        text = text.upper()
    elif roll < 0.2:
        text = text.lower()
    elif roll < 0.25:
        return y  # a line the item holds but the page lost
    elif roll < 0.3:
        lines.append(LineBox("Page 3 of 12", 500, y, 40, 8, 8))
    elif roll < 0.33:
        text = "• " + text
    elif roll < 0.36:
        text = text[: len(text) // 2]
    lines.append(LineBox(text, 10.004, y + 0.125, 123.456, 10.5, 10))
    return y + 12.005


def _split(words: list[str], cut: list[int]) -> list[list[str]]:
    bounds = [0, *cut, len(words)]
    return [words[a:b] for a, b in itertools.pairwise(bounds)]


def test_the_shortcut_boxes_as_keys_alone_do() -> None:
    rng = random.Random(20261204)
    boxed = 0
    for _ in range(1000):
        markdown, lines = _page(rng)
        expected = _keyed_only(page_items(markdown), lines)
        assert boxed_items(page_items(markdown), lines) == expected, markdown
        boxed += sum(1 for item in expected if item.get("bbox"))
    assert boxed > 1000  # the pages are close enough to their lines to be boxed


def test_case_changes_list_numbers_and_sigma_are_still_boxed() -> None:
    markdown = "INVOICE no. 7781\n\n- first step\n\n## ΣΟΦΟΣ İstanbul STRAẞE"
    lines = (
        LineBox("invoice", 0, 0, 9, 9, 9),  # another case: found on keys
        LineBox("No. 7781", 0, 10, 9, 9, 9),
        LineBox("1. first step", 0, 20, 9, 9, 9),  # a list number the item dropped
        LineBox("ΣΟΦΟΣ İstanbul STRAẞE", 0, 30, 9, 9, 9),  # lower case of more letters
    )
    text, listed, heading = boxed_items(page_items(markdown), lines)
    boxes = text["bbox"]
    assert isinstance(boxes, list)
    value = str(text["value"])
    assert [value[b["start_index"] : b["end_index"]] for b in boxes] == ["INVOICE", "no. 7781"]
    assert listed["bbox"] == [{"x": 0, "y": 20, "w": 9, "h": 9}]
    assert heading["bbox"] == [{"x": 0, "y": 30, "w": 9, "h": 9, "start_index": 0, "end_index": 21}]


def test_the_letter_pattern_is_str_isalnum() -> None:
    """The shortcut finds the next letter or digit with a pattern: it must be ``isalnum``."""
    pattern = items_module._ALNUM
    wrong = [
        code
        for code in range(sys.maxunicode + 1)
        if (pattern.match(chr(code)) is not None) != chr(code).isalnum()
    ]
    assert wrong == []


def _kind_by_patterns(lines: list[str], index: int) -> str:
    """``items._kind`` without its shortcut for lines no block pattern can match."""
    line = lines[index]
    stripped = line.strip()
    if items_module._HEADING.match(line):
        return "heading"
    if items_module._FENCE.match(line):
        return "code"
    if (
        stripped.startswith("|")
        and index + 1 < len(lines)
        and items_module._is_separator(lines[index + 1])
    ):
        return "table"
    if stripped.lower().startswith("<table"):
        return "html_table"
    if items_module._LIST.match(line) and len(line) - len(line.lstrip(" ")) <= 3:
        return "list"
    if stripped == items_module.IMAGE_MARK or items_module._IMAGE.match(stripped):
        return "image"
    return "text"


def test_a_line_opening_with_any_character_gets_the_kind_its_patterns_give() -> None:
    shapes = ("{c}", "{c} x", "  {c}. x", "{c}{c}{c} x", "\t{c} x", "{c}) x", "{c}](y)")
    for code in range(0x3000):
        for shape in shapes:
            lines = [shape.format(c=chr(code)), "|---|"]
            assert items_module._kind(lines, 0) == _kind_by_patterns(lines, 0), lines
    for lines in (["![a](b.png)"], ["<!-- image -->"], ["<TABLE>"], ["٣. x"], ["    # x"]):
        assert items_module._kind(lines, 0) == _kind_by_patterns(lines, 0), lines
