"""``reams run``: process a local folder with the embedded engine, no server involved.

The folder is mirrored into a directory, a batch job is created over it and the local engine
runs it; the store records everything, so Ctrl-C loses nothing and re-running the same
command creates a new job in which files already processed are skipped as
``already_processed``. Outputs are then written from the stored results.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer

from reams.bootstrap import Services, build
from reams.cli.console import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE, err, fail
from reams.cli.outputs import OutputWriter, job_items, result_loader
from reams.cli.progress import Tally, add_job_task, job_progress, output_progress, show
from reams.cli.summary import Outcomes, print_summary
from reams.domain.errors import InvalidRequest
from reams.domain.jobconfig import JobSettings, resolve
from reams.domain.records import Job
from reams.domain.states import JobStatus
from reams.engine.base import Engine
from reams.settings import Settings
from reams.store.ingest import sync_folder

POLL_S = 0.2
STOP_GRACE_S = 5.0
TERMINAL = frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED})
JOB_NAMES = {"parse": "parse_raw_file_job"}


def parse_param(raw: str) -> tuple[str, Any]:
    """``key=value``; the value is read as JSON when it is JSON (numbers, true, lists)."""
    key, sep, value = raw.partition("=")
    if not sep or not key.strip():
        fail(f"--param expects key=value, got {raw!r}", code=EXIT_USAGE)
    try:
        return key.strip(), json.loads(value)
    except ValueError:
        return key.strip(), value


def job_config(job: str, params: list[str], *, force: bool) -> tuple[dict[str, Any], JobSettings]:
    if job not in JOB_NAMES:
        choices = ", ".join(JOB_NAMES)
        fail(f"--job {job!r} is not available; choose one of: {choices}", code=EXIT_USAGE)
    parameters: dict[str, Any] = {"type": job, **dict(parse_param(p) for p in params)}
    if force:
        parameters["invalidate_cache"] = True
    config = {"job_name": JOB_NAMES[job], "parameters": parameters}
    try:
        return config, resolve(config)
    except InvalidRequest as exc:
        fail(str(exc), code=EXIT_USAGE)


def stop_engine(engine: Engine, *, grace_s: float | None = None) -> None:
    if grace_s is not None:
        engine.stop(grace_s=grace_s)
    else:
        engine.stop()


@dataclass(kw_only=True)
class LocalRun:
    """One ``reams run``: its services, its job once created, and its timings."""

    services: Services
    root: Path
    out: Path
    started: float = field(default_factory=time.perf_counter)
    job: Job | None = None

    def execute(self, config: dict[str, Any], settings: JobSettings) -> int:
        directory_id, project_id = self.mirror()
        store = self.services.store
        self.job = store.create_job(
            project_id=project_id,
            settings=settings,
            job_config=config,
            directory_id=directory_id,
            item_ids=None,
        )
        self.services.engine.start()
        self.services.engine.submit(self.job.id)
        final = self.follow(self.job.id)
        outcomes, writer = self.write_outputs(final)
        print_summary(
            final,
            outcomes,
            out_dir=self.out,
            written=writer.written,
            kept=writer.kept,
            elapsed=time.perf_counter() - self.started,
        )
        return 0 if final.status == JobStatus.COMPLETED else EXIT_FAILURE

    def mirror(self) -> tuple[str, str]:
        store, blobs = self.services.store, self.services.blobs
        with err.status(f"Scanning {self.root} …"):
            project = store.ensure_project(self.services.settings.default_project)
            directory_id = sync_folder(
                store, blobs, project_id=project.id, root=self.root, exclude=self.out
            )
        return directory_id, project.id

    def follow(self, job_id: str) -> Job:
        store = self.services.store
        with job_progress(err) as bar:
            task = add_job_task(bar, f"{self.root.name or self.root}")
            while True:
                job = store.get_job(job_id, project_id=None)
                show(bar, task, Tally.of_record(job))
                if job.status in TERMINAL:
                    return job
                time.sleep(POLL_S)

    def write_outputs(self, job: Job) -> tuple[Outcomes, OutputWriter]:
        writer = OutputWriter(self.out, result_loader(self.services.store, self.services.blobs))
        outcomes = Outcomes()
        with output_progress(err) as bar:
            task = bar.add_task(f"Writing outputs to {self.out}", total=job.total_items)
            for item in job_items(self.services.store, job.id):
                writer.write(item)
                outcomes.add(item)
                bar.advance(task)
        return outcomes, writer

    def interrupted(self) -> int:
        """Ctrl-C: let in-flight files finish (briefly), cancel the rest, say how to resume."""
        err.print("[yellow]stopping…[/] (files in progress get a few seconds to finish)")
        _quietly(lambda: stop_engine(self.services.engine, grace_s=STOP_GRACE_S))
        if self.job is None:
            return EXIT_INTERRUPTED
        # Cancelled, not left running: otherwise the next run's engine would resume this job
        # next to the new one. Nothing is lost: finished files are skipped next time.
        job = self.services.engine.cancel(self.job.id, reason="interrupted (Ctrl-C)")
        tally = Tally.of_record(job)
        err.print(
            f"{tally.done - tally.cancelled} of {tally.total} files done: {tally.counts_text()}."
        )
        err.print("Re-run the same command to resume; files already processed are skipped.")
        return EXIT_INTERRUPTED

    def close(self) -> None:
        try:
            stop_engine(self.services.engine)
        finally:
            self.services.store.engine.dispose()


def checked_root(path: Path, out_dir: Path) -> tuple[Path, Path]:
    root = path.expanduser().resolve()
    if not root.exists():
        fail(f"{path} does not exist", code=EXIT_USAGE)
    if not root.is_dir():
        fail(f"{path} is not a folder", code=EXIT_USAGE)
    target = out_dir.expanduser().resolve()
    if target == root or root.is_relative_to(target):
        fail("--out must not be the input folder or contain it", code=EXIT_USAGE)
    return root, target


def run(
    path: Path = typer.Argument(..., help="Folder of documents to process."),
    job: str = typer.Option("parse", "--job", help="Job type (parse)."),
    out_dir: Path = typer.Option(..., "--out", help="Where to write <file>.md and <file>.json."),
    workers: int | None = typer.Option(None, "--workers", min=1, help="Parallel workers."),
    force: bool = typer.Option(False, "--force", help="Reprocess files processed before."),
    param: list[str] = typer.Option([], "--param", help="Job parameter key=value (repeatable)."),
) -> None:
    """Process a local folder without a server; re-running skips files already processed."""
    root, target = checked_root(path, out_dir)
    config, settings = job_config(job, param, force=force)
    try:
        services = build(Settings(workers=workers) if workers else Settings())
    except KeyboardInterrupt:
        raise typer.Exit(EXIT_INTERRUPTED) from None
    session = LocalRun(services=services, root=root, out=target)
    try:
        code = session.execute(config, settings)
    except KeyboardInterrupt:
        code = session.interrupted()
    finally:
        _quietly(session.close)
    raise typer.Exit(code)


def _quietly(action: Callable[[], object]) -> None:
    # A second Ctrl-C while shutting down must not turn into a traceback.
    with contextlib.suppress(KeyboardInterrupt):
        action()
