"""The files of an item's result, as ``reams run --out`` writes them and an export packs them.

One naming and serialising rule for every writer: the command's own process, the worker
process that wrote a large result (``engine.isolation``) and ``…/export?format=zip``, so an
exported zip unpacks into what a local run writes. Pure: names and texts, no I/O.
"""

from __future__ import annotations

import json
import posixpath
from typing import Any

import orjson

Output = dict[str, Any]
ANALYSIS_KEYS = ("result", "extract_result", "extract_metadata", "scores", "engine", "usage")


def output_names(item_name: str, job_type: str) -> list[str] | None:
    """The relative (POSIX) paths of an item's output files: ``<name>.md`` and ``<name>.json``
    for parse, ``<name>.json`` otherwise; None when the name would lead outside the output
    folder (absolute, or climbing with ``..``)."""
    name = posixpath.normpath(item_name.replace("\\", "/"))
    if not item_name or name.startswith("/") or name in (".", "..") or name.startswith("../"):
        return None
    return [f"{name}.md", f"{name}.json"] if job_type == "parse" else [f"{name}.json"]


def output_document(item_name: str, result_id: str | None, output: Output) -> dict[str, Any]:
    """The ``<name>.json`` document of an item: its file, result id and the result output."""
    document = {"file": item_name, "result_id": result_id, "type": output.get("type")}
    if output.get("type") in ("classify", "extract"):
        return (
            document
            | {k: output[k] for k in ANALYSIS_KEYS if k in output}
            | {"document": output.get("document")}
        )
    return document | {"document": output.get("document"), "pages": output.get("pages", [])}


def pretty_json_bytes(value: Any) -> bytes:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` encoded as UTF-8, several times
    faster (the standard encoder drops to pure Python as soon as it indents): the output
    files ``reams run`` writes for every item, and the export's. Bytes, as the files take them
    (a 5 MB document is not decoded to text to be encoded back)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except (TypeError, orjson.JSONEncodeError):  # what orjson refuses (huge ints, odd keys)
        return json.dumps(value, ensure_ascii=False, indent=2).encode()


def output_contents(
    names: list[str], item_name: str, result_id: str | None, output: Output
) -> list[tuple[str, bytes]]:
    """(path, UTF-8 content) of each output file named by :func:`output_names` (or the same
    names made absolute), JSON last."""
    document = pretty_json_bytes(output_document(item_name, result_id, output))
    if len(names) == 2:
        markdown = str(output.get("markdown_full") or "").encode()
        return [(names[0], markdown), (names[1], document)]
    return [(names[0], document)]
