"""The two halves of processing one item, shared by every engine through ``ItemDriver``.

Given an item already claimed (``processing``, leased to ``owner``), :func:`begin_item` checks
dedup and limits and builds the task for the isolated worker (which runs the processor with a
timeout and a memory cap); :func:`end_item` stores the result blob and returns the item's
terminal outcome as a :class:`~reams.store.transitions.Settlement`, which the driver records
with others in one compare-and-set transaction (counters move in the same transaction). Both
return the item's :class:`~reams.domain.states.Outcome` when they settle it themselves.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from reams.domain import ids
from reams.domain.errors import ProcessorError
from reams.domain.jobconfig import JobSettings
from reams.domain.records import Item, PagePart, Result
from reams.domain.states import JobStatus, JobType, Outcome, PartKind, SkipReason
from reams.engine.base import EngineConfig
from reams.engine.isolation import NOT_STARTED, Task, usable_cores
from reams.engine.processor_output import ProcessorOutput
from reams.store.blobs import BlobStore
from reams.store.transitions import Completion, Settlement, Store

log = logging.getLogger(__name__)

BYTES_PER_PAGE = 50_000  # a rough page size, to turn per-page timeouts into a budget
# How stale a driver's belief that a job is still running may be before it asks the store
# again (one indexed read). Engines that cancel in-process tell their drivers at once
# (``RunContext.ended``); a worker elsewhere learns within this window, and before an item's
# outcome is recorded also within ``STATUS_CHECK_ITEMS`` answers: fast items queued in the child
# come out a fraction of a millisecond apart, so a window in time alone would let dozens of
# items that began after a cancel count as completed.
STATUS_CHECK_S = 0.02
STATUS_CHECK_ITEMS = 4
ENDED = frozenset({JobStatus.CANCELLED, JobStatus.FAILED})


class OutputRoute(Protocol):
    """Where a job's items' output files go (``reams run --out``, in the engine's process): a
    worker that stored a large result itself writes them, so that the result is neither
    decoded nor written again by the engine's process, whose CPU the workers need."""

    def targets(self, item: Item) -> tuple[str, ...]:
        """The item's output files, absolute (``domain.outputs`` names); () for none."""
        ...

    def worker_wrote(self, item: Item, result_id: str) -> None:
        """The worker wrote them, naming ``result_id``: the result the item is about to be
        recorded with (unless its lease was lost, and another attempt records another)."""
        ...


@dataclass
class RunContext:
    """What the item steps need: the store, the blobs, the engine config and the lease owner."""

    store: Store
    blobs: BlobStore
    config: EngineConfig
    owner: str
    # Jobs known to be cancelled or failed: their claimed items are not begun.
    ended: set[str] = field(default_factory=set)
    _jobs: dict[str, tuple[JobSettings, dict[str, Any]]] = field(default_factory=dict)
    # Per job: when the store last said it was running, and the answers given on that since.
    _checked: dict[str, tuple[float, int]] = field(default_factory=dict)
    # Earlier results of claimed items' content, looked up for a whole claim at once.
    _priors: dict[str, Result | None] = field(default_factory=dict)
    # Where the worker processes put large results themselves ("": they hand them over).
    blob_root: str = field(init=False)
    # Jobs whose output files the workers write for the results they store (``reams run``).
    routes: dict[str, OutputRoute] = field(default_factory=dict)

    def __post_init__(self) -> None:
        root = self.blobs.shared_root()
        self.blob_root = "" if root is None else str(root)

    @property
    def every_core(self) -> bool:
        """Whether the workers take every core (the work this process does for an item is
        then taken from them)."""
        return self.config.workers >= usable_cores()

    def _job(self, job_id: str) -> tuple[JobSettings, dict[str, Any]]:
        # The settings resolved at creation; caching them keeps no state of our own.
        cached = self._jobs.get(job_id)
        if cached is None:
            job = self.store.get_job(job_id, project_id=None)
            cached = self._jobs[job_id] = (job.settings, job.job_config)
        return cached

    def job_ended(self, job_id: str, *, counted: bool = True) -> bool:
        """Whether the job was cancelled (or failed): asked before an item's outcome is
        recorded, so the store is asked again once the last answer is ``STATUS_CHECK_S`` old
        or was given ``STATUS_CHECK_ITEMS`` times (``counted``). After a cancel commits, a
        driver thus records at most that many items more before it knows (then one, which
        the child may have been running: ``ItemDriver._overtaken``); one read per few items
        costs far less than one per item. ``counted=False``: a check in time only, before an
        item is handed to the child (what it saves is work, not a wrong outcome)."""
        if job_id in self.ended:
            return True
        at, answers = self._checked.get(job_id, (float("-inf"), 0))
        now = time.monotonic()
        if now - at < STATUS_CHECK_S and answers < STATUS_CHECK_ITEMS:
            self._checked[job_id] = (at, answers + counted)
            return False
        if self.store.job_status(job_id) in ENDED:
            self.ended.add(job_id)
            return True
        self._checked[job_id] = (now, int(counted))
        return False

    def prefetch_priors(self, items: list[Item]) -> None:
        """Look up, in one query per job, the earlier results of a claim's items (instead of
        one query per item as each is begun)."""
        by_job: dict[str, list[Item]] = {}
        for item in items:
            by_job.setdefault(item.job_id, []).append(item)
        for job_id, group in by_job.items():
            settings = self.job_settings(job_id)
            if settings.bypass_cache:
                continue
            found = self.store.find_results(
                project_id=group[0].project_id,
                sha256s=[i.sha256 for i in group],
                parameters_hash=settings.parameters_hash,
            )
            self._priors.update((i.id, found.get(i.sha256)) for i in group)

    def prior_result(self, item: Item, settings: JobSettings) -> Result | None:
        """The earlier result of the item's content with its job's configuration, if any."""
        if item.id in self._priors:
            return self._priors.pop(item.id)
        return self.store.find_result(
            project_id=item.project_id,
            sha256=item.sha256,
            parameters_hash=settings.parameters_hash,
        )

    def forget_prior(self, item: Item) -> None:
        self._priors.pop(item.id, None)

    def job_settings(self, job_id: str) -> JobSettings:
        return self._job(job_id)[0]

    def job_config(self, job_id: str) -> dict[str, Any]:
        return self._job(job_id)[1]


def timeout_budget(config: EngineConfig, settings: JobSettings, *, size: int) -> float:
    """The seconds one item of ``size`` bytes may take: the one rule for every engine.

    The job's timeouts win over the engine's defaults; pages are unknown before parsing, so
    they are estimated from the size; an analysis job with an LLM gets one more request's time
    (a model answering slowly is not a hung parser).
    """
    base = settings.timeout_s or config.item_timeout_s
    per_page = settings.timeout_per_page_s or config.item_timeout_per_page_s
    budget = base + per_page * max(1, size // BYTES_PER_PAGE)
    if settings.job_type is not JobType.PARSE and config.llm:
        budget += config.llm.timeout_s
    return budget


def begin_item(ctx: RunContext, item: Item) -> Task | Outcome:
    """The task to run, or the outcome already recorded (cancelled, a skip, a missing blob)."""
    if ctx.job_ended(item.job_id, counted=False):
        ctx.forget_prior(item)
        # Claimed but not begun when its job was cancelled: given back, it ends cancelled in
        # the same transaction (the store cancels what returns to a cancelled job; a page
        # part's item was cancelled with the job, and the part went with it).
        if _is_page_part(item):
            ctx.store.release_part(item, owner=ctx.owner)
        else:
            ctx.store.release(item, owner=ctx.owner)
        return Outcome.CANCELLED
    settings = ctx.job_settings(item.job_id)
    if item.part is not None:
        return _part_task(ctx, settings, item, item.part)
    early = _skip_if_needed(ctx, settings, item)
    if early is not None:
        return early
    path, sha256 = _source(ctx, item)
    timeout = timeout_budget(ctx.config, settings, size=item.size)
    if settings.job_type is JobType.PARSE:
        task = Task("parse", path, item.item_name, settings.parameters, timeout,
                    split_above=ctx.config.slice_pages, sha256=sha256,
                    blob_root=ctx.blob_root)  # fmt: skip
    else:
        task = Task(settings.job_type.value, path, item.item_name, settings.parameters, timeout,
                    ctx.config.llm, sha256=sha256, blob_root=ctx.blob_root)  # fmt: skip
    return _routed(ctx, settings, item, task)


def _routed(ctx: RunContext, settings: JobSettings, item: Item, task: Task) -> Task:
    """``task`` with the item's output files and its result's id, when its job has a route."""
    route = ctx.routes.get(item.job_id)
    targets = () if route is None or not ctx.blob_root else route.targets(item)
    if not targets:
        return task
    prefix = ids.RESULT_PREFIX_BY_JOB_TYPE[settings.job_type.value]
    return replace(task, outputs=targets, result_id=ids.new_id(prefix))


def _source(ctx: RunContext, item: Item) -> tuple[str, str]:
    """Where the worker reads the item's content, and the sha256 it must check the bytes
    against when that is a referenced local file (a stored blob is trusted as stored)."""
    path = ctx.blobs.path(item.sha256)
    return str(path), item.sha256 if ctx.blobs.is_reference(path) else ""


def _is_page_part(item: Item) -> bool:
    return item.part is not None and item.part.kind is PartKind.PAGES


def _part_task(ctx: RunContext, settings: JobSettings, item: Item, part: PagePart) -> Task:
    """A page part's task (its pages of the document), or the merge of an item's parts."""
    path, sha256 = _source(ctx, item)
    timeout = timeout_budget(ctx.config, settings, size=item.size)
    task = Task(settings.job_type.value, path, item.item_name, settings.parameters, timeout,
                blob_root=ctx.blob_root)  # fmt: skip
    if part.kind is PartKind.PAGES:
        return replace(task, pages=(part.first_page, part.last_page), sha256=sha256)
    outputs = ctx.store.part_outputs(item.id)
    merge = replace(task, merge=tuple(str(ctx.blobs.path(sha)) for sha in outputs))
    return _routed(ctx, settings, item, merge)


def end_item(
    ctx: RunContext, item: Item, output: ProcessorOutput | ProcessorError
) -> Settlement | Outcome:
    """The item's terminal outcome to record, or the outcome already recorded (a retry, a
    split into page parts, a page part)."""
    if _is_page_part(item):
        return _end_page_part(ctx, item, output)
    if isinstance(output, ProcessorError):
        return _failure(ctx, item, output)
    if output.split_pages:
        pages = output.split_pages
        size = part_pages(pages, ctx.config.slice_part_pages)
        split = ctx.store.split_item(item, owner=ctx.owner, pages=pages, part_pages=size)
        return Outcome.PARTS if split else Outcome.LOST
    return _success(ctx, ctx.job_settings(item.job_id), item, output)


def part_pages(pages: int, wanted: int) -> int:
    """The pages of each part of a document of ``pages`` split in parts of about ``wanted``:
    never more than half of them (a split always makes two parts or more)."""
    return max(1, min(wanted, -(-pages // 2)))


def _end_page_part(
    ctx: RunContext, item: Item, output: ProcessorOutput | ProcessorError
) -> Outcome:
    """Record a page part: its pages done, back for a retry, or its item failed."""
    store, owner = ctx.store, ctx.owner
    part = item.part
    assert part is not None
    if isinstance(output, ProcessorOutput):
        sha = output.stored or ctx.blobs.put(output.blob)
        return (
            Outcome.PARTS
            if store.finish_part(item, owner=owner, output_sha256=sha)
            else Outcome.LOST
        )
    if output.code == NOT_STARTED:
        store.release_part(item, owner=owner)
        return Outcome.RETRY
    if output.retryable and part.attempts < ctx.config.max_attempts:
        delay = ctx.config.retry_backoff_s * 2 ** (part.attempts - 1)
        store.retry_part(item, owner=owner, code=output.code, message=output.message, delay_s=delay)
        return Outcome.RETRY
    message = f"Pages {part.first_page + 1}-{part.last_page + 1}: {output.message}"
    failed = store.fail_parts(item, owner=owner, code=output.code, message=message)
    return Outcome.FAILED if failed else Outcome.LOST


def _skip_if_needed(ctx: RunContext, settings: JobSettings, item: Item) -> Outcome | None:
    if item.size > ctx.config.max_file_bytes:
        ctx.forget_prior(item)
        ctx.store.skip(item, owner=ctx.owner, reason=SkipReason.SIZE_LIMIT_EXCEEDED, result_id=None)
        return Outcome.SKIPPED
    if not settings.bypass_cache:
        prior = ctx.prior_result(item, settings)
        if prior is not None:
            ctx.store.skip(
                item, owner=ctx.owner, reason=SkipReason.ALREADY_PROCESSED, result_id=prior.id
            )
            return Outcome.SKIPPED
    if not ctx.blobs.exists(item.sha256):
        ctx.store.fail(
            item,
            owner=ctx.owner,
            code="file_missing",
            message="The file's content is missing from blob storage (or, for a local "
            "folder's file, it changed or was removed since it was scanned: run again).",
        )
        return Outcome.FAILED
    return None


def _failure(ctx: RunContext, item: Item, exc: ProcessorError) -> Settlement | Outcome:
    if exc.code == NOT_STARTED:  # queued behind an item that took the child down
        ctx.store.release(item, owner=ctx.owner)  # its attempt does not count
        return Outcome.RETRY
    if exc.retryable and item.attempts < ctx.config.max_attempts:
        delay = ctx.config.retry_backoff_s * 2 ** (item.attempts - 1)
        ctx.store.retry_later(
            item, owner=ctx.owner, code=exc.code, message=exc.message, delay_s=delay
        )
        return Outcome.RETRY
    return Settlement(item, error=(exc.code, exc.message))


def _success(
    ctx: RunContext, settings: JobSettings, item: Item, output: ProcessorOutput
) -> Settlement:
    prefix = ids.RESULT_PREFIX_BY_JOB_TYPE[settings.job_type.value]
    result_id = output.result_id or ids.new_id(prefix)
    route = ctx.routes.get(item.job_id)
    if output.result_id and route is not None:
        route.worker_wrote(item, result_id)
    completion = Completion(
        result_id=result_id,
        job_type=settings.job_type.value,
        job_config=ctx.job_config(item.job_id),
        parameters_hash=settings.parameters_hash,
        output_sha256=output.stored or ctx.blobs.put(output.blob, packed=True),
        output_metadata=output.metadata,
        cacheable=not settings.do_not_cache,
        duration_s=round(output.duration_s, 4),
    )
    return Settlement(item, completion=completion)
