"""Recognisers for the fields everyday documents have: who issued them, their address, their
number, date, total and currency. They read the printed lines (``layout.py``) rather than the
parse items, so a receipt's lines stay lines, and they are chosen by the field's meaning, not by
a document type: a purchase order's "seller", a payslip's "company" and an invoice's "vendor"
all go to :func:`issuer`.

Each recogniser returns candidates best first; the engine takes the first.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reams.processors.extract.dates import find_dates
from reams.processors.extract.labels import label_score, not_a_number
from reams.processors.extract.layout import PLine, is_label, line_pairs, physical_lines
from reams.processors.extract.model import Candidate
from reams.processors.extract.numbers import FoundAmount, currency_codes, find_amounts
from reams.processors.extract.text import FieldTerms, Pair, content_stems, tokens

__all__ = [
    "ISSUER_WORDS",
    "Layout",
    "address",
    "customer",
    "day_first",
    "document_date",
    "identifier",
    "issuer",
    "total",
    "wants_customer",
    "wants_issuer",
]

# Field words (stems) that ask for the party that issued the document.
ISSUER_WORDS = frozenset(
    content_stems(
        "vendor seller supplier issuer merchant company store shop provider retailer business "
        "organisation organization biller employer hospital restaurant hotel"
    )
)
CUSTOMER_WORDS = frozenset(content_stems("customer client buyer purchaser recipient bill ship"))
DOC_WORDS = frozenset(
    content_stems(
        "invoice receipt order bill purchase transaction booking report statement quote "
        "estimate delivery credit note ticket payslip document issue service"
    )
)
LEGAL_FORM = (  # the long forms in any case ("SDN BHD", "Pvt Ltd"), the short ones as written
    r"(?:(?i:Pvt\.?\s+Ltd|Private\s+Limited|Pte\.?\s+Ltd|Pty\.?\s+Ltd|Sdn\.?\s+Bhd|Bhd|"
    r"Co\.,?\s+Ltd|Ltd|Limited|GmbH\s*&\s*Co\.?\s*KG(?:aA)?|GmbH|Incorporated|Inc|Corporation|Corp|LLC|L\.L\.C\.|PLC|LLP|"
    r"SARL|S\.A\.R\.L\.|S\.à\s?r\.\s?l\.|S\.A\.S\.?|S\.p\.A\.?|sp\.\s?z\s?o\.\s?o\.?|"
    r"UG\s*\(haftungsbeschränkt\)|s\.r\.o\.|Ltda\.?)|"
    r"AG|S\.\s?A\.?|SA|SASU|SAS|EURL|SNC|S\.?R\.?L\.?|S\.?L\.?U\.?|S\.L\.?|B\.\s?V\.?|BV|N\.\s?V\.?|KGaA|KG|"
    r"GbR|OHG|mbH|e\.\s?K\.|UG|SE|SpA|Oyj|Oy|ASA|AB|A/S|ApS|Lda|Kft|VOF)\.?"
)
_PARTICLE = r"(?:de|van|der|den|la|le|du|von|di|da|del|y|and|of|und|et)"
_COMPANY = re.compile(
    r"(?P<name>(?:(?:[A-Z0-9&(][\w&'’.()\-]*|\.[A-Z]\w*|" + _PARTICLE + r"),?\s+){0,6}?"
    r"[A-Z0-9&(.][\w&'’.()\-]*?),?\s+" + LEGAL_FORM + r"(?!\w)"
)
_LEGAL_END = re.compile(r"(?:,?\s+|^)" + LEGAL_FORM + r"\s*[,.:;]*$")
_CAPITAL = re.compile(r"\b(?:au capital|capital social|with (?:a )?capital)\b", re.IGNORECASE)
# Labels of the party a document is addressed to (its block is not the issuer's).
_CUSTOMER_BLOCK = re.compile(
    r"\b(?:bill(?:ed)?\s+to|ship(?:ped)?\s+to|sold\s+to|deliver(?:y|ed)?\s+to|attn|"
    r"customer|client|buyer|invoice\s+to|facturer\s+à|factuuradres|afleveradres|"
    r"rechnungsadresse|lieferadresse|nabywca|guest|patient|insured|t\.a\.v\.?|"
    r"shipping\s+address|billing\s+address|adresse\s+de\s+livraison|herrn?|frau|spett\.?le|monsieur|madame|"
    r"\w*empfänger|leveren\s+aan|livrer\s+à|livré\s+à|entregar\s+a|lieferung\s+an|destinatario|destinataire|kunde|kunden|klant|cliente|"
    r"factur[ée]\s+à|factuur\s+aan|rechnung\s+an|facturar\s+a|fatturare\s+a|auftraggeber|"
    r"intestatario|attention|ontvanger|besteller|committente|cessionario|adquirente)\b"
    r"|^\s*(?:to|an|aan|à|para)\s*(?::|$)",  # "To:" opening a line, or alone in its cell
    re.IGNORECASE,
)
_ISSUER_LABEL = re.compile(
    r"(?:^|(?<=\s))(?:sold\s+by|seller|vendor|supplier|issued\s+by|service\s+provider|provider|"
    r"verkocht\s+door|vendu\s+par|vendido\s+por|venduto\s+da|verkauft\s+(?:von|durch)|"
    r"merchant|from|verkoper|verkäufer|vendeur|vendedor|sprzedawca|fournisseur|lieferant|"
    r"leverancier|proveedor|fornitore|emisor|émetteur|company|firma|société|empresa|"
    r"payable\s+to|pay\s+to|titulaire\s+du\s+compte|account\s+holder|beneficiary|"
    r"kontoinhaber|begunstigde|in\s+favou?r\s+of|von|van|afzender|absender|prestataire|"
    r"(?:rechnungs)?steller|aussteller|emittente|cedente|prestatore|payee|"
    r"remit(?:\s+payment)?\s+to|remittance\s+address)\b",
    re.IGNORECASE,
)
# Labels that can only name the party that sold and issued the document (not a "From" or a
# payee, which may be an agent): under them the name is taken before a letterhead, which on a
# marketplace's invoice is the platform's.
_SELLER_LABEL = re.compile(
    r"(?:sold\s+by|seller|vendor|supplier|issued\s+by|verkocht\s+door|vendu\s+par|"
    r"vendido\s+por|venduto\s+da|verkauft\s+(?:von|durch)|verkoper|verkäufer|vendeur|"
    r"vendedor|sprzedawca|fournisseur|lieferant|leverancier|proveedor|fornitore|emisor|"
    r"émetteur|aussteller|rechnungssteller)",
    re.IGNORECASE,
)
_SOLD_BY = re.compile(r"\b(?:sold|issued|verkauft|verkocht|vendu|vendido|venduto)\b", re.IGNORECASE)
# The legal entity behind a brand, named in small print: "Acme Energy is a trading name of
# Acme Supply Ltd", "ist eine Marke der ...", "est exploité par ...", "Operator: ...".
_BEHIND_BRAND = re.compile(
    r"(?:\b(?:is\s+a\s+trading\s+(?:name|style|division)\s+of|is\s+a\s+brand\s+of|"
    r"ist\s+(?:eine\s+marke|ein\s+angebot|ein\s+produkt)\s+der|"
    r"est\s+(?:une\s+marque|un\s+nom\s+commercial)\s+de|"
    r"is\s+een\s+(?:handelsnaam|merk)\s+van|es\s+una\s+marca(?:\s+comercial)?\s+de|"
    r"(?:is|are)\s+operated\s+by|wird\s+betrieben\s+von(?:\s+der)?|est\s+exploité\s+par|"
    r"wordt\s+geëxploiteerd\s+door|está\s+gestionad[oa]\s+por|es\s+explotad[oa]\s+por)|"
    r"^(?:operator|betreiber|exploitant|explotador)\s*:)\s*(?P<rest>\S.*)",
    re.IGNORECASE,
)
# Lines that name who ships or carries the goods, not who sold them ("Fulfilled by Shopora").
_CARRIER = re.compile(
    r"^(?:fulfil+ed|dispatched|shipped|delivered|sent)\s+by\b|"
    r"^(?:versendet|versand|geliefert)\s+(?:von|durch)\b|^(?:verzonden|verzending|geleverd)\s+door\b|"
    r"^(?:expédié|livr[ée]|livraison\s+assurée)\s+par\b|^(?:enviado|gestionado|entregado)\s+por\b",
    re.IGNORECASE,
)
_PAYEE_TEXT = re.compile(
    r"\b(?:in\s+favou?r\s+of|payable\s+to|cheques?\s+to|account\s+name)\b", re.IGNORECASE
)
# The payee named in running text ("Please make cheques payable to Oakridge Plumbing.").
_PAYEE_NAME = re.compile(
    r"\b(?:in\s+favou?r\s+of|payable\s+to|cheques?\s+to|account\s+name)\s*:?\s*(?P<rest>\S.*)",
    re.IGNORECASE,
)
# Separators of a footer's or a letterhead's parts ("Acme Ltd · Registered in England ...").
_PART_SEP = re.compile(r"\s*[·•|]\s*|\t|\s{3,}")
_DOC_TYPE = re.compile(
    r"^(?:(?:your|ihre|votre|uw|jouw|su|tu)\s+(?:energy\s+|mobile\s+)?(?:bill|invoice|"
    r"rechnung|jahresabrechnung|facture|factuur|jaarnota|factura)\b|"
    r"cash\s+(?:bill|sales?|receipt|memo)\b|official\s+receipt\b|"
    r"(?:simplified\s+|tax\s+|proforma\s+|pro\s+forma\s+|commercial\s+|retail\s+|"
    r"payment\s+|sales\s+|order\s+|kopie\s+|copy\s+)*(?:invoice|receipt|factuur|facture|"
    r"rechnung|factura|fattura|faktura|quittung|reçu|recibo|bill|order|booking\s+order|"
    r"purchase\s+order|estimate|quote|quotation|statement|credit\s+note|delivery\s+note|"
    r"header|footer|page|original|duplicate|copy)\b)",
    re.IGNORECASE,
)
# A document title printed at the right of the brand on the same line, read into its cell
# ("Fibrix Water Your bill", "Ondaro Energie RECHNUNG").
_TITLE_AFTER = re.compile(
    r"\s+(?:(?:your|ihre|votre|uw|su)\s+(?:energy\s+|mobile\s+)?)?(?:tax\s+)?(?:invoice|bill|"
    r"statement|receipt|rechnung|jahresabrechnung|facture|factuur|jaarnota|factura|fattura|"
    r"faktura)\s*$",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"@|https?:|www\.|\.(?:com|net|org|de|fr|nl|co|in|io)\b|\b(?:tel|phone|fax|e-?mail|"
    r"telefoon|téléphone|telefon)\b|\(\d{2,4}\)\s*\d|\+\d",
    re.IGNORECASE,
)
# (OCR reads "Straße" as "StraBe" or "Strae")
_STREET = re.compile(
    r"\b(?:st|street|str|straße|strasse|ave|avenue|blvd|boulevard|road|rd|lane|ln|drive|dr|"
    r"way|court|ct|place|pl|square|sq|highway|hwy|suite|ste|floor|building|bldg|rue|"
    r"chemin|allée|place|avenida|avda|calle|carrera|paseo|plaza|camino|ronda|travesía|"
    r"via|viale|piazza|straat|laan|weg|plein|"
    r"gracht|kade|dijk|steeg|gasse|platz|allee|ring|jalan|lorong|taman|box|p\.?o\.?)\b"
    r"|\w(?:stra(?:ß|ss|B)?e|str\.|straat|weg|laan|gasse|platz|plein|allee|damm)(?!\w)"
    r"|(?<!\w)c/\s?(?!o\b)\w",  # Spanish "C/ Mayor" (calle), not "c/o"
    re.IGNORECASE,
)
_POSTCODE = re.compile(
    r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"  # US: CA 94103
    r"|\b\d{4}\s?[A-Z]{2}\b"  # NL: 3012 CN
    r"|\b(?:[A-Z]-)?\d{5}\s+[A-ZÀ-Ý][\w'’-]+"  # DE/FR/ES/IT/MY: 69100 Villeurbanne
    r"|\b\d{2}-\d{3}\s+[A-ZŁŚŻ]"  # PL: 09-411 Płock
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b"  # UK: SW1A 1AA
    r"|\b\d{3}\s?\d{3}\b"  # IN: 560067
    # BE/CH/AT/DK: "1000 Bruxelles", ", 8001 Zürich" (opening a line or a part, ending one)
    r"|(?:^|(?<=,\s)|(?<=[·|]\s))\s*[1-9]\d{3}\s+(?![^,]*(?i:" + _STREET.pattern + r"))"
    r"[A-ZÀ-Ý][a-zà-ÿ'’]+(?:[\s-][A-ZÀ-Ý]?[a-zà-ÿ'’]+)?\s*(?:,|$)"
)
_COUNTRY = re.compile(
    r"\b(?:united states|usa|u\.s\.a\.|united kingdom|uk|england|france|germany|deutschland|"
    r"nederland|netherlands|belgium|belgique|españa|spain|italia|italy|polska|poland|"
    r"malaysia|singapore|india|canada|australia|ireland|schweiz|suisse|switzerland|"
    r"österreich|austria|hong kong)\b",
    re.IGNORECASE,
)
_HEAD = 12  # lines at the top of the first page where a letterhead is


@dataclass
class Layout:
    """The printed lines of a document (or page) and the pairs their layout shows."""

    lines: list[PLine]
    pairs: list[Pair] = field(default_factory=list)
    language: str = ""
    headings: frozenset[str] = frozenset()  # large type on the first page, lower-cased

    @classmethod
    def build(cls, doc: object, *, page: int | None = None, language: str = "") -> Layout:
        if not isinstance(doc, Mapping):
            return cls([], [], language)
        lines = physical_lines(doc, page=page)
        return cls(lines, line_pairs(lines), language, _first_headings(doc, lines))

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


# ---------------------------------------------------------------------------- day order

_US_PLACE = re.compile(r",\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
_DAY_FIRST_PLACES = re.compile(
    r"\b(?:Sdn\.?\s+Bhd|Pvt\.?\s+Ltd|Pte\.?\s+Ltd|Pty\.?\s+Ltd|Malaysia|Singapore|India|"
    r"United Kingdom|Australia|Ireland|New Zealand|South Africa|GST|SST|"
    r"(?i:jalan|taman|lorong|persiaran|kuala\s+lumpur|johor|selangor|penang)|"
    r"[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2})\b"  # street words of Malaysia, UK postcodes
)
# Function and label words of the continental languages (all write numeric dates day first),
# three different ones making a document French, German, Dutch, Spanish or Italian.
_CONTINENTAL = re.compile(
    r"\b(?:du|des|les|et|pour|avec|und|der|die|das|für|mit|het|een|voor|met|bij|los|las|"
    r"con|para|por|il|della|ai|nº|n°|datum|fecha|numéro|nummer|número|facture|rechnung|"
    r"deze|uw|naar|esta|su|votre|vous|nous|ihre|bitte|vom|zum|zur|aan|totaal|bedrag|betrag|"
    r"gesamt|summe|montant|importe|cantidad|aantal|menge|quantité|btw|mwst|tva|iva|"
    r"factuur|factura|fattura)\b"
)
_DAY_FIRST_CODES = frozenset(
    [
        "EUR",
        "GBP",
        "INR",
        "MYR",
        "SGD",
        "AUD",
        "NZD",
        "ZAR",
        "PLN",
        "CHF",
        "SEK",
        "NOK",
        "DKK",
        "CZK",
        "HUF",
        "RUB",
        "BRL",
        "HKD",
        "IDR",
        "THB",
    ]
)
_UNAMBIGUOUS_DAY_FIRST = re.compile(
    r"(?=[123])(?<![\d/.-])(?:1[3-9]|2\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-]\d{2,4}\b"
)
_UNAMBIGUOUS_MONTH_FIRST = re.compile(
    r"(?=\d)(?<![\d/.-])(?:0?[1-9]|1[0-2])[/.-](?:1[3-9]|2\d|3[01])[/.-]\d{2,4}\b"
)


def day_first(text: str, language: str) -> bool:
    """Whether the document writes numeric dates day first (06/03/2018 = 6 March).

    A date that can only be read one way decides; otherwise the document's language (any
    but English), its currency and the places and company forms it names vote."""
    first = len(_UNAMBIGUOUS_DAY_FIRST.findall(text))
    second = len(_UNAMBIGUOUS_MONTH_FIRST.findall(text))
    if first != second:
        return first > second
    if language and not language.startswith("en"):
        return True
    codes = currency_codes(text)
    votes = 0
    votes += 2 if codes and codes[0] in _DAY_FIRST_CODES else 0
    votes -= 2 if codes and codes[0] == "USD" else 0
    votes += len(_DAY_FIRST_PLACES.findall(text[:20000]))
    votes += 2 if len(set(_CONTINENTAL.findall(text[:20000].lower()))) >= 3 else 0
    votes -= 2 * len(_US_PLACE.findall(text[:20000]))
    votes -= 2 if re.search(r"\b(?:Inc|LLC)\b\.?", text) else 0
    return votes > 0


# ---------------------------------------------------------------------------- issuer


def _clean_name(text: str) -> str:
    text = re.sub(r"\s+", " ", _GLUED_FORM.sub(" ", text)).strip(" ,:;|-–*")
    return re.sub(r"^(?:the|by|of|to)\s+", "", text, flags=re.IGNORECASE)


def _companies(text: str) -> list[str]:
    """Company names with a legal form in ``text`` ("Acme Trading B.V.", "Nordlicht S.A.")."""
    found = []
    for match in _COMPANY.finditer(_GLUED_FORM.sub(" ", text)):
        whole = _clean_name(match.group(0))
        words = whole.split()
        # the name starts at the first capitalised word after any lower-case lead-in
        while words and not (words[0][:1].isupper() or words[0][:1].isdigit()):
            words.pop(0)
        name = _past_address(" ".join(words))
        if _CONTACT.search(name) or _PHONE.search(name):
            continue
        if len(name) >= 4 and not re.fullmatch(LEGAL_FORM, name):
            found.append(name)
    return found


# A legal form OCR glued to the name by a dot read for a space ("Cloud Services.LLC").
_GLUED_FORM = re.compile(
    r"(?<=[a-z])\.(?=(?:LLC|Ltd|Inc|GmbH|Limited|Corp|PLC|LLP|B\.V\.|S\.A\.|AG|SAS|SARL)(?!\w))"
)


def _past_address(name: str) -> str:
    """A company name without the address printed before it on the same line ("1 High St,
    Oxford OX1 1AA Kestrel Analytics Ltd"): a name holds no postcode."""
    cut = max((m.end() for m in _POSTCODE.finditer(name)), default=0)
    for street in _STREET.finditer(name):  # "Hafenstraße 3 Stadtwerke Kiel GmbH"
        number = re.match(r"\w*\.?\s*\d+[a-z]?\b", name[street.end() :])
        if number:
            cut = max(cut, street.end() + number.end())
    rest = name[cut:].strip(" ,")
    head, comma, tail = rest.rpartition(",")
    if comma and _address_like(head):
        rest = tail.strip()
    return rest if re.search(r"[A-Za-z]{2}", re.sub(_LEGAL_END, "", rest)) else name


_LABEL_STEMS = frozenset(
    content_stems(
        "date time total number page amount description item quantity price customer address "
        "phone email summary detail details note notes terms payment balance due tax subtotal "
        "signature name reference code order invoice receipt header footer"
    )
)
_ROLE = re.compile(
    r"\b(?:manager|cashier|server|served\s+by|operator|clerk|host|table|guest|staff|"
    r"salesperson|sales\s+person|welcome|thank|member)\b",
    re.IGNORECASE,
)


def _name_like(text: str) -> bool:
    """A line that can be a name: a few capitalised words, no contact, role or address."""
    words = text.split()
    if not 1 <= len(words) <= 7 or _CONTACT.search(text) or _DOC_TYPE.match(text):
        return False
    if _ROLE.search(text) or _address_line(text) or text.rstrip().endswith((".", "!")):
        return bool(_LEGAL_END.search(text)) and not _ROLE.search(text)
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3 or sum(c.isdigit() for c in text) > 2:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit() or w == "&")
    if text.rstrip().endswith(":") or set(content_stems(text)) <= _LABEL_STEMS:
        return False
    return capitalised >= max(1, len(words) - 2) or text.isupper()


def _address_line(text: str) -> bool:
    """An address rather than a name: a street word in a line without a number counts only at
    its start or end ("Rue de la Paix", "Mill Lane"), so "Harbor Lane Bakery" stays a name."""
    if not _address_like(text):
        return False
    if re.search(r"\d", text) or _POSTCODE.search(text) or _COUNTRY.fullmatch(text.strip()):
        return True
    words = text.split()  # "Dr. Anna Weber", "St. Mary's Clinic": titles, not streets
    first = len(words[0].strip(".,")) > 2 and _STREET.search(words[0])
    return bool(first or _STREET.search(words[-1]))


@lru_cache(maxsize=4096)
def _customer_label(text: str) -> bool:
    return _CUSTOMER_BLOCK.search(text) is not None


def _customer_cells(
    lines: Sequence[PLine], position: int, addressee: Callable[[str], bool] | None = None
) -> list[bool]:
    """For each cell of the line, whether it is in the addressee's block: a line of one cell
    as :func:`_in_customer_block`; in a line of several, a cell at or right of a customer
    label ("Bill to: | Acme"), or under one in its column (or under a label alone on its line)
    within three lines, so the issuer's block beside the addressee's stays the issuer's."""
    line = lines[position]
    if len(line.cells) == 1:
        return [_in_customer_block(lines, position, addressee)]

    def label(text: str) -> bool:
        return _customer_label(text) or (addressee is not None and addressee(text))

    flags: list[bool] = list(itertools.accumulate((label(c) for c in line.cells), max))
    for back in range(1, 4):
        above = lines[position - back] if position - back >= 0 else None
        if above is None or above.page != line.page:
            break
        if len(above.cells) == 1 and label(above.cells[0]):
            return [True] * len(line.cells)
        if len(above.cells) == len(line.cells):
            flags = [f or label(a) for f, a in zip(flags, above.cells, strict=True)]
    return flags


def _in_customer_block(
    lines: Sequence[PLine], position: int, addressee: Callable[[str], bool] | None = None
) -> bool:
    """Whether the line is in the addressee's block: under (or on) a customer label, or a
    label ``addressee`` accepts (a purchase order's "Supplier")."""
    line = lines[position]
    if _customer_label(line.text) or (addressee is not None and addressee(line.cells[0])):
        return True
    for back in range(1, 4):
        if position - back < 0:
            break
        above = lines[position - back]
        if above.page != line.page:
            break
        label = _customer_label(above.cells[0]) or (
            addressee is not None and addressee(above.cells[0])
        )
        if label and len(above.cells) in (1, len(line.cells)):
            return True
    return False


class _Names:
    """Issuer names offered with a score; a name's repeats and web domain add to it."""

    def __init__(self, layout: Layout) -> None:
        self.lowered = layout.text().lower()
        self.domains = " ".join(re.findall(r"(?:@|www\.|https?://)([\w.-]+)", self.lowered))
        self.squashed_domains = re.sub(r"[^\w ]+|_", "", self.domains)
        # the words of e-mail addresses' local parts and domains ("eva.vries@", "@devries.nl")
        self.mail_words = frozenset(
            word
            for local, domain in re.findall(r"([\w.+-]+)\s?@\s?([\w.-]+)", self.lowered)
            for word in re.split(r"[._+-]+", f"{local}.{domain}")
        )
        self.best: dict[str, tuple[float, PLine, str, str]] = {}
        self.headings = layout.headings
        self.ranks: dict[int, int] = {}  # line index -> rank from the top of the first page
        self.body = 0.0  # the first page's body type size, when lines have boxes
        self.first_block: int | None = None  # the first name over an address: the letterhead
        self.ordering = False  # a purchase order (its seller labels name the addressee)
        self.addressed_seller = False  # ... and the issuer (its buyer) is wanted

    def find_letterhead(self, lines: Sequence[PLine]) -> None:
        """Where the first name printed over its address is, at the top of the first page."""
        for position, line in enumerate(lines[:_HEAD]):
            if line.page != lines[0].page:
                break
            if _in_customer_block(lines, position):
                continue
            if _name_like(_after_title(line)) and _block(lines, position + 1):
                self.first_block = position
                return

    def at_till(self, lines: Sequence[PLine], line: PLine, name: str, label: str) -> bool:
        """Whether a seller label's name is the person who served ("Verkäufer: Anna",
        "Vendeur : Paul"): a bare seller noun (not "Sold by") before one or two words with no
        legal form, below a letterhead that names the shop over its address."""
        if _SOLD_BY.search(label) or _LEGAL_END.search(name) or len(name.split()) > 2:
            return False
        position = next((i for i, x in enumerate(lines) if x is line), None)
        return self.first_block is not None and position is not None and self.first_block < position

    def place(self, lines: Sequence[PLine]) -> None:
        """Rank the first page's boxed lines from the top down and find its body type size,
        so a letterhead is found where it is printed, not where the reading order puts it."""
        boxed = [x for x in lines if x.page == lines[0].page and x.box is not None]
        if len(boxed) < 3:
            return
        by_top = sorted(boxed, key=lambda x: (x.box.y if x.box else 0.0, x.index))
        ranks = {x.index: rank for rank, x in enumerate(by_top)}
        last = -1
        for line in lines:  # a line without a box (a table row) ranks after the one before it
            if line.page != lines[0].page:
                break
            last = ranks.get(line.index, last + 1)
            self.ranks[line.index] = last
        self.body = statistics.median(x.box.size for x in boxed if x.box)

    def rank(self, line: PLine, position: int) -> int:
        """How far down the first page the line is: its rank by box, else its position."""
        return self.ranks.get(line.index, position)

    def large(self, line: PLine) -> float:
        """How much larger than the body text the line is printed (0 when not, or unknown)."""
        if not self.body or line.box is None:
            return 0.0
        return max(0.0, min(1.0, line.box.size / self.body - 1.0))

    def offer(self, name: str, score: float, line: PLine, why: str) -> None:
        name = _clean_name(name)
        if len(name) < 2 or not re.search(r"[A-Za-z]", name.split()[0]):
            return
        base = re.sub(_LEGAL_END, "", name).strip(" ,") or name
        score += 0.6 * min(3, self.lowered.count(base.lower()) - 1)
        first = re.sub(r"[\W_]+", "", base.split()[0].lower())
        words = {w for w in re.findall(r"\w+", base.lower()) if len(w) >= 4}
        if (len(first) >= 3 and first in self.domains) or words & self.mail_words:
            score += 1.0
        key = base.lower()
        old = self.best.get(key)
        if old is None:
            self.best[key] = (score, line, name, why)
        elif score > old[0]:
            self.best[key] = (score, line, _longer(name, old[2]), why)
        else:
            self.best[key] = (old[0], old[1], _longer(name, old[2]), old[3])

    def ranked(self) -> list[Candidate]:
        ranked = sorted(self.best.values(), key=lambda t: (-t[0], t[1].index))
        return [
            Candidate(
                name, line.page, line.text, min(0.9, 0.3 + score / 6), f"{why}, page {line.page}"
            )
            for score, line, name, why in ranked[:3]
        ]


def issuer(layout: Layout, terms: FieldTerms | None = None) -> list[Candidate]:
    """Who issued the document: a name after a seller/payee label, a company name with a legal
    form, or the letterhead (first lines, upper-case or large type), weighed by how often the
    name recurs (footers, e-mail and web domains) and never from the addressee's block.

    A purchase order is issued by the buyer: a field asking for the seller or supplier there
    takes the name under the supplier's label (or *To*, *Aan*, *An*) before the letterhead."""
    lines = layout.lines
    if not lines:
        return []
    names = _Names(layout)
    names.place(lines)
    names.find_letterhead(lines)
    wants_seller = terms is not None and bool(set(content_stems(terms.phrase)) & SELLER_WORDS)
    # a purchase order's seller label names the supplier it is sent to, not its issuer
    names.ordering = any(_PURCHASE_ORDER.fullmatch(x.text) for x in lines[:_HEAD])
    purchase = wants_seller and names.ordering
    # the issuer of a purchase order is the buyer: its supplier label names the addressee
    names.addressed_seller = names.ordering and not wants_seller
    weight = 5.0 if purchase else 3.0
    for pair in layout.pairs:
        if names.addressed_seller and _seller_label(pair.key):
            continue
        if _seller_key(pair.key, purchase) and _name_like(_first_part(pair.value)):
            line = next((x for x in lines if x.index == pair.order), lines[0])
            name = _first_part(pair.value)
            seller = _seller_label(pair.key) and not names.ordering
            if seller and names.at_till(lines, line, name, pair.key):
                names.offer(name, 1.0, line, f'a person after the label "{pair.key}"')
                continue
            strong = _seller_weight(name, pair.key) if seller else 0
            names.offer(name, max(strong, weight), line, f'after the label "{pair.key}"')
    for line, key, name in _column_names(lines, purchase):
        if names.addressed_seller and _seller_label(key):
            continue
        strong = _seller_weight(name, key) if _seller_label(key) and not names.ordering else 0
        names.offer(name, max(strong, weight), line, f'under the label "{key}"')
    for position in range(len(lines)):
        _line_names(lines, position, names)
    return names.ranked()


SELLER_WORDS = frozenset(content_stems("vendor seller supplier provider"))
_PURCHASE_ORDER = re.compile(
    r"\s*(?:purchase\s+order|bestellung|bestellschein|inkooporder|bestelbon|bon\s+de\s+commande|"
    r"orden\s+de\s+compra|pedido\s+de\s+compra|ordine\s+d'acquisto|zamówienie)\s*",
    re.IGNORECASE,
)
_TO_LABEL = re.compile(r"\s*(?:to|aan|an|à|a|para|per|do)\s*:?\s*", re.IGNORECASE)


def _seller_key(key: str, purchase: bool) -> bool:
    return _issuer_key(key) or (purchase and bool(_TO_LABEL.fullmatch(key)))


def _column_names(lines: Sequence[PLine], purchase: bool) -> list[tuple[PLine, str, str]]:
    """Names under a seller label in a row of labels, column by column ("Lieferant |
    Lieferadresse" over "Wagner Sanitär GmbH | Bergmann Bürobedarf KG")."""
    found = []
    for line, below in itertools.pairwise(lines):
        if below.page != line.page or len(line.cells) < 2 or len(below.cells) != len(line.cells):
            continue
        for key, value in zip(line.cells, below.cells, strict=True):
            if _seller_key(key, purchase) and _name_like(value):
                found.append((below, key, value))
    return found


def _seller_weight(name: str, label: str) -> float:
    """A seller label's name outweighs a letterhead (a marketplace's is the platform's): a
    company's, or any after "Sold by"; a person's after a bare "Verkäufer", "Vendeur" or
    "Seller" is more likely the one at a shop's till, and weighs as any issuer label's."""
    if _LEGAL_END.search(name):
        return 5.0
    return 4.5 if _SOLD_BY.search(label) else 3.0


def _seller_label(key: str) -> bool:
    """A label that is only a seller's ("Sold by:", "Verkäufer", "Vendu par")."""
    return _SELLER_LABEL.fullmatch(key.strip(" :*")) is not None


def _issuer_key(key: str) -> bool:
    """A label that names the issuer or the payee, alone or at the end ("... Titulaire du
    compte")."""
    key = key.strip(" :*")
    return any(m.end() == len(key) for m in _ISSUER_LABEL.finditer(key))


def _line_names(lines: Sequence[PLine], position: int, names: _Names) -> None:
    """Names a line offers: companies with a legal form, the name over a legal notice, and
    the letterhead's lines."""
    line = lines[position]
    addressee = _seller_label if names.addressed_seller else None
    cells = _customer_cells(lines, position, addressee)
    customer = any(cells)
    rank = names.rank(line, position)
    head = line.page == lines[0].page and rank < _HEAD
    # a line of several cells holds side-by-side blocks (the issuer's beside the addressee's):
    # its companies are read cell by cell, each in its own column's block
    found = [(n, c) for cell, c in zip(line.cells, cells, strict=True) for n in _companies(cell)]
    if len(line.cells) == 1 or not found:
        found = [(name, customer) for name in _companies(line.text)]
    companies = [name for name, _ in found]
    payee = any(_PAYEE_TEXT.search(x.text) for x in lines[max(0, position - 1) : position + 1])
    # a second name-and-address block under the letterhead's is the addressee's window
    window = names.first_block is not None and names.first_block < position
    window = window and head and bool(companies) and bool(_block(lines, position + 1))
    for name, addressed in found:
        score = 2.0 + (0.5 if head else 0.0) - (2.5 if addressed else 0.0) + (1.0 if payee else 0)
        score -= 1.0 if window else 0.0
        names.offer(name, score, line, "company name with a legal form")
    if not customer:
        _behind_brand(line, names)
    if _CAPITAL.search(line.text) and not companies:
        for above in reversed(lines[max(0, position - 2) : position]):
            if _name_like(above.text) and len(above.cells) == 1:
                names.offer(above.text, 2.0, above, "name over a legal notice")
                break
    if not customer:
        _footer_names(line, names)
    cell = _after_title(line)
    column = line.cells.index(cell) if cell in line.cells else 0
    letterhead = head and len(line.cells) <= 2 and not cells[column] and _name_like(cell)
    if letterhead and not _ISSUER_LABEL.match(cell) and not _CARRIER.match(cell):
        names.offer(cell, _letterhead_score(lines, position, rank, names), line, "letterhead")
    if position + 1 < len(lines):
        _under_issuer_label(line, lines[position + 1], names)


def _behind_brand(line: PLine, names: _Names) -> None:
    """The legal entity small print names behind a brand ("... is a trading name of X")."""
    behind = _BEHIND_BRAND.search(line.text)
    if behind is None:
        return
    rest = behind["rest"]
    named = _companies(rest) or [_first_part(rest).strip().rstrip(".")]
    if _name_like(named[0]):
        names.offer(named[0], 4.0, line, "the legal name behind the brand")


def _under_issuer_label(line: PLine, below: PLine, names: _Names) -> None:
    """The name under an issuer label alone on its line ("Datos del emisor", "Sold by:"; a
    colon only at the label's end); a seller label counts most, except on a purchase order."""
    label = line.cells[0].rstrip(" :") if line.cells[0].count(":") <= 1 else ""
    if ":" in label or not _issuer_key(label):
        return
    seller = _seller_label(label)
    if (names.addressed_seller and seller) or not _name_like(below.cells[0]):
        return
    strong = _seller_weight(below.cells[0], label) if seller and not names.ordering else 3.0
    names.offer(below.cells[0], strong, below, f'under the label "{label}"')


def _footer_names(line: PLine, names: _Names) -> None:
    """Names printed anywhere: the payee of a cheque line, and a part of a line (a footer's
    "Bright Spark Electrical · 0117 ...") that is the web or e-mail domain spelled out."""
    payee = _PAYEE_NAME.search(line.text)
    if payee:
        name = _first_part(payee["rest"]).strip().rstrip(".")
        if _name_like(name):
            names.offer(name, 3.0, line, "named as the payee")
    parts = _PART_SEP.split(line.text)
    if _named_address(parts):
        names.offer(parts[0], 2.0, line, "name beside its address")  # a footer or sender line
    if not names.squashed_domains:
        return
    for part in _PART_SEP.split(line.text):
        base = re.sub(_LEGAL_END, "", part).lower()
        squashed = re.sub(r"[\W_]+", "", base)
        if len(squashed) >= 6 and squashed in names.squashed_domains and _domain_name(part):
            names.offer(part, 2.5, line, "name spelled as the web or e-mail domain")


def _named_address(parts: Sequence[str]) -> bool:
    """A name (no digits, no label) followed by its address or contact in the parts of one
    line ("Jane Doe Photography · jane@janedoe.photo")."""
    if len(parts) < 2 or re.search(r"[\d:]", parts[0]) or not _name_like(parts[0]):
        return False
    return any(_address_like(part) or _CONTACT.search(part) for part in parts[1:])


def _domain_name(part: str) -> bool:
    """A name spelled as a domain: name-like, or a short lower-case wordmark ("studio nord")."""
    if _name_like(part):
        return True
    words = part.split()
    return 1 <= len(words) <= 4 and not re.search(r"\d", part) and not _CONTACT.search(part)


_FUNCTION_WORD = re.compile(
    r"(?:for|to|of|the|per|pour|für|voor|para|à|a|an|aan|no|nr|n°|number|date)\b", re.IGNORECASE
)


def _after_title(line: PLine) -> str:
    """The line's first cell, or the name printed after the document's title on the same line
    ("INVOICE | Fjordlight Studio", "INVOICE Fjordlight Studio")."""
    cell = line.cells[0]
    if _ISSUER_LABEL.match(cell) and ":" in cell:
        return ""  # "Van: Bakkerij Smit" is a labelled name, read from its pair
    parts = _PART_SEP.split(cell)
    if _named_address(parts):
        return parts[0]  # "Müller Elektrotechnik · Hauptstr. 5 · 80331 München"
    match = _DOC_TYPE.match(cell)
    if match is None:
        titled = _TITLE_AFTER.search(cell)
        return cell[: titled.start()] if titled and titled.start() > 0 else cell
    if match.end() == len(cell.rstrip()) and len(line.cells) > 1:
        return line.cells[1]
    rest = re.sub(r"^(?:from|von|van|de)\s+", "", cell[match.end() :].strip(), flags=re.I)
    if _FUNCTION_WORD.match(rest):
        return cell  # "ORIGINAL FOR RECIPIENT", "Invoice to ...": not a name
    return rest if len(rest.split()) >= 2 and rest[:1].isupper() else cell


def _letterhead_score(lines: Sequence[PLine], position: int, rank: int, names: _Names) -> float:
    """A letterhead line: near the top, in capitals or large type, over its address."""
    cell = _after_title(lines[position])
    score = 1.6 - 0.2 * rank + (0.2 if cell.isupper() else 0.0)
    large = names.large(lines[position])
    if large >= 0.25:
        score += 0.4 + large  # printed in large type (by its box)
    elif not names.body and any(cell.lower() in heading for heading in names.headings):
        score += 0.4  # printed in large type (a heading)
    beside = lines[position].cells[1:]
    if _block(lines, position + 1) or (beside and _address_like(beside[0])):  # its address
        score += 0.5
    elif _block(lines, position + 2):  # under a tagline
        score += 0.3
    return score


def _longer(a: str, b: str) -> str:
    """The fuller spelling of one name ("Acme Trading B.V." over "Acme Trading")."""
    return a if len(a) > len(b) and b.lower() in a.lower() else b


def _first_part(value: str) -> str:
    """A name cell's name: before a comma-led address or a second label."""
    value = re.split(r"\s+[-–|]\s+|\t|\s*[·•]\s*", value)[0]
    match = re.match(r"(.+?(?:" + LEGAL_FORM + r"))(?:[,\s]|$)", value)
    if match:
        return match.group(1)
    return value.split(",")[0]


# ---------------------------------------------------------------------------- address


def _address_like(text: str) -> bool:
    if _CONTACT.search(text) or len(text) > 90 or re.search(r"[A-Z]{1,3}#", text):
        return False
    return bool(_STREET.search(text) or _POSTCODE.search(text) or _COUNTRY.fullmatch(text.strip()))


def address(layout: Layout, terms: FieldTerms) -> list[Candidate]:
    """A postal address: the lines under the label the field names (billing, shipping...), or
    the block under the issuer's name (street, postcode and city, country), else the value of
    an "Address:" label outside the addressee's block."""
    lines = layout.lines
    wanted = set(content_stems(terms.phrase)) | set(terms.desc_words)
    customer = bool(wanted & CUSTOMER_WORDS) or bool(wanted & set(content_stems("deliver")))
    if customer:
        return _addressee_blocks(layout, terms)
    found: list[Candidate] = []
    for candidate in issuer(layout)[:1]:
        first = candidate.value.split()[0]
        at = [i for i, x in enumerate(lines) if x.text == candidate.source]
        at += [i for i, x in enumerate(lines) if first in x.text and i not in at]
        for position in at[:3]:
            block = _block(lines, position + 1)
            if block:
                found.append(_address_candidate(block, lines[position], "address under the issuer"))
                break
    for pair in layout.pairs:
        key = pair.key.strip(" :")
        if "addre" in content_stems(key) and not _CUSTOMER_BLOCK.search(key):
            line = next((x for x in lines if x.index == pair.order), None)
            if line is not None and _address_like(pair.value):
                found.append(_address_candidate([pair.value], line, f'label "{key}"'))
    return found


def _addressee_blocks(layout: Layout, terms: FieldTerms) -> list[Candidate]:
    """Address blocks under the label the field names ("Billing address", "Ship to")."""
    lines = layout.lines
    found = []
    for position, line in enumerate(lines):
        if _CUSTOMER_BLOCK.search(line.cells[0]) and label_score(terms, line.cells[0]) > 0:
            start = position + 1
            if start < len(lines) and _name_like(lines[start].cells[0]):
                start += 1  # the addressee's name
            block = _block(lines, start)
            if block:
                found.append(_address_candidate(block, line, "address under its label"))
    return found


def _block(lines: Sequence[PLine], start: int) -> list[str]:
    """The address lines from ``start``: registration numbers under a name are passed over,
    then street, postcode and city lines, and a last short line (state, country)."""
    block: list[str] = []
    skipped = 0
    for line in lines[start : start + 8]:
        cell = re.sub(
            r"^(?i:address|adres|adresse|anschrift|dirección|indirizzo)\s*:\s*", "", line.cells[0]
        )
        if not block and skipped < 3 and _preamble(cell):
            skipped += 1
            continue
        ended = bool(block) and bool(_POSTCODE.search(block[-1]) or _COUNTRY.search(block[-1]))
        if _address_like(cell) and len(block) < 6 and not ended:
            block.append(cell)
            continue
        if block and _POSTCODE.search(block[-1]) and _region_like(cell):
            block.append(cell)
        break
    return block if any(_POSTCODE.search(b) or _STREET.search(b) for b in block) else []


_REGISTRATION = re.compile(
    r"^\(?[\w\s-]{0,12}\d{4,}[\w\s-]{0,4}\)?$|\b(?:reg(?:istration)?|gst|co\.?\s*no|company\s+no|"
    r"roc|ssm|vat|tin|abn|kvk|siret|siren|ust-?id|tax\s+id)\b",
    re.IGNORECASE,
)


def _preamble(text: str) -> bool:
    """What comes between a shop's name and its address: registration numbers, a slogan, a
    phone number, the manager's name."""
    return bool(
        _REGISTRATION.search(text)
        or _CONTACT.search(text)
        or _PHONE.search(text)
        or _ROLE.search(text)
        or (text.rstrip().endswith((".", "!")) and not re.search(r"\d", text))
    )


_PHONE = re.compile(r"\(?\s*\d{2,4}\s*\)?\s*\d{3}\s*[-.\s]\s*\d{4}\b")


def _region_like(text: str) -> bool:
    """A state or country line: one to three words, no digits, no contact, not a label."""
    words = text.strip(" .,").split()
    if not 1 <= len(words) <= 3 or re.search(r"\d|:", text) or _CONTACT.search(text):
        return False
    return not _CUSTOMER_BLOCK.search(text) and not set(content_stems(text)) & _LABEL_STEMS


def _address_candidate(block: list[str], line: PLine, why: str) -> Candidate:
    value = ", ".join(b.strip(" ,") for b in block)
    return Candidate(value, line.page, "\n".join(block), 0.6, f"{why} on page {line.page}")


# ---------------------------------------------------------------------------- totals

_STRONG_TOTAL = re.compile(
    r"\b(?:grand\s+total|amount\s+due|total\s+due|balance\s+due|total\s+amount|amount\s+payable|"
    r"total\s+payable|total\s+to\s+pay|total\s+for\s+this|invoice\s+total|total\s+ttc|"
    r"somme\s+à\s+payer|net\s+à\s+payer|montant\s+(?:total|ttc|à\s+payer)|à\s+payer|"
    r"te\s+betalen|totaalbedrag|factuur\s*totaal|totaal\s+incl|rechnungsbetrag|gesamtbetrag|"
    r"endbetrag|zu\s+zahlen|zahlbetrag|importe\s+total|total\s+a\s+pagar|totale\s+fattura|"
    r"należność|do\s+zapłaty|total\s+incl|total\s+inc|total\s+payment|amount\s+paid|"
    r"total\s+paid|total\s+sales|nett?\s+total|total\s+\(incl)",
    re.IGNORECASE,
)
_TOTAL_WORD = re.compile(
    r"\b(?:total|totals|totaal|totale|totaal|summe|gesamt|razem|ogółem|sum|amount|montant|"
    r"bedrag|betrag|importe|balance|brutto|bruttobetrag|\w+wert\s+brutto)\b",
    re.IGNORECASE,
)
_PRE_TAX = re.compile(
    r"\b(?:sub\s*-?\s*total|subtotaal|sous[\s-]total|zwischensumme|ht|h\.t\.|excl\w*|"
    r"exclusief|excluding|hors\s+taxes?|ohne|netto|net(?!\s+à)|before\s+tax|pre-?tax|"
    r"untaxed|grondslag|base)\b",
    re.IGNORECASE,
)
_SUBTOTAL = re.compile(
    r"\b(?:sub\s*-?\s*total|subtotaal|sous[\s-]total|zwischensumme)\b", re.IGNORECASE
)
_EXPLICIT_NET = re.compile(
    r"\b(?:ht|h\.t\.|excl\w*|exclusief|excluding|hors\s+taxes?|ohne|netto|before\s+tax|"
    r"pre-?tax|untaxed)\b",
    re.IGNORECASE,
)
_INCLUDING = re.compile(
    r"\b(?:incl\w*|inclusive|inclusief|ttc|brutto|gross|grand|due|payable|à\s+payer|net\s+à)\b",
    re.IGNORECASE,
)
_TAX = re.compile(r"\b(?:tax|vat|btw|tva|mwst|ust|iva|gst|sst|hst|pst)\b", re.IGNORECASE)
_NOT_MONEY = re.compile(
    r"\b(?:points?|pts|qty|quantity|items?|count|units?|pieces?|pcs|shows?|hours?|weight|"
    r"pages?|variance|discount|savings?|saved|change|rounding|tip|deposit|credits?|"
    r"aantal|menge|quantité|cantidad|ilość)\b",
    re.IGNORECASE,
)
_ROUNDING = re.compile(
    r"\b(?:rounding|round(?:ed)?\s+off|afronding|arrondi\w*|rundung|redondeo|arrotondamento)\b",
    re.IGNORECASE,
)
NET_WORDS = frozenset(content_stems("untaxed subtotal net excluding before pretax"))


@dataclass(frozen=True)
class _Money:
    value: float
    score: float
    line: PLine
    label: str


def total(layout: Layout, terms: FieldTerms) -> list[Candidate]:
    """The document's total: amounts on lines labelled as totals, grand totals and amounts due
    first, never quantities or points; the pre-tax total instead when the field asks for it
    (untaxed, subtotal, net, excluding). Ties go to the larger amount, and a total that equals
    a subtotal plus a tax printed beside it is confirmed, as is the total printed just after a
    rounding adjustment (cash receipts round the total they take)."""
    wanted = set(content_stems(terms.phrase)) | set(terms.desc_words)
    net = bool(wanted & NET_WORDS) and "inclu" not in wanted
    found: list[_Money] = []
    net_amounts: list[float] = []
    taxes: list[float] = []
    grosses: list[float] = []
    found_amounts = _amounts(layout.lines)
    # the total printed just after a rounding adjustment is the one paid
    rounded = [line.index for line, label, _ in found_amounts if _ROUNDING.search(label)]
    for line, label, amount in found_amounts:
        kind = _total_kind(label)
        if kind in ("net", "sub"):
            net_amounts.append(amount.value)
        elif kind == "tax":
            taxes.append(amount.value)
        elif kind in ("strong", "total"):
            grosses.append(amount.value)
        score = _total_score(kind, net, amount.has_currency or amount.has_decimals)
        if score > 0:
            found.append(_Money(amount.value, score, line, label))
    ranked: list[tuple[float, float, _Money]] = []
    for money in found:
        score = money.score + _confirmed(money, net, net_amounts, taxes, grosses, rounded)
        ranked.append((score, money.value, money))
    ranked.sort(key=lambda t: (-t[0], -t[1]))
    out = []
    for score, _, money in ranked[:3]:
        reasoning = f'amount labelled "{money.label.strip()}" on page {money.line.page}'
        confidence = min(0.9, 0.35 + score / 6)
        out.append(Candidate(money.value, money.line.page, money.line.text, confidence, reasoning))
    return out


def _confirmed(
    money: _Money,
    net: bool,
    net_amounts: Sequence[float],
    taxes: Sequence[float],
    grosses: Sequence[float],
    rounded: Sequence[int],
) -> float:
    """What the amounts around a total add to its score: net + tax = total, and a total just
    after a rounding adjustment."""
    if net:
        return 0.5 if any(abs(money.value + t - g) < 0.011 for t in taxes for g in grosses) else 0
    bonus = 0.5 if any(abs(n + t - money.value) < 0.011 for n in net_amounts for t in taxes) else 0
    if any(0 < money.line.index - at <= 3 for at in rounded):
        bonus += 2.0
    return bonus


def _total_kind(label: str) -> str:
    """What an amount's label makes it: strong (grand total, amount due), total, net, tax or
    other (quantities, points, discounts, unlabelled)."""
    if _NOT_MONEY.search(label):
        return "other"
    if _PRE_TAX.search(label) and not _INCLUDING.search(label):
        return "sub" if _SUBTOTAL.search(label) and not _EXPLICIT_NET.search(label) else "net"
    if _STRONG_TOTAL.search(label):
        return "strong"
    plain = bool(_TOTAL_WORD.search(label))
    if _TAX.search(label) and not plain:
        return "tax"
    return "total" if plain else "other"


def _total_score(kind: str, net: bool, money: bool) -> float:
    if net:  # "excl. VAT" says it, a subtotal is sometimes taxed already
        score = {"net": 3.0, "sub": 2.5, "total": 0.5}.get(kind, 0.0)
    else:
        score = {"strong": 3.0, "total": 2.0, "sub": 0.6, "net": 0.3}.get(kind, 0.0)
    if not money:
        score -= 0.5 if kind == "strong" else 1.5
    return score


def _amounts(lines: Sequence[PLine]) -> list[tuple[PLine, str, FoundAmount]]:
    """(line, label, amount) over the document; a label alone on its line labels the amount
    alone on the next ("TOTAL" / "9.00" on a receipt read line by line)."""
    out: list[tuple[PLine, str, FoundAmount]] = []
    for position, line in enumerate(lines):
        found = _labelled_amounts(line)
        out.extend((line, label, amount) for label, amount in found)
        below = lines[position + 1] if position + 1 < len(lines) else None
        if found or below is None or len(line.text.split()) > 5:
            continue
        if not re.search(r"[A-Za-zÀ-ÿ]{2,}", line.text):
            continue
        alone = _money_in(below.text)
        if len(alone) == 1 and not re.search(r"[A-Za-z]{4,}", below.text):
            out.append((below, line.text, alone[0]))
    return out


def _labelled_amounts(line: PLine) -> list[tuple[str, FoundAmount]]:
    """(label, amount) for each amount of the line: the words before it in its cell, else the
    nearest cell before it that has words (a row "Total | 1 | 278.61 | 319.00")."""
    out: list[tuple[str, FoundAmount]] = []
    label = ""
    for cell in line.cells:
        amounts = _money_in(cell)
        words = cell
        if amounts:
            words = cell[: amounts[0].start]
        if re.search(r"[A-Za-zÀ-ÿ]{2,}", words) and not _CURRENCY_ONLY.fullmatch(words.strip()):
            label = words  # a cell holding only "EUR" between "TOTAAL" and its amount is no label
        # amounts with only a currency between them are one column read into one cell
        stacked = (
            len(amounts) > 1
            and all(
                _CURRENCY_ONLY.fullmatch(cell[a.end : b.start].strip())
                or not cell[a.end : b.start].strip()
                for a, b in itertools.pairwise(amounts)
            )
            and not re.search(r"[A-Za-zÀ-ÿ]{2,}", _CURRENCY_LEAD.sub("", cell[: amounts[0].start]))
        )
        for number, amount in enumerate(amounts):
            before = cell[: amount.start]
            own = before if re.search(r"[A-Za-zÀ-ÿ]{2,}", before) else label
            if stacked and label:
                own = _stacked_label(label, last=number == len(amounts) - 1)
            out.append((own, amount))
    return out


_CURRENCY_LEAD = re.compile(r"^\s*(?:[A-Z]{3}|[$€£¥₹])\s*")
_AFTER_RATE = re.compile(r"\d\s?%\s*(?P<last>[A-Za-zÀ-ÿ][^%\d]*)$")


def _stacked_label(label: str, *, last: bool) -> str:
    """A summary column read into one cell ("Net  VAT 20%  Order total" beside its amounts):
    the words after the last tax rate label the last amount, the rest the amounts above it."""
    match = _AFTER_RATE.search(label)
    if match is None:
        return label
    return match["last"] if last else label[: match.start("last")]


_CURRENCY_ONLY = re.compile(r"[A-Z]{3}|[$€£¥₹]|Rs\.?|RM|zł", re.IGNORECASE)
# A number of days, weeks or months is a term ("te betalen binnen 14 dagen"), not an amount.
_TERM_AFTER = re.compile(
    r"\s*(?:days?|weeks?|months?|dagen|weken|maanden|tage|tagen|wochen|monate|jours|semaines|"
    r"mois|días|dias|semanas|meses|giorni|settimane|mesi|dni)\b",
    re.IGNORECASE,
)


def _money_in(text: str) -> list[FoundAmount]:
    dates = find_dates(text)
    out = []
    for amount in find_amounts(text):
        if any(d.start <= amount.start < d.end for d in dates):
            continue
        if text[amount.end : amount.end + 2].strip().startswith("%"):
            continue
        if not amount.has_currency and _TERM_AFTER.match(text, amount.end):
            continue
        out.append(amount)
    return out


# ---------------------------------------------------------------------------- identifiers

_CODE = re.compile(r"^[#:]?\s*(?P<code>[A-Za-z0-9][\w/.\-]*\d[\w/.\-]*|\d[\w/.\-]*)")
_ID_SIGN = re.compile(r"([nN][°º]|#)(?=\w)")


def identifier(layout: Layout, terms: FieldTerms) -> list[Candidate]:
    """A document number: the code after a label that means the field ("Factuurnummer:",
    "Invoice No", "N° facture", "Rechnungsnr." beside or under it), or after such a label at
    the start of a line without a colon ("Facture n°562044387 du ...")."""
    scored: list[tuple[float, int, Candidate]] = []
    for pair in layout.pairs:
        score = _id_label_score(terms, pair.key) if not re.search(r"\d", pair.key) else 0.0
        if score < 0.5:
            continue
        code = _code(pair.value)
        if code:
            why = f'label "{pair.key}" on page {pair.page}'
            scored.append(
                (score, pair.order, Candidate(code, pair.page, pair.source, 0.5 + 0.4 * score, why))
            )
    for position, line in enumerate(layout.lines):
        above = layout.lines[position - 1] if position else None
        scored.extend(_leading_codes(terms, line, above))
    for key, value, line in _captions(layout.lines):
        score = _id_label_score(terms, key) - 0.1
        code = _code(value) if score >= 0.5 else None
        if code:
            why = f'caption "{key}" under it on page {line.page}'
            scored.append(
                (score, line.index, Candidate(code, line.page, value, 0.4 + 0.4 * score, why))
            )
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [c for _, _, c in scored]


def _captions(lines: Sequence[PLine]) -> list[tuple[str, str, PLine]]:
    """Values over their captions, column by column (a row "2024-117 | 12/03/2024" over
    "Invoice number | Date of issue"), when the row over the values is not a header row."""
    found = []
    for position in range(len(lines) - 1):
        line, below = lines[position], lines[position + 1]
        if below.page != line.page or len(line.cells) < 2 or len(below.cells) != len(line.cells):
            continue
        if any(is_label(c) for c in line.cells) or not all(is_label(c) for c in below.cells):
            continue
        above = lines[position - 1] if position else None
        header = above is not None and len(above.cells) == len(line.cells)
        if header and above is not None and all(is_label(c) for c in above.cells):
            continue  # a header row over the values: they are its values
        found += [(key, value, line) for key, value in zip(below.cells, line.cells, strict=True)]
    return found


def _leading_codes(
    terms: FieldTerms, line: PLine, above: PLine | None
) -> list[tuple[float, int, Candidate]]:
    """A code after a label at the start of the line, no colon needed; a bare "# 1234" or
    "No. 1234" under the document's title ("INVOICE") is labelled by that title. A label
    may also start after an earlier value on the line: a PDF joins the cells of one baseline
    ("Customer No. 5521 Invoice No. 1093")."""
    # the whole line: a receipt prints "Receipt | # | 791945" in cells
    words = _ID_SIGN.sub(r"\1 ", line.text).split()
    title = ""
    if above is not None and len(above.cells) == 1 and _DOC_TYPE.fullmatch(above.text.strip()):
        title = above.text.strip() + " "
    firsts = set(itertools.accumulate(len(_ID_SIGN.sub(r"\1 ", c).split()) for c in line.cells))
    starts = [0] + [
        i
        for i in range(1, len(words))
        if (i in firsts or re.search(r"\d", words[i - 1]))
        and not set(content_stems(" ".join(words[i : i + 4]))).isdisjoint(_wanted(terms))
    ]
    for start in starts:
        found = _code_after_label(terms, line, words[start:], title if start == 0 else None)
        if found is not None:
            score, candidate = found
            return [(score - (0.15 if start == 0 else 0.2), line.index, candidate)]
    return []


@lru_cache(maxsize=256)
def _wanted(terms: FieldTerms) -> frozenset[str]:
    """Stems one of which a label of the field's number must hold (a quick test before
    scoring every run of words on a line)."""
    named = set(content_stems(terms.phrase)) | set(terms.desc_words)
    named |= {s for alias in terms.aliases for s in content_stems(alias)}
    return frozenset(named | DOC_WORDS | {"numbe"})


def _code_after_label(
    terms: FieldTerms, line: PLine, words: Sequence[str], title: str | None
) -> tuple[float, Candidate] | None:
    """The code after the label ``words`` start with; ``title`` is None past the line's
    start, where a bare number sign labels nothing."""
    for size in range(1, min(5, len(words))):
        label = " ".join(words[:size]).rstrip(":")
        if re.search(r"\d", label) or (size > 1 and words[size - 2].endswith(":")):
            return None  # labels have no digits ("NO.5: 55, JALAN ..."), and end at a colon
        if _NUMBER_WORD.fullmatch(label):
            if title is None:
                return None
            if not title and _address_like(line.text):
                continue  # "No. 61, Jalan Bukit Bintang": a number word, then an address

            label = title + label
        score = _id_label_score(terms, label)
        if score < 0.6 and not (score >= 0.5 and _NUMBER_WORD.search(label)):
            continue  # a bare document word is a label only when it means the field
        code = _code(" ".join(words[size:]))
        if code:
            why = f'line starting "{label}" on page {line.page}'
            return score, Candidate(code, line.page, line.text, 0.4 + 0.4 * score, why)
    return None


_NUMBER_WORD = re.compile(r"#|no\.?|nr\.?|n[°º]|number", re.IGNORECASE)
_ID_WORD = re.compile(r"\b(?:id|ident|identifier|kenmerk)\b", re.IGNORECASE)
_REF_WORD = re.compile(r"\b(?:ref|reference|référence|referencia|riferimento)\b", re.IGNORECASE)


def _id_label_score(terms: FieldTerms, key: str) -> float:
    """How well ``key`` labels the document number the field means: "Booking ID" and
    "Transaction ID" as "... number"; a label that is only a document word the field names
    ("TXN", "Order") labels its code."""
    if len(key.split()) > 1:
        key = _ID_WORD.sub("number", key)
        if set(content_stems(key)) & DOC_WORDS:  # "Invoice reference", "Invoice ref."
            key = _REF_WORD.sub("number", key)
    score = label_score(terms, key)
    if score >= 0.5:
        return score
    stems = set(content_stems(key))
    named = (set(content_stems(terms.phrase)) | set(terms.desc_words)) & DOC_WORDS
    if len(stems) == 1 and stems <= named:
        return 0.55
    if len(stems) == 2 and "numbe" in stems and stems - {"numbe"} <= _THIS_DOC and named:
        return max(score, 0.7)  # "Document No", "Bill No": the number of this document
    if len(stems) == 2 and "numbe" in stems and stems - {"numbe"} <= _ANY_DOC:
        return max(score, 0.5)  # "Ticket No", "Folio No" number any document
    if stems == _INVOICE_NUMBER and named & _RECEIPT:
        return max(score, 0.5)  # a till's "Rechnung Nr." / "Nº factura" numbers the receipt
    if stems - _OUR == {"refer"} and named and not _THEIR_REF.search(key):
        return max(score, 0.5)  # "Reference", "Our ref." (not "Your reference": the buyer's)
    return score


# Words that name the document itself, whatever its kind: its number is the one a field asking
# for an invoice's (or an order's...) number means, before a folio's or a ticket's.
_THIS_DOC = frozenset(content_stems("document doc bill"))
_ANY_DOC = _THIS_DOC | frozenset(
    content_stems("ticket transaction check voucher folio slip statement")
)
_INVOICE_NUMBER = frozenset(content_stems("invoice number"))
_RECEIPT = frozenset(content_stems("receipt"))
_OUR = frozenset(content_stems("number our unser notre onze nuestra nuestro"))
_THEIR_REF = re.compile(r"\b(?:your|ihr\w*|votre|vos|uw|su|sus|vuestra)\b", re.IGNORECASE)


def _code(value: str) -> str | None:
    """The code at the start of ``value`` (it has a digit and is not a date or an amount)."""
    value = value.strip()
    value = re.sub(r"^(?:no\.?|nr\.?|number|#)\s*", "", value, flags=re.IGNORECASE)
    if not_a_number(value):
        return None
    spaced = re.match(r"^([A-Z]{1,3})\s+(\d[\w/.\-]*\d)\b", value)  # "F 1234K20/1234/12"
    if spaced:
        return f"{spaced.group(1)} {spaced.group(2)}"
    grouped = re.fullmatch(r"(\d{3,}\s\d{3,})\s*", value)  # "1234 5678", the whole value
    if grouped:
        return grouped.group(1)
    match = _CODE.match(value)
    if not match:
        return None
    code = match["code"].rstrip(".,;:/-")
    if find_dates(value[: len(code) + 2]) or (
        re.fullmatch(r"[\d.,]+", code) and ("," in code or re.search(r"\.\d{2}$", code))
    ):
        return None
    return code if len(code) >= 2 else None


# ---------------------------------------------------------------------------- dates

_OTHER_DATES = re.compile(
    r"\b(?:due|expir\w*|valid|until|birth|born|échéance|limite|vervaldatum|verval|fällig\w*|"
    r"vencimiento|scadenza|ship(?:ped|ping)?|deliver\w*|order(?:ed)?|bestel\w*|commande|"
    r"check[\s-]?(?:in|out)|period|from|to|print(?:ed)?|paiement|payment|prélèvement|"
    r"leverdatum|lieferdatum|orderdatum|bestelldatum|"
    r"periode|période|período|periodo|\w*zeitraum|arrival|departure|arrivée|départ|anreise|"
    r"abreise|aankomst|vertrek|llegada|salida)\b",
    re.IGNORECASE,
)


def document_date(layout: Layout, terms: FieldTerms, *, dayfirst: bool) -> list[Candidate]:
    """The date the field means: under or beside a label that names it (in any of the common
    European languages), else the first date of the document that no other label claims (due,
    delivery, order, birth...), preferring lines that name the document ("Facture n° ... du
    02 juillet 2015")."""
    scored: list[tuple[float, int, Candidate]] = []
    for pair in layout.pairs:
        score = label_score(terms, pair.key)
        if score < 0.5:
            continue
        dates = find_dates(pair.value, dayfirst=dayfirst)
        if dates and dates[0].start <= 3:
            why = f'label "{pair.key}" on page {pair.page}'
            candidate = Candidate(dates[0].iso, pair.page, pair.source, 0.5 + 0.4 * score, why)
            scored.append((1.0 + score, pair.order, candidate))
    name = set(content_stems(terms.phrase)) - {"dat"}
    doc_words = name | (set(terms.desc_words) & DOC_WORDS)
    for line in layout.lines:
        for found in find_dates(line.text, dayfirst=dayfirst):
            before = line.text[: found.start]
            if _OTHER_DATES.search(before[-40:]) or re.match(
                r"\s*[-–]\s*\d", line.text[found.end :]
            ):
                continue
            if re.search(r"\d\s*[-–]\s*$", before):
                continue  # the end of a period "01.05.14-31.05.14"
            words = set(content_stems(before[-60:]))
            score = 0.5 + (0.6 if words & doc_words else 0.0) - 0.002 * line.index
            label = before.strip(" :")
            if is_label(label) and label_score(terms, label) >= 0.5:  # "Datum 04-02-2025"
                score = max(score, 0.9 + label_score(terms, label))
            why = f"first date of the document on page {line.page}"
            scored.append(
                (score, line.index, Candidate(found.iso, line.page, line.text, 0.45, why))
            )
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [c for _, _, c in scored]


def customer(layout: Layout) -> list[Candidate]:
    """Who the document is addressed to: the name under or beside a customer label (*Bill to*,
    *Customer*, *Klant*, *Client*, *Nabywca*, *Sold to* …), in the label's block. A purchase
    order is the customer's own: its issuer is the customer."""
    if any(_PURCHASE_ORDER.fullmatch(x.text) for x in layout.lines[:_HEAD]):
        return issuer(layout)
    found: list[Candidate] = []
    for pair in layout.pairs:
        key = pair.key.strip(" :")
        if _CUSTOMER_BLOCK.search(key) and len(key.split()) <= 3 and _name_like(pair.value):
            why = f'name after "{key}" on page {pair.page}'
            found.append(Candidate(_clean_name(pair.value), pair.page, pair.source, 0.6, why))
    found += _names_under(layout.lines)
    for line in layout.lines:
        if len(line.cells) != 1 or not _CUSTOMER_BLOCK.fullmatch(line.text.strip(" :")):
            continue
        for below in layout.pairs:  # "Customer" / "Name: Universal Studios"
            near = 0 < below.order - line.index <= 2
            if near and "name" in below.key.lower() and _name_like(below.value):
                why = f'name in the "{line.text}" block on page {line.page}'
                found.append(
                    Candidate(_clean_name(below.value), line.page, below.source, 0.55, why)
                )
                break
    return found


def _names_under(lines: Sequence[PLine]) -> list[Candidate]:
    """The addressee's name opening its block under a customer label alone on its line
    ("Ship to", "Leveren aan", "Warenempfänger"), or under a window envelope's one-line return
    address ("Acme GmbH · Hauptstr. 1 · 70173 Stuttgart")."""
    found = []
    for position, (line, below) in enumerate(itertools.pairwise(lines)):
        name = below.cells[0]
        if below.page != line.page or ":" in name or not _name_like(name):
            continue
        if not _block(lines, position + 2) or _CUSTOMER_BLOCK.search(name):
            continue
        if _return_address(line.cells[0]):
            why = f"name under the sender's return address on page {line.page}"
            found.append(Candidate(_clean_name(name), line.page, name, 0.5, why))
        elif len(line.cells) == 1 and _CUSTOMER_BLOCK.fullmatch(line.text.strip(" :")):
            why = f'name under "{line.text.strip()}" on page {line.page}'
            found.append(Candidate(_clean_name(name), line.page, name, 0.55, why))
    return found


def _return_address(text: str) -> bool:
    """A sender's one-line return address printed over a window envelope's addressee: a name,
    then street and postcode parts, separated by dots, bars or dashes."""
    parts = [p.strip() for p in re.split(r"\s[·•|–-]\s|\s\|\s?", text) if p.strip()]
    if not 3 <= len(parts) <= 5 or not _name_like(parts[0]):
        return False
    return bool(_POSTCODE.search(parts[-1])) and _address_like(" ".join(parts[1:-1]))


def wants_customer(terms: FieldTerms) -> bool:
    """A field naming the addressee ("customer", "bill to", "buyer"), not its number or a
    document ("purchase order")."""
    name = set(content_stems(terms.phrase))
    said = name | set(terms.desc_words)
    if name & (ISSUER_WORDS | DOC_WORDS) or said & _ID_STEMS:
        return False
    return bool(name & CUSTOMER_WORDS)


_ID_STEMS = frozenset(content_stems("number id code reference email phone address"))


def wants_issuer(terms: FieldTerms) -> bool:
    name = set(content_stems(terms.phrase))
    return bool(name & ISSUER_WORDS) and not name & CUSTOMER_WORDS


def words_of(text: str) -> list[str]:
    return tokens(text)
