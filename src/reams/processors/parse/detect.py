"""Document type detection: content magic bytes first, then the file name's extension.

Content wins because uploaded names lie (a PDF saved as ``.bin``, a Word file called ``.doc``);
the extension decides only where the content is ambiguous (unreadable OLE containers, damaged
zips, plain text). OLE containers are named by their streams (:mod:`detect_ole`), text formats by
their opening (:mod:`detect_text`).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from reams.processors.parse.decode import sniff_text
from reams.processors.parse.detect_ole import ole_type
from reams.processors.parse.detect_text import sniff_markup
from reams.processors.parse.office.common import main_part

SUPPORTED_TYPES = frozenset(
    {"pdf", "docx", "html", "markdown", "text", "csv", "tsv", "eml", "msg", "xml", "json"}
) | frozenset({"xlsx", "xls", "ods", "pptx", "odt", "odp", "rtf", "epub"})
SUPPORTED_TYPES |= frozenset({"png", "jpeg", "tiff", "bmp", "gif", "webp"})  # read by OCR

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

_SIMPLE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"{\\rtf", "rtf"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"%!PS", "postscript"),
)

_ZIP_MEMBERS: tuple[tuple[str, str], ...] = (
    ("word/document.xml", "docx"),
    ("xl/workbook.xml", "xlsx"),
    ("ppt/presentation.xml", "pptx"),
    ("xl/workbook.bin", "xlsb"),
)

_ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/epub+zip": "epub",
}

_EPUB_CONTAINER = "META-INF/container.xml"
_ZIP_EXTENSIONS = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp", "epub", "zip"})
# Binary formats named by their extension when the content has no recognisable magic: a file
# called ``.pdf`` that is not a PDF is a damaged PDF, not a text file.
_BINARY_EXTENSIONS = frozenset({"pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt"})

_TEXT_EXTENSIONS = {
    "md": "markdown",
    "markdown": "markdown",
    "csv": "csv",
    "tsv": "tsv",
    "tab": "tsv",
    "htm": "html",
    "html": "html",
    "xhtml": "html",
    "xml": "xml",
    "rss": "xml",
    "atom": "xml",
    "json": "json",
    "jsonl": "json",
    "ndjson": "json",
    "ipynb": "json",
    "eml": "eml",
}

_LABELS = {
    "ole": "Legacy Office (OLE compound) files",
    "xlsb": "Excel binary workbooks (.xlsb)",
    "jpeg": "JPEG images",
    "png": "PNG images",
    "gif": "GIF images",
    "tiff": "TIFF images",
    "bmp": "BMP images",
    "webp": "WebP images",
}


def detect_type(data: bytes, filename: str) -> str:
    """Name the format of ``data``: a member of :data:`SUPPORTED_TYPES` or an unsupported name."""
    extension = _extension(filename)
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(_OLE_MAGIC):
        return ole_type(data, extension)
    if head.startswith(_ZIP_MAGIC):
        return _zip_type(data, extension)
    magic = _simple_magic(head)
    if magic is not None:
        return magic
    if extension in _BINARY_EXTENSIONS:
        return extension
    return _text_type(data, extension)


def unsupported_message(kind: str) -> str:
    """A sentence telling the user that ``kind`` cannot be parsed yet."""
    label = _LABELS.get(kind, f"{kind.upper()} files")
    if kind == "binary":
        return "The file is not a document format reams recognises."
    return f"{label} are not supported yet."


def _extension(filename: str) -> str:
    return PurePath(filename).suffix.lower().lstrip(".")


def _simple_magic(head: bytes) -> str | None:
    for magic, kind in _SIMPLE_MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    # "BM" alone also starts plenty of text ("BMW ..."); a bitmap has zero reserved bytes after.
    if head.startswith(b"BM") and head[6:10] == b"\x00\x00\x00\x00":
        return "bmp"
    return None


def _zip_type(data: bytes, extension: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = _read_mimetype(archive, names)
            known = any(member in names for member, _ in _ZIP_MEMBERS)
            # An OOXML package whose main part is stored under another name (found as Office
            # finds it, through the package relationships).
            main = None if known else main_part(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        # A damaged archive: trust the name, so a truncated .docx is reported as a corrupt DOCX.
        return extension if extension in _ZIP_EXTENSIONS else "zip"
    for member, kind in _ZIP_MEMBERS:
        if member in names:
            return kind
    if main is not None:
        return main[1]
    if not mimetype and _EPUB_CONTAINER in names:
        return "epub"  # an e-book whose packer left out the mimetype member
    return _ODF_MIMETYPES.get(mimetype, "zip")


def _read_mimetype(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" not in names:
        return ""
    return archive.read("mimetype")[:100].decode("ascii", errors="replace").strip()


def _text_type(data: bytes, extension: str) -> str:
    if not sniff_text(data[:8192]):
        return "binary"
    return sniff_markup(data, extension) or _TEXT_EXTENSIONS.get(extension, "text")
