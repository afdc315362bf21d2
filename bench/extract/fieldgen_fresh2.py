"""A second fresh set: invoice and receipt layouts written before anyone read the rules.

The first fresh split (``fieldgen_fresh``) was scored, then the rules were fixed on it, so it
no longer says how the rules do on documents nobody tuned them on. These templates were written
from how such documents look in the wild, without reading the extractor's rules, docs or tests,
and they vary what makes extraction hard: where the vendor block sits, labels in several
languages, numbers with prefixes and slashes, dates in several formats and totals with several
candidate lines.

Invoices (9 layouts, 5 each):

- ``rechnung_din``: a German/Austrian DIN 5008 letter — a tiny sender line above the
  recipient's address in the window, the letterhead on the right, an info block with
  Kundennummer / Leistungsdatum beside the Rechnungsdatum, Skonto and the legal details in a
  three-column footer;
- ``facture_siret``: a French facture — "Facture N°", SIRET, TVA intracommunautaire, Total HT /
  TVA / Total TTC / Net à payer, the 40 € recovery indemnity of the legal mentions;
- ``factura_nif``: a Spanish factura — NIF/CIF, "Fecha de expedición" beside "Fecha de
  operación", a freelancer's IRPF withholding taken off the total;
- ``factuur_kvk``: a Dutch/Belgian factuur whose top shows only a centred lowercase wordmark;
  the legal name is in the footer with KvK/KBO, BTW and IBAN;
- ``uk_vat``: a UK VAT invoice with the vendor top right, a tax point apart from the invoice
  date, the customer's order and account numbers, and sometimes paid by card (balance 0.00);
- ``ca_gst``: Canadian invoices in English and French with GST/HST/QST (TPS/TVQ) numbers,
  ``$`` amounts and the currency as a code or in words;
- ``saas_issue``: a subscription invoice — "Date of issue", "Date due", "$49.00 USD due …",
  "Amount due", the product's wordmark top right and the legal name in the "from" block;
- ``sold_by``: a marketplace invoice issued for a third-party seller ("Sold by"), with the
  marketplace's own legal name in the footer and an order number and order date beside the
  invoice's;
- ``ch_qr``: a Swiss Rechnung / facture in CHF with a QR-bill-like payment part (receipt and
  payment part repeat the creditor, the amount in another grouping and a reference).

Receipts (4 layouts, 5 each): ``till_receipt`` (German/Dutch supermarket till roll with cash
given and change, a VAT table, deposit lines), ``restaurant_tip`` (US/Canadian restaurant check
with a card slip, a tip and suggested gratuities), ``fuel_ticket`` (French/Spanish fuel
station: pump, litres × price per litre, two-digit years), ``sdn_bhd`` (Malaysian GST/SST and
Singapore GST receipts: Co. Reg. No., rounding adjustment, cash and change).

All are the ``fresh2`` split. Texts are drawn in DejaVu fonts (fieldgen_fresh's) or on the
thermal roll of ``fieldgen_draw``; about a third are scans.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from fieldgen_common import Built, Ctx
from fieldgen_draw import center, receipt_pdf, spread
from fieldgen_fresh import (
    Line,
    amount,
    cents,
    day_of,
    digits,
    fresh_name,
    lines_of,
    net_of,
    sheet,
    table,
)
from fieldgen_locale import Locale, month_name

LOCALES = {
    "en_CA": Locale("en_CA", "en", "CAD", "$", False, ".", ",", "HST", ("13",), "YMD", "-", "+1"),
    "fr_CA": Locale("fr_CA", "fr", "CAD", "$", True, ",", " ", "TPS", ("5",), "YMD", "-", "+1"),
    "fr_CH": Locale(
        "fr_CH", "fr", "CHF", "CHF", False, ".", "'", "TVA", ("8.1",), "DMY", ".", "+41"
    ),
    "en_SG": Locale("en_SG", "en", "SGD", "S$", False, ".", ",", "GST", ("9",), "DMY", "/", "+65"),
    "en_IE": Locale("en_IE", "en", "EUR", "€", False, ".", ",", "VAT", ("23",), "DMY", "/", "+353"),
}


def month(lang: str, day: date, short: bool = False) -> str:
    name = month_name(lang, day.month)
    return name[:3] if short else name


def dmy(day: date, sep: str, year: int = 4) -> str:
    y = f"{day.year:04d}" if year == 4 else f"{day.year % 100:02d}"
    return f"{day.day:02d}{sep}{day.month:02d}{sep}{y}"


def accepted(full: str, base: str, forms_known: Sequence[str] = ()) -> str | list[str]:
    """The gold spelling(s) of a company: the printed legal name, and its base name too when
    the legal form is one the bench's normaliser does not drop (e.K., SASU, ltée, oHG...)."""
    form = full[len(base) :].strip()
    if not form or form in forms_known:
        return full
    return [full, base]


# Forms the bench already treats as legal suffixes (so the base name needs no second spelling).
KNOWN_FORMS = (
    "GmbH",
    "GmbH & Co. KG",
    "AG",
    "KG",
    "SARL",
    "SAS",
    "EURL",
    "S.L.",
    "S.A.",
    "S.L.U.",
    "B.V.",
    "BV",
    "NV",
    "Ltd",
    "Ltd.",
    "Limited",
    "LLP",
    "Inc.",
    "LLC",
    "Corp.",
    "Sdn Bhd",
    "Sdn. Bhd.",
    "SDN BHD",
    "SDN. BHD.",
    "SA",
    "Sàrl",
    "plc",
    "Pte Ltd",
    "PTE LTD",
    "ENTERPRISE",
)


def invoice_gold(
    number: str, day: date, total: Decimal, vendor: str | list[str], currency: str
) -> dict[str, object]:
    return {
        "invoice_number": number,
        "invoice_date": day.isoformat(),
        "total": float(total),
        "vendor": vendor,
        "currency": currency,
    }


def receipt_gold(
    company: str | list[str], day: date, address: str, total: Decimal, number: str
) -> dict[str, object]:
    return {
        "company": company,
        "date": day.isoformat(),
        "address": address,
        "total": float(total),
        "receipt_number": number,
    }


def iban_like(ctx: Ctx, country: str, size: int) -> str:
    raw = f"{country}{ctx.rng.randint(10, 99)}" + "".join(
        str(ctx.rng.randint(0, 9)) for _ in range(size)
    )
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


# --- rechnung_din (de_DE / de_AT) -------------------------------------------------------------

_DE_TRADE = "Schreinerei|Elektrotechnik|Haustechnik|Dachdeckerei|Ingenieurbüro|Fliesenlegerei"
_DE_FAMILY = "Albrecht|Brandt|Dietrich|Engel|Graf|Haas|Jäger|Kraus|Ludwig|Seidel|Winkler|Pohl"
_DE_GOODS = (
    "Montage Einbauschrank|Arbeitszeit Meister|Arbeitszeit Geselle|Anfahrt pauschal|"
    "Kleinmaterial|Fliesen 30x60 (m²)|Dachrinne Zink (lfm)|Elektroprüfung DGUV V3|Planungsleistung"
)
_DE_STREETS = "Industriestraße|Gewerbering|Mühlweg|Schillerstraße|Gartenstraße|Ringstraße"
_DE_CITIES = {
    "de_DE": "90402 Nürnberg|04109 Leipzig|28195 Bremen|65183 Wiesbaden|79098 Freiburg",
    "de_AT": "4020 Linz|6020 Innsbruck|9020 Klagenfurt|3100 St. Pölten",
}


def rechnung_din(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    form = ctx.pick("GmbH|GmbH & Co. KG|e.K.|KG" if loc.code == "de_DE" else "GmbH|KG|e.U.")
    trade = ctx.pick(_DE_TRADE)
    base = ctx.names.fresh(lambda _r: f"{trade} {rng.choice(_DE_FAMILY.split('|'))}", rng)
    vendor = f"{base} {form}"
    client = fresh_name(ctx, "Wohnbau|Hausverwaltung|Autohaus|Praxis", _DE_FAMILY, "GmbH|AG|")
    cities = _DE_CITIES[loc.code].split("|")
    street = f"{ctx.pick(_DE_STREETS)} {rng.randint(1, 88)}"
    city = rng.choice(cities)
    items = lines_of(ctx, _DE_GOODS, 40, 1900)
    rate = Decimal(20 if loc.code == "de_AT" else ctx.pick("19|19|7"))
    net = net_of(items)
    vat = cents(net * rate / 100)
    total = net + vat
    day = day_of(ctx)
    service = day - timedelta(days=rng.randint(3, 25))
    number = ctx.pick(
        f"RE-{day.year}-{digits(ctx, 4)}|{day.year}/{digits(ctx, 4)}|{digits(ctx, 5)}"
        f"|R{day.year % 100:02d}{day.month:02d}-{digits(ctx, 3)}"
    )
    customer_no = f"{ctx.pick('K|KD|')}{digits(ctx, 5)}"
    dated = dmy(day, ".") if rng.random() < 0.7 else f"{day.day}. {month('de', day)} {day.year}"
    euro = ctx.pick("sym|code")

    def eur(value: Decimal) -> str:
        return f"{amount(loc, value)} €" if euro == "sym" else f"EUR {amount(loc, value)}"

    tax_label = ctx.pick(
        f"zzgl. {rate} % USt.|zzgl. {rate} % MwSt.|Umsatzsteuer {rate} %|{rate} % MwSt."
    )
    total_label = ctx.pick("Rechnungsbetrag|Gesamtbetrag|Zu zahlender Betrag|Endbetrag")
    skonto = rng.random() < 0.5
    brand_only = rng.random() < 0.4

    def draw() -> bytes:
        s = sheet(ctx)
        # Letterhead on the right.
        if brand_only:
            s.text(555, 48, base.split()[-1].upper(), 20, bold=True, align="right")
            s.text(555, 62, trade, 9, align="right", grey=0.3)
        else:
            s.text(555, 52, vendor, 13, bold=True, align="right")
        s.lines(
            555,
            84,
            [
                street,
                city,
                f"Tel. {loc.phone} {digits(ctx, 3)} {digits(ctx, 5)}",
                f"info@{base.split()[-1].lower()}.{loc.code[3:].lower()}",
            ],
            8,
            align="right",
        )
        # Window: tiny sender line, then the recipient.
        s.text(57, 130, f"{vendor} · {street} · {city}", 6)
        s.rule(57, 132, 250, 0.3)
        s.lines(
            57,
            148,
            [
                client,
                f"z. Hd. {ctx.pick('Herrn|Frau')} {rng.choice(_DE_FAMILY.split('|'))}",
                f"{ctx.pick(_DE_STREETS)} {rng.randint(1, 60)}",
                rng.choice(cities),
            ],
            10,
        )
        info = [
            (ctx.pick("Rechnungsnummer:|Rechnungs-Nr.:|Rechnung Nr.:"), number),
            (ctx.pick("Kundennummer:|Kunden-Nr.:"), customer_no),
            (ctx.pick("Rechnungsdatum:|Datum:"), dated),
            (ctx.pick("Leistungsdatum:|Lieferdatum:|Leistungszeitraum:"), dmy(service, ".")),
        ]
        if rng.random() < 0.5:
            info.insert(2, ("Ihre Bestellung:", f"{digits(ctx, 6)} vom {dmy(service, '.')}"))
        s.pairs(370, 148, info, 465, 8.5)
        s.text(57, 268, ctx.pick(f"Rechnung Nr. {number}|Rechnung|RECHNUNG"), 12, bold=True)
        s.text(57, 290, "Sehr geehrte Damen und Herren,", 9)
        s.text(57, 303, "für die erbrachten Leistungen berechnen wir Ihnen wie folgt:", 9)
        rows = [["Pos.", "Menge", "Bezeichnung", "Einzelpreis", "Gesamt"]]
        rows += [
            [str(n + 1), f"{it.qty}", it.text, amount(loc, it.price), amount(loc, it.net)]
            for n, it in enumerate(items)
        ]
        y = s.table(57, 318, (35, 45, 215, 90, 100), rows, size=8.5, aligns="lrlrr")
        summary = [("Nettobetrag", eur(net)), (tax_label, eur(vat)), (total_label, eur(total))]
        y = s.pairs(330, y + 16, summary, 542, 9.5, value_align="right", bold_last=True)
        due = day + timedelta(days=14)
        s.text(
            57, y + 16, f"Zahlbar innerhalb von 14 Tagen ohne Abzug bis zum {dmy(due, '.')}.", 8.5
        )
        if skonto:
            disc = cents(total * Decimal("0.02"))
            s.text(
                57,
                y + 29,
                f"Bei Zahlung bis {dmy(day + timedelta(days=7), '.')} 2 % Skonto "
                f"({eur(disc)}), Zahlbetrag dann {eur(total - disc)}.",
                8.5,
            )
        s.text(57, y + 50, "Mit freundlichen Grüßen", 9)
        s.rule(57, 760, 542, 0.4, grey=0.5)
        register = (
            f"Amtsgericht {city.split()[-1]} HRB {digits(ctx, 5)}"
            if loc.code == "de_DE"
            else f"FN {digits(ctx, 6)}{ctx.pick('a|b|k')}, LG {city.split()[-1]}"
        )
        vat_id = f"DE{digits(ctx, 9)}" if loc.code == "de_DE" else f"ATU{digits(ctx, 8)}"
        s.lines(57, 772, [vendor, street, city], 6.5)
        s.lines(
            230,
            772,
            [
                f"Geschäftsführer: {rng.choice(('Jan', 'Eva', 'Udo', 'Ina'))} {base.split()[-1]}",
                register,
                f"USt-IdNr.: {vat_id}",
            ],
            6.5,
        )
        country = "DE" if loc.code == "de_DE" else "AT"
        s.lines(
            400,
            772,
            [
                ctx.pick("Sparkasse|Volksbank|Raiffeisenbank"),
                f"IBAN {iban_like(ctx, country, 18)}",
                f"BIC {ctx.pick('BYLADEM1|GENODEF1|RZOOAT2L')}XXX",
            ],
            6.5,
        )
        return s.pdf()

    gold_vendor = accepted(vendor, base, KNOWN_FORMS)
    return Built(invoice_gold(number, day, total, gold_vendor, "EUR"), draw)


# --- facture_siret (fr_FR) --------------------------------------------------------------------

_FR_TRADE = "Menuiserie|Plâtrerie|Électricité Générale|Paysages|Conseil RH|Carrelage|Serrurerie"
_FR_FAMILY = "Bertrand|Charpentier|Delorme|Fabre|Gillet|Huet|Lacroix|Maillard|Noël|Pichon|Rey"
_FR_GOODS = (
    "Pose de parquet chêne (m²)|Fourniture et pose prise 16A|Main d'œuvre (heure)|"
    "Déplacement forfaitaire|Audit et recommandations|Taille de haies|Ouverture de porte|"
    "Carrelage grès cérame (m²)|Évacuation des gravats"
)
_FR_PLACES = "Rennes|Toulouse|Montpellier|Dijon|Grenoble|Angers|Reims"
_FR_POST = {
    "Rennes": "35000",
    "Toulouse": "31000",
    "Montpellier": "34000",
    "Dijon": "21000",
    "Grenoble": "38000",
    "Angers": "49000",
    "Reims": "51100",
}


def facture_siret(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    form = ctx.pick("SARL|SAS|EURL|SASU")
    trade = ctx.pick(_FR_TRADE)
    base = ctx.names.fresh(lambda _r: f"{trade} {rng.choice(_FR_FAMILY.split('|'))}", rng)
    vendor = f"{base} {form}" if rng.random() < 0.6 else f"{form} {base}"
    town = ctx.pick(_FR_PLACES)
    ways = "rue de la République|chemin des Vignes|allée des Tilleuls|route de Paris"
    street = f"{rng.randint(2, 140)} {ctx.pick(ways)}"
    city = f"{_FR_POST[town]} {town}"
    client = fresh_name(ctx, "Cabinet|Boulangerie|Syndic|Pharmacie", _FR_FAMILY, "SARL|SCI|")
    items = lines_of(ctx, _FR_GOODS, 45, 1600)
    subtotal = net_of(items)
    discount = cents(subtotal * Decimal("0.05")) if rng.random() < 0.35 else Decimal(0)
    net = subtotal - discount
    rate = Decimal(ctx.pick("20|20|10"))
    vat = cents(net * rate / 100)
    total = net + vat
    day = day_of(ctx)
    number = ctx.pick(
        f"FA-{day.year}-{digits(ctx, 4)}|F{day.year}{day.month:02d}-{digits(ctx, 3)}"
        f"|{day.year}-{digits(ctx, 3)}|FAC{digits(ctx, 6)}"
    )
    dated = ctx.pick(f"{dmy(day, '/')}|{day.day} {month('fr', day)} {day.year}|{dmy(day, '/')}")
    siren = digits(ctx, 9)
    euro = ctx.pick("€|€|EUR")
    spaced = rng.random() < 0.5

    def eur(value: Decimal) -> str:
        return f"{amount(loc, value)} {euro}"

    def draw() -> bytes:
        s = sheet(ctx)
        s.text(40, 55, vendor, 15, bold=True)
        s.lines(
            40,
            72,
            [
                street,
                city,
                f"Tél. : 0{rng.randint(1, 5)} {digits(ctx, 2)} {digits(ctx, 2)} "
                f"{digits(ctx, 2)} {digits(ctx, 2)}",
                f"SIRET : {siren} {digits(ctx, 5)}",
            ],
            8.5,
        )
        s.text(555, 55, "FACTURE", 22, bold=True, align="right")
        label = ctx.pick("Facture N° :|N° de facture :|Numéro :")
        info = [
            (label, number),
            (ctx.pick("Date :|Date de facturation :|Date d'émission :"), dated),
        ]
        info.append(("Échéance :", dmy(day + timedelta(days=30), "/")))
        if rng.random() < 0.5:
            info.append(("Réf. client :", f"CL{digits(ctx, 4)}"))
        if rng.random() < 0.4:
            info.append(("Bon de commande :", f"BC-{digits(ctx, 5)}"))
        s.pairs(360, 90, info, 470, 8.5)
        s.text(320, 175, ctx.pick("Adressée à :|Client :|Facturé à :"), 8.5, bold=True)
        s.lines(
            320,
            189,
            [
                client,
                f"{rng.randint(1, 60)} boulevard Gambetta",
                f"{_FR_POST[ctx.pick(_FR_PLACES)]} {ctx.pick(_FR_PLACES)}",
            ],
            9,
        )
        s.text(
            40, 250, f"Objet : {ctx.pick('Travaux réalisés|Prestation du mois|Intervention')}", 9
        )
        rows = [["Désignation", "Qté", "P.U. HT", "Montant HT"]]
        rows += [[it.text, str(it.qty), amount(loc, it.price), amount(loc, it.net)] for it in items]
        y = table(s, 40, 265, (265, 45, 95, 110), rows)
        summary = [("Total HT", eur(subtotal))]
        if discount:
            summary += [("Remise 5 %", eur(-discount)), ("Total HT après remise", eur(net))]
        summary += [(f"TVA {rate} %", eur(vat)), ("Total TTC", eur(total))]
        if rng.random() < 0.5:
            summary.append(("Net à payer", eur(total)))
        y = s.pairs(330, y + 16, summary, 555, 9.5, value_align="right", bold_last=True)
        s.text(40, y + 18, "Conditions de paiement : 30 jours date de facture, par virement.", 8)
        s.text(40, y + 30, f"IBAN : {iban_like(ctx, 'FR', 23)}", 8)
        s.text(
            40,
            y + 48,
            "En cas de retard de paiement, pénalités au taux de 3 fois le taux "
            "d'intérêt légal ; indemnité forfaitaire",
            7,
        )
        s.text(
            40,
            y + 57,
            "pour frais de recouvrement : 40 €. Pas d'escompte pour paiement anticipé.",
            7,
        )
        capital = ctx.pick("1 000|5 000|8 000|10 000|37 000")
        tva = f"FR{rng.randint(10, 99)}{' ' if spaced else ''}{siren}"
        foot = (
            f"{vendor} au capital de {capital} € – RCS {town} {siren[:3]} {siren[3:6]} "
            f"{siren[6:]} – TVA intracommunautaire : {tva} – APE {rng.randint(1000, 9999)}Z"
        )
        s.rule(40, 790, 555, 0.4, grey=0.5)
        s.text(297, 802, foot, 6.5, align="center")
        return s.pdf()

    gold_vendor = accepted(vendor, base, KNOWN_FORMS)
    if vendor.startswith(form):
        gold_vendor = [vendor, base, f"{base} {form}"]
    return Built(invoice_gold(number, day, total, gold_vendor, "EUR"), draw)


# --- factura_nif (es_ES) ----------------------------------------------------------------------

_ES_GIVEN = "Lucía|Álvaro|Nerea|Íñigo|Marta|Sergio|Ainhoa|Rubén|Irene|Óscar"
_ES_FAMILY = "Navarro|Gil|Serrano|Herrero|Aguilar|Cano|Prieto|Calvo|Vega|Lorenzo|Santos|Pascual"
_ES_TRADE = "Reformas|Carpintería|Electricidad|Asesoría|Diseño Gráfico|Fontanería|Jardinería"
_ES_GOODS = (
    "Honorarios profesionales marzo|Diseño de logotipo|Reparación de fuga|Instalación eléctrica|"
    "Horas de asesoramiento fiscal|Material de fontanería|Desplazamiento|Mantenimiento jardín"
)
_ES_CITIES = (
    "29001 Málaga|48001 Bilbao|50001 Zaragoza|03001 Alicante|15001 A Coruña|47001 Valladolid"
)


def factura_nif(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    freelancer = rng.random() < 0.5
    if freelancer:
        vendor = ctx.names.fresh(
            lambda _r: (
                f"{rng.choice(_ES_GIVEN.split('|'))} {rng.choice(_ES_FAMILY.split('|'))} "
                f"{rng.choice(_ES_FAMILY.split('|'))}"
            ),
            rng,
        )
        tax_id = f"NIF: {digits(ctx, 8)}{rng.choice('TRWAGMYFPDXBNJZSQVHLCKE')}"
        gold_vendor: str | list[str] = vendor
    else:
        form = ctx.pick("S.L.|S.L.U.|S.A.|S.Coop.")
        base = ctx.names.fresh(
            lambda _r: f"{rng.choice(_ES_TRADE.split('|'))} {rng.choice(_ES_FAMILY.split('|'))}",
            rng,
        )
        vendor = f"{base} {form}"
        tax_id = f"{ctx.pick('CIF|NIF')}: {ctx.pick('B|A|F')}{digits(ctx, 8)}"
        gold_vendor = accepted(vendor, base, KNOWN_FORMS)
    client = fresh_name(ctx, "Inmobiliaria|Clínica|Bodegas|Hostal", _ES_FAMILY, "S.L.|S.A.")
    items = lines_of(ctx, _ES_GOODS, 60, 2200)
    base_amount = net_of(items)
    rate = Decimal(ctx.pick("21|21|10"))
    iva = cents(base_amount * rate / 100)
    irpf_rate = Decimal(ctx.pick("15|7")) if freelancer else Decimal(0)
    irpf = cents(base_amount * irpf_rate / 100)
    total = base_amount + iva - irpf
    day = day_of(ctx)
    operation = day - timedelta(days=rng.randint(0, 20))
    number = ctx.pick(
        f"{day.year}/{digits(ctx, 3)}|A/{day.year}/{digits(ctx, 4)}|F-{digits(ctx, 5)}"
        f"|{day.year % 100:02d}-{digits(ctx, 4)}"
    )
    dated = (
        dmy(day, "/") if rng.random() < 0.7 else f"{day.day} de {month('es', day)} de {day.year}"
    )
    euro = ctx.pick("€|€|EUR")

    def eur(value: Decimal) -> str:
        return f"{amount(loc, value)} {euro}"

    def draw() -> bytes:
        s = sheet(ctx)
        s.text(40, 52, vendor, 14, bold=True)
        s.lines(
            40,
            68,
            [
                tax_id,
                f"C/ {ctx.pick('Alcalá|Mayor|San Vicente|Real')}, {rng.randint(1, 90)}, "
                f"{ctx.pick('1º|2º B|bajo')}",
                rng.choice(_ES_CITIES.split("|")),
                f"Tel. 6{digits(ctx, 2)} {digits(ctx, 3)} {digits(ctx, 3)}",
            ],
            8.5,
        )
        s.box(340, 40, 215, 80)
        s.text(350, 58, "FACTURA", 16, bold=True)
        s.pairs(
            350,
            78,
            [
                (ctx.pick("Nº factura:|Número:|Factura nº:"), number),
                (ctx.pick("Fecha de expedición:|Fecha factura:|Fecha:"), dated),
                (
                    ctx.pick("Fecha de operación:|Fecha de vencimiento:"),
                    dmy(operation if rng.random() < 0.5 else day + timedelta(days=30), "/"),
                ),
            ],
            455,
            8.5,
        )
        s.text(40, 150, "DATOS DEL CLIENTE", 8.5, bold=True)
        s.lines(
            40,
            164,
            [
                client,
                f"CIF: B{digits(ctx, 8)}",
                f"Avda. de América, {rng.randint(1, 99)}",
                rng.choice(_ES_CITIES.split("|")),
            ],
            9,
        )
        rows = [["Concepto", "Uds.", "Precio", "Importe"]]
        rows += [[it.text, str(it.qty), amount(loc, it.price), amount(loc, it.net)] for it in items]
        y = table(s, 40, 240, (265, 45, 95, 110), rows)
        summary = [("Base imponible", eur(base_amount)), (f"IVA {rate}%", eur(iva))]
        if irpf:
            summary.append((f"Retención IRPF {irpf_rate}%", eur(-irpf)))
        summary.append((ctx.pick("TOTAL FACTURA|Total a pagar|TOTAL"), eur(total)))
        y = s.pairs(330, y + 16, summary, 555, 9.5, value_align="right", bold_last=True)
        s.text(40, y + 20, f"Forma de pago: transferencia bancaria a {iban_like(ctx, 'ES', 20)}", 8)
        if not freelancer:
            s.text(
                40,
                800,
                f"{vendor} – Inscrita en el Registro Mercantil de "
                f"{ctx.pick('Madrid|Málaga|Bizkaia')}, Tomo {rng.randint(1000, 9999)}, "
                f"Folio {rng.randint(1, 200)}, Hoja {ctx.pick('M|MA|BI')}-{digits(ctx, 6)}",
                6.5,
            )
        else:
            s.text(40, 800, "Operación sujeta a retención de IRPF según art. 101 LIRPF.", 6.5)
        return s.pdf()

    return Built(invoice_gold(number, day, total, gold_vendor, "EUR"), draw)


# --- factuur_kvk (nl_NL / nl_BE) --------------------------------------------------------------

_NL_BRAND = "bloemwerk|stroomlijn|houtgoed|pixelpoort|dakvast|glasheldr|tuinwijs|kleurrijk"
_NL_TRADE = "Interieur|Installaties|Timmerwerken|Webdesign|Dakwerken|Glazenwasserij|Hoveniers"
_NL_GOODS = (
    "Arbeidsuren monteur|Materiaalkosten|Voorrijkosten|Ontwerp en advies|Onderhoudscontract Q1|"
    "Glasbewassing kantoor|Snoeiwerk en afvoer|Webhosting (jaar)"
)
_NL_CITIES = {
    "nl_NL": "6811 AA Arnhem|5611 EM Eindhoven|7511 JE Enschede|4811 XJ Breda|8011 PK Zwolle",
    "nl_BE": "3000 Leuven|8000 Brugge|2800 Mechelen|3500 Hasselt",
}


def factuur_kvk(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    brand = ctx.names.fresh(lambda _r: rng.choice(_NL_BRAND.split("|")), rng)
    form = ctx.pick("B.V.|V.O.F.|BV" if loc.code == "nl_NL" else "BV|NV|CommV")
    base = f"{brand.capitalize()} {ctx.pick(_NL_TRADE)}"
    vendor = f"{base} {form}"
    cities = _NL_CITIES[loc.code].split("|")
    street = f"{ctx.pick('Industrieweg|Havenstraat|Molenweg|Vaartstraat')} {rng.randint(1, 120)}"
    city = rng.choice(cities)
    client = fresh_name(
        ctx,
        "Tandartspraktijk|Bakkerij|Woonzorg|Kinderopvang",
        "Jansen|Willems|Maes|Claes|Smits|Mertens|Peeters",
        "B.V.|BV|",
    )
    items = lines_of(ctx, _NL_GOODS, 35, 1400)
    net = net_of(items)
    low = rng.random() < 0.3
    rate = Decimal(21)
    vat = cents(net * rate / 100)
    low_net = Decimal(0)
    if low:
        low_net = cents(Decimal(rng.randint(2000, 30000)) / 100)
        low_rate = Decimal(9 if loc.code == "nl_NL" else 6)
        low_vat = cents(low_net * low_rate / 100)
    else:
        low_rate, low_vat = Decimal(0), Decimal(0)
    total = net + vat + low_net + low_vat
    day = day_of(ctx)
    number = ctx.pick(
        f"{day.year}{digits(ctx, 4)}|F{day.year}-{digits(ctx, 4)}|{digits(ctx, 5)}|"
        f"{day.year}.{digits(ctx, 3)}"
    )
    dated = dmy(day, "-") if rng.random() < 0.6 else f"{day.day} {month('nl', day)} {day.year}"

    def eur(value: Decimal) -> str:
        return f"€ {amount(loc, value)}"

    def draw() -> bytes:
        s = sheet(ctx)
        s.text(297, 62, f"{brand}.", 26, bold=True, align="center")
        s.text(
            297,
            78,
            ctx.pick("samen bouwen aan ruimte|helder, eerlijk, vakkundig|sinds 1998"),
            8,
            align="center",
            grey=0.4,
        )
        s.lines(
            50,
            130,
            [
                client,
                "t.a.v. de administratie",
                f"Postbus {rng.randint(100, 9999)}",
                rng.choice(cities),
            ],
            9.5,
        )
        s.text(360, 130, "Factuur", 16, bold=True)
        info = [
            (ctx.pick("Factuurnummer|Factuurnr.|Nummer"), number),
            (ctx.pick("Factuurdatum|Datum"), dated),
            ("Vervaldatum", dmy(day + timedelta(days=ctx.rng.choice((14, 30))), "-")),
            (ctx.pick("Klantnummer|Debiteurnr."), digits(ctx, 5)),
        ]
        if rng.random() < 0.4:
            info.append(("Uw referentie", f"PO{digits(ctx, 6)}"))
        s.pairs(360, 150, info, 450, 8.5)
        rows = [["Omschrijving", "Aantal", "Prijs", "Bedrag"]]
        rows += [[it.text, str(it.qty), eur(it.price), eur(it.net)] for it in items]
        if low:
            rows.append(
                [
                    ctx.pick("Boeken en drukwerk|Plantmateriaal|Koffie en thee"),
                    "1",
                    eur(low_net),
                    eur(low_net),
                ]
            )
        y = table(s, 50, 250, (255, 50, 95, 105), rows)
        summary = [
            (ctx.pick("Subtotaal|Totaal excl. btw"), eur(net + low_net)),
            (f"btw {rate}%{' over ' + eur(net) if rng.random() < 0.5 else ''}", eur(vat)),
        ]
        if low:
            summary.append((f"btw {low_rate}%", eur(low_vat)))
        summary.append((ctx.pick("Totaal incl. btw|Totaal|Te betalen"), eur(total)))
        y = s.pairs(320, y + 16, summary, 555, 9.5, value_align="right", bold_last=True)
        s.text(
            50,
            y + 20,
            f"Wij verzoeken u het bedrag van {eur(total)} binnen de termijn over te "
            f"maken onder vermelding van factuurnummer {number}.",
            8,
        )
        s.rule(50, 785, 545, 0.4, grey=0.5)
        reg = (
            f"KvK {digits(ctx, 8)} · btw NL{digits(ctx, 9)}B01"
            if loc.code == "nl_NL"
            else f"KBO 0{digits(ctx, 3)}.{digits(ctx, 3)}.{digits(ctx, 3)} · "
            f"BTW BE 0{digits(ctx, 3)}.{digits(ctx, 3)}.{digits(ctx, 3)}"
        )
        s.text(297, 797, f"{vendor} · {street} · {city}", 7, align="center")
        s.text(297, 807, f"{reg} · IBAN {iban_like(ctx, loc.code[3:], 14)}", 7, align="center")
        return s.pdf()

    gold_vendor = [vendor, brand]
    if form not in KNOWN_FORMS:
        gold_vendor.append(base)
    return Built(invoice_gold(number, day, total, gold_vendor, "EUR"), draw)


# --- uk_vat (en_GB) ---------------------------------------------------------------------------

_UK_FIRST = "Pennine|Cotswold|Thames|Severn|Wessex|Mercia|Northumbria|Chiltern|Solent"
_UK_SECOND = "Fasteners|Hydraulics|Packaging|Timber Supplies|Fire Safety|Signs|Office Interiors"
_UK_GOODS = (
    "M10 hex bolts, box of 100|Hydraulic hose assembly 1/2in|Corrugated boxes 450x300 (50)|"
    "Treated timber 47x100 4.8m|Fire extinguisher service|Aluminium sign 600x400|"
    "Desk screen 1400mm|Pallet wrap 500mm x 250m"
)
_UK_TOWNS = "Sheffield S3 8RY|Gloucester GL1 2TZ|Reading RG1 3EU|Derby DE1 2PQ|Swindon SN1 5BB"


def uk_vat(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    form = ctx.pick("Ltd|Limited|Ltd.|plc")
    base = ctx.names.fresh(
        lambda _r: f"{rng.choice(_UK_FIRST.split('|'))} {rng.choice(_UK_SECOND.split('|'))}", rng
    )
    vendor = f"{base} {form}"
    client = fresh_name(
        ctx, "Harbour|Greenfield|Castle|Oakwood", "Engineering|Facilities|Builders", "Ltd|Limited"
    )
    items = lines_of(ctx, _UK_GOODS, 8, 600)
    goods = net_of(items)
    carriage = Decimal(ctx.pick("0|0|9.95|15.00|24.50"))
    net = goods + carriage
    vat = cents(net / 5)
    total = net + vat
    day = day_of(ctx)
    tax_point = day - timedelta(days=rng.randint(0, 6))
    number = ctx.pick(
        f"SI-{digits(ctx, 6)}|INV/{day.year % 100:02d}/{digits(ctx, 4)}|{digits(ctx, 6)}"
    )
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(day.day, "th")
    dated = ctx.pick(
        f"{dmy(day, '/')}|{day.day}{suffix} {month('en', day)} {day.year}"
        f"|{day.day:02d} {month('en', day, True)} {day.year}|{dmy(day, '/')}"
    )
    paid = rng.random() < 0.4
    symbol = ctx.pick("£|£|GBP ")

    def gbp(value: Decimal) -> str:
        return f"{symbol}{amount(loc, value)}"

    def draw() -> bytes:
        s = sheet(ctx)
        s.lines(
            555,
            45,
            [
                vendor,
                f"Unit {rng.randint(1, 40)}, {ctx.pick('Brunel|Cavendish|Kingsway')} Trade Park",
                rng.choice(_UK_TOWNS.split("|")),
                f"Tel: 0{digits(ctx, 3)} {digits(ctx, 3)} {digits(ctx, 4)}",
                f"sales@{base.split()[0].lower()}.co.uk",
            ],
            9,
            bold_first=True,
            align="right",
        )
        s.text(40, 60, ctx.pick("VAT INVOICE|TAX INVOICE|INVOICE"), 18, bold=True)
        s.text(40, 110, "Invoice to:", 8.5, bold=True)
        s.lines(
            40,
            124,
            [
                client,
                "Accounts Payable",
                f"{rng.randint(1, 99)} Albert Road",
                rng.choice(_UK_TOWNS.split("|")),
            ],
            9,
        )
        same = rng.random() < 0.4
        info = [(ctx.pick("Invoice No.|Invoice Number|Our Ref"), number)]
        if same:
            info.append(("Invoice Date / Tax Point", dated))
        else:
            info += [("Invoice Date", dated), ("Tax Point", dmy(tax_point, "/"))]
        info += [
            ("Account No.", f"{base.split()[0][:3].upper()}{digits(ctx, 3)}"),
            (
                "Your Order No.",
                ctx.pick(f"PO {digits(ctx, 5)}|{digits(ctx, 6)}|ORD/{digits(ctx, 4)}"),
            ),
        ]
        s.pairs(330, 124, info, 450, 8.5)
        rows = [["Qty", "Description", "Unit Price", "VAT %", "Net"]]
        rows += [
            [str(it.qty), it.text, amount(loc, it.price), "20", amount(loc, it.net)] for it in items
        ]
        y = s.table(40, 225, (35, 260, 80, 45, 95), rows, size=8.5, aligns="llrrr")
        summary = [("Goods", gbp(goods))]
        if carriage:
            summary.append(("Carriage", gbp(carriage)))
        summary += [("Net Total", gbp(net)), ("VAT @ 20%", gbp(vat)), ("Invoice Total", gbp(total))]
        if paid:
            summary += [("Paid by card", gbp(-total)), ("Balance due", gbp(Decimal(0)))]
        y = s.pairs(330, y + 16, summary, 555, 9.5, value_align="right")
        s.text(
            40,
            y + 16,
            "Payment terms: 30 days net. Goods remain our property until paid in full.",
            8,
        )
        s.text(
            40,
            y + 28,
            f"BACS: sort code {digits(ctx, 2)}-{digits(ctx, 2)}-{digits(ctx, 2)} "
            f"account {digits(ctx, 8)}",
            8,
        )
        s.rule(40, 785, 555, 0.4, grey=0.5)
        s.text(
            297,
            797,
            f"{vendor}. Registered in England and Wales No. {digits(ctx, 8)}. "
            f"VAT Reg. No. GB {digits(ctx, 3)} {digits(ctx, 4)} {digits(ctx, 2)}",
            6.5,
            align="center",
        )
        return s.pdf()

    return Built(invoice_gold(number, day, total, accepted(vendor, base, KNOWN_FORMS), "GBP"), draw)


# --- ca_gst (en_CA / fr_CA) -------------------------------------------------------------------

_CA_EN = "Maple Ridge|Muskoka|Fraser Valley|Prairie Sky|Lakehead|Bluenose|Rideau|Okanagan"
_CA_EN2 = "Plumbing|Renovations|Landscaping|IT Services|Electric|Snow Removal|Bookkeeping"
_CA_FR = "Tremblay|Gagnon|Bouchard|Côté|Gauthier|Pelletier|Lavoie|Bélanger"
_CA_FR2 = "Rénovations|Plomberie|Déneigement|Informatique|Électrique|Aménagement paysager"
_CA_EN_GOODS = (
    "Labour (hours)|Service call|Materials|Monthly support plan|Snow clearing (season)|"
    "Bookkeeping - March"
)
_CA_FR_GOODS = (
    "Main-d'œuvre (heures)|Appel de service|Matériaux|Soutien informatique mensuel|"
    "Déneigement (saison)"
)
_CA_PLACES_EN = "Toronto, ON M5V 2T6|Ottawa, ON K1P 5G4|Halifax, NS B3J 1S9|Kelowna, BC V1Y 6H2"
_CA_PLACES_FR = "Montréal (Québec) H2X 1Y4|Québec (Québec) G1R 4P5|Laval (Québec) H7N 5H9"


def ca_gst(ctx: Ctx) -> Built:  # noqa: C901 - one template, its choices in one place
    loc, rng = ctx.loc, ctx.rng
    fr = loc.lang == "fr"
    if fr:
        form = ctx.pick("inc.|ltée|Inc.")
        base = ctx.names.fresh(
            lambda _r: f"{rng.choice(_CA_FR2.split('|'))} {rng.choice(_CA_FR.split('|'))}", rng
        )
    else:
        form = ctx.pick("Inc.|Ltd.|Corp.|Inc.")
        base = ctx.names.fresh(
            lambda _r: f"{rng.choice(_CA_EN.split('|'))} {rng.choice(_CA_EN2.split('|'))}", rng
        )
    vendor = f"{base} {form}"
    client = fresh_name(
        ctx, "Northern|Lakeshore|Boréal|Laurentide", "Dental|Clinique|Café|Foods", "Inc.|"
    )
    items = lines_of(ctx, _CA_FR_GOODS if fr else _CA_EN_GOODS, 40, 1800)
    net = net_of(items)
    province = "QC" if fr else ctx.pick("ON|NS|BC")
    taxes: list[tuple[str, Decimal]] = []
    bn = f"{digits(ctx, 9)}"
    if province == "QC":
        taxes = [
            (f"TPS (5 %) No {bn} RT0001", cents(net * Decimal("0.05"))),
            (f"TVQ (9,975 %) No {digits(ctx, 10)} TQ0001", cents(net * Decimal("0.09975"))),
        ]
    elif province == "ON":
        taxes = [("HST 13%", cents(net * Decimal("0.13")))]
    elif province == "NS":
        taxes = [("HST 15%", cents(net * Decimal("0.15")))]
    else:
        taxes = [("GST 5%", cents(net * Decimal("0.05"))), ("PST 7%", cents(net * Decimal("0.07")))]
    total = net + sum((t for _, t in taxes), Decimal(0))
    day = day_of(ctx)
    number = ctx.pick(
        f"{digits(ctx, 4)}|INV-{digits(ctx, 5)}|{day.year}-{digits(ctx, 4)}|F{digits(ctx, 5)}"
    )
    if fr:
        dated = ctx.pick(
            f"{day.isoformat()}|{day.day} {month('fr', day)} {day.year}|{dmy(day, '/')}"
        )
    else:
        dated = ctx.pick(
            f"{day.isoformat()}|{month('en', day, True)} {day.day}, {day.year}"
            f"|{month('en', day)} {day.day}, {day.year}"
        )
    money_style = ctx.pick("sym|code|words")

    def cad(value: Decimal) -> str:
        if fr:
            return f"{amount(loc, value)} $"
        return f"${amount(loc, value)}"

    def draw() -> bytes:
        s = sheet(ctx)
        s.text(40, 55, vendor, 15, bold=True)
        places = _CA_PLACES_FR if fr else _CA_PLACES_EN
        lines = [
            f"{rng.randint(10, 9999)} "
            + ctx.pick(
                "rue Sainte-Catherine|boul. Laurier|rue King"
                if fr
                else "King St W|Barrington St|Bernard Ave"
            ),
            rng.choice(places.split("|")),
            f"{rng.randint(200, 999)}-{digits(ctx, 3)}-{digits(ctx, 4)}",
        ]
        if not fr:
            lines.append(f"GST/HST No. {bn} RT0001")
        s.lines(40, 72, lines, 8.5)
        s.text(555, 55, "FACTURE" if fr else "INVOICE", 20, bold=True, align="right")
        info = [
            (
                (
                    ctx.pick("No de facture|Facture no|Numéro")
                    if fr
                    else ctx.pick("Invoice #|Invoice No.|Invoice Number")
                ),
                number,
            ),
            (("Date" if fr else ctx.pick("Date|Invoice Date")), dated),
            (("Échéance" if fr else "Due Date"), (day + timedelta(days=30)).isoformat()),
        ]
        s.pairs(370, 80, info, 470, 8.5)
        s.text(
            40, 150, "Facturer à" if fr else ctx.pick("Bill To|Billed To|Customer"), 8.5, bold=True
        )
        s.lines(40, 164, [client, rng.choice(places.split("|"))], 9)
        head = [
            "Description",
            "Qté" if fr else "Qty",
            "Prix" if fr else "Rate",
            "Montant" if fr else "Amount",
        ]
        rows = [head] + [[it.text, str(it.qty), cad(it.price), cad(it.net)] for it in items]
        y = table(s, 40, 215, (265, 45, 95, 110), rows)
        summary = [("Sous-total" if fr else "Subtotal", cad(net))] + [
            (label, cad(v)) for label, v in taxes
        ]
        total_label = "Total" if fr else ctx.pick("Total|Balance Due|Total Due")
        if money_style == "code":
            total_label += " (CAD)"
        summary.append((total_label, cad(total)))
        y = s.pairs(300, y + 16, summary, 555, 9, value_align="right", bold_last=True)
        if money_style == "words":
            s.text(
                40,
                y + 16,
                "Tous les montants sont en dollars canadiens."
                if fr
                else "All amounts are in Canadian dollars.",
                8,
            )
        interac = "Paiement par virement Interac :" if fr else "Payment by Interac e-Transfer to:"
        s.text(40, y + 30, f"{interac} billing@{base.split()[-1].lower()}.ca", 8)
        return s.pdf()

    return Built(invoice_gold(number, day, total, accepted(vendor, base, KNOWN_FORMS), "CAD"), draw)


# --- saas_issue (en_US / en_GB / en_IE) --------------------------------------------------------

_SAAS_BRAND = "Lumenstack|Quillflow|Orbitdesk|Tallyhive|Parcelwise|Snapform|Kindlegrid|Brightcue"
_SAAS_PLANS = (
    "Team plan|Pro plan (annual)|Business seats|Starter plan|Additional storage 100 GB|"
    "API usage overage"
)


def saas_issue(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    brand = ctx.names.fresh(lambda _r: rng.choice(_SAAS_BRAND.split("|")), rng)
    forms = {"en_US": "Inc.|, Inc.|LLC", "en_GB": "Ltd|Limited", "en_IE": "Limited|Ltd|DAC"}
    form = ctx.pick(forms[loc.code])
    base = f"{brand}{ctx.pick(' Software| Labs| Technologies|')}"
    legal = f"{base}{form}" if form.startswith(",") else f"{base} {form}"
    client = fresh_name(
        ctx,
        "Redwood|Copperline|Fieldnote|Hatchery",
        "Analytics|Studio|Health|Robotics",
        "Inc.|Ltd|",
    )
    seats = rng.randint(1, 25)
    price = Decimal(ctx.pick("8|12|15|29|49|99"))
    lines = [Line(ctx.pick(_SAAS_PLANS), seats, price)]
    if rng.random() < 0.4:
        lines.append(Line("Additional storage", 1, Decimal(ctx.pick("5|10|20"))))
    net = net_of(lines)
    rate = {"en_US": Decimal(0), "en_GB": Decimal(20), "en_IE": Decimal(23)}[loc.code]
    if loc.code == "en_US" and rng.random() < 0.5:
        rate = Decimal(ctx.pick("8.875|6.25|7"))
    tax = cents(net * rate / 100)
    credit = cents(Decimal(rng.randint(100, 1500)) / 100) if rng.random() < 0.3 else Decimal(0)
    total = net + tax
    due = total - credit
    day = day_of(ctx)
    prefix = "".join(rng.choice("0123456789ABCDEF") for _ in range(8))
    number = f"{prefix}-{rng.randint(1, 40):04d}"
    code = loc.currency
    symbol = {"USD": "$", "GBP": "£", "EUR": "€"}[code]
    dated = f"{month('en', day)} {day.day}, {day.year}"

    def cur(value: Decimal) -> str:
        return f"{'-' if value < 0 else ''}{symbol}{amount(loc, abs(value))}"

    def draw() -> bytes:
        s = sheet(ctx)
        s.text(40, 60, "Invoice", 22, bold=True)
        s.text(555, 58, brand, 16, bold=True, align="right")
        later = day + timedelta(days=14)
        info = [
            ("Invoice number", number),
            ("Date of issue", dated),
            (
                "Date due",
                f"{month('en', day)} {day.day}, {day.year}"
                if rng.random() < 0.7
                else f"{month('en', later)} {later.day}, {later.year}",
            ),
        ]
        s.pairs(40, 95, info, 140, 8.5)
        s.lines(
            40,
            150,
            [
                legal,
                f"{rng.randint(10, 999)} "
                + ctx.pick("Market Street|Mission St|Grand Canal Dock|Old Street"),
                ctx.pick(
                    "San Francisco, California 94105|Dublin 2, Ireland|London EC1V 9HX|"
                    "Austin, Texas 78701"
                ),
                f"billing@{brand.lower()}.com",
            ],
            8.5,
            bold_first=True,
        )
        s.text(300, 150, "Bill to", 8.5, bold=True)
        s.lines(300, 164, [client, f"ap@{client.split()[0].lower()}.com"], 8.5)
        s.text(40, 235, f"{cur(due)} {code} due {info[2][1]}", 14, bold=True)
        s.text(
            40, 252, f"Pay online   https://pay.{brand.lower()}.com/i/{prefix.lower()}", 8, grey=0.3
        )
        period_end = day + timedelta(days=30)
        rows = [["Description", "Qty", "Unit price", "Amount"]]
        for line in lines:
            rows.append([f"{line.text}", str(line.qty), cur(line.price), cur(line.net)])
        rows.append(
            [
                f"{month('en', day, True)} {day.day} – "
                f"{month('en', period_end, True)} {period_end.day}, {period_end.year}",
                "",
                "",
                "",
            ]
        )
        y = table(s, 40, 280, (270, 45, 95, 105), rows)
        summary = [("Subtotal", cur(net))]
        if tax:
            summary.append(
                (f"{'Sales tax' if code == 'USD' else 'VAT'} ({rate.normalize():f}%)", cur(tax))
            )
        summary.append(("Total", cur(total)))
        if credit:
            summary.append(("Applied balance", cur(-credit)))
        summary.append(("Amount due", f"{cur(due)} {code}"))
        y = s.pairs(330, y + 16, summary, 555, 9, value_align="right", bold_last=True)
        s.text(40, 800, f"{number} · {cur(due)} {code} due {info[2][1]}", 7, grey=0.4)
        s.text(555, 800, "Page 1 of 1", 7, align="right", grey=0.4)
        return s.pdf()

    vendor_gold = [legal, brand]
    if form.strip(", ") not in KNOWN_FORMS:
        vendor_gold.append(base)
    # Total: the invoice total (taxes included); the amount due is lower only by a credit.
    return Built(invoice_gold(number, day, total, vendor_gold, code), draw)


# --- sold_by (marketplace) --------------------------------------------------------------------

_MK_SELLER = {
    "en": (
        "Brightwater|Ironbridge|Kestrel|Oakhill|Saltmarsh|Foxglove",
        "Trading|Home Goods|Outdoor|Electronics",
        "Ltd|Limited",
    ),
    "de": (
        "Nordlicht|Alpenblick|Elbufer|Sonnental|Waldkauz|Rheinstern",
        "Handels|Versand|Technik|Wohnwelt",
        "GmbH|UG (haftungsbeschränkt)|e.K.",
    ),
    "fr": (
        "Atlantique|Provence|Beaulieu|Vercors|Armor|Sologne",
        "Distribution|Maison|Loisirs|Électronique",
        "SAS|SARL",
    ),
}
_MK_GOODS = {
    "en": "USB-C charging cable 2m|Stainless steel water bottle 750ml|Bluetooth speaker|"
    "Garden kneeler pad|LED desk lamp",
    "de": "USB-C Ladekabel 2 m|Edelstahl-Trinkflasche 750 ml|Bluetooth-Lautsprecher|"
    "Gartenkniekissen|LED-Schreibtischlampe",
    "fr": "Câble de charge USB-C 2 m|Gourde inox 750 ml|Enceinte Bluetooth|"
    "Coussin de jardinage|Lampe de bureau LED",
}
_MK_WORDS = {
    "en": {
        "title": "Invoice",
        "sold": "Sold by",
        "vat": "VAT #",
        "inv": "Invoice number",
        "date": "Invoice date / Date of supply",
        "order": "Order number",
        "odate": "Order date",
        "bill": "Billing address",
        "ship": "Delivery address",
        "head": ("Description", "Qty", "Unit price (excl. VAT)", "VAT rate", "Total (incl. VAT)"),
        "shipping": "Shipping charges",
        "total": "Invoice total",
        "paid": "Payment method: Visa ending",
        "onbehalf": "This invoice was issued on behalf of the seller by",
    },
    "de": {
        "title": "Rechnung",
        "sold": "Verkauft von",
        "vat": "USt-ID",
        "inv": "Rechnungsnummer",
        "date": "Rechnungsdatum/Lieferdatum",
        "order": "Bestellnummer",
        "odate": "Bestelldatum",
        "bill": "Rechnungsadresse",
        "ship": "Lieferadresse",
        "head": ("Beschreibung", "Menge", "Stückpreis (netto)", "USt.", "Gesamt (brutto)"),
        "shipping": "Versandkosten",
        "total": "Rechnungsbetrag",
        "paid": "Zahlungsart: Visa mit Endziffern",
        "onbehalf": "Diese Rechnung wurde im Namen des Verkäufers erstellt von",
    },
    "fr": {
        "title": "Facture",
        "sold": "Vendu par",
        "vat": "N° TVA",
        "inv": "Numéro de facture",
        "date": "Date de facturation/livraison",
        "order": "Numéro de commande",
        "odate": "Date de la commande",
        "bill": "Adresse de facturation",
        "ship": "Adresse de livraison",
        "head": ("Description", "Qté", "Prix unitaire (HT)", "TVA", "Total (TTC)"),
        "shipping": "Frais de livraison",
        "total": "Total de la facture",
        "paid": "Moyen de paiement : Visa se terminant par",
        "onbehalf": "Facture émise au nom du vendeur par",
    },
}
_MK_NAMES = "shopvalley|marketo|bazaarly|kaufhub|cartwise"
# (seller's street, buyer's street, buyer's town) per language.
_MK_PLACES = {
    "en": ("Unit 4, Enterprise Way, Luton LU3 4BU", "12 Church Lane", "Norwich NR2 1AB"),
    "de": ("Gewerbepark 7, 33619 Bielefeld", "Birkenweg 23", "49074 Osnabrück"),
    "fr": ("ZA des Landes, lot 12, 35510 Cesson-Sévigné", "8 rue des Écoles", "87000 Limoges"),
}


def sold_by(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    lang = loc.lang
    words = _MK_WORDS[lang]
    firsts, seconds, forms = _MK_SELLER[lang]
    form = ctx.pick(forms)
    base = ctx.names.fresh(
        lambda _r: f"{rng.choice(firsts.split('|'))} {rng.choice(seconds.split('|'))}", rng
    )
    vendor = f"{base} {form}"
    market = ctx.pick(_MK_NAMES)
    market_legal = f"{market.capitalize()} EU S.à r.l."
    buyer = ctx.names.person(lang if lang in ("en", "de", "fr") else "en", rng)
    rate = loc.rate(rng)
    items = lines_of(ctx, _MK_GOODS[lang], 6, 90)
    gross_lines = [(it, cents(it.price * (1 + rate / 100)) * it.qty) for it in items]
    shipping = Decimal(ctx.pick("0|0|3.99|4.49"))
    total = sum((g for _, g in gross_lines), Decimal(0)) + shipping
    day = day_of(ctx)
    order_day = day - timedelta(days=rng.randint(1, 4))
    country = loc.code[3:]
    number = ctx.pick(
        f"{country}{digits(ctx, 4)}"
        f"{''.join(rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ') for _ in range(4))}{digits(ctx, 2)}"
        f"|{country}-{day.year}-{digits(ctx, 6)}|INV-{country}-{digits(ctx, 9)}"
    )
    order = f"{digits(ctx, 3)}-{digits(ctx, 7)}-{digits(ctx, 7)}"
    if lang == "en":
        dated, odated = (
            f"{day.day} {month('en', day)} {day.year}",
            f"{order_day.day} {month('en', order_day)} {order_day.year}",
        )
    elif lang == "de":
        dated, odated = f"{day.day}. {month('de', day)} {day.year}", dmy(order_day, ".")
    else:
        dated, odated = f"{day.day} {month('fr', day)} {day.year}", dmy(order_day, "/")

    def cur(value: Decimal) -> str:
        return f"£{amount(loc, value)}" if loc.currency == "GBP" else f"{amount(loc, value)} €"

    def draw() -> bytes:
        s = sheet(ctx)
        s.text(40, 55, market, 22, bold=True)
        s.text(555, 55, words["title"], 16, bold=True, align="right")
        s.text(555, 70, f"{'Page'} 1 / 1", 7, align="right", grey=0.4)
        s.text(40, 95, f"{words['sold']}: {vendor}", 9.5, bold=True)
        s.lines(
            40,
            109,
            [
                _MK_PLACES[lang][0],
                f"{words['vat']}: {country}{digits(ctx, 9)}",
            ],
            8,
        )
        info = [
            (words["inv"], number),
            (words["date"], dated),
            (words["order"], order),
            (words["odate"], odated),
        ]
        s.pairs(300, 95, info, 440, 8)
        s.text(40, 160, words["bill"], 8, bold=True)
        s.text(300, 160, words["ship"], 8, bold=True)
        addr = [
            buyer,
            *_MK_PLACES[lang][1:],
        ]
        s.lines(40, 174, addr, 8.5)
        s.lines(300, 174, addr, 8.5)
        rows = [list(words["head"])]
        for it, gross in gross_lines:
            rows.append([it.text, str(it.qty), cur(it.price), f"{rate.normalize():f}%", cur(gross)])
        if shipping:
            rows.append(
                [
                    words["shipping"],
                    "1",
                    cur(cents(shipping / (1 + rate / 100))),
                    f"{rate.normalize():f}%",
                    cur(shipping),
                ]
            )
        y = s.table(40, 230, (200, 35, 110, 55, 115), rows, size=8, aligns="lrrrr")
        s.text(330, y + 22, words["total"], 10, bold=True)
        s.text(555, y + 22, cur(total), 10, bold=True, align="right")
        s.text(40, y + 50, f"{words['paid']} {digits(ctx, 4)}", 8)
        s.rule(40, 770, 555, 0.4, grey=0.5)
        s.text(
            40,
            782,
            f"{words['onbehalf']} {market_legal}, 38 avenue John F. Kennedy, L-1855 Luxembourg. "
            f"RCS B{digits(ctx, 6)}",
            6.5,
        )
        s.text(
            40,
            792,
            f"{market}.{ctx.pick('com|eu')}/help · {market_legal} · LU{digits(ctx, 8)}",
            6.5,
        )
        return s.pdf()

    return Built(
        invoice_gold(number, day, total, accepted(vendor, base, KNOWN_FORMS), loc.currency), draw
    )


# --- ch_qr (de_CH / fr_CH) --------------------------------------------------------------------

_CH_FIRST = "Brunner|Meier|Gerber|Widmer|Baumann|Frei|Zürcher|Favre|Rochat|Bonvin"
_CH_TRADE_DE = "Gartenbau|Schreinerei|Elektro|Treuhand|Malergeschäft|Sanitär"
_CH_TRADE_FR = "Menuiserie|Électricité|Fiduciaire|Peinture|Sanitaire|Paysagisme"
_CH_GOODS_DE = (
    "Arbeit Gärtner (Std.)|Material|Buchhaltung Q1|Malerarbeiten Wohnzimmer|Service Boiler|"
    "Kleinmaterial pauschal"
)
_CH_GOODS_FR = (
    "Travail jardinier (h)|Matériel|Comptabilité T1|Peinture séjour|Entretien chaudière|"
    "Petit matériel forfait"
)
_CH_CITIES = {
    "de": "8400 Winterthur|6003 Luzern|9000 St. Gallen|5000 Aarau",
    "fr": "1003 Lausanne|1201 Genève|2000 Neuchâtel|1950 Sion",
}


def ch_qr(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    fr = loc.lang == "fr"
    form = ctx.pick("Sàrl|SA|" if fr else "AG|GmbH|")
    trade = ctx.pick(_CH_TRADE_FR if fr else _CH_TRADE_DE)
    base = ctx.names.fresh(
        lambda _r: (
            f"{trade} {rng.choice(_CH_FIRST.split('|'))}"
            if fr
            else f"{rng.choice(_CH_FIRST.split('|'))} {trade}"
        ),
        rng,
    )
    vendor = f"{base} {form}".strip()
    cities = _CH_CITIES[loc.lang].split("|")
    ways = "Rue du Lac|Chemin des Vignes" if fr else "Dorfstrasse|Industriestrasse"
    street = f"{ctx.pick(ways)} {rng.randint(1, 60)}"
    city = rng.choice(cities)
    client_name = ctx.names.person("fr" if fr else "de", rng)
    ways = "Avenue de la Gare|Rue Centrale" if fr else "Bahnhofstrasse|Kirchweg"
    client_street = f"{ctx.pick(ways)} {rng.randint(1, 60)}"
    client_city = rng.choice(cities)
    items = lines_of(ctx, _CH_GOODS_FR if fr else _CH_GOODS_DE, 40, 1500)
    net = net_of(items)
    vat = cents(net * Decimal("0.081"))
    raw = net + vat
    total = (raw * 20).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 20
    total = cents(total)
    day = day_of(ctx)
    number = ctx.pick(f"{day.year}-{digits(ctx, 4)}|{digits(ctx, 6)}|R{digits(ctx, 5)}")
    place = city.split(" ", 1)[1]
    dated = (
        (
            f"{place}, le {day.day} {month('fr', day)} {day.year}"
            if fr
            else f"{place}, {day.day}. {month('de', day)} {day.year}"
        )
        if rng.random() < 0.5
        else dmy(day, ".")
    )
    iban = (
        f"CH{rng.randint(10, 99)} 3{digits(ctx, 3)} {digits(ctx, 4)} {digits(ctx, 4)} "
        f"{digits(ctx, 4)} {rng.randint(0, 9)}"
    )
    ref = " ".join([digits(ctx, 2)] + [digits(ctx, 5) for _ in range(5)])
    W = {
        "title": "Facture" if fr else "Rechnung",
        "no": "Facture n°" if fr else "Rechnungs-Nr.",
        "date": "Date" if fr else "Datum",
        "net": "Total hors TVA" if fr else "Total exkl. MWST",
        "vat": "TVA 8,1 %" if fr else "MWST 8.1 %",
        "round": "Arrondi" if fr else "Rundung",
        "total": "Total TTC" if fr else "Total inkl. MWST",
        "receipt": "Récépissé" if fr else "Empfangsschein",
        "pay": "Section paiement" if fr else "Zahlteil",
        "acct": "Compte / Payable à" if fr else "Konto / Zahlbar an",
        "ref": "Référence" if fr else "Referenz",
        "by": "Payable par" if fr else "Zahlbar durch",
        "cur": "Monnaie" if fr else "Währung",
        "amt": "Montant" if fr else "Betrag",
        "info": "Informations supplémentaires" if fr else "Zusätzliche Informationen",
        "accept": "Point de dépôt" if fr else "Annahmestelle",
    }

    def chf(value: Decimal) -> str:
        return f"CHF {amount(loc, value)}"

    def spaced(value: Decimal) -> str:
        whole, frac = f"{value:.2f}".split(".")
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        return " ".join(groups) + "." + frac

    def draw() -> bytes:
        s = sheet(ctx)
        s.text(40, 50, vendor, 14, bold=True)
        s.lines(
            40,
            66,
            [
                street,
                city,
                f"CHE-{digits(ctx, 3)}.{digits(ctx, 3)}.{digits(ctx, 3)} {'TVA' if fr else 'MWST'}",
            ],
            8,
        )
        s.lines(340, 110, [client_name, client_street, client_city], 9.5)
        s.text(40, 170, dated if not dated[0].isdigit() else "", 9)
        s.text(
            40, 195, f"{W['title']} {number}" if rng.random() < 0.5 else W["title"], 13, bold=True
        )
        s.pairs(
            40,
            213,
            [(W["no"], number), (W["date"], dated if dated[0].isdigit() else dmy(day, "."))],
            140,
            8.5,
        )
        rows = [
            [
                "Beschreibung" if not fr else "Description",
                "Menge" if not fr else "Qté",
                "Preis" if not fr else "Prix",
                "Total",
            ]
        ]
        rows += [[it.text, str(it.qty), amount(loc, it.price), amount(loc, it.net)] for it in items]
        y = table(s, 40, 245, (265, 45, 95, 110), rows)
        summary = [(W["net"], chf(net)), (W["vat"], chf(vat))]
        if total != raw:
            summary.append((W["round"], chf(total - raw)))
        summary.append((W["total"], chf(total)))
        s.pairs(330, y + 14, summary, 555, 9, value_align="right", bold_last=True)
        # The payment part: 105 mm at the foot of the page.
        top = 842 - 297.6
        s.rule(0, top, 595, 0.5, grey=0.4)
        s.text(
            297,
            top - 4,
            "Vor der Einzahlung abzutrennen" if not fr else "À détacher avant le versement",
            6,
            align="center",
            grey=0.4,
        )
        s.text(16, top + 22, W["receipt"], 11, bold=True)
        s.text(16, top + 40, W["acct"], 6, bold=True)
        s.lines(16, top + 50, [iban, vendor, street, city], 8)
        s.text(16, top + 96, W["ref"], 6, bold=True)
        s.text(16, top + 106, ref, 8)
        s.text(16, top + 122, W["by"], 6, bold=True)
        s.lines(16, top + 132, [client_name, client_street, client_city], 8)
        s.text(16, top + 190, W["cur"], 6, bold=True)
        s.text(60, top + 190, W["amt"], 6, bold=True)
        s.text(16, top + 200, "CHF", 8)
        s.text(60, top + 200, spaced(total), 8)
        s.text(120, top + 240, W["accept"], 6, bold=True)
        s.canvas.setLineWidth(0.3)
        s.canvas.line(176, 842 - top, 176, 0)
        s.text(190, top + 22, W["pay"], 11, bold=True)
        s.box(190, top + 40, 130, 130)
        for _ in range(60):
            x0, y0 = 194 + rng.randint(0, 30) * 4, top + 44 + rng.randint(0, 30) * 4
            s.box(x0, y0, 4, 4, fill=0.0, stroke=False)
        s.text(190, top + 190, W["cur"], 6, bold=True)
        s.text(240, top + 190, W["amt"], 6, bold=True)
        s.text(190, top + 200, "CHF", 8)
        s.text(240, top + 200, spaced(total), 8)
        s.text(340, top + 22, W["acct"], 6, bold=True)
        s.lines(340, top + 32, [iban, vendor, street, city], 8)
        s.text(340, top + 80, W["ref"], 6, bold=True)
        s.text(340, top + 90, ref, 8)
        s.text(340, top + 106, W["info"], 6, bold=True)
        s.text(340, top + 116, f"{W['title']} {number}", 8)
        s.text(340, top + 132, W["by"], 6, bold=True)
        s.lines(340, top + 142, [client_name, client_street, client_city], 8)
        return s.pdf()

    return Built(invoice_gold(number, day, total, accepted(vendor, base, KNOWN_FORMS), "CHF"), draw)


# --- receipts -----------------------------------------------------------------------------------

_TILL_BRANDS = {
    "de": "NAHKAUF|FRISCHEMARKT|MARKTKAUF|DORFLADEN|BIOECK",
    "nl": "BUURTSUPER|VERSMARKT|DAGWINKEL|SPARHOEK|DE KRUIDENIER",
}
_TILL_GOODS = {
    "de": "VOLLMILCH 3,5%|BROETCHEN|BANANEN|GOUDA JUNG|KAFFEE GEMAHLEN|EIER FREILAND 10ER|"
    "APFELSAFT 1L|NUDELN FUSILLI|TOMATEN RISPE|JOGHURT NATUR|MINERALWASSER 6X1,5L|TOILETTENPAPIER",
    "nl": "HALFVOLLE MELK|BRUIN BROOD|BANANEN|JONGE KAAS PLAKKEN|KOFFIE SNELFILTER|EIEREN 10 ST|"
    "APPELSAP|FUSILLI 500G|TROSTOMATEN|YOGHURT VOL|SPA BLAUW 6X1,5L|WC PAPIER 8 ROL",
}


def _street_city(loc: Locale, ctx: Ctx) -> tuple[str, str]:
    rng = ctx.rng
    if loc.lang == "de":
        cities = (
            "10245 Berlin|01067 Dresden|24103 Kiel|93047 Regensburg"
            if loc.code == "de_DE"
            else "1100 Wien|8020 Graz|4600 Wels"
        )
        return (
            f"{ctx.pick('Kastanienallee|Marktplatz|Bahnhofstraße|Schulstraße')} "
            f"{rng.randint(1, 99)}",
            rng.choice(cities.split("|")),
        )
    cities = (
        "1091 KP Amsterdam|3012 CL Rotterdam|6211 CK Maastricht|9712 HV Groningen"
        if loc.code == "nl_NL"
        else "2018 Antwerpen|9000 Gent|3500 Hasselt"
    )
    return (
        f"{ctx.pick('Dorpsstraat|Marktplein|Kerkstraat|Stationsweg')} {rng.randint(1, 150)}",
        rng.choice(cities.split("|")),
    )


def till_receipt(ctx: Ctx) -> Built:  # noqa: C901 - one template
    loc, rng = ctx.loc, ctx.rng
    de = loc.lang == "de"
    brand = ctx.pick(_TILL_BRANDS[loc.lang])
    families = (
        "Meier|Lorenz|Sommer|Huber|Peters|Vogt" if de else "Bakker|de Jong|Hoekstra|Willems|Claes"
    )
    operator = ctx.names.fresh(lambda _r: f"{brand.title()} {rng.choice(families.split('|'))}", rng)
    form = ctx.pick("GmbH|e.K.|OHG" if de else "B.V.|V.O.F.|BV")
    legal = f"{operator} {form}"
    street, city = _street_city(loc, ctx)
    goods = rng.sample(_TILL_GOODS[loc.lang].split("|"), rng.randint(4, 9))
    lines: list[tuple[str, int, Decimal, str]] = []
    for text in goods:
        qty = rng.choice((1, 1, 1, 2, 3))
        price = cents(Decimal(rng.randint(39, 699)) / 100)
        cls = "B" if text.startswith(("TOILET", "WC")) else "A"
        lines.append((text, qty, price, cls))
    deposit = Decimal(0)
    if any("6X1,5L" in t for t, *_ in lines):
        deposit = Decimal("1.50") if de else Decimal("0.90")
    low, high = (
        (Decimal(7), Decimal(19))
        if loc.code == "de_DE"
        else (Decimal(10), Decimal(20))
        if loc.code == "de_AT"
        else (Decimal(9), Decimal(21))
        if loc.code == "nl_NL"
        else (Decimal(6), Decimal(21))
    )
    total = sum((cents(p * q) for _, q, p, _ in lines), Decimal(0)) + deposit
    savings = cents(Decimal(rng.randint(20, 300)) / 100) if rng.random() < 0.4 else Decimal(0)
    cash = rng.random() < 0.5
    given = Decimal((int(total) // 10 + 1) * 10 + rng.choice((0, 0, 10, 40)))
    day = day_of(ctx)
    hour = f"{rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}"
    bon = digits(ctx, 4)
    dsep = "." if de else "-"
    date_printed = ctx.pick(f"{dmy(day, dsep)}|{dmy(day, dsep, 2)}")

    def n(v: Decimal) -> str:
        return amount(loc, v)

    def draw() -> bytes:  # noqa: C901
        out = [
            center(brand),
            center(legal if rng.random() < 0.5 else operator),
            center(street),
            center(city),
        ]
        out.append(center(f"Tel. {digits(ctx, 3)} {digits(ctx, 6)}"))
        out.append(
            center(
                f"USt-IdNr. DE{digits(ctx, 9)}"
                if loc.code == "de_DE"
                else f"UID ATU{digits(ctx, 8)}"
                if loc.code == "de_AT"
                else f"BTW NL{digits(ctx, 9)}B01"
                if loc.code == "nl_NL"
                else f"BTW BE 0{digits(ctx, 3)}.{digits(ctx, 3)}.{digits(ctx, 3)}"
            )
        )
        out += ["", spread("", "EUR")]
        for text, qty, price, cls in lines:
            out.append(spread(text[:30], f"{n(cents(price * qty))} {cls}"))
            if qty > 1:
                out.append(f"  {qty} x {n(price)}")
        if deposit:
            out.append(spread("PFAND" if de else "STATIEGELD", f"{n(deposit)} A"))
        out.append("-" * 42)
        out.append(spread("SUMME EUR" if de else "TOTAAL", n(total)))
        out.append("=" * 42)
        if savings:
            out.append(spread("Sie sparen heute" if de else "U BESPAARDE", n(savings)))
        if cash:
            out.append(spread("Geg. BAR" if de else "CONTANT", f"EUR {n(given)}"))
            out.append(spread("Rückgeld BAR" if de else "WISSELGELD", f"EUR {n(given - total)}"))
        else:
            out.append(spread("Geg. Girocard" if de else "PIN", f"EUR {n(total)}"))
            out.append("Kartenzahlung kontaktlos" if de else "BETAALD MET PINPAS")
        out.append("")
        out.append("Steuer  %     Netto   Steuer   Brutto" if de else "BTW    %    Over     BTW")
        for cls, rate in (("A", low), ("B", high)):
            gross = sum((cents(p * q) for _, q, p, c in lines if c == cls), Decimal(0))
            if cls == "A":
                gross += deposit
            if not gross:
                continue
            tax = cents(gross * rate / (100 + rate))
            if de:
                out.append(f"{cls}   {rate:>3}%  {n(gross - tax):>8} {n(tax):>8} {n(gross):>8}")
            else:
                out.append(f"{cls}   {rate:>3}%  {n(gross):>8} {n(tax):>8}")
        out.append("")
        if de:
            out.append(f"{date_printed}  {hour}  Bon-Nr.:{bon}")
            out.append(f"Markt:{digits(ctx, 4)} Kasse:{rng.randint(1, 6)} Bed.:{digits(ctx, 4)}")
            out.append(f"TSE-Signaturzähler: {digits(ctx, 6)}")
        else:
            out.append(f"{date_printed} {hour}  Bon {bon}  Kassa {rng.randint(1, 6)}")
        out += ["", center("Vielen Dank für Ihren Einkauf!" if de else "Bedankt en tot ziens!")]
        return receipt_pdf(out, bold=(0,))

    company = [brand, operator, legal]
    return Built(receipt_gold(company, day, f"{street}, {city}", total, bon), draw)


_DINER = (
    "The Copper Kettle|Lantern & Oak|Blue Heron Bistro|Saltwater Grill|Juniper Table|"
    "The Rusty Anchor|Maple & Rye|Golden Wok"
)
_DISHES = (
    "Clam Chowder|Caesar Salad|Fish Tacos|Bacon Cheeseburger|Margherita Pizza|Ribeye 12oz|"
    "Pad Thai|Draft IPA|House Red (glass)|Iced Tea|Tiramisu|Onion Rings"
)


def restaurant_tip(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    name = ctx.names.fresh(
        lambda _r: rng.choice(_DINER.split("|")) + ctx.pick("| Kitchen| Bar & Grill|"), rng
    )
    if loc.code == "en_CA":
        street = f"{rng.randint(10, 999)} {ctx.pick('Queen St W|Water St|Granville St')}"
        city = ctx.pick("Toronto, ON M5H 2N2|Vancouver, BC V6B 1A1|St. John's, NL A1C 1A1")
        rate, tax_label = Decimal(13), "HST 13%"
    else:
        street = f"{rng.randint(10, 999)} {ctx.pick('Main St|Broadway|Pearl Street|Harbor Blvd')}"
        city = ctx.pick("Seattle, WA 98101|Boston, MA 02110|Savannah, GA 31401|Santa Fe, NM 87501")
        rate = Decimal(ctx.pick("10.25|6.25|8|8.25"))
        tax_label = ctx.pick("Tax|Sales Tax|TAX")
    dishes = rng.sample(_DISHES.split("|"), rng.randint(2, 6))
    lines = [
        (d, rng.choice((1, 1, 2)), cents(Decimal(rng.randint(400, 3800)) / 100)) for d in dishes
    ]
    sub = sum((cents(p * q) for _, q, p in lines), Decimal(0))
    tax = cents(sub * rate / 100)
    bill = sub + tax
    tipped = rng.random() < 0.6
    tip = cents(bill * Decimal(ctx.pick("0.15|0.18|0.2|0.22"))) if tipped else Decimal(0)
    paid = bill + tip
    day = day_of(ctx)
    check = digits(ctx, 5)
    server = ctx.pick("Jenna|Marco|Tasha|Luis|Kim|Devon")
    when = (
        f"{day.month:02d}/{day.day:02d}/{day.year}"
        if loc.code == "en_US"
        else ctx.pick(f"{day.isoformat()}|{month('en', day, True)} {day.day}, {day.year}")
    )
    hour = f"{rng.randint(5, 10)}:{rng.randint(0, 59):02d} PM"

    def d(v: Decimal) -> str:
        return amount(loc, v)

    def draw() -> bytes:
        out = [
            center(name.upper()),
            center(street),
            center(city),
            center(f"({digits(ctx, 3)}) {digits(ctx, 3)}-{digits(ctx, 4)}"),
            "",
        ]
        out.append(spread(f"Server: {server}", f"Table {rng.randint(1, 40)}"))
        out.append(spread(f"Check #{check}", f"Guests: {rng.randint(1, 6)}"))
        out.append(spread(when, hour))
        out.append("-" * 42)
        for text, qty, price in lines:
            out.append(spread(f"{qty} {text}", d(cents(price * qty))))
        out.append("")
        out.append(spread("Subtotal", d(sub)))
        out.append(spread(tax_label, d(tax)))
        out.append(spread("TOTAL" if tipped else "Total Due", f"${d(bill)}"))
        out.append("")
        if tipped:
            out += [
                center("-- CUSTOMER COPY --"),
                spread("VISA", f"XXXXXXXXXXXX{digits(ctx, 4)}"),
                spread("Auth Code:", digits(ctx, 6)),
                spread("Amount:", f"${d(bill)}"),
                spread("Tip:", f"${d(tip)}"),
                spread("Total:", f"${d(paid)}"),
                "",
                center("APPROVED"),
            ]
        else:
            out.append(center("Suggested gratuity"))
            for pc in (18, 20, 22):
                out.append(spread(f"  {pc}%", f"${d(cents(bill * pc / 100))}"))
            out += ["", spread("Tip:", "________"), spread("Total:", "________")]
        out += ["", center("Thank you! Come again.")]
        return receipt_pdf(out, bold=(0,))

    return Built(receipt_gold(name, day, f"{street}, {city}", paid, check), draw)


_FUEL_BRANDS = "PETROLIA|AVIA LIBRE|CARBURO|ESSENCIA|RUTA OIL"


def fuel_ticket(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    fr = loc.lang == "fr"
    brand = ctx.pick(_FUEL_BRANDS)
    if fr:
        station = ctx.names.fresh(
            lambda _r: (
                "Relais "
                + rng.choice(
                    ("des Lilas", "du Moulin", "de la Gare", "des Pins", "du Lac", "Saint-Jean")
                )
            ),
            rng,
        )
        family = ctx.pick("Garage Roux|Garage Faure|Sté Carbu Ouest|Garage Blanc")
        operator = f"{ctx.pick('SARL|SAS')} {family}"
        street = f"{ctx.pick('RN 7|Route de Lyon|Avenue de la Libération|ZI Les Granges')}"
        town = ctx.pick("26200 Montélimar|37000 Tours|64100 Bayonne|87000 Limoges")
        fuel = ctx.pick("SP95-E10|GAZOLE|SP98|E85")
        ppl = Decimal(f"1.{rng.randint(650, 999)}")
        vat_rate = Decimal(20)
    else:
        station = ctx.names.fresh(
            lambda _r: (
                "E.S. "
                + rng.choice(
                    ("La Rotonda", "El Cruce", "San Roque", "Los Olivos", "La Venta", "Puerto")
                )
            ),
            rng,
        )
        family = ctx.pick("Hermanos Ruiz|Combustibles Vega|Petróleos Sur|Gasóleos Rioja")
        operator = f"{family} {ctx.pick('S.L.|S.A.')}"
        street = ctx.pick("Ctra. N-340, km 12|Avda. de Andalucía, 45|Ctra. de Valencia, km 3")
        town = ctx.pick("11201 Algeciras|26001 Logroño|30001 Murcia|06001 Badajoz")
        fuel = ctx.pick("SIN PLOMO 95|GASOLEO A|SIN PLOMO 98|DIESEL+")
        ppl = Decimal(f"1.{rng.randint(450, 899)}")
        vat_rate = Decimal(21)
    litres = Decimal(rng.randint(800, 6500)) / 100
    total = cents(litres * ppl)
    vat = cents(total * vat_rate / (100 + vat_rate))
    day = day_of(ctx)
    ticket = digits(ctx, 6)
    pump = rng.randint(1, 12)
    series = rng.randint(1, 4)
    two_digit = rng.random() < 0.6
    hour = f"{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}"

    def n(v: Decimal, places: int = 2) -> str:
        return f"{v:.{places}f}".replace(".", ",")

    def draw() -> bytes:
        out = [
            center(brand),
            center(station),
            center(operator if rng.random() < 0.6 else ""),
            center(street),
            center(town),
        ]
        if fr:
            out.append(center(f"SIRET {digits(ctx, 9)} {digits(ctx, 5)}"))
            out += [
                "",
                spread(f"TICKET N° {ticket}", ""),
                spread(dmy(day, "/", 2 if two_digit else 4), hour),
            ]
            out += [
                spread(f"POMPE {pump:02d}", fuel),
                f"  {n(litres)} L x {n(ppl, 3)} EUR/L",
                spread("MONTANT", f"{n(total)} EUR"),
                "",
                spread("TOTAL TTC", f"{n(total)} EUR"),
                spread(f"dont TVA {n(vat_rate)}%", f"{n(vat)} EUR"),
                spread("TOTAL HT", f"{n(total - vat)} EUR"),
                "",
                spread("CARTE BANCAIRE", f"{n(total)} EUR"),
                "A0000000421010  CB",
                f"No AUTO : {digits(ctx, 6)}",
                "",
                center("MERCI DE VOTRE VISITE"),
                center("A BIENTOT"),
            ]
        else:
            out.append(center(f"CIF: {ctx.pick('B|A')}{digits(ctx, 8)}"))
            out += [
                "",
                center("FACTURA SIMPLIFICADA"),
                spread("Nº:", f"T{series}-{ticket}"),
                spread(f"Fecha: {dmy(day, '/', 2 if two_digit else 4)}", f"Hora: {hour}"),
            ]
            out += [
                spread(f"Surtidor: {pump}", fuel),
                f"  {n(litres)} l x {n(ppl, 3)} EUR/l",
                spread("IMPORTE", f"{n(total)} EUR"),
                "",
                spread("Base imponible", n(total - vat)),
                spread(f"IVA {n(vat_rate, 0)}%", n(vat)),
                spread("TOTAL", f"{n(total)} EUR"),
                "",
                spread("TARJETA", f"{n(total)} EUR"),
                "",
                center("GRACIAS POR SU VISITA"),
            ]
        return receipt_pdf(out, bold=(0,))

    # The ticket number as printed (Spanish tickets print the series too: T1-000123).
    number = ticket if fr else f"T{series}-{ticket}"
    company = [station, operator, brand]
    return Built(receipt_gold(company, day, f"{street}, {town}", total, number), draw)


_MY_SHOPS = (
    "Kedai Runcit Sri Maju|Pasaraya Aman Jaya|Kedai Makan Selera Kampung|"
    "Syarikat Hardware Seng Huat|Restoran Mee Rebus Pak Ali|Kedai Buku Ilmu Murni"
)
_SG_SHOPS = "Lucky Mart|Golden Harvest Minimart|Ah Hock Provision|Kopi Corner|Sunrise Stationery"
_MY_GOODS = (
    "MILO 1KG|GARDENIA BREAD|TELUR GRED A 10|MINYAK MASAK 5KG|BERAS 10KG|SABUN DOBI|"
    "NASI LEMAK|TEH TARIK|PAKU 2 INCI|CAT DINDING 5L"
)


def sdn_bhd(ctx: Ctx) -> Built:  # noqa: C901 - one template
    loc, rng = ctx.loc, ctx.rng
    sg = loc.code == "en_SG"
    base = ctx.names.fresh(lambda _r: rng.choice((_SG_SHOPS if sg else _MY_SHOPS).split("|")), rng)
    form = "PTE LTD" if sg else ctx.pick("SDN BHD|SDN. BHD.|ENTERPRISE")
    legal = f"{base.upper()} {form}"
    if sg:
        lines_addr = [
            f"BLK {rng.randint(100, 999)} ANG MO KIO AVE {rng.randint(1, 10)}",
            f"#01-{rng.randint(1000, 9999)}",
            f"SINGAPORE {rng.randint(100000, 829999)}",
        ]
    else:
        lines_addr = [
            f"NO. {rng.randint(1, 99)}, JALAN {ctx.pick('SS 2/24|PJU 1/3|MEGAH 3|TUN RAZAK')},",
            *rng.choice(
                (
                    ("47300 PETALING JAYA,", "SELANGOR."),
                    ("50450 KUALA LUMPUR,", "W.P. KUALA LUMPUR."),
                    ("81100 JOHOR BAHRU,", "JOHOR."),
                    ("31400 IPOH,", "PERAK."),
                )
            ),
        ]
    goods = rng.sample(_MY_GOODS.split("|"), rng.randint(2, 6))
    lines = [
        (g, rng.choice((1, 1, 2, 3)), cents(Decimal(rng.randint(150, 4500)) / 100)) for g in goods
    ]
    if sg:
        year = rng.choice((2023, 2024, 2025))
        rate = Decimal(8 if year == 2023 else 9)
    else:
        gst_era = rng.random() < 0.6
        year = rng.choice((2016, 2017, 2018)) if gst_era else rng.choice((2023, 2024))
        rate = Decimal(6)
    # Malaysia's GST ended in May 2018.
    day = date(year, rng.randint(1, 5 if year == 2018 else 12), rng.randint(1, 28))
    sub = sum((cents(p * q) for _, q, p in lines), Decimal(0))
    inclusive = sg and rng.random() < 0.5
    tax = cents(sub * rate / (100 + rate)) if inclusive else cents(sub * rate / 100)
    gross = sub if inclusive else sub + tax
    rounded = (gross * 20).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 20
    rounded = cents(rounded) if not sg else gross
    cash = Decimal((int(rounded) // 10 + 1) * 10)
    number = ctx.pick(f"CS{digits(ctx, 8)}|{digits(ctx, 6)}|INV-{digits(ctx, 5)}")
    dated = ctx.pick(
        f"{dmy(day, '/')}|{dmy(day, '-')}|{dmy(day, '/', 2)}"
        f"|{day.day:02d}-{month('en', day, True).upper()}-{day.year}"
    )
    tax_name = "GST" if sg or (year <= 2018) else "SST"

    def n(v: Decimal) -> str:
        return f"{v:,.2f}"

    def draw() -> bytes:
        out = [center(legal)]
        out.append(
            center(
                f"(UEN: {year - rng.randint(3, 20)}{digits(ctx, 5)}K)"
                if sg
                else f"(CO. REG. NO. {digits(ctx, 6)}-{rng.choice('AKUPTWX')})"
            )
        )
        out += [center(a) for a in lines_addr]
        out.append(center(f"TEL: {'6' if sg else '0'}{digits(ctx, 3)} {digits(ctx, 4)}"))
        if tax_name == "GST":
            out.append(
                center(
                    f"GST REG NO: {'M2-' + digits(ctx, 7) + '-X' if sg else '00' + digits(ctx, 10)}"
                )
            )
        else:
            out.append(center(f"SST ID: W10-{digits(ctx, 4)}-{digits(ctx, 8)}"))
        out += [
            "",
            center(
                "TAX INVOICE" if tax_name == "GST" and not sg else "RECEIPT" if sg else "CASH BILL"
            ),
        ]
        out.append(spread(f"{'Rcpt#' if sg else 'Doc No'}: {number}", f"Date: {dated}"))
        out.append(
            spread(
                f"Cashier: {ctx.pick('AMIRAH|SITI|LIM|RAJ|MEI LING')}",
                f"Time: {rng.randint(8, 21):02d}:{rng.randint(0, 59):02d}",
            )
        )
        out.append("-" * 42)
        out.append(spread("ITEM            QTY   U/P", "AMT"))
        for g, q, p in lines:
            out.append(
                spread(
                    f"{g[:15]:<15} {q:>3} {n(p):>6}",
                    f"{n(cents(p * q))} {'SR' if tax_name == 'GST' else ''}".strip(),
                )
            )
        out.append("-" * 42)
        if inclusive:
            out.append(spread("TOTAL", f"SGD {n(gross)}"))
            out.append(spread(f"GST {rate}% incl. in total", n(tax)))
        else:
            out.append(spread(f"Total Sales (Excl. {tax_name})", n(sub)))
            out.append(spread(f"{tax_name} @{rate}%", n(tax)))
            out.append(spread(f"Total Sales (Incl. {tax_name})", n(gross)))
            if not sg:
                out.append(spread("Rounding Adj", n(rounded - gross)))
            out.append(
                spread(
                    "TOTAL AMOUNT" if not sg else "TOTAL",
                    f"{'RM' if not sg else 'S$'} {n(rounded)}",
                )
            )
        if sg and rng.random() < 0.5:
            out.append(spread("NETS", n(rounded)))
        else:
            out.append(spread("CASH", n(cash)))
            out.append(spread("CHANGE", n(cash - rounded)))
        if tax_name == "GST" and not sg:
            out += [
                "",
                "GST SUMMARY     Amount(RM)   Tax(RM)",
                f"SR @ 6%        {n(sub):>10} {n(tax):>9}",
            ]
        out += [
            "",
            center("THANK YOU. PLEASE COME AGAIN."),
            center("GOODS SOLD ARE NOT RETURNABLE"),
        ]
        return receipt_pdf(out, bold=(0,))

    company = [legal, base.upper()]
    address = ", ".join(a.rstrip(",.") for a in lines_addr)
    return Built(receipt_gold(company, day, address, rounded, number), draw)


TEMPLATES: dict[str, Callable[[Ctx], Built]] = {
    "rechnung_din": rechnung_din,
    "facture_siret": facture_siret,
    "factura_nif": factura_nif,
    "factuur_kvk": factuur_kvk,
    "uk_vat": uk_vat,
    "ca_gst": ca_gst,
    "saas_issue": saas_issue,
    "sold_by": sold_by,
    "ch_qr": ch_qr,
    "till_receipt": till_receipt,
    "restaurant_tip": restaurant_tip,
    "fuel_ticket": fuel_ticket,
    "sdn_bhd": sdn_bhd,
}
# Which templates are receipts (the rest are invoices).
RECEIPTS = frozenset({"till_receipt", "restaurant_tip", "fuel_ticket", "sdn_bhd"})
__all__ = ["LOCALES", "RECEIPTS", "TEMPLATES"]
