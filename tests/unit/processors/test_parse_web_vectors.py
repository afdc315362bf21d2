"""markitdown's test vectors (``markitdown-tests/test_vectors.json``): per file, strings the
Markdown must contain and strings it must not. Every vector whose file is in the corpus and
whose format reams parses is run; the share of satisfied strings must be complete on the web,
mail and text formats (HTML, EML/MSG, text, JSON, XML, CSV) and is reported for the rest.
The ``DATA_URI_TEST_VECTORS`` are not run: they ask for images inlined as base64 data URIs, an
option (markitdown's ``keep_data_uris``) that reams does not offer; it always shortens them."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from corpus import corpus_root
from reams.domain.errors import ProcessorError
from reams.processors import run

VECTORS_DIR = corpus_root() / "markitdown-tests"
OWNED_SUFFIXES = frozenset(
    {".html", ".htm", ".eml", ".msg", ".txt", ".md", ".json", ".xml", ".csv"}
)


@dataclass(frozen=True)
class Outcome:
    satisfied: int
    total: int
    misses: tuple[str, ...]


def _vectors() -> list[dict[str, object]]:
    path = VECTORS_DIR / "test_vectors.json"
    if not path.is_file():
        return []
    vectors = json.loads(path.read_text(encoding="utf-8"))["GENERAL_TEST_VECTORS"]
    return [vector for vector in vectors if isinstance(vector, dict)]


def _require_corpus() -> None:
    if not (VECTORS_DIR / "test_vectors.json").is_file():
        pytest.skip(f"shared corpus folder {VECTORS_DIR} is not available on this machine")


@functools.cache
def _outcome(filename: str) -> Outcome | str:
    """The vector's outcome, or the reason it cannot be run."""
    vector = next(v for v in _vectors() if v["filename"] == filename)
    path = VECTORS_DIR / filename
    if not path.is_file():
        return f"{filename} is not in the corpus (left out upstream)"
    try:
        markdown = str(run("parse", path.read_bytes(), filename, {})["markdown_full"])
    except ProcessorError as error:
        if error.code == "unsupported_format":
            return f"{filename}: format not implemented ({error})"
        raise
    misses = [f"missing {s!r}" for s in _strings(vector, "must_include") if s not in markdown]
    misses += [f"present {s!r}" for s in _strings(vector, "must_not_include") if s in markdown]
    total = len(_strings(vector, "must_include")) + len(_strings(vector, "must_not_include"))
    return Outcome(total - len(misses), total, tuple(misses))


def _strings(vector: dict[str, object], key: str) -> list[str]:
    values = vector.get(key)
    return [str(value) for value in values] if isinstance(values, list) else []


@pytest.mark.parametrize(
    "filename", [str(v["filename"]) for v in _vectors()] or ["test_vectors.json"]
)
def test_vector(filename: str) -> None:
    _require_corpus()
    outcome = _outcome(filename)
    if isinstance(outcome, str):
        pytest.skip(outcome)
    if Path(filename).suffix.lower() in OWNED_SUFFIXES:
        assert outcome.misses == (), outcome.misses


def test_overall_share_is_reported() -> None:
    _require_corpus()
    outcomes = {str(v["filename"]): _outcome(str(v["filename"])) for v in _vectors()}
    run_outcomes = {name: o for name, o in outcomes.items() if isinstance(o, Outcome)}
    satisfied = sum(o.satisfied for o in run_outcomes.values())
    total = sum(o.total for o in run_outcomes.values())
    owned = [o for n, o in run_outcomes.items() if Path(n).suffix.lower() in OWNED_SUFFIXES]
    print(
        f"\nmarkitdown vectors: {satisfied}/{total} strings satisfied ({satisfied / total:.1%}) on "
        f"{len(run_outcomes)} files run, {len(outcomes) - len(run_outcomes)} skipped"
    )
    for name, outcome in outcomes.items():
        shown = outcome if isinstance(outcome, str) else f"{outcome.satisfied}/{outcome.total}"
        print(f"  {name}: {shown}")
    assert owned, "no web, mail or text vector ran"
    assert sum(o.satisfied for o in owned) == sum(o.total for o in owned)
