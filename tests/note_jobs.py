"""A parse job over a folder of tiny Markdown notes, submitted through the application layer:
the fast items that the driver queues a claim deep in its child (drive and cancel tests)."""

from __future__ import annotations

from pathlib import Path

from reams.bootstrap import Services
from reams.service.folders import mirror_folder
from reams.service.jobs import JobRequest

CONFIG = {"job_name": "parse_raw_file_job", "parameters": {"type": "parse"}}


def submit_notes(services: Services, folder: Path, count: int) -> str:
    folder.mkdir()
    for n in range(count):
        (folder / f"note-{n:03}.md").write_text(f"# Note {n}\n\nA short note.\n")
    project = services.catalog.ensure_project("default")
    directory = mirror_folder(services.catalog, services.blobs, project_id=project.id, root=folder)
    request = JobRequest(project_id=project.id, job_config=CONFIG, directory_id=directory)
    return services.jobs.submit(request).id
