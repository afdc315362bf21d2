"""Fixtures for processor tests; makes ``tests/docgen.py`` importable as ``docgen``."""

from __future__ import annotations

import pathlib
import time
from collections.abc import Callable
from typing import Any

import pytest

from corpus import corpus_root
from reams.domain.errors import ProcessorError
from reams.processors import run

CORPUS = corpus_root()

# A parse with default options: (result, error, seconds); exactly one of result, error is None.
Parsed = tuple[dict[str, Any] | None, ProcessorError | None, float]


@pytest.fixture
def corpus_dir() -> Callable[[str], pathlib.Path]:
    """Return a corpus sub-folder, skipping the test with a clear reason if it is absent."""

    def folder(relative: str) -> pathlib.Path:
        path = CORPUS / relative
        if not path.is_dir():
            pytest.skip(f"shared corpus folder {path} is not available on this machine")
        return path

    return folder


@pytest.fixture(scope="session")
def parse_file() -> Callable[[pathlib.Path], Parsed]:
    """Parse a file with default options once per session (callers must not change the result).

    The bad-inputs sweep and the per-row expectations of that corpus read the same files, OCR
    included; each is parsed once. Any exception but a ProcessorError is raised, not kept.
    """
    parsed: dict[pathlib.Path, Parsed] = {}

    def parse(path: pathlib.Path) -> Parsed:
        if path not in parsed:
            started = time.monotonic()
            try:
                result: dict[str, Any] | None = run("parse", path.read_bytes(), path.name, {})
                error = None
            except ProcessorError as exc:
                result, error = None, exc
            parsed[path] = (result, error, time.monotonic() - started)
        return parsed[path]

    return parse
