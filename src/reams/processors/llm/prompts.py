"""Prompts: the document as labelled pages, and the instructions for classify and extract.

Pages are sent as ``<page number="N">…</page>`` blocks (Markdown when the parser produced it,
else plain text), cut to a character budget so a huge document cannot blow the context window
(extraction sends a long document in chunks instead: :mod:`.chunks`). With page images (vision
models) the user message is a list of content parts: each page block followed by its image.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Content",
    "Page",
    "classify_messages",
    "correction",
    "doc_pages",
    "extract_messages",
    "page_blocks",
    "render_pages",
    "user_content",
]

Content = str | list[dict[str, Any]]  # a message's content: text, or OpenAI content parts
NO_TEXT = "[this page has no text layer: read it from its image]"

_TRUNCATED = "\n[… the rest of the document was cut here …]"


@dataclass(frozen=True)
class Page:
    number: int
    markdown: str
    text: str

    @property
    def body(self) -> str:
        return self.markdown.strip() or self.text.strip()


def doc_pages(doc: Mapping[str, Any]) -> list[Page]:
    """The pages of a parse output dict (``markdown_full`` as page 1 when there are none)."""
    pages: list[Page] = []
    raw = doc.get("pages")
    for index, page in enumerate(raw if isinstance(raw, list) else [], start=1):
        if not isinstance(page, Mapping):
            continue
        number = page.get("page_number")
        pages.append(
            Page(
                number=number if isinstance(number, int) else index,
                markdown=str(page.get("markdown") or ""),
                text=str(page.get("text") or ""),
            )
        )
    if not pages:
        full_md = str(doc.get("markdown_full") or "")
        full_text = str(doc.get("text_full") or "")
        if full_md or full_text:
            pages.append(Page(number=1, markdown=full_md, text=full_text))
    return pages


def render_pages(pages: Sequence[Page], max_chars: int) -> str:
    """Pages as labelled blocks, at most about ``max_chars`` characters of page content."""
    return "\n\n".join(text for _, text in page_blocks(pages, max_chars))


def page_blocks(
    pages: Sequence[Page], max_chars: int, *, keep_empty: bool = False
) -> list[tuple[int, str]]:
    """(page number, labelled block) per page, at most about ``max_chars`` characters of page
    content; ``keep_empty``: pages without text get a block saying so (their image is sent)."""
    parts: list[tuple[int, str]] = []
    left = max_chars
    for page in pages:
        body = page.body
        if not body and not keep_empty:
            continue
        if left <= 0 and body:
            parts.append((page.number, _TRUNCATED))
            break
        cut = body[: max(left, 0)]
        left -= len(cut)
        suffix = _TRUNCATED if len(cut) < len(body) else ""
        parts.append((page.number, block(page.number, cut + suffix)))
    return parts


def block(number: int, text: str) -> str:
    """One labelled page block (a page without text says so)."""
    return f'<page number="{number}">\n{text.strip() or NO_TEXT}\n</page>'


def user_content(blocks: Sequence[tuple[int, str]], images: Mapping[int, str]) -> Content:
    """The blocks as one text, or as content parts with each page's image after its block."""
    if not images:
        return "\n\n".join(text for _, text in blocks)
    parts: list[dict[str, Any]] = []
    for number, text in blocks:
        parts.append({"type": "text", "text": text})
        url = images.get(number)
        if url:
            parts.append({"type": "image_url", "image_url": {"url": url, "detail": "high"}})
    return parts


def classify_messages(rules: Sequence[tuple[str, str]], document: Content) -> list[dict[str, Any]]:
    """System: the rules and the reply shape; user: the document only."""
    listed = "\n".join(f"- {json.dumps(t)}: {d.strip()}" for t, d in rules)
    system = (
        "You classify documents. Choose the one document type below whose rule best matches "
        "the document, or null when none of them fits.\n\n"
        f"Types and their rules:\n{listed}\n\n"
        'Reply with a JSON object {"type": <one of the types above, exactly as written, or '
        'null>, "confidence": <number from 0 to 1: how sure you are>, "reasoning": <one or two '
        "sentences citing what in the document decided it>}."
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": document}]


_EXTRACT_RULES = (
    "You extract structured data from documents. Fill `data` following the JSON Schema below. "
    "Use only what the document states; use null when it does not state a value; never guess. "
    "For every non-null leaf value in `data`, add an entry to `evidence`: `field` is its path in "
    "`data` (dots between object keys, [i] for array positions, e.g. `customer.name` or "
    "`items[0].price`), `page` is the number of the page block it comes from, and `quote` is a "
    "short verbatim excerpt of that page containing the value."
)

_TARGETS = {
    "per_doc": "Extract one object for the whole document.",
    "per_page": "The document below is one page: extract one object from it alone.",
    "per_table_row": (
        "The schema describes ONE entity (a table row, list item or repeated section). `data` "
        "is an array with one object per entity, in document order; include every entity."
    ),
}


_IMAGES = (
    "Each page comes as its text block followed by an image of the page. The text may miss what "
    "only the image shows (a scan, a stamp, handwriting, a chart): read the image too, and quote "
    "the text as it reads on the page."
)


def part_note(index: int, count: int, pages: Sequence[int]) -> str:
    """The instruction for part ``index`` (0-based) of a document sent in ``count`` parts."""
    span = f"page {pages[0]}" if len(pages) == 1 else f"pages {pages[0]}-{pages[-1]}"
    note = (
        f"The document is long and is sent in {count} parts; this is part {index + 1} "
        f"({span}). Use only this part: null for what it does not state."
    )
    if index:
        note += " Its first lines repeat the end of the previous part."
    return note


def extract_messages(
    schema: Mapping[str, Any],
    target: str,
    system_prompt: str | None,
    document: Content,
    *,
    notes: Sequence[str] = (),
    images: bool = False,
) -> list[dict[str, Any]]:
    """System: the extraction rules, target, user instructions and schema; user: the pages.

    ``notes`` (which part of a long document this is) follow the target; ``images``: the pages
    come with their images."""
    parts = [_EXTRACT_RULES, _TARGETS.get(target, _TARGETS["per_doc"]), *notes]
    if images:
        parts.append(_IMAGES)
    if system_prompt and system_prompt.strip():
        parts.append("Additional instructions from the user:\n" + system_prompt.strip())
    parts.append("JSON Schema of the data:\n" + json.dumps(schema, ensure_ascii=False))
    return [
        {"role": "system", "content": "\n\n".join(parts)},
        {"role": "user", "content": document},
    ]


def correction(
    messages: Sequence[Mapping[str, Any]], reply: Mapping[str, Any], problem: str
) -> list[Mapping[str, Any]]:
    """``messages`` plus the model's invalid reply and a request to fix ``problem``."""
    return [
        *messages,
        {"role": "assistant", "content": json.dumps(reply, ensure_ascii=False)[:4000]},
        {
            "role": "user",
            "content": f"That reply is invalid: {problem}. Reply again with a corrected JSON "
            "object only.",
        },
    ]
