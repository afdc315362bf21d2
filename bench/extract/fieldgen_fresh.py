"""Fresh invoice layouts: a generalisation check on conventions nobody tuned the rules on.

Written before reading the extractor's rules, from how such invoices look in the wild, in
countries and conventions the other templates do not have:

- ``gst_india``: an Indian GST tax invoice — GSTIN, "Invoice No.", CGST/SGST rows, amounts in
  lakh grouping (``1,23,456.00``) and a "Grand Total ₹" / "Rs." line, amount in words;
- ``fattura``: an Italian "Fattura n. 12/2024 del 03/05/2024" (number and date on one line),
  "Spett.le" client block, "Imponibile", "Totale documento";
- ``faktura_vat``: a Polish "Faktura VAT nr FV/…", "Sprzedawca" / "Nabywca" side by side (the
  vendor under a label, the title the largest type), NIP, "Do zapłaty … zł", "Słownie";
- ``cfdi_mx``: a Mexican factura — "Folio", "Fecha de emisión", RFC, pesos written with ``$``
  and "Total a pagar", "MXN" in the amount in words only;
- ``remit_footer``: a US freelancer invoice whose top shows only "INVOICE" and the client; the
  vendor is named only in the footer's "Make checks payable to" / remit-to block;
- ``vendor_right``: an Australian tax invoice with the client on the left and the vendor's
  block (ABN) on the right, GST 10 %, "Total inc. GST";
- ``nordic``: Swedish / Danish "Faktura" with "Fakturanummer" / "Fakturanr.", "Fakturadatum" /
  "Fakturadato", "Förfallodatum" / "Forfaldsdato", "Att betala" / "I alt" and ``kr`` amounts;
- ``japan_en``: a Japanese company's invoice in English — dates as YYYY/MM/DD, yen without
  decimals (``¥1,234,567``), "Consumption Tax 10%", "Co., Ltd." / "K.K.".

All of them are the ``fresh`` split: scored beside dev and holdout, never tuned on before the
first figure was taken. Texts are drawn in DejaVu fonts (so ł, ₹, å and ¥ print), a third as
scans.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from fieldgen_common import Built, Ctx
from fieldgen_draw import Sheet
from fieldgen_locale import Locale

CENT = Decimal("0.01")

LOCALES = {
    "en_IN": Locale("en_IN", "en", "INR", "₹", False, ".", ",", "GST", ("18",), "DMY", "-", "+91"),
    "it_IT": Locale("it_IT", "it", "EUR", "€", True, ",", ".", "IVA", ("22",), "DMY", "/", "+39"),
    "pl_PL": Locale("pl_PL", "pl", "PLN", "zł", True, ",", " ", "VAT", ("23",), "YMD", "-", "+48"),
    "es_MX": Locale("es_MX", "es", "MXN", "$", False, ".", ",", "IVA", ("16",), "DMY", "/", "+52"),
    "en_AU": Locale("en_AU", "en", "AUD", "$", False, ".", ",", "GST", ("10",), "DMY", "/", "+61"),
    "sv_SE": Locale("sv_SE", "sv", "SEK", "kr", True, ",", " ", "Moms", ("25",), "YMD", "-", "+46"),
    "da_DK": Locale(
        "da_DK", "da", "DKK", "kr.", True, ",", ".", "Moms", ("25",), "DMY", ".", "+45"
    ),
    "en_JP": Locale("en_JP", "en", "JPY", "¥", False, ".", ",", "Tax", ("10",), "YMD", "/", "+81"),
}

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
_FAMILIES = {"DejaVuSans": "DejaVuSans", "DejaVuSerif": "DejaVuSerif"}
_registered: set[str] = set()


def _family(name: str) -> str:
    """Register a DejaVu family with reportlab (regular and bold) once; its name for ``Sheet``."""
    if name in _registered:
        return name
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for folder in _FONT_DIRS:
        regular, bold = folder / f"{name}.ttf", folder / f"{name}-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont(name, str(regular)))
            pdfmetrics.registerFont(TTFont(f"{name}-Bold", str(bold)))
            _registered.add(name)
            return name
    raise RuntimeError(f"the fresh templates need the DejaVu fonts ({name}.ttf) under /usr/share")


def sheet(ctx: Ctx) -> Sheet:
    return Sheet(family=_family(ctx.rng.choice(tuple(_FAMILIES))))


# --- amounts, dates and names ----------------------------------------------------------------


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def grouped(whole: str, sep: str, *, lakh: bool = False) -> str:
    """Digits grouped by three, or the Indian way (last three, then by two) when ``lakh``."""
    head, tail = whole[:-3], whole[-3:]
    groups = [tail]
    size = 2 if lakh else 3
    while head:
        groups.insert(0, head[-size:])
        head = head[:-size]
    return sep.join(groups)


def amount(loc: Locale, value: Decimal, *, decimals: int = 2) -> str:
    """``value`` as the country writes a bare number (no currency)."""
    text = f"{abs(value):.{decimals}f}"
    whole, _, frac = text.partition(".")
    body = grouped(whole, loc.group, lakh=loc.code == "en_IN")
    return ("-" if value < 0 else "") + (f"{body}{loc.decimal}{frac}" if frac else body)


@dataclass
class Line:
    text: str
    qty: int
    price: Decimal

    @property
    def net(self) -> Decimal:
        return cents(self.price * self.qty)


def lines_of(ctx: Ctx, pool: str, low: int, high: int, *, whole: bool = False) -> list[Line]:
    texts = ctx.rng.sample(pool.split("|"), ctx.rng.randint(2, 4))
    out = []
    for text in texts:
        price = (
            Decimal(ctx.rng.randint(low, high))
            if whole
            else cents(Decimal(ctx.rng.randint(low * 100, high * 100)) / 100)
        )
        out.append(Line(text, ctx.rng.choice((1, 1, 2, 3, 5, 10)), price))
    return out


def net_of(lines: Sequence[Line]) -> Decimal:
    return sum((line.net for line in lines), Decimal(0))


def day_of(ctx: Ctx) -> date:
    return date(ctx.rng.choice((2023, 2024, 2025)), ctx.rng.randint(1, 12), ctx.rng.randint(1, 28))


def numeric_date(loc: Locale, day: date) -> str:
    parts = {"D": f"{day.day:02d}", "M": f"{day.month:02d}", "Y": f"{day.year:04d}"}
    return loc.date_sep.join(parts[key] for key in loc.date_order)


def fresh_name(ctx: Ctx, firsts: str, seconds: str, forms: str, pattern: str = "{a} {b}") -> str:
    """A company name never given before in this run, from the template's own word pools."""

    def make(rng: object) -> str:
        r = ctx.rng
        base = pattern.format(a=r.choice(firsts.split("|")), b=r.choice(seconds.split("|")))
        form = r.choice(forms.split("|"))
        return f"{base} {form}".strip()

    return ctx.names.fresh(make, ctx.rng)


def digits(ctx: Ctx, size: int) -> str:
    return str(ctx.rng.randint(10 ** (size - 1), 10**size - 1))


def gold(
    ctx: Ctx, number: str, day: date, total: Decimal, vendor: str | list[str]
) -> dict[str, object]:
    return {
        "invoice_number": number,
        "invoice_date": day.isoformat(),
        "total": float(total),
        "vendor": vendor,
        "currency": ctx.loc.currency,
    }


def table(s: Sheet, x: float, y: float, widths: Sequence[float], rows: list[list[str]]) -> float:
    aligns = "l" + "r" * (len(widths) - 1)
    return s.table(x, y, widths, rows, aligns=aligns, size=8.5)


# --- gst_india -------------------------------------------------------------------------------

_IN_FIRST = "Shree Ganesh|Sai Krishna|Balaji|Lakshmi|Mahalaxmi|Om Sai|Vinayak|Sri Venkateswara"
_IN_SECOND = "Traders|Enterprises|Agencies|Electricals|Hardware Stores|Textiles|Pharma Distributors"
_IN_GOODS = (
    "LED Tube Light 20W|PVC Conduit Pipe 25mm|Copper Wire 2.5 sq mm|MCB 32A Double Pole|"
    "Ceiling Fan 1200mm|Modular Switch 6A|Cotton Shirting (mtr)|Paracetamol 500mg (strip)"
)
_IN_CITIES = "Pune, Maharashtra - 411001|Chennai, Tamil Nadu - 600002|Ahmedabad, Gujarat - 380009"


def gst_india(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    vendor = fresh_name(ctx, _IN_FIRST, _IN_SECOND, "Pvt. Ltd.|Private Limited|")
    client = fresh_name(ctx, _IN_FIRST, _IN_SECOND, "Pvt. Ltd.|LLP|")
    items = lines_of(ctx, _IN_GOODS, 150, 9000)
    net = net_of(items)
    half = cents(net * Decimal("0.09"))
    raw = net + half + half
    total = raw.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    day = day_of(ctx)
    fy = day.year if day.month >= 4 else day.year - 1
    number = ctx.pick(
        f"GST/{fy}-{(fy + 1) % 100:02d}/{digits(ctx, 4)}|INV-{digits(ctx, 5)}|{digits(ctx, 3)}"
    )
    number_label = ctx.pick("Invoice No.|Invoice No :|Bill No.|Inv. No.")
    date_label = ctx.pick("Invoice Date|Dated|Date")
    state = rng.randint(10, 36)
    pan = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(5))
    gstin = f"{state}{pan}{digits(ctx, 4)}A1Z{rng.randint(1, 9)}"
    grand = ctx.pick("Grand Total|GRAND TOTAL|Total Amount|Invoice Total")
    rupee = ctx.pick("₹|Rs.|₹ |INR ")
    city = rng.choice(_IN_CITIES.split("|"))
    dated = numeric_date(loc, day) if rng.random() < 0.6 else day.strftime("%d-%b-%Y")

    def draw() -> bytes:
        s = sheet(ctx)
        s.text(297, 40, "TAX INVOICE", 13, bold=True, align="center")
        s.text(297, 54, "(Original for Recipient)", 7.5, align="center")
        s.text(40, 80, vendor, 14, bold=True)
        s.lines(
            40,
            96,
            [
                f"Plot No. {rng.randint(2, 99)}, MIDC Industrial Area",
                city,
                f"GSTIN: {gstin}",
                f"Phone: +91 {digits(ctx, 5)} {digits(ctx, 5)}",
            ],
            8.5,
        )
        s.pairs(
            360,
            96,
            [
                (number_label, number),
                (date_label, dated),
                ("Place of Supply", city.split(",")[1].split("-")[0].strip()),
            ],
            450,
            8.5,
        )
        s.text(40, 160, "Details of Receiver (Billed to)", 8.5, bold=True)
        s.lines(40, 174, [client, f"GSTIN: 27{digits(ctx, 4)}X{digits(ctx, 4)}1Z5"], 8.5)
        rows = [["Description of Goods", "HSN", "Qty", "Rate", "Amount"]]
        rows += [
            [it.text, digits(ctx, 4), str(it.qty), amount(loc, it.price), amount(loc, it.net)]
            for it in items
        ]
        y = table(s, 40, 205, (215, 60, 45, 90, 105), rows)
        summary = [
            ("Taxable Value", amount(loc, net)),
            ("CGST @ 9%", amount(loc, half)),
            ("SGST @ 9%", amount(loc, half)),
            ("Round Off", amount(loc, total - raw)),
        ]
        y = s.pairs(340, y + 18, summary, 550, 8.5, value_align="right")
        s.text(340, y + 4, grand, 10, bold=True)
        s.text(550, y + 4, f"{rupee}{amount(loc, total)}", 10, bold=True, align="right")
        s.text(40, y + 30, f"Amount in words: Rupees {_words(int(total))} Only", 8)
        s.text(330, y + 80, f"For {vendor}", 8.5, bold=True)
        s.text(330, y + 110, "Authorised Signatory", 8)
        return s.pdf()

    return Built(gold(ctx, number, day, total, vendor), draw)


_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
_ONES += "fifteen sixteen seventeen eighteen nineteen"
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety"


def _words(n: int) -> str:
    """English words of ``n`` the Indian way (lakh, thousand, hundred), capitalised."""
    ones, tens = _ONES.split(), _TENS.split()

    def small(k: int) -> str:
        if k < 20:
            return ones[k]
        return tens[k // 10] + ("" if k % 10 == 0 else f" {ones[k % 10]}")

    parts = []
    for size, name in ((10**7, "crore"), (10**5, "lakh"), (1000, "thousand"), (100, "hundred")):
        if n >= size:
            parts.append(f"{small(n // size)} {name}")
            n %= size
    if n:
        parts.append(small(n))
    return " ".join(parts).title() or "Zero"


_UNIDADES = "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce "
_UNIDADES += (
    "quince dieciséis diecisiete dieciocho diecinueve veinte veintiuno veintidós veintitrés "
)
_UNIDADES += "veinticuatro veinticinco veintiséis veintisiete veintiocho veintinueve"
_DECENAS = "_ _ _ treinta cuarenta cincuenta sesenta setenta ochenta noventa"
_CIENTOS = "_ ciento doscientos trescientos cuatrocientos quinientos seiscientos setecientos "
_CIENTOS += "ochocientos novecientos"


def _palabras(n: int) -> str:
    """Spanish words of ``n`` below a billion, as a Mexican factura's "importe con letra"."""
    units, tens, hundreds = _UNIDADES.split(), _DECENAS.split(), _CIENTOS.split()

    def below_thousand(k: int) -> str:
        if k == 100:
            return "cien"
        head = hundreds[k // 100] if k >= 100 else ""
        rest = k % 100
        if rest < 30:
            tail = units[rest] if rest else ""
        else:
            tail = tens[rest // 10] + (f" y {units[rest % 10]}" if rest % 10 else "")
        return " ".join(part for part in (head, tail) if part)

    millions, rest = divmod(n, 10**6)
    thousands, rest = divmod(rest, 1000)
    parts = []
    if millions:
        parts.append("un millón" if millions == 1 else f"{below_thousand(millions)} millones")
    if thousands:
        parts.append("mil" if thousands == 1 else f"{below_thousand(thousands)} mil")
    if rest:
        parts.append(below_thousand(rest))
    return " ".join(parts) or "cero"


# --- fattura (it) ----------------------------------------------------------------------------

_IT_FIRST = "Rossi|Bianchi|Esposito|Colombo|Ricci|Marino|Greco|Bruno|Gallo|Conti"
_IT_SECOND = "Impianti|Forniture|Serramenti|Informatica|Edilizia|Trasporti|Arredamenti"
_IT_GOODS = (
    "Consulenza tecnica|Manutenzione impianto|Fornitura materiale elettrico|"
    "Posa in opera serramenti|Canone assistenza software|Trasporto merce"
)
_IT_CITIES = "20121 Milano (MI)|00186 Roma (RM)|40121 Bologna (BO)|10123 Torino (TO)"


def fattura(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    vendor = fresh_name(ctx, _IT_SECOND, _IT_FIRST, "S.r.l.|S.p.A.|S.n.c.|s.r.l.")
    client = fresh_name(ctx, _IT_SECOND, _IT_FIRST, "S.r.l.|S.a.s.")
    items = lines_of(ctx, _IT_GOODS, 80, 2500)
    net = net_of(items)
    vat = cents(net * Decimal("0.22"))
    total = net + vat
    day = day_of(ctx)
    number = ctx.pick(f"{rng.randint(1, 400)}/{day.year}|{digits(ctx, 3)}|FT{digits(ctx, 5)}")
    title = ctx.pick("Fattura n.|FATTURA N.|Fattura nr.|Fattura N°")
    dated = numeric_date(loc, day)
    total_label = ctx.pick("Totale documento|TOTALE FATTURA|Totale da pagare")
    piva = f"P.IVA IT{digits(ctx, 11)}"
    euro = ctx.pick("€ |EUR |")

    def draw() -> bytes:
        s = sheet(ctx)
        s.text(40, 55, vendor, 16, bold=True)
        s.lines(
            40,
            72,
            [
                f"Via {ctx.pick('Roma|Garibaldi|Dante|Mazzini')} {rng.randint(1, 120)}",
                rng.choice(_IT_CITIES.split("|")),
                f"{piva} - C.F. {digits(ctx, 11)}",
            ],
            8.5,
        )
        s.text(330, 120, "Spett.le", 9)
        s.lines(
            330,
            134,
            [client, f"Via Verdi {rng.randint(1, 90)}", rng.choice(_IT_CITIES.split("|"))],
            9,
        )
        s.text(40, 200, f"{title} {number} del {dated}", 12, bold=True)
        rows = [["Descrizione", "Q.tà", "Prezzo", "Importo"]]
        rows += [[it.text, str(it.qty), amount(loc, it.price), amount(loc, it.net)] for it in items]
        y = table(s, 40, 220, (260, 50, 90, 115), rows)
        summary = [
            ("Imponibile", amount(loc, net)),
            ("IVA 22%", amount(loc, vat)),
            (total_label, f"{euro}{amount(loc, total)}"),
        ]
        y = s.pairs(330, y + 20, summary, 555, 9.5, value_align="right", bold_last=True)
        s.text(40, y + 20, "Modalità di pagamento: bonifico bancario a 30 gg d.f.", 8)
        s.text(40, y + 32, f"IBAN IT{rng.randint(10, 99)} X{digits(ctx, 10)}{digits(ctx, 10)}", 8)
        return s.pdf()

    return Built(gold(ctx, number, day, total, vendor), draw)


# --- faktura_vat (pl) ------------------------------------------------------------------------

_PL_FIRST = "Nowak|Kowalski|Wiśniewski|Wójcik|Kamiński|Lewandowski|Zieliński|Szymański"
_PL_SECOND = "Usługi Budowlane|Serwis|Transport|Instalacje|Poligrafia|Systemy IT|Meble"
_PL_GOODS = (
    "Usługa transportowa|Montaż instalacji|Serwis komputerowy|Materiały biurowe|"
    "Projekt graficzny|Wynajem rusztowania"
)
_PL_CITIES = "00-950 Warszawa|30-001 Kraków|50-043 Wrocław|80-831 Gdańsk|61-701 Poznań"


def faktura_vat(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    vendor = fresh_name(ctx, _PL_FIRST, _PL_SECOND, "Sp. z o.o.|S.A.|sp.j.", "{b} {a}")
    client = fresh_name(ctx, _PL_FIRST, _PL_SECOND, "Sp. z o.o.|S.A.", "{a} {b}")
    items = lines_of(ctx, _PL_GOODS, 100, 6000)
    net = net_of(items)
    vat = cents(net * Decimal("0.23"))
    total = net + vat
    day = day_of(ctx)
    number = ctx.pick(
        f"FV/{rng.randint(1, 300)}/{day.month:02d}/{day.year}|{rng.randint(1, 999)}/{day.year}"
        f"|FA {digits(ctx, 4)}/{day.year % 100:02d}"
    )
    title = ctx.pick("Faktura VAT nr|FAKTURA VAT NR|Faktura nr")
    issued = ctx.pick("Data wystawienia:|Data wystawienia")
    dated = numeric_date(loc, day) if rng.random() < 0.6 else day.strftime("%d.%m.%Y")
    sold = numeric_date(loc, day - timedelta(days=rng.randint(0, 3)))
    due = ctx.pick("Do zapłaty:|DO ZAPŁATY:|Razem do zapłaty:")
    zl = ctx.pick(" zł| PLN")

    def draw() -> bytes:
        s = sheet(ctx)
        s.text(40, 50, f"{title} {number}", 17, bold=True)
        s.pairs(
            360,
            80,
            [
                (issued, dated),
                ("Data sprzedaży:", sold),
                ("Miejsce wystawienia:", rng.choice(_PL_CITIES.split("|"))[7:]),
            ],
            470,
            8,
        )
        s.text(40, 130, "Sprzedawca:", 9, bold=True)
        s.lines(
            40,
            144,
            [
                vendor,
                f"ul. {ctx.pick('Długa|Polna|Lipowa|Słoneczna')} {rng.randint(1, 99)}",
                rng.choice(_PL_CITIES.split("|")),
                f"NIP: {digits(ctx, 3)}-{digits(ctx, 3)}-{digits(ctx, 2)}-{digits(ctx, 2)}",
            ],
            9,
        )
        s.text(320, 130, "Nabywca:", 9, bold=True)
        s.lines(
            320,
            144,
            [
                client,
                f"ul. Kwiatowa {rng.randint(1, 99)}",
                rng.choice(_PL_CITIES.split("|")),
                f"NIP: {digits(ctx, 10)}",
            ],
            9,
        )
        rows = [["Nazwa towaru lub usługi", "Ilość", "Cena netto", "Wartość netto"]]
        rows += [[it.text, str(it.qty), amount(loc, it.price), amount(loc, it.net)] for it in items]
        y = table(s, 40, 215, (235, 50, 105, 125), rows)
        summary = [
            ("Razem netto", amount(loc, net)),
            ("VAT 23%", amount(loc, vat)),
            ("Razem brutto", amount(loc, total)),
        ]
        y = s.pairs(330, y + 18, summary, 555, 9, value_align="right")
        s.text(40, y + 14, f"{due} {amount(loc, total)}{zl}", 12, bold=True)
        s.text(40, y + 32, "Sposób płatności: przelew, termin płatności 14 dni", 8)
        s.text(40, y + 80, "Podpis osoby upoważnionej do wystawienia faktury", 7)
        return s.pdf()

    return Built(gold(ctx, number, day, total, vendor), draw)


# --- cfdi_mx ---------------------------------------------------------------------------------

_MX_FIRST = "Comercializadora|Servicios Integrales|Distribuidora|Grupo|Abastecedora"
_MX_SECOND = "del Bajío|Hernández|Azteca|Monterrey|del Pacífico|Zapata|Juárez"
_MX_GOODS = (
    "Servicio de mantenimiento|Renta de equipo|Papelería|Honorarios profesionales|"
    "Material eléctrico|Flete local"
)


def cfdi_mx(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    vendor = fresh_name(ctx, _MX_FIRST, _MX_SECOND, "S.A. de C.V.|S. de R.L. de C.V.")
    client = fresh_name(ctx, _MX_FIRST, _MX_SECOND, "S.A. de C.V.")
    items = lines_of(ctx, _MX_GOODS, 300, 25000)
    net = net_of(items)
    vat = cents(net * Decimal("0.16"))
    total = net + vat
    day = day_of(ctx)
    serie = ctx.pick("A|F|FAC|")
    folio = digits(ctx, rng.choice((3, 4, 5)))
    number = f"{serie}{folio}" if serie and rng.random() < 0.5 else folio
    clock = f"{rng.randint(8, 19):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    dated = f"{day.isoformat()}T{clock}"
    if rng.random() < 0.4:
        dated = numeric_date(loc, day)
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
    rfc = f"{letters}{day.strftime('%y%m%d')}{digits(ctx, 3)}"

    def draw() -> bytes:
        s = sheet(ctx)
        s.text(40, 50, vendor, 13, bold=True)
        s.lines(
            40,
            66,
            [
                f"RFC: {rfc}",
                "Régimen Fiscal: 601 General de Ley Personas Morales",
                f"Lugar de expedición: {digits(ctx, 5)}",
            ],
            8,
        )
        s.box(380, 35, 175, 64)
        s.text(467, 50, "FACTURA", 12, bold=True, align="center")
        label = "Folio:" if number == folio else "Serie y Folio:"
        s.pairs(388, 66, [(label, number), ("Fecha de emisión:", dated)], 470, 8)
        s.text(40, 125, "Receptor", 9, bold=True)
        s.lines(
            40, 139, [client, f"RFC: XAXX{digits(ctx, 6)}{digits(ctx, 3)}", "Uso CFDI: G03"], 8.5
        )
        rows = [["Descripción", "Cantidad", "Valor unitario", "Importe"]]
        rows += [
            [it.text, str(it.qty), f"${amount(loc, it.price)}", f"${amount(loc, it.net)}"]
            for it in items
        ]
        y = table(s, 40, 190, (235, 60, 105, 115), rows)
        summary = [
            ("Subtotal", f"${amount(loc, net)}"),
            ("IVA 16%", f"${amount(loc, vat)}"),
            (ctx.pick("Total a pagar|Total|TOTAL"), f"${amount(loc, total)}"),
        ]
        y = s.pairs(340, y + 18, summary, 555, 9.5, value_align="right", bold_last=True)
        cents_part = int((total - int(total)) * 100)
        s.text(
            40,
            y + 14,
            f"Importe con letra: {_palabras(int(total)).upper()} PESOS {cents_part:02d}/100 M.N.",
            7.5,
        )
        s.text(40, y + 28, "Moneda: MXN   Forma de pago: 03 Transferencia electrónica", 7.5)
        s.text(
            40,
            y + 60,
            f"Folio fiscal (UUID): {digits(ctx, 8)}-{digits(ctx, 4)}-{digits(ctx, 4)}",
            6.5,
        )
        return s.pdf()

    return Built(gold(ctx, number, day, total, vendor), draw)


# --- remit_footer (en_US freelancer) --------------------------------------------------------

_US_FIRST = "Jordan|Taylor|Morgan|Casey|Riley|Avery|Quinn|Parker|Reese"
_US_SECOND = "Ellis|Navarro|Whitfield|Okafor|Lindqvist|Brooks|Delaney|Huang|Moreau"
_US_TRADE = "Design|Creative|Studio|Photography|Consulting|Media|Copywriting"
_US_GOODS = (
    "Logo design – 3 concepts|Website copy (5 pages)|Product photography, half day|"
    "Brand guidelines document|Revisions (hourly)|Social media templates"
)
_US_CITIES = "Brooklyn, NY 11211|Oakland, CA 94607|Asheville, NC 28801|Madison, WI 53703"


def remit_footer(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    person = f"{rng.choice(_US_FIRST.split('|'))} {rng.choice(_US_SECOND.split('|'))}"
    vendor = ctx.names.fresh(
        lambda _r: (
            f"{rng.choice(_US_SECOND.split('|'))} {rng.choice(_US_TRADE.split('|'))} "
            f"{rng.choice(('LLC', 'Co.', 'Studio LLC'))}"
        ),
        rng,
    )
    client = fresh_name(
        ctx,
        "Acme|Northwind|Bluebird|Summit|Harbor|Pioneer",
        "Outfitters|Coffee Roasters|Labs|Foods|Brewing",
        "Inc.|LLC",
    )
    items = lines_of(ctx, _US_GOODS, 90, 1800)
    total = net_of(items)
    day = day_of(ctx)
    number = ctx.pick(
        f"{rng.randint(1, 150):04d}|#{rng.randint(100, 999)}|{day.year}-{rng.randint(1, 60):03d}"
    )
    printed = number
    number = number.lstrip("#")
    month = day.strftime("%B")
    dated = ctx.pick(
        f"{month} {day.day}, {day.year}|{day.month}/{day.day}/{day.year}"
        f"|{day.strftime('%b')} {day.day}, {day.year}"
    )
    due_day = day + timedelta(days=rng.choice((15, 30)))

    def draw() -> bytes:
        s = sheet(ctx)
        s.text(40, 60, "INVOICE", 28, bold=True)
        s.pairs(
            360,
            48,
            [
                (ctx.pick("Invoice #|Invoice no.|No."), printed),
                (ctx.pick("Issued|Date|Invoice date"), dated),
                ("Due", f"{due_day.month}/{due_day.day}/{due_day.year}"),
            ],
            450,
            9,
        )
        s.text(40, 115, ctx.pick("BILLED TO|Bill To|Client"), 8, bold=True)
        s.lines(
            40,
            129,
            [
                client,
                f"Attn: {rng.choice(_US_FIRST.split('|'))} Smith",
                rng.choice(_US_CITIES.split("|")),
            ],
            9,
        )
        rows = [["Description", "Qty", "Rate", "Amount"]]
        rows += [
            [it.text, str(it.qty), f"${amount(loc, it.price)}", f"${amount(loc, it.net)}"]
            for it in items
        ]
        y = table(s, 40, 190, (260, 45, 95, 115), rows)
        label = ctx.pick("Amount Due (USD)|Total Due|TOTAL|Balance Due")
        s.text(360, y + 24, label, 11, bold=True)
        s.text(555, y + 24, f"${amount(loc, total)}", 11, bold=True, align="right")
        s.text(40, y + 60, "Thank you! Payment is due within 30 days.", 9)
        s.rule(40, 740, 555, 0.5)
        s.text(
            40, 756, ctx.pick("Please make checks payable to:|Remit to:|Payable to:"), 8, bold=True
        )
        s.lines(
            40,
            768,
            [
                vendor,
                f"{person} · {rng.randint(10, 999)} Maple St · {rng.choice(_US_CITIES.split('|'))}",
                f"{person.split()[0].lower()}@{vendor.split()[0].lower()}.studio",
            ],
            8,
        )
        return s.pdf()

    return Built(gold(ctx, number, day, total, vendor), draw)


# --- vendor_right (en_AU) --------------------------------------------------------------------

_AU_FIRST = "Coastal|Southern Cross|Outback|Harbourside|Eucalypt|Bayside|Red Gum|Kookaburra"
_AU_SECOND = "Plumbing|Electrical|Landscaping|Joinery|Roofing|IT Solutions|Cleaning Services"
_AU_GOODS = (
    "Call-out fee|Labour (per hour)|Materials supplied|Hot water system service|"
    "Switchboard upgrade|Green waste removal"
)
_AU_CITIES = "Fitzroy VIC 3065|Newtown NSW 2042|Fremantle WA 6160|Paddington QLD 4064"


def vendor_right(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    vendor = fresh_name(ctx, _AU_FIRST, _AU_SECOND, "Pty Ltd|Pty. Ltd.|")
    client = fresh_name(ctx, _AU_FIRST, "Cafe|Dental|Motors|Bakery|Physio", "Pty Ltd")
    items = lines_of(ctx, _AU_GOODS, 60, 1500)
    net = net_of(items)
    gst = cents(net / 10)
    total = net + gst
    day = day_of(ctx)
    number = ctx.pick(f"INV-{digits(ctx, 4)}|{digits(ctx, 5)}|TI{digits(ctx, 4)}")
    dated = numeric_date(loc, day) if rng.random() < 0.6 else day.strftime("%d %B %Y")

    def draw() -> bytes:
        s = sheet(ctx)
        s.text(40, 50, ctx.pick("TAX INVOICE|Tax Invoice"), 20, bold=True)
        s.text(40, 90, ctx.pick("Invoice to:|To:|Customer:"), 8.5, bold=True)
        s.lines(
            40,
            104,
            [client, f"{rng.randint(1, 300)} Smith St", rng.choice(_AU_CITIES.split("|"))],
            9,
        )
        s.lines(
            555,
            48,
            [
                vendor,
                f"ABN {digits(ctx, 2)} {digits(ctx, 3)} {digits(ctx, 3)} {digits(ctx, 3)}",
                f"{rng.randint(1, 99)} Beach Rd",
                rng.choice(_AU_CITIES.split("|")),
                f"0{rng.randint(2, 8)} {digits(ctx, 4)} {digits(ctx, 4)}",
            ],
            9,
            bold_first=True,
            align="right",
        )
        s.pairs(
            360,
            130,
            [
                (ctx.pick("Invoice Number|Invoice No.|Invoice #"), number),
                (ctx.pick("Invoice Date|Date|Issue Date"), dated),
            ],
            470,
            9,
        )
        rows = [["Description", "Qty", "Unit Price", "Amount"]]
        rows += [[it.text, str(it.qty), amount(loc, it.price), amount(loc, it.net)] for it in items]
        y = table(s, 40, 180, (260, 45, 95, 115), rows)
        summary = [
            ("Subtotal", amount(loc, net)),
            ("GST 10%", amount(loc, gst)),
            (ctx.pick("Total inc. GST|TOTAL AUD|Amount Due"), f"${amount(loc, total)}"),
        ]
        y = s.pairs(340, y + 18, summary, 555, 9.5, value_align="right", bold_last=True)
        s.text(40, y + 20, f"BSB {digits(ctx, 3)}-{digits(ctx, 3)}  Account {digits(ctx, 8)}", 8)
        return s.pdf()

    return Built(gold(ctx, number, day, total, vendor), draw)


# --- nordic (sv / da) ------------------------------------------------------------------------

_SV_FIRST = "Lindqvist|Bergström|Johansson|Nyström|Sjöberg|Åkesson|Holmberg"
_SV_SECOND = "Bygg|Måleri|El & Tele|Konsult|Trädgård|Data"
_DA_FIRST = "Hansen|Jørgensen|Nielsen|Mikkelsen|Søndergaard|Kjær|Østergaard"
_DA_SECOND = "Byg|Malerfirma|El-service|Rådgivning|Tømrer|VVS"
_NORDIC = {
    "sv": {
        "goods": "Arbetskostnad|Material|Resekostnad|Konsulttimmar|Hyra av ställning",
        "cities": "114 35 Stockholm|411 04 Göteborg|211 22 Malmö|752 20 Uppsala",
        "number": "Fakturanummer|Fakturanr|Faktura nr",
        "date": "Fakturadatum|Datum",
        "due": "Förfallodatum|Förfallodag",
        "total": "Att betala|Summa att betala|Totalt att betala",
        "net": "Netto|Summa exkl. moms",
        "org": "Org.nr",
        "forms": "AB|HB|",
    },
    "da": {
        "goods": "Arbejdsløn|Materialer|Kørsel|Konsulenttimer|Leje af stillads",
        "cities": "2100 København Ø|8000 Aarhus C|5000 Odense C|9000 Aalborg",
        "number": "Fakturanr.|Fakturanummer|Faktura nr.",
        "date": "Fakturadato|Dato",
        "due": "Forfaldsdato|Betalingsfrist",
        "total": "I alt|Total inkl. moms|At betale",
        "net": "Subtotal|Beløb ekskl. moms",
        "org": "CVR-nr.",
        "forms": "ApS|A/S|I/S",
    },
}


def nordic(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    words = _NORDIC[ctx.lang]
    firsts, seconds = (_SV_FIRST, _SV_SECOND) if ctx.lang == "sv" else (_DA_FIRST, _DA_SECOND)
    vendor = fresh_name(ctx, firsts, seconds, words["forms"])
    client = fresh_name(ctx, firsts, seconds, words["forms"])
    items = lines_of(ctx, words["goods"], 200, 9000)
    net = net_of(items)
    vat = cents(net / 4)
    total = net + vat
    day = day_of(ctx)
    number = ctx.pick(f"{digits(ctx, 5)}|{day.year}{digits(ctx, 4)}|{digits(ctx, 4)}")
    due_day = day + timedelta(days=rng.choice((10, 20, 30)))
    kr = ctx.pick("kr|SEK" if ctx.lang == "sv" else "kr.|DKK")

    def draw() -> bytes:
        s = sheet(ctx)
        s.text(40, 55, vendor, 15, bold=True)
        s.text(430, 55, "FAKTURA", 18, bold=True)
        s.lines(
            330,
            100,
            [
                client,
                f"{ctx.pick('Storgatan|Vestergade|Kungsgatan')} {rng.randint(1, 80)}",
                rng.choice(words["cities"].split("|")),
            ],
            9,
        )
        info = [
            (ctx.pick(words["number"]), number),
            (ctx.pick(words["date"]), numeric_date(loc, day)),
            (ctx.pick(words["due"]), numeric_date(loc, due_day)),
        ]
        s.pairs(40, 100, info, 150, 9)
        rows = [
            [
                "Beskrivning" if ctx.lang == "sv" else "Beskrivelse",
                "Antal",
                "À-pris",
                "Belopp" if ctx.lang == "sv" else "Beløb",
            ]
        ]
        rows += [[it.text, str(it.qty), amount(loc, it.price), amount(loc, it.net)] for it in items]
        y = table(s, 40, 175, (250, 50, 100, 115), rows)
        summary = [
            (ctx.pick(words["net"]), amount(loc, net)),
            ("Moms 25%", amount(loc, vat)),
            (ctx.pick(words["total"]), f"{amount(loc, total)} {kr}"),
        ]
        y = s.pairs(330, y + 18, summary, 555, 9.5, value_align="right", bold_last=True)
        s.rule(40, 770, 555, 0.4)
        foot = f"{vendor} · {words['org']} {digits(ctx, 6)}-{digits(ctx, 4)} · " + (
            f"Bankgiro {digits(ctx, 3)}-{digits(ctx, 4)}"
            if ctx.lang == "sv"
            else f"Reg.nr. {digits(ctx, 4)} Konto {digits(ctx, 8)}"
        )
        s.text(297, 782, foot, 7, align="center")
        return s.pdf()

    return Built(gold(ctx, number, day, total, vendor), draw)


# --- japan_en --------------------------------------------------------------------------------

_JP_FIRST = "Tokyo|Osaka|Nagoya|Sakura|Fuji|Kansai|Hokuto|Shinwa"
_JP_SECOND = "Seimitsu|Denki|Shoji|Kogyo|Trading|Electronics|Logistics"
_JP_GOODS = (
    "Precision bearing 6204|Servo motor unit|Maintenance service (June)|Inspection fee|"
    "Aluminium housing, machined|Software support (annual)"
)


def japan_en(ctx: Ctx) -> Built:
    loc, rng = ctx.loc, ctx.rng
    vendor = fresh_name(ctx, _JP_FIRST, _JP_SECOND, "Co., Ltd.|K.K.|Corporation")
    client = fresh_name(
        ctx, "Pacific|Global|Allied|Meridian", "Industries|Components|Systems", "Inc.|Ltd."
    )
    items = lines_of(ctx, _JP_GOODS, 3000, 480000, whole=True)
    net = net_of(items)
    tax = (net / 10).quantize(Decimal(1), rounding="ROUND_DOWN")
    total = net + tax
    day = day_of(ctx)
    number = ctx.pick(
        f"JP-{day.year}-{digits(ctx, 4)}|{day.strftime('%Y%m')}-{digits(ctx, 3)}"
        f"|No.{digits(ctx, 6)}"
    )
    printed_number = number
    number = number.removeprefix("No.")
    yen = ctx.pick("¥|JPY |¥ ")

    def yen_of(value: Decimal) -> str:
        return f"{yen}{amount(loc, value, decimals=0)}"

    def draw() -> bytes:
        s = sheet(ctx)
        s.text(
            297, 50, ctx.pick("INVOICE|Invoice|QUALIFIED INVOICE"), 18, bold=True, align="center"
        )
        s.lines(40, 90, [f"{client}", "Attn: Purchasing Dept."], 10)
        s.pairs(
            360,
            90,
            [
                ("Invoice No.", printed_number.removeprefix("No.")),
                (ctx.pick("Date|Issue Date|Invoice Date"), numeric_date(loc, day)),
            ],
            450,
            9,
        )
        s.lines(
            360,
            130,
            [
                vendor,
                f"{rng.randint(1, 9)}-{rng.randint(1, 20)}-{rng.randint(1, 30)} "
                f"{ctx.pick('Nihonbashi, Chuo-ku|Umeda, Kita-ku|Sakae, Naka-ku')}",
                f"Registration No. T{digits(ctx, 13)}",
            ],
            8.5,
            bold_first=True,
        )
        s.text(
            40,
            190,
            f"{ctx.pick('Total Amount|Amount Billed|Invoice Amount')}: {yen_of(total)}",
            13,
            bold=True,
        )
        rows = [["Description", "Qty", "Unit Price", "Amount"]]
        rows += [[it.text, str(it.qty), yen_of(it.price), yen_of(it.net)] for it in items]
        y = table(s, 40, 215, (250, 50, 100, 115), rows)
        summary = [
            ("Subtotal", yen_of(net)),
            ("Consumption Tax (10%)", yen_of(tax)),
            ("Total", yen_of(total)),
        ]
        y = s.pairs(330, y + 18, summary, 555, 9.5, value_align="right", bold_last=True)
        s.text(
            40,
            y + 20,
            f"Payment due: {numeric_date(loc, day + timedelta(days=30))} by bank transfer",
            8,
        )
        return s.pdf()

    return Built(gold(ctx, number, day, total, vendor), draw)


TEMPLATES: dict[str, Callable[[Ctx], Built]] = {
    "gst_india": gst_india,
    "fattura": fattura,
    "faktura_vat": faktura_vat,
    "cfdi_mx": cfdi_mx,
    "remit_footer": remit_footer,
    "vendor_right": vendor_right,
    "nordic": nordic,
    "japan_en": japan_en,
}
__all__ = ["LOCALES", "TEMPLATES"]
