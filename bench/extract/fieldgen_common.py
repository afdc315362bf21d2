"""What every generated document is made of: parties, line items, totals, numbers, the result.

A template builds a :class:`Built` in two steps: every random choice is made first (so the gold
is known before a page exists), then ``draw`` places the already chosen strings on a page.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from fieldgen_labels import Words
from fieldgen_locale import Locale, Names, address, cents, date_text, money, phone, vat_id


@dataclass
class Ctx:
    loc: Locale
    rng: random.Random
    names: Names
    words: Words

    @property
    def lang(self) -> str:
        return self.loc.lang

    def pick(self, options: str) -> str:
        return self.rng.choice(options.split("|"))


@dataclass
class Built:
    """A document's gold (schema field → printed value, ISO dates) and how to draw it."""

    gold: dict[str, Any]
    draw: Callable[[], bytes]
    notes: list[str] = field(default_factory=list)


@dataclass
class Party:
    name: str
    street: str
    city: str
    phone: str = ""
    vat: str = ""
    email: str = ""

    def block(self) -> list[str]:
        return [self.name, self.street, self.city]

    def one_line(self) -> str:
        return f"{self.name} · {self.street} · {self.city}"


def company(ctx: Ctx, *, legal: bool = True) -> Party:
    name = ctx.names.company(ctx.loc, ctx.rng, legal=legal)
    street, city = address(ctx.loc, ctx.rng)
    domain = mail_domain(name)
    tld = {"GB": "co.uk", "US": "com", "MY": "com.my"}.get(
        ctx.loc.code[3:], ctx.loc.code[3:].lower()
    )
    return Party(
        name,
        street,
        city,
        phone(ctx.loc, ctx.rng),
        vat_id(ctx.loc, ctx.rng),
        f"{ctx.pick('info|contact|office|hello|billing')}@{domain or 'mail'}.{tld}",
    )


def mail_domain(name: str) -> str:
    """The name's longest word in ASCII letters ("de Vries Bouw B.V." → "vries")."""
    words = [
        "".join(ch for ch in word.lower() if ch.isascii() and ch.isalnum()) for word in name.split()
    ]
    return max(words, key=len) or "mail"


def person(ctx: Ctx) -> Party:
    street, city = address(ctx.loc, ctx.rng)
    return Party(ctx.names.person(ctx.lang, ctx.rng), street, city)


@dataclass
class Item:
    text: str
    qty: Decimal
    price: Decimal
    rate: Decimal

    @property
    def amount(self) -> Decimal:
        return cents(self.qty * self.price)


GOODS = {
    "en": "Office chair, mesh back|A4 copier paper, 5 reams|"
    "Toner cartridge black|Installation labour|"
    "Consulting services|Website maintenance (monthly)|LED panel 60x60|Cable CAT6, 50 m|"
    "Annual software licence|Delivery pallet|Design work (hours)|Catering for 20 people",
    "fr": "Chaise de bureau|Ramette papier A4|Cartouche toner noir|Main d'oeuvre|"
    "Prestation de conseil|Maintenance site web|Dalle LED 60x60|Câble RJ45 5 m|"
    "Licence logiciel annuelle|Frais d'installation|Heures de montage|Plateau repas",
    "de": "Bürostuhl Netzrücken|Kopierpapier A4|Tonerkartusche schwarz|Montagearbeiten|"
    "Beratungsleistung|Wartung Website|LED-Panel 60x60|Netzwerkkabel 5 m|"
    "Softwarelizenz (jährlich)|Anfahrtspauschale|Arbeitsstunden Geselle|Heizungsventil DN15",
    "nl": "Bureaustoel|Kopieerpapier A4|Tonercartridge zwart|Arbeidsloon|Adviesuren|"
    "Onderhoud website|LED-paneel 60x60|Netwerkkabel 5 m|Softwarelicentie (jaar)|Voorrijkosten|"
    "Montage-uren|Radiatorkraan",
    "es": "Silla de oficina|Papel A4 (paquete)|Tóner negro|Mano de obra|Servicios de consultoría|"
    "Mantenimiento web|Panel LED 60x60|Cable de red 5 m|Licencia de software anual|"
    "Desplazamiento|Horas de instalación|Grifo monomando",
}
GROCERIES = {
    "en": "MILK 2L|BREAD WHOLEMEAL|BANANAS|CHEDDAR 400G|COFFEE BEANS|EGGS 12|ORANGE JUICE|"
    "PASTA 500G|TOMATOES|CHICKEN BREAST|BUTTER 250G|DISH SOAP",
    "fr": "LAIT 1L|BAGUETTE|BANANES|COMTE 200G|CAFE MOULU|OEUFS X12|JUS D'ORANGE|PATES 500G|"
    "TOMATES|POULET|BEURRE 250G|LIQUIDE VAISSELLE",
    "de": "MILCH 1,5%|VOLLKORNBROT|BANANEN|GOUDA 400G|KAFFEE BOHNEN|EIER 10ER|ORANGENSAFT|"
    "SPAGHETTI 500G|TOMATEN|HAEHNCHENBRUST|BUTTER 250G|SPUELMITTEL",
    "nl": "MELK HALFVOL|VOLKORENBROOD|BANANEN|KAAS JONG BEL.|KOFFIEBONEN|EIEREN 10|SINAASAPPELSAP|"
    "PENNE 500G|TOMATEN|KIPFILET|ROOMBOTER|AFWASMIDDEL",
    "es": "LECHE ENTERA|PAN DE MOLDE|PLATANOS|QUESO MANCHEGO|CAFE MOLIDO|HUEVOS 12|ZUMO NARANJA|"
    "MACARRONES|TOMATES|PECHUGA POLLO|MANTEQUILLA|LAVAVAJILLAS",
}


def items(ctx: Ctx, pool: dict[str, str], count: int, low: int, high: int) -> list[Item]:
    """``count`` distinct lines; prices between ``low`` and ``high`` (whole units)."""
    texts = ctx.rng.sample(pool[ctx.lang].split("|"), count)
    out = []
    for text in texts:
        qty = Decimal(ctx.rng.choice((1, 1, 1, 2, 3, 4, 5, 10, 12)))
        price = Decimal(ctx.rng.randint(low * 100, high * 100)) / 100
        out.append(Item(text, qty, price, ctx.loc.rate(ctx.rng)))
    return out


@dataclass
class Totals:
    """Net lines plus tax (business documents): subtotal, discount, shipping, tax by rate, total."""

    lines: list[Item]
    discount: Decimal = Decimal(0)
    shipping: Decimal = Decimal(0)

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def net(self) -> Decimal:
        return self.subtotal - self.discount + self.shipping

    def taxes(self) -> dict[Decimal, Decimal]:
        bases: dict[Decimal, Decimal] = {}
        for line in self.lines:
            bases[line.rate] = bases.get(line.rate, Decimal(0)) + line.amount
        main = max(bases, key=lambda rate: bases[rate])
        share = self.shipping - self.discount
        bases[main] += share
        return {rate: cents(base * rate / 100) for rate, base in sorted(bases.items())}

    @property
    def total(self) -> Decimal:
        return cents(self.net + sum(self.taxes().values(), Decimal(0)))


def pct(loc: Locale, rate: Decimal) -> str:
    text = f"{rate.normalize():f}"
    return (text.replace(".", ",") if loc.decimal == "," else text) + (
        " %" if loc.lang in ("fr", "de") else "%"
    )


def totals_rows(
    ctx: Ctx, totals: Totals, style: str, *, due: bool = False
) -> list[tuple[str, str]]:
    """The totals block as (label, amount) rows; the grand total (and amount due) last."""
    w, loc = ctx.words, ctx.loc
    rows = [(w["subtotal"], money(loc, totals.subtotal, style))]
    if totals.discount:
        rows.append((w["discount"], money(loc, -totals.discount, style)))
    if totals.shipping:
        rows.append((w["shipping"], money(loc, totals.shipping, style)))
    for rate, tax in totals.taxes().items():
        rows.append((f"{w['tax']} {pct(loc, rate)}", money(loc, tax, style)))
    rows.append((w["total"], money(loc, totals.total, style)))
    if due:
        rows.append((w["due_amount"], money(loc, totals.total, style)))
    return rows


def number_like(rng: random.Random, patterns: str, day: date) -> str:
    """A document number from one of ``patterns`` (``{y}`` year, ``{nK}`` K digits)."""
    pattern = rng.choice(patterns.split("|"))
    values: dict[str, str] = {"y": str(day.year), "m": f"{day.month:02d}"}
    for size in range(2, 11):
        values[f"n{size}"] = str(rng.randint(10 ** (size - 1), 10**size - 1))
    return pattern.format(**values)


INVOICE_NUMBERS = (
    "INV-{y}-{n4}|{y}{n5}|F{y}-{n5}|RE-{n5}|{y}/{n4}|FAC-{n6}|{n8}|A{n3}-{y}|INV{n6}|FV {y}/{n3}|"
    "{y}-{m}-{n3}|R{n7}"
)
ORDER_NUMBERS = "PO-{y}-{n4}|PO{n6}|BE-{n5}|{n3}-{n7}-{n7}|AB{y}{n4}|PED-{n5}|ORD-{n6}|{n7}|SO-{n5}"


def iso(day: date) -> str:
    return day.isoformat()


def later(day: date, days: int) -> date:
    return day + timedelta(days=days)


def money_style(ctx: Ctx) -> str:
    return ctx.rng.choice(("symbol", "symbol", "code", "plain"))


def date_style(ctx: Ctx) -> str:
    return ctx.rng.choice(("numeric", "numeric", "numeric", "long", "iso"))


def when(ctx: Ctx, day: date, style: str) -> str:
    return date_text(ctx.loc, day, style)
