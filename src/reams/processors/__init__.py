"""Processors: pure functions from (document bytes, file name, parameters) to a job's output.

:func:`run` is the single entry point the engine calls inside an isolated worker process. It
raises only :class:`~reams.domain.errors.ProcessorError`, whose ``code`` users see.
"""

from __future__ import annotations

from collections.abc import Mapping

from reams.domain.errors import ProcessorError

__all__ = ["run"]


def run(
    job_type: str, data: bytes, filename: str, parameters: Mapping[str, object]
) -> dict[str, object]:
    """Run the ``job_type`` processor on one document and return its JSON-serialisable output.

    Only ``parse`` is implemented here; other job types raise ``unsupported_job_type``.
    """
    if job_type != "parse":
        raise ProcessorError(
            "unsupported_job_type", f"The job type {job_type!r} is not implemented yet."
        )
    from reams.processors.parse import ParseOptions, parse_document

    options = ParseOptions.from_parameters(parameters)
    return parse_document(data, filename, options).to_dict()
