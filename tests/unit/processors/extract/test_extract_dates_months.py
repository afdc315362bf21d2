"""Month names are matched as a tree of shared prefixes (quick on long contracts): the same
dates as a longest-first list of the names, in every language the list holds."""

from __future__ import annotations

import re

import pytest

from reams.processors.extract import dates
from reams.processors.extract.dates import find_dates

_LISTED = r"(?P<month>" + "|".join(sorted(map(re.escape, dates._MONTHS), key=len, reverse=True))


@pytest.mark.parametrize("name", sorted(dates._MONTHS))
def test_the_tree_matches_each_month_name_whole(name: str) -> None:
    tree = re.compile(dates._MONTH + r"\s", re.IGNORECASE)
    listed = re.compile(_LISTED + r")\.?\s", re.IGNORECASE)
    text = f"{name} 2024 {name.upper()}. 3"
    assert [m.group(0) for m in tree.finditer(text)] == [m.group(0) for m in listed.finditer(text)]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("3 mar 2024", "2024-03-03"),
        ("3 mars 2024", "2024-03-03"),
        ("3 marzo 2024", "2024-03-03"),
        ("3 de março de 2024", "2024-03-03"),
        ("Sept. 4, 2023", "2023-09-04"),
        ("4 settembre 2023", "2023-09-04"),
        ("the 5th day of March, 2010", "2010-03-05"),
    ],
)
def test_month_names_in_dates(text: str, iso: str) -> None:
    assert [d.iso for d in find_dates(text)] == [iso]
