"""Who issued a document by where its names are printed: the issuer's block on the right with
the addressee's window on the left, a sender's small one-line name and address over the window
(DIN 5008), and labels printed as a list or as a column before their values. Generated
layouts with invented names."""

from __future__ import annotations

from pathlib import Path

from placed_docs import INVOICE, Placed, pdf_field, text_field
from test_extract_document_kinds import PAYSLIP


def test_the_right_hand_block_beside_a_bigger_window_is_the_issuer(tmp_path: Path) -> None:
    placed: list[Placed] = [
        (40, 60, "HARBOUR HOLDINGS", 14),
        (40, 76, "3 Church Road", 9),
        (40, 88, "York YO1 7HH", 9),
        (380, 60, "Corvid Print Works", 10),
        (380, 72, "14 Mill Lane", 9),
        (380, 84, "Leeds LS1 4AB", 9),
        (40, 150, "INVOICE", 18),
        (40, 180, "Invoice No. 2024-117", 9),
        (40, 240, "Total due", 10),
        (450, 240, "£480.00", 10),
    ]
    assert pdf_field(tmp_path, placed, INVOICE, "vendor") == "Corvid Print Works"


def test_a_letterhead_on_the_left_with_a_labelled_customer_on_the_right(tmp_path: Path) -> None:
    placed: list[Placed] = [
        (40, 50, "ACME PLUMBING", 16),
        (40, 68, "12 Dock Road", 9),
        (40, 80, "Hull HU1 2AB", 9),
        (350, 50, "Bill to:", 9),
        (350, 62, "Greenfield Holdings Ltd", 10),
        (350, 74, "3 Church Road", 9),
        (350, 86, "York YO1 7HH", 9),
        (40, 150, "INVOICE", 18),
        (40, 180, "Invoice No. 2024-117", 9),
        (40, 240, "Total due", 10),
        (450, 240, "£480.00", 10),
    ]
    assert pdf_field(tmp_path, placed, INVOICE, "vendor") == "ACME PLUMBING"


def _din(sender: str, addressee: list[str]) -> list[Placed]:
    placed: list[Placed] = [(300, 50, "Logo", 8), (57, 120, sender, 6)]
    placed += [(57, 135 + 12 * i, text, 10) for i, text in enumerate(addressee)]
    placed += [
        (57, 250, "Rechnung", 14),
        (57, 270, "Rechnungsnr. 2024-117", 9),
        (57, 340, "Gesamtbetrag", 10),
        (450, 340, "480,00 €", 10),
    ]
    return placed


def test_the_small_sender_line_over_the_window_is_the_issuer(tmp_path: Path) -> None:
    window = ["Schneider Bau GmbH", "Lindenweg 3", "70173 Stuttgart"]
    for sender in (
        "Müller Elektrotechnik · Hauptstr. 5 · 80331 München",
        "Müller Elektrotechnik, Hauptstr. 5, 80331 München",
    ):
        placed = _din(sender, window)
        assert pdf_field(tmp_path, placed, INVOICE, "vendor") == "Müller Elektrotechnik"
    placed = _din(
        "Bäckerei Sommer · Marktplatz 2 · 04109 Leipzig", ["Herrn", "Max Weber", *window[1:]]
    )
    assert pdf_field(tmp_path, placed, INVOICE, "vendor") == "Bäckerei Sommer"


def test_a_list_of_labels_and_values_pairs_side_by_side(tmp_path: Path) -> None:
    """A two-column list ("Employee | Daniel Hughes", "Employee no. | 00412" ...) is not a
    heading row over a row of values: the employee is not the next label."""
    placed: list[Placed] = [
        (40, 50, "Harbour Logistics Ltd", 14),
        (40, 66, "1 Quay Street, Bristol BS1 4DJ", 8),
        (400, 50, "PAYSLIP", 16),
        (40, 110, "Employee", 9),
        (40, 122, "Employee no.", 9),
        (40, 134, "Tax code", 9),
        (40, 146, "Pay date", 9),
        (140, 110, "Daniel Hughes", 9),
        (140, 122, "00412", 9),
        (140, 134, "1257L", 9),
        (140, 146, "31/10/2023", 9),
        (300, 290, "Net pay", 11),
        (460, 290, "£2,586.36", 11),
    ]
    assert pdf_field(tmp_path, placed, PAYSLIP, "employee") == "Daniel Hughes"
    assert pdf_field(tmp_path, placed, PAYSLIP, "pay_date") == "2023-10-31"


def test_a_column_of_labels_before_the_column_of_values() -> None:
    text = (
        "Harbour Logistics Ltd\nPAYSLIP\nEmployee:\nPay date:\nNet pay:\n"
        "John Smith\n31/10/2023\n£2,586.36\n"
    )
    assert text_field(text, PAYSLIP, "employee") == "John Smith"


def test_a_seller_label_read_after_its_company() -> None:
    """OCR read the label column after the value column ("Lange Gartenbau OG Herrengasse 194:
    Verkauft von:"): the company before the seller label is the seller, not the marketplace's
    cut wordmark at the top."""
    text = (
        "Sta\tRECHNUNG\n\tRechnung Nr.\t5046-6527-2733\n"
        "Lange Gartenbau OG Herrengasse 194: Verkauft von:\tRechnungsdatum\t2024-11-01\n"
        "8010 Graz\nUID ATU05388056\nVersendet von Stackly\n\n"
        "Rechnungsadresse\tLieferanschrift\nMatthias Schulz\tMatthias Schulz\n\n"
        "Endbetrag\t1.321,14\n\n"
        "Stackly tritt nur als Marktplatz auf; diese Rechnung wird vom Verkäufer ausgestellt.\n"
        "Stackly EU GmbH · 5 Rue Plaetis · L-2338 Luxembourg\n"
    )
    assert text_field(text, INVOICE, "vendor") == "Lange Gartenbau OG"


def test_a_short_name_is_no_repeat_inside_a_longer_word() -> None:
    """A name's repeats are counted as whole words: "Sta" does not recur in "Stackly"."""
    text = (
        "Sta\nINVOICE\nInvoice No. 2024-117\nVersendet von Stackly\nStackly Stackly Stackly\n"
        "From: Harbor Lane Bakery\nTotal due 48.00\n"
    )
    assert text_field(text, INVOICE, "vendor") == "Harbor Lane Bakery"


def test_a_run_of_labels_joined_with_its_run_of_values_in_one_cell() -> None:
    """OCR joined a column of labels and the column of their values into one cell: the
    values pair in order, a date taken whole."""
    text = (
        "enerlis\tFactuur\ncloud platform\n"
        "Mulder Drukwerk\tFactuurnr.: Datum: Klantnummer: Uiterste betaaldatum:: "
        "EUINDE23-173973 6 december 2023 713753341739 5 januari 2024\n"
        "Factuurbedrag:\t1.213,80\nTotaal\t1.213,80\n"
    )
    assert text_field(text, INVOICE, "invoice_number") == "EUINDE23-173973"
    assert text_field(text, INVOICE, "invoice_date") == "2023-12-06"
