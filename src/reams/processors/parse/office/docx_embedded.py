"""What a DOCX body holds besides its own text: pictures, and content imported from another
format (``w:altChunk``).

A picture becomes the image placeholder every Office reader writes (:func:`image_block`): its
alt text (the picture's description or title, else the drawing's) and its image file name when
it has alt text, docling's invisible marker otherwise. DrawingML pictures (``pic:pic``) and VML
ones (``v:imagedata``, older files and the previews of embedded objects) are both read.

An alt chunk is a part in another format that Word imports where the ``w:altChunk`` stands, when
the file is opened: HTML and XHTML (what mail-merge and report generators write), MHT (web
archive: the first HTML body of the MIME message), plain text, RTF, and a whole Word document.
Word keeps no converted copy in the body, so without reading the chunk its text is lost.
"""

from __future__ import annotations

import email
import email.policy
import posixpath
import zipfile
from collections.abc import Callable
from typing import Any

from reams.domain.errors import ProcessorError
from reams.processors.parse.blocks import Block, paragraph
from reams.processors.parse.office.common import image_block

_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_V = "{urn:schemas-microsoft-com:vml}"
_O = "{urn:schemas-microsoft-com:office:office}"
PICTURE = f"{_PIC}pic"
VML_IMAGE = f"{_V}imagedata"
_DRAWING_HOLDERS = frozenset({f"{_WP}inline", f"{_WP}anchor"})
_MAX_CHUNK_DEPTH = 2  # a chunk that is a Word document may hold chunks; not further
# How a chunk that cannot be read fails: reams' own checks (binary text, damaged RTF), and
# python-docx and lxml on a damaged nested Word document (XMLSyntaxError is a SyntaxError).
_DAMAGE = (ProcessorError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError, OSError)

ReadWord = Callable[[bytes, int], list[Block]]


def picture_block(part: Any, element: Any) -> Block:
    """The placeholder of a DrawingML picture (``pic:pic``) or VML image (``v:imagedata``)."""
    if element.tag == PICTURE:
        properties = element.find(f"{_PIC}nvPicPr/{_PIC}cNvPr")
        alt = _alt(properties) or _alt(_drawing_properties(element))
        blip = element.find(f"{_PIC}blipFill/{_A}blip")
        rid = None if blip is None else blip.get(f"{_R}embed")
    else:
        shape = element.getparent()
        alt = (shape.get("alt") if shape is not None else None) or element.get(f"{_O}title")
        rid = element.get(f"{_R}id")
    return image_block(alt or "", _image_name(part, rid))


def _alt(properties: Any) -> str:
    if properties is None:
        return ""
    return str(properties.get("descr") or properties.get("title") or "")


def _drawing_properties(picture: Any) -> Any:
    """The ``wp:docPr`` of the drawing a picture is the only picture of (alt text set in Word's
    picture dialog lands there; a group's describes the group, not each picture in it)."""
    holder = picture.getparent()
    while holder is not None and holder.tag not in _DRAWING_HOLDERS:
        holder = holder.getparent()
    if holder is None or sum(1 for _ in holder.iter(PICTURE)) != 1:
        return None
    return holder.find(f"{_WP}docPr")


def _image_name(part: Any, rid: str | None) -> str:
    target = part.related_parts.get(rid) if rid else None
    name = getattr(target, "partname", None)
    return posixpath.basename(str(name)) if name else ""


def alt_chunk_blocks(
    part: Any, element: Any, *, tables_as_html: bool, depth: int, read_word: ReadWord
) -> list[Block]:
    """The blocks of the content an ``w:altChunk`` imports; none for a format reams does not
    read, a missing part, or a chunk without text. A chunk that cannot be read (binary where
    text is due, a damaged nested document) is left out, as Word shows nothing for it either."""
    target = part.related_parts.get(element.get(f"{_R}id") or "")
    if target is None:
        return []
    content_type = str(getattr(target, "content_type", "")).lower()
    try:
        return _chunk_blocks(
            target.blob,
            content_type,
            tables_as_html=tables_as_html,
            depth=depth,
            read_word=read_word,
        )
    except _DAMAGE:
        return []


def _chunk_blocks(
    data: bytes, content_type: str, *, tables_as_html: bool, depth: int, read_word: ReadWord
) -> list[Block]:
    if content_type in ("text/html", "application/xhtml+xml"):
        return _html_blocks(_decoded_html(data), tables_as_html=tables_as_html)
    if content_type in ("message/rfc822", "multipart/related"):
        return _html_blocks(_mht_html(data), tables_as_html=tables_as_html)
    if content_type == "text/plain":
        from reams.processors.parse.decode import decode_text

        text = decode_text(data)[0]
        return [paragraph(chunk.strip()) for chunk in text.split("\n\n") if chunk.strip()]
    if content_type in ("application/rtf", "text/rtf"):
        from reams.processors.parse.office.rtf import read_rtf

        pages = read_rtf(data, tables_as_html=tables_as_html).pages
        return [Block(page.markdown, page.text) for page in pages if page.markdown.strip()]
    if "wordprocessingml" in content_type and depth < _MAX_CHUNK_DEPTH:
        return read_word(data, depth + 1)
    return []


def _decoded_html(data: bytes) -> str:
    from reams.processors.parse.decode import decode_text
    from reams.processors.parse.web.html import declared_charset

    return decode_text(data, declared=declared_charset(data[:4096]))[0]


def _mht_html(data: bytes) -> str:
    """The first HTML body of a web archive (MIME), decoded; its other parts are pictures."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    for piece in message.walk():
        if piece.get_content_type() == "text/html":
            payload = piece.get_payload(decode=True)
            if isinstance(payload, bytes):
                from reams.processors.parse.decode import decode_text

                return decode_text(payload, declared=piece.get_content_charset())[0]
    return ""


def _html_blocks(markup: str, *, tables_as_html: bool) -> list[Block]:
    from reams.processors.parse.web.html import render_html

    blocks, _ = render_html(
        markup, remove_navigation=False, tables_as_html=tables_as_html, with_title=False
    )
    return blocks
