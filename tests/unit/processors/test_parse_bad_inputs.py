"""Robustness sweep: every file of the shared bad-inputs corpus ends in a result or a
ProcessorError, never another exception, and quickly."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from reams.domain.errors import ProcessorError
from reams.processors import run

SECONDS_PER_FILE = 5.0


def test_every_bad_input_parses_or_fails_cleanly(corpus_dir: Callable[[str], Path]) -> None:
    root = corpus_dir("bad-inputs")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".csv")
    assert files, "the bad-inputs corpus folder is empty"
    outcomes: dict[str, str] = {}
    for path in files:
        started = time.monotonic()
        try:
            result = run("parse", path.read_bytes(), path.name, {})
        except ProcessorError as error:
            outcomes[path.name] = error.code
        else:
            assert result["type"] == "parse", path
            outcomes[path.name] = "ok"
        assert time.monotonic() - started < SECONDS_PER_FILE, path
    assert outcomes["pdfplumber-empty.pdf"] == "empty_document"
    assert outcomes["pypdf-r4-user-password.pdf"] == "encrypted_document"
    assert outcomes["tika-testWORD_truncated.docx"] == "corrupt_document"
    assert outcomes["pypdf-r5-empty-password.pdf"] == "ok"
