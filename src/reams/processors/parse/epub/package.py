"""The EPUB package: ``container.xml`` names the package document (OPF), whose spine lists the
content documents in reading order and whose manifest says where each one is.

EPUB 2 and 3 share this layout. Manifest paths are relative to the OPF (often in a subfolder) and
percent-encoded; a spine item whose part is missing, or that the manifest does not list, is
skipped with a warning. Non-linear items (``linear="no"``: notes, pop-ups, covers reached only by
links) are left out, unless the spine has nothing else. Content that rights management encrypted
(listed in ``META-INF/encryption.xml``) is refused as ``encrypted_document``; fonts obfuscated the
same way are not content and do not count.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from reams.domain.errors import ProcessorError
from reams.processors.parse.model import Metadata

CONTAINER = "META-INF/container.xml"
ENCRYPTION = "META-INF/encryption.xml"
_OPF_NS = "http://www.idpf.org/2007/opf"
_DC_NS = "http://purl.org/dc/elements/1.1/"
_OPF_MEDIA_TYPE = "application/oebps-package+xml"
_READABLE = frozenset({"application/xhtml+xml", "text/html"})
_MAX_FALLBACKS = 8
_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr")


@dataclass(frozen=True, slots=True)
class SpineItem:
    """One content document of the reading order: its zip member and its media type."""

    path: str
    media_type: str

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


@dataclass
class Package:
    spine: list[SpineItem]
    metadata: Metadata
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Entry:
    href: str
    path: str
    media_type: str
    fallback: str


def read_package(archive: zipfile.ZipFile) -> Package:
    """Read the package document the container names, refusing damaged and encrypted books."""
    members = _Members(archive.namelist())
    opf_path = _package_path(archive, members)
    opf = _xml(archive, opf_path, what=f"package document {opf_path}")
    manifest = _manifest(opf, base=posixpath.dirname(opf_path))
    warnings: list[str] = []
    spine = [
        item
        for idref in _reading_order(opf)
        if (item := _spine_item(idref, manifest, members, warnings)) is not None
    ]
    if not spine:
        raise corrupt("none of the chapters its spine lists are in the file")
    _refuse_encrypted(archive, members, spine)
    return Package(spine, _metadata(opf), warnings)


def corrupt(reason: str) -> ProcessorError:
    return ProcessorError(
        "corrupt_document", f"The EPUB file is damaged: {reason}; reams could not read it."
    )


class _Members:
    """The archive's member names, found by exact path or, for sloppy books, ignoring case."""

    def __init__(self, names: list[str]) -> None:
        self._names = set(names)
        self._folded = {name.casefold(): name for name in names}

    def find(self, path: str) -> str | None:
        if path in self._names:
            return path
        return self._folded.get(path.casefold())


def _package_path(archive: zipfile.ZipFile, members: _Members) -> str:
    container = members.find(CONTAINER)
    if container is None:
        raise corrupt(f"it has no {CONTAINER}, which says where its content is")
    rootfiles = [
        element
        for element in _xml(archive, container, what=CONTAINER).iter()
        if _local(element) == "rootfile" and element.get("full-path")
    ]
    if not rootfiles:
        raise corrupt(f"its {CONTAINER} names no package document")
    # A container may name renditions in other formats; the OPF one is the book.
    rootfiles.sort(key=lambda element: element.get("media-type") != _OPF_MEDIA_TYPE)
    wanted = _resolve("", str(rootfiles[0].get("full-path")))
    found = members.find(wanted)
    if found is None:
        raise corrupt(f"its package document {wanted} is missing")
    return found


def _xml(archive: zipfile.ZipFile, name: str, *, what: str) -> Any:
    from lxml import etree

    from reams.processors.parse.office.odf import parse_xml

    try:
        return parse_xml(archive, name)
    except etree.XMLSyntaxError:
        raise corrupt(f"its {what} is not well-formed XML") from None


def _manifest(opf: Any, *, base: str) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}
    for element in opf.iter(f"{{{_OPF_NS}}}item", "item"):
        identifier, href = element.get("id"), element.get("href")
        if identifier and href:
            entries[identifier] = _Entry(
                href=href,
                path=_resolve(base, href),
                media_type=(element.get("media-type") or "").strip().lower(),
                fallback=element.get("fallback") or "",
            )
    return entries


def _reading_order(opf: Any) -> list[str]:
    spine = next(iter(opf.iter(f"{{{_OPF_NS}}}spine", "spine")), None)
    if spine is None:
        raise corrupt("its package document has no spine (no reading order)")
    refs = [element for element in spine if _local(element) == "itemref"]
    linear = [ref for ref in refs if (ref.get("linear") or "").strip().lower() != "no"]
    # A spine of only non-linear items is still the whole book.
    return [str(ref.get("idref") or "") for ref in linear or refs]


def _spine_item(
    idref: str, manifest: dict[str, _Entry], members: _Members, warnings: list[str]
) -> SpineItem | None:
    entry = _content_entry(idref, manifest)
    if entry is None:
        warnings.append(
            f"The spine lists {idref!r}, which the manifest does not describe as a readable "
            "document; it was skipped."
        )
        return None
    path = members.find(entry.path)
    if path is None:
        warnings.append(f"The chapter {entry.href!r} is missing from the EPUB; it was skipped.")
        return None
    return SpineItem(path, entry.media_type)


def _content_entry(idref: str, manifest: dict[str, _Entry]) -> _Entry | None:
    """The manifest entry for ``idref``, following fallbacks from formats reams cannot read."""
    entry = manifest.get(idref)
    for _ in range(_MAX_FALLBACKS):
        if entry is None or entry.media_type in _READABLE:
            return entry
        fallback = manifest.get(entry.fallback)
        if fallback is None:
            return entry if entry.media_type.startswith("image/") else None
        entry = fallback
    return None


def _refuse_encrypted(archive: zipfile.ZipFile, members: _Members, spine: list[SpineItem]) -> None:
    listed = members.find(ENCRYPTION)
    if listed is None:
        return
    root = _xml(archive, listed, what=ENCRYPTION)
    encrypted = {
        members.find(_resolve("", element.get("URI") or "")) or ""
        for element in root.iter()
        if _local(element) == "CipherReference"
    }
    if any(item.path in encrypted for item in spine):
        raise ProcessorError(
            "encrypted_document",
            "The EPUB file's chapters are encrypted (rights management, DRM); reams cannot "
            "decrypt them.",
        )


def _metadata(opf: Any) -> Metadata:
    metadata: Metadata = {}
    version = (opf.get("version") or "").strip()
    found = {
        "title": _first(opf, "title"),
        "author": "; ".join(_authors(opf)),
        "language": _first(opf, "language"),
        "date": _date(opf),
        "publisher": _first(opf, "publisher"),
        "description": _description(opf),
        "subject": "; ".join(dict.fromkeys(text for _, text in _texts(opf, "subject"))),
        "epub_version": version,
    }
    for key, value in found.items():
        if value:
            metadata[key] = value
    return metadata


def _texts(opf: Any, name: str) -> list[tuple[Any, str]]:
    found = ((element, " ".join((element.text or "").split())) for element in opf.iter(_dc(name)))
    return [(element, text) for element, text in found if text]


def _first(opf: Any, name: str) -> str:
    return next((text for _, text in _texts(opf, name)), "")


def _authors(opf: Any) -> list[str]:
    """The creators in the author role (EPUB 2 ``opf:role``, EPUB 3 refining ``meta``), or all."""
    roles = {
        (meta.get("refines") or "").lstrip("#"): (meta.text or "").strip()
        for meta in opf.iter(f"{{{_OPF_NS}}}meta")
        if meta.get("property") == "role"
    }
    creators = [
        (text, element.get(f"{{{_OPF_NS}}}role") or roles.get(element.get("id") or "", ""))
        for element, text in _texts(opf, "creator")
    ]
    authors = [name for name, role in creators if role in ("", "aut")]
    return authors or [name for name, _ in creators]


def _description(opf: Any) -> str:
    """The book's description as text: tools such as Calibre store it as HTML markup."""
    text = _first(opf, "description")
    if "<" not in text:
        return text
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fromstring(text)
    except (ParserError, ValueError):
        return text
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = " " + (element.tail or "")  # paragraphs end a word
    return " ".join(str(root.text_content()).split())


def _date(opf: Any) -> str:
    """The publication date: EPUB 2 may also list creation and modification dates."""
    event = f"{{{_OPF_NS}}}event"
    dates = [(element.get(event) or "", text) for element, text in _texts(opf, "date")]
    published = [text for event, text in dates if event in ("", "publication")]
    return (published or [text for _, text in dates] or [""])[0]


def _resolve(base: str, href: str) -> str:
    """A manifest or container href as a zip member name: unquoted, joined and normalised."""
    path = unquote(href.split("#", 1)[0].strip()).lstrip("/")
    return posixpath.normpath(posixpath.join(base, path)) if path else ""


def _dc(name: str) -> str:
    return f"{{{_DC_NS}}}{name}"


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
