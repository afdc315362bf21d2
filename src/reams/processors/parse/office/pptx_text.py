"""The text of a PowerPoint shape as blocks: paragraphs, and bullet levels as nested lists.

Whether a paragraph has a bullet is rarely stated on the paragraph itself: it is inherited from
the layout placeholder, the master placeholder and finally the master's body style. Those are
looked up for placeholders; free text boxes count as lists only where a bullet is set explicitly
or the paragraph is indented to a sub-level (how people type lists in a text box).
"""

from __future__ import annotations

from typing import Any

from reams.processors.parse.blocks import Block, collapse_spaces, paragraph
from reams.processors.parse.lists import ListBuilder

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_BULLETS = {f"{A}buNone": "none", f"{A}buChar": "bullet", f"{A}buAutoNum": "number"}
# Placeholder types (PP_PLACEHOLDER) whose text is bulleted by the usual master body style.
_BODY_TYPES = frozenset({2, 7})  # BODY, OBJECT
_MAX_LEVEL = 8


def text_blocks(shape: Any) -> list[Block]:
    """Blocks of a shape's text frame, consecutive list paragraphs gathered into one list."""
    blocks: list[Block] = []
    builder = ListBuilder()
    for para in shape.text_frame.paragraphs:
        text = collapse_spaces(para.text.replace("\v", "\n"))
        if not text:
            continue
        kind = _bullet_kind(shape, para)
        if kind == "none":
            blocks.extend(_ended(builder))
            blocks.append(paragraph(text))
        else:
            builder.add(text, level=min(para.level, _MAX_LEVEL), numbered=kind == "number")
    return blocks + _ended(builder)


def _ended(builder: ListBuilder) -> list[Block]:
    block = builder.end()
    return [] if block is None else [block]


def shape_text(shape: Any) -> str:
    """All of a shape's text on one line (titles, headings)."""
    return " ".join(shape.text_frame.text.replace("\v", " ").split())


def _bullet_kind(shape: Any, para: Any) -> str:
    """'bullet', 'number' or 'none' for one paragraph of ``shape``."""
    explicit = _kind_of(para._p.pPr)
    if explicit is not None:
        return explicit
    level = min(para.level, _MAX_LEVEL)
    if _is_placeholder(shape):
        inherited = _inherited_kind(shape, level)
        if inherited is not None:
            return inherited
    return "bullet" if level > 0 else "none"


def _kind_of(properties: Any) -> str | None:
    if properties is None:
        return None
    for child in properties.iterchildren():
        kind = _BULLETS.get(child.tag)
        if kind is not None:
            return kind
    return None


def _is_placeholder(shape: Any) -> bool:
    return bool(getattr(shape, "is_placeholder", False))


def _inherited_kind(shape: Any, level: int) -> str | None:
    """The bullet kind a placeholder's paragraph at ``level`` inherits, None when unknown."""
    style_path = f"{A}lstStyle/{A}lvl{level + 1}pPr"
    placeholder = shape
    for _ in range(2):  # slide placeholder -> layout placeholder -> master placeholder
        placeholder = _base(placeholder)
        if placeholder is None:
            break
        body = placeholder._element.find(f"{_P}txBody")
        kind = _kind_of(body.find(style_path)) if body is not None else None
        if kind is not None:
            return kind
    if _placeholder_type(shape) in _BODY_TYPES:
        return _master_body_kind(shape, level) or "bullet"
    return None


def _base(placeholder: Any) -> Any:
    try:
        return placeholder._base_placeholder
    except (AttributeError, KeyError, NotImplementedError, ValueError):
        return None


def _placeholder_type(shape: Any) -> int | None:
    try:
        return int(shape.placeholder_format.type)
    except (AttributeError, ValueError, TypeError):
        return None


def _master_body_kind(shape: Any, level: int) -> str | None:
    try:
        master = shape.part.slide.slide_layout.slide_master._element
    except AttributeError:
        return None
    return _kind_of(master.find(f"{_P}txStyles/{_P}bodyStyle/{A}lvl{level + 1}pPr"))
