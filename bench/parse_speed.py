"""Parse speed on real documents: reams against a bare pypdfium2 loop and markitdown, side by side.

All conversions run in worker processes (``convert.py``) that import their converter at start-up
and time only the conversion call of a file already read into memory:

* **Text PDFs** (``TEXT_PDFS``: the 619-page DA pamphlet, a 117-page LaTeX book, a 13-page
  multi-column document, an IBM Redbook sample): pages/s of reams against the bare
  pypdfium2 text loop over the same pages, both in warm workers (one untimed warm-up pass), in
  ``rounds`` rounds, each file converted by both back to back in alternating order; the ratio
  is the median of the per-round ratios. markitdown converts each PDF once, each in a fresh
  worker (it is far slower, so one run is well above the noise, and the same run gives its
  peak memory).
* **Speed set** (``parse_speed_set.txt``: 114 varied text PDFs of the corpus, tables, forms,
  invoices, papers and contracts, chosen once by the rule written at its top): the same ratio
  as for the text PDFs, measured the same way (warm workers, each file by both back to back
  in alternating order, median of the per-round ratios), with the dev and holdout halves of the
  set (corpus split rule) beside it.
* **Big documents** (``DA-619p.pdf``, ``handbook-872p.docx``): each converter on each file in a
  brand-new worker process: the conversion time and the process's peak RSS (``VmHWM``, the
  per-process ``ru_maxrss``; imports included, the peak after imports is in the details).
* **Office formats** (docx, pptx, xlsx, html: the docling-groundtruth sources): per-file time of
  reams and markitdown in warm workers, alternating per file, median of ``rounds`` rounds per
  file; the figure is the median over files of the per-file ratio. Files either converter fails
  on are left out of the timing (and counted).

``python bench/parse_speed.py [--rounds 3] [--quick] [--speed-set] [--cpu]`` (``--quick``: one
round, and the 619-page PDF left out of the pages/s comparison and of markitdown's big-document
runs; ``--speed-set``: only the speed set's figure; ``--cpu``: the speed set's figure as CPU time
in this very process instead, see :func:`cpu_speed_set_figure`)
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from convert import IsolatedConverter, Outcome, convert_fresh
from harness import Figure, corpus_root, median, ratio_text, seconds_text, split_of

TEXT_PDFS = (
    "unstructured-example-docs/pdf/DA-619p.pdf",
    "pypdf-sample-files/009-pdflatex-geotopo/GeoTopo-komprimiert.pdf",
    "unstructured-example-docs/pdf/multi-column.pdf",
    "docling-groundtruth/pdf/sources/redp5110_sampled.pdf",
)
SPEED_SET = Path(__file__).resolve().parent / "parse_speed_set.txt"
BIG_DOCS = (
    "unstructured-example-docs/pdf/DA-619p.pdf",
    "unstructured-example-docs/handbook-872p.docx",
)
OFFICE_FORMATS = ("docx", "pptx", "xlsx", "html")
OFFICE_SUFFIXES = frozenset({".docx", ".pptx", ".xlsx", ".xlsm", ".html"})
TARGET_VS_PDFIUM = 0.4
TARGET_VS_MARKITDOWN = 20.0
TARGET_OFFICE = 1.0
FRESH_TIMEOUT_S = 900.0  # markitdown needs about 90 s for the 619-page PDF here
WARM_TIMEOUT_S = 300.0
MIB = 1024 * 1024


class ConversionFailed(RuntimeError):
    """A timed conversion failed; the figure reports it instead of a speed."""


def page_count(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def timed(converter: IsolatedConverter, path: Path) -> float:
    """Seconds of one conversion (raises :class:`ConversionFailed` if it failed)."""
    outcome = converter.convert(path)
    if not outcome.ok:
        raise ConversionFailed(f"{converter.name} failed on {path.name}: {outcome.error}")
    return outcome.seconds


def rounds_text(rounds: int) -> str:
    return "1 round" if rounds == 1 else f"{rounds} rounds"


def memory_text(outcome: Outcome) -> str:
    return f"{outcome.peak_rss / MIB:.0f} MB"


# ---------------------------------------------------------------------------- text PDFs


@dataclass(frozen=True)
class PdfRounds:
    """Total seconds over the PDF set, per round, for reams and the bare pypdfium2 loop."""

    reams: list[float]
    pdfium: list[float]
    per_file: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    """Seconds per file (in the order given) summed over rounds, per converter."""

    @property
    def ratio(self) -> float:
        """Median over rounds of reams's pages/s divided by pypdfium2's."""
        return median([p / r for r, p in zip(self.reams, self.pdfium, strict=True)])


def pdf_rounds(pdfs: Sequence[Path], *, rounds: int) -> PdfRounds:
    """reams and pypdfium2 over ``pdfs``, warm, ``rounds`` times; each file back to back by
    both, in alternating order, so that drift in the machine's load hits both alike."""
    result = PdfRounds([], [], {"reams": [0.0] * len(pdfs), "pdfium": [0.0] * len(pdfs)})
    with (
        IsolatedConverter("reams", timeout_s=WARM_TIMEOUT_S) as reams,
        IsolatedConverter("pdfium", timeout_s=WARM_TIMEOUT_S) as pdfium,
    ):
        for converter in (reams, pdfium):  # warm-up: lazy imports, page cache
            for path in pdfs:
                timed(converter, path)
        for index in range(rounds):
            totals = {reams.name: 0.0, pdfium.name: 0.0}
            for turn, path in enumerate(pdfs):
                order = (reams, pdfium) if (index + turn) % 2 == 0 else (pdfium, reams)
                for converter in order:
                    seconds = timed(converter, path)
                    totals[converter.name] += seconds
                    result.per_file[converter.name][turn] += seconds
            result.reams.append(totals[reams.name])
            result.pdfium.append(totals[pdfium.name])
    return result


def text_pdf_figures(
    pdfs: Sequence[Path], fresh: dict[tuple[str, Path], Outcome], *, rounds: int
) -> list[Figure]:
    pages = {path: page_count(path) for path in pdfs}
    total = sum(pages.values())
    label = f"{total} pages in {len(pdfs)} PDFs ({', '.join(p.name for p in pdfs)})"
    try:
        measured = pdf_rounds(pdfs, rounds=rounds)
    except ConversionFailed as exc:
        return [Figure("reams pages/s / bare pypdfium2 loop (text PDFs)", "", str(exc), False)]
    reams_pps = total / median(measured.reams)
    pdfium_pps = total / median(measured.pdfium)
    figures = [
        Figure(
            "reams parse pages/s / bare pypdfium2 text loop (text PDFs)",
            f"≥ {TARGET_VS_PDFIUM:.1f}×",
            ratio_text(measured.ratio),
            measured.ratio >= TARGET_VS_PDFIUM,
            f"median of {rounds_text(rounds)}, warm workers, {label}: reams "
            f"{reams_pps:.0f} pages/s, pypdfium2 {pdfium_pps:.0f} pages/s",
        )
    ]
    return [*figures, markitdown_pdf_figure(pdfs, pages, fresh, reams_pps)]


def markitdown_pdf_figure(
    pdfs: Sequence[Path],
    pages: dict[Path, int],
    fresh: dict[tuple[str, Path], Outcome],
    reams_pps: float,
) -> Figure:
    name = "reams parse pages/s / markitdown (text PDFs)"
    outcomes = [fresh[("markitdown", path)] for path in pdfs]
    if failed := [o.error for o in outcomes if not o.ok]:
        return Figure(name, f"≥ {TARGET_VS_MARKITDOWN:.0f}×", "markitdown failed", None, failed[0])
    pps = sum(pages.values()) / sum(o.seconds for o in outcomes)
    each = ", ".join(
        f"{p.name} {pages[p] / o.seconds:.1f}" for p, o in zip(pdfs, outcomes, strict=True)
    )
    return Figure(
        name,
        f"≥ {TARGET_VS_MARKITDOWN:.0f}×",
        ratio_text(reams_pps / pps),
        reams_pps / pps >= TARGET_VS_MARKITDOWN,
        f"same {sum(pages.values())} pages; markitdown {pps:.1f} pages/s (one run per PDF, each "
        f"in a fresh worker; per PDF: {each}) vs reams {reams_pps:.0f} pages/s (warm median)",
    )


# ---------------------------------------------------------------------------- speed set


def speed_set(root: Path) -> list[str]:
    """The speed set's paths (relative to the corpus root) whose file is present."""
    lines = SPEED_SET.read_text(encoding="utf-8").splitlines()
    names = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return [name for name in names if (root / name).is_file()]


def corpus_split(name: str) -> str:
    """The corpus split of ``name`` (relative to the corpus root): CUAD by ``doc_id``."""
    folder, _, rest = name.partition("/")
    return split_of(Path(rest).stem if folder == "cuad" else rest)


def speed_set_figure(root: Path, *, rounds: int) -> Figure:
    names = speed_set(root)
    name = "reams parse pages/s / bare pypdfium2 text loop (speed set)"
    target = f"≥ {TARGET_VS_PDFIUM:.1f}×"
    if not names:
        return Figure(name, target, "skipped: no speed set file present", None)
    pdfs = [root / name for name in names]
    pages = {path: page_count(path) for path in pdfs}
    try:
        measured = pdf_rounds(pdfs, rounds=rounds)
    except ConversionFailed as exc:
        return Figure(name, target, "failed", False, str(exc))
    halves = []
    for split in ("dev", "holdout"):
        chosen = [i for i, n in enumerate(names) if corpus_split(n) == split]
        reams = sum(measured.per_file["reams"][i] for i in chosen)
        pdfium = sum(measured.per_file["pdfium"][i] for i in chosen)
        halves.append(f"{split} {len(chosen)} PDFs {ratio_text(pdfium / reams)}")
    total = sum(pages.values())
    return Figure(
        name,
        target,
        ratio_text(measured.ratio),
        measured.ratio >= TARGET_VS_PDFIUM,
        f"median of {rounds_text(rounds)}, warm workers, {total} pages in {len(pdfs)} PDFs "
        f"({SPEED_SET.name}): reams {total / median(measured.reams):.0f} pages/s, pypdfium2 "
        f"{total / median(measured.pdfium):.0f} pages/s; by split (summed over rounds): "
        + ", ".join(halves),
    )


def cpu_speed_set_figure(root: Path, *, rounds: int) -> Figure:
    """The speed set's ratio as CPU time (``time.process_time``) in this process: reams and the
    bare loop on each file back to back, in alternating order, after one untimed pass of both;
    the ratio of the totals over ``rounds`` rounds, with the dev and holdout halves.

    Wall time in workers (:func:`speed_set_figure`) moves with the machine's load; CPU time in
    one process moves much less, which makes it the measure to compare two versions of the
    code with: run it once per version, alternating (``PYTHONPATH=<other checkout>/src``
    imports the other one), and compare the ratios.
    """
    import time

    from convert import _pdfium, _quiet, _reams

    names = speed_set(root)
    name = "reams parse pages/s / bare pypdfium2 text loop (speed set, CPU time in one process)"
    target = f"≥ {TARGET_VS_PDFIUM:.1f}×"
    if not names:
        return Figure(name, target, "skipped: no speed set file present", None)
    _quiet()
    converters = {"reams": _reams(), "pdfium": _pdfium()}
    files = [(n, (root / n).read_bytes()) for n in names]
    seconds = {side: [0.0] * len(files) for side in converters}
    for index in range(rounds + 1):  # the first pass untimed: lazy imports, caches
        for turn, (file_name, data) in enumerate(files):
            order = ("reams", "pdfium") if (index + turn) % 2 == 0 else ("pdfium", "reams")
            for side in order:
                started = time.process_time()
                converters[side](data, Path(file_name).name)
                if index:
                    seconds[side][turn] += time.process_time() - started
    halves = []
    for split in ("dev", "holdout"):
        chosen = [i for i, n in enumerate(names) if corpus_split(n) == split]
        ours = sum(seconds["reams"][i] for i in chosen)
        floor = sum(seconds["pdfium"][i] for i in chosen)
        halves.append(f"{split} {len(chosen)} PDFs {ratio_text(floor / ours)}")
    ratio = sum(seconds["pdfium"]) / sum(seconds["reams"])
    import reams

    return Figure(
        name,
        target,
        ratio_text(ratio),
        ratio >= TARGET_VS_PDFIUM,
        f"{rounds_text(rounds)}, {len(files)} PDFs ({SPEED_SET.name}), reams from "
        f"{Path(reams.__file__).parent}: reams {sum(seconds['reams']):.2f} s CPU, pypdfium2 "
        f"{sum(seconds['pdfium']):.2f} s CPU; by split: " + ", ".join(halves),
    )


# ---------------------------------------------------------------------------- big documents


def big_doc_figure(path: Path, fresh: dict[tuple[str, Path], Outcome]) -> Figure:
    """Time and peak RSS of reams on one big document, the others beside it."""
    label = f"{path.name} ({page_count(path)} pages)" if path.suffix == ".pdf" else path.name
    name = f"{label}: reams time and peak RSS, fresh process"
    reams = fresh[("reams", path)]
    if not reams.ok:
        return Figure(name, "(info)", "reams failed", False, reams.error)
    others = "; ".join(
        f"{side} {seconds_text(o.seconds)}, {memory_text(o)}" if o.ok else f"{side} failed"
        for side in ("markitdown", "pdfium")
        if (o := fresh.get((side, path))) is not None
    )
    return Figure(
        name,
        "(info)",
        f"{seconds_text(reams.seconds)}, {memory_text(reams)}",
        None,
        f"{others or 'markitdown not run (--quick)'}; RSS after imports, before the conversion: "
        f"reams {reams.baseline_rss / MIB:.0f} MB"
        + "".join(
            f", {side} {o.baseline_rss / MIB:.0f} MB"
            for side in ("markitdown", "pdfium")
            if (o := fresh.get((side, path))) is not None and o.ok
        ),
    )


# ---------------------------------------------------------------------------- office formats


def office_files(root: Path, fmt: str) -> list[Path]:
    sources = root / "docling-groundtruth" / fmt / "sources"
    found = sorted(sources.iterdir()) if sources.is_dir() else []
    return [path for path in found if path.suffix.lower() in OFFICE_SUFFIXES]


@dataclass(frozen=True)
class OfficeTimes:
    """Per-file median seconds of both converters (files both converted), and the failures."""

    reams: dict[Path, float]
    markitdown: dict[Path, float]
    failed: dict[str, dict[Path, str]]  # converter -> file -> error


def office_times(files: Sequence[Path], *, rounds: int) -> OfficeTimes:
    samples: dict[str, dict[Path, list[float]]] = {"reams": {}, "markitdown": {}}
    failed: dict[str, dict[Path, str]] = {"reams": {}, "markitdown": {}}
    with (
        IsolatedConverter("reams", timeout_s=WARM_TIMEOUT_S) as reams,
        IsolatedConverter("markitdown", timeout_s=WARM_TIMEOUT_S) as other,
    ):
        for converter in (reams, other):  # warm-up, and which files each one converts
            for path in files:
                if not (outcome := converter.convert(path)).ok:
                    failed[converter.name][path] = outcome.error
        both = [p for p in files if not any(p in errors for errors in failed.values())]
        for index in range(rounds):
            for turn, path in enumerate(both):
                order = (reams, other) if (index + turn) % 2 == 0 else (other, reams)
                for converter in order:
                    outcome = converter.convert(path)
                    samples[converter.name].setdefault(path, []).append(outcome.seconds)
    per_file = {side: {p: median(v) for p, v in s.items()} for side, s in samples.items()}
    return OfficeTimes(per_file["reams"], per_file["markitdown"], failed)


def office_figure(fmt: str, files: Sequence[Path], times: OfficeTimes, *, rounds: int) -> Figure:
    name = f"{fmt} per-file time: reams / markitdown (median over files)"
    target = f"≤ {TARGET_OFFICE:.2f}×"
    failed = "; ".join(
        f"{side} failed on {len(errors)} (e.g. {next(iter(errors)).name}: "
        f"{next(iter(errors.values()))[:60]})"
        for side, errors in times.failed.items()
        if errors
    )
    if not times.reams:
        return Figure(name, target, "no file converted by both", None, failed)
    ratios = [times.reams[p] / times.markitdown[p] for p in times.reams]
    ratio = median(ratios)
    return Figure(
        name,
        target,
        ratio_text(ratio),
        ratio <= TARGET_OFFICE,
        f"{len(times.reams)} of {len(files)} docling-groundtruth {fmt} files converted by both, "
        f"median of {rounds_text(rounds)} per file, warm workers: median per-file time reams "
        f"{seconds_text(median(list(times.reams.values())))}, markitdown "
        f"{seconds_text(median(list(times.markitdown.values())))}; totals "
        f"{seconds_text(sum(times.reams.values()))} vs "
        f"{seconds_text(sum(times.markitdown.values()))}"
        + (f"; left out: {failed}" if failed else ""),
    )


# ---------------------------------------------------------------------------- measure


def present(root: Path, names: Sequence[str]) -> list[Path]:
    return [root / name for name in names if (root / name).is_file()]


def fresh_runs(
    pdfs: Sequence[Path], big: Sequence[Path], *, markitdown_big: bool
) -> dict[tuple[str, Path], Outcome]:
    """Every one-file-per-process conversion the figures need, one process each."""
    wanted = [("markitdown", path) for path in pdfs]
    for path in big:
        wanted.append(("reams", path))
        if path.suffix == ".pdf":
            wanted.append(("pdfium", path))
        if markitdown_big and ("markitdown", path) not in wanted:
            wanted.append(("markitdown", path))
    return {key: convert_fresh(*key, timeout_s=FRESH_TIMEOUT_S) for key in wanted}


def measure(
    *, rounds: int = 3, quick: bool = False, set_only: bool = False, cpu: bool = False
) -> list[Figure]:
    """Every speed figure; one "skipped" row when the corpus is absent."""
    root = corpus_root()
    if not root.is_dir():
        return [Figure("parse speed", "(info)", "skipped: no corpus", None, f"no {root}")]
    if cpu:
        return [cpu_speed_set_figure(root, rounds=rounds)]
    if set_only:
        return [speed_set_figure(root, rounds=rounds)]
    pdfs = present(root, TEXT_PDFS[1:] if quick else TEXT_PDFS)
    big = present(root, BIG_DOCS)
    fresh = fresh_runs(pdfs, big, markitdown_big=not quick)
    figures = text_pdf_figures(pdfs, fresh, rounds=rounds) if pdfs else []
    figures.append(speed_set_figure(root, rounds=rounds))
    figures += [big_doc_figure(path, fresh) for path in big]
    for fmt in OFFICE_FORMATS:
        if files := office_files(root, fmt):
            times = office_times(files, rounds=rounds)
            figures.append(office_figure(fmt, files, times, rounds=rounds))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip markitdown on the 619 pages")
    parser.add_argument("--speed-set", action="store_true", help="only the speed set's figure")
    parser.add_argument(
        "--cpu", action="store_true", help="only the speed set's figure, as CPU time in-process"
    )
    args = parser.parse_args()
    rounds = 1 if args.quick else args.rounds
    figures = measure(rounds=rounds, quick=args.quick, set_only=args.speed_set, cpu=args.cpu)
    for figure in figures:
        print(f"{figure.verdict:4}  {figure.name}: {figure.measured}")
        if figure.detail:
            print(f"      {figure.detail}")


if __name__ == "__main__":
    main()
