"""How often ``reams run`` reads its job row: often only when the job may end soon."""

from __future__ import annotations

import time

from reams.cli.run import POLL_FAR_S, POLL_S, Pace


def test_the_job_row_is_read_often_only_near_the_end() -> None:
    pace = Pace(started=time.monotonic() - 10.0)
    assert pace.next_poll_s(0, 1000) == POLL_S  # no pace known yet
    assert pace.next_poll_s(100, 1000) == POLL_FAR_S  # 10 items/s, 900 left: 90 s to go
    assert pace.next_poll_s(995, 1000) == POLL_S  # 5 left: under a second
    assert pace.next_poll_s(1000, 1000) == POLL_S


def test_items_done_before_the_first_read_do_not_count_as_pace() -> None:
    pace = Pace(started=time.monotonic() - 1.0)
    assert pace.next_poll_s(900, 1000) == POLL_S  # skipped at planning, say
    assert pace.next_poll_s(901, 1000) == POLL_FAR_S  # 1 item/s, 99 left
