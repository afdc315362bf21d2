"""The offline classify engine on real parses of generated documents (no mocks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import docgen
from reams import processors
from reams.processors.classify.model import ClassifyOutcome, Rule
from reams.processors.classify.offline import DEFAULT_THRESHOLD, classify_offline

RULES = [
    Rule(
        "invoice",
        "A bill from a seller listing goods or services, prices, taxes and the total due.",
    ),
    Rule("contract", "A legal agreement between parties setting out obligations, terms and term."),
    Rule("resume", "A CV describing a person's work experience, education and skills."),
]

INVOICE_PAGE = """# INVOICE

Invoice number: INV-2024-0193
Invoice date: 12 March 2024
Bill to: Northwind Traders Ltd, 12 Harbour Road, Leeds

- 3 x Consulting hours at 120.00 EUR = 360.00 EUR
- 1 x Software licence at 499.00 EUR = 499.00 EUR

Subtotal: 859.00 EUR
VAT 20%: 171.80 EUR
Total amount due: 1,030.80 EUR

Payment terms: 30 days. Please pay by bank transfer quoting the invoice number."""

CONTRACT_PARAGRAPHS = [
    "This Services Agreement is made on 1 April 2024 between Acme Corp (the Client) and "
    "Widget Works LLC (the Provider).",
    "# 1. Services",
    "The Provider shall perform the services described in Schedule A. The Client shall pay the "
    "fees set out in Schedule B within thirty days of each invoice.",
    "# 2. Term and Termination",
    "This Agreement starts on the Effective Date and continues for two years. Either party may "
    "terminate this Agreement on ninety days' written notice.",
    "# 3. Governing Law",
    "This Agreement is governed by the laws of the State of New York. IN WITNESS WHEREOF the "
    "parties have executed this Agreement.",
]

RESUME_PARAGRAPHS = [
    "Senior software engineer with ten years of experience building distributed systems.",
    "## Work experience",
    "- 2019-2024: Lead engineer, Globex. Designed the payments platform; led a team of six.",
    "- 2014-2019: Software engineer, Initech. Built data pipelines in Python and Go.",
    "## Education",
    "- MSc Computer Science, University of Edinburgh, 2014",
    "## Skills",
    "- Python, Go, PostgreSQL, Kubernetes; English and German",
]


def parse(path: Path) -> dict[str, Any]:
    return processors.run("parse", path.read_bytes(), path.name, {})


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("classify")
    return {
        "invoice": parse(docgen.make_pdf(out / "scan0001.pdf", [INVOICE_PAGE])),
        "contract": parse(
            docgen.make_docx(
                out / "doc1.docx", title="SERVICES AGREEMENT", paragraphs=CONTRACT_PARAGRAPHS
            )
        ),
        "resume": parse(
            docgen.make_markdown(out / "file.md", title="Jane Doe", paragraphs=RESUME_PARAGRAPHS)
        ),
    }


@pytest.mark.parametrize("kind", ["invoice", "contract", "resume"])
def test_each_kind_gets_its_rule(docs: dict[str, dict[str, Any]], kind: str) -> None:
    outcome = classify_offline(docs[kind], RULES)
    assert outcome.type == kind, outcome.reasoning
    assert DEFAULT_THRESHOLD <= outcome.confidence <= 1.0
    assert set(outcome.scores) == {r.type for r in RULES}
    assert all(0.0 <= s <= 1.0 for s in outcome.scores.values())
    assert max(outcome.scores, key=lambda t: outcome.scores[t]) == kind


def test_reasoning_names_the_evidence(docs: dict[str, dict[str, Any]]) -> None:
    reasoning = classify_offline(docs["invoice"], RULES).reasoning
    assert reasoning.startswith("'invoice'")
    assert 'title "INVOICE" matches "invoice"' in reasoning
    assert "mentions the type name" in reasoning
    assert "semantic similarity" in reasoning


def test_resume_without_the_word_resume_is_found_by_meaning(
    docs: dict[str, dict[str, Any]],
) -> None:
    assert "resume" not in docs["resume"]["text_full"].lower()
    outcome = classify_offline(docs["resume"], RULES)
    assert outcome.type == "resume"
    assert "the type name is not in the title" in outcome.reasoning


def test_high_threshold_gives_none_with_the_best_guess_explained(
    docs: dict[str, dict[str, Any]],
) -> None:
    outcome = classify_offline(docs["resume"], RULES, threshold=0.9999)
    assert outcome.type is None
    assert outcome.reasoning.startswith("no rule fits: the best, 'resume'")
    assert 0.0 < outcome.confidence < 0.9999


def test_no_fitting_rule_gives_none(docs: dict[str, dict[str, Any]]) -> None:
    rules = [
        Rule("recipe", "A cooking recipe with ingredients, quantities and preparation steps."),
        Rule("poem", "A poem in verse, with stanzas and rhymes."),
    ]
    outcome = classify_offline(docs["invoice"], rules)
    assert outcome.type is None
    assert outcome.confidence < DEFAULT_THRESHOLD


def test_single_rule_is_an_absolute_question(docs: dict[str, dict[str, Any]]) -> None:
    invoice_rule = [RULES[0]]
    assert classify_offline(docs["invoice"], invoice_rule).type == "invoice"
    fits = classify_offline(docs["invoice"], invoice_rule).confidence
    misfit = classify_offline(docs["resume"], invoice_rule)
    assert misfit.type is None
    assert misfit.confidence < fits
    assert set(misfit.scores) == {"invoice"}


def test_deterministic(docs: dict[str, dict[str, Any]]) -> None:
    first = classify_offline(docs["contract"], RULES)
    again = classify_offline(docs["contract"], [Rule(r.type, r.description) for r in RULES])
    assert first == again
    assert isinstance(first, ClassifyOutcome)


def test_rule_order_does_not_change_the_answer(docs: dict[str, dict[str, Any]]) -> None:
    forward = classify_offline(docs["contract"], RULES)
    backward = classify_offline(docs["contract"], list(reversed(RULES)))
    assert forward.type == backward.type == "contract"
    assert forward.scores == backward.scores


def test_blank_pdf_page_has_no_text(tmp_path: Path) -> None:
    path = docgen.make_pdf(tmp_path / "blank.pdf", [""])
    outcome = classify_offline(parse(path), RULES)
    assert outcome.type is None
    assert outcome.confidence == 0.0
    assert outcome.reasoning == "no text"
    assert outcome.scores == {"invoice": 0.0, "contract": 0.0, "resume": 0.0}


def test_text_without_words_has_no_text(tmp_path: Path) -> None:
    path = docgen.make_text(tmp_path / "rule.txt", "-----\n*** ... ***\n\u00a0\u200b")
    assert classify_offline(parse(path), RULES).reasoning == "no text"


def test_missing_fields_and_no_rules() -> None:
    assert classify_offline({}, RULES).reasoning == "no text"
    assert classify_offline({"pages": [{"text": "INVOICE\nTotal due 5 EUR"}]}, RULES).type == (
        "invoice"
    )
    assert classify_offline({"text_full": "anything"}, []).type is None


def test_unicode_and_accents(tmp_path: Path) -> None:
    text = (
        "FACTURE N° 2024-117\n\nDate : 3 février 2024\nClient : Société Générale d'Éditions\n\n"
        "Désignation : prestations de conseil — 1 200,00 €\nTVA 20 % : 240,00 €\n"
        "Montant total dû : 1 440,00 €\n"
    )
    rules = [
        Rule("facture", "Une facture : montant total dû, TVA, désignation des prestations."),
        Rule("contrat", "Un contrat entre des parties, avec leurs obligations et sa durée."),
        Rule("履歴書", "日本の履歴書：学歴と職歴"),
    ]
    path = docgen.make_text(tmp_path / "f.txt", text)
    outcome = classify_offline(processors.run("parse", path.read_bytes(), path.name, {}), rules)
    assert outcome.type == "facture"
    assert '"facture"' in outcome.reasoning
    cjk = docgen.make_text(
        tmp_path / "j.txt", "履歴書\n\n学歴：東京大学 卒業\n職歴：ソフトウェア開発"
    )
    parsed = processors.run("parse", cjk.read_bytes(), cjk.name, {})
    assert classify_offline(parsed, rules).type == "履歴書"
