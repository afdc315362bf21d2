"""Issuers from countries the first rules were not written for (the bench's fresh split): the
legal forms of Italy (S.r.l., S.n.c.), Mexico (S.A. de C.V., S. de R.L. de C.V.), Poland
(sp.j.), Japan (K.K.) and "Co."; a company addressed "Attn: ..." is the customer; a title
before the name on its line ("TAX INVOICE Wattle ...", "QUALIFIED INVOICE") is not part of it;
a Mexican invoice's number is its "Folio". Other names and numbers than the bench's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from placed_docs import pdf_field, text_field

from reams.processors.extract.issuer import issuer
from reams.processors.extract.layout import Layout, PLine, line_pairs

INVOICE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string", "description": "The number of the invoice."},
        "vendor": {"type": "string", "description": "The company that issued the invoice."},
    },
}


@pytest.mark.parametrize(
    ("head", "vendor"),
    [
        (
            "Impianti Ferraro S.r.l.\nVia Garibaldi 12\n40121 Bologna (BO)\nP.IVA IT04417720371\n"
            "\nSpett.le\nArredi Lombardi S.a.s.\nVia Verdi 3\n00186 Roma (RM)\n",
            "Impianti Ferraro S.r.l.",
        ),
        (
            "Serramenti Gatti S.n.c.\nVia Dante 4\n10123 Torino (TO)\n"
            "\nSpett.le\nEdilizia Conti S.a.s.\nVia Verdi 3\n00186 Roma (RM)\n",
            "Serramenti Gatti S.n.c.",
        ),
        (
            "Maderas del Norte S. de R.L. de C.V.\nRFC: MNO190312AB4\n"
            "\nReceptor\nPapelera Juárez S.A. de C.V.\nRFC: XAXX010101000\n",
            "Maderas del Norte S. de R.L. de C.V.",
        ),
        (
            "Sprzedawca:\nDrukarnia Mazur sp.j.\nul. Polna 4\n61-701 Poznań\nNIP: 781-100-25-11\n",
            "Drukarnia Mazur sp.j.",
        ),
    ],
)
def test_legal_forms_of_more_countries(head: str, vendor: str) -> None:
    text = f"{head}\nFattura n. 88/2024\nTotale\t1.220,00\n"
    assert text_field(text, INVOICE, "vendor") == vendor


def test_a_vendor_named_only_in_the_remit_to_footer() -> None:
    text = (
        "INVOICE\nInvoice no.\t2024-031\n\nBill To\nHarbor Coffee Roasters Inc.\n"
        "Attn: Quinn Smith\nMadison, WI 53703\n\nLogo design\t$900.00\nTOTAL\t$900.00\n\n"
        "Please make checks payable to:\nOkafor Creative Co.\n"
        "Jamie Okafor · 12 Maple St · Asheville, NC 28801\n"
    )
    assert text_field(text, INVOICE, "vendor") == "Okafor Creative Co."


@pytest.mark.parametrize("title", ["QUALIFIED INVOICE", "INVOICE"])
def test_a_company_addressed_for_attention_is_the_customer(tmp_path: Path, title: str) -> None:
    # the addressee at the top left, the issuer's block lower on the right (a Japanese layout)
    placed = [
        (230, 50, title, 18),
        (40, 90, "Meridian Components Ltd.", 10),
        (40, 104, "Attn: Purchasing Dept.", 10),
        (360, 90, "Invoice No.", 9),
        (450, 90, "JP-2024-0815", 9),
        (360, 104, "Date", 9),
        (450, 104, "2024/08/15", 9),
        (360, 130, "Hokuto Seimitsu K.K.", 9),
        (360, 142, "2-4-8 Umeda, Kita-ku", 9),
        (360, 154, "Registration No. T4095531535856", 9),
        (40, 200, "Total", 10),
        (450, 200, "¥1,200,000", 10),
    ]
    assert pdf_field(tmp_path, placed, INVOICE, "vendor") == "Hokuto Seimitsu K.K."


def test_a_title_before_the_name_on_its_line() -> None:
    text = (
        "TAX INVOICE Wattle Joinery Pty Ltd\nABN 51 824 753 556\n12 Beach Rd\n"
        "Fremantle WA 6160\n\nInvoice Number\tTI4411\nTotal inc. GST\t$1,100.00\n"
    )
    assert text_field(text, INVOICE, "vendor") == "Wattle Joinery Pty Ltd"


@pytest.mark.parametrize(("label", "number"), [("Folio:", "4471"), ("Serie y Folio:", "A318")])
def test_a_mexican_invoice_number_is_its_folio(label: str, number: str) -> None:
    text = (
        "Maderas del Norte S.A. de C.V.\nRFC: MNO190312AB4\n"
        f"{label}\t{number}\nFecha de emisión:\t12/03/2024\n"
        "Folio fiscal (UUID):\t5F3A21C0-1B2C-4D5E-8F90-ABCDEF123456\nTotal\t$1,160.00\n"
    )
    assert text_field(text, INVOICE, "invoice_number") == number


@pytest.mark.parametrize(
    ("cells", "vendor"),
    [
        # a right-aligned letterhead split at a gutter beside a title
        (("TAX INVOICE", "Eucalypt", "Landscaping Pty. Ltd."), "Eucalypt Landscaping Pty. Ltd."),
        # guards: a label or a title before the name stays apart
        (("Date", "Wattle Joinery Pty Ltd"), "Wattle Joinery Pty Ltd"),
        (("INVOICE", "Wattle Joinery Pty Ltd"), "Wattle Joinery Pty Ltd"),
        (("Empleador", "Wattle Joinery Pty Ltd"), "Wattle Joinery Pty Ltd"),
    ],
)
def test_a_name_split_across_cells(cells: tuple[str, ...], vendor: str) -> None:
    lines = [
        PLine(1, 0, cells),
        PLine(1, 1, ("ABN 51 824 753 556",)),
        PLine(1, 2, ("12 Beach Rd",)),
        PLine(1, 3, ("Fremantle WA 6160",)),
        PLine(1, 4, ("Total inc. GST", "$1,100.00")),
    ]
    assert issuer(Layout(lines, line_pairs(lines)))[0].value == vendor


@pytest.mark.parametrize(
    "head",
    ["Folio:\t19546\nRechnung Nr.:\t8615077\n", "Invoice No.:\t8615077\nFolio:\t19546\n"],
)
def test_a_hotel_folio_beside_the_invoice_number_is_not_it(head: str) -> None:
    # guard: the folio counts only when no label names the invoice's number
    text = f"Hotel Lumen GmbH\nRingstraße 4\n1010 Wien\n\n{head}Total\tEUR 412,00\n"
    assert text_field(text, INVOICE, "invoice_number") == "8615077"
