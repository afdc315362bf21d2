"""Receipts and reports in more shapes: receipt-number labels in more languages and as OCR
misreads them, shop addresses without a street word or with a postcode format of another
country, a date whose dot OCR read as a colon, and a lab report numbered by its request.
Written from how such documents look, with invented shops."""

from __future__ import annotations

from typing import Any

import pytest
from placed_docs import text_field
from test_extract_document_kinds import PAYSLIP

from reams.processors.extract.dates import find_dates

RECEIPT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "company": {
            "type": "string",
            "description": "The shop or company that issued the receipt.",
        },
        "date": {"type": "string", "format": "date", "description": "The date of the purchase."},
        "address": {"type": "string", "description": "The address of the shop or company."},
        "total": {"type": "number", "description": "The total amount paid."},
        "receipt_number": {
            "type": "string",
            "description": "The number of the receipt, order or transaction.",
        },
    },
}
REPORT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "report_id": {"type": "string", "description": "The identifier of the report."},
    },
}
TAIL = "\nDate: 03/12/2024 10:22\nLatte 4.50\nTotal 4.50\nThank you!\n"


@pytest.mark.parametrize(
    "label",
    [
        "Tx: 4521",
        "Factura simplificada Nº 4521",
        "Kvitto nr 4521",
        "Kvitteringsnr. 4521",
        "Numer paragonu: 4521",
        "Tiquet 4521",
        "N` 'Op..\t4521",  # "Nº Op." as OCR reads it
        "TRAN# 4521",
        "TA-Nr. 4521",
        "Sale # 4521",
        "Chk# 4521",
        "Transaction 4521",
        "Transactie 4521",
        "Documento commerciale n. 4521",
        "Kassenbeleg Nr. 4521",
    ],
)
def test_receipt_number_labels(label: str) -> None:
    text = "CAFE LUNA\n12 Main Street\nSpringfield, IL 62701\n" + label + TAIL
    assert text_field(text, RECEIPT, "receipt_number") == "4521"


@pytest.mark.parametrize(
    ("head", "address"),
    [
        ("1200 Broadway\nNew York, NY 10001", "1200 Broadway, New York, NY 10001"),
        ("Markt 12\n1012 AB Amsterdam", "Markt 12, 1012 AB Amsterdam"),
        ("Shop 4, 22 George St\nSydney NSW 2000", "Shop 4, 22 George St, Sydney NSW 2000"),
        ("Unit 3, Riverside Park\nLeeds LS1 4AB", "Unit 3, Riverside Park, Leeds LS1 4AB"),
        ("123 Queen St W\nToronto ON M5H 2M9", "123 Queen St W, Toronto ON M5H 2M9"),
        ("Av. da Liberdade 110\n1250-146 Lisboa", "Av. da Liberdade 110, 1250-146 Lisboa"),
        ("ul. Marszałkowska 10\n00-590 Warszawa", "ul. Marszałkowska 10, 00-590 Warszawa"),
        ("172 bd Saint-Germain\n75006 Paris", "172 bd Saint-Germain, 75006 Paris"),
        ("Corso Buenos Aires 33\n20124 Milano (MI)", "Corso Buenos Aires 33, 20124 Milano (MI)"),
        ("Drottninggatan 12\n111 51 Stockholm", "Drottninggatan 12, 111 51 Stockholm"),
    ],
)
def test_shop_addresses(head: str, address: str) -> None:
    text = "CAFE LUNA\n" + head + "\nReceipt No: 4521" + TAIL
    assert text_field(text, RECEIPT, "address") == address
    assert text_field(text, RECEIPT, "company") == "CAFE LUNA"


def test_a_house_number_line_is_not_an_address_everywhere() -> None:
    """A line of words and a number is a street only over a postcode line: a receipt's item
    line ("Latte 4") under the shop's address is not part of it."""
    text = "CAFE LUNA\n12 Main Street\nSpringfield, IL 62701\nLatte 4\nTotal 4.50\n"
    assert text_field(text, RECEIPT, "address") == "12 Main Street, Springfield, IL 62701"


def test_a_date_whose_dot_ocr_read_as_a_colon() -> None:
    assert [d.iso for d in find_dates("04.02:2022 11:09:35 Kasse 12", dayfirst=True)] == [
        "2022-02-04"
    ]
    assert [d.iso for d in find_dates("04:02.2022", dayfirst=True)] == ["2022-02-04"]
    assert find_dates("11:09:35") == []


@pytest.mark.parametrize("label", ["Nº de petición", "Request No.", "Sample ID"])
def test_a_lab_report_numbered_by_its_request(label: str) -> None:
    text = (
        "Laboratorio Sánchez\nINFORME DE LABORATORIO\n"
        f"Nombre del paciente\t{label}\nPaula Ibáñez\t25362498\n"
        "Test\tResult\tUnit\nGlucose\t4.0\tmmol/L\n"
    )
    assert text_field(text, REPORT, "report_id") == "25362498"


def test_a_payslip_addressed_to_herrn() -> None:
    text = (
        "Krüger Malerbetrieb\nHauptstraße 1\n10115 Berlin\n\nHerrn Felix Köhler\n"
        "Bahnhofstr. 16\n80331 München\n\nGehaltsabrechnung Oktober 2023\nBrutto\t3.000,00\n"
        "Überweisungsbetrag\t2.100,00\n"
    )
    assert text_field(text, PAYSLIP, "employee") == "Felix Köhler"
    assert text_field(text, PAYSLIP, "net_pay") == 2100.0


def test_a_receipt_number_with_a_leading_double_zero_is_no_telephone() -> None:
    """An international "00" prefix makes a telephone number only with ten digits or more."""
    text = "CAFE LUNA\n12 Main Street\nSpringfield, IL 62701\nTicket 0021-4521" + TAIL
    assert text_field(text, RECEIPT, "receipt_number") == "0021-4521"
    phone = "CAFE LUNA\n12 Main Street\nSpringfield, IL 62701\nTicket 0049 89 123456" + TAIL
    assert text_field(phone, RECEIPT, "receipt_number") is None


def test_a_contracts_clause_words_keep_their_plain_stems() -> None:
    """ "Payment" and "paid" read as "pay" only in labels ("Payment date"): a clause field's
    description ("minimum payment") keeps the stems its sentences are read by."""
    from reams.processors.extract.labels import label_words
    from reams.processors.extract.text import content_stems

    assert content_stems("minimum payment") == ["minim", "payme"]
    assert label_words("Payment date") == label_words("Paid on date") == {"pay", "dat"}


@pytest.mark.parametrize(
    ("head", "company", "address"),
    [
        (
            "PHARMACIE DU CENTRE\nM. Dupont, Pharmacien\n12 place de la Mairie\n69001 Lyon",
            "PHARMACIE DU CENTRE",
            "12 place de la Mairie, 69001 Lyon",
        ),
        (
            "FARMACIA SAN JUAN\nLda. María López\nC/ Mayor, 5\n28013 Madrid",
            "FARMACIA SAN JUAN",
            "C/ Mayor, 5, 28013 Madrid",
        ),
        ("Tesco Stores Ltd\nExtra\nPeel Road\nBristol BS1 4DJ", "Tesco Stores Ltd", None),
        ("CHEVRON #4521\n123 Main St\nSpringfield IL 62701", "CHEVRON", None),
    ],
)
def test_a_shops_owner_or_branch_line_and_store_number(
    head: str, company: str, address: str | None
) -> None:
    """A short owner or branch line between a shop's name and its address is passed over, and
    a store number after the name is not part of it."""
    text = head + "\nBon-Nr. 4521\nDatum: 03.12.2024 10:22\nAspirin 4,50\nSumme 4,50\n"
    expected = address or ", ".join(head.split("\n")[-2:])
    assert text_field(text, RECEIPT, "company") == company
    assert text_field(text, RECEIPT, "address") == expected


def test_a_label_word_ocr_dropped_a_letter_of() -> None:
    """OCR drops a letter inside a label word ("Recnung Nr." for "Rechnung Nr."): it still
    reads as the word it stands for, but an English word is never made of a foreign one by
    dropping its last letter ("Command" is not "commande")."""
    from reams.processors.extract.text import content_stems

    assert content_stems("Recnung Nr.") == content_stems("Rechnung Nr.")
    assert content_stems("Command") == ["comma"]
    assert content_stems("Import duty") == ["impor", "duty"]


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        (
            "NAHKAUF\nNahkauf Meier\nMarktplatz 34\n24103 Kiel\nSUMME EUR 38,64\n"
            "17.08.2023 08:35 Bon-Nr.:1914\n",
            "receipt_number",
            "1914",
        ),
        (
            "PETROLIA\nRelais Saint-Jean\nSARL Garage Blanc\nRN 7\n87000 Limoges\n"
            "TICKET N° 232632\nTOTAL TTC\t99,28\n",
            "address",
            "RN 7, 87000 Limoges",
        ),
        (
            "ESSENCIA\nEstación Los Pinos\nCtra. N-340, km 12\n11201 Algeciras\nTOTAL\t63,23\n",
            "address",
            "Ctra. N-340, km 12, 11201 Algeciras",
        ),
        (
            "JUNIPER TABLE KITCHEN\n292 Queen St W\nToronto, ON M5H 2N2\n(282) 257-9415\n"
            "Server: Marco\tTable 30\nCheck #33822\tGuests: 4\nTotal Due\t$221.28\n",
            "company",
            "JUNIPER TABLE KITCHEN",
        ),
    ],
)
def test_till_and_station_receipts(text: str, field: str, expected: str) -> None:
    """A code glued to its label's colon ("Bon-Nr.:1914"), a station's address on a road
    without a house number under two subtitle lines, a restaurant whose name holds "Table"
    (only "Table 30" is a role) and whose "Check #33822" is no shop name."""
    assert text_field(text, RECEIPT, field) == expected


def test_singapore_unit_line_and_a_names_own_article() -> None:
    text = (
        "THE KOPI CORNER PTE LTD\nBLK 408 ANG MO KIO AVE 4\n#01-7229\nSINGAPORE 314777\n"
        "Receipt No: INV-50985\nTOTAL\t100.69\n"
    )
    assert text_field(text, RECEIPT, "address") == (
        "BLK 408 ANG MO KIO AVE 4, #01-7229, SINGAPORE 314777"
    )
    assert text_field(text, RECEIPT, "company") == "THE KOPI CORNER PTE LTD"


@pytest.mark.parametrize(
    "evidence",
    [
        "All amounts are in Canadian dollars.",
        "GST/HST No. 819822554 RT0001",
        "Kelowna, BC V1Y 6H2",
        "TPS 123456789 RT0001 TVQ 1234567890 TQ0001",
    ],
)
def test_a_dollar_sign_on_a_canadian_invoice(evidence: str) -> None:
    from placed_docs import INVOICE

    schema = {"type": "object", "properties": {"currency": {"type": "string"}}}
    text = f"Prairie Sky Electric\nINVOICE\nInvoice No. 7057\n{evidence}\nTotal Due\t$7,044.97\n"
    assert text_field(text, schema, "currency") == "CAD"
    assert INVOICE


def test_ocr_capital_i_for_a_legal_forms_l() -> None:
    from placed_docs import INVOICE

    text = "Informatique Bouchard Itée\n12 rue X\nINVOICE\nInvoice No. 7057\nTotal\t$10.00\n"
    assert text_field(text, INVOICE, "vendor") == "Informatique Bouchard ltée"


def test_the_total_after_a_tip_on_the_card_slip() -> None:
    """The check's TOTAL, then the card slip's Amount / Tip / Total: what was paid is the
    total after the tip; a slip left blank keeps the check's total."""
    check = (
        "MAPLE & RYE KITCHEN\n262 Harbor Blvd\nSavannah, GA 31401\nSubtotal\t125.04\n"
        "Sales Tax\t10.32\nTOTAL\t$135.36\n-- CUSTOMER COPY --\nAmount:\t$135.36\n"
    )
    assert text_field(check + "Tip:\t$20.30\nTotal:\t$155.66\n", RECEIPT, "total") == 155.66
    assert text_field(check + "Tip:\nTotal:\n", RECEIPT, "total") == 135.36
