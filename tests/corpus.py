"""Where the shared corpus lives: ``REAMS_CORPUS``, else ``../shared/corpus`` beside the repo."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def corpus_root() -> Path:
    configured = os.environ.get("REAMS_CORPUS")
    return Path(configured) if configured else REPO.parent / "shared" / "corpus"
