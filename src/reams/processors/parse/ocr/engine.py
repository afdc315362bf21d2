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
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from reams.domain.errors import ProcessorError
from reams.processors.parse.model import PageContent
from reams.processors.parse.ocr.layout import layout_boxes, line_boxes
from reams.processors.parse.ocr.lines import TextBox
from reams.processors.parse.ocr.tesseract import pack_names

if TYPE_CHECKING:
    from PIL.Image import Image

logger = logging.getLogger(__name__)

ENGINES = ("auto", "rapidocr", "tesseract")
MAX_SIDE = 2800  # pixels: longer side of the image OCR sees (about 240 dpi on A4 or Letter)
MAX_SCALE = 4.0  # render small pages at most at 288 dpi: more only costs time
RAPIDOCR_PACKS = frozenset({"eng", "chi_sim"})  # the languages rapidocr's bundled model reads
NO_ENGINE = "no OCR engine is installed on this server (install reams[ocr], or tesseract)"


class OcrEngine(Protocol):
    """Reads the text of an image: ``recognise`` returns boxes in the upright image's pixels.

    It may raise any exception; :func:`ocr_page` turns that into a failed page.
    """

    name: str

    def recognise(self, image: Image) -> list[TextBox]: ...


def find_engine(
    preference: str, languages: Sequence[str] = ()
) -> tuple[OcrEngine | None, list[str]]:
    """The engine to use for ``preference`` (one of :data:`ENGINES`) and the document's
    ``languages`` (ISO 639-1 codes, may be empty), and warnings where it is not what was asked.

    ``auto`` prefers rapidocr, whose accuracy on English and Chinese is the better of the two,
    unless the languages asked for need letters its model does not have (accents beyond a few:
    French, German, Spanish...) and tesseract has a pack for them. ``tesseract`` falls back to
    rapidocr where tesseract is not installed. None means no engine is available at all.
    """
    warnings: list[str] = []
    wanted = pack_names(languages)
    if preference == "tesseract" or (preference == "auto" and _needs_packs(wanted)):
        engine = _tesseract(wanted, warnings, quiet=preference == "auto")
        if engine is not None:
            return engine, warnings
        if preference == "tesseract":
            warnings.append("tesseract is not installed on this server; OCR used rapidocr instead")
        else:
            packs = ", ".join(f"tesseract-ocr-{pack.replace('_', '-')}" for pack in wanted)
            warnings.append(
                "OCR used rapidocr, which reads few accented letters: for these languages "
                f"install tesseract with its language packs ({packs})"
            )
    engine = _rapidocr() or _tesseract(wanted, warnings, quiet=False)
    return engine, warnings if engine is not None else [NO_ENGINE]


def _needs_packs(packs: list[str]) -> bool:
    """Whether a language asked for is beyond rapidocr's model (English and Chinese)."""
    return any(pack not in RAPIDOCR_PACKS for pack in packs)


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
    # The lines' boxes in points, so the page's items carry ``bbox`` as a PDF's do.
    lines = line_boxes(boxes, scale=image.width / page.width) if page.width else ()
    return dataclasses.replace(
        page, markdown=content.markdown, text=content.text, needs_ocr=True, ocr=True, lines=lines
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


def _tesseract(packs: list[str], warnings: list[str], *, quiet: bool) -> OcrEngine | None:
    """tesseract with the packs it has of ``packs`` (English when none is asked or installed).

    ``quiet``: return None rather than use tesseract without any of the packs asked for (auto
    then keeps rapidocr), instead of warning about the missing ones.
    """
    # Not cached: the engine is only a path to the binary, and the PATH may change.
    from reams.processors.parse.ocr.tesseract import DEFAULT_PACK, TesseractEngine, installed_packs

    binary = shutil.which("tesseract")
    if binary is None:
        return None
    if not packs:
        return TesseractEngine(binary)
    installed = installed_packs(binary)
    if installed is None:  # it would not say: ask for them anyway, it reports what is missing
        return TesseractEngine(binary, packs)
    usable = [pack for pack in packs if pack in installed]
    missing = [pack for pack in packs if pack not in installed]
    if quiet and not any(pack not in RAPIDOCR_PACKS for pack in usable):
        return None
    if missing:
        names = ", ".join(
            f"{pack} (Debian package tesseract-ocr-{pack.replace('_', '-')})" for pack in missing
        )
        warnings.append(f"tesseract has no language pack for {names}; OCR read without it")
    if not usable and DEFAULT_PACK not in installed:
        return TesseractEngine(binary, sorted(installed - {"osd"})[:1] or [DEFAULT_PACK])
    return TesseractEngine(binary, usable or [DEFAULT_PACK])
