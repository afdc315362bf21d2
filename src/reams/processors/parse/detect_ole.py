"""Naming an OLE compound file (legacy Office, Outlook) by the streams it contains.

Word, Excel, PowerPoint and Outlook all use the same container, so the magic bytes alone say
nothing more than "OLE". Its directory does: a ``WordDocument`` stream is Word, ``__substg1.0_``
property streams are an Outlook item, and so on. A container whose directory cannot be read, or
that holds an encrypted OOXML package, is named by its extension as before.
"""

from __future__ import annotations

import io
import logging

logger = logging.getLogger(__name__)

OLE_EXTENSIONS = frozenset({"doc", "xls", "ppt", "msg", "docx", "xlsx", "pptx", "vsd", "pub"})

_STREAMS: tuple[tuple[str, str], ...] = (
    ("worddocument", "doc"),
    ("workbook", "xls"),
    ("book", "xls"),
    ("powerpoint document", "ppt"),
    ("visiodocument", "vsd"),
    ("quill", "pub"),
)
_MSG_PREFIX = "__substg1.0_"  # lower case: names are compared case-insensitively


def ole_type(data: bytes, extension: str) -> str:
    """``doc``, ``xls``, ``ppt``, ``msg``, … for an OLE container, from its top-level streams."""
    fallback = extension if extension in OLE_EXTENSIONS else "ole"
    names = _top_level_names(data)
    if names is None or "encryptedpackage" in names:
        return fallback
    if any(name.startswith(_MSG_PREFIX) for name in names):
        return "msg"
    for stream, kind in _STREAMS:
        if stream in names:
            return kind
    return fallback


def _top_level_names(data: bytes) -> set[str] | None:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return {entry[0].lower() for entry in ole.listdir(streams=True, storages=True) if entry}
    except Exception:
        # olefile raises assorted errors on damaged directories; the extension is the fallback.
        logger.debug("unreadable OLE directory", exc_info=True)
        return None
