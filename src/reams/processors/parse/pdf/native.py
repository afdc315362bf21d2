"""The optional native reader of a page's characters (``_chars``, a C extension), or None.

PDFium's per-rectangle text call walks every character of the page each time; the native
module reads the characters once and cuts each rectangle's text from them with the same
arithmetic, so the output is the same either way. It is built by ``pip install`` where a C
compiler is present (``setup.py``); without it, or with ``REAMS_PDF_NATIVE=0`` in the
environment (to compare both paths), reams makes the PDFium calls through ctypes.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import os
from pathlib import Path
from types import ModuleType
from typing import Any

logger = logging.getLogger(__name__)


def _load() -> ModuleType | None:
    if os.environ.get("REAMS_PDF_NATIVE", "1") == "0":
        return None
    try:
        from reams.processors.parse.pdf import _chars  # type: ignore[attr-defined]
    except ImportError:
        return None
    module: ModuleType = _chars
    if _built_before_its_source(Path(module.__file__ or "")):
        logger.warning(
            "the native PDF module %s is older than its source %s: rebuild it (`make install`, "
            "or `pip install -e .`); reading PDFs through ctypes until then (same output, "
            "more CPU)",
            module.__file__,
            _SOURCE.name,
        )
        return None
    return module


_SOURCE = Path(__file__).with_name("_chars.c")


def _built_before_its_source(built: Path) -> bool:
    """Whether a checkout's C source changed after the module was built (a pull or a branch
    switch without a rebuild): its functions' arguments may differ from the ones the Python
    side passes, which would fail every page. An installed wheel has no source: trusted."""
    try:
        return _SOURCE.stat().st_mtime_ns > built.stat().st_mtime_ns
    except OSError:
        return False


chars_module: ModuleType | None = _load()


def address(pointer: Any) -> int:
    """The address a ctypes pointer or function holds, as an int (0 for NULL)."""
    return ctypes.cast(pointer, ctypes.c_void_p).value or 0


@functools.cache
def functions(pdfium_c: Any, *names: str) -> tuple[int, ...]:
    """The addresses of PDFium functions ``names`` (pypdfium2's bindings), for the native
    module to call (looked up once: they do not move while the library is loaded)."""
    return tuple(address(getattr(pdfium_c, name)) for name in names)


def page_chars(pdfium_c: Any, textpage: Any) -> bytes | None:
    """The characters of a raw FPDF_TEXTPAGE read once by the native module, or None when it
    is not available."""
    module = chars_module
    if module is None:
        return None
    chars: bytes = module.page_chars(
        address(textpage),
        *functions(
            pdfium_c,
            "FPDFText_CountChars",
            "FPDFText_GetUnicode",
            "FPDFText_GetCharBox",
            "FPDFText_GetCharOrigin",
        ),
    )
    return chars
