"""Robustness sweep: every file of the shared bad-inputs corpus ends in a result or a
ProcessorError, never another exception, and quickly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reams.domain.errors import ProcessorError

SECONDS_PER_FILE = 5.0
# The session's ``parse_file`` fixture (conftest.py): (result, error, seconds), parsed once.
ParseFile = Callable[[Path], tuple[dict[str, Any] | None, ProcessorError | None, float]]


@pytest.mark.slow
def test_every_bad_input_parses_or_fails_cleanly(
    corpus_dir: Callable[[str], Path], parse_file: ParseFile
) -> None:
    root = corpus_dir("bad-inputs")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".csv")
    assert files, "the bad-inputs corpus folder is empty"
    outcomes: dict[str, str] = {}
    for path in files:
        result, error, seconds = parse_file(path)  # a ProcessorError is kept, others raise
        if error is not None:
            outcomes[path.name] = error.code
        else:
            assert result is not None and result["type"] == "parse", path
            outcomes[path.name] = "ok"
        assert seconds < SECONDS_PER_FILE, path
    assert outcomes["pdfplumber-empty.pdf"] == "empty_document"
    assert outcomes["pypdf-r4-user-password.pdf"] == "encrypted_document"
    assert outcomes["tika-testWORD_truncated.docx"] == "corrupt_document"
    assert outcomes["pypdf-r5-empty-password.pdf"] == "ok"
