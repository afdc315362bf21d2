"""The bench's generated field set: seeded, reproducing its committed gold, split by template.

The bench (``bench/extract_fields.py``) scores the recognisers against
``bench/extract/generated_gold.jsonl``; these checks keep that file honest: the generator writes
exactly it, draws the same bytes twice, and no holdout document shares a template or a company
name with a dev document.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

EXTRACT = Path(__file__).resolve().parents[2] / "bench" / "extract"
sys.path.insert(0, str(EXTRACT))

import generate_fields  # noqa: E402

NAME_FIELDS = ("vendor", "company", "seller", "customer", "employer", "employee", "supplier")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = generate_fields.gold_rows()
    return found


def test_generator_writes_the_committed_gold(rows: list[dict[str, Any]]) -> None:
    committed = generate_fields.GOLD.read_text(encoding="utf-8")
    assert generate_fields.gold_text(rows) == committed
    assert generate_fields.gold_rows() == rows


def test_the_set_is_as_large_and_varied_as_issue_15_asks(rows: list[dict[str, Any]]) -> None:
    kinds = Counter(row["kind"] for row in rows)
    assert len(rows) >= 60
    assert kinds["invoice"] >= 30 and kinds["receipt"] >= 20
    assert kinds["order"] >= 15 and kinds["form"] >= 10
    assert len({row["language"] for row in rows}) >= 4
    assert 0.15 <= sum(row["scan"] for row in rows) / len(rows) <= 0.4


def test_split_is_by_template_and_names_never_cross(rows: list[dict[str, Any]]) -> None:
    splits: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {"dev": set(), "holdout": set(), "fresh": set(), "fresh2": set()}
    for row in rows:
        splits.setdefault(row["template"], set()).add(row["split"])
        for field in NAME_FIELDS:
            value = row["fields"].get(field)
            for name in value if isinstance(value, list) else [value]:
                if name:
                    names[row["split"]].add(name)
    assert all(len(sides) == 1 for sides in splits.values())
    for kind in ("invoice", "receipt", "order", "form"):
        assert {"dev", "holdout"} <= {row["split"] for row in rows if row["kind"] == kind}
    assert not names["dev"] & names["holdout"]
    # The fresh split (layouts written apart from the rest, a generalisation check) shares no
    # name with either.
    assert not names["fresh"] & (names["dev"] | names["holdout"])
    assert not names["fresh2"] & (names["dev"] | names["holdout"] | names["fresh"])


def test_fresh2_is_appended_last_and_as_large_as_issue_15_asks(rows: list[dict[str, Any]]) -> None:
    """The second fresh split: ≥ 8 invoice and ≥ 4 receipt layouts of 5 each, a third scans,
    after every other row (so the documents and gold before it stay as they were)."""
    first = next(n for n, row in enumerate(rows) if row["split"] == "fresh2")
    fresh2 = rows[first:]
    assert all(row["split"] == "fresh2" for row in fresh2)
    per_template = Counter((row["kind"], row["template"]) for row in fresh2)
    assert all(count == 5 for count in per_template.values())
    kinds = Counter(kind for kind, _ in per_template)
    assert kinds["invoice"] >= 8 and kinds["receipt"] >= 4
    assert {row["schema"] for row in fresh2} == {"invoice", "receipt"}
    assert 0.25 <= sum(row["scan"] for row in fresh2) / len(fresh2) <= 0.4
    # New layouts: no fresh2 template is a template of another split.
    assert not {t for _, t in per_template} & {r["template"] for r in rows[:first]}


def test_drawing_does_not_change_the_gold_of_the_documents_after_it(
    rows: list[dict[str, Any]],
) -> None:
    """The cache is written drawing each document before the next is built (a drawing may take
    a name, a cashier's); the documents after it must still be the ones the gold describes."""
    drawn = []
    for doc in generate_fields.documents():
        drawn.append(doc.row)
        doc.built.draw()
    assert drawn == rows


def test_drawing_is_deterministic() -> None:
    first = [doc for doc, _ in zip(generate_fields.documents(), range(3), strict=False)]
    again = [doc for doc, _ in zip(generate_fields.documents(), range(3), strict=False)]
    for one, two in zip(first, again, strict=True):
        pdf = one.built.draw()
        assert pdf.startswith(b"%PDF") and pdf == two.built.draw()
    scan_one = generate_fields.scan(first[0].built.draw(), generate_fields.random.Random(1))
    scan_two = generate_fields.scan(again[0].built.draw(), generate_fields.random.Random(1))
    assert scan_one.startswith(b"\x89PNG") and scan_one == scan_two
