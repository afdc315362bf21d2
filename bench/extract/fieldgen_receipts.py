"""Receipt templates: till slips on an 80 mm roll, monospaced (two of five held out).

``supermarket``: store name, address, VAT id, items with tax codes, TOTAL, payment, change,
item count and loyalty points, VAT table, receipt number at the foot.
``cafe``: restaurant bill, table and covers, bill number at the top, tax breakdown.
``tax_invoice``: a simplified tax invoice (Malaysia's "TAX INVOICE", Spain's "factura
simplificada"): company with registration number, document number, rounding where cash is
rounded to 5 cents.
``fuel`` (holdout): pump, litres × price per litre, card slip with masked card and auth code.
``pharmacy`` (holdout): pharmacy slip, card payment, customer number, points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fieldgen_common import GROCERIES, Built, Ctx, Item, Party, company, items, pct
from fieldgen_draw import center, receipt_pdf, spread
from fieldgen_locale import FAMILY, Locale, cents, date_text, money, number

ADDED_TAX = ("en_US", "en_MY")  # prices before tax, the tax added at the foot
SHOP_WORD = {
    "supermarket": {
        "en": "Food Store|Supermarket|Grocers",
        "fr": "Supermarché|Épicerie|Marché",
        "de": "Supermarkt|Frischemarkt|Lebensmittel",
        "nl": "Supermarkt|Buurtsuper|Versmarkt",
        "es": "Supermercado|Alimentación|Autoservicio",
    },
    "cafe": {
        "en": "Café|Kitchen|Bistro",
        "fr": "Brasserie|Café|Bistrot",
        "de": "Gasthaus|Café|Bistro",
        "nl": "Eetcafé|Brasserie|Lunchroom",
        "es": "Bar|Cafetería|Restaurante",
    },
    "fuel": {
        "en": "Service Station|Fuel Stop",
        "fr": "Station-service|Relais",
        "de": "Tankstelle|Autohof",
        "nl": "Tankstation|Pompstation",
        "es": "Estación de Servicio|Gasolinera",
    },
    "pharmacy": {
        "en": "Pharmacy|Chemist",
        "fr": "Pharmacie|Grande Pharmacie",
        "de": "Apotheke|Stadt-Apotheke",
        "nl": "Apotheek|Apotheek Centrum",
        "es": "Farmacia|Farmacia Central",
    },
}
MEALS = {
    "en": "Flat white|Full breakfast|Soup of the day|"
    "Club sandwich|Cheesecake|Sparkling water|Pint of lager",
    "fr": "Café crème|Croque-monsieur|Plat du jour|Salade César|"
    "Tarte Tatin|Eau gazeuse|Verre de vin",
    "de": "Milchkaffee|Schnitzel Wiener Art|Tagessuppe|"
    "Apfelstrudel|Apfelschorle|Weißbier 0,5l|Salatteller",
    "nl": "Cappuccino|Uitsmijter|Soep van de dag|Tosti ham kaas|Appeltaart|Spa rood|Biertje",
    "es": "Café con leche|Menú del día|Tortilla española|Croquetas|Flan casero|Agua mineral|Caña",
}
DRUGS = {
    "en": "Paracetamol 500mg x16|Ibuprofen 200mg x24|"
    "Hand cream 75ml|Vitamin C 1000|Plasters assorted|Throat lozenges",
    "fr": "Doliprane 1000mg|Ibuprofène 400mg|Crème mains 50ml|"
    "Vitamine C 500|Pansements x20|Pastilles gorge",
    "de": "Paracetamol 500mg|Ibuprofen 400 akut|Handcreme 75ml|"
    "Vitamin C 1000|Pflaster Strips|Halstabletten",
    "nl": "Paracetamol 500mg|Ibuprofen 400mg|Handcrème 75ml|"
    "Vitamine C 1000|Pleisters|Keelpastilles",
    "es": "Paracetamol 1g|Ibuprofeno 600mg|Crema de manos|"
    "Vitamina C 1000|Tiritas surtidas|Pastillas garganta",
}
SHOP_EXTRA = {
    "en": "Coffee to go",
    "fr": "Café à emporter",
    "de": "Kaffee to go",
    "nl": "Koffie to go",
    "es": "Café para llevar",
}
FUELS = {
    "en": "Unleaded|Diesel|Super Unleaded",
    "fr": "SP95-E10|Gazole|SP98",
    "de": "Super E10|Diesel|Super Plus",
    "nl": "Euro 95 E10|Diesel|Super Plus 98",
    "es": "Sin Plomo 95|Diésel e+|Sin Plomo 98",
}


TABLE = {"en": "Table", "fr": "Table", "de": "Tisch", "nl": "Tafel", "es": "Mesa"}
COVERS = {"en": "Covers", "fr": "Couverts", "de": "Pers.", "nl": "Pers.", "es": "Comensales"}
PUMP = {"en": "Pump", "fr": "Pompe", "de": "Zapfsäule", "nl": "Pomp", "es": "Surtidor"}
CUSTOMER = {"en": "Customer", "fr": "Client", "de": "Kunde", "nl": "Klant", "es": "Cliente"}


@dataclass
class Receipt:
    shop: Party
    day: date
    time: str
    number: str
    lines: list[Item]
    dates: str

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    def tax(self, loc: Locale) -> Decimal:
        if loc.code in ADDED_TAX:
            return cents(self.subtotal * self.lines[0].rate / 100)
        return sum(
            (cents(line.amount - line.amount / (1 + line.rate / 100)) for line in self.lines),
            Decimal(0),
        )

    def total(self, loc: Locale) -> Decimal:
        if loc.code in ADDED_TAX:
            return self.subtotal + self.tax(loc)
        return self.subtotal

    def paid(self, loc: Locale) -> Decimal:
        """The amount to pay: Malaysian cash totals are rounded to 5 sen."""
        total = self.total(loc)
        if loc.code == "en_MY":
            return (total * 20).quantize(Decimal(1)) / 20
        return total


def shop_name(ctx: Ctx, kind: str) -> str:
    word = ctx.pick(SHOP_WORD[kind][ctx.lang])
    if ctx.loc.code == "en_MY":
        return ctx.names.company(ctx.loc, ctx.rng)
    family = ctx.rng.choice(FAMILY[ctx.lang].split("|"))

    def make(rng: object) -> str:
        if ctx.lang == "en":
            owner = f"{family}'" if family.endswith("s") else f"{family}'s"
            return f"{owner} {word}" if ctx.rng.random() < 0.5 else f"{family} {word}"
        if ctx.lang in ("fr", "es"):
            return f"{word} {family}"
        return f"{word} {family}" if ctx.rng.random() < 0.5 else f"{family} {word}"

    return ctx.names.fresh(make, ctx.rng)


def receipt(ctx: Ctx, kind: str, pool: dict[str, str], count: int, low: int, high: int) -> Receipt:
    shop = company(ctx)
    shop.name = shop_name(ctx, kind)
    rng = ctx.rng
    day = date(rng.choice((2022, 2023, 2024, 2025)), rng.randint(1, 12), rng.randint(1, 28))
    clock = f"{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}"
    if rng.random() < 0.5:
        clock += f":{rng.randint(0, 59):02d}"
    lines = items(ctx, pool, count, low, high)
    for line in lines:
        line.qty = Decimal(rng.choice((1, 1, 1, 2, 3)))
        line.price = Decimal(rng.randint(low * 100, high * 100)) / 100
    number_ = str(rng.randint(1000, 999999))
    return Receipt(shop, day, clock, number_, lines, rng.choice(("numeric", "short", "numeric")))


def gold(r: Receipt, loc: Locale, *, number_: str | None = None) -> dict[str, object]:
    return {
        "company": r.shop.name,
        "date": r.day.isoformat(),
        "address": f"{r.shop.street}, {r.shop.city}",
        "total": float(r.paid(loc)),
        "receipt_number": number_ if number_ is not None else r.number,
    }


def item_lines(ctx: Ctx, r: Receipt, *, codes: bool = True) -> list[str]:
    out = []
    loc = ctx.loc
    codes_of = {rate: "ABCD"[n] for n, rate in enumerate(sorted({line.rate for line in r.lines}))}
    for line in r.lines:
        price = number(loc, line.amount, group="")
        code = f" {codes_of[line.rate]}" if codes else ""
        if line.qty != 1:
            out.append(f"  {line.qty} x {number(loc, line.price, group='')}")
        out.append(spread(line.text[:30], price + code))
    return out


def tax_table(ctx: Ctx, r: Receipt) -> list[str]:
    loc = ctx.loc
    out = []
    for n, rate in enumerate(sorted({line.rate for line in r.lines})):
        gross = sum((line.amount for line in r.lines if line.rate == rate), Decimal(0))
        tax = cents(gross - gross / (1 + rate / 100))
        left = f"{'ABCD'[n]} {ctx.words['tax']} {pct(loc, rate)}"
        out.append(spread(left, f"{number(loc, gross - tax)}  {number(loc, tax)}"))
    return out


def stamp(ctx: Ctx, r: Receipt) -> str:
    return f"{date_text(ctx.loc, r.day, r.dates)} {r.time}"


def payment(ctx: Ctx, total: Decimal, *, cash: bool) -> list[str]:
    w, loc = ctx.words, ctx.loc
    if not cash:
        return [spread(w["card"], number(loc, total)), f"************{ctx.rng.randint(1000, 9999)}"]
    given = Decimal((int(total) // 10 + 1) * 10)
    return [spread(w["cash"], number(loc, given)), spread(w["change"], number(loc, given - total))]


# --- supermarket -------------------------------------------------------------------------


def supermarket(ctx: Ctx) -> Built:
    r = receipt(ctx, "supermarket", GROCERIES, ctx.rng.randint(3, 9), 1, 12)
    w, loc = ctx.words, ctx.loc
    cash = ctx.rng.random() < 0.4
    points = f"{ctx.rng.randint(100, 9999):,}".replace(",", loc.group)
    till = ctx.rng.randint(1, 12)

    def draw() -> bytes:
        total = r.paid(loc)
        head = [center(r.shop.name.upper()), center(r.shop.street), center(r.shop.city)]
        head += [center(f"{w['phone']} {r.shop.phone}"), center(r.shop.vat), ""]
        body = [spread(loc.currency, ""), *item_lines(ctx, r)]
        body.append("-" * 42)
        if loc.code in ADDED_TAX:
            body.append(spread(w["r_sub"], number(loc, r.subtotal)))
            body.append(spread(f"{loc.tax} {pct(loc, r.lines[0].rate)}", number(loc, r.tax(loc))))
        body.append(spread(w["r_total"], money(loc, total, "code")))
        body += payment(ctx, total, cash=cash)
        body += ["", w["items"].format(n=sum(int(line.qty) for line in r.lines))]
        body.append(w["points"].format(p=points))
        if loc.code not in ADDED_TAX:
            body += ["", *tax_table(ctx, r)]
        foot = ["", spread(stamp(ctx, r), f"{w['cashier']} {till}"), spread(w["r_no"], r.number)]
        foot += ["", center(w["r_thanks"])]
        lines = head + body + foot
        big = lines.index(spread(w["r_total"], money(loc, total, "code")))
        return receipt_pdf(lines, bold=(0, big))

    return Built(gold(r, loc), draw)


# --- cafe --------------------------------------------------------------------------------


def cafe(ctx: Ctx) -> Built:
    r = receipt(ctx, "cafe", MEALS, ctx.rng.randint(2, 6), 2, 24)
    w, loc = ctx.words, ctx.loc
    table = ctx.rng.randint(1, 40)
    covers = ctx.rng.randint(1, 6)
    tip = ctx.lang == "en" and ctx.rng.random() < 0.5

    def draw() -> bytes:
        total = r.paid(loc)
        lines = [
            center(r.shop.name),
            center(f"{r.shop.street} - {r.shop.city}"),
            center(r.shop.phone),
        ]
        lines += ["", spread(f"{w['r_no']} {r.number}", stamp(ctx, r))]
        lines += [f"{TABLE[ctx.lang]} {table}   {COVERS[ctx.lang]}: {covers}", "=" * 42]
        lines += item_lines(ctx, r, codes=False)
        lines.append("=" * 42)
        if loc.code in ADDED_TAX:
            lines.append(spread(w["r_sub"], number(loc, r.subtotal)))
            lines.append(spread(f"{loc.tax} {pct(loc, r.lines[0].rate)}", number(loc, r.tax(loc))))
        lines.append(spread(w["r_total"], money(loc, total, "symbol")))
        lines += payment(ctx, total, cash=ctx.rng.random() < 0.5)
        if tip:
            lines += [
                "",
                "Gratuity not included",
                "Suggested tip 15%: " + number(loc, cents(total * Decimal("0.15"))),
            ]
        if loc.code not in ADDED_TAX:
            lines += ["", *tax_table(ctx, r)]
        lines += ["", center(r.shop.vat), center(w["r_thanks"])]
        return receipt_pdf(lines, bold=(0,))

    return Built(gold(r, loc), draw)


# --- tax_invoice -------------------------------------------------------------------------

TITLE = {
    "en": "TAX INVOICE",
    "fr": "FACTURE SIMPLIFIEE",
    "de": "RECHNUNG",
    "nl": "KASSABON",
    "es": "FACTURA SIMPLIFICADA",
}


def tax_invoice(ctx: Ctx) -> Built:
    r = receipt(ctx, "supermarket", GROCERIES, ctx.rng.randint(2, 7), 1, 30)
    r.shop.name = ctx.names.company(ctx.loc, ctx.rng)
    w, loc = ctx.words, ctx.loc
    reg = f"({ctx.rng.randint(100000, 999999)}-{ctx.pick('A|D|K|M|P|T|U|V|W|X')})"
    doc = f"{ctx.pick('CS|INV|T|FS')}{ctx.rng.randint(10000, 99999)}"
    cash = ctx.rng.random() < 0.6

    def draw() -> bytes:
        total, paid = r.total(loc), r.paid(loc)
        lines = [center(r.shop.name.upper())]
        if loc.code == "en_MY":
            lines.append(center(reg))
        lines += [
            center(r.shop.street.upper()),
            center(r.shop.city.upper()),
            center(r.shop.vat),
            "",
        ]
        lines += [center(TITLE[ctx.lang]), "", spread("Doc No", doc), spread("Date", stamp(ctx, r))]
        lines += [
            spread(w["cashier"], ctx.names.person(ctx.lang, ctx.rng).split()[0].upper()),
            "-" * 42,
        ]
        lines.append(spread(f"{w['qty']}  {w['desc']}", w["amount"]))
        lines += item_lines(ctx, r, codes=loc.code == "en_MY")
        lines.append("-" * 42)
        if loc.code in ADDED_TAX:
            lines.append(spread(f"Total Excl. {loc.tax}", number(loc, r.subtotal)))
            lines.append(
                spread(f"{loc.tax} @ {pct(loc, r.lines[0].rate)}", number(loc, r.tax(loc)))
            )
            lines.append(spread(f"Total Incl. {loc.tax}", number(loc, total)))
            if paid != total:
                lines.append(spread("Rounding Adj", number(loc, paid - total)))
            lines.append(spread(ctx.pick("TOTAL ROUNDED|TOTAL|Total Amount"), number(loc, paid)))
        else:
            lines.append(spread(w["r_total"], money(loc, paid, "symbol")))
            lines += tax_table(ctx, r)
        lines += payment(ctx, paid, cash=cash)
        lines += [
            "",
            center("GOODS SOLD ARE NOT RETURNABLE" if ctx.lang == "en" else w["r_thanks"]),
        ]
        return receipt_pdf(lines, bold=(0,))

    return Built(gold(r, loc, number_=doc), draw)


# --- fuel (holdout) ----------------------------------------------------------------------


def fuel(ctx: Ctx) -> Built:
    r = receipt(ctx, "fuel", FUELS, 1, 1, 2)
    w, loc = ctx.words, ctx.loc
    litres = Decimal(ctx.rng.randint(1500, 6500)) / 100
    per_litre = Decimal(ctx.rng.randint(1450, 1990)) / 1000
    line = r.lines[0]
    line.qty, line.price = Decimal(1), cents(litres * per_litre)
    if ctx.rng.random() < 0.5:  # a coffee with the fuel
        r.lines.append(Item(SHOP_EXTRA[ctx.lang], Decimal(1), Decimal("2.40"), line.rate))
    pump = ctx.rng.randint(1, 12)
    auth = f"{ctx.rng.randint(100000, 999999)}"
    terminal = f"{ctx.rng.randint(10000000, 99999999)}"

    def draw() -> bytes:
        total = r.paid(loc)
        lines = [center(r.shop.name), center(r.shop.street), center(r.shop.city), ""]
        lines += [spread(date_text(loc, r.day, r.dates), r.time), spread(w["r_no"], r.number), ""]
        lines.append(f"{PUMP[ctx.lang]} {pump}")
        lines.append(spread(f"{line.text}", number(loc, line.amount)))
        unit = f"{per_litre:f}".replace(".", loc.decimal)
        lines.append(f"  {number(loc, litres)} l x {unit} {loc.currency}/l")
        for extra in r.lines[1:]:
            lines.append(spread(extra.text[:30], number(loc, extra.amount)))
        lines += ["-" * 42, spread(w["r_total"], money(loc, total, "code")), ""]
        if loc.code not in ADDED_TAX:
            lines += tax_table(ctx, r)
        lines += ["", center("*** " + w["card"] + " ***"), spread("Terminal-ID", terminal)]
        lines += [spread("PAN", f"************{ctx.rng.randint(1000, 9999)}"), spread("Auth", auth)]
        lines += [spread("AID", "A0000000041010"), spread(loc.currency, number(loc, total)), ""]
        lines += [center(w["r_thanks"])]
        return receipt_pdf(lines, bold=(0,))

    if loc.code in ADDED_TAX:  # fuel prices include tax at the pump
        for item in r.lines:
            item.rate = Decimal(0)
    return Built(gold(r, loc), draw)


# --- pharmacy (holdout) ------------------------------------------------------------------


def pharmacy(ctx: Ctx) -> Built:
    r = receipt(ctx, "pharmacy", DRUGS, ctx.rng.randint(1, 4), 3, 25)
    w, loc = ctx.words, ctx.loc
    member = ctx.rng.randint(100000, 999999)
    points = ctx.rng.randint(10, 900)

    def draw() -> bytes:
        total = r.paid(loc)
        lines = [center(r.shop.name.upper()), ""]
        where = f"{r.shop.street}, {r.shop.city}"
        lines += [where] if len(where) <= 42 else [r.shop.street, r.shop.city]
        lines += [f"{w['phone']} {r.shop.phone}", r.shop.vat, ""]
        lines += item_lines(ctx, r, codes=False)
        if loc.code in ADDED_TAX:
            lines.append(spread(f"{loc.tax}", number(loc, r.tax(loc))))
        lines += ["", spread(w["r_total"], money(loc, total, "symbol")), ""]
        lines += payment(ctx, total, cash=ctx.rng.random() < 0.3)
        lines += ["", f"{CUSTOMER[ctx.lang]} {member}", w["points"].format(p=points), ""]
        lines += [spread(stamp(ctx, r), f"#{r.number}")]
        if loc.code not in ADDED_TAX:
            lines += ["", *tax_table(ctx, r)]
        lines += ["", center(w["r_thanks"])]
        return receipt_pdf(lines, bold=(0,))

    return Built(gold(r, loc), draw)


TEMPLATES = {
    "supermarket": supermarket,
    "cafe": cafe,
    "tax_invoice": tax_invoice,
    "fuel": fuel,
    "pharmacy": pharmacy,
}
__all__ = ["TEMPLATES", "Item", "Party"]
