"""Measure the activation ranges of rapidocr's recogniser for its 8-bit form (``ocr/quant.py``).

The recogniser is run, as reams runs it (fused graph, one line at its own width), on the text
lines of DEV pages of the OCR benchmark's sets (``bench/ocr_quality.py``: the invoice2data scans
by default; also the docling-groundtruth scans and the generated small print on request);
holdout pages are never read. For every value a convolution reads or writes, a sample of its
elements over all lines is kept, and its range is the clipping [low, high] that quantizes that
sample to 8 bits with the least squared error (searched on a grid of fractions of the sample's
minimum and maximum; a value that never goes below hard-swish's floor of -3/8 keeps its
minimum).

Writes ``src/reams/processors/parse/ocr/rec_int8_ranges.json`` (or ``--out``) with the SHA-256
of the model file: reams applies the ranges only to that model.

The shipped file is the default: every third line of the invoice set's dev pages (224 lines).
Calibrating on all three sets' dev lines (503 lines, at most 40 a page, the same clipping) was
tried and (invoice F1 0.921 instead of 0.938, generated 0.926 instead of
0.952; float reads 0.934 and 0.953): the 8-bit recogniser is sensitive to its ranges, which is
why ``REAMS_OCR_INT8`` is off unless asked for.

``python bench/ocr_calibrate.py [--out PATH] [--sets invoices ...] [--every N]``
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import ocr_quality
from harness import corpus_root, split_of

_SAMPLE = 2000  # elements kept per value per line
_GRID = 10  # fractions of the range tried at either end
_FLOOR = -0.4  # a minimum above this is hard-swish's floor (-3/8), kept as it is


def dev_images(sets: list[str]) -> list[Any]:
    """Every dev page of the benchmark's ``sets`` (generated, docling, invoices), as images."""
    import pypdfium2 as pdfium
    from PIL import Image

    root = corpus_root()
    images: list[Any] = []
    cases = ocr_quality.generated_cases() if "generated" in sets else []
    if "docling" in sets:
        cases += [case for case in ocr_quality.docling_cases(root) if split_of(case[0]) == "dev"]
    if "invoices" in sets:
        cases += [case for case in ocr_quality.invoice_cases(root) if split_of(case[0]) == "dev"]
    for _, data, name, _ in cases:
        if name.endswith(".pdf"):
            pdf = pdfium.PdfDocument(data)
            images.extend(page.render(scale=200 / 72).to_pil().convert("RGB") for page in pdf)
        else:
            images.append(Image.open(io.BytesIO(data)).convert("RGB"))
    return images


def line_batches(images: list[Any], every: int) -> list[Any]:
    """The recogniser's inputs for every ``every``-th line of ``images``."""
    import os

    os.environ["REAMS_OCR_INT8"] = "off"  # measure the float graph
    from reams.processors.parse.ocr.rapid import RapidOcrEngine

    engine = RapidOcrEngine()
    session = engine._session
    batches: list[Any] = []
    for image in images:
        page: list[Any] = []

        def keep(batch: Any, page: list[Any] = page) -> Any:
            page.append(batch.copy())
            return session(batch)

        engine._session = keep
        engine.recognise(image)
        batches.extend(page)
    return batches[::every]


def ranges(batches: list[Any]) -> tuple[str, dict[str, list[float]]]:
    import numpy as np
    import onnxruntime as ort
    import rapidocr_onnxruntime

    from reams.processors.parse.ocr.fuse import fused_model
    from reams.processors.parse.ocr.quant import conv_activations, with_outputs

    path = Path(rapidocr_onnxruntime.__file__).parent / "models" / "ch_PP-OCRv4_rec_infer.onnx"
    original = path.read_bytes()
    fused, _ = fused_model(original)
    names = conv_activations(fused)
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(with_outputs(fused, names), options, ["CPUExecutionProvider"])
    random = np.random.default_rng(0)
    samples: dict[str, list[Any]] = {name: [] for name in names}
    for batch in batches:
        for name, value in zip(names, session.run(names, {"x": batch}), strict=True):
            flat = value.ravel()
            if flat.size > _SAMPLE:
                flat = random.choice(flat, _SAMPLE, replace=False)
            samples[name].append(flat)
    found = {}
    for name, parts in samples.items():
        low, high = _best_clip(np.concatenate(parts))
        found[name] = [round(low, 6), round(high, 6)]
    return hashlib.sha256(original).hexdigest(), found


def _best_clip(values: Any) -> tuple[float, float]:
    import numpy as np

    low, high = float(values.min()), float(values.max())
    best = (float("inf"), low, high)
    fractions = np.linspace(0.4, 1.0, _GRID)
    for a in fractions if low < _FLOOR else [1.0]:
        for b in fractions:
            lo, hi = min(low * a, 0.0), max(high * b, 0.0)
            if hi - lo <= 0:
                continue
            scale = (hi - lo) / 255
            zero = round(-lo / scale)
            restored = (np.clip(np.rint(values / scale) + zero, 0, 255) - zero) * scale
            error = float(np.mean((restored - values) ** 2))
            if error < best[0]:
                best = (error, lo, hi)
    return best[1], best[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(__file__).resolve().parents[1] / "src/reams/processors/parse/ocr"
    parser.add_argument("--out", type=Path, default=default / "rec_int8_ranges.json")
    parser.add_argument("--sets", nargs="+", default=["invoices"])
    parser.add_argument("--every", type=int, default=3, help="calibrate on every N-th line")
    args = parser.parse_args()
    images = dev_images(args.sets)
    batches = line_batches(images, args.every)
    print(f"{len(images)} dev pages, {len(batches)} lines")
    digest, found = ranges(batches)
    text = json.dumps({"model_sha256": digest, "tensors": found}, indent=1, sort_keys=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{len(found)} ranges written to {args.out}")


if __name__ == "__main__":
    main()
