"""The transition tables are the documentation: check they say what DESIGN.md §1 says."""

from __future__ import annotations

import pytest

from reams.domain.states import (
    ITEM_TRANSITIONS,
    TERMINAL_ITEM,
    ItemStatus,
    JobStatus,
    item_sources,
    job_sources,
    progress_percentage,
)


def test_terminal_item_states_are_never_left() -> None:
    for to, sources in ITEM_TRANSITIONS.items():
        assert not (sources & TERMINAL_ITEM), f"{to} may be entered from a terminal state"


@pytest.mark.parametrize(
    ("frm", "to", "allowed"),
    [
        (ItemStatus.PENDING, ItemStatus.PROCESSING, True),
        (ItemStatus.PROCESSING, ItemStatus.PENDING, True),  # retry / reclaimed lease
        (ItemStatus.PENDING, ItemStatus.CANCELLED, True),
        (ItemStatus.PROCESSING, ItemStatus.CANCELLED, False),  # in-flight items finish
        (ItemStatus.PENDING, ItemStatus.COMPLETED, False),
        (ItemStatus.PENDING, ItemStatus.SKIPPED, True),
        (ItemStatus.COMPLETED, ItemStatus.PENDING, False),
    ],
)
def test_item_transitions(frm: ItemStatus, to: ItemStatus, allowed: bool) -> None:
    assert (frm in item_sources(to)) is allowed


def test_terminal_jobs_stay_terminal() -> None:
    for to in JobStatus:
        if to is JobStatus.PENDING:
            continue
        sources = job_sources(to)
        assert JobStatus.COMPLETED not in sources
        assert JobStatus.CANCELLED not in sources


def test_wire_values_are_lower_case() -> None:
    assert [s.value for s in JobStatus] == [
        "pending",
        "dispatched",
        "running",
        "completed",
        "failed",
        "cancelled",
    ]
    assert {s.value for s in ItemStatus} == {
        "pending",
        "processing",
        "completed",
        "failed",
        "skipped",
        "cancelled",
    }


def test_progress_percentage() -> None:
    assert progress_percentage(total=4, terminal=1, job_terminal=False) == 25.0
    assert progress_percentage(total=3, terminal=1, job_terminal=False) == 33.33
    assert progress_percentage(total=0, terminal=0, job_terminal=False) == 0.0
    assert progress_percentage(total=0, terminal=0, job_terminal=True) == 100.0


def test_wire_literals_and_the_domain_enums_name_the_same_states() -> None:
    # The wire keeps Literal types (the SDK validates them strictly); the names are written
    # once in domain.states, and this holds the two together.
    from typing import get_args

    from reams.domain.states import ItemStatus, JobStatus, JobType
    from reams.wire.batch import ItemStatusName, JobStatusName, JobTypeName

    assert set(get_args(JobStatusName)) == {s.value for s in JobStatus}
    assert set(get_args(ItemStatusName)) == {s.value for s in ItemStatus}
    assert set(get_args(JobTypeName)) == {t.value for t in JobType}
