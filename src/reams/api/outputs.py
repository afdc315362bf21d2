"""Reading a stored processor output (the result blob) for the result endpoints."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from reams.domain.errors import NotFound
from reams.domain.records import Result

Output = dict[str, Any]

# The v1 record and the v2 products carry a user; reams has projects and keys, not users.
USER_ID = "reams"


def load_output(read: Callable[[str], bytes], result: Result, what: str) -> Output:
    """The output blob of ``result`` as JSON; 404 when the blob is gone."""
    try:
        return dict(json.loads(read(result.output_sha256)))
    except KeyError:  # the blob is gone (e.g. a data dir restored partially)
        raise NotFound(what, result.id) from None


def result_of_type(
    get: Callable[..., Result], job_id: str, project_id: str, job_type: str
) -> Result:
    """The result ``job_id`` when it is a ``job_type`` result; 404 otherwise."""
    result = get(job_id, project_id=project_id)
    if result.job_type != job_type:
        raise NotFound(f"{job_type} job", job_id)
    return result
