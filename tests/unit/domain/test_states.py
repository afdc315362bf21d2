"""The transition tables are the documentation: check they say what DESIGN.md §1 says."""

from __future__ import annotations

import pytest

from reams.domain.states import (
    ITEM_TRANSITIONS,
    JOB_TRANSITIONS,
    RETRY_REOPENS,
    TERMINAL_ITEM,
    TERMINAL_JOB,
    ItemStatus,
    JobStatus,
    item_sources,
    job_sources,
    progress_percentage,
)


def test_terminal_item_states_are_left_only_by_a_retry_of_failed_items() -> None:
    for to, sources in ITEM_TRANSITIONS.items():
        for frm in sources & TERMINAL_ITEM:
            assert (frm, to) in RETRY_REOPENS, f"{to} may be entered from terminal {frm}"
    assert item_sources(ItemStatus.PENDING) & TERMINAL_ITEM == {ItemStatus.FAILED}


def test_every_reopening_is_in_the_tables() -> None:
    for frm, to in RETRY_REOPENS:
        table: dict = ITEM_TRANSITIONS if isinstance(to, ItemStatus) else JOB_TRANSITIONS
        assert frm in table[to]


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
        (ItemStatus.FAILED, ItemStatus.PENDING, True),  # a user's retry of failed items
        (ItemStatus.CANCELLED, ItemStatus.PENDING, False),
        (ItemStatus.SKIPPED, ItemStatus.PENDING, False),
        (ItemStatus.FAILED, ItemStatus.PROCESSING, False),  # only via pending
    ],
)
def test_item_transitions(frm: ItemStatus, to: ItemStatus, allowed: bool) -> None:
    assert (frm in item_sources(to)) is allowed


def test_terminal_jobs_stay_terminal_except_a_retried_completed_job() -> None:
    for to in JobStatus:
        if to is JobStatus.PENDING:
            continue
        sources = job_sources(to)
        assert JobStatus.CANCELLED not in sources
        assert JobStatus.FAILED not in sources
        assert (JobStatus.COMPLETED in sources) is (to is JobStatus.RUNNING)
    for frm in TERMINAL_JOB:
        for to in JobStatus:
            if to is not JobStatus.PENDING and frm in job_sources(to):
                assert (frm, to) in RETRY_REOPENS


def test_a_claim_never_restarts_an_ended_job() -> None:
    from reams.store.claims import _STARTABLE

    assert set(_STARTABLE) == {"pending", "dispatched"}


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
