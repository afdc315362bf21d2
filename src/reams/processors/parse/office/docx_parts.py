"""The parts of a DOCX around its body: page headers and footers, footnotes and endnotes,
and the data of charts drawn inline.

Headers and footers are read in section order, each distinct one once (first-page, even-page
and default variants often repeat each other), and marked with an HTML comment in the Markdown
so they can be told apart from body text. Notes become Markdown footnotes: the body carries
``[^N]`` (``[^eN]`` for endnotes) where Word shows the reference mark, and the notes follow the
body as ``[^N]: text``.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from reams.processors.parse.blocks import Block, paragraph
from reams.processors.parse.office.docx_styles import W
from reams.processors.parse.tables import render_table

_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
CHART = f"{_C}chart"
_NOTE_KINDS = (("footnotes", "footnote", ""), ("endnotes", "endnote", "e"))
_SEPARATOR_TYPES = frozenset({"separator", "continuationSeparator", "continuationNotice"})

Walk = Callable[[Any, Any], list[Block]]  # (root element, its part) -> blocks


def furniture_blocks(document: Any, walk: Walk, *, kind: str) -> list[Block]:
    """The distinct ``kind`` ("header" or "footer") parts, walked, after a marker comment."""
    blocks: list[Block] = []
    seen: set[str] = set()
    for part in _section_parts(document, kind):
        walked = [block for block in walk(part.element, part) if block.text.strip()]
        key = "\n".join(block.text for block in walked)
        if walked and key not in seen:
            seen.add(key)
            blocks.append(Block(f"<!-- page {kind} -->", ""))
            blocks.extend(walked)
    return blocks


def _section_parts(document: Any, kind: str) -> list[Any]:
    body = document.element.body
    references = [
        reference.get(f"{_R}id")
        for section in body.iter(f"{W}sectPr")
        for reference in section.iterchildren(f"{W}{kind}Reference")
    ]
    related = document.part.related_parts
    return [related[rid] for rid in dict.fromkeys(references) if rid in related]


def note_blocks(document: Any, text_of: Callable[[Any], str]) -> list[Block]:
    """Footnotes, then endnotes, as Markdown footnote definitions."""
    blocks: list[Block] = []
    for relationship, tag, prefix in _NOTE_KINDS:
        root = _related_xml(document, relationship)
        if root is None:
            continue
        for note in root.iterchildren(f"{W}{tag}"):
            if note.get(f"{W}type") in _SEPARATOR_TYPES:
                continue
            text = " ".join(" ".join(text_of(p) for p in note.iter(f"{W}p")).split())
            if text:
                label = f"[^{prefix}{note.get(f'{W}id')}]"
                blocks.append(Block(f"{label}: {text}", f"{label}: {text}"))
    return blocks


def _related_xml(document: Any, relationship: str) -> Any:
    from docx.oxml.parser import parse_xml

    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype.endswith(f"/{relationship}"):
            part = rel.target_part
            element = getattr(part, "element", None)
            return element if element is not None else parse_xml(part.blob)
    return None


def note_reference(element: Any) -> str | None:
    """``[^N]`` for a footnote or endnote reference run child, None for anything else."""
    if element.tag == f"{W}footnoteReference":
        return f"[^{element.get(f'{W}id')}]"
    if element.tag == f"{W}endnoteReference":
        return f"[^e{element.get(f'{W}id')}]"
    return None


def chart_blocks(part: Any, chart: Any, *, as_html: bool) -> list[Block]:
    """An inline chart (``c:chart``) as its title and a table of its cached data, as in PPTX."""
    from docx.oxml.parser import parse_xml

    from reams.processors.parse.office.pptx import _chart_rows

    target = part.related_parts.get(chart.get(f"{_R}id") or "")
    if target is None or not target.content_type.endswith("chart+xml"):
        return []
    space = parse_xml(target.blob)
    title = space.find(f"{_C}chart/{_C}title")
    words = "" if title is None else " ".join("".join(title.itertext()).split())
    table = render_table(_chart_rows(SimpleNamespace(_chartSpace=space)), as_html=as_html)
    blocks = [paragraph(words)] if words else []
    return blocks + ([table] if table is not None else [])
