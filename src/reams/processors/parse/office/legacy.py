"""Legacy Word 97-2003 (.doc) and PowerPoint 97-2003 (.ppt) files.

No package on PyPI reads these binary formats well, so reams does not parse them itself: an
encrypted or rights-managed file is reported as ``encrypted_document``; otherwise the text is
taken from ``antiword`` (DOC) or ``catppt`` (PPT, from the catdoc package) when the machine has
them on its PATH (Debian: ``apt-get install antiword catdoc``), run with a time limit; without
them the file is refused with ``unsupported_format`` and a message saying what to save it as.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import tempfile

from reams.domain.errors import ProcessorError
from reams.processors.parse.blocks import collapse_spaces, paragraph
from reams.processors.parse.model import StaticSource
from reams.processors.parse.office.common import encrypted_error, is_encrypted_ole, office_page

logger = logging.getLogger(__name__)

_TOOLS = {"doc": (("antiword", "-w", "0"), ("catdoc", "-w")), "ppt": (("catppt",),)}
_NAMES = {"doc": "Word 97-2003 (.doc)", "ppt": "PowerPoint 97-2003 (.ppt)"}
_SAVE_AS = {"doc": ".docx", "ppt": ".pptx"}
_TIMEOUT_SECONDS = 60
_WORD_ENCRYPTED_FLAG = 0x0100  # FIB fEncrypted, in the flags word at offset 0x0A


def read_legacy(data: bytes, *, kind: str) -> StaticSource:
    """Extract the text of a .doc or .ppt file with an installed converter, or refuse it."""
    name = _NAMES[kind]
    if is_encrypted_ole(data) or _encrypted_streams(data, kind=kind):
        raise encrypted_error(name)
    for command in _TOOLS[kind]:
        path = shutil.which(command[0])
        if path is not None:
            return _convert([path, *command[1:]], data, name=name)
    raise ProcessorError(
        "unsupported_format",
        f"Legacy {name} files are not supported; save the file as {_SAVE_AS[kind]} "
        "and upload that instead.",
    )


def _encrypted_streams(data: bytes, *, kind: str) -> bool:
    """Password protection that leaves the container readable: a flag or an extra stream."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if kind == "ppt":
                return bool(ole.exists("EncryptedSummary"))
            if not ole.exists("WordDocument"):
                return False
            header = ole.openstream("WordDocument").read(12)
    except Exception:
        # A damaged container: whichever converter runs will say so.
        logger.debug("unreadable OLE container", exc_info=True)
        return False
    return len(header) == 12 and bool(
        int.from_bytes(header[10:12], "little") & _WORD_ENCRYPTED_FLAG
    )


def _convert(command: list[str], data: bytes, *, name: str) -> StaticSource:
    with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as handle:
        handle.write(data)
    try:
        result = subprocess.run(
            [*command, handle.name],
            capture_output=True,
            timeout=_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ProcessorError(
            "timeout", f"Converting the {name} file took longer than {_TIMEOUT_SECONDS} s."
        ) from None
    finally:
        os.unlink(handle.name)
    if result.returncode != 0:
        logger.warning("%s failed: %s", command[0], result.stderr[:500])
        raise ProcessorError(
            "corrupt_document", f"The {name} file is damaged; reams could not read it."
        )
    return _text_source(result.stdout.decode("utf-8", errors="replace"), name=name)


def _text_source(text: str, *, name: str) -> StaticSource:
    paragraphs = [collapse_spaces(part) for part in text.replace("\f", "\n\n").split("\n\n")]
    blocks = [paragraph(part) for part in paragraphs if part]
    if not blocks:
        raise ProcessorError("empty_document", f"The {name} file contains no text.")
    return StaticSource([office_page(blocks)], metadata={"converter": "external"})
