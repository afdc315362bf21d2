"""Reading a batch ``job_config``: which job type it is, and the settings the engine needs.

The v1 ``job_config`` union has no discriminator (spec §5.3, §12.2): a ``rules`` key means the
classify variant, ``extract_config`` / ``data_schema`` the extract variant reams adds, and
anything else (``{}`` included, as the SDK's own tests send) the parse variant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reams.domain.analysis_config import (
    classify_parameters,
    extract_parameters,
    invalidate_cache,
)
from reams.domain.errors import InvalidField
from reams.domain.hashing import config_hash, parameters_hash
from reams.domain.states import JobType


@dataclass(frozen=True)
class JobSettings:
    """What the engine needs from a job's configuration, resolved and checked once at
    creation and stored with the job (versioned JSON); engines read this, never the raw
    ``job_config`` again."""

    job_type: JobType
    parameters: dict[str, Any]
    parameters_hash: str
    timeout_s: float | None = None
    timeout_per_page_s: float | None = None
    bypass_cache: bool = False
    do_not_cache: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The stored form; ``version`` lets a later reams read what an earlier one wrote."""
        return {
            "version": SETTINGS_VERSION,
            "job_type": self.job_type.value,
            "parameters": self.parameters,
            "parameters_hash": self.parameters_hash,
            "timeout_s": self.timeout_s,
            "timeout_per_page_s": self.timeout_per_page_s,
            "bypass_cache": self.bypass_cache,
            "do_not_cache": self.do_not_cache,
            "extra": self.extra,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> JobSettings:
        version = data.get("version")
        if version != SETTINGS_VERSION:
            raise ValueError(f"job settings version {version!r} is not one this reams reads")
        return cls(
            job_type=JobType(data["job_type"]),
            parameters=dict(data["parameters"]),
            parameters_hash=data["parameters_hash"],
            timeout_s=data.get("timeout_s"),
            timeout_per_page_s=data.get("timeout_per_page_s"),
            bypass_cache=bool(data.get("bypass_cache")),
            do_not_cache=bool(data.get("do_not_cache")),
            extra=dict(data.get("extra") or {}),
        )


SETTINGS_VERSION = 1


def infer_job_type(job_config: Mapping[str, Any]) -> JobType:
    if "rules" in job_config:
        return JobType.CLASSIFY
    if "extract_config" in job_config or "data_schema" in job_config:
        return JobType.EXTRACT
    return JobType.PARSE


def _parse_parameters(job_config: Mapping[str, Any]) -> dict[str, Any]:
    name = job_config.get("job_name")
    if name is not None and name != "parse_raw_file_job":
        raise InvalidField(f"job_config.job_name must be 'parse_raw_file_job', got {name!r}")
    params = job_config.get("parameters") or {}
    if not isinstance(params, Mapping):
        raise InvalidField("job_config.parameters must be an object")
    kind = params.get("type", "parse")
    if kind not in (None, "parse"):
        raise InvalidField(f"job_config.parameters.type must be 'parse', got {kind!r}")
    return dict(params)


def _positive(params: Mapping[str, Any], key: str) -> float | None:
    value = params.get(key)
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        raise InvalidField(f"job_config.parameters.{key} must be a positive number")
    return float(value)


def _flag(params: Mapping[str, Any], key: str) -> bool:
    value = params.get(key)
    if value is not None and not isinstance(value, bool):
        raise InvalidField(f"job_config.parameters.{key} must be true or false, got {value!r}")
    return bool(value)


def resolve(job_config: Mapping[str, Any]) -> JobSettings:
    """Validate a ``job_config`` and resolve what the engine needs; raises InvalidRequest.

    Classify and extract configs are checked structurally here; the processors check what only
    they understand (the JSON Schema of an extract job) through ``reams.processors.check``.
    """
    if not isinstance(job_config, Mapping):
        raise InvalidField("job_config must be an object")
    job_type = infer_job_type(job_config)
    if job_type is not JobType.PARSE:
        analysis = (
            classify_parameters(job_config)
            if job_type is JobType.CLASSIFY
            else extract_parameters(job_config)
        )
        # Normalised already (server-side fields dropped), so hashed as is: a schema property
        # may well be called "id" or "status".
        return JobSettings(
            job_type=job_type,
            parameters=analysis,
            parameters_hash=config_hash(job_type.value, analysis),
            bypass_cache=invalidate_cache(job_config),
        )
    params = _parse_parameters(job_config)
    return JobSettings(
        job_type=job_type,
        parameters=params,
        # `type` only repeats the job type; `{}` and `{"type": "parse"}` are the same job.
        parameters_hash=parameters_hash(
            job_type.value, {k: v for k, v in params.items() if k != "type"}
        ),
        timeout_s=_positive(params, "job_timeout_in_seconds"),
        timeout_per_page_s=_positive(params, "job_timeout_extra_time_per_page_in_seconds"),
        bypass_cache=_flag(params, "invalidate_cache"),
        do_not_cache=_flag(params, "do_not_cache"),
    )
