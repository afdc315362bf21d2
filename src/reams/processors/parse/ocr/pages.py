"""OCR for the pages of a document that have no usable text: scanned PDF pages and images.

:class:`OcrPages` wraps a source that can render its pages. A page the reader marks ``needs_ocr``
is rendered at the scale OCR wants and read by the OCR engine; every other page passes through
untouched, so OCR costs nothing on documents with a text layer. With ``disable_ocr``, or where no
engine is installed, such pages stay empty and one warning names them: never silently blank.
An OCR failure fails that page only (``replace_failed_page_mode`` and ``page_error_tolerance``
then apply as for any damaged page).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from reams.processors.parse.model import Metadata, PageContent, PageSource
from reams.processors.parse.ocr.engine import (
    NO_ENGINE,
    OcrEngine,
    find_engine,
    ocr_failure,
    ocr_page,
    ocr_scale,
)
from reams.processors.parse.options import ParseOptions

if TYPE_CHECKING:
    from PIL.Image import Image

DISABLED = "OCR is disabled (disable_ocr)"


class RenderableSource(PageSource, Protocol):
    """A page source that can draw a page as an image; ``scale`` 1 is 72 dpi."""

    def render(self, index: int, scale: float) -> Image: ...


class OcrPages:
    """A :class:`PageSource` that reads the pages of ``inner`` which need OCR by OCR."""

    def __init__(
        self,
        inner: RenderableSource,
        *,
        disabled: bool,
        engine: str = "auto",
        languages: Sequence[str] = (),
    ) -> None:
        self._inner = inner
        self.metadata: Metadata = inner.metadata
        self.warnings: list[str] = inner.warnings  # shared: the reader may still add to it
        self._disabled = disabled
        self._preference = engine
        self._languages = tuple(languages)
        self._engine: OcrEngine | None = None
        self._looked_up = False
        self._unread: list[int] = []
        self._notice: int | None = None  # where our warning about unread pages sits

    @property
    def page_count(self) -> int:
        return self._inner.page_count

    def page(self, index: int) -> PageContent:
        content = self._inner.page(index)
        if not content.needs_ocr:
            return content
        engine = None if self._disabled else self._find_engine(index + 1)
        if engine is None:
            self._note_unread(index)
            return content
        image = self._inner.render(index, ocr_scale(content.width, content.height))
        try:
            return ocr_page(image, engine, page=content, number=index + 1)
        finally:
            image.close()

    def raw_text(self, index: int) -> str:
        return self._inner.raw_text(index)

    def close(self) -> None:
        self._inner.close()

    def _find_engine(self, number: int) -> OcrEngine | None:
        # Looked up on the first page that needs it: a text document never loads an engine.
        if not self._looked_up:
            try:
                self._engine, warnings = find_engine(self._preference, self._languages)
            except Exception as exc:  # loading failed (memory, a broken install): this page
                raise ocr_failure(number, exc, what="the OCR engine could not be loaded") from exc
            self._looked_up = True
            if self._engine is not None:
                self.warnings.extend(warnings)
        return self._engine

    def _note_unread(self, index: int) -> None:
        """Keep one warning listing every page that needed OCR and did not get it."""
        self._unread.append(index + 1)
        reason = DISABLED if self._disabled else NO_ENGINE
        numbers = ", ".join(str(number) for number in self._unread)
        if len(self._unread) == 1:
            pages = f"page {numbers} has no text layer and was"
        else:
            pages = f"pages {numbers} have no text layer and were"
        message = f"{reason}: {pages} not read"
        if self._notice is None:
            self._notice = len(self.warnings)
            self.warnings.append(message)
        else:
            self.warnings[self._notice] = message


def with_ocr(source: RenderableSource, options: ParseOptions) -> OcrPages:
    """``source`` with OCR, as ``options`` ask, for its pages that need it."""
    return OcrPages(
        source,
        disabled=options.disable_ocr,
        engine=options.ocr_engine,
        languages=ocr_languages(options),
    )


def ocr_languages(options: ParseOptions) -> tuple[str, ...]:
    """The document languages the options name (LlamaParse's ``lang`` or ``languages``).

    Read by name: they are honoured once :class:`ParseOptions` carries them, and until then
    OCR reads without (rapidocr; tesseract in English).
    """
    languages: list[str] = []
    for name in ("lang", "language", "languages"):
        value = getattr(options, name, None)
        if isinstance(value, str):
            languages.extend(part for part in value.replace("+", ",").split(",") if part.strip())
        elif isinstance(value, list | tuple):
            languages.extend(str(part) for part in value if str(part).strip())
    return tuple(dict.fromkeys(language.strip() for language in languages))
