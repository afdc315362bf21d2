"""Checks every Office reader makes before parsing, and the page shape the Office readers share.

A password-protected OOXML or ODF file is not what it claims to be: OOXML becomes an OLE container
holding ``EncryptionInfo`` and ``EncryptedPackage`` streams, so the reader's library would report a
confusing "not a zip file". Those are turned into ``encrypted_document`` here, and zip bombs are
refused by their declared unpacked size before any XML is parsed.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterable
from typing import Any

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
# A picture's file name or path, which tools put where the alt text goes.
_FILE_NAME = re.compile(
    r"^(?:.*[\\/])?[\w\-. ]+\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp)$", re.IGNORECASE
)


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


# Strict Open XML names its namespaces and relationship types under purl.oclc.org; the same
# markup in Transitional (what python-docx, python-pptx and openpyxl read) uses these names.
STRICT_NAMES = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main",
     b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    (b"http://purl.oclc.org/ooxml/drawingml/main",
     b"http://schemas.openxmlformats.org/drawingml/2006/main"),
    (b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
     b"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
    (b"http://purl.oclc.org/ooxml/drawingml/picture",
     b"http://schemas.openxmlformats.org/drawingml/2006/picture"),
    (b"http://purl.oclc.org/ooxml/drawingml/chart",
     b"http://schemas.openxmlformats.org/drawingml/2006/chart"),
    (b"http://purl.oclc.org/ooxml/officeDocument/math",
     b"http://schemas.openxmlformats.org/officeDocument/2006/math"),
    (b"http://purl.oclc.org/ooxml/officeDocument/sharedTypes",
     b"http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes"),
    (b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
     b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"),
    (b"http://purl.oclc.org/ooxml/spreadsheetml/main",
     b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
    (b"http://purl.oclc.org/ooxml/presentationml/main",
     b"http://schemas.openxmlformats.org/presentationml/2006/main"),
    (b"http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
     b"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"),
    (b"http://purl.oclc.org/ooxml/drawingml/diagram",
     b"http://schemas.openxmlformats.org/drawingml/2006/diagram"),
)  # fmt: skip


def transitional(data: bytes) -> bytes:
    """A Strict Open XML package with its namespaces renamed to Transitional ones.

    The two differ in names more than in markup: the text, paragraphs, tables and styles read
    the same once renamed. The archive's size was checked before (:func:`check_archive`).
    """
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as renamed,
    ):
        for info in source.infolist():
            body = source.read(info)
            if info.filename.endswith((".xml", ".rels")):
                for strict, usual in STRICT_NAMES:
                    body = body.replace(strict, usual)
            renamed.writestr(info.filename, body)
    return out.getvalue()


_STRICT_MARK = b"http://purl.oclc.org/ooxml/"


def is_strict(archive: zipfile.ZipFile) -> bool:
    """Whether the package's main part is written in Strict Open XML (its namespaces say so in
    the root element, within the part's first bytes)."""
    found = main_part(archive)
    if found is None:
        return False
    with archive.open(found[0]) as part:
        return _STRICT_MARK in part.read(4096)


# The package relationship that names an OOXML file's main part (transitional, then strict).
_OFFICE_DOCUMENT = frozenset(
    {
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
    }
)
_PACKAGE_RELATIONSHIPS = "_rels/.rels"
_CONTENT_TYPES = "[Content_Types].xml"
_MAX_PACKAGE_XML = 4 * 1024 * 1024  # bytes: a package's relationships and content types are small
_WORD, _SHEET, _SLIDES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.",
    "application/vnd.openxmlformats-officedocument.presentationml.",
)
# The content type of each kind of OOXML main part: documents, templates, macro-enabled ones.
MAIN_PART_KINDS = {
    f"{_WORD}document.main+xml": "docx",
    f"{_WORD}template.main+xml": "docx",
    "application/vnd.ms-word.document.macroEnabled.main+xml": "docx",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "docx",
    f"{_SHEET}sheet.main+xml": "xlsx",
    f"{_SHEET}template.main+xml": "xlsx",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "xlsx",
    "application/vnd.ms-excel.template.macroEnabled.main+xml": "xlsx",
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main": "xlsb",
    f"{_SLIDES}presentation.main+xml": "pptx",
    f"{_SLIDES}slideshow.main+xml": "pptx",
    f"{_SLIDES}template.main+xml": "pptx",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": "pptx",
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml": "pptx",
    "application/vnd.ms-powerpoint.template.macroEnabled.main+xml": "pptx",
}


def main_part(archive: zipfile.ZipFile) -> tuple[str, str] | None:
    """The member name and kind (``docx``, ``xlsx``, ``pptx``, ``xlsb``) of an OOXML package's
    main part, found as Office finds it: through the package relationships (``_rels/.rels``)
    and the part's content type, wherever the part is stored. None for any other zip."""
    relationships = _package_xml(archive, _PACKAGE_RELATIONSHIPS)
    types = _package_xml(archive, _CONTENT_TYPES)
    if relationships is None or types is None:
        return None
    names = {name.lower(): name for name in archive.namelist()}
    for relationship in relationships:
        if relationship.get("Type") not in _OFFICE_DOCUMENT:
            continue
        if relationship.get("TargetMode") == "External":
            continue
        target = posixpath.normpath("/" + (relationship.get("Target") or "").lstrip("/"))
        member = names.get(target.lstrip("/").lower())  # part names are case-insensitive
        kind = MAIN_PART_KINDS.get(_content_type(types, target))
        if member is not None and kind is not None:
            return member, kind
    return None


def _package_xml(archive: zipfile.ZipFile, name: str) -> Any:
    from lxml import etree

    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_PACKAGE_XML:
        return None
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    try:
        return etree.fromstring(archive.read(info), parser=parser)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _content_type(types: Any, part_name: str) -> str:
    """The content type ``[Content_Types].xml`` gives ``part_name``: its override, or the
    default for its extension."""
    extension = posixpath.splitext(part_name)[1].lstrip(".").lower()
    default = ""
    for entry in types:
        tag = str(entry.tag).rsplit("}", 1)[-1]
        if tag == "Override" and (entry.get("PartName") or "").lower() == part_name.lower():
            return str(entry.get("ContentType") or "")
        if tag == "Default" and (entry.get("Extension") or "").lower() == extension:
            default = str(entry.get("ContentType") or "")
    return default
