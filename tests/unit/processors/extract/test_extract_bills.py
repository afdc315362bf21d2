"""Bills that are not a trader's letter (utility, marketplace, hotel, telecom): the brand printed
large while the legal name is in small print, a platform's name over the seller's, the bill's
number among account, folio and order numbers, labels in five languages. Written from how such
bills look, not from any corpus document; each case failed before the rule it pins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from placed_docs import INVOICE, pdf_field, text_field
from test_extract_vendor_wild import same_name

CHARGES = (
    "\nCustomer   Emily Whitmore\n186 Station Road\nEdinburgh EH2 4AD\n\n"
    "Standing charge   20.00\nEnergy used   154.80\nTotal   174.80\n\n"
)


# --- the legal name behind a brand, in small print ---------------------------------------


@pytest.mark.parametrize(
    ("small_print", "legal"),
    [
        (
            "Ondaro Energie ist eine Marke der Ondaro Services AG, Amtsgericht Köln HRB 68648.",
            "Ondaro Services AG",
        ),
        ("Hôtel Mobix & Spa est exploité par Mobix Hôtels SAS.", "Mobix Hôtels SAS"),
        ("Hotel Loomly wordt geëxploiteerd door Loomly Hotelgroep N.V.", "Loomly Hotelgroep N.V."),
        (
            "Helion Aguas es una marca comercial de Helion Comercializadora S.L.U.",
            "Helion Comercializadora S.L.U.",
        ),
    ],
)
def test_the_legal_name_behind_a_brand_is_the_vendor(
    tmp_path: Path, small_print: str, legal: str
) -> None:
    brand = small_print.split(" ist ")[0].split(" est ")[0].split(" wordt ")[0].split(" es ")[0]
    placed = [
        (40, 66, brand, 24),
        (330, 90, "Invoice No. 4228071983", 9),
        (330, 104, "Date 09.09.2024", 9),
        (57, 160, "Tobias Lange", 10),
        (57, 174, "Bahnhofstr. 115", 10),
        (57, 188, "50667 Köln", 10),
        (40, 260, "Total 361,39 €", 10),
        (40, 782, small_print, 6.5),
    ]
    assert same_name(pdf_field(tmp_path, placed, INVOICE, "vendor"), legal)


# --- the document's title printed right of the brand, on its line -------------------------


@pytest.mark.parametrize("title", ["Your bill", "RECHNUNG", "Factura", "Uw factuur"])
def test_a_title_beside_the_brand_is_not_part_of_the_name(tmp_path: Path, title: str) -> None:
    placed = [
        (40, 66, "Fibrix Water", 24),
        (470, 56, title, 16),
        (330, 90, "Invoice No. 20251059057", 9),
        (57, 160, "Emily Whitmore", 10),
        (57, 174, "186 Station Road", 10),
        (57, 188, "Edinburgh EH2 4AD", 10),
        (40, 260, "Total £192.28", 10),
    ]
    assert pdf_field(tmp_path, placed, INVOICE, "vendor") == "Fibrix Water"


# --- a marketplace: the seller, not the platform ------------------------------------------


@pytest.mark.parametrize(
    ("label", "carrier"),
    [
        ("Sold by:", "Fulfilled by Shopora"),
        ("Verkauft von:", "Versendet von Shopora"),
        ("Verkocht door:", "Verzonden door Shopora"),
        ("Vendu par :", "Expédié par Shopora"),
        ("Vendido por:", "Enviado por Shopora"),
    ],
)
def test_the_seller_under_a_sold_by_label_is_the_vendor(label: str, carrier: str) -> None:
    text = (
        "SHOPORA\n\n"
        f"{label}\nHartmann IT-Service GmbH & Co. KG\nLindenallee 128\n70173 Stuttgart\n"
        f"{carrier}\n\nInvoice #   DE23467658-61\nOrder #   505-3654875-3614312\n\n"
        "Wartung Website   85,13\nTotal   91,09 €\n\n"
        "Shopora acts as a marketplace only; this invoice is issued by the seller.\n"
        "Shopora EU S.à r.l. · 5 Rue Plaetis · L-2338 Luxembourg\n"
    )
    assert same_name(text_field(text, INVOICE, "vendor"), "Hartmann IT-Service GmbH & Co. KG")


# --- the bill's number among other numbers ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Customer number   22896145\nDocument No.   20251059057\n", "20251059057"),
        ("Vertragskonto   7417 7651 92\nDokument-Nr.   4228071983\n", "4228071983"),
        ("Nº factura 624677\nNº de folio   52926\n", "624677"),
        ("Folio-Nr.   12937\nDokument-Nr. 647769\n", "647769"),
        ("Folionummer   32997\nNotanummer 548138\n", "548138"),
        ("Folio No.   12937\nBill No. 647769\n", "647769"),
        ("Our ref.: 20-117\nYour reference: PO-5521\n", "20-117"),
        ("Réf. : FA-2024-117\nVotre référence : BC-5521\n", "FA-2024-117"),
        ("Unsere Referenz: RE-117\nIhr Zeichen: 4471\n", "RE-117"),
        ("Statement number 8841\nAccount number 5521-0042\n", "8841"),
    ],
)
def test_the_bill_number_is_read_by_its_label(text: str, number: str) -> None:
    doc = "Acme Energy\n1 High Street\nLeeds LS1 4AB\n\n" + text + CHARGES
    assert text_field(doc, INVOICE, "invoice_number") == number


# --- numeric dates day first in a continental document ------------------------------------


def test_a_french_bill_without_a_currency_reads_dates_day_first() -> None:
    text = (
        "Hôtel Mobix\n99 rue des Lilas\n33000 Bordeaux\n\n"
        "Nom du client   Manon Leclerc\nArrivée   09/10/2025\nDépart   11/10/2025\n"
        "Date   11/10/2025\nN° de facture 7049603\n\n"
        "Nuitée pour deux personnes avec petit-déjeuner   120,48\nTaxe de séjour   4,68\n"
        "TOTAL TTC   125,16\n"
    )
    assert text_field(text, INVOICE, "invoice_date") == "2025-10-11"


# --- the issue date beside its label, not a billing period's start -----------------------


@pytest.mark.parametrize(
    ("label", "period"),
    [
        ("Datum", "Deze factuur betreft de periode 25-01-2025 t/m 23-02-2025"),
        ("Datum", "Diese Rechnung betrifft den Zeitraum vom 25.01.2025 bis 23.02.2025"),
        ("Fecha", "Esta factura corresponde al período 25/01/2025 al 23/02/2025"),
    ],
)
def test_the_dated_label_wins_over_a_billing_period(label: str, period: str) -> None:
    sep = "." if "zeitraum" in period else ("/" if label == "Fecha" else "-")
    text = (
        "Tasklane Networks B.V.\nDorpsstraat 172\n3511 LX Utrecht\n\n"
        f"Factuurnr. B6852081\n{label} 24{sep}02{sep}2025\n\n{period}\n\n"
        "Glasvezel 500 Mbit/s   49,14\nTotaalbedrag   59,46\n"
    )
    # one text cell per line: the label and its date are not split into cells
    assert text_field(text, INVOICE, "invoice_date") == "2025-02-24"


# --- a legal form glued to the name by OCR -------------------------------------------------


def test_a_legal_form_read_with_a_dot_for_a_space_is_still_one() -> None:
    text = (
        "INVOICE\n\nInvoice #   EUINDE23-250752\nDate   02/06/2023\n\n"
        "Support (Business)   $471.83\nTotal   $471.83\n\n"
        "Issued by:\nHydrelle Cloud Services.LLC, 127 W 34th Street, Denver, CO 80202\n"
    )
    assert text_field(text, INVOICE, "vendor") == "Hydrelle Cloud Services LLC"


def test_a_purchase_orders_supplier_label_does_not_make_the_supplier_its_issuer() -> None:
    order: dict[str, Any] = {
        "type": "object",
        "properties": {
            "customer": {"type": "string", "description": "The name of the customer."},
        },
    }
    text = (
        "Bergmann Bürobedarf KG\nHauptstraße 12\n70173 Stuttgart\n\nBestellung\n\n"
        "Lieferant:\nWagner Sanitär GmbH\nBahnhofstr. 170\n50667 Köln\n\n"
        "Bestellnummer   PO-2024-118\nHeizungsventil DN15   4   12,50\nGesamt   59,50 €\n"
    )
    assert same_name(text_field(text, order, "customer"), "Bergmann Bürobedarf KG")


# --- the issuer's block beside the addressee's, on the same lines -------------------------


@pytest.mark.parametrize(
    ("label", "issuer", "client"),
    [
        ("Facturé à", "Bluecrane Studio SA", "Imprimerie Moreau EURL"),
        ("Bill to", "Paperfox Design Limited", "Winslow Print Works Ltd"),
        ("Rechnungsempfänger", "Kitewell Media GmbH", "Becker Druckerei GmbH"),
    ],
)
def test_the_issuers_block_beside_the_clients_is_the_issuers(
    tmp_path: Path, label: str, issuer: str, client: str
) -> None:
    placed = [
        (40, 62, "FACTURE", 20),
        (40, 110, issuer, 9),
        (320, 110, label, 9),
        (40, 123, "211 boulevard Voltaire", 8.5),
        (320, 123, client, 8.5),
        (40, 135, "75011 Paris", 8.5),
        (320, 135, "180, avenue Jean Jaurès", 8.5),
        (320, 147, "69007 Lyon", 8.5),
        (40, 200, "Numéro de facture 7389", 9),
        (40, 214, "Date 08/03/2024", 9),
        (40, 260, "Total TTC 4 439,95 €", 10),
    ]
    assert same_name(pdf_field(tmp_path, placed, INVOICE, "vendor"), issuer)


def test_a_dutch_bill_with_plain_amounts_reads_dates_day_first() -> None:
    text = (
        "REDWING Factuur\n\nRedwing Media B.V.   Aan\nStationsplein 188   Mulder Hoveniers B.V.\n\n"
        "FACTUURNUMMER   FACTUURDATUM\n2023-945   07-12-2023\n\n"
        "Artikel   Totaal\nCampagne-opzet   2.335,68\nbtw 21%   490,49\nTotaal   2.826,17\n"
    )
    assert text_field(text, INVOICE, "invoice_date") == "2023-12-07"
