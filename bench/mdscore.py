"""Scores comparing a converter's Markdown with a reference: text similarity and table structure.

**Text** (:func:`text_similarity`). Both sides are reduced to word tokens first, so Markdown
conventions do not count, only the words and their order: HTML comments (docling's
``<!-- image -->``), images (``![alt](src)``, data URIs included), link targets (the link text is
kept), HTML tags, backslash escapes and entities are removed; the text is NFKC-normalised and
case-folded; the tokens are the runs of letters and digits (``[^\\W_]+``), so table pipes,
separator rows, emphasis marks, heading hashes, bullets and whitespace all disappear. The score is
``difflib.SequenceMatcher(None, ref, out, autojunk=False).ratio()`` over the two token lists,
``2·M / (|ref| + |out|)`` where M is the number of tokens in matching blocks: 1 for the same
words in the same order, and it falls both for missing or extra text and for text out of reading
order. Token lists are short (the largest reference has about 6,000 tokens), so this takes
milliseconds. The order-free bag-of-words F1 (:func:`token_f1`) is reported next to it: the gap
between the two shows how much of the loss is reading order rather than missing text.

**Tables** (:func:`table_score`). Tables are read from the Markdown as grids: GitHub pipe tables
(separator rows dropped) and HTML ``<table>`` elements (``output_tables_as_HTML``). A grid is
scored by its *adjacency relations* (as in the ICDAR 2013 table competition, Göbel et al.): for
each non-empty cell, its nearest non-empty neighbour to the right and below, as (direction, cell,
neighbour) triples, cells compared by their normalised tokens joined without spaces (so line
breaks and hyphenation inside a cell do not matter). The score is the F1 of the two multisets of
triples, pooled over all tables of the document. It rewards the right cells in the right rows
and columns, tolerates the conventions that differ between converters (an empty header row,
spanned cells repeated or left blank) and gives 0 when no table was recognised.

**Cells** (:func:`cell_scores`), for expected CSV tables: precision and recall of the multiset
of non-empty normalised cells of the best-matching table (the one with the highest cell F1).
"""

from __future__ import annotations

import csv
import difflib
import html
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

Grid = list[list[str]]
MATCH_CAP = 4

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_WORD = re.compile(r"[^\W_]+")
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")
_SEPARATOR_CELL = re.compile(r"^\s*:?-+:?\s*$")
_HTML_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)


def tokens(markdown: str) -> list[str]:
    """The words of ``markdown``, Markdown syntax and link targets removed, case-folded."""
    text = _COMMENT.sub(" ", markdown)
    text = _IMAGE.sub(" ", text)
    text = _LINK.sub(r" \1 ", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(_ESCAPE.sub(r"\1", text))
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def text_similarity(reference: list[str], output: list[str]) -> float:
    """Order-aware similarity of two token lists (``SequenceMatcher.ratio``), 0..1.

    An output far longer than the reference is matched on its first ``MATCH_CAP`` × the
    reference's length only (bounding the quadratic worst case); its full length still counts in
    the denominator, so the score can only be lower than the exact one, which is already poor.
    """
    if not reference and not output:
        return 1.0
    compared = output[: MATCH_CAP * len(reference) + 1000]
    matcher = difflib.SequenceMatcher(None, reference, compared, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return f1(matched, len(output), len(reference))


def f1(matched: float, predicted: float, expected: float) -> float:
    return 2 * matched / (predicted + expected) if predicted + expected else 0.0


def token_f1(reference: list[str], output: list[str]) -> float:
    """Order-free bag-of-words F1 of two token lists, 0..1."""
    if not reference and not output:
        return 1.0
    common = sum((Counter(reference) & Counter(output)).values())
    return f1(common, len(output), len(reference))


# ---------------------------------------------------------------------------- tables


def _pipe_cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [cell.strip() for cell in _PIPE_SPLIT.split(body)]


def _is_separator(cells: list[str]) -> bool:
    return bool(cells) and all(_SEPARATOR_CELL.match(cell) for cell in cells)


def pipe_tables(markdown: str) -> list[Grid]:
    """GitHub pipe tables: runs of lines starting with ``|``, separator rows left out."""
    found: list[Grid] = []
    current: Grid = []
    for line in [*markdown.splitlines(), ""]:
        if line.lstrip().startswith("|"):
            cells = _pipe_cells(line)
            if not _is_separator(cells):
                current.append(cells)
        elif current:
            found.append(current)
            current = []
    return found


class _HtmlTableReader(HTMLParser):
    """Collects the rows of one ``<table>`` (nested tables flattened into their cell)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: Grid = []
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() else 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            if not self.rows:
                self.rows.append([])
            self.rows[-1] += [" ".join(self._cell)] + [""] * (self._span - 1)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(markdown: str) -> list[Grid]:
    """HTML ``<table>`` elements embedded in the Markdown, as grids."""
    grids = []
    for match in _HTML_TABLE.finditer(markdown):
        reader = _HtmlTableReader()
        reader.feed(match.group(0))
        reader.close()
        if rows := [row for row in reader.rows if row]:
            grids.append(rows)
    return grids


def markdown_tables(markdown: str) -> list[Grid]:
    """Every table in ``markdown``: pipe tables and HTML tables."""
    return pipe_tables(markdown) + html_tables(markdown)


def csv_grid(text: str) -> Grid:
    """A CSV file's rows as a grid."""
    return [row for row in csv.reader(io.StringIO(text)) if row]


def cell_key(text: str) -> str:
    """A cell's comparable form: its tokens joined without spaces ("" for an empty cell)."""
    return "".join(tokens(text))


def _keyed(grid: Grid) -> Grid:
    width = max((len(row) for row in grid), default=0)
    return [[cell_key(cell) for cell in row] + [""] * (width - len(row)) for row in grid]


def _next_filled(cells: Iterable[str]) -> str | None:
    return next((cell for cell in cells if cell), None)


def relations(grid: Grid) -> Counter[tuple[str, str, str]]:
    """Adjacency relations of a grid: (direction, cell, nearest non-empty neighbour)."""
    keys = _keyed(grid)
    found: Counter[tuple[str, str, str]] = Counter()
    for r, row in enumerate(keys):
        for c, cell in enumerate(row):
            if not cell:
                continue
            if (right := _next_filled(row[c + 1 :])) is not None:
                found["h", cell, right] += 1
            if (below := _next_filled(other[c] for other in keys[r + 1 :])) is not None:
                found["v", cell, below] += 1
    return found


def table_score(reference: list[Grid], output: list[Grid]) -> float | None:
    """F1 of the adjacency relations of all tables (None when the reference has none)."""
    expected: Counter[tuple[str, str, str]] = Counter()
    for grid in reference:
        expected += relations(grid)
    if not expected:
        return None
    predicted: Counter[tuple[str, str, str]] = Counter()
    for grid in output:
        predicted += relations(grid)
    common = sum((expected & predicted).values())
    return f1(common, sum(predicted.values()), sum(expected.values()))


@dataclass(frozen=True)
class CellMatch:
    """Cell-level agreement of an expected table with the best table of an output."""

    precision: float
    recall: float
    relations_f1: float  # adjacency-relation F1 of the same table pair (structure)
    tables: int  # tables found in the output

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _cells(grid: Grid) -> Counter[str]:
    return Counter(cell for row in _keyed(grid) for cell in row if cell)


def _match(expected: Grid, candidate: Grid, *, tables: int) -> CellMatch:
    want, got = _cells(expected), _cells(candidate)
    common = sum((want & got).values())
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else 0.0
    structure = table_score([expected], [candidate]) or 0.0
    return CellMatch(precision, recall, structure, tables)


def cell_scores(expected: Grid, output: list[Grid]) -> CellMatch:
    """Precision/recall of the cells of the output table that best matches ``expected``."""
    matches = [_match(expected, grid, tables=len(output)) for grid in output]
    return max(matches, key=lambda m: (m.f1, m.relations_f1), default=CellMatch(0, 0, 0, 0))
