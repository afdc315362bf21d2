"""v1 classifier jobs (`/api/v1/classifier/jobs`): create, list, get.

A v1 classifier job is a classify batch job: create takes plain files (``fil-...``), puts each
into the project's hidden input directory (:mod:`reams.service.inputs`) and submits one
classify job over those directory files through :meth:`reams.service.jobs.Jobs.submit`, with
the v1 ``ClassifyJob``-shaped config (``rules``, ``mode``, ``parsing_configuration``). Every
classify batch job, whatever door it came in by, is listed and read as a classifier job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reams.domain.errors import InvalidField, NotFound
from reams.domain.paging import decimal_offset
from reams.domain.records import Job, JobApi, JobOrigin
from reams.service.inputs import entries_for_files
from reams.service.jobs import JobRequest, Jobs, check_config
from reams.store.protocols import Catalog

JOB_TYPE = "classify"


def classify_config(
    rules: Sequence[Mapping[str, Any]],
    *,
    mode: str | None = None,
    parsing_configuration: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The v1 ``ClassifyJob``-shaped job config of a classifier create."""
    config: dict[str, Any] = {"rules": [dict(r) for r in rules]}
    if mode is not None:
        config["mode"] = mode
    if parsing_configuration:
        config["parsing_configuration"] = dict(parsing_configuration)
    return config


def page_offset(page_token: str | None) -> int:
    """The offset a ``page_token`` of the classifier lists stands for (400 if not one of ours)."""
    if page_token is None or page_token == "":
        return 0
    return decimal_offset(page_token)


class Classifier:
    """Classifier-job use cases over the catalog and the job door."""

    def __init__(self, *, catalog: Catalog, jobs: Jobs) -> None:
        self._catalog = catalog
        self._jobs = jobs

    def create(
        self,
        *,
        project_id: str,
        file_ids: Sequence[str],
        rules: Sequence[Mapping[str, Any]],
        mode: str | None = None,
        parsing_configuration: Mapping[str, Any] | None = None,
        webhooks: Sequence[object] = (),
    ) -> Job:
        """Check the rules, find every file, then submit one classify job over them.

        Nothing is written when the config is invalid (422) or a file is unknown (404).
        """
        if not file_ids:
            raise InvalidField("file_ids must name at least one file (fil-...)")
        config = classify_config(rules, mode=mode, parsing_configuration=parsing_configuration)
        check_config(config)
        entries = entries_for_files(self._catalog, project_id, file_ids)
        return self._jobs.submit(
            JobRequest(
                project_id=project_id,
                job_config=config,
                item_ids=list(dict.fromkeys(entries)),
                origin=JobOrigin(api=JobApi.CLASSIFIER),
                webhooks=webhooks,
            )
        )

    def get(self, job_id: str, *, project_id: str) -> Job:
        """A classify job of the project; any other job is NotFound."""
        job = self._catalog.get_job(job_id, project_id=project_id)
        if job.job_type != JOB_TYPE:
            raise NotFound("classifier job", job_id)
        return job

    def list(
        self, *, project_id: str, page_size: int, page_token: str | None
    ) -> tuple[list[Job], str | None]:
        """A page of the project's classify jobs, newest first, and the next page's token."""
        offset = page_offset(page_token)
        jobs, total = self._catalog.list_jobs(
            project_id=project_id, limit=page_size, offset=offset, job_type=JOB_TYPE
        )
        following = offset + len(jobs)
        return jobs, (str(following) if jobs and following < total else None)
