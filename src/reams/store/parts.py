"""Page parts of a huge document: split an item, claim its parts, record them, merge.

See ``docs/slices.md``. The item stays ``processing`` while its parts run, leased to
:data:`PARTS_OWNER` with no expiry (nothing reclaims it: its parts carry the leases). Parts
are claimed like items (compare-and-set on their status and lease) and never move the job's
item counters; they move ``pages_total`` / ``pages_done``. The merge part, claimed once every
page part is completed, leases the item back to the claiming worker, whose ordinary outcome
(``settle``) then completes or fails it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from reams.domain import ids
from reams.domain.records import Item, PagePart
from reams.domain.states import ItemStatus, PartKind, PartStatus
from reams.store import tables as t
from reams.store.base import to_record
from reams.store.db import utcnow
from reams.store.moves import TransitionStore

PARTS_OWNER = "parts"  # the lease owner of an item whose page parts are running
PART_PREFIX = "prt"


class PartStore(TransitionStore):
    """Splitting items into page parts and everything that happens to the parts."""

    # -- splitting ---------------------------------------------------------------------------
    def split_item(self, item: Item, *, owner: str, pages: int, part_pages: int) -> bool:
        """Hand an in-flight item's ``pages`` to page parts of ``part_pages`` pages each, and
        a merge; False (nothing written) if the item's lease was lost. Parts left from an
        earlier split of the item are replaced (their pages leave the job's counters)."""
        now = utcnow()
        c = t.items.c
        with self.tx() as conn:
            moved = conn.execute(
                update(t.items)
                .where(c.id == item.id, c.lease_owner == owner)
                .where(c.status == ItemStatus.PROCESSING.value)
                .values(lease_owner=PARTS_OWNER, lease_expires_at=None, updated_at=now)
            ).rowcount
            if not moved:
                return False
            self._drop_parts(conn, item.job_id, [item.id])
            rows = _part_rows(item, pages=pages, part_pages=part_pages, now=now)
            conn.execute(insert(t.item_parts), rows)
            self._pages(conn, item.job_id, total=pages, now=now)
        return True

    def _drop_parts(self, conn: Connection, job_id: str, item_row_ids: Sequence[str]) -> None:
        """Delete the parts of these items; their pages leave the job's counters."""
        p = t.item_parts.c
        where = [p.item_row_id.in_(list(item_row_ids)), p.kind == PartKind.PAGES.value]
        pages = p.last_page - p.first_page + 1
        done = func.sum(pages).filter(p.status == PartStatus.COMPLETED.value)
        total, finished = conn.execute(select(func.sum(pages), done).where(*where)).one()
        if total:
            self._pages(conn, job_id, total=-int(total), done=-int(finished or 0), now=utcnow())
        conn.execute(delete(t.item_parts).where(p.item_row_id.in_(list(item_row_ids))))

    def _pages(
        self, conn: Connection, job_id: str, *, total: int = 0, done: int = 0, now: datetime
    ) -> None:
        jc = t.jobs.c
        conn.execute(
            update(t.jobs)
            .where(jc.id == job_id)
            .values(
                pages_total=jc.pages_total + total, pages_done=jc.pages_done + done, updated_at=now
            )
        )

    # -- claiming (called by ClaimStore.claim inside its transaction) ------------------------
    def _claim_part(
        self, conn: Connection, job_ids: Sequence[str], *, owner: str, now: datetime, lease_s: float
    ) -> Item | None:
        """Take one due part of these jobs (a ready merge first, then pages in order)."""
        row = conn.execute(
            _due_part_query(self.dialect), {"jobs": list(job_ids), "now": now}
        ).first()
        if row is None:
            return None
        p = t.item_parts.c
        expires = now + timedelta(seconds=lease_s)
        lease = {"lease_owner": owner, "lease_expires_at": expires, "updated_at": now}
        merge = row.kind == PartKind.MERGE.value
        conn.execute(
            update(t.item_parts)
            .where(p.id == row.id, p.status == PartStatus.PENDING.value)
            .values(
                # A merge's lease is the item's from now on: its part row is done with.
                status=(PartStatus.COMPLETED if merge else PartStatus.PROCESSING).value,
                attempts=p.attempts + 1,
                **(lease if not merge else {"updated_at": now}),
            )
        )
        if merge:
            c = t.items.c
            conn.execute(
                update(t.items)
                .where(c.id == row.item_row_id, c.lease_owner == PARTS_OWNER)
                .values(**lease)
            )
        item_row = conn.execute(select(t.items).where(t.items.c.id == row.item_row_id)).one()
        part = PagePart(
            id=row.id,
            item_row_id=row.item_row_id,
            kind=PartKind(row.kind),
            part_no=row.part_no,
            first_page=row.first_page,
            last_page=row.last_page,
            attempts=row.attempts + 1,
        )
        extra: dict[str, Any] = {"part": part}
        if not merge:
            extra |= {"id": row.id, "attempts": part.attempts}
        return to_record(Item, item_row, **extra)

    # -- outcomes ----------------------------------------------------------------------------
    def finish_part(self, item: Item, *, owner: str, output_sha256: str) -> bool:
        """Record a page part's output; the last one makes the merge due. False if the part's
        lease was lost (or its item ended meanwhile: the part is gone)."""
        part = _part_of(item)
        now = utcnow()
        p = t.item_parts.c
        with self.tx() as conn:
            if not self._move_part(
                conn, part, owner=owner, to=PartStatus.COMPLETED,
                values={"output_sha256": output_sha256, "lease_owner": None,
                        "lease_expires_at": None, "error_code": None, "error_message": None},
            ):  # fmt: skip
                return False
            self._pages(conn, item.job_id, done=part.pages, now=now)
            open_pages = select(p.id).where(
                p.item_row_id == part.item_row_id,
                p.kind == PartKind.PAGES.value,
                p.status != PartStatus.COMPLETED.value,
            )
            if conn.execute(open_pages.limit(1)).first() is None:
                conn.execute(
                    update(t.item_parts)
                    .where(p.item_row_id == part.item_row_id, p.kind == PartKind.MERGE.value)
                    .where(p.status == PartStatus.WAITING.value)
                    .values(status=PartStatus.PENDING.value, updated_at=now)
                )
        return True

    def retry_part(
        self, item: Item, *, owner: str, code: str, message: str, delay_s: float
    ) -> bool:
        """A page part failed retryably: due again after ``delay_s``."""
        values = {
            "not_before": utcnow() + timedelta(seconds=delay_s),
            "error_code": code,
            "error_message": message,
        }
        return self._give_back(item, owner=owner, values=values)

    def release_part(self, item: Item, *, owner: str) -> bool:
        """Give a claimed page part back without counting its attempt (never begun)."""
        return self._give_back(item, owner=owner, values={"attempts": t.item_parts.c.attempts - 1})

    def _give_back(self, item: Item, *, owner: str, values: dict[str, Any]) -> bool:
        part = _part_of(item)
        unleased = {"lease_owner": None, "lease_expires_at": None}
        with self.tx() as conn:
            return self._move_part(
                conn, part, owner=owner, to=PartStatus.PENDING, values=unleased | values
            )

    def fail_parts(self, item: Item, *, owner: str, code: str, message: str) -> bool:
        """A page part failed for good: its item fails (its other parts are dropped), and a
        job whose last item this was completes, in one transaction."""
        part = _part_of(item)
        with self.tx() as conn:
            p = t.item_parts.c
            mine = conn.execute(
                select(p.id).where(p.id == part.id, p.lease_owner == owner)
                .where(p.status == PartStatus.PROCESSING.value)
            ).first()  # fmt: skip
            if mine is None:
                return False
            return self._fail_item(conn, item.job_id, part.item_row_id, code, message)

    def _fail_item(
        self, conn: Connection, job_id: str, item_row_id: str, code: str, message: str
    ) -> bool:
        """Fail an item waiting on its parts and drop them; the job completes with its last
        item."""
        now = utcnow()
        self._drop_parts(conn, job_id, [item_row_id])
        failed = self._move(
            conn,
            job_id=job_id,
            frm=ItemStatus.PROCESSING,
            to=ItemStatus.FAILED,
            where=[t.items.c.id == item_row_id, t.items.c.lease_owner == PARTS_OWNER],
            values={"error_code": code, "error_message": message, "completed_at": now},
            now=now,
        )
        if failed:
            self._finalize(conn, job_id, now)
        return bool(failed)

    def _move_part(
        self,
        conn: Connection,
        part: PagePart,
        *,
        owner: str,
        to: PartStatus,
        values: dict[str, Any],
    ) -> bool:
        p = t.item_parts.c
        return bool(
            conn.execute(
                update(t.item_parts)
                .where(p.id == part.id, p.lease_owner == owner)
                .where(p.status == PartStatus.PROCESSING.value)
                .values(status=to.value, updated_at=utcnow(), **values)
            ).rowcount
        )

    def part_outputs(self, item_row_id: str) -> list[str]:
        """The blobs of an item's page parts, in page order (all completed: its merge runs)."""
        p = t.item_parts.c
        with self.read() as conn:
            rows = conn.execute(
                select(p.output_sha256, p.status)
                .where(p.item_row_id == item_row_id, p.kind == PartKind.PAGES.value)
                .order_by(p.part_no)
            ).all()
        return [r.output_sha256 for r in rows if r.status == PartStatus.COMPLETED.value]

    # -- cancel and recovery -----------------------------------------------------------------
    def _unsplit_for_cancel(self, conn: Connection, job_id: str, now: datetime) -> None:
        """Items of an ending job that wait on parts go back to pending (so the caller's
        cancel of pending items takes them) and their parts are dropped."""
        c = t.items.c
        waiting = list(
            conn.execute(
                select(c.id).where(
                    c.job_id == job_id,
                    c.status == ItemStatus.PROCESSING.value,
                    c.lease_owner == PARTS_OWNER,
                )
            ).scalars()
        )
        if not waiting:
            return
        self._drop_parts(conn, job_id, waiting)
        self._move(
            conn,
            job_id=job_id,
            frm=ItemStatus.PROCESSING,
            to=ItemStatus.PENDING,
            where=[c.id.in_(waiting), c.lease_owner == PARTS_OWNER],
            now=now,
            values={"attempts": c.attempts - 1},
        )

    def reclaim_parts(
        self,
        *,
        max_losses: int,
        expired_before: datetime | None,
        instance: str | None = None,
        owner: str | None = None,
    ) -> int:
        """Page parts whose lease expired (or, with ``instance``, that a dead earlier run of
        that engine instance held) back to pending, counted as losses; a part lost
        ``max_losses`` times fails its item (``worker_lost``), as an item would."""
        p = t.item_parts.c
        where: list[Any] = [p.status == PartStatus.PROCESSING.value]
        if expired_before is not None:
            where.append(p.lease_expires_at < expired_before)
        if instance is not None:
            where += [
                p.lease_owner.startswith(f"{instance}:", autoescape=True),
                p.lease_owner != owner,
            ]
        with self.tx() as conn:
            moved = int(
                conn.execute(
                    update(t.item_parts)
                    .where(*where)
                    .values(
                        status=PartStatus.PENDING.value,
                        lease_owner=None,
                        lease_expires_at=None,
                        losses=p.losses + 1,
                        attempts=p.attempts - 1,
                        updated_at=utcnow(),
                    )
                ).rowcount
            )
            if moved:
                self._fail_lost_parts(conn, max_losses)
        return moved

    def _fail_lost_parts(self, conn: Connection, max_losses: int) -> None:
        p = t.item_parts.c
        lost = conn.execute(
            select(p.item_row_id, p.job_id, p.first_page, p.last_page)
            .where(p.status == PartStatus.PENDING.value, p.losses >= max_losses)
        ).all()  # fmt: skip
        for row in lost:
            message = (
                f"Pages {row.first_page + 1}-{row.last_page + 1}: the process running them "
                "stopped (killed or crashed) every time they were claimed."
            )
            self._fail_item(conn, row.job_id, row.item_row_id, "worker_lost", message)

    def renew_part_leases(
        self, conn: Connection, *, owner: str, ids_: list[str], until: datetime
    ) -> int:
        p = t.item_parts.c
        return int(
            conn.execute(
                update(t.item_parts)
                .where(p.id.in_(ids_), p.lease_owner == owner)
                .where(p.status == PartStatus.PROCESSING.value)
                .values(lease_expires_at=until)
            ).rowcount
        )


def _part_of(item: Item) -> PagePart:
    if item.part is None:
        raise ValueError(f"{item.id} is not a page part")
    return item.part


def _part_rows(item: Item, *, pages: int, part_pages: int, now: datetime) -> list[dict[str, Any]]:
    size = max(1, part_pages)
    starts = list(range(0, pages, size))
    rows = [
        _part_row(
            item, PartKind.PAGES, n, first, min(first + size, pages) - 1, PartStatus.PENDING, now
        )
        for n, first in enumerate(starts)
    ]
    rows.append(_part_row(item, PartKind.MERGE, len(starts), 0, pages - 1, PartStatus.WAITING, now))
    return rows


def _part_row(
    item: Item, kind: PartKind, n: int, first: int, last: int, status: PartStatus, now: datetime
) -> dict[str, Any]:
    return {
        "id": ids.new_id(PART_PREFIX),
        "item_row_id": item.id,
        "job_id": item.job_id,
        "kind": kind.value,
        "part_no": n,
        "first_page": first,
        "last_page": last,
        "status": status.value,
        "created_at": now,
        "updated_at": now,
    }


def _due_part_query(dialect: str) -> Any:
    p, c = t.item_parts.c, t.items.c
    due: Any = bindparam("now")
    query = (
        select(p.id, p.item_row_id, p.kind, p.part_no, p.first_page, p.last_page, p.attempts)
        .join(t.items, c.id == p.item_row_id)
        .where(p.job_id.in_(bindparam("jobs", expanding=True)))
        .where(p.status == PartStatus.PENDING.value)
        .where(c.status == ItemStatus.PROCESSING.value, c.lease_owner == PARTS_OWNER)
        .where(p.not_before.is_(None) | (p.not_before <= due))
        # "merge" sorts before "pages": finish a document before starting more of another.
        .order_by(p.kind, c.seq, p.part_no)
        .limit(1)
    )
    if dialect == "postgresql":
        query = query.with_for_update(skip_locked=True, of=t.item_parts)
    return query
