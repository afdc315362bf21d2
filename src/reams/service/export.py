"""Bulk export of a job's results: JSON Lines, CSV or a zip of the ``reams run --out`` files.

Every format is a generator of byte chunks with constant memory at any job size: items are read
a page at a time by keyset (``Catalog.items_after``), their result rows in one query per page
(``Catalog.results_by_id``) and the output blobs one by one. Only items in a terminal state are
exported, so the export of a running job holds what is done so far.

The zip is written here rather than with :mod:`zipfile`, whose writer keeps a ``ZipInfo`` per
entry in memory (~90 MB for 200,000 entries): entries are deflated one at a time and streamed,
and their central-directory records go to a spooled temporary file that is streamed at the end
(Zip64 records when there are more than 65,535 entries or more than 4 GiB).
"""

from __future__ import annotations

import csv
import io
import json
import struct
import tempfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from reams.domain.outputs import Output, output_contents, output_names
from reams.domain.records import Item, Job
from reams.domain.states import TERMINAL_ITEM
from reams.service.results import PAGE, ResultLoader
from reams.store.blobs import BlobStore
from reams.store.protocols import Catalog

ExportFormat = Literal["jsonl", "csv", "zip"]
FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv", "zip")
MEDIA_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv", "zip": "application/zip"}
CHUNK = 256 * 1024  # bytes gathered before a chunk is handed to the response


@dataclass(frozen=True)
class ExportItem:
    """One finished item of a job, with its directory file's ``unique_id`` and its output."""

    item: Item
    path: str
    output: Output | None


@dataclass(frozen=True)
class Export:
    """A started export: what to call the download and its byte chunks (not yet read)."""

    job: Job
    format: ExportFormat
    media_type: str
    filename: str
    chunks: Iterator[bytes]


def export_job(
    catalog: Catalog, blobs: BlobStore, job_id: str, *, project_id: str | None, fmt: ExportFormat
) -> Export:
    """Check the job exists (NotFound now, not mid-stream), then stream it as ``fmt``."""
    job = catalog.get_job(job_id, project_id=project_id)
    items = finished_items(catalog, blobs, job.id)
    chunks = {"jsonl": jsonl_chunks, "csv": csv_chunks, "zip": zip_chunks}[fmt](job, items)
    return Export(job, fmt, MEDIA_TYPES[fmt], f"{job.id}-{job.job_type}.{fmt}", chunks)


def finished_items(catalog: Catalog, blobs: BlobStore, job_id: str) -> Iterator[ExportItem]:
    """The job's finished items in job order, each with its output (None without a result)."""
    load = ResultLoader(catalog, blobs)
    after = -1
    while True:
        rows = catalog.items_after(job_id, after_seq=after, limit=PAGE)
        if not rows:
            return
        after = rows[-1][0]
        done = [(item, unique_id) for _, item, unique_id in rows if item.status in TERMINAL_ITEM]
        load.prefetch([item for item, _ in done])
        for item, unique_id in done:
            output = load(item.result_id) if item.result_id else None
            yield ExportItem(item, unique_id or item.item_name, output)
        load.rows = {}
        if len(rows) < PAGE:
            return


def _batched(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """Join small pieces into chunks of about ``CHUNK`` bytes (fewer, larger writes)."""
    buffer: list[bytes] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)


# --- JSON Lines ---------------------------------------------------------------------------


def _basename(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def result_summary(job_type: str, output: Output | None) -> dict[str, Any] | None:
    """The part of an output a JSONL line carries, per job type."""
    if output is None:
        return None
    if job_type == "classify":
        found = output.get("result") or {}
        keys = ("type", "confidence", "reasoning")
        return {k: found.get(k) for k in keys}
    if job_type == "extract":
        metadata = output.get("extract_metadata") or {}
        return {
            "data": output.get("extract_result"),
            "field_metadata": metadata.get("field_metadata"),
        }
    pages = [
        {"page": p.get("page_number"), "text": p.get("text"), "markdown": p.get("markdown")}
        for p in output.get("pages") or []
    ]
    return {"markdown": output.get("markdown_full"), "pages": pages}


def jsonl_line(job: Job, found: ExportItem) -> dict[str, Any]:
    item = found.item
    return {
        "file": _basename(item.item_name),
        "path": found.path,
        "directory_file_id": item.item_id,
        "item_id": item.id,
        "status": str(item.status),
        "skip_reason": item.skip_reason,
        "error_code": item.error_code,
        "error_message": item.error_message,
        "result_id": item.result_id,
        "result": result_summary(job.job_type, found.output),
    }


def jsonl_chunks(job: Job, items: Iterator[ExportItem]) -> Iterator[bytes]:
    lines = (
        json.dumps(jsonl_line(job, found), ensure_ascii=False).encode() + b"\n" for found in items
    )
    return _batched(lines)


# --- CSV ----------------------------------------------------------------------------------


def schema_fields(job: Job) -> list[str]:
    """The top-level properties of an extract job's schema, in schema order."""
    schema: Any = job.settings.parameters.get("data_schema") or job.job_config.get("data_schema")
    if isinstance(schema, str):
        try:
            schema = json.loads(schema)
        except ValueError:
            schema = None
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return list(properties) if isinstance(properties, dict) else []


def csv_header(job: Job) -> list[str]:
    if job.job_type == "classify":
        return ["file", "type", "confidence"]
    if job.job_type == "extract":
        return ["file", *schema_fields(job)]
    return ["file", "pages", "status", "error"]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def csv_row(job: Job, header: list[str], found: ExportItem) -> list[Any]:
    item, output = found.item, found.output or {}
    if job.job_type == "classify":
        result = output.get("result") or {}
        return [item.item_name, _cell(result.get("type")), _cell(result.get("confidence"))]
    if job.job_type == "extract":
        data = output.get("extract_result")
        data = data if isinstance(data, dict) else {}
        return [item.item_name, *(_cell(data.get(name)) for name in header[1:])]
    error = item.error_message or item.skip_reason or ""
    if item.error_code:
        error = f"{item.error_code}: {error}" if error else item.error_code
    pages = len(output.get("pages") or []) if found.output is not None else ""
    return [item.item_name, pages, str(item.status), error]


def csv_rows(job: Job, items: Iterator[ExportItem]) -> Iterator[str]:
    """The CSV text, a line at a time (header first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = csv_header(job)
    writer.writerow(header)
    for found in items:
        writer.writerow(csv_row(job, header, found))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def csv_chunks(job: Job, items: Iterator[ExportItem]) -> Iterator[bytes]:
    return _batched(line.encode() for line in csv_rows(job, items) if line)


# --- zip ----------------------------------------------------------------------------------

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END64 = struct.Struct("<IQHHIIQQQQ")
_LOCATOR64 = struct.Struct("<IIQI")
_END = struct.Struct("<IHHHHIIH")
_UTF8 = 0x800
_DEFLATE = 8
_MAX32 = 0xFFFFFFFF
_MAX16 = 0xFFFF


def _dos_time(moment: float) -> tuple[int, int]:
    t = time.localtime(moment)
    return (
        (t.tm_hour << 11) | (t.tm_min << 5) | (t.tm_sec // 2),
        ((max(t.tm_year, 1980) - 1980) << 9) | (t.tm_mon << 5) | t.tm_mday,
    )


class ZipStream:
    """A write-once zip: ``entry`` returns the bytes of one entry, ``finish`` the trailer."""

    def __init__(self) -> None:
        self.offset = 0
        self.count = 0
        self.central = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115
        self.dos_time, self.dos_date = _dos_time(time.time())

    def entry(self, name: str, data: bytes) -> bytes:
        raw = name.encode()
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = packer.compress(data) + packer.flush()
        crc = zlib.crc32(data)
        common = (_UTF8, _DEFLATE, self.dos_time, self.dos_date, crc, len(body), len(data))
        local = _LOCAL.pack(0x04034B50, 20, *common, len(raw), 0) + raw
        extra = struct.pack("<HHQ", 1, 8, self.offset) if self.offset >= _MAX32 else b""
        version = 45 if extra else 20
        self.central.write(
            _CENTRAL.pack(
                0x02014B50,
                version | (3 << 8),  # made by: unix, so the permissions below are read
                version,
                *common,
                len(raw),
                len(extra),
                0,
                0,
                0,
                0o100644 << 16,
                min(self.offset, _MAX32),
            )
            + raw
            + extra
        )
        self.offset += len(local) + len(body)
        self.count += 1
        return local + body

    def finish(self) -> Iterator[bytes]:
        """The central directory (from the spooled file) and the end records."""
        start, size = self.offset, self.central.tell()
        self.central.seek(0)
        while piece := self.central.read(CHUNK):
            yield piece
        self.central.close()
        end = start + size
        if self.count >= _MAX16 or start >= _MAX32 or size >= _MAX32:
            yield _END64.pack(0x06064B50, 44, 45, 45, 0, 0, self.count, self.count, size, start)
            yield _LOCATOR64.pack(0x07064B50, 0, end, 1)
        yield _END.pack(
            0x06054B50,
            0,
            0,
            min(self.count, _MAX16),
            min(self.count, _MAX16),
            min(size, _MAX32),
            min(start, _MAX32),
            0,
        )


def zip_entries(job: Job, items: Iterator[ExportItem]) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of the files ``reams run --out`` writes, for items with a result."""
    for found in items:
        names = output_names(found.item.item_name, job.job_type)
        if found.output is None or names is None:
            continue
        yield from output_contents(names, found.item.item_name, found.item.result_id, found.output)


def zip_chunks(job: Job, items: Iterator[ExportItem]) -> Iterator[bytes]:
    stream = ZipStream()
    try:
        yield from _batched(stream.entry(name, data) for name, data in zip_entries(job, items))
        yield from _batched(stream.finish())
    finally:
        stream.central.close()
