"""Credit notes: a supplier's document that cancels or reduces an invoice.

Written from how credit notes look in the wild (not from the recognisers under test): titled
"Credit note" / "Avoir" / "Gutschrift" / "Creditnota" / "Factura rectificativa", they print
two numbers of one kind, their own and the invoice they correct ("Original invoice no.",
"Facture d'origine", "zu Rechnung Nr.", "Factura rectificada"), in either order; a reason
line; the credited lines; and a total labelled as a credit ("Total credit", "Montant de
l'avoir", "Gutschriftsbetrag"). The schema (``fields_credit_note.json``) asks for the "credit
note number", so the number is unambiguous: the corrected invoice's is a wrong answer.

``credit_note`` (dev): letterhead with the legal name, customer block beside it, a label column
with both numbers and the date, a lines table and a summary column.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fieldgen_bills import _amount_lines, digits, issue_day, totals_list
from fieldgen_common import Built, Ctx, Totals, company, date_style, later, money_style, when
from fieldgen_draw import Sheet
from fieldgen_locale import address, money, vat_id

_RAW: dict[str, dict[str, str]] = {
    "en": {
        "title": "CREDIT NOTE|Credit Note|Credit note",
        "number": "Credit note no.|Credit note number|Credit Note #|Credit note ref.",
        "original": "Original invoice no.|Relates to invoice|Invoice ref.|Against invoice",
        "date": "Date|Credit note date|Date of issue",
        "reason": "Reason: goods returned|Reason: price adjustment|Reason: cancelled service",
        "total": "Total credit|Credit total|Total amount credited|Total",
    },
    "fr": {
        "title": "AVOIR|Avoir|Facture d'avoir",
        "number": "Avoir n°|N° d'avoir|Numéro d'avoir",
        "original": "Facture d'origine n°|Sur facture n°|Réf. facture",
        "date": "Date|Date de l'avoir|Date d'émission",
        "reason": "Motif : retour de marchandise|Motif : geste commercial|Motif : annulation",
        "total": "Montant de l'avoir|Total avoir TTC|Total TTC",
    },
    "de": {
        "title": "GUTSCHRIFT|Gutschrift|Rechnungskorrektur",
        "number": "Gutschrift Nr.|Gutschriftsnummer|Gutschrift-Nr.",
        "original": "zu Rechnung Nr.|Ursprüngliche Rechnung|Bezug: Rechnung Nr.",
        "date": "Datum|Gutschriftsdatum|Belegdatum",
        "reason": "Grund: Warenrücksendung|Grund: Preisminderung|Grund: Stornierung",
        "total": "Gutschriftsbetrag|Gesamtbetrag|Summe Gutschrift",
    },
    "nl": {
        "title": "CREDITNOTA|Creditnota|Creditfactuur",
        "number": "Creditnotanummer|Creditnota nr.|Nummer creditnota",
        "original": "Oorspronkelijke factuur|Betreft factuur|Factuurnummer origineel",
        "date": "Datum|Creditnotadatum|Datum creditnota",
        "reason": "Reden: retourzending|Reden: prijscorrectie|Reden: annulering",
        "total": "Totaal creditnota|Totaal te crediteren|Totaal",
    },
    "es": {
        "title": "FACTURA RECTIFICATIVA|Nota de crédito|Abono",
        "number": "Nº rectificativa|Número de abono|Nota de crédito nº",
        "original": "Factura rectificada nº|Factura original|Ref. factura",
        "date": "Fecha|Fecha de emisión|Fecha del abono",
        "reason": "Motivo: devolución de mercancía|Motivo: ajuste de precio|Motivo: anulación",
        "total": "Total abono|Importe total|Total a devolver",
    },
}
LABELS = {lang: {k: v.split("|") for k, v in words.items()} for lang, words in _RAW.items()}
_RETURNS = {
    "en": "Returned: office chairs|Returned: toner cartridges|Price adjustment|Cancelled support",
    "fr": "Retour : chaises de bureau|Retour : cartouches|Remise accordée|Annulation maintenance",
    "de": "Rücksendung: Bürostühle|Rücksendung: Toner|Preisnachlass|Storno Wartung",
    "nl": "Retour: bureaustoelen|Retour: tonercartridges|Prijscorrectie|Annulering onderhoud",
    "es": "Devolución: sillas|Devolución: tóner|Ajuste de precio|Anulación mantenimiento",
}


def credit_note(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    words = {key: rng.choice(options) for key, options in LABELS[ctx.lang].items()}
    legal = company(ctx).name
    customer = company(ctx)
    day = issue_day(ctx)
    invoiced = later(day, -rng.randint(5, 40))
    texts = rng.sample(_RETURNS[ctx.lang].split("|"), rng.randint(1, 3))
    totals = Totals(_amount_lines(ctx, texts, 20, 900, Decimal(loc.rates[0])))
    number = ctx.pick(f"CN-{day.year}-{digits(ctx, 4)}|GS{digits(ctx, 6)}|AV-{digits(ctx, 5)}")
    original = ctx.pick(
        f"INV-{invoiced.year}-{digits(ctx, 4)}|RE{digits(ctx, 6)}|F{digits(ctx, 6)}"
    )
    street, city = address(loc, rng)
    vat = vat_id(loc, rng)
    dates, style = date_style(ctx), money_style(ctx)
    own_first = rng.random() < 0.5

    def draw() -> bytes:
        s = Sheet(family=ctx.pick("Helvetica|Times"))
        s.text(40, 60, legal, 15, bold=True)
        s.lines(40, 76, [street, city, f"{ctx.words['vat_id']} {vat}"], 8.5)
        s.lines(350, 76, customer.block(), 9)
        s.text(40, 160, words["title"], 16, bold=True)
        numbers = [(words["number"], number), (words["original"], original)]
        info = [*(numbers if own_first else numbers[::-1]), (words["date"], when(ctx, day, dates))]
        y = s.pairs(40, 185, info, 170, 9)
        s.text(40, y + 6, words["reason"], 8.5)
        rows = [[ctx.words["desc"], ctx.words["amount"]]]
        rows += [[line.text, money(loc, line.amount, "plain")] for line in totals.lines]
        y = s.table(40, y + 24, (400, 115), rows, aligns="lr")
        summary = totals_list(ctx, totals, style)
        summary[-1] = (words["total"], summary[-1][1])
        s.pairs(330, y + 20, summary, 555, 9.5, value_align="right", bold_last=True)
        return s.pdf()

    return Built(_gold(ctx, number, day, totals.total, legal), draw)


def _gold(ctx: Ctx, number: str, day: date, total: Decimal, vendor: str) -> dict[str, object]:
    return {
        "credit_note_number": number,
        "credit_note_date": day.isoformat(),
        "total": float(total),
        "vendor": vendor,
        "currency": ctx.loc.currency,
    }


TEMPLATES = {"credit_note": credit_note}
__all__ = ["TEMPLATES"]
