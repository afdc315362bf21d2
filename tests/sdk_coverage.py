"""Which acceptance test drives each method of the installed llama-cloud SDK against reams.

Standard library only (it runs under the main venv's llama-cloud 2.13 and under
``.venv-sdk219``'s 2.19). A method counts as covered when a test function in the acceptance
tests of that SDK version calls it on a client (``.<resource>.<method>(`` in its source, found
with ``ast``), or when ``COVERED_BY`` names the test that reaches it in another way. Every other
in-scope method must be listed in ``OUT_OF_SCOPE`` with the reason, so a new SDK release with
new methods fails ``test_every_sdk_method_is_covered`` until someone decides.

``python tests/sdk_coverage.py --markdown`` prints this version's rows of the compatibility
matrix (``tests/sdk_matrix.py`` joins both versions into ``docs/compatibility.md``).
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from sdk_surface import surface  # noqa: E402

# Test files that run under each SDK generation.
TEST_DIRS = {"2.13": (HERE / "acceptance",), "2.19": (HERE / "acceptance" / "sdk219",)}

# Methods a test reaches without spelling the call (e.g. through a helper it calls).
COVERED_BY: dict[str, str] = {
    # classifier.classify() is create -> wait_for_completion -> get_results.
    "classifier.wait_for_completion": (
        "tests/acceptance/test_sdk_catalog_extras.py::test_classify_helper_end_to_end"
    ),
}

# In-scope methods reams deliberately does not serve, with the reason users see here.
OUT_OF_SCOPE: dict[str, str] = {}


@dataclass(frozen=True)
class Row:
    method: str
    http: str
    covered_by: str | None
    out_of_scope: str | None


def sdk_generation(version: str) -> str:
    return "2.19" if version.startswith("2.19.") else "2.13"


def _calls(tree: ast.AST, source: str, path: Path) -> dict[str, str]:
    """``resource.method`` suffixes called in each test function -> the test's id."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            test_id = f"{path.relative_to(HERE.parent)}::{node.name}"
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
                    dotted = _dotted(call.func)
                    if dotted:
                        found.setdefault(dotted, test_id)
    return found


def _dotted(node: ast.Attribute) -> str:
    parts: list[str] = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    return ".".join(reversed(parts))


def _drives_the_sdk(source: str) -> bool:
    # Only modules that use the official SDK count: reams's own client has the same tree.
    return "from llama_cloud import" in source or "import llama_cloud" in source


def test_calls(generation: str) -> dict[str, str]:
    """Every dotted call made in the acceptance tests of one SDK generation."""
    calls: dict[str, str] = {}
    for folder in TEST_DIRS[generation]:
        for path in sorted(folder.glob("test_*.py")):
            source = path.read_text(encoding="utf-8")
            if not _drives_the_sdk(source):
                continue
            for dotted, test_id in _calls(ast.parse(source), source, path).items():
                calls.setdefault(dotted, test_id)
    return calls


def _covering_test(method: str, calls: dict[str, str]) -> str | None:
    if method in COVERED_BY:
        return COVERED_BY[method]
    for dotted, test_id in calls.items():
        if dotted == method or dotted.endswith(f".{method}"):
            return test_id
    return None


def rows() -> tuple[str, list[Row]]:
    data = surface()
    calls = test_calls(sdk_generation(data["version"]))
    out = []
    for resource, methods in sorted(data["resources"].items()):
        for name, info in sorted(methods.items()):
            method = f"{resource}.{name}"
            http = ", ".join(f"{c['verb']} {c['path']}" for c in info["http"]) or "(helper)"
            out.append(Row(method, http, _covering_test(method, calls), OUT_OF_SCOPE.get(method)))
    return data["version"], out


def problems() -> list[str]:
    version, found = rows()
    wrong = [
        f"{r.method}: neither covered by a test nor listed in OUT_OF_SCOPE"
        for r in found
        if r.covered_by is None and r.out_of_scope is None
    ]
    for method, test_id in COVERED_BY.items():
        file, _, name = test_id.partition("::")
        if f"def {name}(" not in (HERE.parent / file).read_text(encoding="utf-8"):
            wrong.append(f"{method}: COVERED_BY names {test_id}, which does not exist")
    return [f"llama-cloud {version}: {w}" for w in wrong]


def markdown() -> str:
    version, found = rows()
    served = [r for r in found if r.out_of_scope is None]
    lines = [
        f"### llama-cloud {version}",
        "",
        f"{len(found)} methods in scope; {sum(r.covered_by is not None for r in served)} "
        f"served and driven by a test; {len(found) - len(served)} out of scope.",
        "",
        "| method | HTTP | status | test or reason |",
        "|---|---|---|---|",
    ]
    for r in found:
        if r.out_of_scope is not None:
            lines.append(f"| `{r.method}` | {r.http} | out of scope | {r.out_of_scope} |")
        elif r.covered_by is not None:
            lines.append(f"| `{r.method}` | {r.http} | works | `{r.covered_by}` |")
        else:
            lines.append(f"| `{r.method}` | {r.http} | **not covered** | |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the matrix rows")
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown(), end="")
        return 0
    found = problems()
    print("\n".join(found) or "every in-scope method is covered or out of scope")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
