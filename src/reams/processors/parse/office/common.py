"""Checks every Office reader makes before parsing, and the page shape the Office readers share.

A password-protected OOXML or ODF file is not what it claims to be: OOXML becomes an OLE container
holding ``EncryptionInfo`` and ``EncryptedPackage`` streams, so the reader's library would report a
confusing "not a zip file". Those are turned into ``encrypted_document`` here, and zip bombs are
refused by their declared unpacked size before any XML is parsed.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

from reams.domain.errors import ProcessorError
from reams.processors.parse.blocks import Block
from reams.processors.parse.model import PageContent

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_DATA_SPACES = "\x06DataSpaces".encode("utf-16-le")
MAX_UNPACKED_BYTES = 512 * 1024 * 1024

# What a picture, chart image or embedded object becomes: docling's marker, invisible when rendered.
IMAGE_MARKDOWN = "<!-- image -->"
EMU_PER_POINT = 12700
_FILE_NAME = re.compile(r"^[\w\-. ]+\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp)$", re.IGNORECASE)


def is_encrypted_ole(data: bytes) -> bool:
    """Whether an OLE container holds an encrypted OOXML package or rights-managed content."""
    return data.startswith(OLE_MAGIC) and (_ENCRYPTION_STREAM in data or _DATA_SPACES in data)


def encrypted_error(label: str) -> ProcessorError:
    return ProcessorError(
        "encrypted_document",
        f"The {label} file is password-protected; reams cannot open it without the password.",
    )


def reject_ole(data: bytes, *, label: str, legacy: str) -> None:
    """Refuse an OLE container given to a zip-based reader: encrypted, or a legacy binary file."""
    if not data.startswith(OLE_MAGIC):
        return
    if is_encrypted_ole(data):
        raise encrypted_error(label)
    raise ProcessorError(
        "unsupported_format",
        f"The file is a legacy {legacy} file in the old binary format, not a {label} file.",
    )


def check_archive(data: bytes, *, label: str) -> zipfile.ZipFile:
    """Open ``data`` as a zip, refusing archives that unpack to more than 512 MB."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise ProcessorError(
            "corrupt_document",
            f"The {label} file is damaged (its zip container cannot be read); "
            "reams could not open it.",
        ) from None
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        archive.close()
        raise ProcessorError(
            "too_large", f"The {label} file unpacks to more than 512 MB; reams will not open it."
        )
    return archive


def image_block(alt: str = "", name: str = "") -> Block:
    """A picture's place in the Markdown.

    With alt text the picture becomes ``![alt](name)`` and its alt text counts as text: authors
    put real content there (captions, descriptions); without, docling's invisible marker.
    """
    alt = " ".join(alt.split())
    if not alt or _FILE_NAME.match(alt):  # tools fill in the file name: that is no content
        return Block(IMAGE_MARKDOWN, "")
    label = alt.replace("[", "(").replace("]", ")")
    target = (name or "image").replace(" ", "%20").replace(")", "%29")
    return Block(f"![{label}]({target})", alt)


def office_page(
    blocks: Iterable[Block], *, width: float | None = None, height: float | None = None
) -> PageContent:
    """Join blocks into a page; blocks without text (images) appear in the Markdown only."""
    kept = [block for block in blocks if block.markdown.strip()]
    return PageContent(
        markdown="\n\n".join(block.markdown for block in kept),
        text="\n\n".join(block.text for block in kept if block.text.strip()),
        width=width,
        height=height,
    )
