"""Form templates: payslips, delivery notes, lab reports, registration forms (half held out).

``payslip_table``: employer letterhead, employee block, earnings and deductions in one table
with a year-to-date column (bigger numbers beside the month's), net pay at the foot.
``payslip_columns`` (holdout): summary box with the net pay, earnings and deductions side by side.
``delivery_note``: supplier letterhead, consignee block, articles without prices, signature.
``delivery_slip`` (holdout): sender and consignee boxes, carrier and tracking number.
``lab_report``: laboratory header, patient grid with the birth date, sample and report dates.
``registration`` (holdout): a club's or school's filled form, underlined values, signature date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fieldgen_common import GOODS, Built, Ctx, company, later, person, when
from fieldgen_draw import Sheet
from fieldgen_locale import cents, money, month_name, phone, random_day

YTD = {
    "en": "Year to date",
    "fr": "Cumul annuel",
    "de": "Jahressumme",
    "nl": "Cumulatief",
    "es": "Acumulado",
}
MONTH_WORD = {"en": "This period", "fr": "Mois", "de": "Monat", "nl": "Periode", "es": "Mes"}
ARTICLE = {"en": "Item no.", "fr": "Réf.", "de": "Art.-Nr.", "nl": "Art.nr.", "es": "Ref."}
UNIT = {"en": "pcs", "fr": "pce", "de": "Stk.", "nl": "st.", "es": "ud."}
CARRIER = {
    "en": "Carrier",
    "fr": "Transporteur",
    "de": "Spediteur",
    "nl": "Vervoerder",
    "es": "Transportista",
}
SENDER = {"en": "From", "fr": "Expéditeur", "de": "Absender", "nl": "Afzender", "es": "Remitente"}
TESTS = (
    ("Haemoglobin", "g/dL", 12.0, 17.0),
    ("Leucocytes", "10^9/L", 4.0, 10.0),
    ("Glucose (fasting)", "mmol/L", 3.9, 5.6),
    ("Creatinine", "µmol/L", 60, 110),
    ("Cholesterol total", "mmol/L", 3.0, 5.2),
    ("TSH", "mU/L", 0.4, 4.0),
)
FIELDS = {
    "en": ("Address", "E-mail", "Phone", "Membership", "Signature"),
    "fr": ("Adresse", "Courriel", "Téléphone", "Formule", "Signature"),
    "de": ("Anschrift", "E-Mail", "Telefon", "Tarif", "Unterschrift"),
    "nl": ("Adres", "E-mail", "Telefoon", "Lidmaatschap", "Handtekening"),
    "es": ("Dirección", "Correo electrónico", "Teléfono", "Modalidad", "Firma"),
}
CLUBS = {
    "en": "Tennis Club|Rowing Club|Music School|Language Academy",
    "fr": "Tennis Club|Club d'aviron|École de musique|Association sportive",
    "de": "Tennisverein|Ruderclub|Musikschule|Sportverein",
    "nl": "Tennisvereniging|Roeivereniging|Muziekschool|Sportvereniging",
    "es": "Club de Tenis|Club de Remo|Escuela de Música|Club Deportivo",
}
LABS = {
    "en": "Laboratory|Diagnostics|Pathology Services",
    "fr": "Laboratoire|Biologie médicale",
    "de": "Labor|Medizinisches Labor",
    "nl": "Laboratorium|Medisch Lab",
    "es": "Laboratorio|Análisis Clínicos",
}


@dataclass
class Pay:
    basic: Decimal
    bonus: Decimal
    deductions: list[Decimal]
    start: date
    end: date
    day: date

    @property
    def gross(self) -> Decimal:
        return self.basic + self.bonus

    @property
    def net(self) -> Decimal:
        return self.gross - sum(self.deductions, Decimal(0))


def pay(ctx: Ctx) -> Pay:
    rng = ctx.rng
    basic = Decimal(rng.randint(1800, 6500))
    bonus = Decimal(rng.choice((0, 0, 150, 250, 400)))
    shares = (Decimal("0.08"), Decimal("0.06"), Decimal("0.045"))
    deductions = [cents((basic + bonus) * share) for share in shares]
    month = rng.randint(2, 12)
    start = date(rng.choice((2023, 2024, 2025)), month, 1)
    day = date(start.year, month, rng.choice((25, 26, 27, 28)))
    return Pay(basic, bonus, deductions, start, date(start.year, month, 28), day)


def payslip_gold(employer: str, employee: str, p: Pay) -> dict[str, object]:
    return {
        "employer": employer,
        "employee": employee,
        "pay_date": p.day.isoformat(),
        "net_pay": float(p.net),
    }


LINES = {
    "en": ("Income tax", "National Insurance", "Pension"),
    "fr": ("Sécurité sociale", "Retraite complémentaire", "CSG déductible"),
    "de": ("Lohnsteuer", "Krankenversicherung", "Rentenversicherung"),
    "nl": ("Loonheffing", "Pensioenpremie", "WW-premie"),
    "es": ("IRPF", "Contingencias comunes", "Desempleo"),
}


def earnings(ctx: Ctx, p: Pay, months: int) -> list[list[str]]:
    w, loc = ctx.words, ctx.loc
    rows = [[w["desc"], MONTH_WORD[ctx.lang], YTD[ctx.lang]]]
    rows.append([w["basic"], money(loc, p.basic, "plain"), money(loc, p.basic * months, "plain")])
    if p.bonus:
        rows.append(["Bonus", money(loc, p.bonus, "plain"), money(loc, p.bonus, "plain")])
    rows.append([w["gross"], money(loc, p.gross, "plain"), money(loc, p.gross * months, "plain")])
    for label, value in zip(LINES[ctx.lang], p.deductions, strict=True):
        rows.append([label, money(loc, -value, "plain"), money(loc, -value * months, "plain")])
    return rows


def payslip_table(ctx: Ctx) -> Built:
    employer, employee = company(ctx), person(ctx)
    p = pay(ctx)
    w, loc = ctx.words, ctx.loc
    staff = ctx.rng.randint(1000, 99999)

    def draw() -> bytes:
        s = Sheet()
        s.text(40, 60, employer.name, 14, bold=True)
        s.lines(40, 76, [employer.street, employer.city, employer.vat], 8.5)
        s.text(555, 60, w["payslip"], 16, bold=True, align="right")
        span = f"{when(ctx, p.start, 'numeric')} - {when(ctx, p.end, 'numeric')}"
        meta = [(w["period"], span), (w["pay_date"], when(ctx, p.day, "numeric"))]
        meta.append((w["emp_no"], str(staff)))
        s.pairs(330, 90, meta, 555, 9, value_align="right")
        s.text(40, 150, w["employee"], 8, grey=0.4)
        s.lines(40, 163, employee.block(), 10)
        y = s.table(40, 230, (255, 130, 130), earnings(ctx, p, p.start.month), aligns="lrr")
        s.box(330, y + 20, 225, 26, fill=0.9, stroke=False)
        s.text(340, y + 37, w["net"], 11, bold=True)
        s.text(548, y + 37, money(loc, p.net, "symbol"), 11, bold=True, align="right")
        s.text(40, y + 80, f"IBAN ****{ctx.rng.randint(1000, 9999)}", 8)
        return s.pdf()

    return Built(payslip_gold(employer.name, employee.name, p), draw)


def payslip_columns(ctx: Ctx) -> Built:
    employer, employee = company(ctx), person(ctx)
    p = pay(ctx)
    w, loc = ctx.words, ctx.loc

    def draw() -> bytes:
        s = Sheet(family="Times")
        month = f"{month_name(ctx.lang, p.start.month)} {p.start.year}"
        s.text(297, 50, w["payslip"].upper(), 15, bold=True, align="center")
        s.text(297, 66, f"{w['period']}: {month}", 9, align="center")
        left = [(w["employer"], employer.name), ("", employer.street), ("", employer.city)]
        left += [(w["employee"], employee.name), ("", employee.street), ("", employee.city)]
        s.pairs(40, 100, left, 120, 9)
        s.box(360, 90, 195, 80, fill=0.93)
        s.text(370, 108, w["net"], 10, bold=True)
        s.text(545, 135, money(loc, p.net, "code"), 16, bold=True, align="right")
        s.text(370, 160, f"{w['pay_date']}: {when(ctx, p.day, 'numeric')}", 8.5)
        rows = earnings(ctx, p, p.start.month)
        gross_at = next(i for i, row in enumerate(rows) if row[0] == w["gross"])
        y = s.table(
            40, 220, (160, 85), [r[:2] for r in rows[: gross_at + 1]], aligns="lr", grid=True
        )
        ded = [[w["deductions"], ""], *[r[:2] for r in rows[gross_at + 1 :]]]
        s.table(310, 220, (160, 85), ded, aligns="lr", grid=True)
        ytd = money(loc, p.gross * p.start.month, "plain")
        s.text(40, max(y, 300) + 30, f"{YTD[ctx.lang]} ({w['gross']}): {ytd}", 8)
        return s.pdf()

    return Built(payslip_gold(employer.name, employee.name, p), draw)


def goods_rows(ctx: Ctx) -> list[list[str]]:
    w = ctx.words
    out = [[ARTICLE[ctx.lang], w["desc"], w["qty"]]]
    for text in ctx.rng.sample(GOODS[ctx.lang].split("|"), ctx.rng.randint(2, 6)):
        out.append(
            [
                str(ctx.rng.randint(100000, 999999)),
                text,
                f"{ctx.rng.randint(1, 40)} {UNIT[ctx.lang]}",
            ]
        )
    return out


def note_gold(number: str, day: date, supplier: str, recipient: str) -> dict[str, object]:
    return {
        "delivery_number": number,
        "delivery_date": day.isoformat(),
        "supplier": supplier,
        "recipient": recipient,
    }


def delivery_note(ctx: Ctx) -> Built:
    supplier, customer = company(ctx), company(ctx)
    day = random_day(ctx.rng)
    number = f"{ctx.pick('LS|BL|DN|PB|ALB')}-{ctx.rng.randint(100000, 999999)}"
    w = ctx.words
    table = goods_rows(ctx)
    order_no = f"{ctx.rng.randint(1000, 99999)}"

    def draw() -> bytes:
        s = Sheet()
        s.text(40, 58, supplier.name, 15, bold=True)
        s.lines(40, 74, [supplier.street, supplier.city, supplier.phone], 8.5)
        s.text(555, 60, w["note"], 18, bold=True, align="right")
        meta = [
            (w["note_no"], number),
            (w["note_date"], when(ctx, day, "numeric")),
            (w["ref"], order_no),
        ]
        s.pairs(350, 90, meta, 555, 9, value_align="right")
        s.text(40, 160, w["consignee"], 9, bold=True)
        s.lines(40, 175, customer.block(), 10)
        y = s.table(40, 240, (110, 315, 90), table, aligns="llr")
        s.text(40, y + 20, w["packages"].format(n=ctx.rng.randint(1, 9)), 9)
        s.text(40, y + 80, w["received"], 9)
        s.rule(40, y + 110, 260, 0.5)
        return s.pdf()

    return Built(note_gold(number, day, supplier.name, customer.name), draw)


def delivery_slip(ctx: Ctx) -> Built:
    supplier = company(ctx)
    recipient = person(ctx) if ctx.rng.random() < 0.5 else company(ctx)
    day = random_day(ctx.rng)
    number = f"{ctx.rng.randint(10000000, 99999999)}"
    tracking = f"{ctx.pick('1Z|JJD|3S|CP')}{ctx.rng.randint(10**11, 10**12 - 1)}"
    carrier = ctx.pick("DHL|UPS|DPD|GLS|PostNL|Colissimo|SEUR")
    w = ctx.words
    table = goods_rows(ctx)

    def draw() -> bytes:
        s = Sheet()
        s.text(297, 55, w["note"].upper(), 18, bold=True, align="center")
        s.box(400, 70, 155, 40)
        s.text(405, 82, w["note_no"], 7, grey=0.35)
        s.text(405, 100, number, 11, bold=True)
        s.text(40, 95, f"{w['note_date']}: {when(ctx, day, 'long')}", 10)
        for x, label, party in (
            (40, SENDER[ctx.lang], supplier),
            (297.5, w["consignee"], recipient),
        ):
            s.box(x, 120, 257.5, 70)
            s.text(x + 5, 130, label, 7, grey=0.35)
            s.lines(x + 5, 144, party.block(), 9.5, bold_first=True)
        y = s.table(40, 210, (110, 315, 90), table, aligns="llr", grid=True)
        s.pairs(40, y + 25, [(CARRIER[ctx.lang], carrier), ("Tracking", tracking)], 140, 9)
        s.text(
            297,
            800,
            f"{supplier.name} · {supplier.street} · {supplier.city} · {supplier.vat}",
            7,
            align="center",
        )
        return s.pdf()

    return Built(note_gold(number, day, supplier.name, recipient.name), draw)


def lab_report(ctx: Ctx) -> Built:
    lab = company(ctx, legal=False)
    lab.name = ctx.names.fresh(
        lambda r: (
            f"{r.choice(LABS[ctx.lang].split('|'))} {ctx.names.person(ctx.lang, r).split()[-1]}"
        ),
        ctx.rng,
    )
    patient = person(ctx)
    doctor = ctx.names.person(ctx.lang, ctx.rng)
    taken = random_day(ctx.rng)
    reported = later(taken, ctx.rng.choice((0, 1, 1, 2)))
    born = date(ctx.rng.randint(1940, 2005), ctx.rng.randint(1, 12), ctx.rng.randint(1, 28))
    number = f"{ctx.pick('L|R|')}{taken.year % 100:02d}{ctx.rng.randint(100000, 999999)}"
    w = ctx.words
    results = [
        (name, unit, round(ctx.rng.uniform(low * 0.8, high * 1.1), 1), low, high)
        for name, unit, low, high in ctx.rng.sample(TESTS, 4)
    ]

    def draw() -> bytes:
        s = Sheet()
        s.text(297, 50, lab.name, 15, bold=True, align="center")
        s.text(297, 65, f"{lab.street} · {lab.city} · {lab.phone}", 8, align="center")
        s.text(297, 95, w["lab"], 13, bold=True, align="center")
        grid = [
            (w["patient"], patient.name),
            (w["dob"], when(ctx, born, "numeric")),
            (w["rep_no"], number),
            (w["collected"], when(ctx, taken, "numeric")),
            (w["physician"], f"Dr. {doctor}"),
            (w["rep_date"], when(ctx, reported, "numeric")),
        ]
        for n, (label, value) in enumerate(grid):
            x, y = 40 + (n % 2) * 257.5, 115 + (n // 2) * 30
            s.box(x, y, 257.5, 30)
            s.text(x + 5, y + 10, label, 7, grey=0.35)
            s.text(x + 5, y + 24, value, 10)
        rows = [["Test", "Result", "Unit", "Reference"]]
        rows += [
            [name, str(value), unit, f"{low} - {high}"] for name, unit, value, low, high in results
        ]
        s.table(40, 230, (200, 80, 80, 155), rows, aligns="lrll")
        return s.pdf()

    gold = {
        "report_id": number,
        "report_date": [reported.isoformat(), taken.isoformat()],
        "person": patient.name,
        "organisation": lab.name,
    }
    return Built(gold, draw)


def registration(ctx: Ctx) -> Built:
    club = company(ctx, legal=False)
    club.name = ctx.names.fresh(
        lambda r: f"{r.choice(CLUBS[ctx.lang].split('|'))} {r.choice(CLUBS_PLACE)}", ctx.rng
    )
    applicant = person(ctx)
    born = date(ctx.rng.randint(1950, 2010), ctx.rng.randint(1, 12), ctx.rng.randint(1, 28))
    day = random_day(ctx.rng)
    number = f"{day.year}-{ctx.rng.randint(100, 9999):04d}"
    w = ctx.words
    address_, email, phone_, plan, sign = FIELDS[ctx.lang]
    tel = phone(ctx.loc, ctx.rng)

    def draw() -> bytes:
        s = Sheet()
        s.text(40, 55, club.name, 15, bold=True)
        s.text(40, 70, f"{club.street}, {club.city}", 8.5)
        s.text(297, 110, w["regform"], 15, bold=True, align="center")
        s.text(555, 55, f"{w['reg_no']}: {number}", 9, align="right")
        fields = [
            (w["applicant"], applicant.name),
            (w["dob"], when(ctx, born, "numeric")),
            (address_, f"{applicant.street}, {applicant.city}"),
            (email, f"{applicant.name.split()[0].lower()}@example.net"),
            (phone_, tel),
            (plan, PLANS[ctx.lang]),
        ]
        y = 150
        for label, value in fields:
            s.text(40, y, f"{label}:", 9.5)
            s.text(180, y - 1, value, 10.5, bold=True)
            s.rule(175, y + 3, 555, 0.3, grey=0.5)
            y += 28
        s.text(40, y + 30, f"{w['reg_date']}: {when(ctx, day, 'numeric')}", 10)
        s.text(330, y + 30, f"{sign}:", 10)
        s.rule(380, y + 33, 555, 0.5)
        return s.pdf()

    gold = {
        "report_id": number,
        "report_date": day.isoformat(),
        "person": applicant.name,
        "organisation": club.name,
    }
    return Built(gold, draw)


PLANS = {
    "en": "[X] Adult   [ ] Junior   [ ] Family",
    "fr": "[X] Adulte   [ ] Junior   [ ] Famille",
    "de": "[X] Erwachsene   [ ] Jugend   [ ] Familie",
    "nl": "[X] Senior   [ ] Junior   [ ] Gezin",
    "es": "[X] Adulto   [ ] Infantil   [ ] Familiar",
}
CLUBS_PLACE = ("Riverside", "Nord", "Central", "Westend", "Eastfield", "Zuid", "del Sur", "am See")

TEMPLATES = {
    "payslip_table": payslip_table,
    "payslip_columns": payslip_columns,
    "delivery_note": delivery_note,
    "delivery_slip": delivery_slip,
    "lab_report": lab_report,
    "registration": registration,
}
