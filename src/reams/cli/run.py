"""``reams run``: process a local folder with the embedded engine, no server involved.

The folder is mirrored into a directory, a batch job is created over it and the local engine
runs it; the store records everything, so Ctrl-C loses nothing and re-running the same
command creates a new job in which files already processed are skipped as
``already_processed``. Outputs are then written from the stored results.

Exit codes (also in ``reams run --help`` and the README): 0 every file done (completed or
skipped), 1 some files failed (or the job did not complete), 2 usage error (nothing run),
130 interrupted.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from reams.bootstrap import Services, build
from reams.cli.console import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE, err, fail
from reams.cli.output_files import OutputWriter
from reams.cli.progress import Tally, add_job_task, job_progress, output_progress, show
from reams.cli.summary import SKIP_EXAMPLES, Outcomes, print_summary
from reams.cli.unchanged import data_dir, record_path, run_key
from reams.domain.errors import Conflict, InvalidRequest
from reams.domain.fairness import PRIORITY_MAX, PRIORITY_MIN
from reams.domain.records import Item, Job, JobApi, JobOrigin
from reams.domain.states import JobStatus, SkipReason
from reams.service.export import export_job
from reams.service.folders import Scan, last_folder_job, mirror_folder, save_run_record
from reams.service.job_options import check_option_keys
from reams.service.jobs import JobRequest, check_config
from reams.service.results import FinishedItems, ResultLoader
from reams.settings import Settings

POLL_S = 0.1  # how soon the end of the job is seen
POLL_FAR_S = 0.25  # how often the progress is read while the end is more than a second away
# How often outputs of finished items are written while the job runs: often, so that they are
# written beside the worker (the other core) rather than all after the job's last item.
WRITE_EVERY_S = 0.25
# A round of writing that took this long was behind the workers (items finished meanwhile):
# the next round starts at once, not WRITE_EVERY_S later, for every pause of the writer then
# is paid again after the job's last item, as outputs still to write.
BEHIND_S = 0.05
# Near the job's end the job row is read again as items are recorded, at most this often (a
# run of skips or quick flushes must not turn into a read per item).
SETTLED_GAP_S = 0.01
STOP_GRACE_S = 5.0
# The pages of finished items read while the job runs: what is new, a few more, at most this.
POLL_PAGE_MAX = 128
POLL_PAGE_MARGIN = 8
TERMINAL = frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED})
JOB_NAMES = {"parse": "parse_raw_file_job"}
JOB_TYPES = ("parse", "classify", "extract")
RESULTS_CSV = "_results.csv"
# Stat signatures of the files of each folder run before (service.folders.StatCache).
SCAN_CACHE = "scans"


def parse_param(raw: str) -> tuple[str, Any]:
    """``key=value``; the value is read as JSON when it is JSON (numbers, true, lists)."""
    key, sep, value = raw.partition("=")
    if not sep or not key.strip():
        fail(f"--param expects key=value, got {raw!r}", code=EXIT_USAGE)
    try:
        return key.strip(), json.loads(value)
    except ValueError:
        return key.strip(), value


def _json_file(path: Path, what: str) -> Any:
    try:
        return json.loads(path.expanduser().read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"cannot read {what} file {path}: {exc.strerror or exc}", code=EXIT_USAGE)
    except ValueError as exc:
        fail(f"{what} file {path} is not valid JSON: {exc}", code=EXIT_USAGE)


def _config_for(
    job: str, params: dict[str, Any], rules: Path | None, schema: Path | None
) -> dict[str, Any]:
    if rules is not None and job != "classify":
        fail(f"--rules is for --job classify, not --job {job}", code=EXIT_USAGE)
    if schema is not None and job != "extract":
        fail(f"--schema is for --job extract, not --job {job}", code=EXIT_USAGE)
    if job == "classify":
        if rules is None:
            fail(
                "--job classify needs --rules FILE (a JSON list of {type, description})",
                code=EXIT_USAGE,
            )
        return {"rules": _json_file(rules, "rules"), **params}
    if job == "extract":
        if schema is None:
            fail("--job extract needs --schema FILE (a JSON Schema of the fields)", code=EXIT_USAGE)
        return {"data_schema": _json_file(schema, "schema"), "extract_config": params}
    parameters: dict[str, Any] = {"type": job, **params}
    return {"job_name": JOB_NAMES[job], "parameters": parameters}


def job_config(
    job: str,
    params: list[str],
    *,
    force: bool,
    rules: Path | None = None,
    schema: Path | None = None,
) -> dict[str, Any]:
    if job not in JOB_TYPES:
        choices = ", ".join(JOB_TYPES)
        fail(f"--job {job!r} is not available; choose one of: {choices}", code=EXIT_USAGE)
    extra = dict(parse_param(p) for p in params)
    try:
        check_option_keys(job, extra, label="--param key")
    except InvalidRequest as exc:
        fail(str(exc), code=EXIT_USAGE)
    if force:
        extra["invalidate_cache"] = True
    config = _config_for(job, extra, rules, schema)
    try:
        check_config(config)
    except InvalidRequest as exc:
        fail(str(exc), code=EXIT_USAGE)
    return config


@dataclass(kw_only=True)
class LocalRun:
    """One ``reams run``: its services, its job once created, and its timings."""

    services: Services
    root: Path
    out: Path
    follow_links: bool = False
    priority: int = 0
    # --force: read and hash every file, trusting no stat signature of an earlier scan
    rehash: bool = False
    started: float = field(default_factory=time.perf_counter)
    job: Job | None = None
    outputs: LiveOutputs | None = None
    engine_started: bool = False
    # The files as the scan hashed them, and what the record of a run with nothing left to do
    # repeats (``cli.unchanged``): None unless every file ended done.
    scan: Scan | None = None
    record: dict[str, Any] | None = None

    def execute(self, config: dict[str, Any]) -> int:
        if self.services.settings.engine != "local":  # its submit wants a started engine
            self.start_engine()
        directory_id, project_id = self.mirror()
        self.job = self.services.jobs.submit(
            JobRequest(
                project_id=project_id,
                job_config=config,
                directory_id=directory_id,
                origin=JobOrigin(api=JobApi.CLI),
                priority=self.priority,
            )
        )
        # A re-run whose files were all skipped while the job was planned (the engine's
        # submit does that without workers) starts no worker process; any job still active,
        # this one or one an earlier run left, is run as always.
        if not self.engine_started and self.services.store.active_job_ids():
            self.start_engine()
        if self.job.total_items == 0:
            err.print(
                f"[yellow]Warning:[/] no files to process in {self.root} "
                "(hidden files and folders are skipped)."
            )
        return self.finish()

    def retry_failed(self, job_type: str) -> int:
        """Send the failed items of this folder's last run round again (no re-scan)."""
        self.start_engine()
        project = self.services.catalog.ensure_project(self.services.settings.default_project)
        last = last_folder_job(
            self.services.catalog, project_id=project.id, root=self.root, job_type=job_type
        )
        if last is None:
            fail(
                f"no earlier '{job_type}' run of {self.root} to retry: run it without "
                "--retry-failed first",
                code=EXIT_USAGE,
            )
        try:
            self.job, moved = self.services.jobs.retry_failed(last.id, project_id=None)
        except Conflict as exc:
            err.print(f"Nothing to retry: {exc}.")
            return 0
        err.print(f"Retrying {moved} failed item(s) of job {last.id}.")
        return self.finish()

    def finish(self) -> int:
        """Follow the job to its end, writing outputs as items finish, then summarise."""
        assert self.job is not None
        self.outputs = LiveOutputs.start(self.services, self.job, self.out)
        final = self.follow(self.job.id)
        outcomes, writer = self.write_outputs(final)
        self.record = self.record_facts(final)
        print_summary(
            final,
            outcomes,
            out_dir=self.out,
            written=writer.written,
            kept=writer.kept,
            elapsed=time.perf_counter() - self.started,
            labels=writer.labels,
        )
        return exit_code(final)

    def start_engine(self) -> None:
        """Start the engine (its worker processes boot in the background), once."""
        if not self.engine_started:
            self.engine_started = True
            self.services.start()

    def mirror(self) -> tuple[str, str]:
        catalog, blobs = self.services.catalog, self.services.blobs
        outside: list[str] = []
        with err.status(f"Scanning {self.root} …"):
            project = catalog.ensure_project(self.services.settings.default_project)
            directory_id = mirror_folder(
                catalog,
                blobs,
                project_id=project.id,
                root=self.root,
                exclude=self.out,
                follow_links=self.follow_links,
                outside=outside,
                cache_dir=None if self.rehash else self.services.settings.data_dir / SCAN_CACHE,
                # The first file to read means work: the workers boot while the scan goes on.
                on_read=self.start_engine,
                scan=self.scan,
            )
        if outside:
            shown = ", ".join(outside[:3]) + (" …" if len(outside) > 3 else "")
            err.print(
                f"[yellow]Skipped {len(outside)} link(s) leading out of {self.root}[/] "
                f"({escape(shown)}); --follow-links follows them."
            )
        return directory_id, project.id

    def record_facts(self, final: Job) -> dict[str, Any] | None:
        """What a re-run with nothing to run repeats (``cli.unchanged``), or None unless the same
        command over the same files would skip every file as already processed and write
        nothing: every file of the scan ended completed or skipped as already processed, with
        results that serve dedup, every output is in place, and no other job is left to run."""
        outputs, scan = self.outputs, self.scan
        if outputs is None or scan is None or self.rehash or exit_code(final) != 0:
            return None
        settings, writer = final.settings, outputs.writer
        reasons = set(outputs.outcomes.skip_reasons) - {SkipReason.ALREADY_PROCESSED.value}
        if reasons or settings.bypass_cache or settings.do_not_cache or writer.outputs is None:
            return None
        total = final.total_items
        if not total or total != len(scan.files) or outputs.handed_out != total:
            return None
        if final.counts.cancelled or self.services.store.active_job_ids():
            return None
        first = self.services.catalog.items_after(final.id, after_seq=-1, limit=SKIP_EXAMPLES)
        return {
            "job_id": final.id,
            "total": total,
            "examples": [item.item_name for _, item, _ in first],
            "labels": dict(writer.labels),
        }

    def remember(self, key: str | None) -> None:
        """After the store is closed: keep the record of this run when it left nothing to do
        (``service.folders.save_run_record``), else remove an earlier one."""
        settings = self.services.settings
        data = data_dir(os.environ)
        if data is None or data.resolve() != settings.data_dir.resolve():
            return
        path = record_path(data, self.root, self.out)
        database = _sqlite_file(settings.resolved_database_url())
        outputs = None if self.outputs is None else self.outputs.writer.outputs
        if key is None or self.record is None or self.scan is None or not database or not outputs:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
            return
        required = [database, *outputs]
        if self.job is not None and self.job.job_type in ("classify", "extract"):
            required.append(str(self.out / RESULTS_CSV))
        save_run_record(
            path,
            key=key,
            scan=self.scan,
            required=required,
            absent=[f"{database}-wal", f"{database}-shm", f"{database}-journal"],
            facts=self.record,
        )

    def follow(self, job_id: str) -> Job:
        catalog = self.services.catalog
        with job_progress(err) as bar:
            task = add_job_task(bar, f"{self.root.name or self.root}")
            next_write = time.monotonic() + WRITE_EVERY_S
            pace = Pace()
            while True:
                job = catalog.get_job(job_id, project_id=None)
                tally = Tally.of_record(job)
                show(bar, task, tally)
                if job.status in TERMINAL:
                    return job
                poll_s = pace.next_poll_s(tally.done, tally.total)
                if self.outputs is not None and time.monotonic() >= next_write:
                    # as items finish: Ctrl-C keeps them
                    began = time.monotonic()
                    self.outputs.write_finished(done=tally.done)
                    now = time.monotonic()
                    if now - began >= BEHIND_S:
                        continue  # behind the workers: the next round at once
                    next_write = now + WRITE_EVERY_S
                if poll_s <= POLL_S:
                    # The end is near: write what finished at every read of the job (the
                    # reads follow the items as they are recorded), so that little is left
                    # to write once the job ends.
                    next_write = 0.0
                self.pause(poll_s)

    def pause(self, seconds: float) -> None:
        """Wait before reading the job again. Near its end (the short pause), an engine running
        in this process (the local one has ``wait_settled``) cuts the wait short as soon as
        an item is recorded: the job's last item completes it in the same transaction, so the
        end is seen at once rather than up to ``POLL_S`` later (and the job row is read at most
        every ``SETTLED_GAP_S``)."""
        wait_settled = getattr(self.services.engine, "wait_settled", None)
        if seconds > POLL_S or wait_settled is None:
            time.sleep(seconds)
            return
        started = time.monotonic()
        wait_settled(seconds)
        time.sleep(max(0.0, SETTLED_GAP_S - (time.monotonic() - started)))

    def write_outputs(self, job: Job) -> tuple[Outcomes, OutputWriter]:
        """The outputs not written while following (all of them for a quick job), then
        ``_results.csv`` for classify and extract."""
        outputs = self.outputs or LiveOutputs.start(self.services, job, self.out)
        left = job.total_items - outputs.handed_out
        with output_progress(err) as bar:
            task = bar.add_task(f"Writing outputs to {self.out}", total=left)
            outputs.write_finished(final=True, advance=lambda n: bar.advance(task, n))
        outputs.write_summary()
        return outputs.outcomes, outputs.writer

    def interrupted(self) -> int:
        """Ctrl-C: let in-flight files finish (briefly), cancel the rest, say how to resume."""
        err.print("[yellow]stopping…[/] (files in progress get a few seconds to finish)")
        _quietly(lambda: self.services.stop(grace_s=STOP_GRACE_S))
        if self.job is None:
            return EXIT_INTERRUPTED
        # Cancelled, not left running: otherwise the next run's engine would resume this job
        # next to the new one. Nothing is lost: finished files are skipped next time.
        try:
            job = self.services.jobs.cancel(
                self.job.id, project_id=None, reason="interrupted (Ctrl-C)"
            )
        except Conflict:  # it finished while stopping
            job = self.services.catalog.get_job(self.job.id, project_id=None)
        outputs = self.outputs
        if outputs is not None:  # what finished since the last write, and the summary
            _quietly(lambda: outputs.write_finished(final=True))
            _quietly(outputs.write_summary)
        tally = Tally.of_record(job)
        err.print(
            f"{tally.done - tally.cancelled} of {tally.total} files done: {tally.counts_text()}."
        )
        err.print("Re-run the same command to resume; files already processed are skipped.")
        return EXIT_INTERRUPTED

    def close(self) -> None:
        self.services.close()


@dataclass
class LiveOutputs:
    """Writes each item's outputs once, as soon as it is finished (``FinishedItems``), and
    ``OUT/_results.csv`` (classify and extract) from the job's CSV export."""

    services: Services
    job: Job
    out: Path
    finished: FinishedItems
    load: ResultLoader
    writer: OutputWriter
    outcomes: Outcomes = field(default_factory=Outcomes)
    handed_out: int = 0
    # Items the poll handed out whose outputs were not written yet: a Ctrl-C (or a failed
    # write) between two items of a page leaves the rest here, for the next call.
    unwritten: list[Item] = field(default_factory=list)

    @classmethod
    def start(cls, services: Services, job: Job, out: Path) -> LiveOutputs:
        """Outputs of ``job`` into ``out``; an engine in this process (the local one) lets its
        workers write those of large results themselves, found as the writer finds them."""
        load = ResultLoader(services.catalog, services.blobs)
        writer = OutputWriter(out, load, job_type=job.job_type)
        route = getattr(services.engine, "route_outputs", None)
        if route is not None:
            route(job.id, writer)
        return cls(
            services=services,
            job=job,
            out=out,
            finished=FinishedItems(services.catalog, job.id),
            load=load,
            writer=writer,
        )

    def write_finished(
        self,
        *,
        final: bool = False,
        advance: Callable[[int], object] | None = None,
        done: int | None = None,
    ) -> None:
        """The outputs of the items finished since the last call (every item left: ``final``).
        ``done``, the job's count of finished items, sizes the read: nothing when none is new,
        else pages about as long as what is new (workers finish items in job order, so the new
        ones follow the frontier; a fixed page read some hundred items still in flight or
        pending again at every call)."""
        if done is not None and not final:
            fresh = done - self.handed_out
            if fresh <= 0:
                return
            self.finished.page = min(POLL_PAGE_MAX, fresh + POLL_PAGE_MARGIN)
        else:
            self.finished.page = POLL_PAGE_MAX
        if self.unwritten:
            self._write(self.unwritten, advance)
        for page in self.finished.poll(final=final):
            self.unwritten = list(page)
            self._write(self.unwritten, advance)

    def _write(self, items: list[Item], advance: Callable[[int], object] | None) -> None:
        """Write ``items`` (this page's, not written yet) in order, taking each off the list as
        it is written: an interruption leaves exactly those still to write."""
        self.load.prefetch([item for item in items if self.writer.needs_output(item)])
        written = 0
        try:
            while items:
                item = items[0]
                self.writer.write(item)
                self.outcomes.add(item)
                del items[0]
                written += 1
        finally:
            self.handed_out += written
            if advance is not None and written:
                advance(written)

    def write_summary(self) -> None:
        if self.job.job_type not in ("classify", "extract"):
            return
        export = export_job(
            self.services.catalog, self.services.blobs, self.job.id, project_id=None, fmt="csv"
        )
        target = self.out / RESULTS_CSV
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{target.name}.tmp")
        with part.open("wb") as sink:
            for chunk in export.chunks:
                sink.write(chunk)
        os.replace(part, target)


@dataclass
class Pace:
    """How soon to read the job row again: every ``POLL_S`` once the job may end within a
    second (its end is seen that soon), else every ``POLL_FAR_S`` (a read of the job row less
    per poll, beside the worker, with thousands of items left)."""

    started: float = field(default_factory=time.monotonic)
    first_done: int | None = None

    def next_poll_s(self, done: int, total: int) -> float:
        if self.first_done is None:
            self.first_done = done
        elapsed = time.monotonic() - self.started
        finished = done - self.first_done
        if finished <= 0 or elapsed <= 0:
            return POLL_S
        seconds_left = (total - done) * elapsed / finished
        return POLL_FAR_S if seconds_left > 1.0 else POLL_S


def run_settings(workers: int | None) -> Settings:
    """The environment's settings, with ``--workers``; the worker processes run at the
    command's own priority unless ``REAMS_WORKER_NICENESS`` says otherwise."""
    settings = Settings(workers=workers) if workers else Settings()
    if settings.worker_niceness is None:
        settings = settings.model_copy(update={"worker_niceness": 0})
    return settings


def _sqlite_file(url: str) -> str | None:
    """The real path of the store's SQLite database file; None for any other database."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url or len(url) == len(prefix):
        return None
    return os.path.realpath(url[len(prefix) :])


def exit_code(job: Job) -> int:
    """0 when every item is done (completed or skipped), 1 when some failed or the job did not
    complete."""
    if job.status == JobStatus.COMPLETED and not job.counts.failed:
        return 0
    return EXIT_FAILURE


def checked_root(path: Path, out_dir: Path) -> tuple[Path, Path]:
    """The input (a folder, or a single file) and the output folder, both resolved."""
    root = path.expanduser().resolve()
    if not root.exists():
        fail(f"{path} does not exist", code=EXIT_USAGE)
    if not root.is_dir() and not root.is_file():
        fail(f"{path} is neither a folder nor a regular file", code=EXIT_USAGE)
    target = out_dir.expanduser().resolve()
    if target == root:
        fail("--out must not be the input", code=EXIT_USAGE)
    if root.is_dir() and root.is_relative_to(target):
        fail("--out must not be the input folder or contain it", code=EXIT_USAGE)
    return root, target


def run(
    path: Path = typer.Argument(..., help="Folder of documents to process (or a single file)."),
    job: str = typer.Option("parse", "--job", help="Job type: parse, classify or extract."),
    out_dir: Path = typer.Option(
        ..., "--out", help="Where to write <file>.json (and <file>.md for parse)."
    ),
    rules: Path | None = typer.Option(
        None, "--rules", help="classify: JSON file, a list of {type, description}."
    ),
    schema: Path | None = typer.Option(
        None, "--schema", help="extract: JSON Schema file of the fields to extract."
    ),
    workers: int | None = typer.Option(None, "--workers", min=1, help="Parallel workers."),
    force: bool = typer.Option(False, "--force", help="Reprocess files processed before."),
    param: list[str] = typer.Option(
        [],
        "--param",
        help="Job option key=value (repeatable): parse parameters; classify job_config keys "
        "(engine, confidence_threshold, mode); extract extract_config keys (engine, "
        "extraction_target, target_pages, ...).",
    ),
    retry_failed: bool = typer.Option(
        False,
        "--retry-failed",
        help="Retry only the failed files of this folder's last run (no re-scan; the last "
        "run's options apply).",
    ),
    follow_links: bool = typer.Option(
        False,
        "--follow-links",
        help="Follow symbolic links that lead out of the folder (skipped by default).",
    ),
    priority: int = typer.Option(
        0,
        "--priority",
        min=PRIORITY_MIN,
        max=PRIORITY_MAX,
        help="Order among this project's jobs, higher first (projects take turns).",
    ),
) -> None:
    """Process a local folder (or one file) without a server; re-running skips files already
    processed.

    Exit codes: 0 every file done (completed or skipped), 1 some files failed, 2 usage error
    (nothing was run), 130 interrupted (Ctrl-C).
    """
    root, target = checked_root(path, out_dir)
    config = job_config(job, param, force=force, rules=rules, schema=schema)
    try:
        services = build(run_settings(workers))
    except KeyboardInterrupt:
        raise typer.Exit(EXIT_INTERRUPTED) from None
    session = LocalRun(
        services=services,
        root=root,
        out=target,
        follow_links=follow_links,
        priority=priority,
        rehash=force,
        scan=None if retry_failed or force else Scan(),
    )
    try:
        code = session.retry_failed(job) if retry_failed else session.execute(config)
    except KeyboardInterrupt:
        code = session.interrupted()
    finally:
        _quietly(session.close)
    if session.scan is not None:  # the shortcut of the next identical command (cli.unchanged)
        key = _run_key(job, param, rules, schema, root, target, follow_links)
        _quietly(lambda: session.remember(key if code == 0 else None))
    raise typer.Exit(code)


def _run_key(
    job: str,
    params: list[str],
    rules: Path | None,
    schema: Path | None,
    root: Path,
    out: Path,
    follow_links: bool,
) -> str | None:
    try:
        return run_key(
            job=job,
            params=params,
            rules=rules,
            schema=schema,
            root=root,
            out=out,
            follow_links=follow_links,
            environ=os.environ,
        )
    except OSError:  # the rules or schema file went away meanwhile: no record
        return None


def _quietly(action: Callable[[], object]) -> None:
    # A second Ctrl-C while shutting down must not turn into a traceback.
    with contextlib.suppress(KeyboardInterrupt):
        action()
