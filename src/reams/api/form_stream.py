"""A multipart upload read from the request stream, its files straight into blob writers.

FastAPI's ``File()`` parameters spool every file part to a temporary file, which the route
then reads, hashes and copies into the blob store: two writes and two reads of every byte, and
a third read when an ``Idempotency-Key`` fingerprints the body. The upload routes read their
body here instead: each file part goes into a :class:`~reams.store.blobs.BlobWriter` as it
arrives (counted against its cap at once, hashed and written once; a small file is written
once, under its final name, when the request is complete), and the text fields are kept.

The parser runs on the event loop (it only buffers); a writer holding more than
:data:`~reams.store.blobs.SPILL_BYTES` is written out in a worker thread before the next chunk
is read, and once the finished small files of a request hold more than
:data:`MAX_BUFFERED_BYTES` they are committed (written under their final names) in one worker
thread call, so memory per request stays bounded however many files it carries. On any failure
every writer is discarded (a blob already committed stays, unreferenced, as content-addressed
blobs may).
"""

from __future__ import annotations

import codecs
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool

from reams.domain.errors import InvalidField, InvalidRequest, ReamsError, TooLarge
from reams.service.files import BlobStore, BlobWriter

MAX_FIELD_BYTES = 64 * 1024  # a text field (purpose, an id); files have their own cap
MAX_FIELDS = 10_000
MAX_BUFFERED_BYTES = 8 * 1024 * 1024  # finished small files held in memory, per request


class FileTooLarge(TooLarge):
    """A file part past the size one file may have (API: 413)."""

    def __init__(self, limit: int, filename: str | None) -> None:
        ReamsError.__init__(
            self,
            f"file {filename or ''!r} is larger than the limit of {limit} bytes "
            "(REAMS_MAX_UPLOAD_BYTES)",
        )
        self.limit = limit


class TooManyFiles(TooLarge):
    """More file parts than the route takes in one request (API: 413)."""

    def __init__(self, limit: int, hint: str) -> None:
        ReamsError.__init__(self, f"a request takes at most {limit} files{hint}")
        self.limit = limit


@dataclass(frozen=True, kw_only=True)
class FormLimits:
    """What one request may carry: which parts are files, how many, how large each."""

    file_fields: frozenset[str]
    max_files: int
    max_file_bytes: int
    too_many_hint: str = ""  # appended to the 413's sentence (how to send more)


@dataclass(frozen=True)
class ReceivedFile:
    field: str
    filename: str | None  # as the client sent it (``safe_name`` makes the stored name)
    writer: BlobWriter


@dataclass
class ReceivedForm:
    """The text fields (in order) and the file parts (in order) of one request."""

    fields: list[tuple[str, str]] = field(default_factory=list)
    files: list[ReceivedFile] = field(default_factory=list)

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.fields if key == name]

    def discard(self) -> None:
        for received in self.files:
            received.writer.discard()


@dataclass
class _Part:
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)
    writer: BlobWriter | None = None
    skip: bool = False  # a file part of a field the route does not read


class _Reader:
    """python-multipart callbacks that fill a :class:`ReceivedForm`."""

    def __init__(self, blobs: BlobStore, limits: FormLimits, charset: str) -> None:
        self.blobs = blobs
        self.limits = limits
        self.charset = charset
        self.form = ReceivedForm()
        self.part = _Part()
        self.header = (bytearray(), bytearray())
        self.touched: list[BlobWriter] = []  # writers that got data since the last spill check
        self.finished: list[BlobWriter] = []  # complete file parts, not committed yet
        self.ended = False  # the closing boundary was read

    def callbacks(self) -> dict[str, Callable[..., None]]:
        return {
            "on_part_begin": self.on_part_begin,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_header_field": lambda d, s, e: self.header[0].extend(d[s:e]),
            "on_header_value": lambda d, s, e: self.header[1].extend(d[s:e]),
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_end": self.on_end,
        }

    def on_end(self) -> None:
        self.ended = True

    def on_part_begin(self) -> None:
        self.part = _Part()

    def on_header_end(self) -> None:
        name, value = self.header
        self.part.headers.append((bytes(name).lower(), bytes(value)))
        name.clear()
        value.clear()

    def on_headers_finished(self) -> None:
        disposition = next((v for k, v in self.part.headers if k == b"content-disposition"), b"")
        _, options = parse_options_header(disposition)
        if b"name" not in options:
            raise InvalidRequest("a multipart part has no name in its Content-Disposition")
        self.part.name = self.decode(options[b"name"])
        if b"filename" not in options:
            if len(self.form.fields) >= MAX_FIELDS:
                raise InvalidRequest(f"a form takes at most {MAX_FIELDS} text fields")
            return
        if self.part.name not in self.limits.file_fields:
            self.part.skip = True
            return
        if len(self.form.files) >= self.limits.max_files:
            raise TooManyFiles(self.limits.max_files, self.limits.too_many_hint)
        writer = self.blobs.writer(max_bytes=self.limits.max_file_bytes)
        self.part.filename = self.decode(options[b"filename"])
        self.form.files.append(ReceivedFile(self.part.name, self.part.filename, writer))
        self.part.writer = writer

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self.part
        if part.writer is not None:
            try:
                part.writer.write(data[start:end])
            except TooLarge:
                raise FileTooLarge(self.limits.max_file_bytes, part.filename) from None
            self.touched.append(part.writer)
        elif not part.skip:
            if len(part.data) + end - start > MAX_FIELD_BYTES:
                raise InvalidField(
                    f"form field {part.name!r} is longer than {MAX_FIELD_BYTES} bytes"
                )
            part.data.extend(data[start:end])

    def on_part_end(self) -> None:
        if self.part.writer is not None:
            self.finished.append(self.part.writer)
        elif not self.part.skip:
            self.form.fields.append((self.part.name, self.decode(bytes(self.part.data))))

    def decode(self, raw: bytes) -> str:
        try:
            return raw.decode(self.charset)
        except UnicodeDecodeError:
            return raw.decode("latin-1")

    async def relieve(self) -> None:
        """Write out what the request should not keep in memory (see the module's doc)."""
        for writer in dict.fromkeys(self.touched):
            if writer.should_spill:
                await run_in_threadpool(writer.spill)
        self.touched.clear()
        if sum(writer.buffered for writer in self.finished) > MAX_BUFFERED_BYTES:
            await run_in_threadpool(_commit_all, list(self.finished))
            self.finished.clear()


def _commit_all(writers: list[BlobWriter]) -> None:
    for writer in writers:
        writer.commit()


def _boundary(content_type: str) -> tuple[bytes, str]:
    kind, options = parse_options_header(content_type)
    if kind != b"multipart/form-data":
        raise InvalidField("the body must be multipart/form-data (a form with the file parts)")
    boundary = options.get(b"boundary")
    if not boundary:
        raise InvalidRequest("the multipart/form-data body has no boundary in its Content-Type")
    charset = options.get(b"charset", b"utf-8").decode("latin-1")
    try:
        return boundary, codecs.lookup(charset).name
    except LookupError:
        return boundary, "latin-1"


async def read_form(
    content_type: str, stream: AsyncIterator[bytes], *, blobs: BlobStore, limits: FormLimits
) -> ReceivedForm:
    """Parse the form in ``stream``; its files are in writers, not yet committed.

    The caller commits them (or calls :meth:`ReceivedForm.discard`). Raises InvalidField
    (422) for a body that is not a form, InvalidRequest (400) for a malformed one,
    TooLarge (413) for a file past its cap or one file too many.
    """
    boundary, charset = _boundary(content_type)
    reader = _Reader(blobs, limits, charset)
    parser = MultipartParser(boundary, reader.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in stream:
            parser.write(chunk)
            await reader.relieve()
        parser.finalize()
        if not reader.ended:
            raise InvalidRequest("the multipart/form-data body ended before its closing boundary")
    except FormParserError:
        reader.form.discard()
        raise InvalidRequest("the multipart/form-data body is malformed") from None
    except BaseException:
        reader.form.discard()
        raise
    return reader.form
