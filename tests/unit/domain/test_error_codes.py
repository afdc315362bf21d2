"""The table of error codes is the one list: every code the source raises is in it, every code in
it is raised somewhere, and the README's list is rendered from it."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from reams.domain.error_codes import ERROR_CODES, markdown_list

ROOT = Path(__file__).resolve().parents[3]
CODE = re.compile(r"^[a-z][a-z0-9_]+$")


def _strings(node: ast.AST | None) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def _codes_in(node: ast.AST) -> Iterator[str]:
    """Literal codes where errors are made: ``ProcessorError("code", ...)``, ``code=``/
    ``error_code=`` arguments, ``{"error_code": ...}`` and ``code = ...``."""
    if isinstance(node, ast.Call):
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name == "ProcessorError" and node.args:
            yield from _strings(node.args[0])
        for keyword in node.keywords:
            if keyword.arg in ("code", "error_code"):
                yield from _strings(keyword.value)
    elif isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == "error_code":
                yield from _strings(value)
    elif isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id in ("code", "error_code") for t in node.targets
    ):
        yield from _strings(node.value)


def _raised() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / "src" / "reams").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for code in _codes_in(node):
                found.setdefault(code, set()).add(path.relative_to(ROOT).as_posix())
    return found


def test_the_table_holds_exactly_the_codes_the_source_raises() -> None:
    raised = _raised()
    missing = {code: sorted(where) for code, where in raised.items() if code not in ERROR_CODES}
    assert not missing, f"add these codes to src/reams/domain/error_codes.py: {missing}"
    assert set(ERROR_CODES) == set(raised), f"never raised: {set(ERROR_CODES) - set(raised)}"
    assert {"file_missing", "llm_unavailable", "llm_bad_output"} <= set(ERROR_CODES)


def test_the_readme_list_is_rendered_from_the_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- error-codes:start -->\n(.*?)\n<!-- error-codes:end -->", readme, re.S)
    assert block, "the README lost its error-codes markers"
    assert block.group(1) == markdown_list(), (
        "README.md's error-code list is stale: paste reams.domain.error_codes.markdown_list() "
        "between its error-codes markers"
    )
