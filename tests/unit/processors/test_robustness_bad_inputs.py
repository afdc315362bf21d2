"""Every row of the bad-inputs corpus's ``EXPECTED.csv``, checked against its behaviour column.

The behaviour column is prose from the upstream test suites. :func:`expectation` reads it into an
outcome: the document opens (with the texts, page count or producer the prose names), or it fails
with a stable code (``encrypted_document`` for a password or rights management, ``empty_document``
for nothing to read), or either, where the prose allows both. A format reams does not read must
fail with ``unsupported_format``, whatever the prose expects of a reader that does. Every file
runs with default options, OCR included, and must finish within :data:`SECONDS_PER_FILE`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from corpus import corpus_root
from reams.domain.errors import ProcessorError
from reams.processors.parse import SUPPORTED_TYPES, detect_type

ROOT = corpus_root() / "bad-inputs"
CONTROL = "pdf-encrypted/pypdf-unencrypted.pdf"
SECONDS_PER_FILE = 10.0  # one page of OCR on a busy machine included
# The session's ``parse_file`` fixture (conftest.py): (result, error, seconds), parsed once.
ParseFile = Callable[[Path], tuple[dict[str, Any] | None, ProcessorError | None, float]]
STABLE_CODES = frozenset(
    {
        "encrypted_document",
        "corrupt_document",
        "empty_document",
        "unsupported_format",
        "timeout",
        "too_large",
    }
)

# Where the prose asks for more than the file holds, or than reams means to give, and why.
NO_BODY_TEXT = {
    "pdf-malformed/tika-testPDF_malformedXFA.pdf": "its only page is 1 x 1 pt and has no content",
    "pdf-malformed/pdfplumber-issue-297-example.pdf": "its page is empty: it tests odd metadata",
}
NOT_EXPECTED_TEXT = {
    "office-malformed/unstructured-fake-power-point-malformed.pptx": {
        "Problem Date Placeholder": "slide date placeholders are left out, as footers are",
    },
}

_NEEDS_PASSWORD = re.compile(r"needs (a |user )?password|password \"|open password|user pw")
_WANTS_TEXT = re.compile(
    r"text extracted|extraction must succeed|keep text|pages still extracted|text still extracted"
)
_QUOTED = re.compile(r"(?:contains|title|elements\[\d\]=)\s*\"([^\"]+)\"")
_PAGES = re.compile(r"(\d+) pages")
_PRODUCER = re.compile(r"producer \"([^\"]+)\"")
_WARNS = re.compile(r"warn \"([^\"]+)\"")


@dataclass(frozen=True)
class Expected:
    """What the behaviour column asks of one file."""

    outcome: str  # "ok", "error" or "either"
    code: str | None = None
    texts: tuple[str, ...] = ()
    wants_text: bool = False
    pages: int | None = None
    producer: str | None = None
    same_as_control: bool = False
    warning: str | None = None
    notes: dict[str, str] = field(default_factory=dict)


def expectation(row: dict[str, str]) -> Expected:
    """Read the behaviour column of one EXPECTED.csv row."""
    behaviour, kind = row["expected_behaviour"], row["kind"].lower()
    low = behaviour.lower()
    if kind == "expected text":
        return Expected("ok", wants_text=True)  # a plain text file beside the PDF it describes
    if low.startswith("opens") or "same text as" in low:
        return _opens(behaviour)
    if "cannot be decrypted" in low or _NEEDS_PASSWORD.search(low):
        return Expected("error", code="encrypted_document")
    if "empty result" in low or "zero-byte" in kind:
        return Expected("error", code="empty_document")
    if "must fail cleanly" in low and ("password" in kind or "encrypted" in kind):
        return Expected("error", code="encrypted_document")
    warns = _WARNS.search(low)
    if warns:
        return Expected("either", code="encrypted_document", warning=warns.group(1))
    if "or fail cleanly" in low or "or return partial text" in low:
        return Expected("either")
    return Expected("ok", texts=tuple(_QUOTED.findall(behaviour)), wants_text=_wants_text(low))


def _opens(behaviour: str) -> Expected:
    low = behaviour.lower()
    pages = _PAGES.search(low)
    producer = _PRODUCER.search(behaviour)
    return Expected(
        "ok",
        texts=tuple(_QUOTED.findall(behaviour)),
        pages=int(pages.group(1)) if pages else None,
        producer=producer.group(1) if producer else None,
        same_as_control="same text as" in low,
        wants_text=True,  # every file said to open has text (the scanned one by OCR)
    )


def _wants_text(low: str) -> bool:
    return bool(_WANTS_TEXT.search(low))


def _csv_rows() -> list[dict[str, str]]:
    expected = ROOT / "EXPECTED.csv"
    if not expected.is_file():
        return []
    with expected.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _rows() -> list[object]:
    rows = _csv_rows()
    if not rows:
        reason = f"shared corpus folder {ROOT} is not available on this machine"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="corpus-absent")]
    return [pytest.param(row, id=row["file"]) for row in rows]


def _text(result: dict[str, object]) -> str:
    return " ".join(str(result["text_full"]).split())


@pytest.mark.parametrize("row", _rows())
def test_bad_input_behaves_as_expected(row: dict[str, str], parse_file: ParseFile) -> None:
    relative = row["file"]
    expected = expectation(row)
    result, error, seconds = parse_file(ROOT / relative)  # parsed once per session
    assert seconds < SECONDS_PER_FILE, f"{relative} took {seconds:.1f} s"
    if error is not None:
        assert error.code in STABLE_CODES, f"{relative}: unstable code {error.code!r}"
        # A sentence for a user, not an exception's text.
        message = error.message
        assert message[:1].isupper() and message.endswith("."), message
        assert "Traceback" not in message and "Error(" not in message, message
    kind = detect_type((ROOT / relative).read_bytes(), relative)
    if kind not in SUPPORTED_TYPES and expected.code != "encrypted_document":
        assert error is not None and error.code == "unsupported_format", relative
        return
    if expected.outcome == "error" or (expected.outcome == "either" and error is not None):
        assert error is not None, f"{relative} parsed, but {row['expected_behaviour']!r}"
        assert expected.code is None or error.code == expected.code, (relative, error.code)
        return
    assert result is not None and error is None, f"{relative}: {error}"
    _check_result(relative, result, expected, parse_file)


def _check_result(
    relative: str, result: dict[str, Any], expected: Expected, parse_file: ParseFile
) -> None:
    text = _text(result)
    document = result["document"]
    assert isinstance(document, dict)
    if expected.wants_text and relative not in NO_BODY_TEXT:
        assert text, f"{relative} gave no text"
    skipped = NOT_EXPECTED_TEXT.get(relative, {})
    for wanted in expected.texts:
        if wanted not in skipped:
            assert " ".join(wanted.split()) in text, f"{wanted!r} not in {relative}"
    if expected.pages is not None:
        assert document["page_count"] == expected.pages
    if expected.producer is not None:
        assert document["metadata"]["producer"] == expected.producer
    if expected.warning is not None:
        assert any(expected.warning in str(w).lower() for w in document["warnings"]), relative
    if expected.same_as_control:
        control, _, _ = parse_file(ROOT / CONTROL)
        assert control is not None and text == _text(control)


def test_every_kind_of_row_is_understood() -> None:
    """The reading of the prose covers every outcome: a change in the CSV cannot slip through."""
    rows = _csv_rows()
    if not rows:
        pytest.skip(f"shared corpus folder {ROOT} is not available on this machine")
    outcomes = {expectation(row).outcome for row in rows}
    assert outcomes == {"ok", "error", "either"}
    encrypted = [row for row in rows if expectation(row).code == "encrypted_document"]
    assert len(encrypted) >= 20  # the pypdf matrix, the tika and unstructured files
