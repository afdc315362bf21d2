"""``reams run --job classify|extract`` as a user runs it: a subprocess over a folder of real
documents, with the rules / schema as JSON files, and the outputs and summary it leaves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli_run import count, reams
from test_sdk_analysis import CONTRACT, INVOICE, RESUME, RULES, SCHEMA


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "invoice.md").write_bytes(INVOICE)
    (folder / "sub" / "agreement.txt").write_bytes(CONTRACT)
    (folder / "cv.md").write_bytes(RESUME)
    return folder


@pytest.mark.slow
def test_classify_a_folder(tmp_path: Path, inbox: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(RULES))
    out = tmp_path / "out"
    done = reams(tmp_path / "data", "run", str(inbox), "--job", "classify", "--rules", str(rules),
                 "--out", str(out), "--param", "engine=offline")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert count(done.stdout, "completed") == 3
    assert "Classified as" in done.stdout
    labels = {
        name: json.loads((out / f"{name}.json").read_text())["result"]["type"]
        for name in ("invoice.md", "sub/agreement.txt", "cv.md")
    }
    assert labels == {"invoice.md": "invoice", "sub/agreement.txt": "contract", "cv.md": "resume"}
    assert not (out / "invoice.md.md").exists(), "classify writes JSON only"
    document = json.loads((out / "cv.md.json").read_text())
    assert document["engine"] == {"name": "offline"}
    assert document["result"]["reasoning"]

    # Again: every file is already processed, and the per-type summary still shows.
    again = reams(tmp_path / "data", "run", str(inbox), "--job", "classify", "--rules",
                  str(rules), "--out", str(out), "--param", "engine=offline")  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert count(again.stdout, "skipped") == 3
    assert "resume" in again.stdout


@pytest.mark.slow
def test_extract_a_folder(tmp_path: Path, inbox: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(SCHEMA))
    out = tmp_path / "out"
    done = reams(tmp_path / "data", "run", str(inbox), "--job", "extract", "--schema",
                 str(schema), "--out", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    document = json.loads((out / "invoice.md.json").read_text())
    assert document["extract_result"]["invoice_number"] == "INV-2024-0042"
    evidence = document["extract_metadata"]["field_metadata"]["document_metadata"]
    assert evidence["invoice_number"]["citation"][0]["page"] == 1


@pytest.mark.parametrize(
    ("job", "flag", "content", "words"),
    [
        ("classify", "--rules", "[]", "must not be empty"),
        ("classify", "--rules", json.dumps(RULES + RULES[:1]), "duplicate type"),
        ("classify", "--rules", "{not json", "not valid JSON"),
        ("extract", "--schema", '{"type": "object", "properties": {"a": {"type": "text"}}}', "a"),
    ],
)
def test_bad_rules_or_schema_stop_before_anything_runs(
    tmp_path: Path, inbox: Path, job: str, flag: str, content: str, words: str
) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(content)
    done = reams(tmp_path / "data", "run", str(inbox), "--job", job, flag, str(spec),
                 "--out", str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert words in done.stderr
    assert not (tmp_path / "out").exists()


def test_classify_needs_rules(tmp_path: Path, inbox: Path) -> None:
    done = reams(tmp_path / "data", "run", str(inbox), "--job", "classify", "--out",
                 str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 2
    assert "--rules" in done.stderr
