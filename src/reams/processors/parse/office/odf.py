"""OpenDocument files (ODT text, ODS spreadsheets, ODP presentations): the package and its XML.

ODF content is read straight from ``content.xml`` with lxml (odfpy would build a slower object
tree of the same XML). A password-protected ODF file keeps its zip layout but encrypts every
member, which the manifest says; that is reported as ``encrypted_document`` before parsing.
Text documents are one page (ODF has no stored page boundaries); presentations are one page per
slide; spreadsheets are handled by :mod:`ods`.
"""

from __future__ import annotations

import zipfile
from typing import Any

from reams.domain.errors import ProcessorError
from reams.processors.parse.blocks import Block, heading
from reams.processors.parse.model import Metadata, PageContent, StaticSource
from reams.processors.parse.office.common import check_archive, encrypted_error, office_page
from reams.processors.parse.office.odf_text import NS, OdfStyles, OdfWalker, attr, plain_text, q

_LABELS = {"odt": "OpenDocument text", "ods": "OpenDocument spreadsheet"}
_NOTES = q("presentation:notes")
_MANIFEST = "META-INF/manifest.xml"
_ENCRYPTION = b"encryption-data"
_META_FIELDS = {"title": "dc:title", "author": "meta:initial-creator", "subject": "dc:subject"}
_META_NS = {**NS, "dc": "http://purl.org/dc/elements/1.1/"}


def open_odf(data: bytes, *, kind: str) -> zipfile.ZipFile:
    """Open an ODF package, refusing encrypted and damaged ones with clear codes."""
    label = _LABELS.get(kind, "OpenDocument presentation")
    archive = check_archive(data, label=label)
    names = archive.NameToInfo
    if _MANIFEST in names and _ENCRYPTION in archive.read(_MANIFEST):
        archive.close()
        raise encrypted_error(label)
    if "content.xml" not in names:
        archive.close()
        raise ProcessorError("corrupt_document", f"The {label} file has no content.xml.")
    return archive


def parse_xml(archive: zipfile.ZipFile, name: str) -> Any:
    """Parse one package member without network access or entity expansion."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    with archive.open(name) as member:
        return etree.parse(member, parser).getroot()


def read_odt(data: bytes, *, tables_as_html: bool) -> StaticSource:
    with open_odf(data, kind="odt") as archive:
        content = parse_xml(archive, "content.xml")
        styles = OdfStyles(content, _optional_xml(archive, "styles.xml"))
        metadata = _metadata(archive)
    body = content.find("office:body/office:text", NS)
    blocks = OdfWalker(styles, tables_as_html=tables_as_html).walk(body) if body is not None else []
    if not any(block.text.strip() for block in blocks):
        raise ProcessorError("empty_document", "The OpenDocument text file contains no text.")
    return StaticSource([office_page(blocks)], metadata=metadata)


def read_odp(data: bytes, *, tables_as_html: bool) -> StaticSource:
    with open_odf(data, kind="odp") as archive:
        content = parse_xml(archive, "content.xml")
        styles = OdfStyles(content, _optional_xml(archive, "styles.xml"))
        metadata = _metadata(archive)
    slides = content.findall("office:body/office:presentation/draw:page", NS)
    if not slides:
        raise ProcessorError("empty_document", "The OpenDocument presentation has no slides.")
    pages = [_slide_page(slide, styles, tables_as_html=tables_as_html) for slide in slides]
    return StaticSource(pages, metadata={**metadata, "slides": len(slides)})


def _slide_page(slide: Any, styles: OdfStyles, *, tables_as_html: bool) -> PageContent:
    """Title frames first as headings, then the other frames top to bottom, then the notes."""
    walker = OdfWalker(styles, tables_as_html=tables_as_html)
    blocks: list[Block] = []
    for frame in sorted(_frames(slide), key=_frame_order):
        role = attr(frame, "presentation:class")
        if role in ("title", "subtitle"):
            text = " ".join(plain_text(frame).split())
            blocks.extend([heading(1 if role == "title" else 2, text)] if text else [])
        elif role not in ("date-time", "footer", "page-number"):
            blocks.extend(walker.walk([frame]))  # a list, so the frame itself is dispatched
    notes = slide.find("presentation:notes", NS)
    note_blocks = walker.walk_notes(notes) if notes is not None else []
    if note_blocks:
        blocks.extend([Block("**Notes:**", "Notes:"), *note_blocks])
    return office_page(blocks)


def _frames(slide: Any) -> list[Any]:
    return [child for child in slide if child.tag != _NOTES and isinstance(child.tag, str)]


def _frame_order(frame: Any) -> tuple[int, float, float]:
    title = 0 if attr(frame, "presentation:class") == "title" else 1
    return title, _length(attr(frame, "svg:y")), _length(attr(frame, "svg:x"))


_UNITS = {"cm": 1.0, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72, "pc": 2.54 / 6, "px": 2.54 / 96}


def _length(value: str | None) -> float:
    """A length such as ``2.5cm`` in centimetres; unknown or missing lengths sort last."""
    if not value:
        return float("inf")
    for unit, factor in _UNITS.items():
        if value.endswith(unit):
            try:
                return float(value[: -len(unit)]) * factor
            except ValueError:
                break
    return float("inf")


def _optional_xml(archive: zipfile.ZipFile, name: str) -> Any:
    return parse_xml(archive, name) if name in archive.NameToInfo else None


def _metadata(archive: zipfile.ZipFile) -> Metadata:
    if "meta.xml" not in archive.NameToInfo:
        return {}
    meta = parse_xml(archive, "meta.xml").find("office:meta", NS)
    if meta is None:
        return {}
    metadata: Metadata = {}
    for key, path in _META_FIELDS.items():
        element = meta.find(path, _META_NS)
        if element is not None and (element.text or "").strip():
            metadata[key] = element.text.strip()
    return metadata
