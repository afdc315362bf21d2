"""The offline engine on real contracts of the shared corpus (CUAD), with the bench's rules."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from corpus import corpus_root
from reams import processors
from reams.processors.classify.model import Rule
from reams.processors.classify.offline import classify_offline

RULES_FILE = Path(__file__).resolve().parents[4] / "bench" / "classify" / "cuad_rules.json"
CUAD = corpus_root() / "cuad"


def test_ten_real_contracts() -> None:
    if not (CUAD / "labels.csv").is_file():
        pytest.skip(f"the shared corpus ({CUAD}) is not available on this machine")
    rules = [Rule(**r) for r in json.loads(RULES_FILE.read_text(encoding="utf-8"))]
    with (CUAD / "labels.csv").open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: r["doc_id"])[::51][:10]
    right = []
    for row in rows:
        data = (CUAD / row["txt"]).read_bytes()
        parsed = processors.run("parse", data, "contract.txt", {})  # no label in the name
        outcome = classify_offline(parsed, rules)
        assert outcome.reasoning
        right.append(outcome.type == row["contract_type"])
    # The whole set scores about 0.85 (bench/classify_quality.py); ten must not fall far below.
    assert sum(right) >= 7, right
