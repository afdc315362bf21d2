"""Long documents in chunks that fit the model's context: split at page and section boundaries.

The budget of one request is the model's context (``LlmConfig.context_tokens``) less the reply's
reserve and the instructions (schema included), in characters at a conservative
:data:`CHARS_PER_TOKEN`, and never more than the caller's ``max_chars``. Pages are kept whole
when they fit; a longer page is cut at Markdown headings, then blank lines, then line ends (a
single over-long line at the budget). A chunk after the first starts with a small overlap: the
last lines of the chunk before, so a table row or a labelled value cut at the seam is whole in
one of them (the merge step, :mod:`.merge`, removes what the overlap repeats). Where a cut falls
inside a Markdown table, the table's header row is repeated before the rows that continue it, so
each chunk knows what its columns are.

With page images (vision), a page costs its text plus :data:`IMAGE_CHARS`, a chunk holds at most
``max_images`` images, and a page without text is kept for its image.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reams.processors.llm.prompts import Page, block

__all__ = [
    "CHARS_PER_TOKEN",
    "IMAGE_CHARS",
    "Chunk",
    "Piece",
    "budget_chars",
    "chunk_pages",
    "split_text",
]

CHARS_PER_TOKEN = 3.0  # English runs near 4; numbers, tables and other scripts fewer
IMAGE_CHARS = 4_000  # a page image at the rendered size: ~1,100-1,300 tokens on common models
REPLY_SHARE = 0.25  # of the context, at most ``MAX_REPLY_TOKENS``, kept for the reply
MAX_REPLY_TOKENS = 8_192
MIN_BUDGET = 1_000  # characters: below this a chunk would hold almost nothing
OVERLAP_SHARE = 0.05  # of the budget, at most ``MAX_OVERLAP``, repeated at each seam
MAX_OVERLAP = 1_500

_HEADING = re.compile(r"\n(?=#{1,6} )")
_PARAGRAPH = re.compile(r"\n\s*\n")
_RULE = re.compile(r"\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?")


@dataclass(frozen=True)
class Piece:
    """Text from one page (all of it, or a section); ``image``: the page's image goes with it."""

    page: int
    text: str
    image: bool = False
    overlap: bool = False  # repeats the end of the chunk before
    carried: str = ""  # the table header put before ``text``'s rows (they continue a table)

    @property
    def rows(self) -> str:
        """``text`` without the carried header."""
        return self.text[len(self.carried) :].lstrip("\n") if self.carried else self.text


@dataclass(frozen=True)
class Chunk:
    """What one request carries, in document order."""

    pieces: tuple[Piece, ...]

    @property
    def pages(self) -> list[int]:
        """The page numbers in this chunk, each once, in order."""
        return list(dict.fromkeys(p.page for p in self.pieces))

    @property
    def images(self) -> list[int]:
        return list(dict.fromkeys(p.page for p in self.pieces if p.image))

    @property
    def overlap(self) -> tuple[int, str] | None:
        """(page, text) this chunk repeats from the one before, or None."""
        repeat = next((p for p in self.pieces if p.overlap), None)
        return None if repeat is None else (repeat.page, repeat.text)

    @property
    def text_pages(self) -> list[int]:
        """The pages with some text in this chunk."""
        return list(dict.fromkeys(p.page for p in self.pieces if p.text.strip()))

    @property
    def has_text(self) -> bool:
        return any(p.text.strip() and not p.overlap for p in self.pieces)

    def blocks(self) -> list[tuple[int, str]]:
        """(page, labelled block) per run of pieces from one page."""
        runs: list[tuple[int, list[str]]] = []
        for piece in self.pieces:
            if runs and runs[-1][0] == piece.page:
                in_table = runs[-1][1][-1].rstrip().split("\n")[-1].lstrip().startswith("|")
                runs[-1][1].append(piece.rows if in_table else piece.text)
            else:
                runs.append((piece.page, [piece.text]))
        return [(page, block(page, "\n".join(texts))) for page, texts in runs]


def budget_chars(context_tokens: int, instructions_chars: int, max_chars: int) -> int:
    """Characters of document one request may carry besides ``instructions_chars``."""
    reply = min(MAX_REPLY_TOKENS, int(context_tokens * REPLY_SHARE))
    room = (context_tokens - reply) * CHARS_PER_TOKEN - instructions_chars
    return max(MIN_BUDGET, min(max_chars, int(room)))


def chunk_pages(
    pages: Sequence[Page], budget: int, *, images: bool = False, max_images: int = 8
) -> list[Chunk]:
    """``pages`` as chunks of at most about ``budget`` characters (see the module docstring)."""
    chunks: list[list[Piece]] = []
    size = 0
    for piece in _pieces(pages, budget, images=images):
        cost = _cost(piece)
        full = chunks and (
            size + cost > budget
            or (piece.image and len({p.page for p in chunks[-1] if p.image}) >= max_images)
        )
        if not chunks or full:
            tail = _overlap(chunks[-1], budget) if chunks else []
            chunks.append(tail)
            size = sum(len(p.text) for p in tail)
        chunks[-1].append(piece)
        size += cost
    return [Chunk(tuple(c)) for c in chunks]


def _cost(piece: Piece) -> int:
    return len(piece.text) + (IMAGE_CHARS if piece.image else 0)


def _pieces(pages: Sequence[Page], budget: int, *, images: bool) -> list[Piece]:
    out: list[Piece] = []
    for page in pages:
        body = page.body
        if not body and not images:
            continue
        room = budget - (IMAGE_CHARS if images else 0) - _overlap_limit(budget)
        parts = split_text(body, max(MIN_BUDGET // 2, room)) if body else [""]
        before = ""  # the page's previous piece, with the header it carried
        for index, part in enumerate(parts):
            header = _carried(before.split("\n"), part)
            before = f"{header}\n{part}" if header else part
            out.append(Piece(page.number, before, image=images and index == 0, carried=header))
    return out


def _table_header(lines: Sequence[str]) -> list[str]:
    """The header and rule lines of the Markdown table ``lines`` end inside, else []."""
    start = len(lines)
    while start > 0 and lines[start - 1].lstrip().startswith("|"):
        start -= 1
    block = lines[start:]
    if len(block) >= 2 and _RULE.fullmatch(block[1].strip()):
        return list(block[:2])
    return []


def _carried(before: Sequence[str], text: str) -> str:
    """The header of the table ``text`` continues from ``before`` (its rows go on), else ""."""
    lines = text.strip("\n").split("\n")
    if not lines[0].lstrip().startswith("|"):
        return ""
    if len(lines) > 1 and _RULE.fullmatch(lines[1].strip()):
        return ""  # the table starts here, with its own header
    return "\n".join(_table_header(before))


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in consecutive parts of at most ``limit`` characters, cut at the coarsest
    boundary that works: headings, blank lines, line ends, then anywhere."""
    if len(text) <= limit:
        return [text]
    for boundary in (_HEADING, _PARAGRAPH, re.compile(r"\n")):
        sections = [s for s in boundary.split(text) if s.strip()]
        if len(sections) > 1:
            return _pack(sections, limit, "\n\n" if boundary is _PARAGRAPH else "\n")
    return [text[i : i + limit] for i in range(0, len(text), limit)]


def _pack(sections: list[str], limit: int, glue: str) -> list[str]:
    """Consecutive sections joined while they fit; a section too long is split further."""
    parts: list[str] = []
    for section in sections:
        for small in split_text(section, limit):
            if parts and len(parts[-1]) + len(glue) + len(small) <= limit:
                parts[-1] += glue + small
            else:
                parts.append(small)
    return parts


def _overlap_limit(budget: int) -> int:
    return min(MAX_OVERLAP, int(budget * OVERLAP_SHARE))


def _overlap(previous: list[Piece], budget: int) -> list[Piece]:
    """The last whole lines of ``previous`` (one page's), about :data:`OVERLAP_SHARE` of it."""
    if not previous:
        return []
    limit = _overlap_limit(budget)
    last = previous[-1]
    lines = last.text.rstrip().split("\n")
    kept: list[str] = []
    size = 0
    for line in reversed(lines[1:]):  # never the whole piece: that would repeat it all
        if size + len(line) + 1 > limit:
            break
        kept.insert(0, line)
        size += len(line) + 1
    text = "\n".join(kept).strip()
    if not text:
        return []
    header = _carried(lines[: len(lines) - len(kept)], text)
    return [Piece(last.page, f"{header}\n{text}" if header else text, overlap=True, carried=header)]
