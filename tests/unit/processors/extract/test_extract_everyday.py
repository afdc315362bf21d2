"""The everyday-document recognisers (issuer, address, totals, numbers, dates, currency) on
generated invoices, receipts, orders and payslips in several languages, parsed by the real
parser. Schemas use plain English descriptions with no label lists: the labels of other
languages must be understood by the engine itself."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from reams import processors
from reams.processors.extract.everyday import day_first
from reams.processors.extract.numbers import currency_codes, find_amounts
from reams.processors.extract.offline import extract_offline
from reams.processors.extract.text import content_stems

INVOICE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string", "description": "The number of the invoice."},
        "invoice_date": {"type": "string", "format": "date", "description": "Date of issue."},
        "total": {"type": "number", "description": "The total amount to pay, taxes included."},
        "subtotal": {"type": "number", "description": "The total before taxes."},
        "vendor": {"type": "string", "description": "The company that issued the invoice."},
        "currency": {"type": "string", "description": "The ISO 4217 code of the currency."},
    },
}
RECEIPT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "company": {"type": "string", "description": "The shop that issued the receipt."},
        "date": {"type": "string", "format": "date", "description": "The date of the purchase."},
        "address": {"type": "string", "description": "The address of the shop."},
        "total": {"type": "number", "description": "The total amount paid."},
    },
}


def text_doc(text: str, name: str = "doc.txt") -> dict[str, Any]:
    return processors.run("parse", text.encode(), name, {})


def pdf_doc(
    tmp_path: Path, rows: Sequence[tuple[str, str | None]], *, big_first: bool = True
) -> dict[str, Any]:
    """A one-page PDF: each row a label at the left margin and an optional value at the right
    (the layout of most invoices and receipts); the first line in large bold type."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "doc.pdf"
    canvas = Canvas(str(path), (420, 620), invariant=1)
    y = 580.0
    for index, (left, right) in enumerate(rows):
        large = big_first and index == 0
        canvas.setFont("Helvetica-Bold" if large else "Helvetica", 16 if large else 10)
        canvas.drawString(40, y, left)
        if right:
            canvas.drawRightString(380, y, right)
        y -= 24 if large else 16
    canvas.showPage()
    canvas.save()
    return processors.run("parse", path.read_bytes(), path.name, {})


def extract(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    result = extract_offline(doc, schema).result
    assert isinstance(result, dict)
    return result


# ---------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("label", "meaning"),
    [
        ("Factuurnummer", ["invoi", "numbe"]),
        ("Rechnungsnr.", ["invoi", "numbe"]),
        ("N° facture", ["numbe", "invoi"]),
        ("Numéro de facture", ["numbe", "invoi"]),
        ("Número de factura", ["numbe", "invoi"]),
        ("Factuurdatum", ["invoi", "dat"]),
        ("Rechnungsdatum", ["invoi", "dat"]),
        ("Bestelldatum", ["order", "dat"]),
        ("Invoice No.", ["invoi", "numbe"]),
    ],
)
def test_labels_of_other_languages_mean_the_english_words(label: str, meaning: list[str]) -> None:
    assert content_stems(label) == meaning


def test_dutch_invoice_number_date_total_and_vendor() -> None:
    doc = text_doc(
        "Bakkerij de Molen B.V.\nKerkstraat 12\n3512 AB Utrecht\n\n"
        "FACTUUR\n\nFactuurnummer: 2024-0915\nFactuurdatum: 05-03-2024\n"
        "Klantnummer: 77812\n\nArtikel   Aantal   Prijs\nBrood   2   € 3,50\n\n"
        "Subtotaal excl. BTW   € 100,00\nBTW 21%   € 21,00\nTotaal incl. BTW   € 121,00\n",
        "factuur.txt",
    )
    result = extract(doc, INVOICE)
    assert result["invoice_number"] == "2024-0915"
    assert result["invoice_date"] == "2024-03-05"  # day first: a Dutch, euro invoice
    assert result["total"] == 121.0
    assert result["subtotal"] == 100.0
    assert result["vendor"] == "Bakkerij de Molen B.V."
    assert result["currency"] == "EUR"


def test_german_invoice_pdf_with_values_right_of_their_labels(tmp_path: Path) -> None:
    doc = pdf_doc(
        tmp_path,
        [
            ("Initech GmbH", None),
            ("Hauptstrasse 5", None),
            ("10115 Berlin", None),
            ("Rechnungsnr.:", "R-2024-77"),
            ("Rechnungsdatum:", "07.03.2024"),
            ("Zwischensumme", "100,00 €"),
            ("MwSt 19%", "19,00 €"),
            ("Gesamtbetrag", "119,00 €"),
        ],
    )
    result = extract(doc, INVOICE)
    assert result["invoice_number"] == "R-2024-77"
    assert result["invoice_date"] == "2024-03-07"
    assert result["total"] == 119.0
    assert result["subtotal"] == 100.0
    assert result["vendor"] == "Initech GmbH"


def test_french_invoice_number_without_colon_and_total_ttc_over_total_ht() -> None:
    doc = text_doc(
        "Dupont Plomberie SARL\n4 rue des Lilas\n69003 Lyon\n\n"
        "Facture n°F-889 du 12/04/2024\n\n"
        "Total HT : 50,00 €\nTVA 20% : 10,00 €\nTotal TTC : 60,00 €\n",
        "facture.txt",
    )
    result = extract(doc, INVOICE)
    assert result["invoice_number"] == "F-889"
    assert result["invoice_date"] == "2024-04-12"
    assert result["total"] == 60.0
    assert result["subtotal"] == 50.0
    assert result["vendor"] == "Dupont Plomberie SARL"


def test_spanish_invoice_number_and_day_first_date() -> None:
    doc = text_doc(
        "Talleres Ruiz S.L.\nCalle Mayor 3\n28013 Madrid\n\n"
        "Número de factura: A-123\nFecha: 03/02/2024\n\nImporte total: 242,00 €\n",
        "factura.txt",
    )
    result = extract(doc, INVOICE)
    assert result["invoice_number"] == "A-123"
    assert result["invoice_date"] == "2024-02-03"
    assert result["total"] == 242.0
    assert result["vendor"] == "Talleres Ruiz S.L."


# ---------------------------------------------------------------------------- totals


def test_total_is_not_a_points_or_quantity_line() -> None:
    doc = text_doc(
        "TECHSTORE\n100 Main Street\nSpringfield, IL 62701\n\n"
        "Cable   2 @ $5.00   $10.00\nTotal | 1\nSUBTOTAL $863.91\nSales Tax $66.23\n"
        "TOTAL $930.14\n\nREWARDS\nTotal Points: 3,247\nTotal items: 5\n",
        "receipt.txt",
    )
    assert extract(doc, RECEIPT)["total"] == 930.14


def test_grand_total_in_rupees_and_total_row_with_a_quantity() -> None:
    doc = text_doc(
        "Product   Qty   Price   Total\nTotal   1   278.61   40.39   319.00\nGrand Total Rs 1939\n",
        "bill.txt",
    )
    schema = {"type": "object", "properties": {"total": {"type": "number"}}}
    assert extract(doc, schema)["total"] == 1939.0


def test_total_confirmed_by_subtotal_plus_tax() -> None:
    doc = text_doc(
        "Subtotal $ 112.00\nSubtotal $ 262.90\nTax 15% on $ 112.90 $ 16.94\n"
        "Total $ 279.84\nTotal deposit $ 500.00\n",
        "invoice.txt",
    )
    result = extract(doc, INVOICE)
    assert result["total"] == 279.84
    assert result["subtotal"] == 262.90


def test_total_label_on_the_line_above_its_amount() -> None:
    doc = text_doc("KEDAI RUNCIT ABC\n\nQTY 2\nTOTAL\n12.50\nCASH\n20.00\n", "receipt.txt")
    assert extract(doc, RECEIPT)["total"] == 12.5


# ---------------------------------------------------------------------------- receipts


def test_receipt_company_address_day_first_date_and_total(tmp_path: Path) -> None:
    doc = pdf_doc(
        tmp_path,
        [
            ("TOKO MAJU SDN BHD", None),
            ("(123456-X)", None),
            ("NO 5, JALAN BESAR 3,", None),
            ("TAMAN MELATI,", None),
            ("53100 KUALA LUMPUR.", None),
            ("TEL: 03-1234567", None),
            ("DATE: 06/03/2018 10:22", None),
            ("TOTAL QTY:", "3"),
            ("TOTAL:", "RM 12.50"),
            ("CASH", "20.00"),
            ("CHANGE", "7.50"),
        ],
    )
    result = extract(doc, RECEIPT)
    assert result["company"] == "TOKO MAJU SDN BHD"
    assert result["date"] == "2018-03-06"  # a Malaysian receipt: day first, time dropped
    assert result["total"] == 12.5
    assert result["address"] == "NO 5, JALAN BESAR 3, TAMAN MELATI, 53100 KUALA LUMPUR."


def test_us_receipt_reads_month_first() -> None:
    doc = text_doc(
        "CORNER DELI\n12 Elm St\nBoston, MA 02108\n06/03/2018 14:32\nTOTAL $8.50\n",
        "receipt.txt",
    )
    result = extract(doc, RECEIPT)
    assert result["date"] == "2018-06-03"
    assert result["company"] == "CORNER DELI"
    assert result["address"] == "12 Elm St, Boston, MA 02108"


# ---------------------------------------------------------------------------- issuer


def test_issuer_is_not_the_bill_to_company() -> None:
    doc = text_doc(
        "INVOICE\nBill To:\nGlobex Ltd\n1 Side Road\n\nFrom: Initech Inc.\n"
        "Invoice #: 5521\nTotal: $40.00\n",
        "invoice.txt",
    )
    assert extract(doc, INVOICE)["vendor"] == "Initech Inc."


def test_issuer_from_a_legal_notice_in_the_footer() -> None:
    doc = text_doc(
        "DUPONT JEAN\n8 avenue Foch\n75008 Paris\n\nFacture n° 2024-11\nDate : 02/05/2024\n"
        "Total TTC : 30,00 €\n\nMAISONCLAIRE\nSiège social : 3 rue Nationale 59000 Lille\n"
        "SAS au capital de 10 000 € - RCS Lille\nTitulaire du compte : MAISONCLAIRE\n",
        "facture.txt",
    )
    assert extract(doc, INVOICE)["vendor"] == "MAISONCLAIRE"


def test_purchase_order_and_payslip_use_the_same_recognisers() -> None:
    order = text_doc(
        "Northwind Traders Ltd\n22 Dock Road\nLiverpool L3 4AA\n\nPURCHASE ORDER\n"
        "PO Number: PO-7781\nOrder Date: 14/05/2024\n\nTotal amount: £1,250.00\n",
        "po.txt",
    )
    schema = {
        "type": "object",
        "properties": {
            "po_number": {"type": "string", "description": "The purchase order number."},
            "order_date": {"type": "string", "format": "date"},
            "supplier": {"type": "string", "description": "Who the order comes from."},
            "total": {"type": "number"},
            "currency": {"type": "string"},
        },
    }
    assert extract(order, schema) == {
        "po_number": "PO-7781",
        "order_date": "2024-05-14",
        "supplier": "Northwind Traders Ltd",
        "total": 1250.0,
        "currency": "GBP",
    }
    payslip = text_doc(
        "Acme Widgets Pty Ltd\nPAYSLIP\nEmployee: J. Smith\nPay date: 28/06/2024\n"
        "Gross pay: $5,000.00\nTax withheld: $1,100.00\nNet pay: $3,900.00\n",
        "payslip.txt",
    )
    schema = {
        "type": "object",
        "properties": {
            "employer": {"type": "string"},
            "net_pay": {"type": "number", "description": "The amount paid after tax."},
        },
    }
    assert extract(payslip, schema) == {"employer": "Acme Widgets Pty Ltd", "net_pay": 3900.0}


# ---------------------------------------------------------------------------- currency, day order


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("All charges and prices are in US Dollars", "USD"),
        ("Amount: $4.11", "USD"),
        ("Grand Total Rs 1939", "INR"),
        ("TOTAL (RM): 9.00", "MYR"),
        ("Totaal € 49,99", "EUR"),
        ("316,83 PLN", "PLN"),
        ("paid in Canadian dollars", "CAD"),
    ],
)
def test_currency_from_symbols_codes_and_words(text: str, code: str) -> None:
    assert currency_codes(text)[0] == code


def test_amount_glued_to_its_currency() -> None:
    assert [a.value for a in find_amounts("RM9.00 and EUR12")] == [9.0, 12.0]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Date 06/03/2018 and 13/03/2018", "en", True),  # one date decides the other
        ("Date 06/03/2018 and 03/13/2018", "en", False),
        ("Datum 06/03/2018", "nl", True),
        ("TOKO SDN BHD 06/03/2018 RM 9.00", "en", True),
        ("Boston, MA 02108 06/03/2018 $8.50", "en", False),
        ("06/03/2018", "en", False),
    ],
)
def test_day_order_from_dates_language_currency_and_places(
    text: str, language: str, expected: bool
) -> None:
    assert day_first(text, language) is expected


def test_bad_input_gives_no_value_and_no_crash() -> None:
    for doc in ({}, {"pages": None}, {"pages": [{"text": None}]}, {"pages": ["junk"]}):
        result = extract(doc, INVOICE)
        assert all(value is None for value in result.values())


def test_number_under_the_document_title_and_after_a_hash() -> None:
    doc = text_doc("INVOICE\n# INV-0042\nAcme Ltd\n\nInvoice # 5521-B is void\n", "inv.txt")
    assert extract(doc, INVOICE)["invoice_number"] == "INV-0042"


SHOP_RECEIPTS = [
    (
        "BOOK SHOP .K (TAMAN DAYA) SDN BHD\n789417-W\nNO.5: 55,57 & 59, JALAN SAGU 18,\n"
        "TAMAN DAYA,\n81100 JOHOR BAHRU,\nJOHOR.\nDOCUMENT NO : TD01167104\n"
        "DATE: 25/12/2018 8:13:39 PM\nCASHIER: MANIS\nCASH BILL\nCODE/DESC PRICE DISC AMOUNT\n"
        "1 PC * 9.000 0.00 9.00\nTOTAL:\n9.00\nROUNDING ADJUSTMENT\n0.00\n"
        "ROUND D TOTAL (RM):\n9.00\nCASH\n10.00\nCHANGE\n1.00\n",
        {
            "company": "BOOK SHOP .K (TAMAN DAYA) SDN BHD",
            "date": "2018-12-25",
            "address": "NO.5: 55,57 & 59, JALAN SAGU 18, TAMAN DAYA, 81100 JOHOR BAHRU, JOHOR.",
            "total": 9.0,
        },
    ),
    (
        "UNIKA INTERNATIONAL SDN BHD\n(867388-U)\n12, JALAN TAMPOI 7/4, KAWASAN TAMPOI,\n"
        "81200 JOHOR BAHRU, JOHOR\nGST REG NO : 000656195584\nTAX INVOICE\n"
        "DATE : 05/01/2018 12:57:01\nTOTAL QTY: 1\nTOTAL SALES (EXCLUDING GST) : 7.75\n"
        "TOTAL GST @6% : 0.47\nTOTAL SALES (INCLUSIVE OF GST) : 8.20\nROUNDING : -0.02\n"
        "CASH : 10.00\nCHANGE : 1.80\n",
        {
            "company": "UNIKA INTERNATIONAL SDN BHD",
            "date": "2018-01-05",
            "address": "12, JALAN TAMPOI 7/4, KAWASAN TAMPOI, 81200 JOHOR BAHRU, JOHOR",
            "total": 8.2,
        },
    ),
    (
        "tan chay yee\nSOON HUAT MACHINERY ENTERPRISE\n(JM0352019-K)\nNO.53 JALAN PUTRA 1,\n"
        "TAMAN SRI PUTRA,\n81200 JOHOR BAHRU\nJOHOR\nTEL: 07-5547360\nCASH SALES\n"
        "Date : 06/03/2018\nItem Qty Price Amount\n1 PCS 165.00 165.00\n"
        "Total Amount: 165.00\nPaid Amount 165.00\n",
        {
            "company": "SOON HUAT MACHINERY ENTERPRISE",
            "date": "2018-03-06",
            "address": "NO.53 JALAN PUTRA 1, TAMAN SRI PUTRA, 81200 JOHOR BAHRU, JOHOR",
            "total": 165.0,
        },
    ),
    (
        "Shopmart\nSave money. Live better.\n( 330 ) 339 - 1444\nMANAGER DIANA EARNEST\n"
        "231 BLUEBELL DR SW\nNEW PHILADELPHIA OH 44663\nST# 02115 OP# 009044 TE# 44\n"
        "PET TOY 004747571658 1.97 X\nSUBTOTAL 18.97\nTAX 1 7.000 % 1.33\nTOTAL 20.30\n"
        "CASH TEND 20.30\nCHANGE DUE 0.00\n# ITEMS SOLD 5\n04/07/19 12:59:46\n",
        {
            "company": "Shopmart",
            "date": "2019-04-07",
            "address": "231 BLUEBELL DR SW, NEW PHILADELPHIA OH 44663",
            "total": 20.3,
        },
    ),
]


@pytest.mark.parametrize(("text", "expected"), SHOP_RECEIPTS)
def test_shop_receipts_read_line_by_line(text: str, expected: dict[str, Any]) -> None:
    """Receipts as OCR gives them: one printed line per line, labels above amounts, a
    registration number, slogan or phone between the shop's name and its address."""
    result = extract(text_doc(text, "receipt.txt"), RECEIPT)
    assert {k: result[k] for k in expected} == expected


def test_customer_under_its_label_and_issuer_over_a_tagline() -> None:
    doc = text_doc(
        "ZETA AUTO REPAIR\nCertified Collision Repair\n12 Main Street, Redmond, WA 98052\n\n"
        "Bill To:\nTaylor Riddel\nPO Number: PO-1\nTotal: $10.00\n",
        "estimate.txt",
    )
    schema = {
        "type": "object",
        "properties": {
            "seller": {"type": "string"},
            "customer": {"type": "string"},
            "customer_id": {"type": "string", "description": "The customer's number."},
            "purchase_order": {"type": "string", "description": "The buyer's PO number."},
        },
    }
    result = extract(doc, schema)
    assert result["seller"] == "ZETA AUTO REPAIR"
    assert result["customer"] == "Taylor Riddel"
    assert result.get("customer_id") is None
    assert result["purchase_order"] == "PO-1"


def test_per_page_reads_each_page_on_its_own(tmp_path: Path) -> None:
    from docgen import make_pdf

    path = make_pdf(
        tmp_path / "two.pdf",
        [
            "Alpha Trading Ltd\n\nInvoice No: A-1\n\nTotal: £10.00",
            "Beta Handel GmbH\n\nRechnungsnr.: B-2\n\nGesamtbetrag: 20,00 €",
        ],
    )
    doc = processors.run("parse", path.read_bytes(), path.name, {})
    pages = extract_offline(doc, INVOICE, target="per_page").result
    assert isinstance(pages, list)
    assert [(p["invoice_number"], p["total"], p["vendor"]) for p in pages] == [
        ("A-1", 10.0, "Alpha Trading Ltd"),
        ("B-2", 20.0, "Beta Handel GmbH"),
    ]


def test_addresses_labelled_and_under_a_billing_label() -> None:
    schema = {
        "type": "object",
        "properties": {
            "address": {"type": "string"},
            "billing_address": {"type": "string"},
            "seller": {"type": "string"},
        },
    }
    polish = text_doc(
        "FAKTURA\nSprzedawca: Kowalski Sp. z o.o.\nAdres: Chemików 7 09-411 Płock\n", "f.txt"
    )
    assert extract(polish, schema)["address"] == "Chemików 7 09-411 Płock"
    assert extract(polish, schema)["seller"] == "Kowalski Sp. z o.o."
    english = text_doc(
        "Acme Ltd\n5 High Street\nLeeds LS1 4AP\n\nBilling Address\nJane Doe\n22 Park Lane\n"
        "London W1K 1AA\n",
        "inv.txt",
    )
    result = extract(english, schema)
    assert result["address"] == "5 High Street, Leeds LS1 4AP"
    assert result["billing_address"] == "22 Park Lane, London W1K 1AA"


def test_a_payment_term_in_days_is_not_the_total() -> None:
    text = (
        "Kuipers Kantoorartikelen BV\nFACTUUR 2023-10-811\nBureaustoel      4      2.761,00\n"
        "TOTAAL      EUR 10.564,88\nGelieve te betalen binnen 14 dagen.\n"
    )
    result = extract_offline(text_doc(text), INVOICE).result
    assert isinstance(result, dict) and result["total"] == 10564.88


def test_a_currency_cell_between_the_total_label_and_its_amount() -> None:
    text = "DE GROOT SUPERMARKT\nKAAS      2,42\nTOTAAL      EUR      93,40\nMaestro      93,40\n"
    result = extract_offline(text_doc(text), RECEIPT).result
    assert isinstance(result, dict) and result["total"] == 93.40


ORDER: dict[str, Any] = {
    "type": "object",
    "properties": {
        "seller": {"type": "string", "description": "The company that sells the goods."},
    },
}


@pytest.mark.parametrize(
    ("title", "labels"),
    [("INKOOPORDER", "Leverancier      Leveradres"), ("PURCHASE ORDER", "To      Deliver to")],
)
def test_the_seller_of_a_purchase_order_is_under_the_supplier_label(
    title: str, labels: str
) -> None:
    text = (
        f"Hollander Bouwmaterialen B.V.\nDorpsstraat 59\n2511 BT Den Haag\n{title}\n"
        "Ordernummer      AB2023\n"
        f"{labels}\nKessel Houtbewerking B.V.      Hollander Bouwmaterialen B.V.\n"
        "Kade 4      Dorpsstraat 59\n"
    )
    result = extract_offline(text_doc(text), ORDER).result
    assert isinstance(result, dict) and result["seller"] == "Kessel Houtbewerking B.V."


def test_an_invoice_seller_is_still_its_letterhead() -> None:
    text = (
        "Hollander Bouwmaterialen B.V.\nDorpsstraat 59\n2511 BT Den Haag\nFACTUUR\n"
        "To      Factuurnummer\nKessel Houtbewerking B.V.      F-2023-118\n"
    )
    result = extract_offline(text_doc(text), ORDER).result
    assert isinstance(result, dict) and result["seller"] == "Hollander Bouwmaterialen B.V."


def test_the_total_after_a_rounding_adjustment_is_the_one_paid() -> None:
    text = (
        "KEDAI MAKAN SRI MELATI SDN BHD\nTAX INVOICE\nDate      18/07/2025\n"
        "Total Excl. SST      179.92\nSST @ 6%      10.80\nTotal Incl. SST      190.72\n"
        "Rounding Adj      -0.02\nTOTAL      190.70\nCASH      200.00\nChange due      9.30\n"
    )
    result = extract_offline(text_doc(text), RECEIPT).result
    assert isinstance(result, dict) and result["total"] == 190.70


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("12 de mayo de 2025", "2025-05-12"),
        ("3 de março de 2024", "2024-03-03"),
        ("4 settembre 2023", "2023-09-04"),
    ],
)
def test_dates_with_spanish_portuguese_and_italian_month_names(written: str, iso: str) -> None:
    text = f"Climatización Robles SL\nFACTURA FV 2025/743\nFecha de factura      {written}\n"
    result = extract_offline(text_doc(text), INVOICE).result
    assert isinstance(result, dict) and result["invoice_date"] == iso


def test_a_freelancer_named_in_her_mail_address_is_the_vendor() -> None:
    text = (
        "Eva de Vries      Dorpsstraat 176, 9711 LM Groningen\nVertalingen      +31 2 07 32 20 41\n"
        "eva.devries@outlook.com\nFactuur FAC-432831\nDatum: 19-11-2023\nKlant\n"
        "Meijer Transport V.O.F.\nVertalingen 34 uur      1.530,00\nTotaal      1.530,00\n"
    )
    result = extract_offline(text_doc(text), INVOICE).result
    assert isinstance(result, dict) and result["vendor"] == "Eva de Vries"


CUSTOMER: dict[str, Any] = {
    "type": "object",
    "properties": {"customer": {"type": "string", "description": "The name of the customer."}},
}


def test_a_customer_number_is_not_the_customer() -> None:
    text = "Ellison Consulting\nOrder Confirmation\nCustomer No.:   58452\nTotal   $ 12.00\n"
    result = extract_offline(text_doc(text), CUSTOMER).result
    assert isinstance(result, dict) and result.get("customer") != "58452"


def test_the_customer_of_a_purchase_order_is_its_issuer() -> None:
    text = (
        "Winslow Software LLP\n144 High Street\nEdinburgh EH2 4AD\nPURCHASE ORDER\n"
        "PO Number      AB20252124\nTo      Deliver to\n"
        "Langley & Sutton Limited      Winslow Software LLP\n"
    )
    result = extract_offline(text_doc(text), CUSTOMER).result
    assert isinstance(result, dict) and result["customer"] == "Winslow Software LLP"
