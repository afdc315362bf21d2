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

__all__ = ["check", "merge", "run"]


def run(
    job_type: str,
    data: bytes,
    filename: str,
    parameters: Mapping[str, Any],
    *,
    llm: LlmConfig | None = None,
    limiter: Limiter | None = None,
    split_above: int = 0,
    pages: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """Run the ``job_type`` processor on one document and return its JSON-serialisable output.

    ``llm`` is the LLM endpoint classify and extract may use (typed, from the settings); parse
    never does. ``limiter`` is held around each LLM request (the engine passes its host-wide
    concurrency slots); without one the LLM requests are not limited.

    Parse only: with ``split_above``, a PDF of more pages is not parsed but answered with
    ``{"type": "parse_split", "pages": N}`` (the engine parses it in page parts); ``pages``
    = (first, last), 0-based, parses one such part (see ``parse.parts``).
    """
    if job_type == "parse":
        return _parse(data, filename, parameters, split_above=split_above, pages=pages)
    if job_type == "classify":
        from reams.processors.classify import classify

        return classify(data, filename, parameters, llm=llm, limiter=limiter)
    if job_type == "extract":
        from reams.processors.extract import extract

        return extract(data, filename, parameters, llm=llm, limiter=limiter)
    raise ProcessorError("unsupported_job_type", f"The job type {job_type!r} is not supported.")


def _parse(
    data: bytes,
    filename: str,
    parameters: Mapping[str, Any],
    *,
    split_above: int,
    pages: tuple[int, int] | None,
) -> dict[str, Any]:
    from reams.processors.parse import ParseOptions, parse_document
    from reams.processors.parse.parts import pages_to_split, parse_part

    options = ParseOptions.from_parameters(parameters)
    if pages is not None:
        return parse_part(data, options, first=pages[0], last=pages[1])
    count = pages_to_split(data, options, above=split_above)
    if count is not None:
        return {"type": "parse_split", "pages": count}
    return parse_document(data, filename, options).to_dict()


def merge(
    job_type: str, parts: list[bytes], parameters: Mapping[str, Any]
) -> tuple[bytes, dict[str, Any]]:
    """The output of a document parsed in page parts, from the parts' outputs (their JSON, in
    page order): the output's JSON (spliced, not encoded again) and its ``document`` object."""
    if job_type != "parse":
        raise ProcessorError("unsupported_job_type", f"{job_type!r} jobs are not parsed in parts.")
    from reams.processors.parse import ParseOptions
    from reams.processors.parse.parts import merge_parts

    return merge_parts(parts, ParseOptions.from_parameters(parameters))


def check(job_type: str, parameters: Mapping[str, Any]) -> None:
    """Raise InvalidRequest (422) when a job's parameters cannot work; called at job creation."""
    if job_type == "parse":
        from reams.processors.parse.options import check_parameters as check_parse

        check_parse(parameters)
    elif job_type == "extract":
        from reams.processors.extract import check_parameters

        check_parameters(parameters)
