"""Who issued an invoice, printed the many ways real invoices print it: a letterhead at the top
left, right or centre, in capitals or without a legal form; a logo with the name only in the
footer's legal line, the bank details, the cheque line or the e-mail domain; a From / Seller /
Supplier / Bill from block; and the customer's name printed big, which must not be taken.
Written from how invoices look, not from any corpus document."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from placed_docs import Placed, pdf_field, text_field

INVOICE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string", "description": "The number of the invoice."},
        "total": {"type": "number", "description": "The total amount to pay, taxes included."},
        "vendor": {"type": "string", "description": "The company that issued the invoice."},
    },
}
_LEGAL = r"(?:ltd|limited|llp|gmbh|bv|b\.v\.|sarl|sl|s\.l\.|srl|inc|llc|ag|kg|sa|s\.a\.)\.?$"


def same_name(found: Any, expected: str) -> bool:
    """Names compared as the bench does: no case, punctuation or legal form."""

    def norm(name: str) -> str:
        name = re.sub(_LEGAL, "", name.strip().lower()).strip(" ,")
        return re.sub(r"[\W_]+", "", name)

    return isinstance(found, str) and norm(found) == norm(expected)


def text_vendor(text: str) -> Any:
    return text_field(text, INVOICE, "vendor")


def pdf_vendor(tmp_path: Path, placed: Sequence[Placed]) -> Any:
    return pdf_field(tmp_path, placed, INVOICE, "vendor")


BODY = (
    "\nInvoice No.: 2024-117\nDate: 12/03/2024\n\n"
    "Description   Qty   Amount\nConsulting   4   400.00\n\nTotal due   480.00\n"
)
BILL_TO = "Bill to:\nGreenfield Primary School\n3 Church Road\nYork YO1 7HH\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Harbor Lane Bakery\n12 Quay Street\nBristol BS1 4DJ\n\nINVOICE\n" + BILL_TO,
            "Harbor Lane Bakery",
        ),
        (
            "BLUE RIVER CONSULTING\n45 King Street\nManchester M2 4LQ\n\nINVOICE\n" + BILL_TO,
            "Blue River Consulting",
        ),
        (
            "INVOICE\n\nSchildersbedrijf Jansen\nDorpsstraat 8\n3512 AB Utrecht\n\n" + BILL_TO,
            "Schildersbedrijf Jansen",
        ),
        (
            "INVOICE\n" + BILL_TO + "\nFrom:\nNova Design Studio\n7 Canal Walk\nLondon N1 9GU\n",
            "Nova Design Studio",
        ),
        ("INVOICE\n" + BILL_TO + "\nSeller: Kowalski Trading\n", "Kowalski Trading"),
        ("INVOICE\n" + BILL_TO + "\nSupplier: Alder & Finch Joinery\n", "Alder & Finch Joinery"),
        (
            "INVOICE\nBill from:\nPixel Forge Studio\n22 Dock Road\nCardiff CF10 5AL\n\n" + BILL_TO,
            "Pixel Forge Studio",
        ),
        ("FACTURA\nEmisor: Talleres Ruiz S.L.\nCliente: Hotel Mirador\n", "Talleres Ruiz S.L."),
        (
            "FATTURA\nFornitore: Ferramenta Bianchi\nCliente: Ristorante Da Gino\n",
            "Ferramenta Bianchi",
        ),
    ],
)
def test_letterheads_and_seller_blocks(text: str, expected: str) -> None:
    assert same_name(text_vendor(text + BODY), expected)


@pytest.mark.parametrize(
    ("footer", "expected"),
    [
        (
            "Northwind Traders Ltd · Registered in England No. 04512345 · VAT GB 123 4567 89",
            "Northwind Traders Ltd",
        ),
        (
            "Bergblick Software GmbH · Geschäftsführer: Hans Meier · Amtsgericht München HRB 12345",
            "Bergblick Software GmbH",
        ),
        ("De Groene Fiets B.V. · KvK 12345678 · BTW NL001234567B01", "De Groene Fiets B.V."),
        (
            "Atelier Lumière SARL · SIRET 123 456 789 00012 · TVA FR12345678901",
            "Atelier Lumière SARL",
        ),
        ("Account holder: Miller & Sons · IBAN GB29 NWBK 6016 1331 9268 19", "Miller & Sons"),
        ("Please make cheques payable to Oakridge Plumbing", "Oakridge Plumbing"),
        (
            "Kontoinhaber: Bäckerei Sonnenschein · IBAN DE89 3704 0044 0532 0130 00",
            "Bäckerei Sonnenschein",
        ),
        (
            "Titulaire du compte : Boulangerie Martin · IBAN FR76 3000 6000 0112 3456 7890 189",
            "Boulangerie Martin",
        ),
    ],
)
def test_name_only_in_the_footer(footer: str, expected: str) -> None:
    text = "INVOICE\n\n" + BILL_TO + BODY + "\nThank you for your business.\n" + footer + "\n"
    assert same_name(text_vendor(text), expected)


def test_name_only_in_the_mail_domain_and_footer() -> None:
    text = (
        "INVOICE\n\n" + BILL_TO + BODY + "\nQuestions? accounts@brightsparkelectrical.co.uk\n"
        "Bright Spark Electrical · 0117 496 0000\n"
    )
    assert same_name(text_vendor(text), "Bright Spark Electrical")


def test_customer_printed_big_is_not_the_vendor(tmp_path: Path) -> None:
    placed = [
        (40, 50, "Corvid Print Works", 10),
        (40, 62, "14 Mill Lane, Leeds LS1 4AB", 8),
        (40, 120, "Bill to", 9),
        (40, 140, "GREENFIELD HOLDINGS", 20),
        (40, 158, "3 Church Road, York YO1 7HH", 9),
        (360, 120, "Invoice No.", 9),
        (450, 120, "2024-117", 9),
        (40, 240, "Total due", 10),
        (450, 240, "480.00", 10),
    ]
    assert same_name(pdf_vendor(tmp_path, placed), "Corvid Print Works")


def test_letterhead_at_the_top_right(tmp_path: Path) -> None:
    placed = [
        (40, 60, "INVOICE", 22),
        (380, 50, "Fjordlight Studio", 14),
        (380, 66, "Strandgata 4", 9),
        (380, 78, "5013 Bergen, Norway", 9),
        (40, 130, "Invoice to:", 9),
        (40, 142, "Marlow & Co", 9),
        (40, 154, "8 Baker Street, London W1U 3BW", 9),
        (380, 130, "Invoice No.", 9),
        (460, 130, "1093", 9),
        (40, 240, "Total due", 10),
        (460, 240, "480.00", 10),
    ]
    assert same_name(pdf_vendor(tmp_path, placed), "Fjordlight Studio")


def test_letterhead_in_the_centre(tmp_path: Path) -> None:
    placed = [
        (230, 50, "MAISON DUVAL", 16),
        (220, 66, "12 rue des Lilas, 75011 Paris", 9),
        (40, 120, "Facture N° F-10233", 12),
        (40, 150, "Client :", 9),
        (40, 162, "Café du Port", 9),
        (40, 240, "Total TTC", 10),
        (460, 240, "480,00 €", 10),
    ]
    assert same_name(pdf_vendor(tmp_path, placed), "Maison Duval")


def test_logo_and_the_name_only_in_the_footer(tmp_path: Path) -> None:
    placed = [
        (400, 60, "INVOICE", 22),
        (40, 130, "Bill to", 9),
        (40, 142, "GREENFIELD HOLDINGS", 14),
        (40, 158, "3 Church Road, York YO1 7HH", 9),
        (400, 130, "Invoice No.", 9),
        (480, 130, "2024-117", 9),
        (40, 240, "Total due", 10),
        (480, 240, "480.00", 10),
        (40, 800, "Kestrel Analytics Ltd · Registered in England No. 09876543", 7),
    ]
    assert same_name(pdf_vendor(tmp_path, placed), "Kestrel Analytics Ltd")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("INVOICE\n" + BILL_TO + "\nVon: Hansen Gartenbau\n", "Hansen Gartenbau"),
        ("FACTUUR\nVan: Bakkerij Smit\nAan: Hotel Centraal\n", "Bakkerij Smit"),
        ("FACTURE\nPrestataire : Atelier Bleu\nClient : Mairie de Lyon\n", "Atelier Bleu"),
        ("FACTURE\nVendeur : Atelier Bleu\nAcheteur : Mairie de Lyon\n", "Atelier Bleu"),
        (
            "RECHNUNG\nRechnungssteller: Hansen Gartenbau\nRechnungsempfänger: Stadt Kiel\n",
            "Hansen Gartenbau",
        ),
        (
            "INVOICE\nIssued by: Westbrook Legal LLP\nIssued to: Harlow Estates Ltd\n",
            "Westbrook Legal",
        ),
        ("Sold by: Alpine Outfitters\nShip to: Jane Doe\n\nINVOICE\n", "Alpine Outfitters"),
        ("Invoice from Studio Nord\n" + BILL_TO, "Studio Nord"),
        (
            "FACTURA\nDatos del emisor\nTalleres Ruiz\nC/ Mayor 5, 28013 Madrid\nCIF B12345678\n\n"
            "Datos del cliente\nHotel Mirador\n",
            "Talleres Ruiz",
        ),
    ],
)
def test_labelled_issuers_in_other_languages(text: str, expected: str) -> None:
    assert same_name(text_vendor(text + BODY), expected)


def test_sender_line_over_the_address_window() -> None:
    text = (
        "Müller Elektrotechnik · Hauptstr. 5 · 80331 München\nHerrn\nMax Mustermann\n"
        "Bahnhofstr. 3\n10115 Berlin\n\nRECHNUNG\n"
    )
    assert same_name(text_vendor(text + BODY), "Müller Elektrotechnik")


def test_name_beside_its_address_in_the_footer() -> None:
    text = (
        "INVOICE\n" + BILL_TO + BODY + "\nThank you for choosing Lakeside Dental Care!\n"
        "Lakeside Dental Care · 4 Lake Road · Kendal LA9 4AB\n"
    )
    assert same_name(text_vendor(text), "Lakeside Dental Care")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Bill to:\nGREENFIELD HOLDINGS LTD\n3 Church Road\nYork YO1 7HH\n\nINVOICE\n"
            "From: Corvid Print Works\n",
            "Corvid Print Works",
        ),
        (
            "Ristorante Da Gino\nVia Roma 12\n00184 Roma\nP.IVA 01234567890\n\nFATTURA\n"
            "Spett.le\nHotel Bellavista\n",
            "Ristorante Da Gino",
        ),
        ("ACME\nPlumbing & Heating\n12 Dock Road\nHull HU1 2AB\n\nINVOICE\n" + BILL_TO, "ACME"),
        (
            "INVOICE\n" + BILL_TO + "\nBank: Barclays · Account name: Oakridge Plumbing · "
            "Sort code 20-00-00\n",
            "Oakridge Plumbing",
        ),
    ],
)
def test_customer_first_or_in_capitals_and_bank_lines(text: str, expected: str) -> None:
    assert same_name(text_vendor(text + BODY), expected)


TOTAL_ROW: list[Placed] = [(40, 300, "Total due", 10), (480, 300, "480.00", 10)]
BILL_TO_PLACED: list[Placed] = [
    (40, 130, "Invoice to", 8),
    (40, 142, "Greenfield School", 10),
    (40, 154, "3 Church Road, York YO1 7HH", 9),
    (330, 130, "Invoice No.", 9),
    (420, 130, "2024-117", 9),
]
WINDOW: list[Placed] = [
    (40, 124, "Herrn", 9),
    (40, 136, "Max Mustermann", 9),
    (40, 148, "Bahnhofstr. 3", 9),
    (40, 160, "10115 Berlin", 9),
    (330, 130, "Rechnungs-Nr.", 9),
    (420, 130, "2024-117", 9),
]


@pytest.mark.parametrize(
    ("placed", "expected"),
    [
        (  # small letterhead at the top right, the customer in large type
            [
                (380, 50, "Corvid Print Works", 9),
                (380, 61, "14 Mill Lane", 8),
                (380, 72, "Leeds LS1 4AB", 8),
                (40, 100, "INVOICE", 20),
                (40, 130, "Bill to", 8),
                (40, 146, "GREENFIELD HOLDINGS", 16),
                (40, 162, "3 Church Road, York YO1 7HH", 9),
            ],
            "Corvid Print Works",
        ),
        (  # a wordmark in capitals, centred, over its tagline
            [
                (240, 40, "NORDLICHT", 20),
                (250, 60, "Handel & Logistik", 9),
                (200, 72, "Hafenstraße 12 · 20457 Hamburg", 8),
                *BILL_TO_PLACED,
            ],
            "Nordlicht",
        ),
        (  # a logo: the name only in a three-column footer
            [
                (400, 50, "INVOICE", 20),
                *BILL_TO_PLACED,
                (40, 780, "Kestrel Analytics Ltd", 7),
                (200, 780, "IBAN GB29 NWBK 6016 1331 9268 19", 7),
                (400, 780, "VAT GB 123 4567 89", 7),
                (40, 790, "1 High St, Oxford OX1 1AA", 7),
                (200, 790, "BIC NWBKGB2L", 7),
                (400, 790, "Company No. 09876543", 7),
            ],
            "Kestrel Analytics Ltd",
        ),
        (  # a logo: the name only in a one-line footer with its address
            [
                (400, 50, "INVOICE", 20),
                *BILL_TO_PLACED,
                (150, 780, "Bright Spark Electrical · 22 Dock Road · Cardiff CF10 5AL", 7),
            ],
            "Bright Spark Electrical",
        ),
        (  # German: the sender line over the address window, no letterhead
            [(40, 110, "Wagner Haustechnik · Lindenweg 3 · 50667 Köln", 6), *WINDOW],
            "Wagner Haustechnik",
        ),
        (  # a lower-case wordmark spelled as the e-mail domain; the customer larger
            [
                (40, 40, "studio nord", 11),
                (40, 52, "hello@studionord.dk", 8),
                (40, 110, "Greenfield Holdings", 14),
                (40, 126, "3 Church Road", 9),
                (40, 138, "York YO1 7HH", 9),
                (330, 110, "INVOICE", 18),
                (330, 130, "Invoice No.", 9),
                (420, 130, "2024-117", 9),
            ],
            "studio nord",
        ),
        (  # seller and buyer side by side, either way round
            [
                (40, 100, "INVOICE", 20),
                (40, 130, "Bill To", 8),
                (300, 130, "From", 8),
                (40, 142, "Greenfield Holdings", 10),
                (300, 142, "Alpine Outfitters", 10),
                (40, 154, "3 Church Road, York", 9),
                (300, 154, "4 Ridge Rd, Denver CO 80202", 9),
            ],
            "Alpine Outfitters",
        ),
    ],
)
def test_pdf_layouts(tmp_path: Path, placed: list[Placed], expected: str) -> None:
    assert same_name(pdf_vendor(tmp_path, [*placed, *TOTAL_ROW]), expected)


def test_footer_line_with_the_address_before_the_name() -> None:
    text = (
        "INVOICE\n"
        + BILL_TO
        + BODY
        + "\n1 High St, Oxford OX1 1AA Kestrel Analytics Ltd IBAN GB29 "
        "NWBK 6016 1331 9268 19 Company No. 09876543\n"
    )
    assert text_vendor(text) == "Kestrel Analytics Ltd"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "INVOICE\n"
            + BILL_TO
            + "\nRemit to:\nSummit Electric Supply\nPO Box 4471\nDenver CO 80202\n",
            "Summit Electric Supply",
        ),
        (
            "INVOICE\n" + BILL_TO + "\nRemit payment to: Summit Electric Supply, PO Box 4471\n",
            "Summit Electric Supply",
        ),
        (
            "INVOICE\n" + BILL_TO + "\nMake all checks payable to Summit Electric Supply\n",
            "Summit Electric Supply",
        ),
        ("INVOICE\n" + BILL_TO + "\nPayee: Summit Electric Supply\n", "Summit Electric Supply"),
        (
            "TAX INVOICE\nSHREE GANESH TRADERS\nGSTIN: 27AAAPL1234C1ZV\n12 MG Road, Pune 411001\n\n"
            + BILL_TO,
            "Shree Ganesh Traders",
        ),
        (
            "Summit Electric Supply\nQuality parts since 1972\n4 Ridge Rd\nDenver, CO 80202\n\n"
            "INVOICE\n" + BILL_TO,
            "Summit Electric Supply",
        ),
        (
            "INVOICE\nBill to:\nACME HOLDINGS INC.\n1 Main St\nBoston MA 02110\n\n"
            "Jane Doe Photography · jane@janedoe.photo\n",
            "Jane Doe Photography",
        ),
        (
            "Dr. Anna Weber\nZahnarztpraxis\nKönigstr. 4\n70173 Stuttgart\n\nRECHNUNG\nFrau\n"
            "Petra Klein\nHauptstr. 1\n70174 Stuttgart\n",
            "Dr. Anna Weber",
        ),
        (
            "Fontaine & Fils\n8, place du Marché\n69002 Lyon\n\nFACTURE\nClient :\nSARL Dupont\n"
            "3 rue Neuve\n69003 Lyon\n",
            "Fontaine & Fils",
        ),
        (
            "Bill To:\tFrom:\nGreenfield Holdings\tAlpine Outfitters\n3 Church Road\t4 Ridge Rd\n\n"
            "INVOICE\n",
            "Alpine Outfitters",
        ),
    ],
)
def test_remittance_payees_titles_and_salutations(text: str, expected: str) -> None:
    assert same_name(text_vendor(text + BODY), expected)


@pytest.mark.parametrize(
    ("label", "customer"),
    [
        ("To:", "Greenfield Holdings Ltd"),
        ("Kunde:", "Stadtwerke Kiel GmbH"),
        ("Rechnung an:", "Stadtwerke Kiel GmbH"),
        ("Auftraggeber:", "Stadtwerke Kiel GmbH"),
        ("Klant:", "Jansen Bouw B.V."),
        ("Factuur aan:", "Jansen Bouw B.V."),
        ("Facturé à :", "Dupont SARL"),
        ("Destinataire :", "Dupont SARL"),
        ("Cliente:", "Hoteles Mar S.L."),
        ("Facturar a:", "Hoteles Mar S.L."),
        ("Intestatario:", "Rossi S.r.l."),
        ("Spett.le", "Rossi S.r.l."),
        ("Attention:", "Greenfield Holdings Ltd"),
        ("Sold to:", "Greenfield Holdings Ltd"),
    ],
)
@pytest.mark.parametrize("same_line", [False, True])
def test_a_customer_with_a_legal_form_is_not_the_vendor(
    label: str, customer: str, same_line: bool
) -> None:
    block = f"{label} {customer}" if same_line else f"{label}\n{customer}"
    text = (
        "Corvid Print Works\n14 Mill Lane\nLeeds LS1 4AB\n\nINVOICE\n"
        + block
        + "\n3 Church Road\nYork YO1 7HH\n"
    )
    assert same_name(text_vendor(text + BODY), "Corvid Print Works")


@pytest.mark.parametrize("label", [None, "To", "Kunde", "Bill to"])
@pytest.mark.parametrize(("x", "size"), [(40, 14), (380, 12), (230, 16), (380, 9)])
def test_letterhead_without_legal_form_over_a_customer_with_one(
    tmp_path: Path, label: str | None, x: float, size: float
) -> None:
    placed: list[Placed] = [
        (x, 45, "Corvid Print Works", size),
        (x, 60, "14 Mill Lane", 8),
        (x, 70, "Leeds LS1 4AB", 8),
    ]
    top = 130.0
    if label:
        placed.append((40, top, label, 8))
        top += 12
    placed += [
        (40, top, "Stadtwerke Kiel GmbH", 10),  # the address window, labelled or not
        (40, top + 12, "Hafenstraße 3", 9),
        (40, top + 24, "24103 Kiel", 9),
        (380, 130, "Invoice No.", 9),
        (460, 130, "2024-117", 9),
        (380, 142, "Date", 9),
        (460, 142, "12/03/2024", 9),
    ]
    assert same_name(pdf_vendor(tmp_path, [*placed, *TOTAL_ROW]), "Corvid Print Works")


LETTERHEAD_ADDRESS = "\n14 Mill Lane\nLeeds LS1 4AB\n\nINVOICE\n" + BILL_TO


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Page 1 of 2\nORIGINAL FOR RECIPIENT\nCorvid Print Works" + LETTERHEAD_ADDRESS,
            "Corvid Print Works",
        ),
        ("www.corvidprint.co.uk\nCorvid Print Works" + LETTERHEAD_ADDRESS, "Corvid Print Works"),
        ("12 March 2024\nCorvid Print Works" + LETTERHEAD_ADDRESS, "Corvid Print Works"),
        ("Smith and Sons Builders" + LETTERHEAD_ADDRESS, "Smith and Sons Builders"),
        ("O'Brien's Garage" + LETTERHEAD_ADDRESS, "O'Brien's Garage"),
        ("3D Print Hub" + LETTERHEAD_ADDRESS, "3D Print Hub"),
        (
            "Corvid Print Works Limited\nTrading as Corvid Print" + LETTERHEAD_ADDRESS,
            "Corvid Print Works Limited",
        ),
        (
            "INVOICE\n\nBILLED TO\tPAY TO\nGreenfield Holdings Ltd\tCorvid Print Works\n"
            "3 Church Road\t14 Mill Lane\n",
            "Corvid Print Works",
        ),
        (
            "Corvid Print Works | 14 Mill Lane | Leeds LS1 4AB | 0113 496 0000\n\nINVOICE\n"
            + BILL_TO,
            "Corvid Print Works",
        ),
        (
            "Bäckerei Müller & Söhne\nHauptstraße 5\n80331 München\n\nRechnung\nHerrn\n"
            "Max Mustermann\n",
            "Bäckerei Müller & Söhne",
        ),
        (
            "Ferretería El Clavo\nCalle Mayor 5\n28013 Madrid\nNIF: B12345678\n\nFACTURA\n"
            "Cliente: Juan Pérez\n",
            "Ferretería El Clavo",
        ),
        (
            "Studio Grafico Verdi\nVia Garibaldi 8\n20121 Milano\nP.IVA 01234567890\n\nFATTURA\n"
            "Spett.le Rossi S.r.l.\n",
            "Studio Grafico Verdi",
        ),
        (
            "Installatiebedrijf De Vries\nKerkstraat 12\n3512 AB Utrecht\nKvK 12345678\n\n"
            "FACTUUR\nAan: Gemeente Utrecht\n",
            "Installatiebedrijf De Vries",
        ),
    ],
)
def test_letterheads_under_other_top_lines_and_in_six_languages(text: str, expected: str) -> None:
    assert same_name(text_vendor(text + BODY), expected)


@pytest.mark.parametrize("street", ["Hafenstraße 3", "HafenstraBe 3", "Hafenstrae 3"])
def test_scanned_address_window_under_the_letterhead(street: str) -> None:
    """OCR joins the window's lines with the details printed beside them and misreads ß."""
    text = (
        "Corvid Print Works\n14 Mill Lane\nLeeds LS1 4AB\n"
        f"Stadtwerke Kiel GmbH Invoice No. 2024-117\n{street} Date 12/03/2024\n24103 Kiel\n"
        "Total due 96.00\n"
    )
    assert same_name(text_vendor(text), "Corvid Print Works")


def test_a_company_name_holds_no_street_before_it() -> None:
    text = "INVOICE\n" + BILL_TO + BODY + "\nHafenstraße 3 Stadtwerke Kiel GmbH\n"
    assert text_vendor(text) == "Stadtwerke Kiel GmbH"


@pytest.mark.parametrize(
    "name",
    [
        "Lumen Retail S.à r.l.",
        "Bäckerei Schmidt e.K.",
        "Muster Software UG (haftungsbeschränkt)",
        "Atelier Nord SASU",
        "Holzbau Meier GbR",
        "Kessler Anlagen SE",
        "Novak Stavby s.r.o.",
        "Schulz & Partner mbH",
    ],
)
def test_legal_forms_in_the_footer_only(name: str) -> None:
    text = (
        "INVOICE\n" + BILL_TO + BODY + f"\nThank you.\n{name}, registered office 5 Market Square\n"
    )
    assert text_vendor(text) == name
