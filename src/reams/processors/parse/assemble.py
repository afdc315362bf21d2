"""From extracted pages to a parsed document: failed-page handling, warnings, full outputs.

A page that cannot be read is never silently blank: it is marked ``success: false`` with a readable
``error``, and its content follows ``replace_failed_page_mode``.
"""

from __future__ import annotations

import logging

from reams.domain.errors import ProcessorError
from reams.processors.parse.model import PageSource, ParsedDocument, ParsedPage
from reams.processors.parse.options import ParseOptions

logger = logging.getLogger(__name__)

NO_TEXT_LAYER = "no text layer; OCR is not available in this version"


def extract_page(source: PageSource, index: int, options: ParseOptions) -> ParsedPage:
    """Extract page ``index`` (0-based), turning a damaged page into a failed page record."""
    try:
        content = source.page(index)
    except Exception:
        logger.warning("page %d could not be extracted", index + 1, exc_info=True)
        return _failed_page(source, index, options)
    return ParsedPage(
        page_number=index + 1,
        markdown=content.markdown,
        text=content.text,
        width=content.width,
        height=content.height,
        success=True,
        error=None,
    )


def _failed_page(source: PageSource, index: int, options: ParseOptions) -> ParsedPage:
    error = f"Page {index + 1} could not be read; its content may be damaged."
    if options.replace_failed_page_mode == "raw_text":
        content = _raw_text(source, index)
    elif options.replace_failed_page_mode == "blank_page":
        content = ""
    else:
        content = (
            options.replace_failed_page_with_error_message_prefix
            + error
            + options.replace_failed_page_with_error_message_suffix
        )
    return ParsedPage(index + 1, content, content, None, None, success=False, error=error)


def _raw_text(source: PageSource, index: int) -> str:
    try:
        return source.raw_text(index)
    except Exception:
        # The fallback is best effort: a page too damaged for raw text stays empty (and failed).
        return ""


def assemble(
    kind: str, source: PageSource, pages: list[ParsedPage], options: ParseOptions
) -> ParsedDocument:
    """Check failure tolerance, collect warnings and join the pages into the full outputs."""
    _check_failures(pages, options)
    warnings = [*source.warnings, *_blank_page_warnings(pages)]
    if options.out_of_range_targets(source.page_count):
        warnings.append(
            f"target_pages names pages beyond the last page ({source.page_count} pages); "
            "they were skipped."
        )
    return ParsedDocument(
        detected_type=kind,
        page_count=source.page_count,
        pages=tuple(pages),
        markdown_full=_join([(page.page_number, page.markdown) for page in pages], options),
        text_full=_join([(page.page_number, page.text) for page in pages], options),
        warnings=tuple(warnings),
        ignored_options=options.ignored_options,
        metadata=dict(source.metadata),
    )


def _check_failures(pages: list[ParsedPage], options: ParseOptions) -> None:
    failed = sum(1 for page in pages if not page.success)
    if not failed:
        return
    if failed == len(pages):
        raise ProcessorError("corrupt_document", "None of the document's pages could be read.")
    tolerance = options.page_error_tolerance
    if tolerance is not None and failed / len(pages) > tolerance:
        raise ProcessorError(
            "corrupt_document",
            f"{failed} of {len(pages)} pages could not be read, more than "
            f"page_error_tolerance ({tolerance:g}) allows.",
        )


def _blank_page_warnings(pages: list[ParsedPage]) -> list[str]:
    blank = [page.page_number for page in pages if page.success and not page.text.strip()]
    if not blank:
        return []
    if len(blank) == len(pages):
        return [NO_TEXT_LAYER]
    numbers = ", ".join(str(number) for number in blank)
    return [f"page{'s' if len(blank) > 1 else ''} {numbers}: {NO_TEXT_LAYER}"]


def _join(contents: list[tuple[int, str]], options: ParseOptions) -> str:
    """Wrap each page in prefix/suffix and separate pages; ``{pageNumber}`` is 1-based."""
    pieces: list[str] = []
    for position, (number, content) in enumerate(contents):
        if position:
            pieces.append(_number(options.page_separator, number))
        pieces.append(_number(options.page_prefix, number))
        pieces.append(content)
        pieces.append(_number(options.page_suffix, number))
    return "".join(pieces)


def _number(template: str, number: int) -> str:
    # str.replace, not str.format: user templates may contain other braces.
    return template.replace("{pageNumber}", str(number))
