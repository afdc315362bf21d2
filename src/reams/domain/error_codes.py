"""Every ``error_code`` a failed item (or a processor error answered by the API) can carry.

The codes are stable: users and scripts act on them (``reams retry --code timeout``). This table
is the one list of them: the README's list is rendered from it (:func:`markdown_list`), and a
test checks that the code raises no code missing here and that none listed here is unused.
"""

from __future__ import annotations

from typing import Final

ERROR_CODES: Final[dict[str, str]] = {
    # The document itself.
    "corrupt_document": "the file is damaged or not what its format says; reams could not read it",
    "encrypted_document": "the document is password-protected or encrypted",
    "empty_document": "the document holds no content to process",
    "unsupported_format": "reams does not process this kind of file",
    "too_large": "the document needs more memory (or unpacks larger) than reams allows",
    "ocr_failed": "the OCR engine could not read a scanned page",
    "no_fields_found": "no labelled fields or table headings to propose an extraction schema from",
    # The job's configuration.
    "invalid_parameters": "the job's options cannot be applied to this document "
    "(e.g. target_pages beyond its last page)",
    "unsupported_job_type": "the job type is not one reams runs",
    # Processing.
    "timeout": "processing took longer than the time allowed",
    "worker_crashed": "the worker process crashed or stopped on this item (retried)",
    "worker_lost": "the item was lost with its worker process (killed, crashed) too many times",
    "processing_error": "an unexpected error in a processor (a reams bug: please report it)",
    "internal_error": "reams could not record the item's outcome",
    "file_missing": "the file's stored content is missing from blob storage (for `reams run`: "
    "the local file changed or was removed after it was scanned)",
    # The LLM used by classify and extract.
    "llm_not_configured": "an LLM engine was asked for but no LLM is configured",
    "llm_misconfigured": "the LLM settings cannot work (e.g. its concurrency limits)",
    "llm_auth_failed": "the LLM endpoint refused the API key",
    "llm_request_rejected": "the LLM endpoint rejected the request",
    "llm_rate_limited": "the LLM endpoint kept answering 'too many requests'",
    "llm_unavailable": "the LLM endpoint could not be reached or kept failing",
    "llm_bad_output": "the model's answer could not be used",
    "llm_vision_unsupported": "the model refused page images (MULTIMODAL / agentic tiers)",
}


def markdown_list() -> str:
    """The README's list of error codes, one bullet a code, in the table's order."""
    return "\n".join(f"- `{code}`: {meaning}." for code, meaning in ERROR_CODES.items())
