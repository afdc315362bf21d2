"""Fixtures for processor tests; makes ``tests/docgen.py`` importable as ``docgen``."""

from __future__ import annotations

import pathlib
import sys
from collections.abc import Callable

import pytest

# Until ``tests`` is on pytest's pythonpath, put it there for ``from docgen import ...``.
_TESTS_DIR = pathlib.Path(__file__).resolve().parents[2]
if str(_TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(_TESTS_DIR))

CORPUS = pathlib.Path("/work/shared/corpus")


@pytest.fixture
def corpus_dir() -> Callable[[str], pathlib.Path]:
    """Return a corpus sub-folder, skipping the test with a clear reason if it is absent."""

    def folder(relative: str) -> pathlib.Path:
        path = CORPUS / relative
        if not path.is_dir():
            pytest.skip(f"shared corpus folder {path} is not available on this machine")
        return path

    return folder
