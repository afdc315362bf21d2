"""The store's page parts (docs/slices.md), the same on SQLite and PostgreSQL: split, claim,
finish, merge, fail, cancel, lease recovery; the item counters never move for parts."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select
from test_store_contract import _assert_counts_add_up, _job_with_files, _outcome

from reams.domain.records import Item
from reams.domain.states import PartKind
from reams.store import tables as t
from reams.store.parts import PARTS_OWNER
from reams.store.transitions import Settlement, Store


def _split_one(store: Store, *, pages: int = 10, size: int = 4) -> tuple[Any, Item]:
    job = _job_with_files(store, 2)
    store.mark_dispatched(job.id)
    item = store.claim(owner="w1", lease_s=30)[0]
    assert store.split_item(item, owner="w1", pages=pages, part_pages=size)
    return job, item


def _parts(store: Store, item_row_id: str) -> list[Any]:
    p = t.item_parts.c
    with store.read() as conn:
        query = select(t.item_parts).where(p.item_row_id == item_row_id).order_by(p.part_no)
        return list(conn.execute(query).all())


def _finish(store: Store, part: Item, owner: str) -> None:
    assert store.finish_part(part, owner=owner, output_sha256=f"{part.part.part_no:064x}")  # type: ignore[union-attr]


def test_split_parts_run_in_order_then_merge_completes_the_item(store: Store) -> None:
    job, item = _split_one(store)
    rows = _parts(store, item.id)
    assert [(r.kind, r.first_page, r.last_page, r.status) for r in rows] == [
        ("pages", 0, 3, "pending"),
        ("pages", 4, 7, "pending"),
        ("pages", 8, 9, "pending"),
        ("merge", 0, 9, "waiting"),
    ]
    state = store.get_job(job.id, project_id=None)
    assert (state.pages_total, state.pages_done) == (10, 0)
    assert state.counts.processing == 1 and state.counts.pending == 1
    assert store.get_item(item.id).status == "processing"
    # Parts first, one at a time, over the job's other pending item.
    first = store.claim(owner="w1", lease_s=30, limit=8)
    second = store.claim(owner="w2", lease_s=30, limit=8)
    assert [c.part.first_page for c in first + second] == [0, 4]  # type: ignore[union-attr]
    assert first[0].row_id == item.id and first[0].id != item.id
    _finish(store, second[0], "w2")
    assert not store.finish_part(first[0], owner="w2", output_sha256="x" * 64)  # not its lease
    _finish(store, first[0], "w1")
    last = store.claim(owner="w2", lease_s=30)[0]
    assert last.part is not None and last.part.first_page == 8
    nothing_yet = [c for c in store.claim(owner="w3", lease_s=30) if c.part is not None]
    assert nothing_yet == []  # the merge waits for the last page part
    _finish(store, last, "w2")
    assert store.get_job(job.id, project_id=None).pages_done == 10
    merge = store.claim(owner="w3", lease_s=30)[0]
    assert merge.part is not None and merge.part.kind is PartKind.MERGE
    assert merge.id == item.id  # the item itself, leased to the merging worker
    assert store.part_outputs(item.id) == [f"{n:064x}" for n in range(3)]
    assert store.settle([Settlement(merge, completion=_outcome(job))], owner="w3") == [True]
    done = _assert_counts_add_up(store, job.id)
    assert done.counts.completed == 1 and done.counts.processing == 1  # the other item
    assert store.get_item(item.id).status == "completed"


def test_a_part_failing_for_good_fails_the_item_and_drops_its_parts(store: Store) -> None:
    job, item = _split_one(store)
    part = store.claim(owner="w1", lease_s=30)[0]
    other = store.claim(owner="w2", lease_s=30)[0]
    assert store.fail_parts(part, owner="w1", code="timeout", message="Pages 1-4: too slow")
    failed = store.get_item(item.id)
    assert failed.status == "failed" and failed.error_code == "timeout"
    assert _parts(store, item.id) == []
    assert not store.finish_part(other, owner="w2", output_sha256="y" * 64)  # discarded
    state = _assert_counts_add_up(store, job.id)
    assert (state.pages_total, state.pages_done) == (0, 0)


def test_retry_and_release_give_a_part_back(store: Store) -> None:
    _, item = _split_one(store)
    part = store.claim(owner="w1", lease_s=30)[0]
    assert store.retry_part(part, owner="w1", code="worker_crashed", message="m", delay_s=60)
    again = store.claim(owner="w1", lease_s=30)[0]
    assert again.part is not None and again.part.first_page == 4  # the first is not due yet
    assert store.release_part(again, owner="w1")
    rows = _parts(store, item.id)
    assert (rows[0].status, rows[0].attempts, rows[0].error_code) == (
        "pending",
        1,
        "worker_crashed",
    )
    assert (rows[1].status, rows[1].attempts) == ("pending", 0)


def test_cancel_cancels_an_item_waiting_on_parts(store: Store) -> None:
    job, item = _split_one(store)
    part = store.claim(owner="w1", lease_s=30)[0]
    cancelled = store.cancel_job(job.id, reason="test")
    assert cancelled.status == "cancelled"
    assert store.get_item(item.id).status == "cancelled"
    assert _parts(store, item.id) == []
    assert not store.finish_part(part, owner="w1", output_sha256="z" * 64)
    state = _assert_counts_add_up(store, job.id)
    assert state.counts.cancelled == 2 and state.counts.processing == 0


def test_expired_and_orphaned_part_leases_come_back(store: Store) -> None:
    _, item = _split_one(store)
    short = store.claim(owner="inst:old", lease_s=0.01)[0]
    orphan = store.claim(owner="inst:old", lease_s=30)[0]
    time.sleep(0.05)
    assert store.renew_leases(owner="inst:old", item_row_ids=[orphan.id], lease_s=30) == 1
    assert store.reclaim_expired(max_losses=10) == 1
    assert store.reclaim_orphans(instance="inst", owner="inst:new", max_losses=10) == 1
    rows = {r.id: r for r in _parts(store, item.id)}
    for claimed in (short, orphan):
        row = rows[claimed.id]
        assert (row.status, row.losses, row.attempts, row.lease_owner) == ("pending", 1, 0, None)
    # The item itself is never reclaimed while its parts run.
    assert store.get_item(item.id).status == "processing"
    with store.read() as conn:
        owner = conn.execute(select(t.items.c.lease_owner).where(t.items.c.id == item.id)).scalar()
    assert owner == PARTS_OWNER


def test_splitting_again_replaces_the_parts_and_their_pages(store: Store) -> None:
    job, item = _split_one(store)
    part = store.claim(owner="w1", lease_s=30)[0]
    _finish(store, part, "w1")
    merge_owner = "w1"
    # The item comes back (say its merge was lost) and is split again by another worker.
    with store.tx() as conn:
        conn.execute(
            t.items.update().where(t.items.c.id == item.id).values(lease_owner=merge_owner)
        )
    assert store.split_item(item, owner=merge_owner, pages=6, part_pages=6)
    state = store.get_job(job.id, project_id=None)
    assert (state.pages_total, state.pages_done) == (6, 0)
    assert [(r.kind, r.status) for r in _parts(store, item.id)] == [
        ("pages", "pending"),
        ("merge", "waiting"),
    ]
    assert not store.split_item(item, owner="someone-else", pages=6, part_pages=6)


def test_a_part_lost_too_often_fails_its_item_worker_lost(store: Store) -> None:
    job, item = _split_one(store)
    for _ in range(2):
        store.claim(owner="inst:old", lease_s=30)
        assert store.reclaim_orphans(instance="inst", owner="inst:new", max_losses=2) == 1
    failed = store.get_item(item.id)
    assert (failed.status, failed.error_code) == ("failed", "worker_lost")
    assert failed.error_message.startswith("Pages 1-4: ")
    assert _parts(store, item.id) == []
    _assert_counts_add_up(store, job.id)


def test_parts_take_their_turn_among_projects(store: Store) -> None:
    """Parts go before their own job's new items, but another project whose turn it is
    (less recently served) gets its item first."""
    _, item = _split_one(store)  # project A: served once (the claim of the item it split)
    other = _job_with_files(store, 3)  # project B: never served
    store.mark_dispatched(other.id)
    first = store.claim(owner="w", lease_s=30)[0]
    assert first.job_id == other.id and first.part is None
    taken = [store.claim(owner="w", lease_s=30)[0] for _ in range(4)]
    assert any(c.part is not None and c.row_id == item.id for c in taken)
    assert any(c.job_id == other.id for c in taken)
