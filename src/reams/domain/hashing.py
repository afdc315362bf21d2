"""Content and configuration hashing for dedup ("already processed")."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Final

# Server-side fields of a job record (the SDK's ClassifyJob typing makes callers send them).
RECORD_FIELDS: Final = frozenset(
    {
        "id",
        "project_id",
        "user_id",
        "status",
        "created_at",
        "updated_at",
        "effective_at",
        "error_message",
        "job_record_id",
    }
)

# Keys that do not change the output: where it is delivered, who asked, how it is tracked, and the
# cache switches themselves.
NON_OUTPUT_KEYS: Final = RECORD_FIELDS | frozenset(
    {
        "webhook_url",
        "webhook_configurations",
        "correlation_id",
        "session_id",
        "parent_job_execution_id",
        "invalidate_cache",
        "do_not_cache",
        "priority",
        "job_timeout_in_seconds",
        "job_timeout_extra_time_per_page_in_seconds",
        "partitions",
        "custom_metadata",
        "resource_info",
        "output_s3_path_prefix",
        "output_s3_region",
        "outputBucket",
    }
)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _strip(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {
            k: _strip(v) for k, v in value.items() if k not in NON_OUTPUT_KEYS and v is not None
        }
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def parameters_hash(job_type: str, job_config: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of the output-affecting configuration.

    ``None`` values are dropped so that an explicit ``null`` and a missing key hash alike.
    """
    payload = {"job_type": job_type, "config": _strip(job_config)}
    return sha256_hex(canonical_json(payload).encode())


def config_hash(job_type: str, parameters: Mapping[str, Any]) -> str:
    """sha256 of already-normalised parameters, hashed whole (nothing stripped)."""
    payload = {"job_type": job_type, "config": parameters}
    return sha256_hex(canonical_json(payload).encode())
