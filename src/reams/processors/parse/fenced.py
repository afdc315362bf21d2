"""Formats shown as their own source (JSON, XML): fenced code blocks of bounded size."""

from __future__ import annotations

import re

MAX_CHARS = 2_000_000
_BACKTICKS = re.compile(r"`+")


def fenced(code: str, language: str) -> str:
    """``code`` in a fenced block whose fence is longer than any backtick run inside it."""
    longest = max((len(run) for run in _BACKTICKS.findall(code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code}\n{fence}"


def bounded(code: str) -> tuple[str, bool]:
    """``code`` cut at the last line end before :data:`MAX_CHARS`; True when it was cut."""
    limit = MAX_CHARS
    if len(code) <= limit:
        return code, False
    end = code.rfind("\n", 0, limit)
    return code[: end if end > 0 else limit], True


def cut_warning(label: str) -> str:
    return (
        f"The {label} is longer than {MAX_CHARS:,} characters once laid out; the rest is left out."
    )
