"""Processors: pure functions from (document bytes, file name, parameters) to a job's output.

:func:`run` is the single entry point the engine calls inside an isolated worker process. It
raises only :class:`~reams.domain.errors.ProcessorError`, whose ``code`` users see.
:func:`check` validates what only a processor understands (an extract job's JSON Schema, the
value types of the parse options) when a job is created, so a bad configuration is a 422 and
nothing is queued.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from reams.domain.errors import ProcessorError

if TYPE_CHECKING:
    from reams.processors.llm.config import LlmConfig
    from reams.processors.llm.limits import Limiter

__all__ = ["check", "run"]


def run(
    job_type: str,
    data: bytes,
    filename: str,
    parameters: Mapping[str, Any],
    *,
    llm: LlmConfig | None = None,
    limiter: Limiter | None = None,
) -> dict[str, Any]:
    """Run the ``job_type`` processor on one document and return its JSON-serialisable output.

    ``llm`` is the LLM endpoint classify and extract may use (typed, from the settings); parse
    never does. ``limiter`` is held around each LLM request (the engine passes its host-wide
    concurrency slots); without one the LLM requests are not limited.
    """
    if job_type == "parse":
        from reams.processors.parse import ParseOptions, parse_document

        options = ParseOptions.from_parameters(parameters)
        return parse_document(data, filename, options).to_dict()
    if job_type == "classify":
        from reams.processors.classify import classify

        return classify(data, filename, parameters, llm=llm, limiter=limiter)
    if job_type == "extract":
        from reams.processors.extract import extract

        return extract(data, filename, parameters, llm=llm, limiter=limiter)
    raise ProcessorError("unsupported_job_type", f"The job type {job_type!r} is not supported.")


def check(job_type: str, parameters: Mapping[str, Any]) -> None:
    """Raise InvalidRequest (422) when a job's parameters cannot work; called at job creation."""
    if job_type == "parse":
        from reams.processors.parse.options import check_parameters as check_parse

        check_parse(parameters)
    elif job_type == "extract":
        from reams.processors.extract import check_parameters

        check_parameters(parameters)
