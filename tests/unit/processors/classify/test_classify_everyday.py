"""Everyday documents (issue 15): format evidence, the catch-all rule, foreign-language kind
words and confidence that grows with the evidence. Real parses of generated files, no mocks."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path
from typing import Any

import openpyxl
import pptx
import pytest

import docgen
from corpus import corpus_root
from reams import processors
from reams.processors.classify import fallback, lexical, structure
from reams.processors.classify.model import Rule
from reams.processors.classify.offline import (
    DEFAULT_WEIGHTS,
    classify_offline,
    gather,
    probabilities,
)

EVERYDAY = [
    Rule("invoice", "A bill from a seller listing goods, prices, taxes and the total amount due."),
    Rule("contract", "A legal agreement between parties setting out obligations and terms."),
    Rule("email", "An e-mail message with a sender, recipients, a subject line and a body."),
    Rule("spreadsheet", "A spreadsheet or workbook (Excel, CSV): rows and columns of values."),
    Rule("presentation", "A slide deck (PowerPoint): slides with short titles and bullets."),
    Rule("other", "Anything else: a document that fits none of the other types."),
]
WITHOUT_FALLBACK = EVERYDAY[:-1]


def parse(path: Path) -> dict[str, Any]:
    return processors.run("parse", path.read_bytes(), path.name, {})


def make_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def make_pptx(path: Path, slides: list[tuple[str, str]]) -> Path:
    deck = pptx.Presentation()
    for heading, body in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = heading
        slide.placeholders[1].text = body
    deck.save(str(path))
    return path


MAIL = (
    "From: Ana Ruiz <ana@example.org>\nTo: Tom Berg <tom@example.org>\n"
    "Subject: Lunch on Friday\nDate: Mon, 4 Mar 2024 10:00:00 +0000\n"
    "Content-Type: text/plain; charset=utf-8\n\nHi Tom, shall we meet at noon? Ana\n"
)

# ---------------------------------------------------------------------------- format evidence


def test_a_workbook_is_a_spreadsheet_by_what_it_is(tmp_path: Path) -> None:
    # Column names that read like an invoice: the words alone would not say "spreadsheet".
    rows: list[list[Any]] = [["Item", "Price", "Tax", "Total"]]
    rows += [[f"Widget {i}", 10.0 * i, 2.0 * i, 12.0 * i] for i in range(1, 8)]
    for path in (
        make_xlsx(tmp_path / "sales.xlsx", rows),
        docgen.make_csv(tmp_path / "sales.csv", [[str(c) for c in r] for r in rows]),
    ):
        outcome = classify_offline(parse(path), EVERYDAY)
        assert outcome.type == "spreadsheet", (path.name, outcome)
        assert "a workbook" in outcome.reasoning


def test_a_slide_deck_and_an_email_are_known_by_format(tmp_path: Path) -> None:
    deck = make_pptx(
        tmp_path / "q3.pptx",
        [("Q3 results", "Revenue up 18%\nChurn down"), ("Next steps", "Hire\nLaunch")],
    )
    assert classify_offline(parse(deck), EVERYDAY).type == "presentation"
    mail = docgen.make_text(tmp_path / "lunch.eml", MAIL)
    assert classify_offline(parse(mail), EVERYDAY).type == "email"
    # A message printed to plain text is still an e-mail: its header lines say so.
    printed = docgen.make_text(tmp_path / "lunch.txt", MAIL.replace("Content-Type", "X-Note"))
    doc = parse(printed)
    assert structure.facts(doc, doc["text_full"]).families.get("email", 0) > 0
    assert classify_offline(doc, EVERYDAY).type == "email"


def test_format_counts_only_for_rules_that_name_it(tmp_path: Path) -> None:
    doc = parse(make_xlsx(tmp_path / "t.xlsx", [["a", "b"], [1, 2]]))
    evidence = gather(doc, EVERYDAY[:3])  # no rule names a workbook
    assert evidence is not None
    assert all(e.format == 0.0 for e in evidence)
    cues = structure.rule_cues("Tabellenkalkulation", "Eine Excel-Arbeitsmappe")
    assert cues.families == {"workbook"}
    assert structure.rule_cues("report", "A written account of an event.").families == {"book"}
    assert structure.rule_cues("invoice", "A bill with the total amount due").cues >= {"amounts"}


def test_content_cues_are_read_from_the_text() -> None:
    text = "Total due: 1,250.00 EUR\nDate: 12/03/2024\nSignature: ________\n"
    found = structure.facts({"document": {"detected_type": "text"}}, text)
    assert found.cues["amounts"] > 0.2
    assert found.cues["dates"] > 0.2
    assert found.cues["signature"] > 0.5
    assert found.cues["fields"] > 0.2
    plain = structure.facts({"document": {"detected_type": "text"}}, "Nothing to see here.")
    assert all(value == 0.0 for key, value in plain.cues.items() if key != "long")


def test_an_empty_workbook_with_a_rule_naming_workbooks_is_classified() -> None:
    doc = {"document": {"detected_type": "xlsx"}, "pages": [{"text": ""}], "text_full": ""}
    assert classify_offline(doc, EVERYDAY).type == "spreadsheet"
    assert classify_offline(doc, EVERYDAY[:3]).type is None  # no rule says what it is


# ---------------------------------------------------------------------------- the catch-all


def test_fallback_rules_are_recognised_by_name_or_description() -> None:
    assert fallback.is_fallback(Rule("other", "Misc."))
    assert fallback.is_fallback(Rule("Other documents", ""))
    assert fallback.is_fallback(Rule("Sonstiges", "Alles andere"))
    assert fallback.is_fallback(Rule("misc", ""))
    assert fallback.is_fallback(Rule("bucket", "Anything else that fits none of the above."))
    assert fallback.is_fallback(Rule("rest", "Catch-all for the remaining files"))
    assert not fallback.is_fallback(Rule("contract", "A contract or any other legal agreement."))
    assert not fallback.is_fallback(Rule("invoice", "A bill listing other charges."))
    assert fallback.find(EVERYDAY) == len(EVERYDAY) - 1
    assert fallback.find(WITHOUT_FALLBACK) == -1


def test_the_fallback_wins_when_nothing_else_fits(tmp_path: Path) -> None:
    path = docgen.make_text(
        tmp_path / "notes.txt",
        "Things to remember\n\nWater the plants on Tuesday. Call grandma. Buy more coffee.\n",
    )
    doc = parse(path)
    with_catch_all = classify_offline(doc, EVERYDAY)
    assert with_catch_all.type == "other"
    assert with_catch_all.confidence >= 0.4
    assert "no other rule fits" in with_catch_all.reasoning
    assert set(with_catch_all.scores) == {r.type for r in EVERYDAY}
    assert classify_offline(doc, WITHOUT_FALLBACK).type is None
    # A document that fits a rule still goes to it.
    invoice = docgen.make_text(
        tmp_path / "inv.txt",
        "INVOICE\n\nInvoice number: 42\nWidget x 2 at 10.00 EUR\nVAT 20%: 4.00 EUR\n"
        "Total amount due: 24.00 EUR\n",
    )
    assert classify_offline(parse(invoice), EVERYDAY).type == "invoice"


def test_fallback_alone_and_no_text() -> None:
    only = [Rule("other", "Anything else")]
    outcome = classify_offline({"text_full": "Some words here."}, only)
    assert (outcome.type, outcome.confidence) == ("other", 1.0)
    # Nothing to read and no format a rule names: null, even with a catch-all.
    assert classify_offline({"text_full": "  "}, EVERYDAY).type is None


def test_a_high_threshold_turns_the_fallback_into_null(tmp_path: Path) -> None:
    doc = {"text_full": "Things to remember: water the plants, call grandma, buy coffee."}
    outcome = classify_offline(doc, EVERYDAY, threshold=1.01)
    assert outcome.type is None
    assert "below the threshold" in outcome.reasoning


# ---------------------------------------------------------------------------- languages


def test_foreign_kind_words_read_as_english() -> None:
    assert lexical.words("Rechnung Factura Factuur facture") == ["invoice"] * 4
    assert lexical.words("Rechnungsnummer Factuurdatum") == ["invoice", "invoice"]
    assert lexical.words("Betreff Asunto Onderwerp Objet") == ["subject"] * 4
    assert lexical.words("Vertrag contrato overeenkomst") == ["contract", "contract", "agreement"]
    # Words that are also English stay as they are.
    assert lexical.words("data brief accord") == ["data", "brief", "accord"]


INVOICES = {
    "de": "RECHNUNG\n\nRechnungsnummer: 2024-117\nRechnungsdatum: 03.02.2024\n"
    "Beratung 10 Std. à 120,00 €\nMwSt 19 %: 228,00 €\nGesamtbetrag: 1.428,00 €\n",
    "es": "FACTURA\n\nNúmero de factura: 2024-117\nFecha: 03/02/2024\n"
    "Consultoría 10 h a 120,00 €\nIVA 21 %: 252,00 €\nImporte total: 1.452,00 €\n",
    "nl": "FACTUUR\n\nFactuurnummer: 2024-117\nFactuurdatum: 03-02-2024\n"
    "Advies 10 uur à 120,00 €\nBTW 21 %: 252,00 €\nTotaal bedrag: 1.452,00 €\n",
    "fr": "FACTURE\n\nFacture n° 2024-117\nDate : 03/02/2024\n"
    "Conseil 10 h à 120,00 €\nTVA 20 % : 240,00 €\nMontant total TTC : 1 440,00 €\n",
}
CONTRACTS = {
    "de": "DIENSTLEISTUNGSVERTRAG\n\nZwischen der Muster GmbH und der Beispiel AG wird "
    "folgender Vertrag geschlossen. § 1 Gegenstand des Vertrages. § 2 Laufzeit und "
    "Kündigung. § 3 Vergütung. Unterschrift: __________",
    "es": "CONTRATO DE PRESTACIÓN DE SERVICIOS\n\nEntre las partes, Ejemplo S.A. y Muestra "
    "S.L., se acuerda el presente contrato. Cláusula primera: objeto. Cláusula segunda: "
    "duración. Firma: __________",
}


def test_invoices_and_contracts_in_other_languages(tmp_path: Path) -> None:
    for language, text in INVOICES.items():
        doc = parse(docgen.make_text(tmp_path / f"{language}.txt", text))
        outcome = classify_offline(doc, EVERYDAY)
        assert outcome.type == "invoice", (language, outcome)
    for language, text in CONTRACTS.items():
        doc = parse(docgen.make_text(tmp_path / f"c-{language}.txt", text))
        outcome = classify_offline(doc, EVERYDAY)
        assert outcome.type == "contract", (language, outcome)


# ---------------------------------------------------------------------------- calibration


def test_confidence_grows_with_the_evidence(tmp_path: Path) -> None:
    doc = parse(docgen.make_text(tmp_path / "inv.txt", INVOICES["fr"]))
    evidence = gather(doc, WITHOUT_FALLBACK)
    assert evidence is not None
    index = next(i for i, e in enumerate(evidence) if e.rule.type == "contract")
    previous = -1.0
    for boost in (0.0, 0.2, 0.5, 1.0, 2.0, 4.0):
        stronger = list(evidence)
        stronger[index] = dataclasses.replace(evidence[index], title=evidence[index].title + boost)
        share = probabilities(stronger, DEFAULT_WEIGHTS)[index]
        assert share >= previous
        previous = share
    assert previous > 0.9
    # The catch-all's share ("no rule fits") falls as the best rule's evidence grows.
    weak = probabilities(evidence, dataclasses.replace(DEFAULT_WEIGHTS, null=10.0))
    strong = probabilities(evidence, DEFAULT_WEIGHTS)
    assert 1 - sum(weak) > 1 - sum(strong)


# ---------------------------------------------------------------------------- corpus


BENCH = Path(__file__).resolve().parents[4] / "bench" / "classify"


def test_everyday_corpus_sample() -> None:
    """Every fifth dev document of the bench's everyday set (images left out: OCR is slow)."""
    root = corpus_root()
    if not (root / "cuad").is_dir():
        pytest.skip(f"the shared corpus ({root}) is not available on this machine")
    rules = [Rule(**r) for r in json.loads((BENCH / "everyday_rules.json").read_text("utf-8"))]
    with (BENCH / "mixed_labels.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["split"] == "dev"][::5]
    rows = [r for r in rows if Path(r["path"]).suffix.lower() not in {".png", ".jpg", ".jpeg"}]
    right = []
    for row in rows:
        path = root / row["path"]
        parsed = processors.run("parse", path.read_bytes(), path.name, {"max_pages": 20})
        right.append(classify_offline(parsed, rules).type == row["kind"])
    # The whole dev split scores about 0.91 (bench/classify_mixed.py).
    assert sum(right) >= 0.8 * len(right), right


def test_odd_parse_outputs_do_not_crash() -> None:
    odd: list[dict[str, Any]] = [
        {"document": "not a mapping", "pages": "nor a list", "text_full": "Invoice total 5 EUR"},
        {"document": {"detected_type": None, "page_count": "two"}, "pages": [None, 3]},
        {"pages": [{"items": "x", "width": "wide", "height": None, "text": 5}], "text_full": "x"},
        {"pages": [{"items": [None, {"type": "table", "md": None}]}], "text_full": "Total 1.00"},
    ]
    for doc in odd:
        outcome = classify_offline(doc, EVERYDAY)
        assert outcome.type is None or outcome.type in {r.type for r in EVERYDAY}
        assert outcome.reasoning


def test_reasoning_names_the_format(tmp_path: Path) -> None:
    doc = parse(make_pptx(tmp_path / "d.pptx", [("Roadmap", "Ship\nLearn")]))
    outcome = classify_offline(doc, EVERYDAY)
    assert "the file is a slide deck (pptx)" in outcome.reasoning


# --- the names a description opens with ---------------------------------------------------


@pytest.mark.parametrize(
    ("description", "names"),
    [
        (
            "An invoice, bill or receipt: a request for payment.",
            [("invoic",), ("bill",), ("receipt",)],
        ),
        ("A legal agreement between parties.", [("legal", "agree")]),
        (
            "A report, manual or official publication: prose.",
            [("report",), ("manu",), ("offici", "public")],
        ),
        ("A CV describing a person's work experience, education and skills.", []),
        ("A consulting agreement: a firm is engaged as a consultant.", [("consult", "agree")]),
        ("Anything else.", [("anyth", "else")]),
        ("", []),
    ],
)
def test_description_names(description: str, names: list[tuple[str, ...]]) -> None:
    assert lexical.description_names(description) == names


ALIASED = [
    Rule("invoice", "An invoice, bill or receipt: a proof of payment listing goods and prices."),
    Rule("contract", "A legal agreement between parties setting out obligations and terms."),
    Rule("report", "A report, manual or official publication: prose in sections with headings."),
]


def test_a_title_naming_another_name_of_the_description_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reams.processors.classify import offline

    receipt = tmp_path / "r.txt"
    receipt.write_text("CASH RECEIPT\n\nThank you for your visit.\nCoffee 2\nCake 1\nServer: Ann\n")
    agreement = tmp_path / "a.txt"
    agreement.write_text(
        "FRANCHISE AGREEMENT\n\nThis document is made between Acme Ltd and Bob Smith.\n"
        "1. Grant. Acme grants Bob the right to operate a shop under its brand.\n"
    )
    outcome = classify_offline(parse(receipt), ALIASED)
    assert outcome.type == "invoice"
    assert 'title "CASH RECEIPT" matches "receipt"' in outcome.reasoning
    deal = classify_offline(parse(agreement), ALIASED)
    assert deal.type == "contract"
    assert "matches" in deal.reasoning and '"agreement"' in deal.reasoning
    monkeypatch.setattr(offline, "ALIAS_FACTOR", 0.0)
    assert "CASH RECEIPT" not in classify_offline(parse(receipt), ALIASED).reasoning


WEB_RULES = [
    Rule("invoice", "An invoice, bill or receipt: a proof of payment listing goods and prices."),
    Rule("report", "A report or official publication: prose in sections with headings."),
    Rule("web_page", "A web page or online article (HTML) with links and navigation menus."),
]
RECEIPT_HTML = """<html><head><title>Receipt</title></head><body>
<h1>Header</h1><p>Order Receipt Details</p><p>Served by Ann, table 4</p>
<table><tr><th>Item</th><th>Qty</th></tr><tr><td>Coffee</td><td>2</td></tr>
<tr><td>Cake</td><td>1</td></tr></table><p>Thank you for dining with us</p></body></html>"""
ARTICLE_HTML = """<html><head><title>Gardens</title></head><body><nav><a href="/">Home</a>
<a href="/news">News</a></nav><h1>Community gardens grow in the city</h1>
<p>Residents planted vegetables on three empty lots this spring, the council said.</p>
<p>See <a href="/more">more stories</a>.</p></body></html>"""


def test_content_kind_beats_the_web_container(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    receipt = tmp_path / "receipt.html"
    receipt.write_text(RECEIPT_HTML)
    article = tmp_path / "article.html"
    article.write_text(ARTICLE_HTML)
    assert classify_offline(parse(receipt), WEB_RULES).type == "invoice"
    assert classify_offline(parse(article), WEB_RULES).type == "web_page"
    monkeypatch.setattr(structure, "CONTAINER_FAMILIES", frozenset())
    assert classify_offline(parse(receipt), WEB_RULES).type == "web_page"


def test_form_fields_reported_by_the_parser_make_a_fillable_form(tmp_path: Path) -> None:
    rules = [
        Rule("form", "A form to fill in, with labelled fields, boxes and checkboxes."),
        Rule("report", "A report or official publication: prose in sections with headings."),
        Rule("other", "Anything else."),
    ]
    path = tmp_path / "f.txt"
    path.write_text("Name\nCheck\nSubmit\n")
    parsed = parse(path)
    assert classify_offline(parsed, rules).type != "form"
    metadata = {**parsed["document"].get("metadata", {}), structure.FORM_FIELDS_KEY: 3}
    with_fields = {**parsed, "document": {**parsed["document"], "metadata": metadata}}
    outcome = classify_offline(with_fields, rules)
    assert outcome.type == "form"
    assert "fillable form" in outcome.reasoning
    odd = {**parsed, "document": {**parsed["document"], "metadata": {"form_field_count": "x"}}}
    assert classify_offline(odd, rules).type != "form"


PUBLICATION_RULES = [
    Rule("report", "A report or official publication: prose in sections, figures and tables."),
    Rule("spreadsheet", "A spreadsheet or workbook (Excel, CSV): rows and columns of values."),
    Rule("invoice", "A bill from a seller listing goods, prices, taxes and the total amount due."),
    Rule("other", "Anything else: a document that fits none of the other types."),
]
FIGURES = [["Region", "Permits", "Handguns", "Long guns", "Other", "Total"]] + [
    [f"Region {i}", f"{1000 + i * 37:,}", f"{2000 + i * 53:,}", f"{3000 + i * 71:,}", str(i * 3),
     f"{6000 + i * 161:,}"]
    for i in range(30)
]  # fmt: skip
WIDTHS = [120.0, 70.0, 70.0, 70.0, 50.0, 70.0]


def test_a_printed_page_of_figures_is_a_publication(tmp_path: Path) -> None:
    """A one-page PDF holding a table of figures across the page (a statistics release) is a
    report by the book family, however short; a sample grid of a few rows is not, and the same
    figures in a workbook are a spreadsheet."""
    from docgen_pdf_tables import make_table_page

    intro = "Background checks by region, November"
    page = make_table_page(tmp_path / "checks.pdf", FIGURES, WIDTHS, intro=intro)
    found = structure.facts(parse(page), "")
    assert found.families.get("book", 0.0) == pytest.approx(structure.PRINTED_TABLE_MAX)
    outcome = classify_offline(parse(page), PUBLICATION_RULES)
    assert outcome.type == "report"
    assert "long document" not in outcome.reasoning
    sample = make_table_page(tmp_path / "sample.pdf", FIGURES[:5], WIDTHS, intro="Sample")
    assert "book" not in structure.facts(parse(sample), "").families
    assert classify_offline(parse(sample), PUBLICATION_RULES).type == "other"
    book = make_xlsx(tmp_path / "checks.xlsx", [list(row) for row in FIGURES])
    assert classify_offline(parse(book), PUBLICATION_RULES).type == "spreadsheet"


def test_tables_do_not_make_a_long_printed_document_less_of_a_report(tmp_path: Path) -> None:
    """The report rule asks for tables: a multi-page PDF of prose and tables has the book
    strength of its prose alone (before, the share of text in tables counted against it)."""
    from reportlab.pdfgen.canvas import Canvas

    from docgen import PDF_PAGE_HEIGHT, PDF_PAGE_WIDTH
    from docgen_pdf_tables import draw_paragraph, draw_table

    prose = " ".join(["The agency reviewed the programme and its results over the year."] * 25)
    path = tmp_path / "annual.pdf"
    canvas = Canvas(str(path), (PDF_PAGE_WIDTH, PDF_PAGE_HEIGHT), invariant=1)
    for _ in range(6):
        top = draw_paragraph(canvas, prose, left=60, top=PDF_PAGE_HEIGHT - 60, width=480)
        draw_table(canvas, FIGURES[:12], WIDTHS, left=60, top=top - 20)
        canvas.showPage()
    canvas.save()
    parsed = parse(path)
    pages = parsed["pages"]
    assert any(i["type"] == "table" for p in pages for i in p["items"])
    prose_only = {
        **parsed,
        "pages": [{**p, "items": [i for i in p["items"] if i["type"] != "table"]} for p in pages],
    }
    with_tables = structure.facts(parsed, parsed["text_full"]).families.get("book", 0.0)
    without = structure.facts(prose_only, parsed["text_full"]).families.get("book", 0.0)
    assert without > 0.3
    assert with_tables == pytest.approx(without)


def test_a_long_word_document_is_long_without_page_breaks(tmp_path: Path) -> None:
    """Word, ODT, RTF and text files parse as one page whatever their length: their length in
    printed pages is estimated from the words, so a long handbook in DOCX is a publication."""
    sentence = "Operators check the pressure valves and record the readings in the log book. "
    sections = [f"# Section {n}\n" if n % 2 else sentence * 12 for n in range(1, 80)]
    long = docgen.make_docx(tmp_path / "handbook.docx", title="Plant", paragraphs=sections)
    parsed = parse(long)
    assert parsed["document"]["page_count"] == 1
    assert structure.facts(parsed, parsed["text_full"]).families.get("book", 0.0) > 0.3
    short = docgen.make_docx(tmp_path / "note.docx", title="Plant", paragraphs=sections[:6])
    parsed = parse(short)
    assert "book" not in structure.facts(parsed, parsed["text_full"]).families


# ---------------------------------------------------- generic name words and running heads

PAGE_RULES = [
    Rule("report", "A report, manual or official publication: prose in sections."),
    Rule("web_page", "A web page or online article (HTML), with links and navigation menus."),
    Rule("scientific_paper", "A research article with an abstract, methods and references."),
    Rule("contract", "A legal agreement between parties setting out obligations and terms."),
    Rule("other", "Anything else: a document that fits none of the other types."),
]


def test_generic_words_of_compound_names() -> None:
    """A word of a compound name that only says "a document" is generic; a one-word name and
    a compound of distinctive words keep every word."""
    from reams.processors.classify.offline import _rule_set

    rules = (
        Rule("web page", "x"),
        Rule("scientific_paper", "x"),
        Rule("strategic alliance", "x"),
        Rule("page", "x"),
        Rule("joint venture / joint filing", "x"),
    )
    generic = [t.generic for t in _rule_set(rules).terms]
    assert generic == [{"page"}, {"paper"}, set(), set(), {"filing"}]
    terms = _rule_set(rules).terms[0]
    assert lexical.best_phrase(terms, frozenset({"page"})) == (0.0, ())
    assert lexical.best_phrase(terms, frozenset({"web", "page"}))[0] == 1.0
    assert lexical.earliness(terms, ["next", "page", "last", "page"]) == 0.0


def test_a_printed_document_saying_page_is_not_a_web_page(tmp_path: Path) -> None:
    """'page' alone does not name a web page: a PDF whose title and body say "page" (a viewer's
    navigation help, a test file) is not one; a PDF titled "web page" still names the rule."""
    body = (
        "First Page Previous Page Next Page Last Page\n\n"
        "This is a page about France. The page lists the regions, and each page after it "
        "describes one region: the next page is about Brittany, the page after about Alsace."
    )
    pdf = docgen.make_pdf(tmp_path / "france.pdf", [body, "Page two about Alsace."])
    outcome = classify_offline(parse(pdf), PAGE_RULES)
    assert outcome.type == "other", outcome.reasoning
    named = docgen.make_pdf(
        tmp_path / "saved.pdf", ["Saved Web Page\n\nThe web page as it was printed. " + body]
    )
    assert classify_offline(parse(named), PAGE_RULES).type == "web_page"


def test_a_running_head_is_not_the_title(tmp_path: Path) -> None:
    """A line repeated at the top of every page (the parse's running header: a running head,
    a table header repeated on each page) is not where the document names itself."""
    from reams.processors.classify.offline import document_text

    head = "Service Contract Register"
    prose = (
        "The road maintenance programme resurfaced 240 kilometres of regional roads this "
        "year. Traffic counts rose on every corridor, and the inspection backlog fell. "
    )
    pages = [f"{head}\n\n# Annual Report on Road Maintenance\n\n{prose * 6}"]
    pages += [f"{head}\n\n{prose * 8}" for _ in range(3)]
    parsed = parse(docgen.make_pdf(tmp_path / "review.pdf", pages))
    assert parsed["pages"][0]["header"] == head
    text = document_text(parsed)
    assert head not in text.titles
    assert text.titles[0] == "Annual Report on Road Maintenance"
    assert not text.opening.startswith(head)
    outcome = classify_offline(parsed, PAGE_RULES)
    assert outcome.type == "report", outcome.reasoning
