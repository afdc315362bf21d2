"""Invoice and receipt numbers printed the many ways real documents print them, in English,
French, German, Dutch, Spanish and Italian: the label left of, above or in a header row over its
value, in the title line, split across lines or cells, and beside other numbers that are not the
document's (order, customer, PO, delivery note, VAT id, telephone, IBAN, dates, page "1/2").
Written from how invoices look, not from any corpus document."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from placed_docs import INVOICE, Placed, pdf_field, text_field

RECEIPT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "receipt_number": {"type": "string", "description": "The number of the receipt."},
        "total": {"type": "number", "description": "The total amount paid."},
    },
}
CREDIT_NOTE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "credit_note_number": {"type": "string", "description": "The number of the credit note."}
    },
}


def text_number(text: str, schema: dict[str, Any] = INVOICE) -> Any:
    return text_field(text, schema, next(iter(schema["properties"])))


def pdf_number(tmp_path: Path, placed: Sequence[Placed], schema: dict[str, Any] = INVOICE) -> Any:
    return pdf_field(tmp_path, placed, schema, next(iter(schema["properties"])))


HEAD = "Corvid Print Works\n14 Mill Lane\nLeeds LS1 4AB\n\n"
TAIL = "\nDescription   Qty   Amount\nBusiness cards   2   80.00\n\nTotal due   96.00\n"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("INVOICE #INV-2024-0042\nDate: 12 March 2024", "INV-2024-0042"),
        ("Rechnung Nr. 2024/117\nDatum: 12.03.2024", "2024/117"),
        ("Facture N° F-10233\nDate : 12/03/2024", "F-10233"),
        ("Factura: A-2024-88\nFecha: 12/03/2024", "A-2024-88"),
        ("Invoice 20240117-03\nIssued 17 January 2024", "20240117-03"),
        ("Facture n°F2024-117 du 12/03/2024", "F2024-117"),
        ("Fattura n. 123/2024 del 15/03/2024", "123/2024"),
        ("Nº Factura: FAC-2024-0193\nFecha: 15/03/2024", "FAC-2024-0193"),
        ("Factuur nr. 20240093\nFactuurdatum: 15-03-2024", "20240093"),
        ("Numéro de facture : 2024-FR-0042", "2024-FR-0042"),
        ("Rechnungs-Nr.: 2024.0117\nLieferschein-Nr.: LS-88", "2024.0117"),
        ("TAX INVOICE\nInvoice No : SI-000291", "SI-000291"),
        ("Bill No.: B/23-24/0912\nDate: 03/02/2024", "B/23-24/0912"),
        ("Invoice ID: 8F3A-2201", "8F3A-2201"),
        ("INVOICE\nNo. 0042\nDate: 12 March 2024", "0042"),
        ("Invoice: #3321", "3321"),
        ("Invoice#2024-117", "2024-117"),
        ("Invoice no:2024-117", "2024-117"),
        ("Invoice: INV-2024-117 (Page 1 of 2)", "INV-2024-117"),
        ("INVOICE\nDate: 12/03/2024\nNo.: 4471", "4471"),
        ("FACTURA\nNº: 2024/117\nFecha: 12/03/2024", "2024/117"),
        ("Invoice Details\nNumber: 2024-117\nDate: 12/03/2024", "2024-117"),
        ("Invoice No: INV 4471", "INV 4471"),
    ],
)
def test_labels_and_titles(lines: str, expected: str) -> None:
    assert text_number(HEAD + lines + "\n" + TAIL) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("Order No.: 55123\nCustomer No.: 88231\nInvoice No.: 2024-301", "2024-301"),
        ("Order number: 4471\nInvoice number: 2291", "2291"),
        ("Customer ID: 7781   Invoice #: 5523", "5523"),
        ("VAT No.: GB123456789\nInvoice No 4471", "4471"),
        ("PO Number: PO-7781\nInvoice Number: 10442\nAccount No.: 00123456", "10442"),
        ("Kundennummer: K-4471\nRechnungsnummer: RE-10023\nSeite 1/2", "RE-10023"),
        ("Klantnummer: 77812\nFactuurnummer: 2024-0915\nBTW-nummer: NL123456789B01", "2024-0915"),
        ("Your reference: PO 7781\nOur reference: 2024-17\nInvoice no.: 9921", "9921"),
        ("Tel: 0113 496 0000\nInvoice number: A77/2024", "A77/2024"),
        ("Delivery note no.: DN-4410\nInvoice no.: IN-4411", "IN-4411"),
        ("Page 1/2\nInvoice date: 12/03/2024\nInvoice no.: 30117", "30117"),
        ("Invoice # 000123\nPage 1 of 2", "000123"),
        ("Invoice No. 4471   Date 12/03/2024", "4471"),
        ("Invoice no./date: 4471 / 12.03.2024", "4471"),
    ],
)
def test_other_numbers_beside_it(lines: str, expected: str) -> None:
    assert text_number(HEAD + lines + "\n" + TAIL) == expected


def test_label_above_its_value(tmp_path: Path) -> None:
    placed = [
        (40, 60, "Corvid Print Works", 16),
        (40, 80, "14 Mill Lane, Leeds LS1 4AB", 9),
        (40, 140, "Invoice Number", 9),
        (200, 140, "Invoice Date", 9),
        (360, 140, "Customer No.", 9),
        (40, 154, "INV-88213", 10),
        (200, 154, "12/03/2024", 10),
        (360, 154, "C-2291", 10),
        (40, 220, "Total due", 10),
        (360, 220, "96.00", 10),
    ]
    assert pdf_number(tmp_path, placed) == "INV-88213"


def test_header_row_of_a_box_with_other_numbers_first(tmp_path: Path) -> None:
    placed = [
        (40, 60, "Corvid Print Works", 16),
        (40, 80, "14 Mill Lane, Leeds LS1 4AB", 9),
        (40, 140, "Order No.", 9),
        (160, 140, "Customer No.", 9),
        (280, 140, "Invoice No.", 9),
        (400, 140, "Date", 9),
        (40, 154, "55123", 10),
        (160, 154, "88231", 10),
        (280, 154, "2024-301", 10),
        (400, 154, "12/03/2024", 10),
        (40, 220, "Total due", 10),
        (400, 220, "96.00", 10),
    ]
    assert pdf_number(tmp_path, placed) == "2024-301"


def test_label_beside_its_value_in_a_right_hand_block(tmp_path: Path) -> None:
    placed = [
        (40, 60, "Corvid Print Works", 16),
        (40, 80, "PO Box 1234", 9),
        (40, 92, "Leeds LS1 4AB", 9),
        (330, 60, "INVOICE", 18),
        (330, 100, "Invoice no.", 9),
        (430, 100, "7781-A", 9),
        (330, 112, "Date", 9),
        (430, 112, "12/03/2024", 9),
        (330, 124, "Order no.", 9),
        (430, 124, "PO-5521", 9),
        (40, 220, "Total due", 10),
        (430, 220, "96.00", 10),
    ]
    assert pdf_number(tmp_path, placed) == "7781-A"


def test_invoice_number_label_on_two_lines(tmp_path: Path) -> None:
    placed = [
        (40, 60, "Corvid Print Works", 16),
        (40, 80, "14 Mill Lane, Leeds LS1 4AB", 9),
        (330, 100, "Invoice", 9),
        (330, 111, "Number", 9),
        (430, 100, "2024-0042", 9),
        (330, 130, "Date", 9),
        (430, 130, "12/03/2024", 9),
        (40, 220, "Total due", 10),
        (430, 220, "96.00", 10),
    ]
    assert pdf_number(tmp_path, placed) == "2024-0042"


def test_title_line_in_large_type(tmp_path: Path) -> None:
    placed = [
        (40, 60, "Corvid Print Works", 12),
        (40, 74, "14 Mill Lane, Leeds LS1 4AB", 9),
        (40, 120, "INVOICE 2024-117", 20),
        (40, 150, "Date: 12/03/2024", 9),
        (40, 164, "Order no.: 5521", 9),
        (40, 220, "Total due", 10),
        (430, 220, "96.00", 10),
    ]
    assert pdf_number(tmp_path, placed) == "2024-117"


def test_credit_note_number() -> None:
    text = HEAD + "CREDIT NOTE\nCredit note no.: CN-2024-007\nOriginal invoice: INV-2024-0042\n"
    assert text_number(text, CREDIT_NOTE) == "CN-2024-007"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("Receipt #: 000482", "000482"),
        ("Receipt No. R-20931\nTable 4   Covers 2", "R-20931"),
        ("Quittung Nr. 4471\nKasse 2   Bediener 5", "4471"),
        ("Ticket n° 004471\nCaisse 02", "004471"),
        ("Bonnummer 88123\nKassa 3", "88123"),
        ("RECEIPT 112093\n12/03/2024 14:02", "112093"),
        ("Rcpt#: 12345", "12345"),
        ("Rcpt No. 12345", "12345"),
        ("Receipt No.: 0001-0234", "0001-0234"),
        ("Kassenbon-Nr. 4471", "4471"),
        ("N° ticket : 12", "12"),
        ("Nº de ticket: 4471", "4471"),
        ("Ricevuta n. 4471", "4471"),
        ("Scontrino n. 4471", "4471"),
        ("Bon nr. 4471", "4471"),
        ("Bonnr: 4471", "4471"),
        ("Belegnummer 4471", "4471"),
        ("Recibo nº 4471", "4471"),
        ("Receipt Number\n4471", "4471"),
        ("Receipt ID: A7-4471", "A7-4471"),
        ("Store 12  Register 3  Receipt 4471", "4471"),
        ("Tel 0113 496 0000\nReceipt 4471", "4471"),
    ],
)
def test_receipt_numbers(lines: str, expected: str) -> None:
    text = "CAFE ALBA\n22 High St\n\n" + lines + "\nLatte   3.20\nTOTAL   3.20\n"
    assert text_number(text, RECEIPT) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("Invoice No.\tDate\tCustomer\n2024-301\t12/03/2024\tC-2291", "2024-301"),
        ("Invoice Number   Invoice Date   Due Date\n88213   12/03/2024   11/04/2024", "88213"),
        ("Invoice number:\n2024-0042", "2024-0042"),
        ("RECHNUNG\nNummer: 2024-117\nDatum: 12.03.2024", "2024-117"),
        ("FACTURE\nNuméro : 2024-117", "2024-117"),
    ],
)
def test_header_rows_and_values_under_labels_in_text(lines: str, expected: str) -> None:
    assert text_number(HEAD + lines + "\n" + TAIL) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("Factura nº 2024/0193", "2024/0193"),
        ("N.º de factura: 0193", "0193"),
        ("Numero fattura: 45/B", "45/B"),
        ("Fattura N. 45/B del 12/03/2024", "45/B"),
        ("Factuurnr.: F2024.117", "F2024.117"),
        ("Fact. n° 2024-117", "2024-117"),
        ("Rg.-Nr. 2024-117", "2024-117"),
        ("Nr. faktury: FV/2024/117", "FV/2024/117"),
        ("Inv. No.: 5521", "5521"),
        ("INVOICE NO. : 88-1123", "88-1123"),
        ("Proforma Invoice No. PF-22", "PF-22"),
        ("Invoice reference: AB-2024-117", "AB-2024-117"),
        ("Our invoice no. 2024-117", "2024-117"),
        ("Invoice Number: 1234 5678", "1234 5678"),
        ("Factuur 2024-117\nDatum: 12-03-2024", "2024-117"),
        ("Rechnung 2024-117 vom 12.03.2024", "2024-117"),
        ("Facture 2024-117 du 12/03/2024", "2024-117"),
    ],
)
def test_abbreviated_and_translated_labels(lines: str, expected: str) -> None:
    assert text_number(HEAD + lines + "\n" + TAIL) == expected


def test_a_reference_that_names_no_document_is_not_the_number() -> None:
    text = HEAD + "Your reference: PO 7781\n" + TAIL
    assert text_number(text) is None


LETTERHEAD: list[Placed] = [
    (40, 50, "Corvid Print Works", 14),
    (40, 66, "14 Mill Lane, Leeds LS1 4AB", 9),
]
TOTAL_ROW: list[Placed] = [(40, 300, "Total due", 10), (480, 300, "96.00", 10)]


@pytest.mark.parametrize(
    ("placed", "expected"),
    [
        ([(40, 120, "Customer No. 5521", 9), (330, 120, "Invoice No. 1093", 9)], "1093"),
        ([(40, 120, "Customer No.: 5521", 9), (330, 120, "Invoice No.: 1093", 9)], "1093"),
        (
            [
                *((330, 110 + 12 * i, label, 9) for i, label in enumerate(["Date:", "Order No.:"])),
                (420, 110, "12/03/2024", 9),
                (420, 122, "PO-5521", 9),
                (330, 134, "Invoice No.:", 9),
                (420, 134, "INV-1093", 9),
            ],
            "INV-1093",
        ),
        (
            [
                (40, 110, "Bill to:", 9),
                (40, 122, "Greenfield School", 9),
                (330, 110, "Invoice #", 9),
                (420, 110, "1093", 9),
                (330, 122, "Account", 9),
                (420, 122, "AC-7781", 9),
            ],
            "1093",
        ),
        (
            [
                *((x, 120, t, 8) for x, t in [(40, "Invoice"), (110, "Date"), (180, "Customer")]),
                (260, 120, "PO Number", 8),
                (360, 120, "Page", 8),
                *((x, 134, t, 9) for x, t in [(40, "88213"), (110, "12/03/2024")]),
                *((x, 134, t, 9) for x, t in [(180, "C-2291"), (260, "PO-7781"), (360, "1/2")]),
            ],
            "88213",
        ),
        ([(380, 50, "INVOICE", 22), (380, 74, "# INV-00417", 10)], "INV-00417"),
        ([(330, 50, "Invoice INV-0093", 18)], "INV-0093"),
        (
            [
                (40, 120, "Rechnung", 16),
                (40, 150, "Kunden-Nr.", 9),
                (140, 150, "K-10293", 9),
                (40, 162, "Rechnungs-Nr.", 9),
                (140, 162, "2024-0117", 9),
            ],
            "2024-0117",
        ),
        (
            [(40, 120, "FACTURE", 16), (330, 120, "N°", 9), (360, 120, "F-2024-117", 9)],
            "F-2024-117",
        ),
        (
            [
                *((x, 120, t, 8) for x, t in [(40, "Delivery Note"), (200, "Invoice Number")]),
                (360, 120, "Invoice Date", 8),
                *((x, 132, t, 9) for x, t in [(40, "DN-4410"), (200, "IN-4411")]),
                (360, 132, "12/03/2024", 9),
            ],
            "IN-4411",
        ),
    ],
)
def test_pdf_layouts(tmp_path: Path, placed: list[Placed], expected: str) -> None:
    assert pdf_number(tmp_path, [*LETTERHEAD, *placed, *TOTAL_ROW]) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [  # as OCR gives a scan's lines: cells apart by tabs, some merged, a title in a cell
        (
            "Invoice\tDate\tCustomer\tPO Number\tPage\n88213\t12/03/2024 C-2291\tPO-7781\t1/2",
            "88213",
        ),
        ("Corvid Print Works\tInvoice INV-0093", "INV-0093"),
        ("Bill to\tRechnung Nr. 2024/117", "2024/117"),
    ],
)
def test_scanned_lines(lines: str, expected: str) -> None:
    assert text_number(lines + "\n" + TAIL) == expected


@pytest.mark.parametrize("value", ["DE21AEUDE123456", "FR2024001234", "NL2024000117", "GB2024117"])
def test_codes_shaped_like_an_iban_or_a_vat_id_but_not_one(value: str) -> None:
    """An IBAN must pass its mod-97 check and a VAT id must have its country's length."""
    assert text_number(HEAD + f"Invoice Number: {value}\nVAT No.: GB123456789\n" + TAIL) == value


@pytest.mark.parametrize(
    "value", ["GB29 NWBK 6016 1331 9268 19", "FR7630006000011234567890189", "NL123456789B01"]
)
def test_a_real_iban_or_vat_id_is_still_refused(value: str) -> None:
    assert text_number(HEAD + f"No.: {value}\n" + TAIL) is None


def test_values_over_their_captions(tmp_path: Path) -> None:
    placed: list[Placed] = [
        (40, 120, "2024-117", 12),
        (200, 120, "12/03/2024", 12),
        (360, 120, "C-2291", 12),
        (40, 134, "Invoice number", 7),
        (200, 134, "Date of issue", 7),
        (360, 134, "Customer ID", 7),
    ]
    assert pdf_number(tmp_path, [*LETTERHEAD, *placed, *TOTAL_ROW]) == "2024-117"


def test_values_under_a_header_row_are_not_read_as_over_the_next_row() -> None:
    text = HEAD + "Invoice No.\tCustomer ID\n2024-301\tC-2291\nOrder No.\tCustomer No.\n" + TAIL
    assert text_number(text) == "2024-301"
