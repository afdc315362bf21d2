"""Identifier formats, shaped like LlamaCloud's (``dir-<uuid>``, ``dfl-<uuid>``, ...)."""

from __future__ import annotations

import uuid
from typing import Final

PROJECT: Final = "prj"
DIRECTORY: Final = "dir"
DIRECTORY_FILE: Final = "dfl"
FILE: Final = "fil"
BATCH_JOB: Final = "bjb"
ITEM: Final = "itm"
PARSE_JOB: Final = "pjb"
CLASSIFY_JOB: Final = "cjb"
EXTRACT_JOB: Final = "ejb"
API_KEY: Final = "key"

RESULT_PREFIX_BY_JOB_TYPE: Final = {
    "parse": PARSE_JOB,
    "classify": CLASSIFY_JOB,
    "extract": EXTRACT_JOB,
}


def new_id(prefix: str) -> str:
    """A fresh random id with the given prefix."""
    return f"{prefix}-{uuid.uuid4()}"


def workflow_id(job_id: str) -> str:
    """The id of a batch job's orchestration (a Temporal workflow id on that engine)."""
    return f"reams-batch-{job_id}"


# Appended: saved product configurations (`cfg-<uuid>`; built-in presets are `cfg-<NAME>`)
# and saved webhook configurations.
CONFIGURATION: Final = "cfg"
WEBHOOK_CONFIG: Final = "whc"
# A job's webhook endpoint and one delivery of one event to it (also its `webhook-id`).
JOB_WEBHOOK: Final = "jwh"
WEBHOOK_DELIVERY: Final = "whd"
# A `reams worker` process (its heartbeat row).
WORKER: Final = "wkr"
