"""A searchable view of a parse output: lines, sentences, key/value pairs and tables by page,
plus the word handling (tokens, crude stems, a field's key phrases) every strategy shares."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

__all__ = [
    "DocView",
    "FieldTerms",
    "Line",
    "Pair",
    "Table",
    "content_stems",
    "field_terms",
    "key_value_rows",
    "stem",
    "tokens",
]

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "by",
        "with",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "as",
        "at",
        "from",
        "any",
        "all",
        "each",
        "which",
        "what",
        "who",
        "whom",
        "whose",
        "does",
        "do",
        "did",
        "there",
        "their",
        "such",
        "may",
        "shall",
        "will",
        "would",
        "should",
        "can",
        "could",
        "must",
        "if",
        "whether",
        "other",
        "than",
        "into",
        "under",
        "upon",
        "about",
        "between",
        "also",
        "nor",
        "per",
        "via",
        "e",
        "g",
        "eg",
        "ie",
        "i",
        "etc",
        # the articles and prepositions of labels in other languages ("Numéro de facture")
        "de",
        "du",
        "des",
        "le",
        "la",
        "les",
        "het",
        "van",
        "der",
        "von",
        "dem",
        "den",
        "del",
    ]
)
# Short forms that stand for a longer word in labels ("Invoice No.", "Qty", "Amt").
ABBREVIATIONS = {
    "no": "number",
    "n": "number",  # "Fattura n."
    "nr": "number",
    "num": "number",
    "nº": "number",
    "#": "number",
    "qty": "quantity",
    "amt": "amount",
    "inv": "invoice",
    "rcpt": "receipt",
    "trans": "transaction",
    "ref": "reference",
    "réf": "reference",
    "tel": "telephone",
    "dt": "date",
    "desc": "description",
    "addr": "address",
}
# Label words of other European languages, read as the English word they stand for, so a field
# named in English finds "Factuurnummer", "Rechnungsdatum" or "Numéro de facture".
TRANSLATIONS = {
    **dict.fromkeys(
        [
            "factuur",
            "facture",
            "factura",
            "fattura",
            "faktura",
            "fakturanr",
            "faktury",
            "fact",  # "Fact. n°"
            "fakt",
            "rg",  # "Rg.-Nr.", German
            "rechn",
            "rechnung",
            "rechnungs",
        ],
        "invoice",
    ),
    **dict.fromkeys(
        ["nummer", "numéro", "numero", "número", "numer", "nro", "nº", "núm"], "number"
    ),
    **dict.fromkeys(["datum", "fecha"], "date"),
    **dict.fromkeys(["dokument", "documento"], "document"),
    "nota": "bill",  # Dutch "Notanummer", "Jaarnota"
    **dict.fromkeys(
        ["totaal", "totale", "gesamt", "gesamtbetrag", "summe", "razem", "ogółem"], "total"
    ),
    **dict.fromkeys(
        ["montant", "bedrag", "betrag", "importe", "importo", "kwota", "należność"], "amount"
    ),
    **dict.fromkeys(["klant", "kunde", "kunden", "klient", "nabywca"], "customer"),
    **dict.fromkeys(["paciente", "patiënt", "paziente", "patientin"], "patient"),
    # a payslip: "Mitarbeiter", "Salarié", "Auszahlungsbetrag", "Payé le"
    **dict.fromkeys(
        [
            *("mitarbeiter", "salarié", "salarie", "werknemer", "empleado", "trabajador"),
            *("arbeitnehmer", "employé", "dipendente", "lavoratore", "pracownik"),
        ],
        "employee",
    ),
    **dict.fromkeys(
        [
            *("auszahlung", "auszahlungs", "paye", "payé", "uitbetaling"),
            *("überweisung", "überweisungs"),
        ],
        "pay",
    ),
    # "Date de paiement", "Fecha de pago", "Betaaldatum", "Zahlungsdatum" (English "payment"
    # and "paid" stay as they are: contracts' clauses are read by unexpanded stems; label
    # scores read them as "pay", see labels.py)
    **dict.fromkeys(
        [
            *("paiement", "pago", "pagamento", "betaal", "betaling", "zahlung"),
            *("zahlungs", "płatności"),
        ],
        "pay",
    ),
    # a name label ("Nom", "Naam", "Nombre"): the name a field's description asks for
    **dict.fromkeys(["nom", "naam", "nombre", "nome", "imię", "nazwisko"], "name"),
    **dict.fromkeys(
        [
            "verkoper",
            "verkäufer",
            "vendeur",
            "vendedor",
            "sprzedawca",
            "fournisseur",
            "lieferant",
            "leverancier",
            "proveedor",
            "fornitore",
        ],
        "seller",
    ),
    **dict.fromkeys(
        [
            *("bestelling", "bestell", "bestel", "bestellung", "commande", "pedido", "ordine"),
            *("auftrag", "auftrags", "booking", "buchung", "reservation", "réservation"),
            *("reservering", "reserva", "prenotazione", "inkooporder"),
        ],
        "order",
    ),
    **dict.fromkeys(
        [
            *("quittung", "reçu", "recibo", "ricevuta", "kassenbon", "bonnetje", "kassabon"),
            *("beleg", "bon", "kassenzettel", "scontrino", "ticket", "tique", "tiquet"),
            # Spanish "Factura simplificada" (a till's receipt), Scandinavian, Polish
            *("simplificada", "kvitto", "kvittering", "kvitterings", "paragon", "paragonu"),
            *("kassenbeleg", "commerciale"),  # Italian "Documento commerciale n."
        ],
        "receipt",
    ),
    # a delivery note: "Pakbon nr.", "Lieferschein-Nr.", "N° bon de livraison", "Albarán nº"
    **dict.fromkeys(
        [
            *("pakbon", "leverbon", "lieferschein", "livraison", "albarán", "albaran"),
            *("consegna", "ddt", "dispatch", "despatch", "packing", "shipment", "entrega"),
            *("lieferung", "levering", "aflevering", "expédition", "envío", "envio"),
        ],
        "delivery",
    ),
    # a till's operation: "Nº Op.", "Nº operación", "N° d'opération"
    **dict.fromkeys(
        ["operación", "operacion", "opération", "operazione", "vorgang", "vorgangs"],
        "transaction",
    ),
    **dict.fromkeys(
        ["adres", "adresse", "dirección", "direccion", "indirizzo", "anschrift"], "address"
    ),
    # a credit note: "Gutschrift Nr.", "Avoir n°", "Creditnotanummer", "Nota de crédito nº"
    **dict.fromkeys(
        [
            *("gutschrift", "gutschrifts", "avoir", "creditnota", "creditfactuur", "abono"),
            *("crédito", "credito", "rectificativa", "storno"),
        ],
        "credit",
    ),
    # a report: "Befund-Nr.", "Datum des Befundes", "Nº de informe", "Rapport n°"
    **dict.fromkeys(["befund", "befundes", "bericht", "informe", "rapport", "verslag"], "report"),
    **dict.fromkeys(["btw", "mwst", "tva", "iva", "ust"], "vat"),
    **dict.fromkeys(["subtotaal", "zwischensumme"], "subtotal"),
    **dict.fromkeys(["verval", "fälligkeits", "échéance", "vencimiento", "scadenza"], "due"),
}
# Initials that stand for two words ("PO Number").
EXPANSIONS: dict[str, tuple[str, ...]] = {
    "po": ("purchase", "order"),
    "txn": ("transaction",),
    "tx": ("transaction",),
    "trn": ("transaction",),
    "tran": ("transaction",),  # "TRAN#"
    "ta": ("transaction",),  # German fuel receipts' "TA-Nr."
    "transactie": ("transaction",),
    "sale": ("transaction",),  # a till's "Sale #"
    "chk": ("check",),  # a restaurant's "Chk 4521"
    "trx": ("transaction",),
    "zahltag": ("pay", "date"),  # German "pay day"
    "dn": ("delivery", "note"),  # "DN No."
    "bl": ("delivery",),  # French "N° BL" (bon de livraison)
}
# Compound labels ("Factuurnummer", "Rechnungsnr", "Bestelldatum") split before their head.
_COMPOUND = re.compile(r"^(?P<head>\w{3,}?)s?(?P<tail>nummer|nr|datum|betrag|adresse?)$")
_OPERATION = re.compile(r"\b[Oo][Pp]\.+(?=\s|$)")
_NUMBER_SIGN = re.compile(r"\b[nN]\s?[°º]|\b[nN]\.\s?[°º]")
FURNITURE_REPEATS = 3
_SPLIT_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD = re.compile(r"#|[^\W_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=[\"“(]?[A-Z0-9])")
_KEY_VALUE = re.compile(r"^\s*(?P<key>[^:\n]{1,60}?)\s*[:：]\s*(?P<value>\S.{0,200}?)\s*$")


def tokens(text: str) -> list[str]:
    """Lower-case words of ``text`` (camelCase and snake_case split; "N°" is "number")."""
    if "°" in text or "º" in text:
        text = _NUMBER_SIGN.sub(" number ", text)
    if "p." in text:  # "Nº Op.": a till's operation (Dutch "op", "on", has no dot)
        text = _OPERATION.sub(" operación ", text)
    return [w.lower() for w in _WORD.findall(_SPLIT_CAMEL.sub(" ", text))]


_TAILS = ("nummer", "nr", "datum", "betrag", "adres", "adresse")


def _translated(word: str) -> tuple[str, ...]:
    """``word`` as English label words: translated, compounds split ("rechnungsnr")."""
    if word in TRANSLATIONS:
        return (TRANSLATIONS[word],)
    if word in EXPANSIONS:
        return EXPANSIONS[word]
    dropped = _DROPPED.get(word)
    if dropped is not None:  # OCR dropped a letter of a label word: "Recnung Nr."
        return (dropped,)
    if len(word) <= 4 or not word.endswith(_TAILS):  # "bonnr" is a compound
        return (word,)
    return _compound(word)


# The label words of seven letters or more with one inner letter dropped, as OCR misreads
# them ("recnung" for "rechnung"); not the first or last letter, which would turn "commande",
# "importe" or "informe" into English words.
_DROPPED = {
    key[:i] + key[i + 1 :]: english
    for key, english in TRANSLATIONS.items()
    if len(key) >= 7 and key.isalpha()
    for i in range(1, len(key) - 1)
}
_DROPPED = {k: v for k, v in _DROPPED.items() if k not in TRANSLATIONS and k not in STOPWORDS}


@lru_cache(maxsize=4096)
def _compound(word: str) -> tuple[str, ...]:
    """A compound label split before its head; a number or date of anything ("Bonnummer",
    "Lieferdatum") splits even when its first part is not a label word we translate."""
    match = _COMPOUND.match(word)
    if not match:
        return (word,)
    head, tail = match["head"], match["tail"]
    known = TRANSLATIONS.get(head) or TRANSLATIONS.get(head + "s")
    if known is None and tail not in ("nummer", "nr", "datum"):
        return (word,)
    return (known or head, TRANSLATIONS.get(tail, "number" if tail == "nr" else tail))


def stem(word: str) -> str:
    """A crude stem: abbreviations expanded, inflections and a final "e" cut, at most five
    letters ("dated", "date" → "dat"; "sharing", "shares" → "shar")."""
    word = ABBREVIATIONS.get(word, word)
    if len(word) > 3:
        for suffix, shortest in (("ing", 6), ("ed", 5), ("es", 5), ("s", 4)):
            if word.endswith(suffix) and len(word) >= shortest and not word.endswith(("ss", "eed")):
                word = word[: -len(suffix)]
                break
        if word.endswith("e") and len(word) > 3:
            word = word[:-1]
    return word[:5]


def content_stems(text: str, *, expand: bool = True) -> list[str]:
    """Stems of the words of ``text`` that carry meaning (no stop words, no bare numbers);
    ``expand=False`` keeps label abbreviations ("no") as they are."""
    return list(_content_stems(text, expand))


@lru_cache(maxsize=8192)
def _content_stems(text: str, expand: bool) -> tuple[str, ...]:
    words: Iterator[str] = iter(tokens(text))
    if expand:
        words = (ABBREVIATIONS.get(w, w) for word in tokens(text) for w in _translated(word))
    return tuple(
        stem(w) if expand else _plain_stem(w)
        for w in words
        if w not in STOPWORDS and not w.isdigit()
    )


def _plain_stem(word: str) -> str:
    return word if word in ABBREVIATIONS else stem(word)


@dataclass(frozen=True)
class FieldTerms:
    """How a field is named: its words, its description's words and explicit aliases."""

    name: str
    name_words: tuple[str, ...]
    desc_words: tuple[str, ...]
    aliases: tuple[str, ...]

    @property
    def phrase(self) -> str:
        return " ".join(self.name_words)


def field_terms(name: str, node: Mapping[str, Any]) -> FieldTerms:
    """Words for the field ``name``: the name split, the description's content words, and
    aliases quoted in the description (``"Invoice No."``) or given as its ``title``."""
    description = str(node.get("description") or "")
    words = tuple(w for w in tokens(name) if w)
    desc = tuple(dict.fromkeys(content_stems(description)))
    aliases = [" ".join(words)]
    aliases += re.findall(r"[\"“]([^\"”]{2,60})[\"”]", description)
    aliases += _listed(description)
    if isinstance(node.get("title"), str):
        aliases.append(node["title"])
    return FieldTerms(name, words, desc, tuple(dict.fromkeys(a.lower() for a in aliases)))


def _listed(description: str) -> list[str]:
    """Labels a description lists in parentheses, unquoted ("The person the report is about
    (patient, preparer)."): each item of one to three words."""
    found = []
    for group in re.findall(r"\(([^()\"“”]{2,80})\)", description):
        items = [i.strip(" .") for i in re.split(r",|\bor\b|/", group)]
        if all(1 <= len(i.split()) <= 3 for i in items):
            found += [i for i in items if i]
    return found


@dataclass(frozen=True)
class Line:
    """A paragraph, heading or table row; ``parts`` are its physical lines."""

    page: int
    text: str
    order: int
    kind: str  # heading, text, row
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pair:
    """A label and the value beside it (``Label: value``, a two-cell row, label above value)."""

    page: int
    key: str
    value: str
    source: str
    order: int


@dataclass(frozen=True)
class Table:
    page: int
    rows: tuple[tuple[str, ...], ...]
    order: int


@dataclass
class DocView:
    """Everything the strategies search, in reading order."""

    lines: list[Line] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    furniture: frozenset[int] = frozenset()  # orders of lines repeated on many pages

    @classmethod
    def build(cls, doc: Mapping[str, Any], *, page: int | None = None) -> DocView:
        view = cls()
        for page_dict in doc.get("pages") or []:
            if not isinstance(page_dict, Mapping):
                continue  # a malformed page holds nothing to read
            number = int(page_dict.get("page_number") or len(view.pages) + 1)
            if page is not None and number != page:
                continue
            view.pages.append(number)
            view._add_page(number, page_dict)
        view._join_wrapped()
        view._find_furniture()
        view._pair_tables()
        view._pair_lines()
        return view

    def _join_wrapped(self) -> None:
        """Join text lines that continue on the next line (no final stop, lower-case next)."""
        joined: list[Line] = []
        moved: dict[int, int] = {}  # old line order -> new line order
        for line in self.lines:
            last = joined[-1] if joined else None
            if last is not None and _continues(last, line):
                text, parts = f"{last.text} {line.text}", last.parts + line.parts
                joined[-1] = Line(last.page, text, last.order, last.kind, parts)
            else:
                joined.append(Line(line.page, line.text, len(joined), line.kind, line.parts))
            moved[line.order] = joined[-1].order
        self.lines = joined
        self.tables = [Table(t.page, t.rows, moved.get(t.order, len(joined))) for t in self.tables]

    def _add_page(self, number: int, page: Mapping[str, Any]) -> None:
        items = page.get("items")
        if not isinstance(items, list) or not items:
            for text in str(page.get("text") or page.get("markdown") or "").split("\n\n"):
                self._add_text(number, text, "text")
            return
        for item in _flat_items(items):
            self._add_item(number, item)

    def _add_item(self, number: int, item: Mapping[str, Any]) -> None:
        kind = str(item.get("type") or "text")
        if kind == "table" and isinstance(item.get("rows"), list):
            self._add_table(number, item["rows"])
        elif isinstance(item.get("value"), str):
            self._add_text(number, item["value"], "heading" if kind == "heading" else "text")

    def _add_text(self, number: int, text: str, kind: str) -> None:
        parts = tuple(clean for part in text.split("\n") if (clean := " ".join(part.split())))
        if parts:
            self.lines.append(Line(number, " ".join(parts), len(self.lines), kind, parts))

    def _add_table(self, number: int, rows: Sequence[Sequence[Any]]) -> None:
        clean = tuple(
            tuple(" ".join(str(c or "").split()) for c in row)
            for row in rows
            if isinstance(row, Sequence) and not isinstance(row, str) and any(row)
        )
        if not clean:
            return
        self.tables.append(Table(number, clean, len(self.lines)))
        for row in clean:
            cells = [c for c in row if c]
            if cells:
                self.lines.append(Line(number, " | ".join(cells), len(self.lines), "row"))

    def _pair_tables(self) -> None:
        """Pairs side by side in a row, and column by column under a row of headings. A row
        of headings over a row with a number ("Patient | Geb.-Datum" over "Marie Hoffmann |
        12.12.1976") labels the row under it, not its own neighbours, and a name under a
        heading is its value even though it looks like a heading."""
        for table in self.tables:
            labels: set[int] = set()
            listed = key_value_rows(table.rows)
            for index, (above, below) in enumerate(itertools.pairwise(table.rows)):
                if len(above) != len(below) or not all(not c or _is_heading_cell(c) for c in above):
                    continue
                if index in listed and index + 1 in listed:
                    continue
                values = any(any(ch.isdigit() for ch in c) for c in below)
                if values:
                    labels.add(index)
                for key, value in zip(above, below, strict=True):
                    if key and value and (values or not _is_heading_cell(value)):
                        source = f"{key} | {value}"
                        self.pairs.append(Pair(table.page, key, value, source, table.order))
            for index, row in enumerate(table.rows):
                if index not in labels:
                    self.pairs.extend(_row_pairs(table, row, table.order + index))

    def _pair_lines(self) -> None:
        prose = [line for line in self.lines if line.kind != "row"]
        physical = [(line, part) for line in prose for part in line.parts]
        for index, (line, part) in enumerate(physical):
            found = _split_labels(part)
            for key, value in found:
                source = part if len(found) == 1 else f"{key}: {value}"
                self.pairs.append(Pair(line.page, key, value, source, line.order))
            if not found and part.endswith(":") and index + 1 < len(physical):
                below = physical[index + 1][1]
                if below.endswith(":"):
                    continue  # a run of labels over their run of values: see layout.py
                source = f"{part} {below}"
                self.pairs.append(Pair(line.page, part.rstrip(" :"), below, source, line.order))
        self.pairs.sort(key=lambda p: p.order)

    def _find_furniture(self) -> None:
        """Running heads and feet: lines of three words or more repeated three times or more."""
        counts = Counter(line.text for line in self.lines if len(line.text.split()) >= 3)
        self.furniture = frozenset(
            line.order for line in self.lines if counts.get(line.text, 0) >= FURNITURE_REPEATS
        )

    def body(self) -> Iterator[Line]:
        """The lines that are not running heads or feet."""
        return (line for line in self.lines if line.order not in self.furniture)

    def sentences(self) -> Iterator[tuple[int, str, int]]:
        """(page, sentence, line order) over the body text."""
        for line in self.body():
            for sentence in _SENTENCE_END.split(line.text):
                if sentence.strip():
                    yield line.page, sentence, line.order


_EMBEDDED_LABEL = re.compile(r"\s(?P<key>[A-Z][A-Za-z#/()&'.-]*(?: [A-Za-z#/()&'.-]+){0,4})\s?:\s+")


def _split_labels(text: str) -> list[tuple[str, str]]:
    """``Label: value`` pairs of a line, several when labels follow each other on one line
    ("Date: 2024-02-01 Total: 10.00")."""
    match = _KEY_VALUE.match(text)
    if not match or not _looks_like_label(match["key"]):
        return []
    pairs = []
    key, rest = match["key"], match["value"]
    while (embedded := _EMBEDDED_LABEL.search(rest)) is not None:
        pairs.append((key, rest[: embedded.start()].strip()))
        key, rest = embedded["key"], rest[embedded.end() :]
    pairs.append((key, rest.strip()))
    return [(k, v) for k, v in pairs if v]


def key_value_rows(rows: Sequence[Sequence[str]]) -> set[int]:
    """The rows of a two-column list of labels and their values ("Employee | Daniel Hughes",
    "Employee no. | 00412", "Pay date | 31/10/2023"): runs of three or more two-cell rows,
    each opening with a label, at least two of whose values have digits. Their rows pair
    side by side, never column by column as a heading row over a row of values."""
    found: set[int] = set()
    run: list[int] = []
    for index, row in enumerate([*rows, ()]):
        cells = [c for c in row if c]
        if len(cells) == 2 and _is_heading_cell(cells[0]) and not cells[1].endswith(":"):
            run.append(index)
            continue
        values = [rows[i] for i in run]
        digits = sum(any(ch.isdigit() for ch in " ".join(r[1:])) for r in values)
        if len(run) >= 3 and digits >= 2:
            found.update(run)
        run = []
    return found


def _row_pairs(table: Table, row: Sequence[str], order: int) -> list[Pair]:
    """Pairs in one table row: ``key | value`` cells side by side, ``Key: value`` in a cell."""
    pairs = []
    for key, value in itertools.pairwise(row):
        if key and value and _looks_like_label(key):
            pairs.append(Pair(table.page, key.rstrip(" :"), value, f"{key} | {value}", order))
    for cell in row:
        for key, value in _split_labels(cell):
            pairs.append(Pair(table.page, key, value, cell, order))
    return pairs


def _is_heading_cell(text: str) -> bool:
    """A column heading: a short label without digits."""
    return _looks_like_label(text) and not any(c.isdigit() for c in text)


def _continues(last: Line, line: Line) -> bool:
    return (
        last.kind == line.kind == "text"
        and last.page == line.page
        and not last.text.endswith((".", ":", ";", "!", "?"))
        and line.text[:1].islower()
    )


def _flat_items(items: Sequence[Any]) -> Iterator[Mapping[str, Any]]:
    for item in items:
        if not isinstance(item, Mapping):
            continue
        if isinstance(item.get("items"), list) and item.get("type") != "table":
            yield from _flat_items(item["items"])
        else:
            yield item


def _looks_like_label(text: str) -> bool:
    words = tokens(text)
    return 0 < len(words) <= 8 and sum(c.isalpha() for c in text) >= 2
