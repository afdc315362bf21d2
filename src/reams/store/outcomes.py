"""Recording an in-flight item's outcome: completed, failed, retried, skipped, released."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import (
    bindparam,
    insert,
    select,
)

from reams.domain.records import Item
from reams.domain.states import (
    ItemStatus,
)
from reams.store import tables as t
from reams.store.db import utcnow
from reams.store.moves import (
    Completion,
    Settlement,
    TransitionStore,
    mine_statement,
    unleased,
)


class OutcomeStore(TransitionStore):
    """Outcomes of items leased to an owner; a lost lease makes them no-ops (False). Every
    move out of ``processing`` clears the lease (``moves.unleased``)."""

    # -- outcomes ----------------------------------------------------------------------------
    def _settle(self, item: Item, *, owner: str, to: ItemStatus, values: dict[str, Any]) -> bool:
        """Move one in-flight item leased to ``owner`` on, in its own transaction."""
        with self.tx() as conn:
            if not self._move_mine(
                conn, item, owner=owner, frm=ItemStatus.PROCESSING, to=to, values=values
            ):
                return False
            # The last item's outcome completes its job in the same transaction.
            self._finalize(conn, item.job_id, utcnow())
        return True

    def complete(self, item: Item, *, owner: str, completion: Completion) -> bool:
        """Record a result and complete the item, atomically; False if the lease was lost."""
        return self.settle([Settlement(item, completion=completion)], owner=owner)[0]

    def fail(self, item: Item, *, owner: str, code: str, message: str) -> bool:
        return self.settle([Settlement(item, error=(code, message))], owner=owner)[0]

    def settle(self, outcomes: Sequence[Settlement], *, owner: str) -> list[bool]:
        """Record the terminal outcomes of several items leased to ``owner`` in one transaction.

        Per item it is the same compare-and-set as one at a time (an item whose lease was lost
        is left alone: False at its place in the answer); the counters move once per job, the
        result rows go in one multi-row insert, and a job whose last item this was completes
        in the same transaction. Fast items cost one transaction per batch instead of four
        statements and a commit each.
        """
        if not outcomes:
            return []
        now = utcnow()
        with self.tx() as conn:
            mine = self._still_mine(conn, [o.item.id for o in outcomes], owner)
            won = [o for o in outcomes if o.item.id in mine]
            for to, group in _by_target(won).items():
                rows = [_settle_values(o) for o in group]
                keys = tuple(sorted(rows[0]))  # one shape per target status
                stmt = self.statement(("settle", to), partial(mine_statement, _FROM, to, keys))
                params = [
                    {"m_id": o.item.id, "m_owner": owner, "m_now": now}
                    | {f"v_{k}": v for k, v in row.items()}
                    for o, row in zip(group, rows, strict=True)
                ]
                conn.execute(stmt, params)
                for job_id, n in Counter(o.item.job_id for o in group).items():
                    self._count(conn, job_id=job_id, frm=_FROM, to=to, n=n, now=now)
            rows = [_result_row(o.item, o.completion, o.at) for o in won if o.completion]
            if rows:
                conn.execute(self.statement("result", lambda: insert(t.results)), rows)
            for job_id in dict.fromkeys(o.item.job_id for o in won):
                # The last item's outcome completes its job in the same transaction.
                self._finalize(conn, job_id, now)
        return [o.item.id in mine for o in outcomes]

    def _still_mine(self, conn: Any, item_ids: list[str], owner: str) -> set[str]:
        """Which of these items are in flight under ``owner``'s lease, locked until commit
        (SQLite: the write lock taken at BEGIN; PostgreSQL: the rows, FOR UPDATE)."""
        stmt = self.statement(("still_mine", self.dialect), partial(_mine_query, self.dialect))
        return set(conn.execute(stmt, {"ids": item_ids, "owner": owner}).scalars())

    def retry_later(
        self, item: Item, *, owner: str, code: str, message: str, delay_s: float
    ) -> bool:
        values = {
            "error_code": code,
            "error_message": message,
            "not_before": utcnow() + timedelta(seconds=delay_s),
        }
        with self.tx() as conn:
            if not self._move_mine(
                conn, item, owner=owner, frm=ItemStatus.PROCESSING, to=ItemStatus.PENDING,
                values=values,
            ):  # fmt: skip
                return False
            self._cancel_if_job_ended(conn, item.job_id, item_id=item.id)
        return True

    def skip(self, item: Item, *, owner: str, reason: str, result_id: str | None) -> bool:
        values = {
            "skip_reason": reason,
            "result_id": result_id,
            "completed_at": utcnow(),
            "error_code": None,  # a retry's or lost claim's note: it did not fail
            "error_message": None,
        }
        return self._settle(item, owner=owner, to=ItemStatus.SKIPPED, values=values)

    def release(self, item: Item, *, owner: str) -> bool:
        """Give an unfinished item back (engine shutting down); the attempt does not count."""
        now = utcnow()
        with self.tx() as conn:
            moved = self._move(
                conn,
                job_id=item.job_id,
                frm=ItemStatus.PROCESSING,
                to=ItemStatus.PENDING,
                where=[t.items.c.id == item.id, t.items.c.lease_owner == owner],
                now=now,
                values={"attempts": t.items.c.attempts - 1},
            )
            if moved:
                self._cancel_if_job_ended(conn, item.job_id, item_id=item.id)
        return bool(moved)


def _result_row(item: Item, completion: Completion, now: datetime) -> dict[str, Any]:
    return {
        "id": completion.result_id,
        "project_id": item.project_id,
        "job_id": item.job_id,
        "item_row_id": item.id,
        "item_id": item.item_id,
        "file_name": item.item_name,
        "job_type": completion.job_type,
        "job_config": completion.job_config,
        "parameters_hash": completion.parameters_hash,
        "sha256": item.sha256,
        "output_sha256": completion.output_sha256,
        "output_metadata": completion.output_metadata,
        "cacheable": completion.cacheable,
        "duration_s": completion.duration_s,
        "processed_at": now,
    }


_FROM = ItemStatus.PROCESSING


def _by_target(outcomes: Sequence[Settlement]) -> dict[ItemStatus, list[Settlement]]:
    groups: dict[ItemStatus, list[Settlement]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.to, []).append(outcome)
    return groups


def _settle_values(outcome: Settlement) -> dict[str, Any]:
    """The columns a terminal outcome sets (beside status and time), its lease cleared."""
    code, message = outcome.error if outcome.error is not None else (None, None)
    values: dict[str, Any] = {
        "completed_at": outcome.at,
        "error_code": code,
        "error_message": message,
    }
    if outcome.completion is not None:
        values["result_id"] = outcome.completion.result_id
    return unleased(outcome.to, values)


def _mine_query(dialect: str) -> Any:
    c = t.items.c
    query = (
        select(c.id)
        .where(c.id.in_(bindparam("ids", expanding=True)), c.lease_owner == bindparam("owner"))
        .where(c.status == _FROM.value)
    )
    return query.with_for_update() if dialect == "postgresql" else query
