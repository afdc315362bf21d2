"""Every in-scope method of the installed llama-cloud SDK (2.13 here) is driven by an
acceptance test or listed as out of scope with a reason (see tests/sdk_coverage.py)."""

from __future__ import annotations

from sdk_coverage import problems


def test_every_sdk_method_is_covered() -> None:
    assert problems() == []
