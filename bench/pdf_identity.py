"""Is reams's PDF output unchanged? sha256 per corpus PDF of its Markdown and its items JSON.

A speed change to the PDF reader must not change what it makes. This records, for every PDF of
the corpus (``bad-inputs`` included: an error is recorded as its code), the sha256 of reams's
``markdown_full``, of its pages' items (JSON, keys sorted) and of the whole parse result, once
with the default options and once with tables as HTML, through the product's entry point
(``reams.processors.run("parse", ...)``). Which reams runs is whatever ``import reams`` finds:
put a baseline checkout's ``src`` first on ``PYTHONPATH`` to record the baseline, and
``REAMS_PDF_NATIVE=0`` to record the ctypes path instead of the native module.

``python bench/pdf_identity.py record OUT.json [--only SUBSTRING]`` writes the hashes;
``--ext docx,pptx,xlsx,html`` hashes those corpus files instead of the PDFs (the other formats
go through the same items and assembly code);
``python bench/pdf_identity.py compare BEFORE.json AFTER.json`` lists the PDFs whose hashes
differ (exit status 1 if any do, or if the two cover different files).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from harness import corpus_root

VARIANTS: dict[str, dict[str, Any]] = {
    "default": {"type": "parse"},
    "html": {"type": "parse", "output_tables_as_HTML": True},
}


def corpus_pdfs(root: Path, suffixes: tuple[str, ...] = (".pdf",)) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in suffixes and p.is_file())


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def hashes(data: bytes, filename: str, parameters: dict[str, Any]) -> dict[str, str]:
    """The sha256 of one parse's Markdown, items and whole result (or of its error code)."""
    from reams import processors
    from reams.domain.errors import ProcessorError

    try:
        result = processors.run("parse", data, filename, parameters)
    except ProcessorError as exc:
        return {"error": _sha(exc.code)}
    items = [page.get("items", []) for page in result.get("pages", [])]
    return {
        "markdown": _sha(str(result.get("markdown_full", ""))),
        "items": _sha(json.dumps(items, sort_keys=True, ensure_ascii=False)),
        "result": _sha(json.dumps(result, sort_keys=True, ensure_ascii=False)),
    }


def record(out: Path, only: str, ext: str = "pdf") -> None:
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    import reams
    from reams.processors.parse.pdf import native

    root = corpus_root()
    suffixes = tuple(f".{e.strip().lower().lstrip('.')}" for e in ext.split(",") if e.strip())
    pdfs = [p for p in corpus_pdfs(root, suffixes) if only in str(p.relative_to(root))]
    files: dict[str, dict[str, dict[str, str]]] = {}
    started = time.process_time()
    for path in pdfs:
        data = path.read_bytes()
        name = str(path.relative_to(root))
        files[name] = {v: hashes(data, path.name, params) for v, params in VARIANTS.items()}
    report = {
        "reams": str(Path(reams.__file__).parent),
        "native": native.chars_module is not None,
        "REAMS_PDF_NATIVE": os.environ.get("REAMS_PDF_NATIVE", ""),
        "cpu_s": round(time.process_time() - started, 2),
        "files": files,
    }
    out.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"{len(files)} PDFs, reams from {report['reams']}, native module "
        f"{'used' if report['native'] else 'not used'}, {report['cpu_s']} s CPU -> {out}"
    )


def compare(before: Path, after: Path) -> int:
    old = json.loads(before.read_text(encoding="utf-8"))
    new = json.loads(after.read_text(encoding="utf-8"))
    for label, report in (("before", old), ("after", new)):
        print(
            f"{label}: {report['reams']} (native {report['native']}), {len(report['files'])} PDFs"
        )
    differ = sorted(
        f"{name}: {variant} {', '.join(k for k in hashes if hashes[k] != got.get(k))}"
        for name, variants in old["files"].items()
        if name in new["files"]
        for variant, hashes in variants.items()
        if (got := new["files"][name].get(variant, {})) != hashes
    )
    missing = sorted(set(old["files"]) ^ set(new["files"]))
    for line in differ:
        print(f"DIFFERS {line}")
    for name in missing:
        print(f"ONLY IN ONE {name}")
    same = len(set(old["files"]) & set(new["files"])) - len({d.split(":")[0] for d in differ})
    print(f"identical: {same} of {len(old['files'])} PDFs ({', '.join(VARIANTS)} options)")
    return 1 if differ or missing else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    rec = commands.add_parser("record", help="hash this reams's output on every corpus PDF")
    rec.add_argument("out", type=Path)
    rec.add_argument("--only", default="", help="only PDFs whose corpus path contains this")
    rec.add_argument(
        "--ext",
        default="pdf",
        help="comma-separated file suffixes to hash instead of PDFs (e.g. docx,pptx,xlsx,html:"
        " the other formats that share the parse items and assembly)",
    )
    cmp = commands.add_parser("compare", help="the PDFs whose hashes differ between two records")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "record":
        record(args.out, args.only, args.ext)
    else:
        sys.exit(compare(args.before, args.after))


if __name__ == "__main__":
    main()
