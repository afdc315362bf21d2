"""Image files (PNG, JPEG, TIFF, BMP, GIF, WebP) via Pillow: one page per image, read by OCR.

A multi-page TIFF gives one page per frame; an animated GIF or WebP gives its first frame only,
because its frames are moments of one picture, not pages. Every page is marked ``needs_ocr`` and
:mod:`pages` does the reading, exactly as for a scanned PDF page.

Pixels are counted before anything is decoded: an image of more than :data:`MAX_PIXELS` is refused
as ``too_large``, so a small file declaring 50,000 x 50,000 pixels cannot exhaust the worker.
Page sizes are in points at the image's own resolution (72 dpi when it states none), like PDF
pages, and a photo's EXIF orientation is applied before OCR.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from reams.domain.errors import ProcessorError
from reams.processors.parse.model import Metadata, PageContent, PageSource
from reams.processors.parse.ocr.pages import with_ocr
from reams.processors.parse.options import ParseOptions

if TYPE_CHECKING:
    from PIL.Image import Image

IMAGE_TYPES = frozenset({"png", "jpeg", "tiff", "bmp", "gif", "webp"})
MAX_PIXELS = 89_478_485  # Pillow's own warning threshold: about 9,500 x 9,500 pixels
_PAGED = frozenset({"TIFF"})  # the format whose frames are pages (an MPO's are views of one)
_DEFAULT_DPI = 72.0
_DPI_RANGE = (36.0, 4800.0)  # outside it a stated resolution is nonsense; assume the default


def open_image(data: bytes, options: ParseOptions) -> PageSource:
    """Open an image file as pages that OCR reads (unless ``disable_ocr``)."""
    return with_ocr(ImageSource(data), options)


class ImageSource:
    """An open image file whose frames are pages; a :class:`PageSource` that can render."""

    def __init__(self, data: bytes) -> None:
        self._image = _open(data)
        self.warnings: list[str] = []
        frames = getattr(self._image, "n_frames", 1) if self._image.format in _PAGED else 1
        self.page_count: int = max(int(frames), 1)
        width, height = self._image.size
        self.metadata: Metadata = {
            "image_format": str(self._image.format or "unknown").lower(),
            "image_width": width,
            "image_height": height,
        }

    def page(self, index: int) -> PageContent:
        frame = self._frame(index)
        dpi_x, dpi_y = _dpi(frame)
        width, height = frame.size
        return PageContent(
            markdown="",
            text="",
            width=round(width * 72.0 / dpi_x, 2),
            height=round(height * 72.0 / dpi_y, 2),
            needs_ocr=True,
        )

    def render(self, index: int, scale: float) -> Image:
        """The page as an RGB image at ``scale`` (1 = 72 dpi), never larger than the original."""
        from PIL import Image as PILImage
        from PIL import ImageOps

        frame = ImageOps.exif_transpose(self._frame(index))
        rgb = _flatten(frame)
        dpi_x, dpi_y = _dpi(frame)
        factor = min(1.0, scale * 72.0 / dpi_x, scale * 72.0 / dpi_y)
        if factor >= 1.0:
            return rgb
        size = (max(1, round(rgb.width * factor)), max(1, round(rgb.height * factor)))
        return rgb.resize(size, PILImage.Resampling.LANCZOS)

    def raw_text(self, index: int) -> str:
        return ""  # an image has no text but what OCR reads

    def close(self) -> None:
        self._image.close()

    def _frame(self, index: int) -> Image:
        self._image.seek(index)
        _check_pixels(self._image.size)
        return self._image


def _open(data: bytes) -> Image:
    from PIL import Image as PILImage

    # Pillow warns, then refuses, on huge images; the warning becomes an error here so that
    # every image beyond the limit is refused the same way.
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            image = PILImage.open(io.BytesIO(data))
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise _too_large(None) from None
    _check_pixels(image.size)
    return image


def _check_pixels(size: tuple[int, int]) -> None:
    if size[0] * size[1] > MAX_PIXELS:
        raise _too_large(size)


def _too_large(size: tuple[int, int] | None) -> ProcessorError:
    stated = f" is {size[0]:,} x {size[1]:,} pixels;" if size else " has too many pixels;"
    return ProcessorError(
        "too_large",
        f"The image{stated} reams reads images of up to {MAX_PIXELS / 1e6:.0f} megapixels.",
    )


def _dpi(image: Image) -> tuple[float, float]:
    stated: object = image.info.get("dpi")
    if not isinstance(stated, tuple) or len(stated) != 2:
        return _DEFAULT_DPI, _DEFAULT_DPI
    try:
        # PNG stores pixels per metre: 144 dpi comes back as 143.9928.
        dpi_x, dpi_y = (round(float(value), 1) for value in stated)
    except (TypeError, ValueError):
        return _DEFAULT_DPI, _DEFAULT_DPI
    low, high = _DPI_RANGE
    if not (low <= dpi_x <= high and low <= dpi_y <= high):
        return _DEFAULT_DPI, _DEFAULT_DPI
    return dpi_x, dpi_y


def _flatten(image: Image) -> Image:
    """RGB, with any transparency composed onto white (as the page would be printed)."""
    from PIL import Image as PILImage

    if image.mode == "RGB":
        return image.copy()
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        page = PILImage.new("RGB", rgba.size, "white")
        page.paste(rgba, mask=rgba.getchannel("A"))
        return page
    if image.mode.startswith(("I", "F")):
        return _to_eight_bits(image).convert("RGB")
    return image.convert("RGB")


def _to_eight_bits(image: Image) -> Image:
    """16-bit and float scans stretched to 8 bits, instead of clipped to black or white."""
    wide = image.convert("I") if image.mode.startswith("I;16") else image
    extrema = wide.getextrema()
    low, high = (float(value) for value in extrema if isinstance(value, int | float))
    span = high - low
    scale = 255.0 / span if span > 0 else 1.0
    offset = -low * scale
    return wide.point(lambda value: value * scale + offset).convert("L")
