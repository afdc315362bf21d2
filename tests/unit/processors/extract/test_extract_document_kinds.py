"""The same recognisers serve payslips, delivery notes and orders, in several languages: an
employee's name under a label without a colon, the net pay (not the pre-tax total an invoice's
"net" means), the pay date by its labels, a delivery note's number by the labels of packing
slips and dispatch notes, who receives the goods (a ship-to block) against who buys them (a
bill-to or sold-to block), and party blocks printed side by side. Written from how such
documents look, with invented names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from placed_docs import DELIVERY, PAYSLIP, pdf_field, text_field

from reams import processors
from reams.processors.extract.offline import extract_offline

ORDER: dict[str, Any] = {
    "type": "object",
    "properties": {
        "order_number": {"type": "string", "description": "The number of the order."},
        "seller": {
            "type": "string",
            "description": "The company that sells or provides the service.",
        },
        "customer": {"type": "string", "description": "The name of the customer."},
    },
}

# (employer, title, period label, pay date label, person label, person, lines, net label)
PAYSLIPS = [
    (
        "Brandt Malerbetrieb GmbH",
        "Gehaltsabrechnung",
        "Zeitraum",
        "Zahltag",
        "Mitarbeiter",
        "Jonas Weber",
        ("Gehalt", "Gesamtbrutto", "Lohnsteuer"),
        "Auszahlungsbetrag",
    ),
    (
        "Informatique Mercier",
        "Bulletin de salaire",
        "Période",
        "Payé le",
        "Nom",
        "Claire Girard",
        ("Salaire de base", "Total brut", "Sécurité sociale"),
        "Net à payer avant impôt",
    ),
    (
        "Talleres García S.L.",
        "Nómina",
        "Periodo",
        "Fecha de pago",
        "Trabajador",
        "Lucía Fernández",
        ("Salario base", "Total devengado", "IRPF"),
        "Líquido a percibir",
    ),
    (
        "De Vries Bouw B.V.",
        "Loonstrook",
        "Periode",
        "Betaaldatum",
        "Werknemer",
        "Jan de Boer",
        ("Salaris", "Bruto loon", "Loonheffing"),
        "Netto uit te betalen",
    ),
    (
        "Acme Widgets Ltd",
        "Payslip",
        "Pay period",
        "Payment date",
        "Employee",
        "John Smith",
        ("Basic salary", "Gross pay", "Income tax"),
        "Net pay",
    ),
]


def _payslip(row: tuple[Any, ...]) -> str:
    employer, title, period, paid, label, person, (base, gross, tax), net = row
    return (
        f"{employer}\t{title}\nHauptstraße 178\n10115 Berlin\t{period}\t"
        f"01.10.2023 - 31.10.2023\nDE290155927\t{paid}\t27.10.2023\n\n\n{label}\n{person}\n"
        f"Bahnhofstr. 16\n80331 München\n\nBezeichnung\tMonat\tJahr\n{base}\t5.711,00\t"
        f"57.110,00\n{gross}\t5.711,00\t57.110,00\n{tax}\t-1.056,54\t-10.565,40\n"
        f"{net}\t4.654,46\n"
    )


@pytest.mark.parametrize("row", PAYSLIPS, ids=[row[1] for row in PAYSLIPS])
def test_a_payslips_employee_net_pay_and_pay_date(row: tuple[Any, ...]) -> None:
    text = _payslip(row)
    assert text_field(text, PAYSLIP, "employee") == row[5]
    assert text_field(text, PAYSLIP, "net_pay") == 4654.46
    assert text_field(text, PAYSLIP, "pay_date") == "2023-10-27"
    assert text_field(text, PAYSLIP, "employer") == row[0]


def test_an_invoices_net_amount_is_still_the_pre_tax_total() -> None:
    schema = {
        "type": "object",
        "properties": {"net_amount": {"type": "number", "description": "The amount before tax."}},
    }
    text = "Acme Ltd\nINVOICE\nNet amount\t100.00\nVAT 20%\t20.00\nTotal due\t120.00\n"
    assert text_field(text, schema, "net_amount") == 100.0


def test_a_label_alone_over_a_heading_is_not_a_name() -> None:
    """Only a name under a colon-less label is its value: not another label or a table
    header ("Description" / "Unit Price")."""
    schema = {
        "type": "object",
        "properties": {"description": {"type": "string", "description": "The description."}},
    }
    text = "Acme Ltd\nINVOICE\n\nDescription\nUnit Price Total\nWidgets\t4\t100.00\n"
    assert text_field(text, schema, "description") != "Unit Price Total"


def test_a_pay_date_read_from_the_printed_lines_of_an_ocr_page() -> None:
    """OCR gives a page's items as paragraphs, without pairs: the printed line "Payé le |
    27/10/2023" still labels the date."""
    text = "Informatique Mercier\tBulletin de salaire\nFR06 872175247\tPaye le\t27/10/2023\n"
    doc = processors.run("parse", text.encode(), "doc.txt", {})
    for page in doc["pages"]:
        joined = " ".join(page["text"].split())
        page["items"] = [{"type": "paragraph", "value": joined, "md": joined}]
    result = extract_offline(doc, PAYSLIP).result
    assert isinstance(result, dict)
    assert result.get("pay_date") == "2023-10-27"


DELIVERY_NOTE = (
    "Acme Supplies Ltd\t{title}\n12 High Street\nLeeds LS1 4AB\t{label}\tDN-12345\n"
    "\tDate\t12/03/2024\n\n{block}\n{name}\n4 Mill Lane\nYork YO1 7HH\n\n"
    "Item\tDescription\tQty\n1\tWidget\t4\n"
)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("PACKING SLIP", "Packing Slip #"),
        ("DISPATCH NOTE", "Dispatch Note No."),
        ("DELIVERY NOTE", "DN No."),
        ("PACKING LIST", "Packing List No."),
        ("BON DE LIVRAISON", "N° BL"),
        ("DOCUMENTO DI TRASPORTO", "DDT n."),
    ],
)
def test_delivery_note_numbers(title: str, label: str) -> None:
    text = DELIVERY_NOTE.format(title=title, label=label, block="Deliver to", name="Brown Ltd")
    assert text_field(text, DELIVERY, "delivery_number") == "DN-12345"


@pytest.mark.parametrize(
    "block",
    [
        "SHIP-TO",
        "Consignee",
        "Delivery address",
        "Recipient",
        "Receiver",
        "Dirección de entrega",
        "Lieferanschrift",
        "Geadresseerde",
        "Bestemmeling",
        "Consegnare a",
    ],
)
@pytest.mark.parametrize("name", ["Brown & Sons Ltd", "Emma Brown"])
def test_who_the_goods_are_delivered_to(block: str, name: str) -> None:
    text = DELIVERY_NOTE.format(
        title="DELIVERY NOTE", label="Delivery Note No.", block=block, name=name
    )
    assert text_field(text, DELIVERY, "recipient") == name
    assert text_field(text, DELIVERY, "supplier") == "Acme Supplies Ltd"


SIDE_BY_SIDE = (
    "Acme Supplies Ltd\tSALES ORDER\n12 High Street\nLeeds LS1 4AB\tOrder No.\tSO-12345\n\n"
    "{left}\t{right}\n{left_name}\t{right_name}\n9 Dock Road\t4 Mill Lane\n"
    "Hull HU1 2AB\tYork YO1 7HH\n\nItem\tQty\tAmount\nWidget\t4\t100.00\nTotal\t\t100.00\n"
)


def test_blocks_side_by_side_the_buyer_and_the_recipient() -> None:
    text = SIDE_BY_SIDE.format(
        left="Ship to",
        right="Bill to",
        left_name="Brown Warehouse Ltd",
        right_name="Brown & Sons Ltd",
    )
    assert text_field(text, ORDER, "customer") == "Brown & Sons Ltd"
    assert text_field(text, DELIVERY, "recipient") == "Brown Warehouse Ltd"


def test_a_sold_to_block_after_a_ship_to_block_is_the_customer() -> None:
    text = (
        "Acme Supplies Ltd\tSALES ORDER\n12 High Street\nLeeds LS1 4AB\tOrder No.\tSO-12345\n\n"
        "Ship to:\nBrown Warehouse Ltd\n9 Dock Road\nHull HU1 2AB\n\n"
        "Sold to:\nBrown & Sons Ltd\n4 Mill Lane\nYork YO1 7HH\n\nTotal\t100.00\n"
    )
    assert text_field(text, ORDER, "customer") == "Brown & Sons Ltd"
    assert text_field(text, DELIVERY, "recipient") == "Brown Warehouse Ltd"


@pytest.mark.parametrize(
    ("text", "seller", "customer"),
    [
        (
            "Bon de commande N° 4455\nFournisseur : Durand SARL\nAcheteur : Martin SAS\n"
            "Total TTC : 100,00 €\n",
            "Durand SARL",
            "Martin SAS",
        ),
        (
            "Bestellbestätigung\nVerkäufer: Acme GmbH\nKäufer: Braun AG\nBestellnummer: 4455\n",
            "Acme GmbH",
            "Braun AG",
        ),
        (
            "Pedido nº 4455\nProveedor: López S.L.\nComprador: Ruiz S.A.\nTotal: 100,00 €\n",
            "López S.L.",
            "Ruiz S.A.",
        ),
    ],
)
def test_buyer_labels_in_other_languages(text: str, seller: str, customer: str) -> None:
    assert text_field(text, ORDER, "seller") == seller
    assert text_field(text, ORDER, "customer") == customer


def test_a_purchase_orders_number_label_is_not_its_buyer() -> None:
    text = (
        "PURCHASE ORDER\nBuyer\nBaltic Trading Ltd\n4 Mill Lane\nYork YO1 7HH\n\n"
        "Supplier\nNordic Parts AB\nStorgatan 1\n111 22 Stockholm\n\n"
        "PO Number\tPO-5521\nDate\t12/03/2024\n\nItem\tQty\tAmount\nWidget\t4\t100.00\n"
        "Total\t\t100.00\n"
    )
    assert text_field(text, ORDER, "customer") != "PO Number"


def test_the_addressee_under_a_swedish_return_address() -> None:
    text = (
        "Nordic Parts AB · Storgatan 1 · 111 22 Stockholm\nBaltic Trading Ltd\n4 Mill Lane\n"
        "York YO1 7HH\n\nORDER CONFIRMATION\nOrder number: SO-5521\nTotal: 100.00 EUR\n"
    )
    assert text_field(text, ORDER, "customer") == "Baltic Trading Ltd"


def test_the_net_pay_in_a_row_of_totals_under_their_labels() -> None:
    text = (
        "Harbour Logistics Ltd\nPAYSLIP\nEmployee: Daniel Hughes\nPay date: 31/10/2023\n\n"
        "Basic salary\t3,250.00\nIncome tax\t482.20\n\n"
        "Gross pay\tDeductions\tNet pay\tYear to date\n3,370.00\t783.64\t2,586.36\t30,000.00\n"
    )
    assert text_field(text, PAYSLIP, "net_pay") == 2586.36


def test_an_italian_payslip() -> None:
    text = (
        "Rossi S.r.l.\nCEDOLINO PAGA\nDipendente: Marco Bianchi\nPagamento: 27/10/2023\n"
        "Totale competenze\t3.000,00\nNetto in busta\t2.150,00\n"
    )
    assert text_field(text, PAYSLIP, "employee") == "Marco Bianchi"
    assert text_field(text, PAYSLIP, "net_pay") == 2150.0


PAYSLIP_BOXES = [
    (40, 50, "Harbour Logistics Ltd", 14),
    (40, 66, "1 Quay Street, Bristol BS1 4DJ", 8),
    (400, 50, "PAYSLIP", 16),
    (40, 120, "Employee", 8),
    (40, 132, "Daniel Hughes", 10),
    (200, 120, "Employee No.", 8),
    (200, 132, "00412", 10),
    (330, 120, "Pay date", 8),
    (330, 132, "31/10/2023", 10),
    (40, 180, "Basic salary", 9),
    (200, 180, "3,250.00", 9),
    (40, 195, "Income tax", 9),
    (200, 195, "482.20", 9),
    (400, 300, "NET PAY", 10),
    (400, 316, "£2,767.80", 14),
]
PAYSLIP_WINDOW = [
    (40, 50, "Harbour Logistics Ltd", 14),
    (40, 66, "1 Quay Street, Bristol BS1 4DJ", 8),
    (40, 100, "Daniel Hughes", 10),
    (40, 112, "22 Elm Road", 9),
    (40, 124, "Bath BA1 2AB", 9),
    (350, 100, "Payslip", 14),
    (350, 120, "Period", 8),
    (430, 120, "October 2023", 8),
    (350, 132, "Paid on", 8),
    (430, 132, "31 Oct 2023", 8),
    (40, 200, "Gross", 9),
    (200, 200, "Deductions", 9),
    (350, 200, "Net", 9),
    (40, 214, "3,370.00", 9),
    (200, 214, "783.64", 9),
    (350, 214, "2,586.36", 9),
]


def test_a_payslips_title_is_not_its_employer(tmp_path: Path) -> None:
    assert pdf_field(tmp_path, PAYSLIP_BOXES, PAYSLIP, "employer") == "Harbour Logistics Ltd"
    assert pdf_field(tmp_path, PAYSLIP_BOXES, PAYSLIP, "employee") == "Daniel Hughes"
    assert pdf_field(tmp_path, PAYSLIP_BOXES, PAYSLIP, "net_pay") == 2767.80


def test_an_employee_named_only_by_the_address_window(tmp_path: Path) -> None:
    """No label names the employee: the payslip is addressed to them, their name over their
    home address under the employer's letterhead."""
    assert pdf_field(tmp_path, PAYSLIP_WINDOW, PAYSLIP, "employee") == "Daniel Hughes"
    assert pdf_field(tmp_path, PAYSLIP_WINDOW, PAYSLIP, "employer") == "Harbour Logistics Ltd"
    assert pdf_field(tmp_path, PAYSLIP_WINDOW, PAYSLIP, "pay_date") == "2023-10-31"
    assert pdf_field(tmp_path, PAYSLIP_WINDOW, PAYSLIP, "net_pay") == 2586.36


def test_a_delivery_dated_after_its_number() -> None:
    schema = {
        "type": "object",
        "properties": {
            "delivery_date": {
                "type": "string",
                "format": "date",
                "description": "The date of the delivery.",
            }
        },
    }
    text = (
        "Acme Supplies Ltd\n12 High Street\nLeeds LS1 4AB\n\n"
        "Delivery Note No. DN-12345 of 12/03/2024\n\nDeliver to:\nBrown & Sons Ltd\n"
    )
    assert text_field(text, schema, "delivery_date") == "2024-03-12"


@pytest.mark.parametrize(
    "title",
    [
        "PURCHASE ORDER #PO-5521",
        "PURCHASE ORDER\tPage 1 of 1",
        "BESTELLUNG Nr. 4711",
        "PURCHASE ORDER\t12/03/2024",
    ],
)
def test_a_purchase_order_titled_beside_its_number(title: str) -> None:
    """A purchase order is the buyer's: its customer is its letterhead, its seller the
    supplier it is sent to, also when the title shares its line with a number or a page."""
    text = (
        f"Baltic Trading Ltd\n4 Mill Lane\nYork YO1 7HH\n\n{title}\nDate: 12/03/2024\n\n"
        "Supplier:\nNordic Parts AB\nStorgatan 1\n111 22 Stockholm\n\n"
        "Item\tQty\tAmount\nWidget\t4\t100.00\nTotal\t\t100.00\n"
    )
    assert text_field(text, ORDER, "customer") == "Baltic Trading Ltd"
    assert text_field(text, ORDER, "seller") == "Nordic Parts AB"


def test_an_invoice_quoting_a_purchase_order_is_not_one() -> None:
    text = (
        "Acme Ltd\n1 High St\nLeeds LS1 4AB\n\nINVOICE\nPurchase Order No. 4500012345\n"
        "Invoice No: 123\nBill to:\nBaltic Trading Ltd\n4 Mill Lane\nYork YO1 7HH\nTotal 100.00\n"
    )
    assert text_field(text, ORDER, "customer") == "Baltic Trading Ltd"


@pytest.mark.parametrize(
    "text",
    [
        "Baltic Trading Ltd\n4 Mill Lane\nYork YO1 7HH\nPURCHASE ORDER PO-5521\nDate: 12/03/2024\n",
        "Nordic Parts AB\nSALES ORDER PO-5521\nDate: 12/03/2024\n",
        "Nordic Parts AB\nSales order: PO-5521\nDate: 12/03/2024\n",
    ],
)
def test_an_order_numbered_beside_its_qualified_title(text: str) -> None:
    assert text_field(text, ORDER, "order_number") == "PO-5521"


def test_an_unlabelled_window_beside_the_issuers_block_is_the_customer(tmp_path: Path) -> None:
    placed = [
        (40, 60, "Baltic Trading Ltd", 10),
        (40, 72, "4 Mill Lane", 9),
        (40, 84, "York YO1 7HH", 9),
        (380, 60, "Nordic Parts AB", 12),
        (380, 74, "Storgatan 1", 9),
        (380, 86, "111 22 Stockholm", 9),
        (40, 150, "ORDER CONFIRMATION", 16),
        (40, 180, "Order No. SO-5521", 9),
        (300, 260, "Total", 10),
        (450, 260, "€100.00", 10),
    ]
    assert pdf_field(tmp_path, placed, ORDER, "customer") == "Baltic Trading Ltd"
    assert pdf_field(tmp_path, placed, ORDER, "seller") == "Nordic Parts AB"


@pytest.mark.parametrize(
    "label",
    ["Total a percibir", "Importe líquido", "Amount transferred", "Virement", "Nettobezug"],
)
def test_more_payout_labels(label: str) -> None:
    text = (
        "Talleres García S.L.\tNómina\nCalle Mayor 12\n28013 Madrid\n"
        "Trabajador: Lucía Fernández\nSalario base\t2.000,00\nTotal devengado\t2.000,00\n"
        f"Total deducciones\t300,00\n{label}\t1.700,00\n"
    )
    assert text_field(text, PAYSLIP, "net_pay") == 1700.0


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Mr Daniel Hughes", "Daniel Hughes"),
        ("Mrs. Jane Doe", "Jane Doe"),
        ("Herrn Felix Köhler", "Felix Köhler"),
        ("Mme Claire Girard", "Claire Girard"),
        ("Dr. Anna Weber", "Dr. Anna Weber"),
    ],
)
def test_an_employees_name_without_its_salutation(printed: str, name: str) -> None:
    text = f"Acme Ltd\nPayslip\nEmployee: {printed}\nNet pay\t2,000.00\n"
    assert text_field(text, PAYSLIP, "employee") == name
