"""Fixtures for the acceptance tier: a real server per module, the official SDK against it,
small real documents, and PostgreSQL (``fixtures_servers.py``, ``fixtures_postgres.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from llama_cloud import LlamaCloud

from fixtures_postgres import pg_schema_url, postgres_reason
from fixtures_servers import server
from servers import RunningServer

__all__ = ["pg_schema_url", "postgres_reason", "server"]


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
