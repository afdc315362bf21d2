"""The document's physical lines, as printed, and the label/value pairs their layout shows.

Parse items join the lines of a block into one paragraph (an OCR'd receipt comes back as one
long item), but each page's ``text`` keeps one printed line per line, with table cells and
wide gaps as tabs (or runs of spaces in plain-text files). Label/value pairs are read from
those lines the way a person reads a form:

* ``Label: value`` inside a line or a cell (several on one line);
* a label cell and the cell to its right (``Invoice Date | 20-10-2015``);
* a line of label cells and the line below it, column by column
  (``Invoice Date: | Due Date:`` over ``03/20/2023 | 04/04/2023``);
* a label alone on its line (``Bill To:``) and the line below it;
* a run of labels printed after the run of their values (PDF columns read out of order:
  ``Jan 1, 2022`` / ``po_number_123`` then ``Date:`` / ``PO Number:``);
* where the parse items carry line boxes (PDF), a label line and the line printed right of it
  on the same baseline, or just below it in its column, wherever the reading order put them.

The boxes (``bbox`` of the parse items, one per printed line, ``start_index`` / ``end_index``
in the item's value) are matched back onto the page's text lines, so a line knows its type
size and how far down its page it sits (``PLine.box``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reams.processors.extract.dates import find_dates
from reams.processors.extract.text import Pair, key_value_rows, tokens

__all__ = ["Box", "Layout", "PLine", "line_pairs", "physical_lines"]

_CELL_GAP = re.compile(r"\t+|\s{3,}")
_KEY_VALUE = re.compile(r"^\s*(?P<key>[^:\n]{1,50}?)\s*[:：]\s*(?P<value>\S.{0,200}?)\s*$")
_EMBEDDED = re.compile(r"\s(?P<key>[A-Z][\w#/()&'.°-]*(?: [\w#/()&'.°-]+){0,3})\s?:\s+")
MAX_LABEL_WORDS = 6
# A label that ends asking for a number ("Factura Nº", "Invoice No.", "Order #") over its value.
_NUMBER_END = re.compile(r"(?:\bn[°º]|\bno\.?|\bnr\.?|#|\bnumbers?|\bnummer)\s*$", re.IGNORECASE)


_LOOK_AHEAD = 8  # text lines a box is sought past unmatched ones


@dataclass(frozen=True)
class Box:
    """Where a line sits: points from its page's top-left corner; ``top`` as a share of the
    page's height (0 at the top) when the page's height is known."""

    x: float
    y: float
    w: float
    h: float
    top: float | None = None

    @property
    def size(self) -> float:
        """The type size (line boxes are 1.05 × it high)."""
        return self.h / 1.05


@dataclass(frozen=True)
class PLine:
    """One printed line: its page, position in the document, cells, text and box (if known)."""

    page: int
    index: int
    cells: tuple[str, ...]
    box: Box | None = None

    @property
    def text(self) -> str:
        return " ".join(self.cells)


def physical_lines(doc: Mapping[str, Any], *, page: int | None = None) -> list[PLine]:
    """The printed lines of the document (or of one page), in reading order."""
    out: list[PLine] = []
    for number, page_dict in enumerate(doc.get("pages") or [], start=1):
        if not isinstance(page_dict, Mapping):
            continue
        number = int(page_dict.get("page_number") or number)
        if page is not None and number != page:
            continue
        boxes = _item_boxes(page_dict)
        at = 0
        for raw in str(page_dict.get("text") or "").split("\n"):
            cells = tuple(c for part in _CELL_GAP.split(raw) if (c := " ".join(part.split())))
            if not cells:
                continue
            box = None
            if at < len(boxes):
                key = _squashed(raw)
                for ahead in range(at, min(at + _LOOK_AHEAD, len(boxes))):
                    if boxes[ahead][0] == key:
                        box, at = boxes[ahead][1], ahead + 1
                        break
            out.append(PLine(number, len(out), cells, box))
    return out


def _item_boxes(page: Mapping[str, Any]) -> list[tuple[str, Box]]:
    """(squashed line text, box) of each boxed line of the page's items, in reading order."""
    items = page.get("items")
    if not isinstance(items, list):
        return []
    height = page.get("height")
    tall = float(height) if isinstance(height, (int, float)) and height > 0 else None
    out: list[tuple[str, Box]] = []
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("bbox"), list):
            continue
        value = str(item.get("value") or "")
        for entry in item["bbox"]:
            if not isinstance(entry, Mapping) or "start_index" not in entry:
                continue
            try:
                text = value[int(entry["start_index"]) : int(entry["end_index"])]
                x, y, w, h = (float(entry[k]) for k in ("x", "y", "w", "h"))
            except (KeyError, TypeError, ValueError):
                continue
            out.append((_squashed(text), Box(x, y, w, h, y / tall if tall else None)))
    return out


def _squashed(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def is_label(text: str) -> bool:
    """A short run of words without digits, optionally ending with a colon."""
    words = tokens(text)
    stripped = text.rstrip(" :")
    return (
        0 < len(words) <= MAX_LABEL_WORDS
        and sum(c.isalpha() for c in stripped) >= 2
        and not any(c.isdigit() for c in stripped)
        and not stripped.endswith((".", ","))
    )


def _colon_pairs(text: str) -> list[tuple[str, str]]:
    match = _KEY_VALUE.match(text)
    if not match or len(tokens(match["key"])) > MAX_LABEL_WORDS:
        return []
    pairs = []
    key, rest = match["key"], match["value"]
    while (embedded := _EMBEDDED.search(rest)) is not None:
        pairs.append((key, rest[: embedded.start()].strip()))
        key, rest = embedded["key"], rest[embedded.end() :]
    pairs.append((key, rest.strip()))
    return [(k.strip(), v) for k, v in pairs if v and k.strip()]


def line_pairs(lines: list[PLine]) -> list[Pair]:
    """Every label/value pair the lines' layout shows (see the module docstring)."""
    found: list[tuple[PLine, str, str, str]] = []
    listed = key_value_rows([line.cells for line in lines])
    for position, line in enumerate(lines):
        found.extend(_beside(line))
        below = lines[position + 1] if position + 1 < len(lines) else None
        if position in listed and position + 1 in listed:
            continue  # a list of labels and values: each line pairs side by side
        if below is not None and below.page == line.page:
            found.extend(_under(line, below))
    pairs = [
        Pair(line.page, key.strip(" :#|"), value.strip(), source, line.index)
        for line, key, value, source in found
        if key.strip(" :#|") and value.strip()
    ]
    return pairs + _label_runs(lines) + _placed_pairs(lines)


def _short_label(text: str) -> bool:
    """A label, or up to three words ending in an abbreviation's dot ("Rechnungsnr.")."""
    if is_label(text):
        return True
    return text.endswith(".") and len(tokens(text)) <= 3 and is_label(text.rstrip(". "))


def _placed_pairs(lines: list[PLine]) -> list[Pair]:
    """Label lines and the value printed right of them on the same baseline, or under them in
    their column, by the line boxes: the nearest such line, wherever the reading order put
    it, unless it is a label itself."""
    boxed = [line for line in lines if line.box is not None]
    pairs: list[Pair] = []
    for line in boxed:
        box = line.box
        if box is None or len(line.cells) != 1 or not _short_label(line.text):
            continue
        right = [
            other
            for other in boxed
            if other.page == line.page
            and other.box is not None
            and abs(other.box.y - box.y) < 0.4 * box.h
            and 0 <= other.box.x - (box.x + box.w) < 30 * box.size
        ]
        below = [
            other
            for other in boxed
            if other.page == line.page
            and other.box is not None
            # just under it; OCR's boxes of two lines may overlap by up to half a line
            and -0.5 * box.h <= other.box.y - (box.y + box.h) < max(box.h, other.box.h)
            and abs(other.box.x - box.x) < 2 * box.size
        ]
        for group in (right, below):
            if not group:
                continue
            near = min(group, key=lambda o: (o.box.x if o.box else 0, o.box.y if o.box else 0))
            named = group is below and _name_under_label(line.text, near.cells[0])
            if is_label(near.cells[0]) and not named:
                continue
            key = line.text.strip(" :#|")
            source = f"{line.text} {near.cells[0]}"
            pair = Pair(near.page, key, near.cells[0], source, near.index)
            if pair not in pairs:
                pairs.append(pair)
    return pairs


_LABEL_RUN = re.compile(r"^(?P<labels>(?:[^:\d]{2,30}:+\s*){2,8})(?P<values>\S.*)$")


def _run_of_labels(cell: str) -> list[tuple[str, str]]:
    """A cell OCR joined from a column of labels and the column of their values ("Factuurnr.:
    Datum: Klantnummer: EUINDE23-173973 6 december 2023 713753341739"): the labels, then as
    many values — a date whole, else one word each — paired in order when the counts agree."""
    first = cell.find(":")
    if not 2 <= first <= 31 or cell.count(":") < 2:
        return []  # cheap tests first: a contract's long lines never open with a label run
    match = _LABEL_RUN.match(cell)
    if match is None:
        return []
    labels = [k.strip() for k in re.split(r":+", match["labels"]) if k.strip()]
    if not all(_short_label(k) for k in labels):
        return []
    rest = match["values"]
    dates = {d.start: d.end for d in find_dates(rest, partial=True)}
    values: list[str] = []
    at = 0
    while at < len(rest):
        if rest[at].isspace():
            at += 1
            continue
        end = dates.get(at)
        if end is None:
            space = rest.find(" ", at)
            end = len(rest) if space < 0 else space
        values.append(rest[at:end])
        at = end
    if len(values) != len(labels):
        return []
    return list(zip(labels, values, strict=True))


def _beside(line: PLine) -> list[tuple[PLine, str, str, str]]:
    """Values on the label's own line: after a colon, or in the next cell."""
    runs = [(line, k, v, cell) for cell in line.cells for k, v in _run_of_labels(cell)]
    if runs:
        return runs
    found = [(line, k, v, cell) for cell in line.cells for k, v in _colon_pairs(cell)]
    if len(line.cells) > 1:
        found += [(line, k, v, line.text) for k, v in _colon_pairs(line.text)]
    for key, value in zip(line.cells, line.cells[1:], strict=False):
        # "Document No. | 2025105"; after a colon, a name too ("Patient Name: | Jo Harris")
        colon = key.endswith(":") and not value.endswith(":")
        if _short_label(key) and (colon or not _short_label(value)):
            found.append((line, key, value, f"{key} {value}"))
    if _label_value_grid(line.cells):  # "Insured name | Gabriel Diaz | Year | 2022"
        found += [
            (line, key, value, f"{key} {value}")
            for key, value in zip(line.cells[::2], line.cells[1::2], strict=True)
            if _short_label(value)
        ]
    return found


def _label_value_grid(cells: tuple[str, ...]) -> bool:
    """Whether a line is label, value, label, value... (a form's two columns of pairs): an
    even number of four or more cells, a label in each odd place, and in the even places a
    value that cannot be a label (it has digits). Then a name that looks like a label
    ("Gabriel Diaz") is its label's value all the same."""
    if len(cells) < 4 or len(cells) % 2:
        return False
    keys, values = cells[::2], cells[1::2]
    if not all(_short_label(k) for k in keys):
        return False
    return any(not _short_label(v) for v in values)


def _under(line: PLine, below: PLine) -> list[tuple[PLine, str, str, str]]:
    """Values under their labels: column by column ("Invoice No. | Date" over its values),
    or a lone "Label:" over its value."""
    if not all(_short_label(c) for c in line.cells):
        return []
    if len(line.cells) > 1 and len(below.cells) == len(line.cells):
        # a row with a value that cannot be a label is a row of values: a name in it
        # ("Patient | Geb.-Datum" over "Marie Hoffmann | 12.12.1976") is its label's value
        values = any(re.search(r"\d", value) for value in below.cells)
        return [
            (below, key, value, f"{key} {value}")
            for key, value in zip(line.cells, below.cells, strict=True)
            if not is_label(value) or (values and not value.endswith(":"))
        ]
    if len(line.cells) > 1 and len(below.cells) > 1 and not is_label(below.cells[0]):
        # cells merged or lost in one row (OCR): only the first column is still aligned
        key, value = line.cells[0], below.cells[0]
        return [(below, key, value, f"{key} {value}")]
    alone = len(line.cells) == 1 and (line.text.endswith(":") or _NUMBER_END.search(line.text))
    if alone and not below.text.endswith(":") and not _colon_pairs(below.text):
        return [(below, line.text, below.text, f"{line.text} {below.text}")]
    if len(line.cells) == 1 and len(below.cells) == 1 and _name_under_label(line.text, below.text):
        return [(below, line.text, below.text, f"{line.text} {below.text}")]
    return []


# Words that open or make a label rather than a name ("Date", "Total", "Bank details").
_LABEL_WORDS = re.compile(
    r"\b(?:date|datum|fecha|total|totaal|summe|amount|number|nummer|no|nr|page|seite|"
    r"description|item|qty|quantity|price|tax|vat|details?|notes?|terms|payment|signature|"
    r"invoice|receipt|order|rechnung|facture|factuur|factura)\b",
    re.IGNORECASE,
)
_PARTICLE = re.compile(r"(?:de|da|del|della|di|du|des|la|le|van|von|der|den|ten|ter|y|e|&)$")


def _name_under_label(label: str, value: str) -> bool:
    """A label of one to three words without a colon ("Mitarbeiter", "Employee", "Nom") over
    a name alone on its line ("Felix Köhler"): two to five capitalised words, no digits, no
    label words, so a heading over a heading ("Bezeichnung" / "Monat") is not a pair."""
    if label.endswith(":") or not 1 <= len(label.split()) <= 3 or not is_label(label):
        return False
    words = value.split()
    if not 2 <= len(words) <= 5 or re.search(r"[\d:@/]", value) or _LABEL_WORDS.search(value):
        return False
    return all(w[:1].isupper() or _PARTICLE.fullmatch(w) for w in words)


def _label_runs(lines: list[PLine]) -> list[Pair]:
    """Labels printed after their values: N lines "Label:" right after N value lines."""
    pairs: list[Pair] = []
    position = 0
    while position < len(lines):
        end = position
        while (
            end < len(lines)
            and len(lines[end].cells) == 1
            and lines[end].text.endswith(":")
            and is_label(lines[end].text)
        ):
            end += 1
        size = end - position
        before = lines[position - size : position] if size >= 2 and position >= size else []
        after = lines[end : end + size] if size >= 2 and end + size <= len(lines) else []
        # the values' column, then the labels'; else the labels' column, then the values'
        for values in (before, after):
            if values and all(len(v.cells) == 1 and not v.text.endswith(":") for v in values):
                for label, value in zip(lines[position:end], values, strict=True):
                    source = f"{label.text} {value.text}"
                    key = label.text.rstrip(" :")
                    pairs.append(Pair(value.page, key, value.text, source, value.index))
                break
        position = max(end, position + 1)
    return pairs


@dataclass
class Layout:
    """The printed lines of a document (or page) and the pairs their layout shows."""

    lines: list[PLine]
    pairs: list[Pair] = field(default_factory=list)
    language: str = ""
    headings: frozenset[str] = frozenset()  # large type on the first page, lower-cased
    ocr: bool = False  # the first page was read by OCR (its large type may be misread)

    @classmethod
    def build(cls, doc: object, *, page: int | None = None, language: str = "") -> Layout:
        if not isinstance(doc, Mapping):
            return cls([], [], language)
        lines = physical_lines(doc, page=page)
        first = next(
            (
                p
                for p in doc.get("pages") or []
                if isinstance(p, Mapping) and lines and p.get("page_number") == lines[0].page
            ),
            {},
        )
        ocr = bool(first.get("ocr"))
        return cls(lines, line_pairs(lines), language, _first_headings(doc, lines), ocr)

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _first_headings(doc: Mapping[str, Any], lines: Sequence[PLine]) -> frozenset[str]:
    """The headings (large type) the parser found on the first page read."""
    if not lines:
        return frozenset()
    for page in doc.get("pages") or []:
        if isinstance(page, Mapping) and page.get("page_number", lines[0].page) == lines[0].page:
            items = page.get("items")
            if not isinstance(items, list):
                return frozenset()
            return frozenset(
                " ".join(str(item.get("value") or "").split()).lower()
                for item in items
                if isinstance(item, Mapping) and item.get("type") == "heading"
            )
    return frozenset()
