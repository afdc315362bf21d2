"""What a postal address looks like in a document's printed lines: street words, postcodes,
countries, and the block of lines under a name (passing over registration numbers, a slogan or
a phone line). Shared by the issuer recogniser (a letterhead is a name over its address) and
the address recogniser, so both read an address the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reams.processors.extract.layout import PLine
from reams.processors.extract.text import content_stems

__all__ = [
    "CONTACT",
    "COUNTRY",
    "CUSTOMER_BLOCK",
    "LABEL_STEMS",
    "PHONE",
    "POSTCODE",
    "ROLE",
    "STREET",
    "address_block",
    "address_like",
]

# Labels of the party a document is addressed to (its block is not the issuer's).
CUSTOMER_BLOCK = re.compile(
    r"\b(?:bill(?:ed)?[\s-]+to|ship(?:ped)?[\s-]+to|sold[\s-]+to|deliver(?:y|ed)?\s+to|attn|"
    r"(?<!for\s)(?:consignee|recipient|receiver)|delivery\s+address|deliver\s+at|acheteur|käufer|koper|"
    r"comprador|kupujący|odbiorca|geadresseerde|bestemmeling|afnemer|leveringsadres|"
    r"lieferanschrift|rechnungsanschrift|envoyer\s+à|expédier\s+à|adresse\s+de\s+facturation|"
    r"direcci[óo]n\s+de\s+(?:entrega|env[íi]o|facturaci[óo]n)|enviar\s+a|entregar\s+en|"
    r"consegnare\s+a|spedire\s+a|indirizzo\s+di\s+(?:consegna|spedizione|fatturazione)|"
    r"customer|client|buyer|invoice\s+to|facturer\s+à|factuuradres|afleveradres|"
    r"rechnungsadresse|lieferadresse|nabywca|guest|patient|insured|t\.a\.v\.?|"
    r"shipping\s+address|billing\s+address|adresse\s+de\s+livraison|herrn?|frau|spett\.?le|monsieur|madame|"
    r"\w*empfänger|leveren\s+aan|livrer\s+à|livré\s+à|entregar\s+a|lieferung\s+an|destinatario|destinataire|kunde|kunden|klant|cliente|"
    r"factur[ée]\s+à|factuur\s+aan|rechnung\s+an|facturar\s+a|fatturare\s+a|auftraggeber|"
    r"intestatario|attention|ontvanger|besteller|committente|cessionario|adquirente)\b"
    r"|^\s*(?:to|an|aan|à|para)\s*(?::|$)",  # "To:" opening a line, or alone in its cell
    re.IGNORECASE,
)
CONTACT = re.compile(
    r"@|https?:|www\.|\.(?:com|net|org|de|fr|nl|co|in|io)\b|\b(?:tel|phone|fax|e-?mail|"
    r"telefoon|téléphone|telefon)\b|\(\d{2,4}\)\s*\d|\+\d",
    re.IGNORECASE,
)
# (OCR reads "Straße" as "StraBe" or "Strae")
STREET = re.compile(
    r"\b(?:st|street|str|straße|strasse|ave|avenue|blvd|boulevard|road|rd|lane|ln|drive|dr|"
    r"way|court|ct|place|pl|square|sq|highway|hwy|suite|ste|floor|building|bldg|rue|"
    r"chemin|allée|place|avenida|avda|calle|carrera|paseo|plaza|camino|ronda|travesía|"
    r"via|viale|piazza|straat|laan|weg|plein|"
    r"gracht|kade|dijk|steeg|gasse|platz|allee|ring|jalan|lorong|taman|box|p\.?o\.?)\b"
    r"|\w(?:stra(?:ß|ss|B)?e|str\.|straat|weg|laan|gasse|platz|plein|allee|damm)(?!\w)"
    r"|\w(?:gatan|gata|vägen|väg|gade|vej|veien|vei|gränd|torget)\s+\d"  # Storgatan 1
    r"|(?<!\w)c/\s?(?!o\b)\w"  # Spanish "C/ Mayor" (calle), not "c/o"
    r"|\b(?:ctra\.?|carretera|RN\s?\d{1,4}|RD\s?\d{1,4}|N-\d{2,3})(?!\w)",  # roads: "RN 7"
    re.IGNORECASE,
)
POSTCODE = re.compile(
    r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"  # US: CA 94103
    r"|\b\d{4}\s?[A-Z]{2}\b"  # NL: 3012 CN
    r"|\b(?:[A-Z]-)?\d{5}\s+[A-ZÀ-Ý][\w'’-]+"  # DE/FR/ES/IT/MY: 69100 Villeurbanne
    r"|\b\d{2}-\d{3}\s+[A-ZŁŚŻ]"  # PL: 09-411 Płock
    r"|\b\d{3}\s\d{2}\s+[A-ZÅÄÖÉŠČŘŽ][a-zåäöéšěčřžý]+"  # SE/CZ/SK/GR: 111 22 Stockholm
    r"|\b(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s+\d{4}\b"  # AU: Sydney NSW 2000
    r"|\b[A-Z]\d[A-Z]\s\d[A-Z]\d\b"  # CA: M5H 2M9
    r"|\b\d{4}-\d{3}\s+[A-ZÀ-Ý]"  # PT: 1250-146 Lisboa
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b"  # UK: SW1A 1AA
    r"|\b\d{3}\s?\d{3}\b"  # IN: 560067
    # BE/CH/AT/DK: "1000 Bruxelles", ", 8001 Zürich" (opening a line or a part, ending one)
    r"|(?:^|(?<=,\s)|(?<=[·|]\s))\s*[1-9]\d{3}\s+(?![^,]*(?i:" + STREET.pattern + r"))"
    r"[A-ZÀ-Ý][a-zà-ÿ'’]+(?:[\s-][A-ZÀ-Ý]?[a-zà-ÿ'’]+)?\s*(?:,|$)"
)
COUNTRY = re.compile(
    r"\b(?:united states|usa|u\.s\.a\.|united kingdom|uk|england|france|germany|deutschland|"
    r"nederland|netherlands|belgium|belgique|españa|spain|italia|italy|polska|poland|"
    r"malaysia|singapore|india|canada|australia|ireland|schweiz|suisse|switzerland|"
    r"österreich|austria|hong kong)\b",
    re.IGNORECASE,
)
LABEL_STEMS = frozenset(
    content_stems(
        "date time total number page amount description item quantity price customer address "
        "phone email summary detail details note notes terms payment balance due tax subtotal "
        "signature name reference code order purchase invoice receipt header footer"
    )
)
ROLE = re.compile(
    r"\b(?:manager|cashier|server|served\s+by|operator|clerk|host|table(?=\s*[#:]?\s*\d)|guest|"
    r"staff|"
    r"salesperson|sales\s+person|welcome|thank|member)\b",
    re.IGNORECASE,
)


def address_like(text: str) -> bool:
    if _UNIT.fullmatch(text.strip()):
        return True  # a Singapore unit number on its own line: "#01-7229"
    if CONTACT.search(text) or len(text) > 90 or re.search(r"[A-Z]{1,3}#", text):
        return False
    return bool(STREET.search(text) or POSTCODE.search(text) or COUNTRY.fullmatch(text.strip()))


_UNIT = re.compile(r"#\d{1,3}-\d{1,5}[A-Z]?,?")


def address_block(lines: Sequence[PLine], start: int, *, subtitle: bool = False) -> list[str]:
    """The address lines from ``start``: registration numbers under a name are passed over,
    then street, postcode and city lines, and a last short line (state, country). With
    ``subtitle``, also one short line between a shop's name and its address (its owner or
    branch: "M. Dupont, Pharmacien", "Filiale 4521", "Extra")."""
    block: list[str] = []
    skipped = 0
    window = lines[start : start + 8]
    for position, line in enumerate(window):
        cell = re.sub(
            r"^(?i:address|adres|adresse|anschrift|dirección|indirizzo)\s*:\s*", "", line.cells[0]
        )
        if not block and skipped < 3 and _preamble(cell):
            skipped += 1
            continue
        after = [x.cells[0] for x in window[position + 1 : position + 3]]
        if subtitle and not block and skipped < 2 and _subtitle(cell, after):
            skipped += 1
            continue
        ended = bool(block) and bool(POSTCODE.search(block[-1]) or COUNTRY.search(block[-1]))
        if ended and len(block) == 1 and not STREET.search(block[-1]) and POSTCODE.search(cell):
            # "1200 Broadway" over "New York, NY 10001": a house number, not a postcode
            ended = not _HOUSE.fullmatch(block[-1]) or bool(COUNTRY.search(block[-1]))
        # a street without a street word ("Markt 12", "Corso Buenos Aires 33", "172 bd
        # Saint-Germain") over its postcode-and-city line
        house = _house(cell) and bool(after) and bool(POSTCODE.search(after[0]))
        if (address_like(cell) or house) and len(block) < 6 and not ended:
            if house and not address_like(cell) and CONTACT.search(cell):
                break
            block.append(cell)
            continue
        if block and POSTCODE.search(block[-1]) and _region_like(cell):
            block.append(cell)
        break
    return block if any(POSTCODE.search(b) or STREET.search(b) for b in block) else []


# A line of a house number and a few words, either way round ("Markt 12", "12, rue X").
_HOUSE = re.compile(
    r"\d{1,5}[a-zA-Z]?,?\s+[^\d\s][^\d]{1,40}|"
    r"[^\d\s][^\d]{1,40}\s\d{1,5}[a-zA-Z]?(?:\s?[-/]\s?\d{1,4}[a-zA-Z]?)?|"
    r"[^\d\s][^\d]{1,20}\s\d{1,5}[a-zA-Z]?,\s+[^\d\s][^\d]{1,40}"  # "Unit 3, Riverside Park"
)


def _subtitle(text: str, after: Sequence[str]) -> bool:
    """A short line that is no address over a street line (or over another such line and
    then a street line): a shop's owner, branch or station line."""
    if address_like(text) or len(text.split()) > 6 or len(text) > 50 or CONTACT.search(text):
        return False
    for line in after:
        if STREET.search(line) or _house(line):
            return True
        if address_like(line) or len(line.split()) > 6:
            return False
    return False


def _house(text: str) -> bool:
    """A street line without a street word: a few words and a house number, no label words,
    codes, legal forms or contact details."""
    if _HOUSE.fullmatch(text) is None or re.search(r"[:#@]|\d{5}", text):
        return False
    return not set(content_stems(text)) & LABEL_STEMS and not _LEGAL_WORD.search(text)


_LEGAL_WORD = re.compile(
    r"\b(?:ltd|limited|gmbh|inc|llc|plc|corp|co|bv|nv|sa|sas|sarl|srl|spa|sl|ag|kg|oy|ab|as|"
    r"pty|pte|pvt|bhd|kk)\b\.?",
    re.IGNORECASE,
)
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
        or CONTACT.search(text)
        or PHONE.search(text)
        or ROLE.search(text)
        or (text.rstrip().endswith((".", "!")) and not re.search(r"\d", text))
    )


PHONE = re.compile(r"\(?\s*\d{2,4}\s*\)?\s*\d{3}\s*[-.\s]\s*\d{4}\b")


def _region_like(text: str) -> bool:
    """A state or country line: one to three words, no digits, no contact, not a label."""
    words = text.strip(" .,").split()
    if not 1 <= len(words) <= 3 or re.search(r"\d|:", text) or CONTACT.search(text):
        return False
    return not CUSTOMER_BLOCK.search(text) and not set(content_stems(text)) & LABEL_STEMS
