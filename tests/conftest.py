"""Shared fixtures: a real reams server per test module, the official SDK against it, and
small real documents made here (plus PDF/DOCX from ``tests/docgen.py`` when it is present).
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from llama_cloud import LlamaCloud

from servers import RunningServer, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A real server (uvicorn subprocess) on a fresh data dir, shared by one test module."""
    running = start_server(tmp_path_factory.mktemp("reams-data"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def sdk(server: RunningServer) -> Iterator[LlamaCloud]:
    """The official SDK, strict validation on, no retries (so a failure shows at once)."""
    client = LlamaCloud(
        api_key="test",
        base_url=server.base_url,
        _strict_response_validation=True,
        max_retries=0,
    )
    yield client
    client.close()


MARKDOWN = b"""# Quarterly report

Revenue grew **12%** over the quarter.

## Regions

- North: strong demand
- South: steady
"""

CSV = b"""region,quarter,revenue
North,Q1,1200
South,Q1,950
West,Q1,1010
"""

HTML = b"""<!doctype html>
<html><head><title>Meeting notes</title></head>
<body><h1>Meeting notes</h1>
<p>The committee approved the <b>budget</b> for the new library.</p>
<table><tr><th>Item</th><th>Cost</th></tr><tr><td>Shelves</td><td>4000</td></tr></table>
</body></html>
"""


def _docgen_documents() -> dict[str, bytes]:
    """PDF and DOCX samples from the project's own generator (``tests/docgen.py``), when it
    exists; a maker is used with its defaults, so only makers that need no arguments count."""
    try:
        import docgen  # type: ignore[import-not-found]
    except ImportError:
        return {}
    made: dict[str, bytes] = {}
    for name, maker_name in (("minutes.pdf", "make_pdf"), ("letter.docx", "make_docx")):
        maker = getattr(docgen, maker_name, None)
        if maker is not None and _needs_no_arguments(maker):
            made[name] = _as_bytes(maker())
    return made


def _needs_no_arguments(func: Callable[..., object]) -> bool:
    params = inspect.signature(func).parameters.values()
    return all(
        p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params
    )


def _as_bytes(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    return Path(str(value)).read_bytes()


@pytest.fixture(scope="session")
def sample_docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A few small real documents on disk, by file name; the text ones are always there."""
    folder = tmp_path_factory.mktemp("sample-docs")
    contents = {"report.md": MARKDOWN, "sales.csv": CSV, "notes.html": HTML}
    contents.update(_docgen_documents())
    paths = {}
    for name, data in contents.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths
