"""A line's ``item`` flag (starts with a bullet or a number) is told by the first character
before the patterns run: the answer is the patterns' on every first character."""

from __future__ import annotations

import sys

import pytest

from reams.processors.parse.pdf.lines import BULLET, NUMBERED
from reams.processors.parse.pdf.text import _is_item


def patterns(text: str) -> bool:
    return BULLET.match(text) is not None or NUMBERED.match(text) is not None


@pytest.mark.parametrize("rest", [" item", "\u00a0item", ". item", ") item", "12. item", ""])
def test_every_first_character_gets_the_patterns_answer(rest: str) -> None:
    differ = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if not 0xD800 <= code <= 0xDFFF and _is_item(chr(code) + rest) != patterns(chr(code) + rest)
    ]
    assert differ == []


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("• First point", True),
        ("– a dash item", True),
        ("12. Twelfth", True),
        ("(3) third", True),
        ("٣. Arabic-Indic digit", True),
        ("1234. too long a number", False),
        ("Plain text", False),
        ("", False),
    ],
)
def test_items_and_plain_lines(text: str, item: bool) -> None:
    assert _is_item(text) is item
    assert patterns(text) is item
