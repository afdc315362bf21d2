"""Hard limits and early refusals, so that no document depends on luck to be parsed safely.

These are constants, not parse options: they protect the worker, they do not shape the output.

- A zip container (DOCX, XLSX, PPTX, ODF, EPUB) whose members would inflate beyond
  :data:`MAX_UNPACKED_BYTES` in total, or a member that is both large and compressed more than
  :data:`MAX_RATIO` to one (a decompression bomb), is refused as ``too_large`` before any reader
  inflates it. Python's zipfile never inflates a member past its declared size, so checking the
  declared sizes is enough. Images have their own pixel limit (:mod:`ocr.image`).
- A PDF that is only a wrapper around an encrypted payload (Microsoft IRM and other PDF 2.0
  "unencrypted wrapper documents") is refused as ``encrypted_document``: its visible page only
  says that another reader is needed, and parsing that page would pass for success.
- At most :data:`MAX_PAGES` pages of one document are parsed. The rest are skipped with a
  warning, not refused: the pages parsed are useful, and ``target_pages`` reaches the others.
"""

from __future__ import annotations

import io
import zipfile

from reams.domain.errors import ProcessorError

MAX_PAGES = 5_000
MAX_UNPACKED_BYTES = 1 << 30  # 1 GiB, a quarter of a worker's default address space
MAX_RATIO = 200  # XML compresses 10 to 50 times; bombs a thousand times and more
MAX_MEMBER_BYTES = 100 << 20  # the ratio only matters for members at least this large

_ZIP_MAGIC = b"PK\x03\x04"
_PDF_MAGIC = b"%PDF-"
_ENCRYPTED_PAYLOAD = b"/EncryptedPayload"


def check_document(data: bytes) -> None:
    """Refuse ``data`` before it is parsed if it is a decompression bomb or an encrypted wrapper."""
    if data.startswith(_ZIP_MAGIC):
        check_archive(data)
    elif _PDF_MAGIC in data[:1024] and _ENCRYPTED_PAYLOAD in data:
        raise ProcessorError(
            "encrypted_document",
            "The PDF is a wrapper around an encrypted document (for example Microsoft "
            "rights-managed PDF); reams cannot decrypt it.",
        )


def check_archive(data: bytes) -> None:
    """Raise ``too_large`` if the zip in ``data`` would inflate beyond the limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return  # damaged: the format reader reports it as corrupt
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size >= MAX_MEMBER_BYTES and ratio > MAX_RATIO:
            raise _too_large(
                f"its part {member.filename[:80]!r} inflates {ratio:,.0f} times, to "
                f"{member.file_size / 2**20:,.0f} MiB (a decompression bomb)"
            )
    if total > MAX_UNPACKED_BYTES:
        raise _too_large(
            f"its parts inflate to {total / 2**20:,.0f} MiB, more than the "
            f"{MAX_UNPACKED_BYTES / 2**20:,.0f} MiB reams unpacks"
        )


def cap_pages(indices: list[int], *, warnings: list[str]) -> list[int]:
    """The first :data:`MAX_PAGES` of the pages selected, with a warning if that drops some."""
    if len(indices) <= MAX_PAGES:
        return indices
    warnings.append(
        f"only the first {MAX_PAGES:,} of the {len(indices):,} pages selected were parsed "
        f"(reams parses at most {MAX_PAGES:,} pages of one document); parse the others with "
        f"target_pages (counted from 0), from {indices[MAX_PAGES]} on"
    )
    return indices[:MAX_PAGES]


def _too_large(reason: str) -> ProcessorError:
    return ProcessorError("too_large", f"The document is too large to unpack safely: {reason}.")
