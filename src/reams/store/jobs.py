"""Batch jobs, their items and results: creation and reads (the API's side of the store)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import (
    String,
    and_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from reams.domain import ids
from reams.domain.errors import Conflict, InvalidField, NotFound
from reams.domain.jobconfig import JobSettings
from reams.domain.records import Item, Job, JobApi, JobOrigin, Result
from reams.domain.states import TERMINAL_JOB, ItemStatus, JobStatus
from reams.domain.webhooks import WebhookTarget
from reams.store import tables as t
from reams.store.base import to_record
from reams.store.db import utcnow
from reams.store.folders import FolderStore
from reams.store.job_rows import job_record
from reams.store.webhooks import add_webhooks, emit, forget_webhooks


class JobStore(FolderStore):
    """Creating jobs (everything pending, one transaction) and reading them back."""

    def create_job(
        self,
        *,
        project_id: str,
        settings: JobSettings,
        job_config: dict[str, Any],
        directory_id: str | None,
        item_ids: Sequence[str] | None,
        namespace: str | None = None,
        page_size: int | None = None,
        continue_as_new_threshold: int | None = None,
        origin: JobOrigin | None = None,
        webhooks: Sequence[WebhookTarget] = (),
        priority: int = 0,
    ) -> Job:
        """Write the job and all its items (pending) in one transaction, with its webhook
        endpoints and the deliveries of its ``*.pending`` event.

        Items are copied by one ``INSERT ... SELECT`` from the directory files, so a job of
        100,000 files never passes through Python row by row.
        """
        sources = self._sources(project_id, directory_id, item_ids)
        now = utcnow()
        job_id = ids.new_id(ids.BATCH_JOB)
        job_row = {
            "id": job_id,
            "project_id": project_id,
            "job_type": settings.job_type.value,
            "status": JobStatus.PENDING.value,
            "directory_id": directory_id,
            "workflow_id": ids.workflow_id(job_id),
            "namespace": namespace,
            "page_size": page_size,
            "continue_as_new_threshold": continue_as_new_threshold,
            "priority": priority,
            "job_config": job_config,
            "settings": settings.to_json(),
            "origin": origin.to_json() if origin is not None else None,
            "api": origin.api.value if origin is not None else None,
            "parameters_hash": settings.parameters_hash,
            "total_items": 0,
            "n_pending": 0,
            "created_at": now,
            "updated_at": now,
        }
        with self.tx() as conn:
            conn.execute(insert(t.jobs).values(**job_row))
            conn.execute(_insert_items(sources, job_id, project_id, now))
            # Counted, not rowcount: drivers disagree on it for INSERT ... SELECT.
            n = conn.execute(select(func.count()).where(t.items.c.job_id == job_id)).scalar_one()
            conn.execute(
                update(t.jobs).where(t.jobs.c.id == job_id).values(total_items=n, n_pending=n)
            )
            add_webhooks(conn, job_id, webhooks)
            emit(conn, job_id, now)
        return self.get_job(job_id, project_id=project_id)

    def _sources(
        self, project_id: str, directory_id: str | None, item_ids: Sequence[str] | None
    ) -> Any:
        """The live directory files a job covers (checked to exist), as a query."""
        d = t.directory_files.c
        if directory_id is None and not item_ids:
            raise InvalidField("give directory_id or item_ids (neither was given)")
        where = [d.project_id == project_id, d.deleted_at.is_(None), d.file_id.is_not(None)]
        if directory_id is not None:
            self.get_directory(directory_id, project_id=project_id)
            where.append(d.directory_id == directory_id)
        if item_ids:
            wanted = list(dict.fromkeys(item_ids))
            where.append(d.id.in_(wanted))
            with self.read() as conn:
                found = set(conn.execute(select(d.id).where(*where)).scalars())
            missing = [i for i in wanted if i not in found]
            if missing:
                raise NotFound("directory file", ", ".join(missing[:5]))
        return where

    def get_job(self, job_id: str, *, project_id: str | None) -> Job:
        """One job; ``project_id=None`` for engine-side reads (any project)."""
        scoped = project_id is not None
        stmt = self.statement(("job", scoped), partial(_job_query, scoped))
        with self.read() as conn:
            row = conn.execute(stmt, {"j_id": job_id, "j_project": project_id}).first()
        if row is None:
            raise NotFound("batch job", job_id)
        return job_record(row)

    def job_status(self, job_id: str) -> JobStatus:
        """Only the job's status: one indexed read, cheap enough to ask before each item."""
        stmt = self.statement("job_status", _job_status_query)
        with self.read() as conn:
            status = conn.execute(stmt, {"j_id": job_id}).scalar()
        if status is None:
            raise NotFound("batch job", job_id)
        return JobStatus(status)

    def list_jobs(
        self,
        *,
        project_id: str,
        limit: int,
        offset: int,
        directory_id: str | None = None,
        job_type: str | Collection[str] | None = None,
        status: str | Collection[str] | None = None,
        api: JobApi | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        job_ids: Sequence[str] | None = None,
    ) -> tuple[list[Job], int]:
        """A page of the project's jobs, newest first, and how many match in all.

        ``api`` keeps the jobs created through one API (``V1_BATCH`` includes jobs written
        before the API was recorded); the created bounds are inclusive."""
        c = t.jobs.c
        where: list[Any] = [c.project_id == project_id]
        if directory_id is not None:
            where.append(c.directory_id == directory_id)
        if job_type is not None:
            where.append(c.job_type.in_(_values(job_type)))
        if status is not None:
            where.append(c.status.in_(_values(status)))
        if api is not None:
            where.append(_api_filter(api))
        if created_after is not None:
            where.append(c.created_at >= created_after)
        if created_before is not None:
            where.append(c.created_at <= created_before)
        if job_ids is not None:
            where.append(c.id.in_(list(job_ids)))
        query = select(t.jobs).where(*where).order_by(c.created_at.desc(), c.id)
        with self.read() as conn:
            total = int(conn.execute(select(func.count()).where(*where)).scalar_one())
            rows = conn.execute(query.offset(offset).limit(limit)).all()
        return [job_record(r) for r in rows], total

    def list_items(
        self,
        job_id: str,
        *,
        project_id: str | None,
        limit: int,
        offset: int,
        status: str | None = None,
    ) -> tuple[list[Item], int]:
        job = self.get_job(job_id, project_id=project_id)
        total = job.total_items if status is None else getattr(job.counts, status)
        c = t.items.c
        query = select(t.items).where(c.job_id == job_id)
        if status is not None:
            query = query.where(c.status == status)
        query = query.order_by(c.seq).offset(offset).limit(limit)
        with self.read() as conn:
            rows = conn.execute(query).all()
        return [to_record(Item, r) for r in rows], int(total)

    def get_item(self, item_row_id: str) -> Item:
        with self.read() as conn:
            row = conn.execute(select(t.items).where(t.items.c.id == item_row_id)).first()
        if row is None:
            raise NotFound("item", item_row_id)
        return to_record(Item, row)

    def item_name(self, item_id: str, *, project_id: str) -> str:
        """The display name of a directory file, whether or not it was ever in a job."""
        c = t.directory_files.c
        query = select(c.display_name).where(c.id == item_id, c.project_id == project_id)
        with self.read() as conn:
            name = conn.execute(query).scalar()
        if name is None:
            raise NotFound("item", item_id)
        return str(name)

    def results_for_item(
        self, item_id: str, *, project_id: str, job_type: str | None = None
    ) -> list[Result]:
        c = t.results.c
        query = select(t.results).where(c.item_id == item_id, c.project_id == project_id)
        if job_type is not None:
            query = query.where(c.job_type == job_type)
        with self.read() as conn:
            rows = conn.execute(query.order_by(c.processed_at)).all()
        return [to_record(Result, r) for r in rows]

    def get_result(self, result_id: str, *, project_id: str | None) -> Result:
        query = select(t.results).where(t.results.c.id == result_id)
        if project_id is not None:
            query = query.where(t.results.c.project_id == project_id)
        with self.read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound("job", result_id)
        return to_record(Result, row)

    def results_by_id(self, result_ids: Sequence[str]) -> dict[str, Result]:
        """Several results in one query (missing ids are simply absent)."""
        if not result_ids:
            return {}
        query = select(t.results).where(t.results.c.id.in_(list(result_ids)))
        with self.read() as conn:
            rows = conn.execute(query).all()
        return {row.id: to_record(Result, row) for row in rows}

    def items_after(
        self, job_id: str, *, after_seq: int, limit: int
    ) -> list[tuple[int, Item, str | None]]:
        """Up to ``limit`` items of a job with ``seq > after_seq``, in job order (keyset paging:
        every page costs the same at any depth), each with its ``seq`` and the directory file's
        ``unique_id`` (None when the entry is gone)."""
        c, d = t.items.c, t.directory_files.c
        query = (
            select(t.items, d.unique_id.label("df_unique_id"))
            .select_from(t.items.outerjoin(t.directory_files, d.id == c.item_id))
            .where(c.job_id == job_id, c.seq > after_seq)
            .order_by(c.seq)
            .limit(limit)
        )
        with self.read() as conn:
            rows = conn.execute(query).all()
        return [(int(r.seq), to_record(Item, r), r.df_unique_id) for r in rows]

    def item_file_id(self, item_id: str, *, project_id: str) -> str | None:
        """The file behind a directory-file item (None when it is gone)."""
        c = t.directory_files.c
        query = select(c.file_id).where(c.id == item_id, c.project_id == project_id)
        with self.read() as conn:
            value = conn.execute(query).scalar()
        return None if value is None else str(value)

    def job_results(
        self, job_id: str, *, project_id: str, offset: int, limit: int
    ) -> tuple[list[tuple[Result, str]], int]:
        """A page of a job's items that have a result, with each item's file id; and their count.

        Items skipped as ``already_processed`` are included: their result is the earlier one.
        """
        i, r = t.items.c, t.results.c
        scope = (i.job_id == job_id, i.project_id == project_id, i.result_id.is_not(None))
        query = (
            select(t.results, i.file_id.label("item_file_id"))
            .select_from(t.items)
            .join(t.results, r.id == i.result_id)
            .where(*scope)
            .order_by(i.seq)
            .offset(offset)
            .limit(limit)
        )
        with self.read() as conn:
            rows = conn.execute(query).all()
            total = conn.execute(select(func.count()).select_from(t.items).where(*scope)).scalar()
        return [(to_record(Result, row), str(row.item_file_id)) for row in rows], int(total or 0)

    def find_result(self, *, project_id: str, sha256: str, parameters_hash: str) -> Result | None:
        """The earliest cacheable result for this content and configuration, if any."""
        params = {"r_project": project_id, "r_sha": sha256, "r_hash": parameters_hash}
        with self.read() as conn:
            row = conn.execute(self.statement("dedup", _dedup_query), params).first()
        return None if row is None else to_record(Result, row)

    def find_results(
        self, *, project_id: str, sha256s: Sequence[str], parameters_hash: str
    ) -> dict[str, Result]:
        """``find_result`` for several contents in one query, by sha256 (absent: none)."""
        if not sha256s:
            return {}
        params = {"r_project": project_id, "r_shas": list(set(sha256s)), "r_hash": parameters_hash}
        with self.read() as conn:
            rows = conn.execute(self.statement("dedup_many", _dedup_many_query), params).all()
        found: dict[str, Result] = {}
        for row in rows:  # oldest first: the earliest result of each content wins
            found.setdefault(row.sha256, to_record(Result, row))
        return found

    def delete_job(self, job_id: str, *, project_id: str) -> tuple[Job, list[str]]:
        """Delete a finished job, its items and the results it produced, in one transaction.

        The job must be terminal with no item still processing (else Conflict). Deleting the
        results makes dedup forget them: a later job over the same content processes it again.
        A result that items of other jobs reused (skipped as already processed) stays for them,
        but no longer serves dedup; it goes with the last job that uses it. Returns the job as
        it was and the output blobs (sha256) no remaining result or file refers to, for the
        caller to remove.
        """
        i, r = t.items.c, t.results.c
        with self.tx() as conn:
            job = _deletable(conn, job_id, project_id)
            candidates = conn.execute(_results_left_behind(job_id)).all()
            ids = [x.id for x in candidates]
            reused = select(i.result_id).where(i.result_id.in_(ids), i.job_id != job_id)
            shared = set(conn.execute(reused).scalars())
            conn.execute(update(t.results).where(r.id.in_(shared)).values(cacheable=False))
            conn.execute(delete(t.results).where(r.id.in_([x for x in ids if x not in shared])))
            conn.execute(delete(t.items).where(i.job_id == job_id))
            forget_webhooks(conn, job_id)
            conn.execute(delete(t.jobs).where(t.jobs.c.id == job_id))
            orphans = _unreferenced(conn, sorted({x.output_sha256 for x in candidates}))
        return job, orphans


def _job_query(scoped: bool) -> Any:
    query = select(t.jobs).where(t.jobs.c.id == bindparam("j_id"))
    if scoped:
        query = query.where(t.jobs.c.project_id == bindparam("j_project"))
    return query


def _dedup_query() -> Any:
    c = t.results.c
    return (
        select(t.results)
        .where(c.project_id == bindparam("r_project"), c.sha256 == bindparam("r_sha"))
        .where(c.parameters_hash == bindparam("r_hash"), c.cacheable.is_(True))
        .order_by(c.processed_at)
        .limit(1)
    )


def _dedup_many_query() -> Any:
    c = t.results.c
    return (
        select(t.results)
        .where(c.project_id == bindparam("r_project"), c.parameters_hash == bindparam("r_hash"))
        .where(c.sha256.in_(bindparam("r_shas", expanding=True)), c.cacheable.is_(True))
        .order_by(c.processed_at)
    )


def _insert_items(where: list[Any], job_id: str, project_id: str, now: datetime) -> Any:
    d, f = t.directory_files.c, t.files.c
    seq = func.row_number().over(order_by=(d.seq, d.id)) - 1
    prefix = job_id.replace(ids.BATCH_JOB, ids.ITEM, 1) + "-"
    rows = (
        select(
            (literal(prefix) + cast(seq, String)).label("id"),
            literal(job_id).label("job_id"),
            seq.label("seq"),
            literal(project_id).label("project_id"),
            d.id.label("item_id"),
            d.display_name.label("item_name"),
            d.file_id,
            f.sha256,
            f.size,
            literal(ItemStatus.PENDING.value).label("status"),
            literal(0).label("attempts"),
            literal(now, type_=t.TS).label("created_at"),
            literal(now, type_=t.TS).label("updated_at"),
        )
        .join(t.files, f.id == d.file_id)
        .where(*where)
    )
    columns = [
        "id",
        "job_id",
        "seq",
        "project_id",
        "item_id",
        "item_name",
        "file_id",
        "sha256",
        "size",
        "status",
        "attempts",
        "created_at",
        "updated_at",
    ]
    return insert(t.items).from_select(columns, rows)


def _job_status_query() -> Any:
    return select(t.jobs.c.status).where(t.jobs.c.id == bindparam("j_id"))


def _values(value: str | Collection[str]) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _api_filter(api: JobApi) -> Any:
    c = t.jobs.c
    if api is JobApi.V1_BATCH:
        return or_(c.api == api.value, c.api.is_(None))
    return c.api == api.value


def _deletable(conn: Any, job_id: str, project_id: str) -> Job:
    """The job, when it may be deleted: terminal, and no item of it in flight."""
    j, i = t.jobs.c, t.items.c
    row = conn.execute(select(t.jobs).where(j.id == job_id, j.project_id == project_id)).first()
    if row is None:
        raise NotFound("job", job_id)
    job = job_record(row)
    in_flight = select(func.count()).where(
        i.job_id == job_id, i.status == ItemStatus.PROCESSING.value
    )
    busy = conn.execute(in_flight).scalar_one()
    if job.status not in TERMINAL_JOB or busy:
        state = "still being processed" if busy else str(job.status)
        raise Conflict(f"job {job_id!r} is {state}: cancel it and let it stop first")
    return job


def _results_left_behind(job_id: str) -> Any:
    """The results the job produced, and those its items reused from jobs already deleted."""
    r, i = t.results.c, t.items.c
    borrowed = select(i.result_id).where(i.job_id == job_id, i.result_id.is_not(None))
    owner_gone = ~select(t.jobs.c.id).where(t.jobs.c.id == r.job_id).exists()
    return select(r.id, r.output_sha256).where(
        or_(r.job_id == job_id, and_(r.id.in_(borrowed), owner_gone))
    )


def _unreferenced(conn: Any, shas: list[str]) -> list[str]:
    """The blobs of ``shas`` that no result and no file refers to."""
    kept = set(
        conn.execute(
            select(t.results.c.output_sha256).where(t.results.c.output_sha256.in_(shas))
        ).scalars()
    )
    kept |= set(conn.execute(select(t.files.c.sha256).where(t.files.c.sha256.in_(shas))).scalars())
    return [s for s in shas if s not in kept]
