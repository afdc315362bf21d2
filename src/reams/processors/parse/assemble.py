"""From extracted pages to a parsed document: failed-page handling, warnings, full outputs.

A page that cannot be read is never silently blank: it is marked ``success: false`` with a readable
``error``, and its content follows ``replace_failed_page_mode``.
"""

from __future__ import annotations

import logging
from typing import Protocol

from reams.domain.errors import ProcessorError
from reams.processors.parse.blocks import escape_markdown
from reams.processors.parse.items import boxed_items, furniture_item, page_items
from reams.processors.parse.language import guess_language
from reams.processors.parse.model import (
    Item,
    Metadata,
    PageContent,
    PageSource,
    ParsedDocument,
    ParsedPage,
)
from reams.processors.parse.options import ParseOptions

logger = logging.getLogger(__name__)

# Said of pages that came out empty: blank pages, and pages OCR found no text on or did not read
# (those also get a warning from ocr.pages saying why).
NO_TEXT_LAYER = "no text found"


def extract_page(source: PageSource, index: int, options: ParseOptions) -> ParsedPage:
    """Extract page ``index`` (0-based), turning a damaged page into a failed page record."""
    try:
        content = source.page(index)
    except Exception as exc:
        logger.warning("page %d could not be extracted", index + 1, exc_info=True)
        return _failed_page(source, index, options, cause=exc)
    header = content.header if not options.hide_headers else None
    footer = content.footer if not options.hide_footers else None
    return ParsedPage(
        page_number=index + 1,
        markdown=_framed(
            escape_markdown(header or ""), content.markdown, escape_markdown(footer or "")
        ),
        text=_framed(header or "", content.text, footer or "", separator="\n"),
        width=content.width,
        height=content.height,
        success=True,
        error=None,
        items=_items(content, header=header, footer=footer),
        header=content.header,
        footer=content.footer,
        printed_page_number=content.printed_page_number,
        needs_ocr=content.needs_ocr,
        ocr=content.ocr,
    )


def _framed(header: str, body: str, footer: str, *, separator: str = "\n\n") -> str:
    """The page body between its running header and footer (either may be empty)."""
    if not header and not footer:
        return body
    return separator.join(part for part in (header, body, footer) if part)


def _items(content: PageContent, *, header: str | None, footer: str | None) -> tuple[Item, ...]:
    items = boxed_items(page_items(content.markdown), content.lines)
    if header:
        items.insert(0, furniture_item("header", header))
    if footer:
        items.append(furniture_item("footer", footer))
    return tuple(items)


def _failed_page(
    source: PageSource, index: int, options: ParseOptions, *, cause: Exception | None = None
) -> ParsedPage:
    # A reader that knows why a page failed (OCR, say) raises ProcessorError with a message
    # fit for the user; anything else is a damaged page.
    if isinstance(cause, ProcessorError):
        error = cause.message
    else:
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


class DocumentFacts(Protocol):
    """What assembling reads of the opened document (a :class:`PageSource` has it)."""

    metadata: Metadata
    warnings: list[str]

    @property
    def page_count(self) -> int: ...


def assemble(
    kind: str, source: DocumentFacts, pages: list[ParsedPage], options: ParseOptions
) -> ParsedDocument:
    """Check failure tolerance, collect warnings and join the pages into the full outputs."""
    failed = [page for page in pages if not page.success]
    check_failures(len(failed), len(pages), pages[0].error if pages else None, options)
    blank = [page.page_number for page in pages if page.success and not page.text.strip()]
    warnings = [*source.warnings, *blank_page_warnings(blank, len(pages))]
    if options.out_of_range_targets(source.page_count):
        warnings.append(
            f"target_pages names pages beyond the last page ({source.page_count} pages); "
            "they were skipped."
        )
    text_full = join_pages([(page.page_number, page.text) for page in pages], options)
    return ParsedDocument(
        detected_type=kind,
        page_count=source.page_count,
        pages=tuple(pages),
        markdown_full=join_pages([(page.page_number, page.markdown) for page in pages], options),
        text_full=text_full,
        warnings=tuple(warnings),
        ignored_options=options.ignored_options,
        metadata=dict(source.metadata),
        language=guess_language(text_full),
    )


def check_failures(failed: int, total: int, first_error: str | None, options: ParseOptions) -> None:
    """Refuse a document none of whose ``total`` pages could be read, or more than
    ``page_error_tolerance`` of them; ``first_error``: the first page's error."""
    if not failed:
        return
    if failed == total:
        # The first page's reason tells the user what went wrong (damage, OCR, memory).
        raise ProcessorError(
            "corrupt_document", f"None of the document's pages could be read. {first_error}"
        )
    tolerance = options.page_error_tolerance
    if tolerance is not None and failed / total > tolerance:
        raise ProcessorError(
            "corrupt_document",
            f"{failed} of {total} pages could not be read, more than "
            f"page_error_tolerance ({tolerance:g}) allows.",
        )


def blank_page_warnings(blank: list[int], total: int) -> list[str]:
    """The warning naming the pages (numbers) read successfully but without text."""
    if not blank:
        return []
    if len(blank) == total:
        return [NO_TEXT_LAYER]
    numbers = ", ".join(str(number) for number in blank)
    return [f"page{'s' if len(blank) > 1 else ''} {numbers}: {NO_TEXT_LAYER}"]


def join_pages(contents: list[tuple[int, str]], options: ParseOptions) -> str:
    """Wrap each page in prefix/suffix and separate pages; ``{pageNumber}`` is 1-based."""
    pieces: list[str] = []
    for position, (number, content) in enumerate(contents):
        if position:
            pieces.append(page_marker(options.page_separator, number))
        pieces.append(page_marker(options.page_prefix, number))
        pieces.append(content)
        pieces.append(page_marker(options.page_suffix, number))
    return "".join(pieces)


def page_marker(template: str, number: int) -> str:
    # str.replace, not str.format: user templates may contain other braces.
    return template.replace("{pageNumber}", str(number))
