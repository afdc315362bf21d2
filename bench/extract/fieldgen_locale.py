"""Locales for the generated field set: how each country prints money, dates, names and addresses.

Written from how real documents of each country look (not from the recognisers under test):
French amounts as ``1 234,56 €``, German as ``1.234,56 €`` or ``EUR 1.234,56``, Dutch as
``€ 1.234,56``, Swiss as ``CHF 1'234.50``, American dates month first, German dates with dots,
long dates with the month's name in the document's language.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
}


@dataclass(frozen=True)
class Locale:
    """One country's conventions; ``date_order`` is how numeric dates are written."""

    code: str
    lang: str
    currency: str
    symbol: str
    symbol_after: bool
    decimal: str
    group: str
    tax: str
    rates: tuple[str, ...]
    date_order: str
    date_sep: str
    phone: str

    def rate(self, rng: random.Random) -> Decimal:
        return Decimal(rng.choice(self.rates))


LOCALES = {
    "en_GB": Locale("en_GB", "en", "GBP", "£", False, ".", ",", "VAT", ("20",), "DMY", "/", "+44"),
    "en_US": Locale(
        "en_US", "en", "USD", "$", False, ".", ",", "Sales Tax", ("8.25", "6.5"), "MDY", "/", "+1"
    ),
    "en_MY": Locale("en_MY", "en", "MYR", "RM", False, ".", ",", "SST", ("6",), "DMY", "/", "+60"),
    "fr_FR": Locale(
        "fr_FR", "fr", "EUR", "€", True, ",", " ", "TVA", ("20", "10", "5.5"), "DMY", "/", "+33"
    ),
    "fr_BE": Locale("fr_BE", "fr", "EUR", "€", True, ",", ".", "TVA", ("21",), "DMY", "/", "+32"),
    "de_DE": Locale(
        "de_DE", "de", "EUR", "€", True, ",", ".", "MwSt.", ("19", "7"), "DMY", ".", "+49"
    ),
    "de_AT": Locale("de_AT", "de", "EUR", "€", True, ",", ".", "USt.", ("20",), "DMY", ".", "+43"),
    "de_CH": Locale(
        "de_CH", "de", "CHF", "CHF", False, ".", "'", "MWST", ("8.1",), "DMY", ".", "+41"
    ),
    "nl_NL": Locale(
        "nl_NL", "nl", "EUR", "€", False, ",", ".", "BTW", ("21", "9"), "DMY", "-", "+31"
    ),
    "nl_BE": Locale("nl_BE", "nl", "EUR", "€", False, ",", ".", "BTW", ("21",), "DMY", "/", "+32"),
    "es_ES": Locale(
        "es_ES", "es", "EUR", "€", True, ",", ".", "IVA", ("21", "10"), "DMY", "/", "+34"
    ),
}


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def number(loc: Locale, value: Decimal, *, group: str | None = None) -> str:
    """``value`` with the locale's decimal mark and digit grouping (two decimals)."""
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(cents(value)):.2f}".split(".")
    sep = loc.group if group is None else group
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{sign}{sep.join(groups)}{loc.decimal}{frac}"


def money(loc: Locale, value: Decimal, style: str = "symbol") -> str:
    """``style``: ``symbol`` (as the country writes it), ``code`` (``EUR 12,00``), ``plain``."""
    text = number(loc, value)
    if style == "plain":
        return text
    if style == "code":
        return f"{loc.currency} {text}" if not loc.symbol_after else f"{text} {loc.currency}"
    if loc.symbol_after:
        return f"{text} {loc.symbol}"
    gap = " " if loc.symbol in ("CHF", "€") or len(loc.symbol) > 1 else ""
    return f"{loc.symbol}{gap}{text}"


def month_name(lang: str, month: int) -> str:
    return MONTHS[lang].split()[month - 1]


def date_text(loc: Locale, day: date, style: str) -> str:
    """``style``: ``numeric``, ``short`` (two-digit year), ``iso``, ``long`` (month by name)."""
    if style == "iso":
        return day.isoformat()
    if style == "long":
        return long_date(loc, day)
    year = f"{day.year:04d}" if style == "numeric" else f"{day.year % 100:02d}"
    parts = {"D": f"{day.day:02d}", "M": f"{day.month:02d}", "Y": year}
    return loc.date_sep.join(parts[key] for key in loc.date_order)


def long_date(loc: Locale, day: date) -> str:
    month = month_name(loc.lang, day.month)
    if loc.lang == "en" and loc.date_order == "MDY":
        return f"{month} {day.day}, {day.year}"
    if loc.lang == "de":
        return f"{day.day}. {month} {day.year}"
    if loc.lang == "es":
        return f"{day.day} de {month} de {day.year}"
    if loc.lang == "fr" and day.day == 1:
        return f"1er {month} {day.year}"
    return f"{day.day} {month} {day.year}"


def random_day(rng: random.Random) -> date:
    return date(rng.choice((2022, 2023, 2024, 2025)), rng.randint(1, 12), rng.randint(1, 28))


# Places: street patterns and (postcode, city) pairs per country.
STREETS = {
    "GB": ("{n} Mill Lane", "{n} Station Road", "Unit {n}, Riverside Park", "{n} High Street"),
    "US": ("{n} Lakeview Ave", "{n} W 34th Street, Suite 300", "{n} Market St", "{n} Elm Drive"),
    "MY": ("No. {n}, Jalan Bukit Bintang", "Lot {n}, Jalan Ampang", "{n}, Jalan SS 2/24"),
    "FR": (
        "{n} rue des Lilas",
        "{n}, avenue Jean Jaurès",
        "{n} boulevard Voltaire",
        "{n} place du Marché",
    ),
    "BE": ("Rue Neuve {n}", "Avenue Louise {n}", "Meir {n}", "Kerkstraat {n}"),
    "DE": ("Hauptstraße {n}", "Bahnhofstr. {n}", "Lindenallee {n}", "Am Markt {n}"),
    "AT": ("Mariahilfer Straße {n}", "Landstraßer Hauptstraße {n}", "Herrengasse {n}"),
    "CH": ("Bahnhofstrasse {n}", "Seestrasse {n}", "Rue du Rhône {n}"),
    "NL": ("Keizersgracht {n}", "Dorpsstraat {n}", "Stationsplein {n}", "Kerkweg {n}"),
    "ES": (
        "Calle Mayor, {n}",
        "Avda. de la Constitución, {n}",
        "C/ Gran Vía {n}",
        "Paseo del Prado, {n}",
    ),
}
CITIES = {
    "GB": ("Leeds LS1 4AP", "Bristol BS1 6QA", "Manchester M1 2HF", "Edinburgh EH2 4AD"),
    "US": ("Portland, OR 97205", "Austin, TX 78701", "Columbus, OH 43215", "Denver, CO 80202"),
    "MY": ("55100 Kuala Lumpur", "47300 Petaling Jaya, Selangor", "10200 George Town, Penang"),
    "FR": ("69003 Lyon", "75011 Paris", "33000 Bordeaux", "44000 Nantes", "59800 Lille"),
    "BE": ("1000 Bruxelles", "4000 Liège", "2000 Antwerpen", "9000 Gent"),
    "DE": ("80331 München", "10115 Berlin", "50667 Köln", "20095 Hamburg", "70173 Stuttgart"),
    "AT": ("1070 Wien", "8010 Graz", "5020 Salzburg"),
    "CH": ("8001 Zürich", "3011 Bern", "4051 Basel"),
    "NL": ("1015 CW Amsterdam", "3511 LX Utrecht", "2511 BT Den Haag", "9711 LM Groningen"),
    "ES": ("28013 Madrid", "08002 Barcelona", "46002 Valencia", "41004 Sevilla"),
}


def country(loc: Locale) -> str:
    return loc.code.split("_")[1]


def address(loc: Locale, rng: random.Random) -> tuple[str, str]:
    """Street line and postcode-city line."""
    place = country(loc)
    street = rng.choice(STREETS[place]).format(n=rng.randint(2, 240))
    return street, rng.choice(CITIES[place])


def phone(loc: Locale, rng: random.Random) -> str:
    digits = "".join(str(rng.randint(0, 9)) for _ in range(9))
    if loc.code == "en_US":
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}{rng.randint(0, 9)}"
    return f"{loc.phone} {digits[:1]} {digits[1:3]} {digits[3:5]} {digits[5:7]} {digits[7:]}"


def vat_id(loc: Locale, rng: random.Random) -> str:
    digits = "".join(str(rng.randint(0, 9)) for _ in range(11))
    place = country(loc)
    forms = {
        "GB": f"GB {digits[:3]} {digits[3:7]} {digits[7:9]}",
        "US": f"EIN {digits[:2]}-{digits[2:9]}",
        "MY": f"SST No: W10-{digits[:4]}-{digits[4:12]}",
        "FR": f"FR{digits[:2]} {digits[2:11]}",
        "BE": f"BE 0{digits[:3]}.{digits[3:6]}.{digits[6:9]}",
        "DE": f"DE{digits[:9]}",
        "AT": f"ATU{digits[:8]}",
        "CH": f"CHE-{digits[:3]}.{digits[3:6]}.{digits[6:9]} MWST",
        "NL": f"NL{digits[:9]}B01",
        "ES": f"ES B{digits[:8]}",
    }
    return forms[place]


def iban(loc: Locale, rng: random.Random) -> str:
    """A well-formed IBAN (check digits right) of the locale's country (GB for the others)."""
    place = (
        country(loc) if country(loc) in ("GB", "FR", "BE", "DE", "AT", "CH", "NL", "ES") else "GB"
    )
    lengths = {"GB": 18, "FR": 23, "BE": 12, "DE": 18, "AT": 16, "CH": 17, "NL": 14, "ES": 20}
    bban = "".join(str(rng.randint(0, 9)) for _ in range(lengths[place]))
    if place in ("GB", "NL"):
        bban = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + bban[4:]
    numeric = "".join(str(int(c, 36)) for c in bban + place + "00")
    check = 98 - int(numeric) % 97
    raw = f"{place}{check:02d}{bban}"
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


# Names: (trade words, family names, legal forms) per language; names are built, never reused.
FAMILY = {
    "en": "Ashford|Whitaker|Pemberton|Holloway|Marsh|Thornton|Kendall|Radcliffe|Sutton|Bramley|"
    "Hargreaves|Winslow|Caldwell|Prescott|Fairbanks|Langley|Mercer|Whitmore|Brennan|Ellison",
    "fr": "Dubois|Lefèvre|Moreau|Girard|Fontaine|Rousseau|Chevalier|Garnier|Lambert|Faure|"
    "Mercier|Blanchard|Guérin|Barbier|Perrin|Renaud|Marchand|Leclerc|Gauthier|Roussel",
    "de": "Müller|Schneider|Hoffmann|Krüger|Wagner|Becker|Schulz|Zimmermann|Braun|Hartmann|"
    "Lehmann|Köhler|Lange|Schmitt|Werner|Vogel|Fuchs|Keller|Bergmann|Scholz",
    "nl": "de Vries|Jansen|Visser|Bakker|Smit|Meijer|de Groot|Mulder|Bos|Vos|Peters|Hendriks|"
    "van Dijk|Dekker|Brouwer|Kok|Verhoeven|Kuipers|Postma|van Leeuwen",
    "es": "García|Fernández|López|Martín|Sánchez|Romero|Navarro|Torres|Domínguez|Ortega|"
    "Ramírez|Castillo|Moreno|Serrano|Molina|Delgado|Morales|Ibáñez|Vidal|Rubio",
}
GIVEN = {
    "en": "James Olivia Daniel Emily Thomas Grace Michael Hannah Robert Chloe Samuel Laura",
    "fr": "Camille Julien Élodie Nicolas Amélie Mathieu Claire Antoine Manon Sébastien Léa Hugo",
    "de": "Lukas Anna Jonas Lea Felix Marie Tobias Katrin Stefan Julia Matthias Sophie",
    "nl": "Daan Sanne Bram Lotte Joost Eva Thijs Fleur Ruben Anouk Pieter Iris",
    "es": "Lucía Pablo Carmen Javier Marta Diego Elena Alejandro Sofía Andrés Paula Miguel",
}
TRADES = {
    "en": "Supplies|Consulting|Print Works|Logistics|Electrical|Software|Catering|Joinery|"
    "Office Solutions|Plumbing & Heating|Design Studio|Engineering",
    "fr": "Menuiserie|Imprimerie|Transports|Électricité|Plomberie|Informatique|Traiteur|"
    "Bureautique|Conseil|Peinture",
    "de": "Haustechnik|Elektro|Druckerei|Logistik|IT-Service|Metallbau|Bürobedarf|Malerbetrieb|"
    "Sanitär|Gartenbau",
    "nl": "Installatietechniek|Drukwerk|Transport|Advies|Schilderwerken|Bouw|ICT Diensten|"
    "Kantoorartikelen|Elektrotechniek|Hoveniers",
    "es": "Distribuciones|Talleres|Construcciones|Suministros|Transportes|Instalaciones|"
    "Reformas|Asesoría|Gráficas|Climatización",
}
LEGAL = {
    "en_GB": ("Ltd", "Limited", "Ltd.", "LLP", ""),
    "en_US": ("Inc.", "LLC", "Corp.", "Inc", ""),
    "en_MY": ("Sdn Bhd", "Sdn. Bhd.", "Enterprise"),
    "fr_FR": ("SARL", "SAS", "S.A.", "EURL", ""),
    "fr_BE": ("SRL", "SA", "SPRL", ""),
    "de_DE": ("GmbH", "GmbH & Co. KG", "AG", "KG", ""),
    "de_AT": ("GmbH", "OG", ""),
    "de_CH": ("AG", "GmbH", ""),
    "nl_NL": ("B.V.", "BV", "V.O.F.", ""),
    "nl_BE": ("BV", "NV", ""),
    "es_ES": ("S.L.", "S.A.", "S.L.U.", "SL", ""),
}
MALAY = "Seri Wangi|Kedai Runcit Ah Seng|Restoran Nasi Kandar Pelita|Syarikat Perniagaan Lim|"
MALAY += "Mega Hardware Trading|Kedai Ubat Cina Wing Hong|Gardenia Bakeries|Pasaraya Maju Jaya"


class Names:
    """Fresh names for one run: a name given once is never given again (vendors are per split)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def fresh(self, make: object, rng: random.Random) -> str:
        assert callable(make)
        for _ in range(200):
            name = str(make(rng))
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("name pool exhausted")

    def person(self, lang: str, rng: random.Random) -> str:
        def make(r: random.Random) -> str:
            return f"{r.choice(GIVEN[lang].split())} {r.choice(_family(lang))}"

        return self.fresh(make, rng)

    def company(self, loc: Locale, rng: random.Random, *, legal: bool = True) -> str:
        def make(r: random.Random) -> str:
            if loc.code == "en_MY":
                base = r.choice(MALAY.strip("|").split("|"))
                return f"{base} {r.choice(LEGAL[loc.code])}"
            family = r.choice(_family(loc.lang))
            trade = r.choice(TRADES[loc.lang].split("|"))
            if loc.lang in ("fr", "es"):
                base = f"{trade} {family}"
            elif loc.lang == "en" and r.random() < 0.4:
                base = f"{family} & {r.choice(_family('en'))}"
            else:
                base = f"{family} {trade}"
            suffix = r.choice(LEGAL[loc.code]) if legal else ""
            return f"{base} {suffix}".strip()

        return self.fresh(make, rng)


def _family(lang: str) -> list[str]:
    return FAMILY[lang].split("|")
