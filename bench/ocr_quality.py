"""OCR quality and speed: reams' OCR against stock rapidocr, side by side on the same pages.

Two sets of ``../shared/corpus`` (or ``$REAMS_CORPUS``):

* **docling-groundtruth/ocr**: scanned PDFs, upright and turned 90/180/270 degrees, with
  docling's expected Markdown (tesseract full-page variant) for four of them.
* **invoice2data**: each invoice PDF's page rendered to a 200 dpi PNG (a clean scan) and read as
  an image file; the reference is the PDF's own text layer. The four PNGs the set ships are
  read as they are, against the text layer of the PDF of the same name.

Scores (``mdscore``): token F1 (order-free words) and text similarity (order-aware), against the
reference. Speed: wall and CPU seconds per page (CPU counts every thread: stock rapidocr runs
ONNX Runtime on all cores, reams on one). "stock" is ``RapidOCR()`` with its defaults, its lines
joined in its own order, which is what a user of the library gets without reams' tuning.
Every page is read by both, alternately, in one process, after one warm-up page each.

``python bench/ocr_quality.py [--per-file]``
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import mdscore
from harness import corpus_root, split_of

Reader = Callable[[bytes, str], str]


@dataclass
class Score:
    """Per-page measurements of one reader on one set."""

    f1: list[float] = field(default_factory=list)
    similarity: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    splits: dict[str, list[float]] = field(default_factory=dict)


def reams_reader() -> Reader:
    from reams.processors import run

    def read(data: bytes, name: str) -> str:
        return str(run("parse", data, name, {})["markdown_full"])

    return read


def stock_reader() -> Reader:
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR()

    def read(data: bytes, name: str) -> str:
        texts: list[str] = []
        for image in _images(data, name):
            result, _ = engine(image)
            texts.extend(str(line[1]) for line in result or ())
        return "\n".join(texts)

    return read


def _images(data: bytes, name: str) -> list[object]:
    """What stock rapidocr is given: the image file, or each PDF page rendered at 200 dpi."""
    from PIL import Image

    if not name.endswith(".pdf"):
        return [Image.open(io.BytesIO(data)).convert("RGB")]
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    return [page.render(scale=200 / 72).to_pil() for page in pdf]


def docling_cases(root: Path) -> list[tuple[str, bytes, str, str | None]]:
    """(id, bytes, file name, reference Markdown or None) for the scanned PDFs."""
    folder = root / "docling-groundtruth" / "ocr"
    cases = []
    for source in sorted((folder / "sources").glob("*.pdf")):
        truth = folder / "groundtruth" / f"{source.stem}.tesseract.full_page.md"
        reference = truth.read_text(encoding="utf-8") if truth.is_file() else None
        cases.append((f"sources/{source.name}", source.read_bytes(), source.name, reference))
    return cases


def invoice_cases(root: Path) -> list[tuple[str, bytes, str, str | None]]:
    """Invoice pages as PNG scans, with the PDF text layer as the reference."""
    import pypdfium2 as pdfium

    folder = root / "invoice2data"
    cases = []
    for pdf_path in sorted(folder.glob("*.pdf")):
        pdf = pdfium.PdfDocument(pdf_path.read_bytes())
        page = pdf[0]
        reference = str(page.get_textpage().get_text_range())
        shipped = pdf_path.with_suffix(".png")
        if shipped.is_file():
            cases.append((shipped.name, shipped.read_bytes(), shipped.name, reference))
        buffer = io.BytesIO()
        page.render(scale=200 / 72).to_pil().save(buffer, format="PNG", dpi=(200, 200))
        cases.append((pdf_path.name, buffer.getvalue(), f"{pdf_path.stem}-200dpi.png", reference))
        pdf.close()
    return cases


def measure(
    cases: list[tuple[str, bytes, str, str | None]], readers: dict[str, Reader], per_file: bool
) -> dict[str, Score]:
    scores = {name: Score() for name in readers}
    for index, (doc_id, data, name, reference) in enumerate(cases):
        pages = _page_count(data, name)
        order = list(readers) if index % 2 == 0 else list(reversed(readers))
        for reader_name in order:
            wall, cpu = time.perf_counter(), time.process_time()
            output = readers[reader_name](data, name)
            score = scores[reader_name]
            score.wall.append((time.perf_counter() - wall) / pages)
            score.cpu.append((time.process_time() - cpu) / pages)
            if reference is None:
                continue
            f1 = mdscore.token_f1(mdscore.tokens(reference), mdscore.tokens(output))
            score.f1.append(f1)
            score.similarity.append(
                mdscore.text_similarity(mdscore.tokens(reference), mdscore.tokens(output))
            )
            score.splits.setdefault(split_of(doc_id), []).append(f1)
            if per_file:
                print(f"  {reader_name:8s} {doc_id:40s} f1 {f1:.3f} {score.wall[-1]:.2f} s/page")
    return scores


def _page_count(data: bytes, name: str) -> int:
    if not name.endswith(".pdf"):
        return 1
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(data))


def _mean(values: list[float]) -> str:
    return f"{statistics.fmean(values):.3f}" if values else "-"


def report(title: str, scores: dict[str, Score]) -> None:
    print(f"\n### {title}\n")
    print("| reader | token F1 | similarity | F1 dev / holdout | wall s/page | CPU s/page |")
    print("|---|---|---|---|---|---|")
    for name, score in scores.items():
        splits = " / ".join(_mean(score.splits.get(split, [])) for split in ("dev", "holdout"))
        print(
            f"| {name} | {_mean(score.f1)} | {_mean(score.similarity)} | {splits} "
            f"| {statistics.median(score.wall):.2f} | {statistics.median(score.cpu):.2f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-file", action="store_true", help="print every file's score")
    args = parser.parse_args()
    root = corpus_root()
    readers = {"reams": reams_reader(), "stock": stock_reader()}
    warm = invoice_cases(root)[:1]
    measure(warm, readers, per_file=False)  # load the models outside the timings
    report("docling-groundtruth/ocr", measure(docling_cases(root), readers, args.per_file))
    report("invoice2data (PNG scans)", measure(invoice_cases(root), readers, args.per_file))


if __name__ == "__main__":
    main()
