"""OCR quality and speed: reams' OCR with each engine (and stock rapidocr), on the same pages.

Readers: ``rapidocr`` and ``tesseract`` are reams' parse with ``ocr_engine`` set to that engine
(tesseract only where it is installed; ``lang`` is passed for the generated French and German
page), ``stock`` (with ``--stock``) is ``RapidOCR()`` as it comes.

Two sets of ``../shared/corpus`` (or ``$REAMS_CORPUS``), and one generated:

* **docling-groundtruth/ocr**: scanned PDFs, upright and turned 90/180/270 degrees, with
  docling's expected Markdown (tesseract full-page variant) for four of them.
* **invoice2data**: each invoice PDF's page rendered to a 200 dpi PNG (a clean scan) and read as
  an image file; the reference is the PDF's own text layer. The four PNGs the set ships are
  read as they are, against the text layer of the PDF of the same name.
* **generated print**: receipt and letter lines set in the PDF base fonts (Helvetica, Courier,
  Times) at 7-10 pt and rendered at 150-200 dpi, the small print where the recogniser drops the
  spaces between words; one page in French and German, with accented letters.

Scores (``mdscore``): token F1 (order-free words) and text similarity (order-aware), against the
reference. Speed: wall and CPU seconds per page (CPU counts every thread and child process:
stock rapidocr runs ONNX Runtime on all cores, reams on one; tesseract runs as a child process).
"stock" is ``RapidOCR()`` with its defaults, its lines joined in its own order, which is what a
user of the library gets without reams' tuning. Every page is read by every reader, in turns
whose order alternates, in one process, after one warm-up page each.

``python bench/ocr_quality.py [--per-file] [--engines rapidocr tesseract] [--stock]``
"""

from __future__ import annotations

import argparse
import io
import resource
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import mdscore
from harness import Figure, corpus_root, servers, split_of

Reader = Callable[[bytes, str], str]


@dataclass
class Score:
    """Per-page measurements of one reader on one set."""

    f1: list[float] = field(default_factory=list)
    similarity: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    splits: dict[str, list[float]] = field(default_factory=dict)


def reams_reader(engine: str) -> Reader:
    from reams.processors import run

    def read(data: bytes, name: str) -> str:
        parameters = {"ocr_engine": engine}
        if name.startswith("generated-accents"):
            parameters["lang"] = "fr,de"
        return str(run("parse", data, name, parameters)["markdown_full"])

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
    cases: list[tuple[str, bytes, str, str | None]] = []
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


GENERATED_LINES = (
    "SEATTLE GENERAL HOSPITAL",
    "29/06/2018 8:26:57 AM",
    "THANK YOU FOR SHOPPING WITH US",
    "TOTAL DUE 45.10 CASH 50.00",
    "CHANGE 4.90 ITEMS 3",
    "Invoice number 4711 is due on the first of March.",
    "Qty 11 x 1.11 = 12.21 EUR",
    "Please remit payment within 30 days.",
)
ACCENT_LINES = (
    "Facture n° 2024-117, échéance le 15 février",
    "Société Générale, 75008 Paris",
    "Montant à régler : 1 234,56 €",
    "Reçu de paiement : déjà réglé",
    "Straße 12, München — Größe: 3 Stück",
)
GENERATED_PAGES = (
    ("Helvetica", 8, 200),
    ("Courier", 8, 200),
    ("Times-Roman", 10, 150),
    ("Helvetica-Bold", 7, 150),
    ("Courier", 10, 150),
)


def printed(lines: tuple[str, ...], font: str, size: float, dpi: float) -> bytes:
    """``lines`` set in a PDF base font, rendered by pdfium at ``dpi``, as a PNG (the tests'
    own generator, ``tests/ocr_fixtures.printed_image``)."""
    servers()  # puts tests/ on sys.path
    from ocr_fixtures import image_bytes, printed_image

    return bytes(image_bytes(printed_image(lines, font=font, size=size, dpi=dpi), "PNG"))


def generated_cases() -> list[tuple[str, bytes, str, str | None]]:
    """Small print in the base fonts, and one French and German page; all dev."""
    cases: list[tuple[str, bytes, str, str | None]] = []
    for font, size, dpi in GENERATED_PAGES:
        name = f"generated-{font}-{size}pt-{dpi}dpi.png"
        data = printed(GENERATED_LINES, font, size, dpi)
        cases.append((name, data, name, "\n".join(GENERATED_LINES)))
    name = "generated-accents-Helvetica-10pt-200dpi.png"
    cases.append((name, printed(ACCENT_LINES, "Helvetica", 10, 200), name, "\n".join(ACCENT_LINES)))
    return cases


def _cpu() -> float:
    """CPU seconds of this process and its finished children (tesseract)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(
    cases: list[tuple[str, bytes, str, str | None]], readers: dict[str, Reader], per_file: bool
) -> dict[str, Score]:
    scores = {name: Score() for name in readers}
    for index, (doc_id, data, name, reference) in enumerate(cases):
        pages = _page_count(data, name)
        order = list(readers) if index % 2 == 0 else list(reversed(readers))
        for reader_name in order:
            wall, cpu = time.perf_counter(), _cpu()
            output = readers[reader_name](data, name)
            score = scores[reader_name]
            score.wall.append((time.perf_counter() - wall) / pages)
            score.cpu.append((_cpu() - cpu) / pages)
            if reference is None:
                continue
            f1 = mdscore.token_f1(mdscore.tokens(reference), mdscore.tokens(output))
            score.f1.append(f1)
            score.similarity.append(
                mdscore.text_similarity(mdscore.tokens(reference), mdscore.tokens(output))
            )
            split = "dev" if doc_id.startswith("generated-") else split_of(doc_id)
            score.splits.setdefault(split, []).append(f1)
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


SETS = {
    "generated": "generated print (PNG)",
    "docling": "docling-groundtruth/ocr",
    "invoices": "invoice2data (PNG scans)",
}


def _cases(key: str, root: Path) -> list[tuple[str, bytes, str, str | None]]:
    if key == "generated":
        return generated_cases()
    return docling_cases(root) if key == "docling" else invoice_cases(root)


def figures(engines: tuple[str, ...] = ("rapidocr", "tesseract")) -> list[Figure]:
    """run_all's rows: per set and engine, word F1 (dev / holdout) and CPU seconds per page."""
    root = corpus_root()
    readers = {e: reams_reader(e) for e in engines if e != "tesseract" or shutil.which("tesseract")}
    measure(invoice_cases(root)[:1], readers, per_file=False)  # models loaded outside timings
    rows: list[Figure] = []
    for key, title in SETS.items():
        for name, score in measure(_cases(key, root), readers, per_file=False).items():
            splits = " · ".join(
                f"{split} {_mean(score.splits[split])}"
                for split in ("dev", "holdout")
                if score.splits.get(split)
            )
            rows.append(
                Figure(
                    f"OCR {title}: {name}, word F1 and CPU s/page",
                    "(info)",
                    f"F1 {_mean(score.f1)} ({splits}), {statistics.median(score.cpu):.2f} s/page",
                    None,
                    f"{len(score.cpu)} pages; text similarity {_mean(score.similarity)}; wall "
                    f"{statistics.median(score.wall):.2f} s/page (median); CPU counts tesseract's "
                    "child process",
                )
            )
    if not shutil.which("tesseract"):
        rows.append(Figure("OCR with tesseract", "(info)", "not installed here", None))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-file", action="store_true", help="print every file's score")
    parser.add_argument("--engines", nargs="+", default=["rapidocr", "tesseract"])
    parser.add_argument("--stock", action="store_true", help="also stock RapidOCR() (slow)")
    parser.add_argument("--sets", nargs="+", default=["generated", "docling", "invoices"])
    args = parser.parse_args()
    root = corpus_root()
    if not (root / "invoice2data").is_dir():  # else every set is empty and the report fails
        raise SystemExit(f"no corpus at {root}: set REAMS_CORPUS to ../shared/corpus")
    readers = {
        engine: reams_reader(engine)
        for engine in args.engines
        if engine != "tesseract" or shutil.which("tesseract")
    }
    if args.stock:
        readers["stock"] = stock_reader()
    warm = invoice_cases(root)[:1]
    measure(warm, readers, per_file=False)  # load the models outside the timings
    sets = {
        "generated": ("generated print (PNG)", generated_cases),
        "docling": ("docling-groundtruth/ocr", lambda: docling_cases(root)),
        "invoices": ("invoice2data (PNG scans)", lambda: invoice_cases(root)),
    }
    for key in args.sets:
        title, cases = sets[key]
        report(title, measure(cases(), readers, args.per_file))


if __name__ == "__main__":
    main()
