"""JSON and JSON Lines files: pretty-printed (two-space indent) in one fenced ``json`` block.

Output is bounded by :func:`fenced.bounded`: past its limit the text is cut and a warning says so.
A file that is neither JSON nor JSON Lines (a truncated export, say) is shown as it is, in the
same fence, with a warning: a user still gets every character of it.
"""

from __future__ import annotations

import json

from reams.domain.errors import ProcessorError
from reams.processors.parse.fenced import bounded, cut_warning, fenced
from reams.processors.parse.model import PageContent, StaticSource
from reams.processors.parse.text import decode_document

# Parsing builds Python objects several times the size of the text; past this the file is shown
# as written (and cut), which costs no more memory than the text itself.
_MAX_PARSED_CHARS = 8_000_000


def read_json(data: bytes) -> StaticSource:
    text, encoding = decode_document(data)
    if not text.strip():
        raise ProcessorError("empty_document", "The file contains no text.")
    warnings: list[str] = []
    pretty = _pretty(text) if len(text) <= _MAX_PARSED_CHARS else text
    if pretty is None:
        pretty = text.strip("\n")
        warnings.append("The file is not valid JSON; it is shown as it is.")
    pretty, cut = bounded(pretty)
    if cut:
        warnings.append(cut_warning("JSON"))
    page = PageContent(markdown=fenced(pretty, "json"), text=pretty)
    return StaticSource([page], metadata={"encoding": encoding}, warnings=warnings)


def _pretty(text: str) -> str | None:
    try:
        return _dump(json.loads(text))
    except (ValueError, RecursionError):
        pass
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return None
    try:  # JSON Lines: one document per line
        return "\n".join(_dump(json.loads(line)) for line in lines)
    except (ValueError, RecursionError):
        return None


def _dump(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
