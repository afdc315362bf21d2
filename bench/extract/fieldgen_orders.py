"""Order templates: purchase orders and order confirmations (two of four held out).

``po_buyer``: a purchase order on the buyer's letterhead, the supplier in an address block,
ship-to beside it, authorised-by line; the seller is the addressee, the customer the issuer.
``confirmation``: an order confirmation on the seller's letterhead to the customer.
``web_order`` (holdout): a web shop's order summary ("Thank you for your order, Anna"), the
shop's brand on top and its legal name in the footer.
``po_grid`` (holdout): a boxed purchase-order form, labels above values in every box.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fieldgen_common import (
    GOODS,
    ORDER_NUMBERS,
    Built,
    Ctx,
    Party,
    Totals,
    company,
    date_style,
    items,
    later,
    money_style,
    number_like,
    person,
    totals_rows,
    when,
)
from fieldgen_draw import Sheet
from fieldgen_locale import money

QUOTE = {
    "en": "Please quote our order number on all invoices and delivery notes.",
    "fr": "Merci de rappeler notre numéro de commande sur vos factures et bons de livraison.",
    "de": "Bitte geben Sie unsere Bestellnummer auf allen Rechnungen und Lieferscheinen an.",
    "nl": "Vermeld ons ordernummer op alle facturen en pakbonnen.",
    "es": "Indiquen nuestro número de pedido en todas las facturas y albaranes.",
}
AUTHORISED = {
    "en": "Authorised by",
    "fr": "Bon pour accord",
    "de": "Freigegeben",
    "nl": "Akkoord",
    "es": "Autorizado por",
}
THANKS = {
    "en": "Thank you for your order, {name}!",
    "fr": "Merci pour votre commande, {name} !",
    "de": "Vielen Dank für Ihre Bestellung, {name}!",
    "nl": "Bedankt voor je bestelling, {name}!",
    "es": "¡Gracias por tu pedido, {name}!",
}
WEB_NUMBER = {
    "en": "Order #",
    "fr": "Commande n°",
    "de": "Bestellnummer",
    "nl": "Bestelnummer",
    "es": "Pedido nº",
}
PLACED = {
    "en": "Placed on",
    "fr": "Passée le",
    "de": "Bestellt am",
    "nl": "Besteld op",
    "es": "Realizado el",
}


@dataclass
class Order:
    seller: Party
    customer: Party
    number: str
    day: date
    totals: Totals
    style: str
    dates: str

    def gold(self, seller: object = None) -> dict[str, object]:
        return {
            "order_number": self.number,
            "seller": seller if seller is not None else self.seller.name,
            "customer": self.customer.name,
            "total": float(self.totals.total),
        }


def order(ctx: Ctx, *, b2c: bool = False) -> Order:
    rng = ctx.rng
    seller = company(ctx)
    customer = person(ctx) if b2c else company(ctx)
    day = date(rng.choice((2023, 2024, 2025)), rng.randint(1, 12), rng.randint(1, 28))
    totals = Totals(items(ctx, GOODS, rng.randint(2, 6), 3, 400))
    if rng.random() < 0.4:
        totals.shipping = Decimal(rng.choice(("4.95", "6.90", "15.00", "49.00")))
    return Order(
        seller,
        customer,
        number_like(rng, ORDER_NUMBERS, day),
        day,
        totals,
        money_style(ctx),
        date_style(ctx),
    )


def rows(ctx: Ctx, o: Order, *, article: bool = True) -> list[list[str]]:
    w, loc = ctx.words, ctx.loc
    out = [["#", w["desc"], w["qty"], w["price"], w["amount"]]]
    for n, line in enumerate(o.totals.lines, 1):
        ref = f"{ctx.rng.randint(10000, 99999)}" if article else str(n)
        price, amount = money(loc, line.price, "plain"), money(loc, line.amount, "plain")
        out.append([ref, line.text, f"{line.qty:f}", price, amount])
    return out


def order_totals(ctx: Ctx, o: Order) -> list[tuple[str, str]]:
    """The totals block, the last row named as order totals are."""
    block = totals_rows(ctx, o.totals, "symbol" if o.style == "plain" else o.style)
    block[-1] = (ctx.words["order_total"], block[-1][1])
    return block


def po_buyer(ctx: Ctx) -> Built:
    o = order(ctx)
    w = ctx.words
    buyer = ctx.names.person(ctx.lang, ctx.rng)
    site = company(ctx)  # a warehouse address of the buyer

    def draw() -> bytes:
        s = Sheet()
        c = o.customer
        s.text(40, 60, c.name, 16, bold=True)
        s.lines(
            40, 77, [c.street, c.city, f"{w['phone']} {c.phone}", f"{w['vat_id']} {c.vat}"], 8.5
        )
        s.text(555, 62, w["po"], 18, bold=True, align="right")
        meta = [(w["order_no"], o.number), (w["order_date"], when(ctx, o.day, o.dates))]
        meta += [(w["delivery_date"], when(ctx, later(o.day, 21), o.dates)), (w["buyer"], buyer)]
        s.pairs(350, 90, meta, 555, 9, value_align="right")
        s.text(40, 170, w["supplier"], 9, bold=True)
        s.lines(40, 185, o.seller.block(), 9.5)
        s.text(320, 170, w["ship_to"], 9, bold=True)
        s.lines(320, 185, [c.name, site.street, site.city], 9.5)
        y = s.table(40, 250, (50, 235, 40, 90, 100), rows(ctx, o), aligns="llrrr")
        y = s.pairs(
            330, y + 20, order_totals(ctx, o), 555, 9.5, value_align="right", bold_last=True
        )
        s.text(40, y + 20, QUOTE[ctx.lang], 8.5)
        s.rule(40, y + 80, 220, 0.5)
        s.text(40, y + 92, f"{AUTHORISED[ctx.lang]}: {buyer}", 8.5)
        return s.pdf()

    return Built(o.gold(), draw)


def confirmation(ctx: Ctx) -> Built:
    o = order(ctx, b2c=ctx.rng.random() < 0.3)
    w = ctx.words
    family = ctx.rng.choice(("Helvetica", "Times"))
    cust_no = f"{ctx.rng.randint(10000, 99999)}"

    def draw() -> bytes:
        s = Sheet(family=family)
        v = o.seller
        s.text(555, 58, v.name, 15, bold=True, align="right")
        s.lines(555, 74, [v.street, v.city, v.phone, v.email], 8.5, align="right")
        s.text(57, 140, v.one_line(), 6.5)
        s.lines(57, 158, o.customer.block(), 10)
        s.text(57, 250, w["confirm"], 14, bold=True)
        info = [
            (w["order_no"], o.number),
            (w["order_date"], when(ctx, o.day, o.dates)),
            (w["cust_no"], cust_no),
        ]
        s.pairs(360, 158, info, 460, 9)
        y = s.table(
            57,
            275,
            (45, 230, 40, 80, 90),
            rows(ctx, o, article=False),
            aligns="llrrr",
            header_fill=0.9,
        )
        y = s.pairs(
            330, y + 18, order_totals(ctx, o), 542, 9.5, value_align="right", bold_last=True
        )
        s.text(57, y + 25, f"{w['delivery_date']}: {when(ctx, later(o.day, 10), o.dates)}", 9)
        s.text(57, y + 40, w["thanks"], 9)
        s.text(297, 805, f"{v.name} · {w['vat_id']} {v.vat} · {w['page']}", 7, align="center")
        return s.pdf()

    return Built(o.gold(), draw)


def web_order(ctx: Ctx) -> Built:
    o = order(ctx, b2c=True)
    brand = o.seller.name.split()[0]
    if len(brand) <= 3:
        brand = " ".join(o.seller.name.split()[:2])
    domain = "".join(ch for ch in brand.lower() if ch.isascii() and ch.isalpha()) + ".shop"
    w = ctx.words
    first = o.customer.name.split()[0]

    def draw() -> bytes:
        s = Sheet()
        s.text(40, 55, brand.upper(), 22, bold=True, grey=0.2)
        s.text(555, 55, domain, 9, align="right", grey=0.4)
        s.rule(40, 68, 555, 2.0, grey=0.2)
        s.text(40, 100, THANKS[ctx.lang].format(name=first), 14, bold=True)
        s.text(40, 122, f"{WEB_NUMBER[ctx.lang]} {o.number}", 10)
        s.text(40, 137, f"{PLACED[ctx.lang]} {when(ctx, o.day, 'long')}", 10)
        s.text(330, 100, w["ship_addr"], 9, bold=True)
        s.lines(330, 115, o.customer.block(), 9.5)
        table = [[w["desc"], w["qty"], w["amount"]]]
        table += [
            [line.text, f"{line.qty:f}", money(ctx.loc, line.amount, "symbol")]
            for line in o.totals.lines
        ]
        y = s.table(40, 190, (340, 60, 115), table, aligns="lcr", header_fill=None)
        y = s.pairs(300, y + 20, order_totals(ctx, o), 555, 10, value_align="right", bold_last=True)
        v = o.seller
        s.text(297, 790, f"{w['sold_by']} {v.name} · {v.street} · {v.city}", 7, align="center")
        s.text(297, 800, f"{w['vat_id']} {v.vat} · {v.email}", 7, align="center")
        return s.pdf()

    return Built(o.gold([o.seller.name, brand]), draw)


def po_grid(ctx: Ctx) -> Built:
    o = order(ctx)
    w = ctx.words
    buyer = ctx.names.person(ctx.lang, ctx.rng)

    def draw() -> bytes:
        s = Sheet()
        c = o.customer
        s.box(40, 40, 515, 50, fill=0.85)
        s.text(50, 62, c.name, 13, bold=True)
        s.text(50, 78, f"{c.street}, {c.city}", 8.5)
        s.text(545, 70, w["po"].upper(), 16, bold=True, align="right")
        cells = [
            (w["order_no"], o.number),
            (w["order_date"], when(ctx, o.day, o.dates)),
            (w["delivery_date"], when(ctx, later(o.day, 14), o.dates)),
        ]
        for column, (label, value) in enumerate(cells):
            x = 40 + column * 171.67
            s.box(x, 95, 171.67, 32)
            s.text(x + 5, 105, label, 7, grey=0.35)
            s.text(x + 5, 120, value, 10, bold=True)
        for x, label, block in (
            (40, w["supplier"], o.seller.block()),
            (297.5, w["buyer"], [buyer, c.email, c.phone]),
        ):
            s.box(x, 132, 257.5, 70)
            s.text(x + 5, 142, label, 7, grey=0.35)
            s.lines(x + 5, 156, block, 9.5)
        y = s.table(40, 215, (50, 245, 40, 80, 100), rows(ctx, o), aligns="llrrr", grid=True)
        for label, value in order_totals(ctx, o):
            s.box(355, y, 200, 18)
            s.text(360, y + 12, label, 9)
            s.text(550, y + 12, value, 9, align="right")
            y += 18
        s.text(40, y + 30, QUOTE[ctx.lang], 8)
        s.box(40, y + 50, 250, 40)
        s.text(45, y + 60, AUTHORISED[ctx.lang], 7, grey=0.35)
        return s.pdf()

    return Built(o.gold(), draw)


TEMPLATES = {
    "po_buyer": po_buyer,
    "confirmation": confirmation,
    "web_order": web_order,
    "po_grid": po_grid,
}
