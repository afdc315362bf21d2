"""Page images for vision models: PDF and image pages rendered to bounded PNG data URLs.

``MULTIMODAL`` classification and the ``agentic`` extract tiers send each page's image beside
its text, as OpenAI-compatible ``image_url`` content parts (``data:image/png;base64,...``). Pages
are drawn by the parse package's own sources (PDFium for PDF, Pillow for image files) at
:data:`DPI` at most and scaled so the longer side is at most :data:`MAX_SIDE` pixels, so one
request stays a predictable size whatever the page. Other formats (Office, web, mail, text) have
no page image: they go as text. Images are made one page at a time, when a request needs them.
"""

from __future__ import annotations

import base64
import io
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol

from reams.domain.errors import ProcessorError

__all__ = [
    "DPI",
    "MAX_SIDE",
    "VISION_TIERS",
    "DocumentSource",
    "PageImages",
    "VisionSession",
    "png_bytes",
]

DPI = 150.0  # enough for small print; vision models downscale larger images anyway
MAX_SIDE = 1_600  # pixels on the longer side
VISION_TIERS = frozenset({"agentic", "agentic_plus"})
_RENDERABLE = frozenset({"pdf", "png", "jpeg", "tiff", "bmp", "gif", "webp"})


@dataclass(frozen=True)
class DocumentSource:
    """The document's bytes and name, for page images (the parse output has text only)."""

    data: bytes
    filename: str


class _Renderer(Protocol):
    page_count: int

    def render(self, index: int, scale: float) -> Any: ...

    def close(self) -> None: ...


class PageImages(AbstractContextManager["PageImages"]):
    """Data URLs of a document's page images, drawn on demand; ``None`` for a page that has
    none (not a PDF or image file, a page out of range, a page that failed to draw)."""

    def __init__(self, source: DocumentSource) -> None:
        self._source = source
        self._renderer: _Renderer | None = None
        self._opened = False
        self.failed: list[int] = []
        self.kind = _detect(source)

    @property
    def available(self) -> bool:
        """Whether this document's pages can be drawn at all."""
        return self.kind in _RENDERABLE

    def url(self, page: int) -> str | None:
        """The PNG data URL of page ``page`` (1-based)."""
        renderer = self._open()
        if renderer is None or not 1 <= page <= renderer.page_count:
            return None
        try:
            image = _drawn(renderer, page - 1)
            try:
                return "data:image/png;base64," + base64.b64encode(png_bytes(image)).decode()
            finally:
                image.close()
        except (ProcessorError, OSError, ValueError, RuntimeError):
            self.failed.append(page)
            return None

    def _open(self) -> _Renderer | None:
        if not self._opened:
            self._opened = True
            try:
                self._renderer = _renderer(self.kind, self._source.data)
            except (ProcessorError, OSError, ValueError, RuntimeError):
                self._renderer = None
        return self._renderer

    def close(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _drawn(renderer: _Renderer, index: int) -> Any:
    """Page ``index`` at :data:`DPI`, drawn again smaller if its longer side exceeds
    :data:`MAX_SIDE` (cheaper than resampling the large image)."""
    scale = DPI / 72.0
    image = renderer.render(index, scale)
    longer = max(image.width, image.height)
    if longer <= MAX_SIDE:
        return image
    image.close()
    return renderer.render(index, scale * MAX_SIDE / longer * 0.999)


def png_bytes(image: Any) -> bytes:
    """``image`` (a PIL image) as PNG, its longer side scaled down to :data:`MAX_SIDE`."""
    from PIL import Image

    longer = max(image.width, image.height)
    if longer > MAX_SIDE:
        factor = MAX_SIDE / longer
        size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _detect(source: DocumentSource) -> str:
    from reams.processors.parse.detect import detect_type

    try:
        return detect_type(source.data, source.filename)
    except (ProcessorError, OSError, ValueError):
        return "unknown"


def _renderer(kind: str, data: bytes) -> _Renderer | None:
    if kind == "pdf":
        from reams.processors.parse.pdf.reader import PdfSource

        return PdfSource(data)
    if kind in _RENDERABLE:
        from reams.processors.parse.ocr.image import ImageSource

        return ImageSource(data)
    return None


_REFUSALS = frozenset({"llm_vision_unsupported", "llm_request_rejected"})


class VisionSession:
    """Whether one item's requests carry page images, and its fall back to text.

    Images go when they are ``wanted`` (``MULTIMODAL``, an ``agentic`` tier), the document's
    bytes are given, its pages can be drawn and ``config.vision`` is not False. When the endpoint
    refuses a request with images and ``config.vision`` is None (unknown), the item goes on with
    text only; with ``vision=True`` the refusal is the item's error. Each choice is explained in
    ``warnings``.
    """

    def __init__(
        self,
        *,
        wanted: bool,
        vision: bool | None,
        source: DocumentSource | None,
        warnings: list[str],
        why: str,
    ) -> None:
        self._vision = vision
        self._warnings = warnings
        self._why = why
        self.images: PageImages | None = None
        if not wanted:
            return
        if vision is False:
            self._warn("the configured model takes no images (REAMS_LLM_VISION=false)")
        elif source is None:
            self._warn("the document's bytes were not given to the LLM engine")
        else:
            images = PageImages(source)
            if images.available:
                self.images = images
            else:
                self._warn(f"only PDF and image files have page images, not {images.kind}")

    @property
    def on(self) -> bool:
        return self.images is not None

    def urls(self, pages: list[int]) -> dict[int, str]:
        """The data URLs of ``pages`` that could be drawn (none when images are off)."""
        if self.images is None:
            return {}
        found = {page: self.images.url(page) for page in pages}
        return {page: url for page, url in found.items() if url}

    def refused(self, error: ProcessorError) -> bool:
        """Whether to resend as text after ``error`` (images off from now on), else False."""
        if self.images is None or error.code not in _REFUSALS or self._vision is True:
            return False
        self._warn(f"the LLM endpoint refused them ({error.message})")
        self.close()
        return True

    def close(self) -> None:
        if self.images is not None:
            failed = self.images.failed
            if failed:
                listed = ", ".join(str(p) for p in failed[:10])
                self._warnings.append(f"page images could not be drawn for page(s) {listed}")
            self.images.close()
            self.images = None

    def _warn(self, reason: str) -> None:
        self._warnings.append(f"{self._why} asks for page images, but {reason}: sent text only")
