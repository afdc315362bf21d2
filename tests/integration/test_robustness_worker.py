"""OCR and the limits inside a real worker process, under its address-space cap (RLIMIT_AS):
rapidocr runs within the default cap, a bomb is refused before it costs memory, and a cap too
small for OCR fails the item with a readable message instead of crashing the worker."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ocr_fixtures import (
    image_bytes,
    normalised,
    pdf_with_huge_image,
    png_declaring,
    text_image,
)
from reams.domain.errors import ProcessorError
from reams.engine.isolation import IsolatedWorker, Task

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra (rapidocr) is not installed")

DEFAULT_CAP_MB = 4096  # the engine's default worker_memory_limit_mb
SMALL_CAP_MB = 600  # enough to start a worker and open an image, too little for OCR
PDF_BOMB_CAP_MB = 1536


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    path = tmp_path / "scan.png"
    path.write_bytes(image_bytes(text_image(size=(1600, 1600)), "PNG"))
    return path


def _worker(cap_mb: int) -> Iterator[IsolatedWorker]:
    worker = IsolatedWorker(memory_limit_mb=cap_mb, max_items=10, max_rss_mb=cap_mb)
    try:
        yield worker
    finally:
        worker.close()


@pytest.fixture
def worker() -> Iterator[IsolatedWorker]:
    yield from _worker(DEFAULT_CAP_MB)


@pytest.fixture
def small_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[IsolatedWorker]:
    # Deterministic because workers run one BLAS thread (engine/isolation.py): the imports take
    # ~430 MB and the cap bites in ONNX Runtime's inference, on the main thread, with room left
    # to send the reply. With a BLAS thread per core the imports reached the cap and the test
    # failed under load (worker_crashed), depending on which thread's allocation failed.
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)  # the engine's default, then
    yield from _worker(SMALL_CAP_MB)


@pytest.fixture
def bounded_worker() -> Iterator[IsolatedWorker]:
    yield from _worker(PDF_BOMB_CAP_MB)


@pytest.mark.slow
def test_ocr_runs_under_the_default_memory_cap(worker: IsolatedWorker, scan: Path) -> None:
    output = worker.run(Task("parse", str(scan), scan.name, {}, 60.0))
    result = json.loads(output.blob)
    assert result["pages"][0]["ocr"] is True
    assert "invoice number 4711" in normalised(result["text_full"])


def test_a_pixel_bomb_is_refused_in_the_worker(worker: IsolatedWorker, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_declaring(50_000, 50_000))
    with pytest.raises(ProcessorError) as raised:
        worker.run(Task("parse", str(bomb), bomb.name, {}, 30.0))
    assert raised.value.code == "too_large"


def test_too_little_memory_for_ocr_fails_the_item_readably(
    small_worker: IsolatedWorker, scan: Path
) -> None:
    with pytest.raises(ProcessorError) as raised:
        small_worker.run(Task("parse", str(scan), scan.name, {}, 60.0))
    assert raised.value.code == "corrupt_document"
    assert raised.value.message.endswith(
        "Page 1 could not be read by OCR: it needs more memory than a worker may use."
    )


@pytest.mark.slow
def test_a_pdf_drawing_a_gigapixel_image_is_rendered_within_bounds(
    bounded_worker: IsolatedWorker, tmp_path: Path
) -> None:
    # 40,000 x 40,000 grey pixels (1.6 GB decoded) from a 10 KB stream: PDFium decodes it
    # at the size it is rendered, so OCR sees an empty page and memory stays bounded.
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(pdf_with_huge_image(40_000))
    output = bounded_worker.run(Task("parse", str(bomb), bomb.name, {}, 60.0))
    (page,) = json.loads(output.blob)["pages"]
    assert (page["ocr"], page["success"], page["text"]) == (True, True, "")
