"""Invoice templates: six layouts seen on real invoices (two of them held out).

``letter_left``: letterhead top-left, title and meta block top-right, bill-to, table, totals.
``centered_boxes``: centred letterhead, header boxes with the label above the value.
``din_window``: German-style letter (DIN 5008): sender top-right, return line and window
address, number in the subject line, footer in three columns with bank and register.
``freelance``: a sole trader's invoice, no legal form, number in the title, tax notes.
``brand`` (holdout): logo-like brand block, legal name only in the footer, amount-due box.
``statement`` (holdout): utility-style bill, summary box, previous balance, charges table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fieldgen_common import (
    GOODS,
    INVOICE_NUMBERS,
    Built,
    Ctx,
    Party,
    Totals,
    company,
    date_style,
    items,
    later,
    mail_domain,
    money_style,
    number_like,
    pct,
    person,
    totals_rows,
    when,
)
from fieldgen_draw import Sheet
from fieldgen_locale import Locale, iban, money, number

CURRENCY_WORD = {"en": "Currency", "fr": "Devise", "de": "Währung", "nl": "Valuta", "es": "Moneda"}
GREETING = {
    "en": (
        "Dear Sir or Madam,",
        "For the services below we invoice you as follows:",
        "Kind regards",
    ),
    "fr": (
        "Madame, Monsieur,",
        "Veuillez trouver ci-dessous le détail de notre facture :",
        "Cordialement",
    ),
    "de": (
        "Sehr geehrte Damen und Herren,",
        "für unsere Leistungen erlauben wir uns, Ihnen Folgendes zu berechnen:",
        "Mit freundlichen Grüßen",
    ),
    "nl": (
        "Geachte heer/mevrouw,",
        "Hierbij factureren wij u het volgende:",
        "Met vriendelijke groet",
    ),
    "es": ("Estimados señores:", "Les facturamos los siguientes conceptos:", "Atentamente"),
}
REGISTER = {
    "GB": "Registered in England and Wales No. {n}",
    "US": "",
    "MY": "Company No. {n}-X",
    "FR": "RCS Lyon B {n} - SIRET {n}00017",
    "BE": "RPM Bruxelles 0{n}",
    "DE": "Amtsgericht München HRB {n}",
    "AT": "FN {n}a, Handelsgericht Wien",
    "CH": "Handelsregister Kanton Zürich CHE-{n}",
    "NL": "KvK {n}",
    "ES": "Inscrita en el Registro Mercantil de Madrid, Tomo {n}",
}


@dataclass
class Invoice:
    vendor: Party
    customer: Party
    number: str
    day: date
    due_day: date
    cust_no: str
    totals: Totals
    style: str
    dates: str
    iban: str

    def gold(self, vendor: object = None) -> dict[str, object]:
        return {
            "invoice_number": self.number,
            "invoice_date": self.day.isoformat(),
            "total": float(self.totals.total),
            "vendor": vendor if vendor is not None else self.vendor.name,
            "currency": "",  # filled by the caller from the locale
        }


def invoice(ctx: Ctx, *, legal: bool = True, b2c: bool = False) -> Invoice:
    rng = ctx.rng
    vendor = company(ctx, legal=legal)
    customer = person(ctx) if b2c else company(ctx)
    day = date(rng.choice((2023, 2024, 2025)), rng.randint(1, 12), rng.randint(1, 28))
    lines = items(ctx, GOODS, rng.randint(1, 5), 5, 900)
    totals = Totals(lines)
    if rng.random() < 0.25:
        totals.discount = (totals.subtotal * Decimal(rng.choice((5, 10))) / 100).quantize(
            Decimal("0.01")
        )
    if rng.random() < 0.3:
        totals.shipping = Decimal(rng.choice(("4.90", "9.95", "12.50", "25.00")))
    return Invoice(
        vendor,
        customer,
        number_like(rng, INVOICE_NUMBERS, day),
        day,
        later(day, rng.choice((14, 30))),
        str(rng.randint(10000, 99999)),
        totals,
        money_style(ctx),
        date_style(ctx),
        iban(ctx.loc, rng),
    )


def gold_of(ctx: Ctx, inv: Invoice, vendor: object = None) -> dict[str, object]:
    gold = inv.gold(vendor)
    gold["currency"] = ctx.loc.currency
    return gold


def item_rows(ctx: Ctx, inv: Invoice, *, with_tax: bool = True) -> list[list[str]]:
    w, loc = ctx.words, ctx.loc
    head = [w["desc"], w["qty"], w["price"]] + ([w["tax"]] if with_tax else []) + [w["amount"]]
    rows = [head]
    for line in inv.totals.lines:
        qty = f"{line.qty:f}"
        tax = [pct(loc, line.rate)] if with_tax else []
        price = money(loc, line.price, "plain")
        rows.append([line.text, qty, price, *tax, money(loc, line.amount, "plain")])
    return rows


def currency_note(ctx: Ctx, inv: Invoice) -> str:
    """Where amounts print without a symbol, real invoices name the currency once."""
    if inv.style != "plain":
        return ""
    if ctx.rng.random() < 0.5:
        return f"{CURRENCY_WORD[ctx.lang]}: {ctx.loc.currency}"
    return IN_WORDS[ctx.lang].format(CURRENCY_NAMES[ctx.lang][ctx.loc.currency])


IN_WORDS = {
    "en": "All amounts in {}.",
    "fr": "Montants exprimés en {}.",
    "de": "Alle Beträge in {}.",
    "nl": "Alle bedragen in {}.",
    "es": "Importes expresados en {}.",
}
CURRENCY_NAMES = {
    "en": {"GBP": "pounds sterling", "USD": "US dollars", "EUR": "euros", "CHF": "Swiss francs"},
    "fr": {"EUR": "euros", "CHF": "francs suisses"},
    "de": {"EUR": "Euro", "CHF": "Schweizer Franken"},
    "nl": {"EUR": "euro"},
    "es": {"EUR": "euros"},
}


def footer(sheet: Sheet, ctx: Ctx, inv: Invoice, y: float = 800) -> None:
    v = inv.vendor
    sheet.rule(40, y - 12, 555, 0.3, grey=0.5)
    sheet.text(
        297,
        y,
        f"{v.name} · {v.street} · {v.city} · {ctx.words['vat_id']} {v.vat}",
        7,
        align="center",
    )
    sheet.text(
        297,
        y + 10,
        f"IBAN {inv.iban} · {ctx.words['phone']} {v.phone} · {v.email}",
        7,
        align="center",
    )


def register(loc: Locale, seed: int) -> str:
    return REGISTER[loc.code[3:]].format(n=seed)


# --- letter_left -------------------------------------------------------------------------


def letter_left(ctx: Ctx) -> Built:
    inv = invoice(ctx)
    w = ctx.words
    due = ctx.rng.random() < 0.5
    family = ctx.rng.choice(("Helvetica", "Times"))

    def draw() -> bytes:
        s = Sheet(family=family)
        v = inv.vendor
        s.text(40, 60, v.name, 15, bold=True)
        s.lines(40, 78, [v.street, v.city, f"{w['phone']} {v.phone}", v.email], 9)
        s.text(555, 62, w["invoice"], 22, bold=True, align="right")
        meta = [
            (w["inv_no"], inv.number),
            (w["inv_date"], when(ctx, inv.day, inv.dates)),
            (w["due"], when(ctx, inv.due_day, inv.dates)),
            (w["cust_no"], inv.cust_no),
        ]
        s.pairs(360, 100, meta, 555, 9, value_align="right")
        s.text(40, 175, w["bill_to"], 9, bold=True)
        s.lines(40, 190, inv.customer.block(), 9)
        note = currency_note(ctx, inv)
        if note:
            s.text(555, 240, note, 8, align="right")
        y = s.table(40, 260, (245, 45, 80, 50, 95), item_rows(ctx, inv), aligns="lrrrr")
        rows = totals_rows(ctx, inv.totals, inv.style, due=due)
        s.pairs(340, y + 25, rows, 555, 9.5, value_align="right", bold_last=not due)
        s.text(40, y + 25, w["terms"], 8.5)
        s.text(40, y + 40, f"{w['bank']}: IBAN {inv.iban}", 8.5)
        s.text(40, y + 55, w["thanks"], 8.5)
        footer(s, ctx, inv)
        return s.pdf()

    return Built(gold_of(ctx, inv), draw)


# --- centered_boxes ----------------------------------------------------------------------


def centered_boxes(ctx: Ctx) -> Built:
    inv = invoice(ctx, b2c=ctx.rng.random() < 0.3)
    w = ctx.words
    family = ctx.rng.choice(("Helvetica", "Times"))

    def draw() -> bytes:
        s = Sheet(family=family)
        v = inv.vendor
        s.text(297, 58, v.name, 18, bold=True, align="center")
        s.text(297, 74, f"{v.street} · {v.city} · {w['phone']} {v.phone}", 8.5, align="center")
        s.text(297, 86, f"{w['vat_id']} {v.vat} · {v.email}", 8.5, align="center")
        s.rule(40, 96, 555, 1.0)
        s.text(40, 130, w["invoice"], 20, bold=True)
        cells = [
            (w["inv_no"], inv.number),
            (w["inv_date"], when(ctx, inv.day, inv.dates)),
            (w["cust_no"], inv.cust_no),
            (w["due"], when(ctx, inv.due_day, inv.dates)),
        ]
        for column, (label, value) in enumerate(cells):
            x = 40 + column * 128.75
            s.box(x, 145, 128.75, 34)
            s.text(x + 5, 156, label, 7, grey=0.35)
            s.text(x + 5, 172, value, 10, bold=True)
        s.text(40, 205, w["bill_to"], 8, grey=0.35)
        s.lines(40, 218, inv.customer.block(), 9.5)
        note = currency_note(ctx, inv)
        if note:
            s.text(40, 262, note, 8)
        y = s.table(40, 275, (255, 40, 80, 45, 95), item_rows(ctx, inv), aligns="lcrrr", grid=True)
        rows = totals_rows(ctx, inv.totals, inv.style)
        for label, value in rows:
            last = label == rows[-1][0]
            s.box(355, y, 200, 18, fill=0.9 if last else None)
            s.text(360, y + 12, label, 9, bold=last)
            s.text(550, y + 12, value, 9, bold=last, align="right")
            y += 18
        s.lines(40, y + 25, [w["terms"], f"{w['bank']}: {inv.iban}"], 8.5)
        s.text(297, 810, w["page"], 7, align="center")
        return s.pdf()

    return Built(gold_of(ctx, inv), draw)


# --- din_window --------------------------------------------------------------------------


def din_window(ctx: Ctx) -> Built:
    inv = invoice(ctx, b2c=ctx.rng.random() < 0.4)
    w = ctx.words
    hello, intro, bye = GREETING[ctx.lang]
    signer = ctx.names.person(ctx.lang, ctx.rng)
    seed = ctx.rng.randint(10000, 99999)

    def draw() -> bytes:
        s = Sheet()
        v = inv.vendor
        s.text(555, 55, v.name, 14, bold=True, align="right")
        block = [v.street, v.city, f"{w['phone']} {v.phone}", v.email]
        s.lines(555, 72, block, 8.5, align="right")
        s.text(57, 140, v.one_line(), 6.5)
        s.rule(57, 143, 300, 0.3)
        s.lines(57, 160, inv.customer.block(), 10)
        info = [
            (w["cust_no"], inv.cust_no),
            (w["inv_date"], when(ctx, inv.day, inv.dates)),
            (w["due"], when(ctx, inv.due_day, inv.dates)),
        ]
        s.pairs(370, 160, info, 470, 8.5)
        s.text(57, 260, f"{w['invoice']} {inv.number}", 12, bold=True)
        s.lines(57, 285, [hello, intro], 9.5)
        y = s.table(
            57, 320, (230, 40, 75, 45, 90), item_rows(ctx, inv), aligns="lrrrr", header_fill=None
        )
        rows = totals_rows(ctx, inv.totals, inv.style)
        y = s.pairs(330, y + 18, rows, 537, 9, value_align="right", bold_last=True)
        note = currency_note(ctx, inv)
        s.lines(
            57, y + 15, [x for x in (note, w["terms"], "", bye, "", signer) if x or x == ""], 9.5
        )
        s.rule(57, 770, 537, 0.3)
        left = [v.name, v.street, v.city]
        middle = [w["bank"], f"IBAN {inv.iban}", f"BIC {v.name[:4].upper()}XX{seed % 100:02d}"]
        right = [register(ctx.loc, seed), f"{w['vat_id']} {v.vat}"]
        for x, col in ((57, left), (230, middle), (400, right)):
            s.lines(x, 782, col, 6.5)
        return s.pdf()

    return Built(gold_of(ctx, inv), draw)


# --- freelance ---------------------------------------------------------------------------

EXEMPT = {
    "fr_FR": "TVA non applicable, art. 293 B du CGI",
    "fr_BE": "Régime particulier de franchise des petites entreprises",
    "de_DE": "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet.",
    "de_AT": "Umsatzsteuerfrei aufgrund der Kleinunternehmerregelung.",
    "nl_NL": "Vrijgesteld van btw op grond van de KOR.",
    "en_GB": "Not registered for VAT.",
    "en_US": "",
}
JOBS = {
    "en": "Graphic design|Translation|Photography|Web development|Copywriting",
    "fr": "Graphisme|Traduction|Photographie|Développement web|Rédaction",
    "de": "Grafikdesign|Übersetzungen|Fotografie|Webentwicklung|Lektorat",
    "nl": "Grafisch ontwerp|Vertalingen|Fotografie|Webontwikkeling|Tekstschrijven",
    "es": "Diseño gráfico|Traducción|Fotografía|Desarrollo web|Redacción",
}
HOURS = {"en": "hours", "fr": "heures", "de": "Std.", "nl": "uur", "es": "horas"}


def freelance(ctx: Ctx) -> Built:
    """A sole trader: no tax where the country exempts small businesses; Spain withholds IRPF."""
    inv = invoice(ctx, legal=False)
    name = ctx.names.person(ctx.lang, ctx.rng)
    inv.vendor.name = name
    inv.vendor.email = f"{mail_domain(name)}@{ctx.pick('gmail.com|outlook.com|proton.me')}"
    inv.totals.discount = inv.totals.shipping = Decimal(0)
    job = ctx.pick(JOBS[ctx.lang])
    hours = Decimal(ctx.rng.randint(3, 60))
    rate = Decimal(ctx.rng.choice((35, 45, 55, 60, 75, 90)))
    exempt = ctx.loc.code in EXEMPT
    tax_rate = Decimal(0) if exempt else ctx.loc.rate(ctx.rng)
    net = hours * rate
    tax = (net * tax_rate / 100).quantize(Decimal("0.01"))
    withheld = (
        (net * Decimal("0.15")).quantize(Decimal("0.01")) if ctx.loc.code == "es_ES" else Decimal(0)
    )
    total = net + tax - withheld
    w, loc = ctx.words, ctx.loc
    title = f"{w['invoice']} {ctx.pick('#|No. |') if ctx.lang == 'en' else ''}{inv.number}"

    def draw() -> bytes:
        s = Sheet(family="Helvetica")
        v = inv.vendor
        s.text(40, 70, name, 22, bold=True)
        s.text(40, 88, job, 11, grey=0.3)
        s.lines(555, 60, [v.street, v.city, v.phone, v.email], 8.5, align="right")
        s.text(40, 150, title, 16, bold=True)
        s.text(40, 170, f"{w['inv_date']}: {when(ctx, inv.day, inv.dates)}", 9.5)
        s.text(40, 205, w["bill_to"], 9, bold=True)
        s.lines(40, 220, inv.customer.block(), 9.5)
        line = f"{job} — {hours} {HOURS[ctx.lang]} × {money(loc, rate, 'symbol')}"
        rows = [[w["desc"], w["amount"]], [line, money(loc, net, "symbol")]]
        y = s.table(40, 290, (400, 115), rows, aligns="lr", header_fill=None)
        summary = [(w["subtotal"], money(loc, net, "symbol"))]
        if tax_rate:
            summary.append((f"{w['tax']} {pct(loc, tax_rate)}", money(loc, tax, "symbol")))
        if withheld:
            summary.append(("Retención IRPF 15 %", money(loc, -withheld, "symbol")))
        summary.append(
            (w["due_amount"] if ctx.rng.random() < 0.5 else w["total"], money(loc, total, "symbol"))
        )
        y = s.pairs(330, y + 20, summary, 555, 10, value_align="right", bold_last=True)
        notes = [
            EXEMPT.get(loc.code, ""),
            w["terms"],
            f"IBAN {inv.iban}",
            v.vat if not exempt else "",
        ]
        s.lines(40, y + 30, [note for note in notes if note], 8.5)
        return s.pdf()

    gold = gold_of(ctx, inv, name)
    gold["total"] = float(total)
    return Built(gold, draw)


# --- brand (holdout) ---------------------------------------------------------------------


def brand(ctx: Ctx) -> Built:
    inv = invoice(ctx)
    word = inv.vendor.name.split()[0].upper()
    if len(word) <= 3:  # "DE" of "de Vries": the brand is the family name
        word = " ".join(inv.vendor.name.split()[:2]).upper()
    w = ctx.words
    dark = ctx.rng.choice((0.15, 0.25, 0.35))

    def draw() -> bytes:
        s = Sheet()
        s.box(40, 40, 200, 50, fill=dark, stroke=False)
        s.text(140, 72, word, 20, bold=True, align="center", white=True)
        s.text(555, 55, w["invoice"].upper(), 26, bold=True, align="right", grey=dark)
        labels = [(w["inv_no"], inv.number), (w["inv_date"], when(ctx, inv.day, inv.dates))]
        labels.append((w["ref"], f"{ctx.rng.randint(1000, 9999)}"))
        for row, (label, value) in enumerate(labels):
            s.text(400, 95 + row * 28, label.upper(), 7, grey=0.45)
            s.text(400, 106 + row * 28, value, 10, bold=True)
        s.text(40, 130, w["bill_to"].upper(), 7, grey=0.45)
        s.lines(40, 143, inv.customer.block(), 10)
        rows = item_rows(ctx, inv)
        y = s.table(
            40, 200, (240, 45, 80, 50, 100), rows, aligns="lrrrr", header_fill=0.92, zebra=True
        )
        rows2 = totals_rows(ctx, inv.totals, inv.style)
        y = s.pairs(340, y + 20, rows2[:-1], 555, 9, value_align="right")
        s.box(330, y, 225, 32, fill=0.9, stroke=False)
        s.text(340, y + 20, rows2[-1][0], 11, bold=True)
        s.text(548, y + 20, rows2[-1][1], 13, bold=True, align="right")
        note = currency_note(ctx, inv)
        s.lines(
            40, y + 60, [x for x in (note, w["terms"], f"{w['bank']}: IBAN {inv.iban}") if x], 8.5
        )
        footer(s, ctx, inv, 790)
        return s.pdf()

    return Built(gold_of(ctx, inv, [inv.vendor.name, word.title()]), draw)


# --- statement (holdout) -----------------------------------------------------------------

PREVIOUS = {
    "en": (
        "Previous balance",
        "Payment received - thank you",
        "Balance carried forward",
        "Current charges",
    ),
    "fr": ("Solde précédent", "Paiement reçu, merci", "Solde reporté", "Montant de la période"),
    "de": ("Vorheriger Saldo", "Zahlung erhalten, danke", "Saldovortrag", "Aktuelle Beträge"),
    "nl": ("Vorig saldo", "Ontvangen betaling, dank u", "Saldo", "Kosten deze periode"),
    "es": ("Saldo anterior", "Pago recibido, gracias", "Saldo pendiente", "Importe del periodo"),
}
SERVICES = {
    "en": "Broadband 500 Mbit/s|Line rental|Calls to mobiles|"
    "Electricity standing charge|Energy used",
    "fr": "Abonnement fibre|Location box|Appels vers mobiles|Abonnement électricité|Consommation",
    "de": "Glasfaser 500 Mbit/s|Grundgebühr|Verbindungen Mobilfunk|Grundpreis Strom|Arbeitspreis",
    "nl": "Glasvezel 500 Mbit/s|Vastrecht|Bellen naar mobiel|Netbeheerkosten|Verbruik stroom",
    "es": "Fibra 600 Mb|Cuota de línea|Llamadas a móviles|Término de potencia|Término de energía",
}


def statement(ctx: Ctx) -> Built:
    inv = invoice(ctx, b2c=True)
    inv.totals.discount = inv.totals.shipping = Decimal(0)
    inv.totals.lines = items(ctx, SERVICES, ctx.rng.randint(2, 4), 3, 80)
    rate = inv.totals.lines[0].rate
    for line in inv.totals.lines:
        line.rate, line.qty = rate, Decimal(1)
    previous = Decimal(ctx.rng.randint(2000, 15000)) / 100
    w, loc = ctx.words, ctx.loc
    before, paid, carried, _current = PREVIOUS[ctx.lang]
    period = (later(inv.day, -30), later(inv.day, -1))

    def draw() -> bytes:
        s = Sheet()
        v = inv.vendor
        s.text(40, 60, v.name, 16, bold=True, grey=0.2)
        s.lines(40, 76, [v.street, v.city, v.phone], 8)
        s.box(330, 40, 225, 110, fill=0.93, stroke=False)
        s.text(340, 58, w["due_amount"], 10, bold=True)
        s.text(545, 82, money(loc, inv.totals.total, "symbol"), 18, bold=True, align="right")
        s.pairs(
            340,
            102,
            [(w["due"], when(ctx, inv.due_day, inv.dates)), (w["cust_no"], inv.cust_no)],
            545,
            8.5,
            value_align="right",
        )
        s.lines(40, 175, inv.customer.block(), 10)
        s.text(330, 175, f"{w['invoice']} {inv.number}", 10, bold=True)
        s.text(330, 190, f"{w['inv_date']}: {when(ctx, inv.day, inv.dates)}", 9)
        span = f"{when(ctx, period[0], 'numeric')} - {when(ctx, period[1], 'numeric')}"
        s.text(330, 204, span, 8.5, grey=0.35)
        history = [
            [before, money(loc, previous, "plain")],
            [paid, money(loc, -previous, "plain")],
            [carried, money(loc, Decimal(0), "plain")],
        ]
        y = s.table(
            40, 240, (360, 155), [["", loc.currency], *history], aligns="lr", header_fill=0.85
        )
        rows = [[w["desc"], w["amount"]]] + [
            [line.text, money(loc, line.amount, "plain")] for line in inv.totals.lines
        ]
        y = s.table(40, y + 20, (360, 155), rows, aligns="lr")
        summary = [(w["subtotal"], money(loc, inv.totals.subtotal, "symbol"))]
        summary.append(
            (
                f"{w['tax']} {pct(loc, rate)}",
                money(loc, sum(inv.totals.taxes().values(), Decimal(0)), "symbol"),
            )
        )
        summary.append((w["total"], money(loc, inv.totals.total, "symbol")))
        y = s.pairs(300, y + 20, summary, 555, 9.5, value_align="right", bold_last=True)
        s.text(40, y + 30, w["terms"], 8)
        footer(s, ctx, inv, 800)
        return s.pdf()

    return Built(gold_of(ctx, inv), draw)


TEMPLATES = {
    "letter_left": letter_left,
    "centered_boxes": centered_boxes,
    "din_window": din_window,
    "freelance": freelance,
    "brand": brand,
    "statement": statement,
}
__all__ = ["TEMPLATES", "number"]
