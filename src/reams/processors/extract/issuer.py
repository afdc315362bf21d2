"""Who issued a document: the name after a seller or payee label, the legal entity named in
small print behind a brand, a company name with a legal form, a name beside its address in a
footer, or the letterhead (first lines, capitals or large type, over its address). Each
candidate is weighed by where it is printed, how often it recurs and whether a web or e-mail
domain spells it; names in the addressee's block never count.
"""

from __future__ import annotations

import difflib
import itertools
import re
import statistics
from collections.abc import Callable, Sequence
from functools import lru_cache

from reams.processors.extract.layout import Layout, PLine, is_label
from reams.processors.extract.model import Candidate
from reams.processors.extract.postal import (
    CONTACT,
    COUNTRY,
    CUSTOMER_BLOCK,
    LABEL_STEMS,
    PHONE,
    POSTCODE,
    ROLE,
    STREET,
    address_block,
    address_like,
)
from reams.processors.extract.text import FieldTerms, content_stems

__all__ = [
    "DOC_TYPE",
    "HEAD",
    "LEGAL_FORM",
    "PURCHASE_ORDER",
    "clean_name",
    "issuer",
    "name_like",
    "purchase_order",
]

LEGAL_FORM = (  # the long forms in any case ("SDN BHD", "Pvt Ltd"), the short ones as written
    r"(?:(?i:Pvt\.?\s+Ltd|Private\s+Limited|Pte\.?\s+Ltd|Pty\.?\s+Ltd|Sdn\.?\s+Bhd|Bhd|"
    r"Co\.,?\s+Ltd|Ltd|Limited|GmbH\s*&\s*Co\.?\s*KG(?:aA)?|GmbH|Incorporated|Inc|Corporation|Corp|LLC|L\.L\.C\.|PLC|LLP|"
    r"SARL|S\.A\.R\.L\.|S\.à\s?r\.\s?l\.|S\.A\.S\.?|S\.p\.A\.?|sp\.\s?z\s?o\.\s?o\.?|"
    r"UG\s*\(haftungsbeschränkt\)|s\.r\.o\.|Ltda\.?|S\.\s?A\.\s+de\s+C\.\s?V\.|"
    r"S\.\s?de\s+R\.\s?L\.(?:\s+de\s+C\.\s?V\.)?|S\.r\.l\.|S\.n\.c\.|S\.a\.s\.|sp\.\s?j\.|"
    r"sp\.\s?k\.|K\.K\.)|Co\.(?!,?\s+Ltd)|"
    r"AG|S\.\s?A\.?|SA|SASU|SAS|EURL|SNC|S\.?R\.?L\.?|S\.?L\.?U\.?|S\.L\.?|B\.\s?V\.?|BV|N\.\s?V\.?|KGaA|KG|"
    r"GbR|OHG|mbH|e\.\s?K\.|UG|SE|SpA|Oyj|Oy|ASA|AB|A/S|ApS|Lda|Kft|VOF|"
    r"(?<=[a-zäöüß] )OG)\.?"  # Austrian OG after a word, not a floor ("2. OG")
)
_PARTICLE = r"(?:de|van|der|den|la|le|du|von|di|da|del|y|and|of|und|et)"
_COMPANY = re.compile(
    r"(?P<name>(?:(?:[A-Z0-9&(][\w&'’.()\-]*|\.[A-Z]\w*|" + _PARTICLE + r"),?\s+){0,6}?"
    r"[A-Z0-9&(.][\w&'’.()\-]*?),?\s+" + LEGAL_FORM + r"(?!\w)"
)
LEGAL_END = re.compile(r"(?:,?\s+|^)" + LEGAL_FORM + r"\s*[,.:;]*$")
_CAPITAL = re.compile(r"\b(?:au capital|capital social|with (?:a )?capital)\b", re.IGNORECASE)
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
DOC_TYPE = re.compile(
    r"^(?:(?:your|ihre|votre|uw|jouw|su|tu)\s+(?:energy\s+|mobile\s+)?(?:bill|invoice|"
    r"rechnung|jahresabrechnung|facture|factuur|jaarnota|factura)\b|"
    r"cash\s+(?:bill|sales?|receipt|memo)\b|official\s+receipt\b|"
    r"(?:simplified\s+|tax\s+|proforma\s+|pro\s+forma\s+|commercial\s+|retail\s+|qualified\s+|"
    r"payment\s+|sales\s+|order\s+|kopie\s+|copy\s+)*(?:invoice|receipt|factuur|facture|"
    r"rechnung|factura|fattura|faktura|quittung|reçu|recibo|bill|order|booking\s+order|"
    r"purchase\s+order|estimate|quote|quotation|statement|credit\s+note|delivery\s+note|"
    r"avoir|facture\s+d'avoir|gutschrift|rechnungskorrektur|creditnota|creditfactuur|"
    r"nota\s+de\s+cr[ée]dito|factura\s+rectificativa|abono|"
    # payslips, delivery notes and orders
    r"pay\s?slip|pay\s+stub|(?:salary|wage)\s+slip|(?:earnings|pay)\s+statement|"
    r"(?:gehalts|lohn|entgelt|verdienst|bezüge)abrechnung|bulletin\s+de\s+(?:salaire|paie)|"
    r"fiche\s+de\s+paie|n[óo]mina|recibo\s+de\s+salarios?|(?:loon|salaris)strook(?:je)?|"
    r"cedolino|busta\s+paga|packing\s+(?:slip|list)|dispatch\s+note|lieferschein|"
    r"bon\s+de\s+(?:livraison|commande)|albar[áa]n|pakbon|leverbon|documento\s+di\s+trasporto|"
    r"bestellung|bestellbestätigung|auftragsbestätigung|confirmation\s+de\s+commande|"
    r"orderbevestiging|pedido|"
    r"header|footer|page|original|duplicate|copy)\b)",
    re.IGNORECASE,
)
# A document title printed at the right of the brand on the same line, read into its cell
# ("Fibrix Water Your bill", "Ondaro Energie RECHNUNG").
_TITLE_AFTER = re.compile(
    r"\s+(?:(?:your|ihre|votre|uw|su)\s+(?:energy\s+|mobile\s+)?)?(?:tax\s+|qualified\s+)?"
    r"(?:invoice|bill|"
    r"statement|receipt|rechnung|jahresabrechnung|facture|factuur|jaarnota|factura|fattura|"
    r"faktura)\s*$",
    re.IGNORECASE,
)
HEAD = 12  # lines at the top of the first page where a letterhead is


def clean_name(text: str) -> str:
    text = re.sub(r"\s+", " ", _GLUED_FORM.sub(" ", text)).strip(" ,:;|-–*")
    text = _OCR_LEGAL.sub(lambda m: _OCR_LEGAL_FIX[m.group()], text)  # OCR's "I" for "l"
    # "by X", "to X" in running text; a name's own article stays ("THE RUSTY ANCHOR")
    text = re.sub(r"^(?:by|of|to)\s+", "", text, flags=re.IGNORECASE)
    return re.sub(r"^the\s+", "", text) if not text.isupper() else text


_OCR_LEGAL_FIX = {"Itd": "Ltd", "Itd.": "Ltd.", "Itée": "ltée", "Itee": "ltee", "Itda": "Ltda"}
_OCR_LEGAL = re.compile(r"(?<=\s)(?:Itd\.?|Itée|Itee|Itda)(?!\w)")


def _companies(text: str) -> list[str]:
    """Company names with a legal form in ``text`` ("Acme Trading B.V.", "Nordlicht S.A.")."""
    found = []
    for match in _COMPANY.finditer(_GLUED_FORM.sub(" ", text)):
        whole = clean_name(match.group(0))
        words = whole.split()
        # the name starts at the first capitalised word after any lower-case lead-in
        while words and not (words[0][:1].isupper() or words[0][:1].isdigit()):
            words.pop(0)
        name = _past_address(" ".join(words))
        title = DOC_TYPE.match(name)  # "TAX INVOICE Wattle Joinery Pty Ltd": the title beside it
        if title and re.match(r"\s+[A-Z]", name[title.end() :]):
            name = name[title.end() :].strip()
        if CONTACT.search(name) or PHONE.search(name):
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
    cut = max((m.end() for m in POSTCODE.finditer(name)), default=0)
    for street in STREET.finditer(name):  # "Hafenstraße 3 Stadtwerke Kiel GmbH"
        number = re.match(r"\w*\.?\s*\d+[a-z]?\b", name[street.end() :])
        if number:
            cut = max(cut, street.end() + number.end())
    rest = name[cut:].strip(" ,")
    head, comma, tail = rest.rpartition(",")
    if comma and address_like(head):
        rest = tail.strip()
    return rest if re.search(r"[A-Za-z]{2}", re.sub(LEGAL_END, "", rest)) else name


def name_like(text: str) -> bool:
    """A line that can be a name: a few capitalised words, no contact, role or address."""
    words = text.split()
    if not 1 <= len(words) <= 7 or CONTACT.search(text) or DOC_TYPE.match(text):
        return False
    if ROLE.search(text) or _address_line(text) or text.rstrip().endswith((".", "!")):
        return bool(LEGAL_END.search(text)) and not ROLE.search(text)
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3 or sum(c.isdigit() for c in text) > 2:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit() or w == "&")
    if text.rstrip().endswith(":") or set(content_stems(text)) <= LABEL_STEMS:
        return False
    return capitalised >= max(1, len(words) - 2) or text.isupper()


def _address_line(text: str) -> bool:
    """An address rather than a name: a street word in a line without a number counts only at
    its start or end ("Rue de la Paix", "Mill Lane"), so "Harbor Lane Bakery" stays a name."""
    if not address_like(text):
        return False
    if re.search(r"\d", text) or POSTCODE.search(text) or COUNTRY.fullmatch(text.strip()):
        return True
    words = text.split()  # "Dr. Anna Weber", "St. Mary's Clinic": titles, not streets
    first = len(words[0].strip(".,")) > 2 and STREET.search(words[0])
    return bool(first or STREET.search(words[-1]))


@lru_cache(maxsize=4096)
def _customer_label(text: str) -> bool:
    return CUSTOMER_BLOCK.search(text) is not None


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
    if _attention_below(lines, position):
        return [True, *([False] * (len(line.cells) - 1))]

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
    if _attention_below(lines, position):
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


_ATTENTION = re.compile(r"^\s*(?:attn\.?|attention|z\.\s?hd\.?|t\.a\.v\.?|c/o)(?:\s|:|$)", re.I)


def _attention_below(lines: Sequence[PLine], position: int) -> bool:
    """Whether the line's first cell names the addressee by the "Attn: Purchasing Dept." line
    under it (a company addressed for someone's attention is the customer, not the issuer)."""
    below = lines[position + 1] if position + 1 < len(lines) else None
    return (
        below is not None
        and below.page == lines[position].page
        and _ATTENTION.match(below.cells[0]) is not None
    )


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
        self.ocr = layout.ocr
        self._legal: list[str] | None = None  # company names with a legal form, on first use
        self._lines = layout.lines
        self.ordering = False  # a purchase order (its seller labels name the addressee)
        self.addressed_seller = False  # ... and the issuer (its buyer) is wanted

    def legal_spelling(self, wordmark: str) -> str | None:
        """The legal name a misread wordmark stands for: a company name printed in the
        document that starts nearly, but not exactly, as the wordmark does."""
        if self._legal is None:
            self._legal = [name for line in self._lines for name in _companies(line.text)]
        squashed = re.sub(r"[\W_]+", "", wordmark.lower())
        if len(squashed) < 4:
            return None
        for name in self._legal:
            full = re.sub(r"[\W_]+", "", name.lower())
            if full.startswith(squashed):
                return None  # the brand is the legal name's first words: it stands as read
            head = full[: len(squashed) + 1]
            if difflib.SequenceMatcher(None, squashed, head).ratio() >= 0.75:
                return name
        return None

    def find_letterhead(self, lines: Sequence[PLine]) -> None:
        """Where the first name printed over its address is, at the top of the first page."""
        for position, line in enumerate(lines[:HEAD]):
            if line.page != lines[0].page:
                break
            if _in_customer_block(lines, position):
                continue
            if name_like(_after_title(line)) and address_block(lines, position + 1):
                self.first_block = position
                return

    def at_till(self, lines: Sequence[PLine], line: PLine, name: str, label: str) -> bool:
        """Whether a seller label's name is the person who served ("Verkäufer: Anna",
        "Vendeur : Paul"): a bare seller noun (not "Sold by") before one or two words with no
        legal form, below a letterhead that names the shop over its address."""
        if _SOLD_BY.search(label) or LEGAL_END.search(name) or len(name.split()) > 2:
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
        name = clean_name(name)
        if len(name) < 2 or not re.search(r"[A-Za-z]", name.split()[0]):
            return
        base = re.sub(LEGAL_END, "", name).strip(" ,") or name
        # whole words only: a short name ("Sta", a cut wordmark) is no repeat inside "Stackly"
        repeats = len(re.findall(rf"(?<!\w){re.escape(base.lower())}(?!\w)", self.lowered))
        score += 0.6 * min(3, repeats - 1)
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
    names.ordering = purchase_order(lines)
    purchase = wants_seller and names.ordering
    # the issuer of a purchase order is the buyer: its supplier label names the addressee
    names.addressed_seller = names.ordering and not wants_seller
    weight = 5.0 if purchase else 3.0
    for pair in layout.pairs:
        if names.addressed_seller and _seller_label(pair.key):
            continue
        if _seller_key(pair.key, purchase) and name_like(_first_part(pair.value)):
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
PURCHASE_ORDER = re.compile(
    r"\s*(?:purchase\s+order|bestellung|bestellschein|inkooporder|bestelbon|bon\s+de\s+commande|"
    r"orden\s+de\s+compra|pedido\s+de\s+compra|ordine\s+d'acquisto|zamówienie)\s*",
    re.IGNORECASE,
)
# The title with its number beside it, upper-case ("PURCHASE ORDER #4711", "BESTELLUNG Nr.
# 4711"): a mixed-case "Purchase Order No. 4500012345" is an invoice's reference to it.
_PO_NUMBERED = re.compile(
    PURCHASE_ORDER.pattern + r"(?:no\.?|nr\.?|n[°º]|#)\s*[:.]?\s*[\w/-]*\d[\w/-]*\s*",
    re.IGNORECASE,
)


def purchase_order(lines: Sequence[PLine]) -> bool:
    """Whether the document is a purchase order: its title alone on a line (or in a line's
    first cell, beside a page number or its date), or upper-case with its number, among the
    first lines."""
    for line in lines[:HEAD]:
        first = PURCHASE_ORDER.fullmatch(line.cells[0]) and not is_label(line.cells[-1])
        if PURCHASE_ORDER.fullmatch(line.text) or first:
            return True
        title = re.match(PURCHASE_ORDER.pattern, line.text, re.IGNORECASE)
        if title and title.group().isupper() and _PO_NUMBERED.fullmatch(line.text):
            return True
    return False


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
            if _seller_key(key, purchase) and name_like(value):
                found.append((below, key, value))
    return found


def _seller_weight(name: str, label: str) -> float:
    """A seller label's name outweighs a letterhead (a marketplace's is the platform's): a
    company's, or any after "Sold by"; a person's after a bare "Verkäufer", "Vendeur" or
    "Seller" is more likely the one at a shop's till, and weighs as any issuer label's."""
    if LEGAL_END.search(name):
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


def _joined_name(cells: Sequence[str], index: int, name: str) -> str:
    """``name`` found at the start of cell ``index``, with the one or two capitalised words of
    the cell before it when the reading split a right-aligned name beside the document's title
    at a gutter ("TAX INVOICE | Eucalypt | Landscaping Pty. Ltd."); a label, a title or a
    number before it stays apart."""
    prev = cells[index - 1].strip() if index >= 2 else ""
    words = prev.split()
    if not prev or not cells[index].startswith(name) or not 1 <= len(words) <= 2:
        return name
    if not DOC_TYPE.fullmatch(cells[index - 2].strip()):
        return name  # only after the title: "Empleador | Suministros Romero S.A." is a label
    if not all(w[:1].isupper() for w in words) or re.search(r"[\d:@/]", prev):
        return name
    if DOC_TYPE.match(prev) or set(content_stems(prev)) & LABEL_STEMS or _customer_label(prev):
        return name
    return name if _ISSUER_LABEL.search(prev) else f"{prev} {name}"


def _line_names(lines: Sequence[PLine], position: int, names: _Names) -> None:
    """Names a line offers: companies with a legal form, the name over a legal notice, and
    the letterhead's lines."""
    line = lines[position]
    addressee = _seller_label if names.addressed_seller else None
    cells = _customer_cells(lines, position, addressee)
    customer = any(cells)
    rank = names.rank(line, position)
    head = line.page == lines[0].page and rank < HEAD
    # a line of several cells holds side-by-side blocks (the issuer's beside the addressee's):
    # its companies are read cell by cell, each in its own column's block
    found = [
        (_joined_name(line.cells, i, n), c)
        for i, (cell, c) in enumerate(zip(line.cells, cells, strict=True))
        for n in _companies(cell)
    ]
    if len(line.cells) == 1 or not found:
        found = [(name, customer) for name in _companies(line.text)]
    companies = [name for name, _ in found]
    payee = any(_PAYEE_TEXT.search(x.text) for x in lines[max(0, position - 1) : position + 1])
    # a second name-and-address block under the letterhead's is the addressee's window
    window = names.first_block is not None and names.first_block < position
    window = window and head and bool(companies) and bool(address_block(lines, position + 1))
    for name, addressed in found:
        score = 2.0 + (0.5 if head else 0.0) - (2.5 if addressed else 0.0) + (1.0 if payee else 0)
        score -= 1.0 if window else 0.0
        names.offer(name, score, line, "company name with a legal form")
    if not customer:
        _behind_brand(line, names)
        _label_after(line, names)
    if _CAPITAL.search(line.text) and not companies:
        for above in reversed(lines[max(0, position - 2) : position]):
            if name_like(above.text) and len(above.cells) == 1:
                names.offer(above.text, 2.0, above, "name over a legal notice")
                break
    if not customer:
        _footer_names(lines, position, names)
    cell = _after_title(line)
    column = line.cells.index(cell) if cell in line.cells else 0
    letterhead = head and len(line.cells) <= 2 and not cells[column] and name_like(cell)
    if letterhead and not _ISSUER_LABEL.match(cell) and not _CARRIER.match(cell):
        _offer_letterhead(lines, position, rank, cell, names)
    if position + 1 < len(lines):
        _under_issuer_label(line, lines[position + 1], names)


def _sender_line(lines: Sequence[PLine], position: int) -> str | None:
    """The sender's name of a one-line name and address printed just over the window's
    addressee, its name and address block (DIN 5008: "Müller Elektrotechnik · Hauptstr. 5 ·
    80331 München", or with commas, over "Schneider Bau GmbH" / "Lindenweg 3" / "70173
    Stuttgart")."""
    line = lines[position]
    if len(line.cells) != 1 or position + 1 >= len(lines) or lines[position + 1].page != line.page:
        return None
    parts = _PART_SEP.split(line.text)
    if len(parts) < 2:
        parts = re.split(r",\s+", line.text)
        if len(parts) < 3 or not POSTCODE.search(parts[-1]):
            return None
    if not _named_address(parts):
        return None
    below = lines[position + 1].cells[0]
    if _ADDRESSEE_TITLE.fullmatch(below) and position + 2 < len(lines):
        position, below = position + 1, lines[position + 2].cells[0]  # "Herrn" / "Max Weber"
    return parts[0] if name_like(below) and address_block(lines, position + 2) else None


_ADDRESSEE_TITLE = re.compile(
    r"(?:herrn?|frau|firma|mr\.?|mrs\.?|ms\.?|monsieur|madame|messrs\.?)\s*", re.IGNORECASE
)


def _side_by_side(lines: Sequence[PLine], position: int) -> int:
    """Whether another name over its address is printed level with this line's block, to its
    right (+1: this block is the left one, an addressee's window beside the issuer's block)
    or to its left (-1: this is the right-hand block, the issuer's); 0 when none is (or the
    lines have no boxes)."""
    box = lines[position].box
    if box is None:
        return 0
    for other_position, other in enumerate(lines[:HEAD]):
        if other_position == position or other.box is None or other.page != lines[position].page:
            continue
        level = abs(other.box.y - box.y) <= 1.5 * max(box.h, other.box.h)
        if not level or abs(other.box.x - box.x) < 150:
            continue
        if name_like(_after_title(other)) and address_block(lines, other_position + 1):
            return 1 if other.box.x > box.x else -1
    return 0


def _label_after(line: PLine, names: _Names) -> None:
    """A seller label read after its value (OCR took the label column after the value
    column: "Lange Gartenbau OG Herrengasse 194: Verkauft von:"): the company before it."""
    if names.ordering:
        return
    for cell in line.cells:
        label = _LABEL_AT_END.search(cell)
        if label is None or not _SOLD_BY.search(label.group()):
            continue
        companies = _companies(cell[: label.start()])
        if companies:
            why = f'before the label "{label.group().strip(" :")}"'
            names.offer(companies[0], _seller_weight(companies[0], label.group()), line, why)


_LABEL_AT_END = re.compile(_SELLER_LABEL.pattern + r"\s*:\s*$", re.IGNORECASE)


def _behind_brand(line: PLine, names: _Names) -> None:
    """The legal entity small print names behind a brand ("... is a trading name of X")."""
    behind = _BEHIND_BRAND.search(line.text)
    if behind is None:
        return
    rest = behind["rest"]
    named = _companies(rest) or [_first_part(rest).strip().rstrip(".")]
    if name_like(named[0]):
        names.offer(named[0], 4.0, line, "the legal name behind the brand")


def _under_issuer_label(line: PLine, below: PLine, names: _Names) -> None:
    """The name under an issuer label alone on its line ("Datos del emisor", "Sold by:"; a
    colon only at the label's end); a seller label counts most, except on a purchase order."""
    label = line.cells[0].rstrip(" :") if line.cells[0].count(":") <= 1 else ""
    if ":" in label or not _issuer_key(label):
        return
    seller = _seller_label(label)
    if (names.addressed_seller and seller) or not name_like(below.cells[0]):
        return
    strong = _seller_weight(below.cells[0], label) if seller and not names.ordering else 3.0
    names.offer(below.cells[0], strong, below, f'under the label "{label}"')


def _footer_names(lines: Sequence[PLine], position: int, names: _Names) -> None:
    """Names printed anywhere: the payee of a cheque line, a sender's line over the address
    window, and a part of a line (a footer's "Bright Spark Electrical · 0117 ...") that is
    the web or e-mail domain spelled out."""
    line = lines[position]
    sender = _sender_line(lines, position)
    if sender:
        names.offer(sender, 3.5, line, "sender line over the address window")
    payee = _PAYEE_NAME.search(line.text)
    if payee:
        name = _first_part(payee["rest"]).strip().rstrip(".")
        if name_like(name):
            names.offer(name, 3.0, line, "named as the payee")
    parts = _PART_SEP.split(line.text)
    if _named_address(parts):
        names.offer(parts[0], 2.0, line, "name beside its address")  # a footer or sender line
    if not names.squashed_domains:
        return
    for part in _PART_SEP.split(line.text):
        base = re.sub(LEGAL_END, "", part).lower()
        squashed = re.sub(r"[\W_]+", "", base)
        if len(squashed) >= 6 and squashed in names.squashed_domains and _domain_name(part):
            names.offer(part, 2.5, line, "name spelled as the web or e-mail domain")


def _named_address(parts: Sequence[str]) -> bool:
    """A name (no digits, no label) followed by its address or contact in the parts of one
    line ("Jane Doe Photography · jane@janedoe.photo")."""
    if len(parts) < 2 or re.search(r"[\d:]", parts[0]) or not name_like(parts[0]):
        return False
    return any(address_like(part) or CONTACT.search(part) for part in parts[1:])


def _domain_name(part: str) -> bool:
    """A name spelled as a domain: name-like, or a short lower-case wordmark ("studio nord")."""
    if name_like(part):
        return True
    words = part.split()
    return 1 <= len(words) <= 4 and not re.search(r"\d", part) and not CONTACT.search(part)


_FUNCTION_WORD = re.compile(
    r"(?:for|to|of|the|per|pour|für|voor|para|à|a|an|aan|no|nr|n°|number|date)\b", re.IGNORECASE
)


_NOT_A_SHOP = LABEL_STEMS | frozenset(
    content_stems("check table guest ticket order receipt invoice bill transaction terminal")
)
# A shop's number after its name ("CHEVRON #4521", "Starbucks Store #12345").
_STORE_NUMBER = re.compile(r"\s+(?:(?:store|station|shop|branch|filiale)\s*)?#\s?\d+\s*$", re.I)


def _after_title(line: PLine) -> str:
    """The line's first cell, or the name printed after the document's title on the same line
    ("INVOICE | Fjordlight Studio", "INVOICE Fjordlight Studio")."""
    cell = line.cells[0]
    shop = _STORE_NUMBER.sub("", cell)
    if shop != cell and shop and not set(content_stems(shop)) & _NOT_A_SHOP:
        cell = shop  # "CHEVRON #4521", not "Check #33822"
    if _ISSUER_LABEL.match(cell) and ":" in cell:
        return ""  # "Van: Bakkerij Smit" is a labelled name, read from its pair
    parts = _PART_SEP.split(cell)
    if _named_address(parts):
        return parts[0]  # "Müller Elektrotechnik · Hauptstr. 5 · 80331 München"
    match = DOC_TYPE.match(cell)
    if match is None:
        titled = _TITLE_AFTER.search(cell)
        return cell[: titled.start()] if titled and titled.start() > 0 else cell
    if match.end() == len(cell.rstrip()) and len(line.cells) > 1:
        return line.cells[1]
    rest = re.sub(r"^(?:from|von|van|de)\s+", "", cell[match.end() :].strip(), flags=re.I)
    if _FUNCTION_WORD.match(rest):
        return cell  # "ORIGINAL FOR RECIPIENT", "Invoice to ...": not a name
    return rest if len(rest.split()) >= 2 and rest[:1].isupper() else cell


def _offer_letterhead(
    lines: Sequence[PLine], position: int, rank: int, cell: str, names: _Names
) -> None:
    """Offer a letterhead line. On a page read by OCR, a large wordmark is often misread: a
    line that does not look like a name ("paper OX") is passed over, and one that is a near
    miss of the legal name the page prints elsewhere ("Papertox" beside "Paperfox Design
    Limited") is offered spelled as that name."""
    score = _letterhead_score(lines, position, rank, names)
    line = lines[position]
    if names.ocr:
        if _misread(cell):
            return
        legal = names.legal_spelling(cell)
        if legal is not None:
            names.offer(legal, score + 0.1, line, "letterhead, spelled as the legal name")
            return
    names.offer(cell, score, line, "letterhead")


def _misread(text: str) -> bool:
    """A line OCR made of a wordmark, not a name: a lower-case word (not a particle such as
    "de" or "van") beside a short upper-case one ("paper OX"), or a word whose case flips
    inside it ("PaPerfOX")."""
    words = [w for w in re.findall(r"[^\W\d_]+", text)]
    lower = any(w.islower() and not re.fullmatch(_PARTICLE, w) for w in words)
    short_caps = any(w.isupper() and len(w) <= 3 for w in words)
    flips = any(len(re.findall(r"[a-z][A-Z]", w)) > 1 for w in words)
    return (lower and short_caps) or flips


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
    if address_block(lines, position + 1) or (beside and address_like(beside[0])):  # its address
        score += 0.5
        # two name-and-address blocks side by side: the issuer's on the right, the window's
        # (the addressee's) on the left
        score += {1: -1.2, -1: 0.3}.get(_side_by_side(lines, position), 0.0)
    elif address_block(lines, position + 2):  # under a tagline
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
