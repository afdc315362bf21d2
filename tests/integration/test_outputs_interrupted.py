"""Ctrl-C while ``reams run`` writes outputs: the files of every finished item are still
written by the final pass, each once, and no temporary file is left (real store, real worker
process, real files)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from note_jobs import submit_notes
from reams.bootstrap import build
from reams.cli.run import LiveOutputs
from reams.settings import Settings
from reams.store import files

NOTES = 40


def test_an_interrupted_write_leaves_nothing_unwritten_or_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = build(Settings(data_dir=tmp_path / "data", workers=1, lease_s=30))
    try:
        services.start()
        job_id = submit_notes(services, tmp_path / "notes", NOTES)
        deadline = time.monotonic() + 60
        while (job := services.catalog.get_job(job_id, project_id=None)).status != "completed":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        out = tmp_path / "out"
        outputs = LiveOutputs.start(services, job, out)
        replace, calls = os.replace, []

        def interrupted_once(src: str, dst: str) -> None:
            calls.append(dst)
            if len(calls) == 13:  # the 7th item's .json (each item's .json, then its .md)
                raise KeyboardInterrupt
            replace(src, dst)

        monkeypatch.setattr(files.os, "replace", interrupted_once)
        with pytest.raises(KeyboardInterrupt):
            outputs.write_finished(final=True)
        assert outputs.handed_out == 6
        outputs.write_finished(final=True)  # what ``interrupted()`` does after Ctrl-C
    finally:
        services.close()
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"note-{n:03}.md{ext}" for n in range(NOTES) for ext in (".md", ".json"))
    assert outputs.handed_out == NOTES and outputs.writer.written == NOTES
