"""Bills that are not a trader's letter: utility, telecom, marketplace, SaaS and hotel invoices.

Written from how such bills look in the wild (not from the recognisers under test). What they
share, and the older templates lack: the brand printed large (as a word or as a logo image with
no text layer) while the legal name that issued the bill is only in small print ("Voltaro
Energy is a trading name of Voltaro Supply Ltd", "operated by ..."), or the page names a
platform while the seller issued it ("Sold by ..., fulfilled by ..."); and the bill's number
among numbers that are not it (account, contract, meter, order, folio, room, mobile number).

``utility``: energy or water bill, brand top-left, account summary box, meter table, small print.
``marketplace``: platform wordmark, "Sold by" seller block, order number beside the invoice's,
platform operator with its legal form in the footer.
``hotel_folio``: hotel name centred, guest/room/arrival/departure/folio, one line per night,
"operated by" in the footer.
``telecom`` (holdout): mobile bill, logo box, account/mobile/bill numbers in a grid, legal name in
the registered-office line.
``saas`` (holdout): lower-case wordmark (sometimes an image), label column, legal entity in the
sender block, "due" sentence, account id.
``broadband``, ``cloud``, ``agency`` (dev): logo picture with the legal name only in the
registered-office line; a summary box of colon labels with the legal entity under "Service
provider"; a wordmark over the issuer's and the client's blocks side by side.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fieldgen_common import (
    GOODS,
    Built,
    Ctx,
    Item,
    Party,
    Totals,
    company,
    date_style,
    items,
    later,
    money_style,
    pct,
    person,
    when,
)
from fieldgen_draw import Sheet
from fieldgen_locale import Locale, address, iban, money, phone, vat_id

# Label spellings per language; one picked per document (several real spellings of each).
_RAW: dict[str, dict[str, str]] = {
    "en": {
        "bill": "Your bill|Your energy bill|Invoice|Tax invoice|Bill",
        "bill_no": "Bill No.|Bill number|Document No.|Invoice #|Invoice number|Invoice ref.",
        "account": "Account number|Account No.|Customer account|Customer number",
        "meter": "Meter serial no.|MPAN|Supply number",
        "issue": "Bill date|Date of bill|Invoice date|Issue date|Date",
        "period": "Billing period|Bill period|Period",
        "due_amount": "Amount due|Total to pay|Total amount due|Total due",
        "pay_by": "Direct debit on|Payment due by|Pay by",
        "trading": "{brand} is a trading name of {legal}, registered in England and Wales "
        "No. {n}.|{brand} is a trading name of {legal}. Registered office: {addr}.",
        "operated": "{brand} is operated by {legal}.|Operator: {legal}",
        "sold_by": "Sold by|Seller",
        "fulfilled": "Fulfilled by {p}|Dispatched by {p}",
        "order_no": "Order #|Order number|Order No.",
        "order_date": "Order date|Order placed",
        "bill_addr": "Billing address|Invoice address",
        "ship_addr": "Delivery address|Shipping address",
        "platform_note": "{p} acts as a marketplace only; this invoice is issued by the seller.",
        "mobile": "Mobile number|Your number|Phone number",
        "folio": "Folio No.|Folio",
        "room": "Room|Room No.",
        "conf": "Confirmation No.|Booking ref.",
        "guest": "Guest|Guest name",
        "arrival": "Arrival",
        "departure": "Departure",
        "night": "Accommodation|Room charge",
        "city_tax": "City tax",
        "breakfast": "Breakfast",
        "account_id": "Account ID|Customer ID",
        "due_line": "{amount} due {date}|{amount} due on {date}",
        "pay_online": "Pay online|Pay this invoice",
        "plan": "Pro plan (per seat)|Business plan|Team plan, annual",
        "usage": "Additional storage (100 GB)|API calls over quota|Extra seats",
        "from": "From",
        "standing": "Standing charge|Daily standing charge",
        "energy": "Electricity used|Energy used|Water supply",
        "kwh": "kWh",
        "reading": "Previous reading|Current reading",
        "calls": "Monthly plan|Calls and texts outside allowance|Roaming|Data add-on",
        "cust_ref": "Customer ref.|Your reference|Customer ID",
        "landline": "Phone number|Line number|Service number",
        "summary": "Invoice summary|Summary",
        "provider": "Service provider|Supplier|Issued by",
        "office": "Registered office",
        "company_no": "Company No.|Reg. No.",
        "charges_for": "This invoice is for the billing period {a} - {b}",
        "vat_reg": "VAT reg. no.|VAT No.",
    },
    "fr": {
        "bill": "Votre facture|Facture|FACTURE",
        "bill_no": "N° de facture|Facture n°|Réf. facture|Numéro de facture",
        "account": "N° de compte client|Compte client|Référence client|N° client",
        "meter": "N° PDL|Point de livraison|N° compteur",
        "issue": "Date de facture|Date d'émission|Émise le|Date",
        "period": "Période de facturation|Période de consommation",
        "due_amount": "Montant à payer|Total à payer|Net à payer|Montant TTC à régler",
        "pay_by": "Prélevé le|À payer avant le|Date limite de paiement",
        "trading": "{brand} est une marque de {legal}, RCS Paris B {n}.|"
        "{brand} est un nom commercial de {legal}, siège social : {addr}.",
        "operated": "{brand} est exploité par {legal}.|Exploitant : {legal}",
        "sold_by": "Vendu par|Vendeur",
        "fulfilled": "Expédié par {p}|Livraison assurée par {p}",
        "order_no": "N° de commande|Commande n°",
        "order_date": "Date de commande|Commandé le",
        "bill_addr": "Adresse de facturation",
        "ship_addr": "Adresse de livraison",
        "platform_note": "{p} agit uniquement en tant que place de marché ; "
        "cette facture est émise par le vendeur.",
        "mobile": "N° de ligne|Numéro de mobile",
        "folio": "Folio n°|N° de folio",
        "room": "Chambre|Chambre n°",
        "conf": "N° de réservation|Réservation",
        "guest": "Client|Nom du client",
        "arrival": "Arrivée",
        "departure": "Départ",
        "night": "Hébergement|Nuitée",
        "city_tax": "Taxe de séjour",
        "breakfast": "Petit-déjeuner",
        "account_id": "Identifiant du compte|ID client",
        "due_line": "{amount} à payer avant le {date}|{amount} dû le {date}",
        "pay_online": "Payer en ligne|Régler cette facture",
        "plan": "Offre Pro (par utilisateur)|Offre Business|Offre Équipe, annuelle",
        "usage": "Stockage supplémentaire (100 Go)|Appels API hors forfait|Utilisateurs supp.",
        "from": "De",
        "standing": "Abonnement|Part fixe",
        "energy": "Consommation électricité|Consommation|Fourniture d'eau",
        "kwh": "kWh",
        "reading": "Ancien index|Nouvel index",
        "calls": "Forfait mensuel|Appels hors forfait|Itinérance|Option data",
        "cust_ref": "Réf. client|Votre référence|Identifiant client",
        "landline": "N° de ligne|N° d'accès|Numéro de téléphone",
        "summary": "Récapitulatif|Résumé de la facture",
        "provider": "Prestataire|Fournisseur|Émetteur",
        "office": "Siège social",
        "company_no": "RCS|SIREN",
        "charges_for": "Cette facture couvre la période du {a} au {b}",
        "vat_reg": "N° TVA intracom.|TVA intracommunautaire",
    },
    "de": {
        "bill": "Ihre Rechnung|Rechnung|RECHNUNG|Jahresabrechnung",
        "bill_no": "Rechnungs-Nr.|Rechnungsnummer|Beleg-Nr.|Dokument-Nr.|Rechnung Nr.",
        "account": "Vertragskonto|Kundennummer|Vertragsnummer|Kunden-Nr.",
        "meter": "Zählernummer|Marktlokation|Zähler-Nr.",
        "issue": "Rechnungsdatum|Datum|Belegdatum|Erstellt am",
        "period": "Abrechnungszeitraum|Leistungszeitraum",
        "due_amount": "Rechnungsbetrag|Zu zahlender Betrag|Gesamtbetrag|Zahlbetrag",
        "pay_by": "Abbuchung am|Fällig am|Zahlbar bis",
        "trading": "{brand} ist eine Marke der {legal}, Amtsgericht Köln HRB {n}.|"
        "{brand} ist ein Angebot der {legal}, Sitz: {addr}.",
        "operated": "{brand} wird betrieben von der {legal}.|Betreiber: {legal}",
        "sold_by": "Verkauft von|Verkäufer",
        "fulfilled": "Versand durch {p}|Versendet von {p}",
        "order_no": "Bestellnummer|Bestell-Nr.",
        "order_date": "Bestelldatum|Bestellt am",
        "bill_addr": "Rechnungsadresse",
        "ship_addr": "Lieferadresse|Lieferanschrift",
        "platform_note": "{p} tritt nur als Marktplatz auf; "
        "diese Rechnung wird vom Verkäufer ausgestellt.",
        "mobile": "Rufnummer|Ihre Rufnummer|Mobilfunknummer",
        "folio": "Folio-Nr.|Folio",
        "room": "Zimmer|Zimmer-Nr.",
        "conf": "Reservierungsnummer|Buchungs-Nr.",
        "guest": "Gast|Gastname",
        "arrival": "Anreise",
        "departure": "Abreise",
        "night": "Übernachtung|Logis",
        "city_tax": "Kurtaxe|City Tax",
        "breakfast": "Frühstück",
        "account_id": "Konto-ID|Kunden-ID",
        "due_line": "{amount} fällig am {date}|{amount} zahlbar bis {date}",
        "pay_online": "Online bezahlen|Rechnung bezahlen",
        "plan": "Pro-Tarif (pro Nutzer)|Business-Tarif|Team-Tarif, jährlich",
        "usage": "Zusatzspeicher (100 GB)|API-Aufrufe über Kontingent|Zusätzliche Nutzer",
        "from": "Von",
        "standing": "Grundpreis|Grundgebühr",
        "energy": "Arbeitspreis Strom|Verbrauch|Wasserversorgung",
        "kwh": "kWh",
        "reading": "Zählerstand alt|Zählerstand neu",
        "calls": "Monatlicher Grundpreis|Verbindungen außerhalb Tarif|Roaming|Datenpaket",
        "cust_ref": "Ihre Referenz|Kundenreferenz|Kunden-ID",
        "landline": "Anschlussnummer|Rufnummer|Anschluss",
        "summary": "Rechnungsübersicht|Zusammenfassung",
        "provider": "Leistungserbringer|Anbieter|Rechnungssteller",
        "office": "Sitz der Gesellschaft|Sitz",
        "company_no": "HRB|Registergericht",
        "charges_for": "Diese Rechnung betrifft den Zeitraum {a} - {b}",
        "vat_reg": "USt-IdNr.|USt-ID",
    },
    "nl": {
        "bill": "Uw factuur|Factuur|FACTUUR|Jaarnota",
        "bill_no": "Factuur nr|Factuurnummer|Factuurnr.|Documentnr.|Notanummer",
        "account": "Klantnummer|Contractnummer|Klantnr.",
        "meter": "EAN-code|Meternummer",
        "issue": "Factuurdatum|Datum|Notadatum",
        "period": "Periode|Factuurperiode",
        "due_amount": "Te betalen|Totaal te betalen|Factuurbedrag|Totaalbedrag",
        "pay_by": "Automatische incasso op|Uiterste betaaldatum|Betalen vóór",
        "trading": "{brand} is een handelsnaam van {legal}, KvK {n}.|"
        "{brand} is een handelsnaam van {legal}, statutair gevestigd te {addr}.",
        "operated": "{brand} wordt geëxploiteerd door {legal}.|Exploitant: {legal}",
        "sold_by": "Verkocht door|Verkoper",
        "fulfilled": "Verzonden door {p}|Verzending door {p}",
        "order_no": "Bestelnummer|Ordernummer",
        "order_date": "Besteldatum|Besteld op",
        "bill_addr": "Factuuradres",
        "ship_addr": "Afleveradres|Bezorgadres",
        "platform_note": "{p} treedt alleen op als platform; deze factuur is uitgereikt door "
        "de verkoper.",
        "mobile": "Mobiel nummer|Uw nummer|Telefoonnummer",
        "folio": "Folionummer|Folio",
        "room": "Kamer|Kamernummer",
        "conf": "Reserveringsnummer|Boekingsnummer",
        "guest": "Gast|Naam gast",
        "arrival": "Aankomst",
        "departure": "Vertrek",
        "night": "Logies|Overnachting",
        "city_tax": "Toeristenbelasting",
        "breakfast": "Ontbijt",
        "account_id": "Account-ID|Klant-ID",
        "due_line": "{amount} te betalen vóór {date}|{amount} vervalt op {date}",
        "pay_online": "Online betalen|Betaal deze factuur",
        "plan": "Pro-abonnement (per gebruiker)|Business-abonnement|Team, jaarlijks",
        "usage": "Extra opslag (100 GB)|API-aanroepen boven bundel|Extra gebruikers",
        "from": "Van",
        "standing": "Vaste leveringskosten|Vastrecht",
        "energy": "Levering elektriciteit|Verbruik|Levering water",
        "kwh": "kWh",
        "reading": "Oude meterstand|Nieuwe meterstand",
        "calls": "Abonnement|Bellen buiten bundel|Roaming|Extra data",
        "cust_ref": "Uw referentie|Klantreferentie|Klant-ID",
        "landline": "Aansluitnummer|Telefoonnummer|Lijnnummer",
        "summary": "Overzicht|Factuuroverzicht",
        "provider": "Dienstverlener|Leverancier|Uitgegeven door",
        "office": "Statutaire zetel|Vestigingsadres",
        "company_no": "KvK|KvK-nummer",
        "charges_for": "Deze factuur betreft de periode {a} t/m {b}",
        "vat_reg": "Btw-nummer|Btw-nr.",
    },
    "es": {
        "bill": "Su factura|Factura|FACTURA",
        "bill_no": "Nº factura|Número de factura|Factura nº|Nº de documento",
        "account": "Nº de contrato|Código de cliente|Nº de cliente",
        "meter": "CUPS|Nº de contador",
        "issue": "Fecha de factura|Fecha de emisión|Fecha",
        "period": "Periodo de facturación|Periodo de consumo",
        "due_amount": "Total a pagar|Importe total|Total factura|Importe a pagar",
        "pay_by": "Fecha de cargo|Fecha límite de pago|Se cargará el",
        "trading": "{brand} es una marca comercial de {legal}, CIF B{n}.|"
        "{brand} es una marca de {legal}, con domicilio social en {addr}.",
        "operated": "{brand} está gestionado por {legal}.|Explotado por {legal}",
        "sold_by": "Vendido por|Vendedor",
        "fulfilled": "Enviado por {p}|Gestionado por {p}",
        "order_no": "Nº de pedido|Pedido nº",
        "order_date": "Fecha del pedido|Pedido realizado el",
        "bill_addr": "Dirección de facturación",
        "ship_addr": "Dirección de envío|Dirección de entrega",
        "platform_note": "{p} actúa solo como plataforma; esta factura la emite el vendedor.",
        "mobile": "Nº de línea|Tu número|Número de móvil",
        "folio": "Folio nº|Nº de folio",
        "room": "Habitación|Hab. nº",
        "conf": "Nº de reserva|Localizador",
        "guest": "Huésped|Cliente",
        "arrival": "Llegada",
        "departure": "Salida",
        "night": "Alojamiento|Estancia",
        "city_tax": "Tasa turística",
        "breakfast": "Desayuno",
        "account_id": "ID de cuenta|ID de cliente",
        "due_line": "{amount} a pagar antes del {date}|{amount} vence el {date}",
        "pay_online": "Pagar en línea|Pagar esta factura",
        "plan": "Plan Pro (por usuario)|Plan Business|Plan Equipo, anual",
        "usage": "Almacenamiento adicional (100 GB)|Llamadas API fuera de cuota|Usuarios extra",
        "from": "De",
        "standing": "Término de potencia|Cuota fija",
        "energy": "Término de energía|Consumo|Suministro de agua",
        "kwh": "kWh",
        "reading": "Lectura anterior|Lectura actual",
        "calls": "Cuota mensual|Llamadas fuera de tarifa|Itinerancia|Bono de datos",
        "cust_ref": "Su referencia|Referencia cliente|ID de cliente",
        "landline": "Nº de teléfono|Línea|Nº de servicio",
        "summary": "Resumen de la factura|Resumen",
        "provider": "Proveedor del servicio|Emisor|Proveedor",
        "office": "Domicilio social",
        "company_no": "CIF|Registro Mercantil",
        "charges_for": "Esta factura corresponde al periodo {a} - {b}",
        "vat_reg": "NIF|CIF",
    },
}
LABELS = {lang: {k: tuple(v.split("|")) for k, v in table.items()} for lang, table in _RAW.items()}

_BRANDS = (
    "Voltaro|Brightwave|Enerlis|Aquanta|Helion|Lumora|Nordgrid|Solvena|Ventrix|Calora|Hydrelle|"
    "Kivra|Telvio|Mobix|Connecta|Ondaro|Vexa|Zentel|Fibrix|Airlo|Cloudnest|Stackly|Invoria|"
    "Datavo|Tasklane|Syncora|Loomly|Fernway|Shopora|Marketly|Bazario|Cartwell|Tradeo|Vendiq|"
    "Quorra|Palmera|Bellaria|Miravel|Seaview|Alpenrose|Lindenhof|Korvan|Meridel|Orsana"
)
BRAND_STEMS = tuple(_BRANDS.split("|"))
SECTOR = {
    "energy": {"en": "Energy", "fr": "Énergie", "de": "Energie", "nl": "Energie", "es": "Energía"},
    "water": {"en": "Water", "fr": "Eaux", "de": "Wasser", "nl": "Water", "es": "Aguas"},
    "mobile": {"en": "Mobile", "fr": "Mobile", "de": "Mobilfunk", "nl": "Mobiel", "es": "Móvil"},
}
LEGAL_WORD = {
    "en": "Supply|Retail|Services|Holdings",
    "fr": "Fourniture|Distribution|Services",
    "de": "Vertrieb|Versorgung|Services",
    "nl": "Levering|Retail|Diensten",
    "es": "Comercializadora|Servicios|Distribución",
}
SUFFIX = {
    "en_GB": "Ltd|Limited|plc",
    "en_US": "Inc.|LLC",
    "fr_FR": "SAS|SA",
    "fr_BE": "SA|SRL",
    "de_DE": "GmbH|AG",
    "de_AT": "GmbH|AG",
    "de_CH": "AG",
    "nl_NL": "B.V.|N.V.",
    "nl_BE": "NV|BV",
    "es_ES": "S.A.|S.L.U.",
}
PLATFORM_SEAT = "S.à r.l.|GmbH|B.V.|Ltd"
HOTEL_WORDS = {
    "en": ("Hotel {b}|The {b} Hotel|{b} House Hotel"),
    "fr": ("Hôtel {b}|Hôtel Le {b}|{b} Hôtel & Spa"),
    "de": ("Hotel {b}|Hotel {b} am See|Landhotel {b}"),
    "nl": ("Hotel {b}|Hotel De {b}|{b} Hotel"),
    "es": ("Hotel {b}|Hotel {b} Playa|Gran Hotel {b}"),
}
CLOUD_TLD = "io|com|app|cloud"
DAY_WORD = {"en": "Date", "fr": "Date", "de": "Datum", "nl": "Datum", "es": "Fecha"}


class Words:
    """One document's label spellings (each key chosen once)."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.chosen: dict[str, str] = {}

    def __getitem__(self, key: str) -> str:
        if key not in self.chosen:
            self.chosen[key] = self.ctx.rng.choice(LABELS[self.ctx.lang][key])
        return self.chosen[key]


# a pool of its own for the templates added later, so the earlier ones keep their names
_STUDIOS = "Northlight|Paperfox|Bluecrane|Kitewell|Oakmoss|Redwing|Saltmarsh|Brightfold|Inkwell"
STUDIO_STEMS = tuple(_STUDIOS.split("|"))


def brand_stem(ctx: Ctx, pool: tuple[str, ...] = BRAND_STEMS) -> str:
    return ctx.names.fresh(lambda r: r.choice(pool), ctx.rng)


def suffix(ctx: Ctx) -> str:
    return ctx.pick(SUFFIX.get(ctx.loc.code, "Ltd"))


def digits(ctx: Ctx, size: int) -> str:
    return str(ctx.rng.randint(10 ** (size - 1), 10**size - 1))


def issue_day(ctx: Ctx) -> date:
    return date(ctx.rng.choice((2023, 2024, 2025)), ctx.rng.randint(1, 12), ctx.rng.randint(1, 28))


def gold(ctx: Ctx, number: str, day: date, total: Decimal, vendor: object) -> dict[str, object]:
    return {
        "invoice_number": number,
        "invoice_date": day.isoformat(),
        "total": float(total),
        "vendor": vendor,
        "currency": ctx.loc.currency,
    }


def logo(sheet: Sheet, x: float, y: float, word: str, height: float, *, dark: float) -> None:
    """The brand as a picture (no text layer): a mark and the word, drawn by PIL."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader

    scale = 4
    font = ImageFont.load_default(size=int(height * scale * 0.7))
    _, top, right, bottom = font.getbbox(word)
    mark = int(height * scale)
    width = int(mark + 12 * scale + right)
    image = Image.new("L", (width, mark), 255)
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, mark - 1, mark - 1), fill=int(dark * 255))
    draw.text((mark + 12 * scale, (mark - bottom - top) // 2), word, font=font, fill=40)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    w, h = width / scale, height
    sheet.canvas.drawImage(ImageReader(buffer), x, sheet.height - y - h, w, h)


def _amount_lines(ctx: Ctx, texts: list[str], low: int, high: int, rate: Decimal) -> list[Item]:
    out = []
    for text in texts:
        price = Decimal(ctx.rng.randint(low * 100, high * 100)) / 100
        out.append(Item(text, Decimal(1), price, rate))
    return out


# --- utility (dev) -------------------------------------------------------------------------


@dataclass
class Utility:
    brand: str
    legal: str
    number: str
    account: str
    meter: str
    day: date
    totals: Totals


def utility(ctx: Ctx) -> Built:
    w, loc, rng = Words(ctx), ctx.loc, ctx.rng
    stem = brand_stem(ctx)
    sector = ctx.pick("energy|energy|water")
    brand = f"{stem} {SECTOR[sector][ctx.lang]}"
    legal = f"{stem} {ctx.pick(LEGAL_WORD[ctx.lang])} {suffix(ctx)}"
    customer = person(ctx)
    street, city = address(loc, rng)
    day = issue_day(ctx)
    rate = Decimal(ctx.pick("5|7|10|20|21")) if loc.lang != "de" else Decimal(19)
    standing = Decimal(rng.randint(800, 2500)) / 100
    used = rng.randint(120, 900)
    unit = Decimal(rng.randint(18, 39)) / 100
    lines = [
        Item(f"{w['standing']} ({rng.randint(28, 31)} d)", Decimal(1), standing, rate),
        Item(f"{w['energy']} {used} {w['kwh']}", Decimal(used), unit, rate),
    ]
    totals = Totals(lines)
    number = ctx.pick(f"{digits(ctx, 10)}|{day.year}{digits(ctx, 7)}|E{digits(ctx, 9)}|")
    number = number or f"{digits(ctx, 3)}-{digits(ctx, 6)}"
    account = ctx.pick(f"{digits(ctx, 8)}|{digits(ctx, 4)} {digits(ctx, 4)} {digits(ctx, 2)}")
    meter = ctx.pick(f"{digits(ctx, 12)}|ES00{digits(ctx, 16)}|{digits(ctx, 8)}")
    money_style_ = money_style(ctx)
    dates = date_style(ctx)
    image_logo = rng.random() < 0.4
    account_first = rng.random() < 0.5
    dark = rng.choice((0.2, 0.35, 0.5))
    n = rng.randint(1000000, 9999999)
    vat = vat_id(loc, rng)
    service_phone = phone(loc, rng)
    small = w["trading"].format(brand=brand, legal=legal, n=n, addr=f"{street}, {city}")
    period = (later(day, -rng.randint(28, 31)), later(day, -1))
    debit = later(day, rng.choice((10, 14, 21)))
    total_text = money(loc, totals.total, "symbol")
    family = ctx.pick("Helvetica|Times")
    reading = str(rng.randint(10000, 90000))

    def draw() -> bytes:
        s = Sheet(family=family)
        if image_logo:
            logo(s, 40, 38, brand, 30, dark=dark)
        else:
            s.text(40, 66, brand, 24, bold=True, grey=dark)
        s.text(555, 56, w["bill"], 16, bold=True, align="right")
        meta = [
            (w["account"], account),
            (w["bill_no"], number),
            (w["issue"], when(ctx, day, dates)),
            (w["period"], f"{when(ctx, period[0], 'numeric')} - {when(ctx, period[1], 'numeric')}"),
        ]
        if not account_first:
            meta[0], meta[1] = meta[1], meta[0]
        s.pairs(330, 82, meta, 555, 8.5, value_align="right")
        s.lines(57, 160, [customer.name, customer.street, customer.city], 10)
        s.box(330, 150, 225, 70, fill=0.92, stroke=False)
        s.text(340, 168, w["due_amount"], 10, bold=True)
        s.text(545, 196, total_text, 18, bold=True, align="right")
        s.text(340, 212, f"{w['pay_by']} {when(ctx, debit, dates)}", 8)
        rows = [["", w["kwh"] if "kWh" in lines[1].text else "", loc.currency]]
        for line in lines:
            rows.append(
                [line.text, money(loc, line.price, "plain"), money(loc, line.amount, "plain")]
            )
        y = s.table(40, 250, (300, 100, 115), rows, aligns="lrr", header_fill=0.88)
        summary = [(f"{ctx.words['subtotal']}", money(loc, totals.subtotal, money_style_))]
        for tax_rate, tax in totals.taxes().items():
            summary.append((f"{ctx.words['tax']} {pct(loc, tax_rate)}", money(loc, tax, "plain")))
        summary.append((w["due_amount"], money(loc, totals.total, money_style_)))
        y = s.pairs(300, y + 20, summary, 555, 9.5, value_align="right", bold_last=True)
        meter_rows = [[w["meter"], w["reading"], w["kwh"]], [meter, reading, str(used)]]
        s.table(40, y + 25, (220, 150, 145), meter_rows, aligns="lrr", header_fill=None, size=8)
        s.rule(40, 770, 555, 0.3, grey=0.5)
        s.text(40, 782, small, 6.5, grey=0.3)
        s.text(40, 791, f"{ctx.words['vat_id']} {vat} · {ctx.words['phone']} {service_phone}", 6.5)
        return s.pdf()

    return Built(gold(ctx, number, day, totals.total, [legal, brand]), draw)


# --- marketplace (dev) ---------------------------------------------------------------------


def marketplace(ctx: Ctx) -> Built:
    w, loc, rng = Words(ctx), ctx.loc, ctx.rng
    platform = brand_stem(ctx)
    operator = f"{platform} EU {ctx.pick(PLATFORM_SEAT)}"
    seller = company(ctx)
    buyer = person(ctx)
    day = issue_day(ctx)
    ordered = later(day, -rng.randint(0, 4))
    lines = items(ctx, GOODS, rng.randint(1, 3), 8, 400)
    totals = Totals(lines)
    if rng.random() < 0.5:
        totals.shipping = Decimal(ctx.pick("3.99|4.49|5.99"))
    number = ctx.pick(
        f"{loc.code[3:]}{day.year % 100}{digits(ctx, 6)}-{digits(ctx, 2)}|"
        f"INV-{loc.code[3:]}-{digits(ctx, 9)}|{digits(ctx, 4)}-{digits(ctx, 4)}-{digits(ctx, 4)}"
    )
    order = f"{digits(ctx, 3)}-{digits(ctx, 7)}-{digits(ctx, 7)}"
    dates = date_style(ctx)
    style = money_style(ctx)
    seller_vat = seller.vat
    fulfilled = w["fulfilled"].format(p=platform)
    note = w["platform_note"].format(p=platform)
    wordmark = ctx.pick(f"{platform.lower()}|{platform}|{platform.upper()}")
    op_street, op_city = ctx.pick("5 Rue Plaetis|38 Avenue John F. Kennedy"), "L-2338 Luxembourg"

    def draw() -> bytes:
        s = Sheet()
        s.text(40, 64, wordmark, 26, bold=True, grey=0.15)
        s.text(555, 58, ctx.words["invoice"], 16, bold=True, align="right")
        s.pairs(
            340,
            84,
            [
                (w["bill_no"], number),
                (ctx.words["inv_date"], when(ctx, day, dates)),
                (w["order_no"], order),
                (w["order_date"], when(ctx, ordered, dates)),
            ],
            555,
            8.5,
            value_align="right",
        )
        s.text(40, 100, f"{w['sold_by']}:", 8.5, bold=True)
        s.lines(40, 112, [seller.name, seller.street, seller.city], 8.5)
        s.text(40, 150, f"{ctx.words['vat_id']} {seller_vat}", 8.5)
        s.text(40, 164, fulfilled, 8, grey=0.35)
        s.text(40, 195, w["bill_addr"], 8.5, bold=True)
        s.lines(40, 207, buyer.block(), 8.5)
        s.text(300, 195, w["ship_addr"], 8.5, bold=True)
        s.lines(300, 207, buyer.block(), 8.5)
        rows = [[ctx.words["desc"], ctx.words["qty"], ctx.words["price"], ctx.words["amount"]]]
        for line in lines:
            rows.append(
                [
                    line.text,
                    f"{line.qty:f}",
                    money(loc, line.price, "plain"),
                    money(loc, line.amount, "plain"),
                ]
            )
        y = s.table(40, 260, (270, 50, 90, 105), rows, aligns="lrrr")
        totals_list = [(ctx.words["subtotal"], money(loc, totals.subtotal, style))]
        if totals.shipping:
            totals_list.append((ctx.words["shipping"], money(loc, totals.shipping, style)))
        for tax_rate, tax in totals.taxes().items():
            totals_list.append((f"{ctx.words['tax']} {pct(loc, tax_rate)}", money(loc, tax, style)))
        totals_list.append((ctx.words["total"], money(loc, totals.total, style)))
        s.pairs(330, y + 20, totals_list, 555, 9.5, value_align="right", bold_last=True)
        s.rule(40, 772, 555, 0.3, grey=0.5)
        s.text(40, 784, note, 6.5, grey=0.3)
        s.text(40, 793, f"{operator} · {op_street} · {op_city}", 6.5, grey=0.3)
        return s.pdf()

    return Built(gold(ctx, number, day, totals.total, seller.name), draw)


# --- hotel_folio (dev) ---------------------------------------------------------------------


def hotel_folio(ctx: Ctx) -> Built:
    w, loc, rng = Words(ctx), ctx.loc, ctx.rng
    stem = brand_stem(ctx)
    hotel = ctx.pick(HOTEL_WORDS[ctx.lang]).format(b=stem)
    legal = f"{stem} {ctx.pick('Hospitality|Hotels|Hotelbetriebs|Hoteles')} {suffix(ctx)}"
    street, city = address(loc, rng)
    guest = person(ctx)
    departure = issue_day(ctx)
    nights = rng.randint(1, 4)
    arrival = later(departure, -nights)
    rate_room = Decimal(ctx.pick("7|10|12|13")) if ctx.lang != "en" else Decimal(20)
    room_price = Decimal(rng.randint(7900, 24900)) / 100
    lines = [Item(w["night"], Decimal(1), room_price, rate_room) for _ in range(nights)]
    breakfast = Decimal(rng.randint(1200, 2600)) / 100
    if rng.random() < 0.6:
        lines.append(Item(w["breakfast"], Decimal(nights), breakfast, rate_room))
    totals = Totals(lines)
    city_tax = Decimal(rng.randint(150, 450)) / 100 * nights
    total = totals.total + city_tax
    number = ctx.pick(f"{digits(ctx, 6)}|R{departure.year}-{digits(ctx, 5)}|{digits(ctx, 7)}")
    folio = digits(ctx, 5)
    room = str(rng.randint(101, 540))
    conf = ctx.pick(f"{digits(ctx, 9)}|BK{digits(ctx, 7)}")
    dates = ctx.pick("numeric|numeric|iso")
    style = money_style(ctx)
    operated = w["operated"].format(brand=hotel, legal=legal)
    vat = vat_id(loc, rng)
    tel = phone(loc, rng)
    mail = f"reception@{stem.lower()}-hotel.{ctx.pick('com|eu')}"
    title = f"{w['bill_no']} {number}"
    heading = hotel.upper() if rng.random() < 0.5 else hotel
    card = f"{ctx.words['card']} ···· {rng.randint(1000, 9999)}"

    def draw() -> bytes:
        s = Sheet(family="Times")
        s.text(297, 60, heading, 22, bold=True, align="center")
        s.text(297, 78, f"{street} · {city} · {tel} · {mail}", 8, align="center")
        s.rule(40, 90, 555, 0.8)
        s.lines(40, 120, [guest.name, guest.street, guest.city], 10)
        info = [
            (w["guest"], guest.name),
            (w["room"], room),
            (w["arrival"], when(ctx, arrival, dates)),
            (w["departure"], when(ctx, departure, dates)),
            (w["conf"], conf),
            (w["folio"], folio),
            (ctx.words["inv_date"], when(ctx, departure, dates)),
        ]
        s.pairs(350, 120, info, 470, 8.5)
        s.text(40, 240, title, 13, bold=True)
        rows = [[DAY_WORD[ctx.lang], ctx.words["desc"], ctx.words["amount"]]]
        for index, line in enumerate(lines):
            day = later(arrival, min(index, nights - 1))
            rows.append([when(ctx, day, "numeric"), line.text, money(loc, line.amount, "plain")])
        rows.append([when(ctx, departure, "numeric"), w["city_tax"], money(loc, city_tax, "plain")])
        y = s.table(40, 260, (90, 300, 125), rows, aligns="llr")
        summary = []
        for tax_rate, tax in totals.taxes().items():
            summary.append((f"{ctx.words['tax']} {pct(loc, tax_rate)}", money(loc, tax, style)))
        summary.append((ctx.words["total"], money(loc, total, style)))
        y = s.pairs(330, y + 20, summary, 555, 10, value_align="right", bold_last=True)
        s.text(40, y + 20, card, 8.5)
        s.rule(40, 775, 555, 0.3, grey=0.5)
        s.text(297, 786, operated, 6.5, align="center", grey=0.3)
        s.text(297, 795, f"{ctx.words['vat_id']} {vat}", 6.5, align="center", grey=0.3)
        return s.pdf()

    return Built(gold(ctx, number, departure, total, [legal, hotel]), draw)


# --- telecom (holdout) ---------------------------------------------------------------------


def telecom(ctx: Ctx) -> Built:
    w, loc, rng = Words(ctx), ctx.loc, ctx.rng
    stem = brand_stem(ctx)
    legal = f"{stem} {SECTOR['mobile'][ctx.lang]} {suffix(ctx)}"
    customer = person(ctx)
    day = issue_day(ctx)
    rate = Decimal(loc.rates[0])
    texts = rng.sample(list(LABELS[ctx.lang]["calls"]), 3)
    lines = _amount_lines(ctx, texts, 2, 45, rate)
    totals = Totals(lines)
    number = ctx.pick(
        f"{digits(ctx, 9)}|M{digits(ctx, 8)}|{day.year}{day.month:02d}{digits(ctx, 6)}"
    )
    account = ctx.pick(f"{digits(ctx, 9)}|{digits(ctx, 3)}-{digits(ctx, 6)}")
    mobile = phone(loc, rng)
    dates = date_style(ctx)
    dark = rng.choice((0.1, 0.2, 0.3))
    reg = rng.randint(1000000, 9999999)
    office_street, office_city = address(loc, rng)

    def draw() -> bytes:
        s = Sheet()
        s.box(40, 36, 150, 44, fill=dark, stroke=False)
        s.text(115, 64, stem.upper(), 18, bold=True, align="center", white=True)
        s.text(555, 60, w["bill"], 18, bold=True, align="right")
        grid = [
            (w["account"], account),
            (w["mobile"], mobile),
            (w["bill_no"], number),
            (w["issue"], when(ctx, day, dates)),
        ]
        for column, (label, value) in enumerate(grid):
            x = 40 + column * 128.75
            s.text(x, 110, label, 7.5, grey=0.4)
            s.text(x, 124, value, 10, bold=True)
        s.lines(40, 160, customer.block(), 10)
        s.box(330, 150, 225, 60, fill=0.93, stroke=False)
        s.text(340, 170, w["due_amount"], 10, bold=True)
        s.text(545, 198, money(loc, totals.total, "symbol"), 18, bold=True, align="right")
        rows = [[ctx.words["desc"], ctx.words["amount"]]]
        rows += [[line.text, money(loc, line.amount, "plain")] for line in lines]
        y = s.table(40, 240, (380, 135), rows, aligns="lr")
        summary = [(ctx.words["subtotal"], money(loc, totals.subtotal, "plain"))]
        for tax_rate, tax in totals.taxes().items():
            summary.append((f"{ctx.words['tax']} {pct(loc, tax_rate)}", money(loc, tax, "plain")))
        summary.append((ctx.words["total"], money(loc, totals.total, "symbol")))
        s.pairs(330, y + 20, summary, 555, 9.5, value_align="right", bold_last=True)
        s.rule(40, 775, 555, 0.3, grey=0.5)
        office = f"{legal} · {office_street} · {office_city} · {reg}"
        s.text(40, 787, office, 6.5, grey=0.3)
        return s.pdf()

    return Built(gold(ctx, number, day, totals.total, [legal, stem]), draw)


# --- saas (holdout) ------------------------------------------------------------------------


def saas(ctx: Ctx) -> Built:
    w, loc, rng = Words(ctx), ctx.loc, ctx.rng
    stem = brand_stem(ctx)
    legal = f"{stem} {ctx.pick('Technologies|Software|Labs|Cloud')} {suffix(ctx)}"
    customer = company(ctx)
    day = issue_day(ctx)
    due = later(day, rng.choice((0, 7, 14)))
    rate = Decimal(loc.rates[0])
    seats = Decimal(rng.randint(2, 40))
    plan = Item(w["plan"], seats, Decimal(rng.choice((8, 12, 15, 29))), rate)
    lines = [plan]
    if rng.random() < 0.5:
        lines.append(Item(w["usage"], Decimal(1), Decimal(rng.randint(500, 9000)) / 100, rate))
    totals = Totals(lines)
    prefix = "".join(c for c in stem.upper() if c not in "AEIOU")[:4]
    number = f"{prefix}-{digits(ctx, 4)}-{digits(ctx, 4)}"
    account_id = f"acct_{digits(ctx, 6)}{ctx.pick('A|B|X|K')}{digits(ctx, 4)}"
    dates = ctx.pick("long|long|numeric|iso")
    image_logo = rng.random() < 0.5
    tld = ctx.pick(CLOUD_TLD)
    street, city = address(loc, rng)
    vat = vat_id(loc, rng)

    def draw() -> bytes:
        s = Sheet()
        if image_logo:
            logo(s, 40, 36, stem.lower(), 28, dark=0.3)
        else:
            s.text(40, 62, stem.lower(), 26, bold=True, grey=0.2)
        s.text(555, 60, ctx.words["invoice"], 20, bold=True, align="right")
        meta = [
            (w["bill_no"], number),
            (ctx.words["inv_date"], when(ctx, day, dates)),
            (ctx.words["due"], when(ctx, due, dates)),
        ]
        s.pairs(40, 110, meta, 160, 9)
        s.text(40, 170, legal, 9, bold=True)
        s.lines(40, 182, [street, city, f"billing@{stem.lower()}.{tld}", vat], 8.5)
        s.text(300, 170, ctx.words["bill_to"], 9, bold=True)
        s.lines(300, 182, customer.block(), 8.5)
        line = w["due_line"].format(
            amount=money(loc, totals.total, "symbol"), date=when(ctx, due, dates)
        )
        s.text(40, 260, line, 15, bold=True)
        s.text(40, 278, w["pay_online"], 9, grey=0.3)
        rows = [[ctx.words["desc"], ctx.words["qty"], ctx.words["price"], ctx.words["amount"]]]
        for item in lines:
            rows.append(
                [
                    item.text,
                    f"{item.qty:f}",
                    money(loc, item.price, "plain"),
                    money(loc, item.amount, "symbol"),
                ]
            )
        y = s.table(40, 305, (270, 50, 90, 105), rows, aligns="lrrr", header_fill=None)
        summary = [(ctx.words["subtotal"], money(loc, totals.subtotal, "symbol"))]
        for tax_rate, tax in totals.taxes().items():
            summary.append(
                (f"{ctx.words['tax']} ({pct(loc, tax_rate)})", money(loc, tax, "symbol"))
            )
        summary.append((ctx.words["total"], money(loc, totals.total, "symbol")))
        summary.append((ctx.words["due_amount"], money(loc, totals.total, "symbol")))
        s.pairs(330, y + 20, summary, 555, 9.5, value_align="right", bold_last=True)
        s.text(40, 790, f"{w['account_id']}: {account_id}", 7, grey=0.4)
        s.text(555, 790, f"{number} · {ctx.words['page']}", 7, align="right", grey=0.4)
        return s.pdf()

    return Built(gold(ctx, number, day, totals.total, [legal, stem]), draw)


# --- broadband (dev) ----------------------------------------------------------------------

BROADBAND = {
    "en": "Fibre 500 broadband|Home phone line|Calls to UK mobiles|Router rental|TV add-on",
    "fr": "Fibre 500 Mb/s|Ligne fixe|Appels vers mobiles|Location box|Option TV",
    "de": "Glasfaser 500 MBit/s|Telefonanschluss|Verbindungen ins Mobilfunknetz|Routermiete|"
    "TV-Paket",
    "nl": "Glasvezel 500 Mbit/s|Vaste lijn|Bellen naar mobiel|Modemhuur|TV-pakket",
    "es": "Fibra 600 Mb|Línea fija|Llamadas a móviles|Alquiler router|Paquete TV",
}


def broadband(ctx: Ctx) -> Built:
    """An internet and phone bill: the brand only as a logo picture at the top right, the legal
    name only in the registered-office line at the foot."""
    w, loc, rng = Words(ctx), ctx.loc, ctx.rng
    stem = brand_stem(ctx)
    legal = f"{stem} {ctx.pick('Telecom|Networks|Communications|Broadband')} {suffix(ctx)}"
    customer = person(ctx)
    day = issue_day(ctx)
    rate = Decimal(loc.rates[0])
    texts = rng.sample(BROADBAND[ctx.lang].split("|"), rng.randint(2, 4))
    lines = _amount_lines(ctx, texts, 3, 60, rate)
    totals = Totals(lines)
    number = ctx.pick(
        f"INV{digits(ctx, 8)}|{day.year}-{digits(ctx, 6)}|{digits(ctx, 2)}-{digits(ctx, 8)}|"
        f"B{digits(ctx, 7)}"
    )
    account = ctx.pick(f"{digits(ctx, 10)}|ACC-{digits(ctx, 7)}|{digits(ctx, 4)}-{digits(ctx, 4)}")
    ref = ctx.pick(f"{digits(ctx, 6)}|CR{digits(ctx, 5)}")
    line_no = phone(loc, rng)
    dates = date_style(ctx)
    style = money_style(ctx)
    office_street, office_city = address(loc, rng)
    reg = digits(ctx, 8)
    vat = vat_id(loc, rng)
    period = (later(day, -30), later(day, -1))
    scheme = rng.choice(("grid", "list"))
    dark = rng.choice((0.15, 0.3, 0.45))

    def draw() -> bytes:
        s = Sheet()
        logo(s, 400, 34, stem, 30, dark=dark)
        s.text(40, 64, ctx.words["invoice"], 22, bold=True)
        meta = [
            (w["bill_no"], number),
            (ctx.words["inv_date"], when(ctx, day, dates)),
            (w["account"], account),
            (w["cust_ref"], ref),
            (w["landline"], line_no),
        ]
        if scheme == "grid":
            for index, (label, value) in enumerate(meta):
                x = 40 + (index % 3) * 172
                top = 100 + (index // 3) * 30
                s.text(x, top, label, 7.5, grey=0.4)
                s.text(x, top + 12, value, 9.5, bold=True)
        else:
            s.pairs(330, 100, meta, 555, 8.5, value_align="right")
        s.lines(40, 180, customer.block(), 10)
        s.text(330, 180, w["summary"], 10, bold=True)
        s.pairs(
            330,
            196,
            [
                (ctx.words["subtotal"], money(loc, totals.subtotal, style)),
                (ctx.words["tax"], money(loc, sum(totals.taxes().values(), Decimal(0)), style)),
                (w["due_amount"], money(loc, totals.total, style)),
            ],
            555,
            9,
            value_align="right",
            bold_last=True,
        )
        a, b = when(ctx, period[0], "numeric"), when(ctx, period[1], "numeric")
        s.text(40, 262, w["charges_for"].format(a=a, b=b), 8.5)
        rows = [[ctx.words["desc"], ctx.words["amount"]]]
        rows += [[line.text, money(loc, line.amount, "plain")] for line in lines]
        y = s.table(40, 275, (400, 115), rows, aligns="lr")
        rows2 = totals_list(ctx, totals, style)
        s.pairs(330, y + 20, rows2, 555, 9.5, value_align="right", bold_last=True)
        s.rule(40, 778, 555, 0.3, grey=0.5)
        office = f"{legal} · {w['office']}: {office_street}, {office_city}"
        s.text(40, 790, f"{office} · {w['company_no']} {reg} · {vat}", 6.5, grey=0.3)
        return s.pdf()

    return Built(gold(ctx, number, day, totals.total, [legal, stem]), draw)


def totals_list(ctx: Ctx, totals: Totals, style: str) -> list[tuple[str, str]]:
    loc = ctx.loc
    rows = [(ctx.words["subtotal"], money(loc, totals.subtotal, style))]
    for tax_rate, tax in totals.taxes().items():
        rows.append((f"{ctx.words['tax']} {pct(loc, tax_rate)}", money(loc, tax, style)))
    rows.append((ctx.words["total"], money(loc, totals.total, style)))
    return rows


# --- cloud (dev) --------------------------------------------------------------------------


def cloud(ctx: Ctx) -> Built:
    """A cloud provider's tax invoice: a wordmark with a tagline, a summary box of labels ending
    in colons, the legal entity under a "Service provider" label at the foot."""
    w, loc, rng = Words(ctx), ctx.loc, ctx.rng
    stem = brand_stem(ctx)
    tagline = ctx.pick("cloud services|web services|cloud platform")
    legal = f"{stem} {ctx.pick('Cloud Services|Web Services EMEA|Platforms')} {suffix(ctx)}"
    customer = company(ctx)
    day = issue_day(ctx)
    rate = Decimal(loc.rates[0])
    texts = ["Compute", "Storage", "Data Transfer", "Support (Business)", "Database"]
    lines = _amount_lines(ctx, rng.sample(texts, rng.randint(2, 4)), 1, 700, rate)
    totals = Totals(lines)
    number = ctx.pick(
        f"EUINDE{day.year % 100}-{digits(ctx, 6)}|{digits(ctx, 10)}|IN-{digits(ctx, 9)}"
    )
    account = digits(ctx, 12)
    dates = date_style(ctx)
    due = later(day, rng.choice((0, 30)))
    period = (later(day, -30), later(day, -1))
    street, city = address(loc, rng)
    vat = vat_id(loc, rng)
    colon = ctx.pick(":|")

    def draw() -> bytes:
        s = Sheet()
        s.text(40, 60, stem.lower(), 22, bold=True, grey=0.2)
        s.text(40, 74, tagline, 9, grey=0.45)
        s.text(555, 60, ctx.words["invoice"], 16, bold=True, align="right")
        s.box(300, 90, 255, 110, fill=0.94, stroke=False)
        s.text(310, 106, w["summary"], 10, bold=True)
        summary = [
            (f"{w['bill_no']}{colon}", number),
            (f"{ctx.words['inv_date']}{colon}".replace("::", ":"), when(ctx, day, dates)),
            (f"{w['account']}{colon}", account),
            (f"{ctx.words['due']}{colon}", when(ctx, due, dates)),
            (f"{w['due_amount']}{colon}", money(loc, totals.total, "symbol")),
        ]
        s.pairs(310, 124, summary, 545, 8.5, value_align="right")
        s.text(40, 110, f"{ctx.words['bill_to']}{colon}", 9, bold=True)
        s.lines(40, 124, customer.block(), 9)
        a, b = when(ctx, period[0], dates), when(ctx, period[1], dates)
        s.text(40, 225, w["charges_for"].format(a=a, b=b), 8.5)
        rows = [[ctx.words["desc"], ctx.words["amount"]]]
        rows += [[line.text, money(loc, line.amount, "symbol")] for line in lines]
        y = s.table(40, 240, (400, 115), rows, aligns="lr", header_fill=0.9)
        s.pairs(
            330,
            y + 20,
            totals_list(ctx, totals, "symbol"),
            555,
            9.5,
            value_align="right",
            bold_last=True,
        )
        s.rule(40, 740, 555, 0.3, grey=0.5)
        s.text(40, 754, f"{w['provider']}:", 7.5, bold=True)
        s.lines(40, 766, [f"{legal}, {street}, {city}", f"{ctx.words['vat_id']} {vat}"], 7)
        return s.pdf()

    return Built(gold(ctx, number, day, totals.total, [legal, stem]), draw)


# --- agency (dev) -------------------------------------------------------------------------

AGENCY_WORK = {
    "en": "Brand strategy workshop|Website design (phase 2)|Copywriting, 12 pages|Campaign setup",
    "fr": "Atelier stratégie de marque|Design site web (phase 2)|Rédaction, 12 pages|Campagne",
    "de": "Workshop Markenstrategie|Webdesign (Phase 2)|Texterstellung, 12 Seiten|Kampagne",
    "nl": "Workshop merkstrategie|Webdesign (fase 2)|Copywriting, 12 pagina's|Campagne-opzet",
    "es": "Taller de estrategia de marca|Diseño web (fase 2)|Redacción, 12 páginas|Campaña",
}


def agency(ctx: Ctx) -> Built:
    """A studio's invoice: the studio's wordmark, then the issuer's legal block and the client's
    block side by side on the same rows (the issuer's unlabelled, the client's labelled), the
    number and dates in a row of boxes."""
    w, loc, rng = Words(ctx), ctx.loc, ctx.rng
    stem = brand_stem(ctx, STUDIO_STEMS)
    legal = f"{stem} {ctx.pick('Studio|Creative|Design|Media')} {suffix(ctx)}"

    customer = company(ctx)
    day = issue_day(ctx)
    rate = Decimal(loc.rates[0])
    texts = rng.sample(AGENCY_WORK[ctx.lang].split("|"), rng.randint(1, 3))
    lines = _amount_lines(ctx, texts, 300, 4000, rate)
    totals = Totals(lines)
    number = ctx.pick(
        f"{day.year}-{digits(ctx, 3)}|{stem[:2].upper()}{digits(ctx, 5)}|#{digits(ctx, 4)}"
    )
    street, city = address(loc, rng)
    vat = vat_id(loc, rng)
    account = iban(loc, rng)
    po = f"PO-{digits(ctx, 6)}"
    dates = date_style(ctx)
    style = money_style(ctx)
    due = later(day, 30)
    upper = rng.random() < 0.5

    def draw() -> bytes:
        s = Sheet(family=ctx.pick("Helvetica|Times"))
        s.text(40, 62, stem.upper() if upper else stem.lower(), 28, bold=True, grey=0.1)
        s.text(555, 62, ctx.words["invoice"], 14, align="right", grey=0.4)
        s.text(40, 110, legal, 9, bold=True)
        s.lines(40, 123, [street, city, vat], 8.5)
        s.text(320, 110, ctx.words["bill_to"], 9, bold=True)
        s.lines(320, 123, customer.block(), 8.5)
        cells = [
            (w["bill_no"], number.lstrip("#")),
            (ctx.words["inv_date"], when(ctx, day, dates)),
            (ctx.words["due"], when(ctx, due, dates)),
            (ctx.words["ref"], po),
        ]
        for column, (label, value) in enumerate(cells):
            x = 40 + column * 128.75
            s.box(x, 180, 128.75, 34, fill=0.96)
            s.text(x + 6, 192, label.upper(), 6.5, grey=0.4)
            s.text(x + 6, 207, value, 9.5, bold=True)
        rows = [[ctx.words["desc"], ctx.words["amount"]]]
        rows += [[line.text, money(loc, line.amount, "plain")] for line in lines]
        y = s.table(40, 240, (400, 115), rows, aligns="lr", header_fill=None)
        s.pairs(
            330,
            y + 20,
            totals_list(ctx, totals, style),
            555,
            9.5,
            value_align="right",
            bold_last=True,
        )
        s.text(40, 770, f"{ctx.words['bank']}: IBAN {account}", 7.5, grey=0.3)
        return s.pdf()

    return Built(gold(ctx, number.lstrip("#"), day, totals.total, [legal, stem]), draw)


TEMPLATES = {
    "utility": utility,
    "marketplace": marketplace,
    "hotel_folio": hotel_folio,
    "telecom": telecom,
    "saas": saas,
    "broadband": broadband,
    "cloud": cloud,
    "agency": agency,
}
__all__ = ["TEMPLATES", "Locale", "Party", "iban"]
