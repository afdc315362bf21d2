"""OCR: choose an engine, read a page image with it, and lay the result out as a page.

rapidocr (:mod:`rapid`) is the default engine because its ONNX models ship inside its wheel,
so nothing is downloaded at run time. tesseract (:mod:`tesseract`) is offered where the
machine has the binary. Engines load lazily and once per worker process: loading rapidocr's models
takes about a third of a second and 150 MB, and a worker process serves many documents.

Pages are rendered for OCR with :data:`MAX_SIDE` pixels on the longer side (about 240 dpi on A4 or
Letter): measured on the invoice corpus, that resolution reads small print and keeps the spaces
between words, which lower resolutions lose.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import logging
import shutil
from typing import TYPE_CHECKING, Protocol

from reams.domain.errors import ProcessorError
from reams.processors.parse.model import PageContent
from reams.processors.parse.ocr.layout import layout_boxes
from reams.processors.parse.ocr.lines import TextBox

if TYPE_CHECKING:
    from PIL.Image import Image

logger = logging.getLogger(__name__)

ENGINES = ("auto", "rapidocr", "tesseract")
MAX_SIDE = 2800  # pixels: longer side of the image OCR sees (about 240 dpi on A4 or Letter)
MAX_SCALE = 4.0  # render small pages at most at 288 dpi: more only costs time
NO_ENGINE = "no OCR engine is installed on this server (install reams[ocr], or tesseract)"


class OcrEngine(Protocol):
    """Reads the text of an image: ``recognise`` returns boxes in the upright image's pixels.

    It may raise any exception; :func:`ocr_page` turns that into a failed page.
    """

    name: str

    def recognise(self, image: Image) -> list[TextBox]: ...


def find_engine(preference: str) -> tuple[OcrEngine | None, str | None]:
    """The engine to use for ``preference`` (one of :data:`ENGINES`), and a warning if it differs.

    ``auto`` prefers rapidocr, whose accuracy is the better of the two; ``tesseract`` falls back
    to rapidocr where tesseract is not installed. None means no engine is available at all.
    """
    if preference == "tesseract":
        engine = _tesseract()
        if engine is not None:
            return engine, None
        fallback = _rapidocr()
        if fallback is not None:
            return fallback, "tesseract is not installed on this server; OCR used rapidocr instead"
        return None, NO_ENGINE
    engine = _rapidocr() or _tesseract()
    return engine, None if engine is not None else NO_ENGINE


def ocr_scale(width: float | None, height: float | None) -> float:
    """The render scale (1 = 72 dpi) that gives OCR :data:`MAX_SIDE` pixels on the longer side."""
    longest = max(width or 0.0, height or 0.0)
    return MAX_SCALE if longest <= 0 else min(MAX_SCALE, MAX_SIDE / longest)


def ocr_page(image: Image, engine: OcrEngine, *, page: PageContent, number: int) -> PageContent:
    """OCR ``image`` (page ``number``, 1-based) into a page shaped like ``page``.

    Any failure raises ``ProcessorError('ocr_failed')`` with a message for the user; the
    pipeline marks that page failed, so it is never silently blank.
    """
    try:
        boxes = engine.recognise(image)
    except Exception as exc:
        raise ocr_failure(number, exc, what=f"the {engine.name} engine failed") from exc
    content = layout_boxes(boxes, width=page.width, height=page.height)
    return dataclasses.replace(
        page, markdown=content.markdown, text=content.text, needs_ocr=True, ocr=True
    )


def ocr_failure(number: int, exc: Exception, *, what: str) -> ProcessorError:
    """The error that fails page ``number`` because OCR raised ``exc`` (``what`` failed)."""
    logger.warning("OCR failed on page %d: %s", number, what, exc_info=exc)
    # ONNX Runtime reports a failed allocation as a RuntimeException naming std::bad_alloc.
    if isinstance(exc, MemoryError) or "bad_alloc" in str(exc):
        reason = "it needs more memory than a worker may use"
    else:
        reason = f"{what} ({type(exc).__name__})"
    return ProcessorError("ocr_failed", f"Page {number} could not be read by OCR: {reason}.")


def _rapidocr() -> OcrEngine | None:
    # Whether it is installed is asked without importing it: an import that fails for want of
    # memory must fail the page, not pass for "no engine installed".
    if importlib.util.find_spec("rapidocr_onnxruntime") is None:
        return None
    return _loaded_rapidocr()


@functools.cache
def _loaded_rapidocr() -> OcrEngine:
    """The rapidocr engine, loaded once per process (a failed load is tried again next time)."""
    from reams.processors.parse.ocr.rapid import RapidOcrEngine

    return RapidOcrEngine()


def _tesseract() -> OcrEngine | None:
    # Not cached: the engine is only a path to the binary, and the PATH may change.
    from reams.processors.parse.ocr.tesseract import TesseractEngine

    binary = shutil.which("tesseract")
    return TesseractEngine(binary) if binary else None
