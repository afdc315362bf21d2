"""Fixtures for processor tests; makes ``tests/docgen.py`` importable as ``docgen``."""

from __future__ import annotations

import pathlib
from collections.abc import Callable

import pytest

from corpus import corpus_root

CORPUS = corpus_root()


@pytest.fixture
def corpus_dir() -> Callable[[str], pathlib.Path]:
    """Return a corpus sub-folder, skipping the test with a clear reason if it is absent."""

    def folder(relative: str) -> pathlib.Path:
        path = CORPUS / relative
        if not path.is_dir():
            pytest.skip(f"shared corpus folder {path} is not available on this machine")
        return path

    return folder
