"""HTML quality against docling's ground truth (``docling-groundtruth/html``): the mean word-level
similarity of reams' Markdown to the expected Markdown, per corpus split. The floors guard
against regressions; rules were tuned on dev only (holdout: last hex digit of
sha256(path relative to the set folder) in 0-3)."""

from __future__ import annotations

import difflib
import hashlib
import html
import re
import statistics
from collections.abc import Callable
from pathlib import Path

from reams.processors import run

DEV_FLOOR = 0.97
HOLDOUT_FLOOR = 0.95

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_WORD = re.compile(r"[^\W_]+")


def _words(markdown: str) -> list[str]:
    # Words only: Markdown conventions (table rules, image marks, link targets) do not count.
    text = _LINK.sub(r" \1 ", _IMAGE.sub(" ", _COMMENT.sub(" ", markdown)))
    return _WORD.findall(html.unescape(text).casefold())


def _similarity(expected: str, actual: str) -> float:
    matcher = difflib.SequenceMatcher(None, _words(expected), _words(actual), autojunk=False)
    return matcher.ratio()


def _split(relative: str) -> str:
    return "holdout" if hashlib.sha256(relative.encode()).hexdigest()[-1] in "0123" else "dev"


def test_html_similarity_to_docling_groundtruth(corpus_dir: Callable[[str], Path]) -> None:
    root = corpus_dir("docling-groundtruth")
    scores: dict[str, list[float]] = {"dev": [], "holdout": []}
    for source in sorted((root / "html" / "sources").glob("*.html")):
        expected = root / "html" / "groundtruth" / f"{source.name}.md"
        if not expected.is_file():
            continue
        actual = str(run("parse", source.read_bytes(), source.name, {})["markdown_full"])
        score = _similarity(expected.read_text(encoding="utf-8"), actual)
        scores[_split(source.relative_to(root).as_posix())].append(score)
    dev, holdout = statistics.mean(scores["dev"]), statistics.mean(scores["holdout"])
    print(
        f"\ndocling html similarity: dev {dev:.3f} (n={len(scores['dev'])}), "
        f"holdout {holdout:.3f} (n={len(scores['holdout'])})"
    )
    assert dev >= DEV_FLOOR
    assert holdout >= HOLDOUT_FLOOR
