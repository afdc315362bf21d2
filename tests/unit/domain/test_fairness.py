"""The fair order (pure): projects by decayed recent service, jobs by priority then age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from reams.domain.errors import InvalidField
from reams.domain.fairness import HALF_LIFE_S, Candidate, Share, check_priority, fair_order

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _job(job_id: str, project: str, *, priority: int = 0, age_s: float = 0) -> Candidate:
    return Candidate(job_id, project, priority, T0 - timedelta(seconds=age_s))


def test_service_halves_every_half_life() -> None:
    share = Share(80.0, T0)
    assert share.at(T0) == 80.0
    assert share.at(T0 + timedelta(seconds=HALF_LIFE_S)) == pytest.approx(40.0)
    assert share.after(10, T0 + timedelta(seconds=2 * HALF_LIFE_S)).served == pytest.approx(30.0)
    assert Share().at(T0) == 0.0


def test_least_recently_served_project_goes_first_whatever_its_priorities() -> None:
    jobs = [_job("big", "a", priority=100, age_s=60), _job("small", "b", priority=-100)]
    shares = {"a": Share(500.0, T0)}
    assert [j.job_id for j in fair_order(jobs, shares, T0)] == ["small", "big"]
    # Long idle, the busy project's service has decayed below the other's.
    later = T0 + timedelta(seconds=10 * HALF_LIFE_S)
    shares = {"a": Share(500.0, T0), "b": Share(5.0, later)}
    assert [j.job_id for j in fair_order(jobs, shares, later)] == ["big", "small"]


def test_ties_go_to_the_oldest_job_and_jobs_go_by_priority_then_age() -> None:
    jobs = [
        _job("new-low", "p"),
        _job("old-low", "p", age_s=10),
        _job("new-high", "p", priority=3),
        _job("other", "q", age_s=5),
    ]
    order = [j.job_id for j in fair_order(jobs, {}, T0)]
    assert order == ["new-high", "old-low", "new-low", "other"]


@pytest.mark.parametrize("bad", ["1", 1.5, True, None, 101, -101])
def test_priority_is_a_bounded_integer(bad: object) -> None:
    with pytest.raises(InvalidField, match="priority"):
        check_priority(bad)
    assert check_priority(-100) == -100 and check_priority(100) == 100
