"""Large results stay in the worker that made them: it stores their blobs and, for ``reams run``
with the workers on every core, writes their output files: the same files the command writes
(real store, real worker processes, real PDFs)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from docgen import make_pdf
from reams.bootstrap import Services, build
from reams.cli.run import LiveOutputs
from reams.domain.outputs import output_contents, output_names
from reams.engine.isolation import KEEP_LARGE_BYTES, Task, keep_large, usable_cores
from reams.engine.processor_output import ProcessorOutput
from reams.service.folders import mirror_folder
from reams.service.jobs import JobRequest
from reams.settings import Settings
from reams.store.blobs import LocalBlobStore

PARSE = {"job_name": "parse_raw_file_job", "parameters": {"type": "parse"}}


def _services(tmp_path: Path, workers: int) -> Services:
    return build(Settings(data_dir=tmp_path / "data", workers=workers, lease_s=30))


def _big_pdf(path: Path, seed: int) -> None:
    words = [f"word{seed}x{n}" for n in range(40)]
    make_pdf(
        path,
        [f"Page {p}\n\n" + " ".join(words[(p + i) % 40] for i in range(300)) for p in range(30)],
    )


@pytest.mark.parametrize("every_core", [True, False])
def test_outputs_are_the_same_whoever_writes_them(every_core: bool, tmp_path: Path) -> None:
    """Workers on every core: they write the outputs of large results, this process decodes
    only the small one. With a core to spare (1 worker), this process writes them all beside
    the worker."""
    if not every_core and usable_cores() < 2:
        pytest.skip("one core: one worker takes every core")
    services = _services(tmp_path, usable_cores() if every_core else 1)
    try:
        _run_and_check(services, tmp_path, every_core=every_core)
    finally:
        services.close()


def _run_and_check(services: Services, tmp_path: Path, *, every_core: bool) -> None:
    folder, out = tmp_path / "docs", tmp_path / "out"
    folder.mkdir()
    _big_pdf(folder / "big-a.pdf", 1)
    _big_pdf(folder / "big-b.pdf", 2)
    (folder / "note.md").write_text("# A note\n\nshort\n", encoding="utf-8")
    project = services.catalog.ensure_project("default")
    directory_id = mirror_folder(
        services.catalog, services.blobs, project_id=project.id, root=folder
    )
    job = services.jobs.submit(
        JobRequest(project_id=project.id, job_config=PARSE, directory_id=directory_id)
    )
    outputs = LiveOutputs.start(services, job, out)  # before the engine starts: all routed
    loaded: list[str] = []
    load = outputs.writer.load

    def counted(result_id: str) -> dict[str, Any]:
        loaded.append(result_id)
        return load(result_id)

    outputs.writer.load = counted
    services.start()
    deadline = time.monotonic() + 120
    while services.catalog.get_job(job.id, project_id=None).counts.completed < 3:
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.05)
    outputs.write_finished(final=True)
    items, _ = services.catalog.list_items(job.id, project_id=None, limit=10, offset=0)
    by_name = {item.item_name: item for item in items}
    assert outputs.writer.written == 3
    for name, item in by_name.items():
        result = services.catalog.get_result(str(item.result_id), project_id=None)
        stored = orjson.loads(services.blobs.get(result.output_sha256))
        names = [str(out / n) for n in output_names(name, "parse") or []]
        for path, data in output_contents(names, name, item.result_id, stored):
            assert Path(path).read_bytes() == data, path
        big = name.startswith("big")
        assert (len(services.blobs.get(result.output_sha256)) >= KEEP_LARGE_BYTES) == big
        # A small result is packed (``store.blob_pack``): no file of its own.
        assert services.blobs.stored_path(result.output_sha256).exists() == big
    small = [str(by_name["note.md"].result_id)]
    written_here = small if every_core else sorted(str(item.result_id) for item in items)
    assert sorted(loaded) == written_here


def _task(root: str, **extra: Any) -> Task:
    return Task("parse", "/nonexistent", "doc.pdf", {}, 10.0, blob_root=root, **extra)


def test_keep_large_stores_only_large_blobs_and_hands_over_when_it_cannot(tmp_path: Path) -> None:
    root = tmp_path / "blobs"
    small = ProcessorOutput(b'{"type":"parse"}', None)
    assert keep_large(_task(str(root)), small) is small
    blob = orjson.dumps({"type": "parse", "markdown_full": "x" * KEEP_LARGE_BYTES})
    large = ProcessorOutput(blob, None)
    kept = keep_large(_task(str(root)), large)
    assert kept.blob == b"" and kept.result_id == ""
    assert LocalBlobStore(root).get(kept.stored) == blob
    assert keep_large(_task(""), large) is large  # no shared store: over the pipe
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        assert keep_large(_task(str(locked / "blobs")), large) is large


def test_outputs_the_worker_cannot_write_are_left_to_the_command(tmp_path: Path) -> None:
    blob = orjson.dumps({"type": "parse", "markdown_full": "x" * KEEP_LARGE_BYTES, "pages": []})
    blocked = tmp_path / "file"
    blocked.write_text("a file where a folder should be", encoding="utf-8")
    task = _task(str(tmp_path / "blobs"), outputs=(str(blocked / "doc.pdf.md"),), result_id="r-1")
    kept = keep_large(task, ProcessorOutput(blob, None))
    assert kept.stored and kept.result_id == ""  # stored, but its outputs are not written
    written = _task(
        str(tmp_path / "blobs"), outputs=(str(tmp_path / "o" / "doc.pdf.json"),), result_id="r-2"
    )
    kept = keep_large(written, ProcessorOutput(blob, None))
    assert kept.result_id == "r-2"
    assert orjson.loads((tmp_path / "o" / "doc.pdf.json").read_bytes())["result_id"] == "r-2"
