"""The offline engine's parts: the numpy-only embedding model, lexical stems, title lines."""

from __future__ import annotations

import numpy as np

from reams.processors.classify import embed, lexical, title


def test_model_is_loaded_once_and_small() -> None:
    model = embed.model()
    assert embed.model() is model
    assert model.vectors.shape == (len(model.vocab), 256)
    assert model.vectors.dtype == np.float32


def test_wordpiece_tokenizer_lowercases_strips_accents_and_splits() -> None:
    model = embed.model()
    names = {index: token for token, index in model.vocab.items()}
    tokens = [names[i] for i in model.token_ids("DISTRIBUTOR Agreement, naïve franchisor 中文")]
    assert tokens[:4] == ["distributor", "agreement", ",", "naive"]
    assert "##sor" in tokens
    assert tokens[-2:] == ["中", "文"]
    assert model.token_ids("") == []


def test_embeddings_are_unit_vectors_and_carry_meaning() -> None:
    invoice = embed.embed("invoice: total amount due, VAT and payment terms")
    bill = embed.embed("a bill listing prices and the sum to pay")
    poem = embed.embed("roses bloom beneath the silver moon")
    assert abs(float(np.linalg.norm(invoice)) - 1.0) < 1e-5
    assert float(invoice @ bill) > float(invoice @ poem)
    assert not embed.embed("   ").any()


def test_stems_collapse_inflections() -> None:
    assert len({lexical.stem(w) for w in ("distributor", "distributors", "distribution")}) == 1
    assert lexical.stem("licensee") == lexical.stem("license")
    assert lexical.words("Résumé — ÉCOLE") == ["resume", "ecole"]


def test_rule_terms_split_alternative_names() -> None:
    terms = lexical.rule_terms("joint venture / joint filing", "Parties form a joint venture.")
    joint, venture, filing = (lexical.stem(w) for w in ("joint", "venture", "filing"))
    assert terms.phrases == ((joint, venture), (joint, filing))
    assert lexical.stem("parties") in terms.key_terms
    assert joint not in terms.key_terms  # name words are not key terms too


def test_title_lines_of_run_together_text() -> None:
    text = "Exhibit 10.1   CONFIDENTIAL   ACME INC.  DISTRIBUTOR AGREEMENT   This Agreement is made"
    found = title.titles(text)
    assert any("DISTRIBUTOR AGREEMENT" in line for line in found)
    assert title.titles("# Heading\nbody", ["Heading"])[0] == "Heading"
