"""Recognisers for the fields everyday documents have: who issued them (``issuer.py``), their
address, their number, date, total and currency. They read the printed lines (``layout.py``)
rather than the parse items, so a receipt's lines stay lines, and they are chosen by the field's
meaning, not by a document type: a purchase order's "seller", a payslip's "company" and an
invoice's "vendor" all go to :func:`issuer`.

Each recogniser returns candidates best first; the engine takes the first.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from reams.processors.extract.country import specific_currency
from reams.processors.extract.dates import find_dates
from reams.processors.extract.issuer import (
    DOC_TYPE,
    HEAD,
    clean_name,
    issuer,
    name_like,
    purchase_order,
)
from reams.processors.extract.labels import label_score, not_a_number
from reams.processors.extract.layout import Layout, PLine, is_label
from reams.processors.extract.model import Candidate
from reams.processors.extract.numbers import FoundAmount, currency_codes, find_amounts
from reams.processors.extract.postal import (
    CUSTOMER_BLOCK,
    POSTCODE,
    address_block,
    address_like,
)
from reams.processors.extract.text import FieldTerms, Pair, content_stems, tokens

__all__ = [
    "ISSUER_WORDS",
    "Layout",
    "address",
    "addressee",
    "customer",
    "day_first",
    "document_date",
    "identifier",
    "issuer",
    "person_name",
    "total",
    "wants_customer",
    "wants_issuer",
    "wants_person",
    "wants_person_name",
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
        "MXN",
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
    # "$" is also Australia's and Mexico's: the sign's currency made specific first, from the
    # first page's worth of text (where a bill names its country; a contract's 20,000
    # characters cost 15 ms).
    code = specific_currency(codes[0], text[:4000], language) if codes else None
    votes = 0
    votes += 2 if code in _DAY_FIRST_CODES else 0
    votes -= 2 if code == "USD" else 0
    votes += len(_DAY_FIRST_PLACES.findall(text[:20000]))
    votes += 2 if len(set(_CONTINENTAL.findall(text[:20000].lower()))) >= 3 else 0
    votes -= 2 * len(_US_PLACE.findall(text[:20000]))
    votes -= 2 if re.search(r"\b(?:Inc|LLC)\b\.?", text) else 0
    return votes > 0


# ---------------------------------------------------------------------------- address


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
            block = address_block(lines, position + 1, subtitle=True)
            if block:
                found.append(_address_candidate(block, lines[position], "address under the issuer"))
                break
    for pair in layout.pairs:
        key = pair.key.strip(" :")
        if "addre" in content_stems(key) and not CUSTOMER_BLOCK.search(key):
            line = next((x for x in lines if x.index == pair.order), None)
            if line is not None and address_like(pair.value):
                found.append(_address_candidate([pair.value], line, f'label "{key}"'))
    return found


def _addressee_blocks(layout: Layout, terms: FieldTerms) -> list[Candidate]:
    """Address blocks under the label the field names ("Billing address", "Ship to")."""
    lines = layout.lines
    found = []
    for position, line in enumerate(lines):
        if CUSTOMER_BLOCK.search(line.cells[0]) and label_score(terms, line.cells[0]) > 0:
            start = position + 1
            if start < len(lines) and name_like(lines[start].cells[0]):
                start += 1  # the addressee's name
            block = address_block(lines, start)
            if block:
                found.append(_address_candidate(block, line, "address under its label"))
    return found


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
    r"total\s+paid|total\s+sales|nett?\s+total|total\s+\(incl|totale\s+documento|"
    r"totale\s+da\s+pagare|att\s+betala|at\s+betale|å\s+betale|i\s+alt|totalt?\s+inkl)",
    re.IGNORECASE,
)
# What a credit note credits ("Total credit", "Gutschriftsbetrag", "Montant de l'avoir"): its
# total, though a receipt's "credit" line is not.
_CREDITED = re.compile(
    r"\b(?:total\s+credit|credit\s+total|amount\s+credited|gutschriftsbetrag|"
    r"summe\s+gutschrift|montant\s+de\s+l'avoir|total\s+avoir|totaal\s+creditnota|"
    r"te\s+crediteren|total\s+abono|total\s+a\s+devolver)\b",
    re.IGNORECASE,
)
_TOTAL_WORD = re.compile(
    r"\b(?:total|totals|totaal|totale|totaal|summe|gesamt|razem|ogółem|sum|amount|montant|"
    r"bedrag|betrag|importe|balance|brutto|bruttobetrag|\w+wert\s+brutto|summa|totalt|"
    r"belopp|beløb|beløp)\b",
    re.IGNORECASE,
)
_PRE_TAX = re.compile(
    r"\b(?:sub\s*-?\s*total|subtotaal|sous[\s-]total|zwischensumme|ht|h\.t\.|excl\w*|"
    r"exclusief|excluding|hors\s+taxes?|ohne|netto|net(?!\s+à)|before\s+tax|pre-?tax|"
    r"untaxed|grondslag|base|exkl\w*|ekskl\w*|imponibile|uden\s+moms|utan\s+moms)\b",
    re.IGNORECASE,
)
_SUBTOTAL = re.compile(
    r"\b(?:sub\s*-?\s*total|subtotaal|sous[\s-]total|zwischensumme)\b", re.IGNORECASE
)
_EXPLICIT_NET = re.compile(
    r"\b(?:ht|h\.t\.|excl\w*|exclusief|excluding|hors\s+taxes?|ohne|netto|before\s+tax|"
    r"pre-?tax|untaxed|exkl\w*|ekskl\w*|imponibile)\b",
    re.IGNORECASE,
)
_INCLUDING = re.compile(
    r"\b(?:incl\w*|inkl\w*|inclusive|inclusief|ttc|brutto|gross|grand|due|payable|à\s+payer|"
    r"net\s+à)\b",
    re.IGNORECASE,
)
_TAX = re.compile(r"\b(?:tax|vat|btw|tva|mwst|ust|iva|gst|sst|hst|pst|moms|mva)\b", re.IGNORECASE)
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
_TIP = re.compile(r"\b(?:tip|gratuity|pourboire|trinkgeld|propina|fooi|mancia)\b", re.IGNORECASE)
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
    if net and wanted & _PAYOUT_WORDS:
        return _payout(layout)
    found: list[_Money] = []
    net_amounts: list[float] = []
    taxes: list[float] = []
    grosses: list[float] = []
    found_amounts = _amounts(layout.lines)
    # the total printed just after a rounding adjustment is the one paid
    rounded = [line.index for line, label, _ in found_amounts if _ROUNDING.search(label)]
    # and so is the total printed just after a tip added on the card slip ("Tip: | 20.30")
    rounded += [
        line.index for line, label, amount in found_amounts if _TIP.search(label) and amount.value
    ]
    for line, label, amount in found_amounts:
        kind = _total_kind(label)
        if kind in ("net", "sub"):
            net_amounts.append(amount.value)
        elif kind == "tax":
            taxes.append(amount.value)
        elif kind in ("strong", "total"):
            grosses.append(amount.value)
        score = _total_score(kind, net, amount.has_currency or amount.has_decimals)
        if score > 0 and amount.value:  # a balance of 0.00 is what is left, not a total
            found.append(_Money(amount.value, score, line, label))
    ranked: list[tuple[float, float, _Money]] = []
    forms = _repeated_form(layout.lines)
    for money in found:
        score = money.score + _confirmed(money, net, net_amounts, taxes, grosses, rounded)
        ranked.append((score, money.value, money))
    # ties go to the larger amount; in a form repeated page after page, to the first form's
    ranked.sort(key=lambda t: (-t[0], t[2].line.page if forms else 0, -t[1]))
    out = []
    for score, _, money in ranked[:3]:
        reasoning = f'amount labelled "{money.label.strip()}" on page {money.line.page}'
        confidence = min(0.9, 0.35 + score / 6)
        out.append(Candidate(money.value, money.line.page, money.line.text, confidence, reasoning))
    return out


# A field asking for the net pay of a payslip ("net pay", "the net amount paid to the
# employee, after deductions"): the amount paid out, not an invoice's pre-tax total.
_PAYOUT_WORDS = frozenset(content_stems("pay paid salary wage wages earnings deduction payslip"))
# Labels of the amount paid out, in the common European languages.
_PAYOUT = re.compile(
    r"\b(?:net\s*pay|net\s+(?:salary|wages?|earnings|amount|payment)|take[\s-]home|"
    r"net\s+(?:[àa]\s+payer|pay[ée]|vers[ée])|auszahlung\w*|überweisung\w*|"
    r"netto[\s-]?(?:lohn|gehalt|verdienst|entgelt|bezüge|betrag|auszahlung|loon|salaris)|"
    r"netto\s+(?:uit\s+te\s+betalen|"
    r"te\s+betalen|in\s+busta|a\s+pagare|da\s+pagare|del\s+mese)|uit\s+te\s+betalen|"
    r"l[íi]quido\s+(?:a\s+percibir|total|a\s+pagar)|neto\s+a\s+(?:pagar|percibir)|"
    r"(?:salario|sueldo|salaire)\s+net[oa]?|wynagrodzenie\s+netto|do\s+wypłaty|"
    r"(?:total|importe)\s+a\s+percibir|importe\s+l[íi]quido|net\s+to\s+bank|"
    r"amount\s+transferred|virement|nettobezug|total\w*\s+nett?[oa]?\b)",
    re.IGNORECASE,
)
_GROSS = re.compile(
    r"\b(?:gross|brut|brutto\w*|bruto|devengado|\w*brutto|lordo|year[\s-]to[\s-]date|ytd|"
    r"cumul\w*|jahres\w*|acumulado|cumulatief|progressivo)\b",
    re.IGNORECASE,
)


def _payout(layout: Layout) -> list[Candidate]:
    """The net pay: an amount labelled as paid out ("Net pay", "Net à payer", "Auszahlungs-
    betrag", "Líquido a percibir", "Netto uit te betalen"), else one labelled net ("Netto")
    or as the amount paid or to pay; never a gross or year-to-date amount."""
    ranked: list[tuple[float, int, Candidate]] = []
    for line, label, amount in _amounts(layout.lines):
        if not amount.value or _GROSS.search(label) or _NOT_MONEY.search(label):
            continue
        if _PAYOUT.search(label):
            score = 3.0
        elif re.search(r"\b(?:net|netto|neto|nett)\b", label, re.IGNORECASE):
            score = 2.0
        elif _total_kind(label) == "strong":
            score = 1.5
        else:
            continue
        score -= 0 if amount.has_currency or amount.has_decimals else 1.0
        why = f'amount labelled "{label.strip()}" on page {line.page}'
        confidence = min(0.9, 0.35 + score / 6)
        ranked.append(
            (score, line.index, Candidate(amount.value, line.page, line.text, confidence, why))
        )
    ranked.sort(key=lambda t: (-t[0], t[1]))
    return [c for _, _, c in ranked[:3]]


def _repeated_form(lines: Sequence[PLine]) -> bool:
    """Whether the document is one form filled in again on each page (a batch of estimates
    or orders, pages opening with the first one's letterhead lines), so that a field asking
    for one value means the first form's, as the other fields read it."""
    pages: dict[int, list[str]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line.text)
    heads = [texts[:3] for texts in pages.values()]
    if len(heads) < 2 or len(heads[0]) < 3:
        return False
    return any(head == heads[0] for head in heads[1:])


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
    if _CREDITED.search(label):
        return "strong"
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
        split = _stacked_labels(label, len(amounts)) if stacked and label else None
        for number, amount in enumerate(amounts):
            before = cell[: amount.start]
            own = before if re.search(r"[A-Za-zÀ-ÿ]{2,}", before) else label
            if split is not None:
                own = split[number]
            elif stacked and label:
                own = _stacked_label(label, last=number == len(amounts) - 1)
            out.append((own, amount))
    return out


# Where a label of a summary column read into one cell can start: after a rate ("VAT 20%"),
# before a capitalised word; a capitalised word that opens summary labels (totals, taxes,
# payments) more surely; never before a tax suffix ("Total TTC", "Montant HT").
_LABEL_OPENING = re.compile(
    r"(?:sub|sous|zwischen|total|totaal|totale|gesamt|summe|net|nett|tax|vat|tva|mwst|ust|btw|"
    r"iva|gst|balance|amount|paid|payment|deposit|acompte|anzahlung|solde|saldo|restbetrag|"
    r"reste|montant|importe|bedrag|betaald|voorschot|pagado|pago|grand)",
    re.IGNORECASE,
)
_TAX_SUFFIX = re.compile(r"(?:TTC|HT|HTVA|TVAC|TVAI|incl\.?|excl\.?|inkl\.?|exkl\.?)$", re.I)


def _stacked_labels(label: str, count: int) -> list[str] | None:
    """The labels of a summary column read into one cell beside its ``count`` amounts
    ("Room charges City tax VAT 10% Total Paid by card Balance"), one per amount: the text is
    cut where labels start, the surest places first, into exactly ``count`` labels; None when
    it has fewer such places."""
    words = list(re.finditer(r"\S+", label))
    cuts: list[tuple[int, int]] = []  # (strength, word index a label starts at)
    for index in range(1, len(words)):
        word, before = words[index].group(), words[index - 1].group()
        if re.search(r"\d\s?%$", before) or (before == "%" and index > 1):
            cuts.append((3, index))
        elif _TAX_SUFFIX.match(word) or not word[:1].isupper():
            continue
        elif _LABEL_OPENING.match(word):
            cuts.append((2, index))
        else:
            cuts.append((1, index))
    if len(cuts) < count - 1:
        return None
    chosen = sorted(i for _, i in sorted(cuts, key=lambda c: (-c[0], c[1]))[: count - 1])
    bounds = [0, *(words[i].start() for i in chosen), len(label)]
    return [label[a:b].strip() for a, b in itertools.pairwise(bounds)]


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
        if _FOLIO.fullmatch(pair.key.strip(" :")) and _id_label_score(terms, "number") >= 0.5:
            score = 0.05  # last of all: a hotel's folio beside its "Beleg-Nr."
        elif score < 0.5:
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


def _spaced(text: str) -> str:
    """A label's sign or colon set apart from the code glued to it ("Nº123", "Bon-Nr.:1914")."""
    return _LABEL_COLON.sub(": ", _ID_SIGN.sub(r"\1 ", text))


_LABEL_COLON = re.compile(r"(?<=[A-Za-z.]):(?=\d)")


def _leading_codes(
    terms: FieldTerms, line: PLine, above: PLine | None
) -> list[tuple[float, int, Candidate]]:
    """A code after a label at the start of the line, no colon needed; a bare "# 1234" or
    "No. 1234" under the document's title ("INVOICE") is labelled by that title. A label
    may also start after an earlier value on the line: a PDF joins the cells of one baseline
    ("Customer No. 5521 Invoice No. 1093")."""
    # the whole line: a receipt prints "Receipt | # | 791945" in cells
    words = _spaced(line.text).split()
    title = ""
    if above is not None and len(above.cells) == 1 and DOC_TYPE.fullmatch(above.text.strip()):
        title = above.text.strip() + " "
    firsts = set(itertools.accumulate(len(_spaced(c).split()) for c in line.cells))
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
            if not title and address_like(line.text):
                continue  # "No. 61, Jalan Bukit Bintang": a number word, then an address

            label = title + label
        score = _id_label_score(terms, label)
        named = set(terms.desc_words) & DOC_WORDS
        listed = score >= 0.5 and set(content_stems(label)) <= named and len(named) > 1
        # the document's title and its number: "PURCHASE ORDER PO-5521"
        listed = listed or (score >= 0.5 and DOC_TYPE.fullmatch(label) is not None)
        if score < 0.6 and not (score >= 0.5 and _NUMBER_WORD.search(label)) and not listed:
            # a bare document word is a label only when it means the field, or is one of the
            # documents its description lists ("the receipt, order or transaction")
            continue
        code = _code(" ".join(words[size:]))
        if code:
            why = f'line starting "{label}" on page {line.page}'
            return score, Candidate(code, line.page, line.text, 0.4 + 0.4 * score, why)
    return None


_NUMBER_WORD = re.compile(r"#|no\.?|nr\.?|n[°º]|number", re.IGNORECASE)
_ID_WORD = re.compile(r"\b(?:id|ident|identifier|kenmerk)\b", re.IGNORECASE)
_REF_WORD = re.compile(r"\b(?:ref|reference|référence|referencia|riferimento)\b", re.IGNORECASE)


def _id_label_score(terms: FieldTerms, key: str) -> float:
    """How well ``key`` labels the document number the field means (see :func:`_plain_id_score`).

    A label of alternatives ("Order / Rev") labels its first value by its first part; a
    number another document's or a second one ("Alt Order #", "Original invoice no.",
    "Previous order number") weighs less than this document's own, unless the field asks
    for it."""
    score = _plain_id_score(terms, key)
    first = re.split(r"\s*/\s*", key)[0]
    if first != key and first.strip():
        score = max(score, _plain_id_score(terms, first))
    other = set(content_stems(key)) & _OTHER_NUMBER
    if other and not other & (set(content_stems(terms.phrase)) | set(terms.desc_words)):
        score -= 0.3
    return score


# Words that make a label a second number of the document, or another document's.
_OTHER_NUMBER = frozenset(
    content_stems(
        "alt alternate alternative secondary previous prior original former old legacy "
        "parent external ursprünglich ursprüngliche vorherige alte frühere ancien ancienne "
        "précédent précédente originale oorspronkelijk oorspronkelijke vorige oude anterior "
        "anteriore originale precedente"
    )
)


# A Mexican invoice's number is its "Folio" (a label alone, or after its series, with its value
# beside it), when no label names the invoice's number: a hotel's "Folio" is the stay's
# account beside its "Invoice No.", and the "Folio fiscal" is the tax authority's UUID.
_FOLIO = re.compile(r"(?:serie\s+y\s+)?folio", re.IGNORECASE)


def _plain_id_score(terms: FieldTerms, key: str) -> float:
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
    # a document word's qualifier is dropped: "Purchase order", "Sales order", "Tax invoice"
    stems = set(content_stems(key))
    stems = stems - _QUALIFIERS if len(stems) > 1 and stems - _QUALIFIERS else stems
    named = (set(content_stems(terms.phrase)) | set(terms.desc_words)) & DOC_WORDS
    if len(stems) == 1 and stems <= named:
        return 0.55
    numbered = _numbered(stems - {"numbe"}, named) if len(stems) == 2 and "numbe" in stems else 0
    if numbered:
        return max(score, numbered)
    if stems == _INVOICE_NUMBER and named & _RECEIPT:
        return max(score, 0.5)  # a till's "Rechnung Nr." / "Nº factura" numbers the receipt
    if stems - _OUR == {"refer"} and named and not _THEIR_REF.search(key):
        return max(score, 0.5)  # "Reference", "Our ref." (not "Your reference": the buyer's)
    return score


_QUALIFIERS = frozenset(content_stems("purchase sales tax proforma commercial simplified"))


def _numbered(kind: set[str], named: set[str]) -> float:
    """How well "<kind> number" labels the number of the document kinds ``named``."""
    if kind <= _THIS_DOC and named:
        return 0.7  # "Document No", "Bill No": the number of this document
    if kind <= named:
        return 0.7  # "Befund-Nr." for a "report_id": the number is its id
    if kind <= _ANY_DOC:
        return 0.5  # "Ticket No", "Folio No" number any document
    if kind <= _REPORT_KEYS and named & _REPORT:
        return 0.55  # a lab report's "Request No.", "Nº de petición"
    return 0.0


# Words that name the document itself, whatever its kind: its number is the one a field asking
# for an invoice's (or an order's...) number means, before a folio's or a ticket's.
_THIS_DOC = frozenset(content_stems("document doc bill"))
_ANY_DOC = _THIS_DOC | frozenset(
    content_stems("ticket transaction check voucher folio slip statement")
)
_INVOICE_NUMBER = frozenset(content_stems("invoice number"))
# What numbers a report or a form when no label names the report: a lab's request, sample or
# accession; a form's registration, application, file or case.
_REPORT = frozenset(content_stems("report"))
_REPORT_KEYS = frozenset(
    content_stems(
        "request sample specimen accession lab laboratory petición solicitud anforderung "
        "demande aanvraag richiesta muestra probe échantillon monster campione labor "
        "registration application form file case dossier expediente antrag formular "
        "formulier formulaire formulario anmeldung inscription inscripción aanmelding"
    )
)
_RECEIPT = frozenset(content_stems("receipt"))
_OUR = frozenset(content_stems("number our unser notre onze nuestra nuestro"))
_THEIR_REF = re.compile(r"\b(?:your|ihr\w*|votre|vos|uw|su|sus|vuestra)\b", re.IGNORECASE)


# A range of measurements ("4.0 - 10.0", a lab result's reference), not a code.
_RANGE = re.compile(r"\d+[.,]\d+\s*[-–]\s*\d+(?:[.,]\d+)?\s*$")


def _code(value: str) -> str | None:
    """The code at the start of ``value`` (it has a digit and is not a date or an amount)."""
    value = value.strip()
    value = re.sub(r"^(?:no\.?|nr\.?|number|#)\s*", "", value, flags=re.IGNORECASE)
    if not_a_number(value) or _RANGE.match(value):
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
    r"\b(?:due|expir\w*|valid|until|birth|born|dob|geb|geburts\w*|naissance|né|née|"
    r"nacimiento|geboren|geboortedatum|échéance|limite|vervaldatum|verval|fällig\w*|"
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
            others = _OTHER_DATES.finditer(before[-40:])
            # a delivery note's "Delivery Note No. 5 of 12/03/2024" dates the delivery field
            if any(not set(content_stems(m.group())) & name for m in others) or re.match(
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


def customer(layout: Layout, terms: FieldTerms | None = None) -> list[Candidate]:
    """Who the document is addressed to: the name under or beside a customer label (*Bill to*,
    *Customer*, *Klant*, *Client*, *Nabywca*, *Sold to* …), in the label's block. A purchase
    order is the customer's own: its issuer is the customer.

    A field asking who receives the goods (*recipient*, *ship to*, *consignee*) prefers the
    names under delivery labels (*Ship to*, *Deliver to*, *Lieferanschrift* …); any other
    customer field prefers the names under the other labels (*Bill to*, *Sold to* …)."""
    if purchase_order(layout.lines):
        return issuer(layout)
    found: list[Candidate] = []
    for pair in layout.pairs:
        key = pair.key.strip(" :")
        if CUSTOMER_BLOCK.search(key) and len(key.split()) <= 3 and name_like(pair.value):
            why = f'name after "{key}" on page {pair.page}'
            found.append(Candidate(clean_name(pair.value), pair.page, pair.source, 0.6, why))
    found += _names_under(layout.lines)
    found += _names_in_columns(layout.lines)
    delivery = bool(terms is not None and _DELIVERY_FIELD & _said(terms))
    if any(_DELIVERY_LABEL.search(c.reasoning) for c in found):
        # stable: reading order kept among the candidates of the preferred kind
        found.sort(key=lambda c: bool(_DELIVERY_LABEL.search(c.reasoning)) != delivery)
    for line in layout.lines:
        if len(line.cells) != 1 or not CUSTOMER_BLOCK.fullmatch(line.text.strip(" :")):
            continue
        for below in layout.pairs:  # "Customer" / "Name: Universal Studios"
            near = 0 < below.order - line.index <= 2
            if near and "name" in below.key.lower() and name_like(below.value):
                why = f'name in the "{line.text}" block on page {line.page}'
                found.append(Candidate(clean_name(below.value), line.page, below.source, 0.55, why))
                break
    # no label names the addressee: the name over the address the document is sent to (the
    # window beside or under the issuer's block)
    return found or addressee(layout)


def _names_under(lines: Sequence[PLine]) -> list[Candidate]:
    """The addressee's name opening its block under a customer label alone on its line
    ("Ship to", "Leveren aan", "Warenempfänger"), or under a window envelope's one-line return
    address ("Acme GmbH · Hauptstr. 1 · 70173 Stuttgart")."""
    found = []
    for position, (line, below) in enumerate(itertools.pairwise(lines)):
        name = below.cells[0]
        if below.page != line.page or ":" in name or not name_like(name):
            continue
        if not address_block(lines, position + 2) or CUSTOMER_BLOCK.search(name):
            continue
        if _return_address(line.cells[0]):
            why = f"name under the sender's return address on page {line.page}"
            found.append(Candidate(clean_name(name), line.page, name, 0.5, why))
        elif len(line.cells) == 1 and CUSTOMER_BLOCK.fullmatch(line.text.strip(" :")):
            why = f'name under "{line.text.strip()}" on page {line.page}'
            found.append(Candidate(clean_name(name), line.page, name, 0.55, why))
    return found


# Labels of the block of who receives the goods (not who buys or pays).
_DELIVERY_LABEL = re.compile(
    r"\b(?:ship(?:ped)?[\s-]+to|deliver(?:y|ed)?\s+(?:to|address|at)|consignee|"
    r"shipping\s+address|livrer\s+à|livré\s+à|adresse\s+de\s+livraison|expédier\s+à|"
    r"lieferanschrift|lieferadresse|lieferung\s+an|warenempfänger|leveren\s+aan|"
    r"afleveradres|leveringsadres|entregar\s+(?:a|en)|direcci[óo]n\s+de\s+(?:entrega|env[íi]o)|"
    r"enviar\s+a|consegnare\s+a|spedire\s+a|indirizzo\s+di\s+(?:consegna|spedizione))",
    re.IGNORECASE,
)
_DELIVERY_FIELD = frozenset(
    content_stems("recipient receiver consignee ship shipping deliver delivered delivery")
)


def _said(terms: FieldTerms) -> set[str]:
    return set(content_stems(terms.phrase)) | set(terms.desc_words)


def _names_in_columns(lines: Sequence[PLine]) -> list[Candidate]:
    """Party blocks printed side by side: a row of labels (*Bill to | Ship to*, *Kunde |
    Lieferanschrift*) over a row of names, column by column; the customer labels' names."""
    found = []
    for line, below in itertools.pairwise(lines):
        cells = line.cells
        if len(cells) < 2 or below.page != line.page or len(below.cells) != len(cells):
            continue
        if not all(is_label(c) for c in cells):
            continue
        for key, name in zip(cells, below.cells, strict=True):
            key = key.strip(" :")
            if CUSTOMER_BLOCK.search(key) and len(key.split()) <= 3 and name_like(name):
                why = f'name under "{key}" on page {line.page}'
                found.append(Candidate(clean_name(name), line.page, name, 0.55, why))
    return found


def _return_address(text: str) -> bool:
    """A sender's one-line return address printed over a window envelope's addressee: a name,
    then street and postcode parts, separated by dots, bars or dashes."""
    parts = [p.strip() for p in re.split(r"\s[·•|–-]\s|\s\|\s?", text) if p.strip()]
    if not 3 <= len(parts) <= 5 or not name_like(parts[0]):
        return False
    return bool(POSTCODE.search(parts[-1])) and address_like(" ".join(parts[1:-1]))


# Field words (stems) that ask for the person a document is about or addressed to, whom no
# customer label names: a payslip's employee, a tenant, a patient.
PERSON_WORDS = frozenset(
    content_stems("employee worker staff tenant patient student pupil insured policyholder")
)


def wants_person(terms: FieldTerms) -> bool:
    """A field naming the person the document is addressed to ("employee", "tenant")."""
    return bool(set(content_stems(terms.phrase)) & PERSON_WORDS) and not wants_issuer(terms)


def addressee(layout: Layout) -> list[Candidate]:
    """Whom a letter is addressed to when no label says it: the first name near the top of
    the first page that opens an address block and is not the issuer's (a payslip's window
    with the employee's name and home address)."""
    lines = layout.lines
    if not lines:
        return []
    top = issuer(layout)
    own = _squash(str(top[0].value)) if top else ""
    for position, line in enumerate(lines[: 2 * HEAD]):
        name = _SALUTATION.sub("", line.cells[0])
        if line.page != lines[0].page or ":" in name or not name_like(name):
            continue
        if CUSTOMER_BLOCK.search(name) or _squash(clean_name(name)) == own:
            continue
        if address_block(lines, position + 1):
            why = f"name over the address it is sent to on page {line.page}"
            return [Candidate(clean_name(name), line.page, line.text, 0.45, why)]
    return []


# A salutation before an addressee's name ("Herrn Felix Köhler", "Mme Claire Girard").
_SALUTATION = re.compile(
    r"^(?:herrn?|frau|mr|mrs|ms|miss|mx|m|mme|mlle|monsieur|madame|sr|sra|srta|dhr|mevr|"
    r"sig|sig\.ra)\.?\s+(?=\S)",
    re.IGNORECASE,
)


# Field words (stems) that ask for a person's name on a form, whatever the person's role.
PERSON_NAME_WORDS = frozenset(content_stems("person individual applicant participant"))
_FULL_NAME = re.compile(
    r"(?:full\s+|complete\s+)?name|name\s+of\s+(?:the\s+)?(?:applicant|person|participant)|"
    r"applicant|participant|nom\s+complet|nombre\s+completo|vollständiger\s+name|"
    r"volledige\s+naam|nome\s+completo|naam|nombre|nome|nom",
    re.IGNORECASE,
)
_FIRST_NAME = re.compile(
    r"first\s+names?|given\s+names?|forenames?|vorname|prénom|prenom|voornaam|nome|nombre",
    re.IGNORECASE,
)
_LAST_NAME = re.compile(
    r"last\s+name|surname|family\s+name|nachname|familienname|nom(?:\s+de\s+famille)?|"
    r"achternaam|apellidos?|cognome",
    re.IGNORECASE,
)


def wants_person_name(terms: FieldTerms) -> bool:
    """A field asking for a person named on a form ("person", "applicant")."""
    return bool(set(content_stems(terms.phrase)) & PERSON_NAME_WORDS) and not wants_issuer(terms)


def person_name(layout: Layout) -> list[Candidate]:
    """A form's person: the first name and last name its labels give, joined ("First name:
    Anna", "Last name: Weber"; "Nom : Weber", "Prénom : Anna"), else the value of a name label
    (*Full name*, *Name*, *Applicant*, *Nom*, *Naam*)."""
    roles: dict[str, Pair] = {}
    for pair in layout.pairs:
        key = pair.key.strip(" :*")
        if not _person_like(pair.value.strip()):
            continue
        for role, pattern in (("first", _FIRST_NAME), ("last", _LAST_NAME), ("whole", _FULL_NAME)):
            if role not in roles and pattern.fullmatch(key):
                roles[role] = pair
    first, last = roles.get("first"), roles.get("last")
    if first is not None and last is not None and first is not last:
        name = f"{first.value.strip()} {last.value.strip()}"
        why = f'"{first.key}" and "{last.key}" on page {first.page}'
        return [Candidate(name, first.page, f"{first.source} {last.source}", 0.6, why)]
    return [_named(roles["whole"])] if "whole" in roles else []


def _named(pair: Pair) -> Candidate:
    why = f'name after "{pair.key}" on page {pair.page}'
    return Candidate(pair.value.strip(), pair.page, pair.source, 0.55, why)


def _person_like(value: str) -> bool:
    """One to five capitalised words, no digits: a person's name or part of it."""
    words = value.split()
    if not 1 <= len(words) <= 5 or re.search(r"[\d:@_/]", value):
        return False
    return all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words)


_NAME_PARTICLES = frozenset(
    ["de", "da", "del", "della", "di", "du", "van", "von", "der", "den", "y"]
)


def without_salutation(name: str) -> str:
    """A person's name without the salutation before it ("Mr Daniel Hughes", "Herrn Felix
    Köhler", "Mme Claire Girard")."""
    rest = _SALUTATION.sub("", name.strip())
    return rest if rest else name


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


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
    """A field naming the party that issued the document ("vendor", "employer"), not the
    one it is about: "employee" shares the stem of "employer" but is the person paid."""
    name = set(content_stems(terms.phrase))
    if any(word.startswith("employee") for word in terms.name_words):
        return False
    return bool(name & ISSUER_WORDS) and not name & CUSTOMER_WORDS


def words_of(text: str) -> list[str]:
    return tokens(text)
