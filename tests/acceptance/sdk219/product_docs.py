"""Documents and helpers shared by the v2 product job tests (parse, classify, extract)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from llama_cloud import LlamaCloud

DEADLINE_S = 60.0

INVOICE = """ACME Supplies Ltd.

INVOICE

Invoice Number: INV-2024-0042
Invoice Date: March 3, 2024
Bill to: Northwind Traders

| Description | Quantity | Amount |
| --- | --- | --- |
| Paper, A4 (box) | 10 | 120.00 |
| Toner cartridge | 2 | 180.50 |

Total due: $300.50
Payment terms: 30 days. Please pay the amount due by bank transfer.
"""

RULES = [
    {"type": "invoice", "description": "A bill with an invoice number and an amount to pay"},
    {"type": "contract", "description": "An agreement between parties with terms and clauses"},
]
SCHEMA = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string", "description": "The invoice number"},
        "total": {"type": "number", "description": "Total amount due"},
    },
}


def unique(text: str = INVOICE) -> bytes:
    """``text`` with a unique line, so dedup cannot answer it from an earlier job."""
    return f"{text}\nReference: {uuid.uuid4()}\n".encode()


def upload_file(client: LlamaCloud, name: str, data: bytes, purpose: str = "parse") -> str:
    """A file id (``fil-...``)."""
    return client.files.create(file=(name, data), purpose=purpose).id  # type: ignore[arg-type]


def directory_file(client: LlamaCloud, name: str, data: bytes) -> str:
    """A directory file id (``dfl-...``) in a fresh directory."""
    directory = client.beta.directories.create(name=f"products-{uuid.uuid4().hex[:8]}")
    return client.beta.directories.files.upload(directory.id, upload_file=(name, data)).id


def blocker(client: LlamaCloud) -> str:
    """A parse job of a large document: with one worker, jobs created after it wait."""
    paragraphs = "\n\n".join(f"Paragraph {i} " + "word " * 40 for i in range(60_000))
    data = f"# Large {uuid.uuid4()}\n\n{paragraphs}".encode()
    return client.parsing.create(tier="fast", version="latest", upload_file=("large.md", data)).id


def poll(
    get: Any, job_id: str, done: tuple[str, ...] = ("COMPLETED", "FAILED", "CANCELLED")
) -> Any:
    """Poll ``get(job_id)`` until its status is one of ``done``."""
    deadline = time.monotonic() + DEADLINE_S
    while True:
        job = get(job_id)
        status = job.job.status if hasattr(job, "job") else job.status
        if status in done:
            return job
        assert time.monotonic() < deadline, f"{job_id} still {status}"
        time.sleep(0.1)
