"""Parse options: the LlamaParse ``parameters`` of a batch parse job, validated for offline use.

Options that mean something offline and that this version implements are honoured. Every other
option the caller actually set is listed in ``ignored_options`` so that nothing is dropped without
trace, except the engine-level keys that other layers consume. Unknown keys never raise; a bad value
for an honoured key raises ``ProcessorError('invalid_parameters', ...)`` when a document is parsed,
and :func:`check_parameters` refuses it earlier, when a job is created (an API 422, a CLI usage
error), so a bad value never fails every item one by one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from reams.domain.errors import InvalidField, ProcessorError

FailedPageMode = Literal["raw_text", "blank_page", "error_message"]
PageRange = tuple[int, int]

DEFAULT_PAGE_SEPARATOR = "\n\n---\n\n"

# Consumed by the engine, the API or the store; recording them as "ignored" would be misleading.
ENGINE_KEYS = frozenset(
    {
        "type",
        "job_timeout_in_seconds",
        "job_timeout_extra_time_per_page_in_seconds",
        "invalidate_cache",
        "do_not_cache",
        "webhook_url",
        "webhook_configurations",
        "custom_metadata",
        "resource_info",
    }
)

# ``extract_printed_page_number`` is honoured trivially: printed page numbers are always reported
# when found. ``ocr_engine`` is a reams extension (``auto``, ``rapidocr`` or ``tesseract``).
HONOURED_KEYS = frozenset(
    {
        "page_separator",
        "page_prefix",
        "page_suffix",
        "target_pages",
        "max_pages",
        "output_tables_as_HTML",
        "output_tables_as_html",  # the Python SDK's field name, in case a client sends it as is
        "replace_failed_page_mode",
        "replace_failed_page_with_error_message_prefix",
        "replace_failed_page_with_error_message_suffix",
        "html_remove_navigation_elements",
        "page_error_tolerance",
        "disable_ocr",
        "ocr_engine",
        "hide_headers",
        "hide_footers",
        "extract_printed_page_number",
        "spreadsheet_include_hidden_sheets",
        "lang",
        "languages",
    }
)

# The keys a parse job understands: what ``reams run --param`` accepts (the API stays lenient
# and records the others as ignored, since LlamaParse clients send many more).
KNOWN_KEYS = HONOURED_KEYS | ENGINE_KEYS

_RANGE = re.compile(r"^(\d+)(?:\s*-\s*(\d+))?$")


class ParseOptions(BaseModel):
    """Validated parse options; build them with :meth:`from_parameters`."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    page_separator: str = DEFAULT_PAGE_SEPARATOR
    page_prefix: str = ""
    page_suffix: str = ""
    target_pages: tuple[PageRange, ...] | None = None
    """0-indexed inclusive page ranges, parsed from ``"0,2-4"`` or a list of ints."""
    max_pages: int | None = Field(default=None, ge=0)
    """0 or None means no limit, as in LlamaParse."""
    output_tables_as_html: bool = Field(default=False, alias="output_tables_as_HTML")
    replace_failed_page_mode: FailedPageMode = "error_message"
    replace_failed_page_with_error_message_prefix: str = ""
    replace_failed_page_with_error_message_suffix: str = ""
    html_remove_navigation_elements: bool = False
    page_error_tolerance: float | None = Field(default=None, ge=0.0, le=1.0)
    disable_ocr: bool = False
    """Never run OCR: pages without a text layer stay empty, and a warning names them."""
    ocr_engine: Literal["auto", "rapidocr", "tesseract"] = "auto"
    """``auto`` is rapidocr; ``tesseract`` (faster, where installed) falls back to rapidocr."""
    hide_headers: bool = False
    """Leave repeated page headers out of Markdown and text (they are still reported)."""
    hide_footers: bool = False
    extract_printed_page_number: bool = False
    """Honoured trivially: printed page numbers are always reported when found."""
    spreadsheet_include_hidden_sheets: bool = False
    lang: str | None = None
    """The document's language(s) for OCR, ISO 639-1 codes (``"fr"``, ``"fr,de"``): tesseract
    reads them with its language packs, and ``auto`` OCR uses it for languages rapidocr lacks."""
    languages: tuple[str, ...] = ()
    ignored_options: tuple[str, ...] = ()

    @field_validator("target_pages", mode="before")
    @classmethod
    def _parse_target_pages(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_page_ranges(value)
        if isinstance(value, list | tuple) and all(type(item) is int for item in value):
            return _ranges_from_ints(value)
        return value

    @classmethod
    def from_parameters(cls, parameters: Mapping[str, object]) -> ParseOptions:
        """Validate the honoured keys of ``parameters`` and record the other set ones as ignored."""
        honoured = {
            key: value
            for key, value in parameters.items()
            if key in HONOURED_KEYS and value is not None
        }
        ignored = sorted(
            key
            for key, value in parameters.items()
            if key not in HONOURED_KEYS and key not in ENGINE_KEYS and _is_set(value)
        )
        try:
            return cls.model_validate({**honoured, "ignored_options": tuple(ignored)})
        except ValidationError as exc:
            raise ProcessorError("invalid_parameters", _describe(exc)) from None

    def select_pages(self, page_count: int) -> list[int]:
        """Return the 0-indexed pages to parse out of ``page_count``, honouring target/max pages."""
        if self.target_pages is None:
            indices = list(range(page_count))
        else:
            wanted = {i for start, end in self.target_pages for i in range(start, end + 1)}
            indices = sorted(i for i in wanted if i < page_count)
            if not indices:
                raise ProcessorError(
                    "invalid_parameters",
                    f"target_pages selects no page of this {page_count}-page document "
                    "(pages are counted from 0).",
                )
        if self.max_pages:
            indices = indices[: self.max_pages]
        return indices

    def out_of_range_targets(self, page_count: int) -> bool:
        """Whether ``target_pages`` names pages beyond the end of the document."""
        return self.target_pages is not None and any(
            end >= page_count for _, end in self.target_pages
        )


def check_parameters(parameters: Mapping[str, object]) -> None:
    """Raise InvalidField (422) when an honoured key has a value of the wrong type or range.

    Called when a job is created; unknown keys pass (they are recorded as ignored later).
    """
    try:
        ParseOptions.from_parameters(parameters)
    except ProcessorError as exc:
        raise InvalidField(exc.message) from None


def parse_page_ranges(spec: str) -> tuple[PageRange, ...] | None:
    """Parse a LlamaParse ``target_pages`` string such as ``"0,2-4"`` into inclusive ranges."""
    if not spec.strip():
        return None
    ranges: list[PageRange] = []
    for part in spec.split(","):
        match = _RANGE.match(part.strip())
        if match is None:
            raise ValueError(f"{part.strip()!r} is not a page number or a range like 2-4")
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) is not None else start
        if end < start:
            raise ValueError(f"range {part.strip()!r} ends before it starts")
        ranges.append((start, end))
    return tuple(ranges)


def _ranges_from_ints(values: list[int] | tuple[int, ...]) -> tuple[PageRange, ...] | None:
    if any(value < 0 for value in values):
        raise ValueError("page numbers must not be negative")
    return tuple((value, value) for value in values) or None


def _is_set(value: object) -> bool:
    # Clients send every field with its default; only values that ask for something count.
    if value is None or value is False:
        return False
    return not (isinstance(value, str | list | tuple | dict) and not value)


def _describe(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    key = ".".join(str(part) for part in error["loc"]) or "parameters"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"The parse parameter {key!r} is invalid: {message}."
