"""Recording an in-flight item's outcome: completed, failed, retried, skipped, released."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    insert,
)

from reams.domain.records import Item
from reams.domain.states import (
    ItemStatus,
)
from reams.store import tables as t
from reams.store.db import utcnow
from reams.store.moves import Completion, TransitionStore


class OutcomeStore(TransitionStore):
    """Outcomes of items leased to an owner; a lost lease makes them no-ops (False). Every
    move out of ``processing`` clears the lease (``moves._unleased``)."""

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
        now = utcnow()
        values = {
            "result_id": completion.result_id,
            "completed_at": now,
            "error_code": None,
            "error_message": None,
        }
        with self.tx() as conn:
            if not self._move_mine(
                conn,
                item,
                owner=owner,
                frm=ItemStatus.PROCESSING,
                to=ItemStatus.COMPLETED,
                values=values,
            ):
                return False
            conn.execute(
                self.statement("result", lambda: insert(t.results)),
                _result_row(item, completion, now),
            )
            self._finalize(conn, item.job_id, now)
        return True

    def fail(self, item: Item, *, owner: str, code: str, message: str) -> bool:
        values = {
            "error_code": code,
            "error_message": message,
            "completed_at": utcnow(),
        }
        return self._settle(item, owner=owner, to=ItemStatus.FAILED, values=values)

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
