"""Evidence for extracted values: parse the model's citations, verify them against the pages.

Every non-null leaf value gets ``{"citation": [{"page", "matching_text"}], "confidence",
"reasoning"}``; null values get no entry.
A quote counts only if it really occurs in the cited page (compared case-, whitespace- and
Markdown-insensitively); otherwise the other pages are searched; a quote found nowhere is dropped
and the confidence lowered. A value the model did not cite is looked up in the pages itself.
A quote from a page that has no text but whose image the model was shown (``Verifier.imaged``)
cannot be checked: it is kept, with a confidence between verified and unverified.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from reams.processors.llm.prompts import Page

__all__ = ["Verifier", "field_metadata", "parse_evidence", "parse_path"]

Path = tuple[str | int, ...]
Cites = dict[Path, list[tuple[int | None, str]]]

MAX_SNIPPET = 300  # characters of a quote kept in a citation
CONF_VERIFIED = 0.9
CONF_VERIFIED_WITH_VALUE = 0.95
CONF_OTHER_PAGE = 0.8
CONF_FOUND_BY_VALUE = 0.7
CONF_FROM_IMAGE = 0.6
CONF_UNCITED = 0.5
CONF_UNVERIFIED = 0.3

_MARKUP = re.compile(r"[*_`|#>~\\]+")
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})


def normalize(text: str) -> str:
    """Lowercase, NFKC, Markdown marks removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return _SPACE.sub(" ", _MARKUP.sub(" ", text)).strip()


def parse_path(field: str, *, root_is_list: bool) -> Path:
    """``customer.name`` / ``items[0].price`` / ``/items/0/price`` / ``$.data.x`` as a tuple."""
    text = field.strip()
    if text.startswith("/"):
        text = text.strip("/").replace("/", ".")
    text = text.lstrip("$").lstrip(".")
    tokens: list[str | int] = []
    for index, name in _TOKEN.findall(text):
        token = index or name.strip()
        tokens.append(int(token) if token.isdigit() else token)
    if tokens and tokens[0] == "data":
        tokens = tokens[1:]
    if root_is_list and tokens and isinstance(tokens[0], str) and len(tokens) > 1:
        tokens = tokens[1:]  # "rows[0].name" -> (0, "name")
    return tuple(tokens)


def parse_evidence(raw: Any, *, root_is_list: bool) -> Cites:
    """The model's ``evidence`` list as {path: [(page, quote)]}; malformed entries are skipped."""
    cites: Cites = {}
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, Mapping):
            continue
        field, quote, page = entry.get("field"), entry.get("quote"), entry.get("page")
        if not isinstance(field, str) or not isinstance(quote, str) or not quote.strip():
            continue
        cites.setdefault(parse_path(field, root_is_list=root_is_list), []).append(
            (_page_number(page), quote.strip())
        )
    return cites


def _page_number(page: Any) -> int | None:
    if isinstance(page, bool):
        return None
    if isinstance(page, int):
        return page
    if isinstance(page, float) and page.is_integer():
        return int(page)
    if isinstance(page, str) and page.strip().isdigit():
        return int(page.strip())
    return None


class Verifier:
    """Finds normalised quotes in the normalised pages of one document."""

    def __init__(self, pages: Sequence[Page]) -> None:
        self._pages = [(p.number, normalize(p.markdown), normalize(p.text)) for p in pages]
        self._textless = {p.number for p in pages if not p.body}
        self.imaged: set[int] = set()  # pages whose image went to the model

    def from_image(self, page: int | None) -> bool:
        """Whether ``page`` has no text and the model saw its image (quotes unverifiable)."""
        return page in self._textless and page in self.imaged

    def find(self, quote: str, preferred: int | None) -> int | None:
        """The page containing ``quote`` (``preferred`` first), or None."""
        needle = normalize(quote)
        if not needle:
            return None
        ordered = sorted(self._pages, key=lambda p: p[0] != preferred)
        for number, markdown, text in ordered:
            if needle in markdown or needle in text:
                return number
        return None

    def leaf(self, value: Any, cited: Sequence[tuple[int | None, str]]) -> dict[str, Any]:
        """The metadata of one extracted leaf value."""
        if not cited:
            return self._uncited(value)
        citations: list[dict[str, Any]] = []
        on_cited_page = True
        for page, quote in cited:
            found = self.find(quote, page)
            if found is None:
                continue
            on_cited_page = on_cited_page and found == page
            citations.append({"page": found, "matching_text": _snippet(quote)})
        if not citations:
            seen = [(page, quote) for page, quote in cited if self.from_image(page)]
            if seen:
                read = [{"page": page, "matching_text": _snippet(quote)} for page, quote in seen]
                return _meta(read, CONF_FROM_IMAGE, "llm (read from the page image)")
            return _meta([], CONF_UNVERIFIED, "llm (quote not found in the document)")
        if not on_cited_page:
            return _meta(citations, CONF_OTHER_PAGE, "llm (quote found on another page)")
        shown = normalize(_scalar_text(value))
        in_quote = bool(shown) and any(shown in normalize(c["matching_text"]) for c in citations)
        return _meta(citations, CONF_VERIFIED_WITH_VALUE if in_quote else CONF_VERIFIED, "llm")

    def _uncited(self, value: Any) -> dict[str, Any]:
        shown = _scalar_text(value)
        if len(shown) >= 3 and not isinstance(value, bool):
            page = self.find(shown, None)
            if page is not None:
                citation = [{"page": page, "matching_text": _snippet(shown)}]
                return _meta(citation, CONF_FOUND_BY_VALUE, "llm (value found in the document)")
        return _meta([], CONF_UNCITED, "llm (no evidence given)")


def _snippet(text: str) -> str:
    """Whitespace collapsed, at most :data:`MAX_SNIPPET` characters (as the offline engine)."""
    snippet = " ".join(text.split())
    if len(snippet) > MAX_SNIPPET:
        snippet = snippet[: MAX_SNIPPET - 1].rstrip() + "…"
    return snippet


def _meta(citations: list[dict[str, Any]], confidence: float, reasoning: str) -> dict[str, Any]:
    return {"citation": citations, "confidence": confidence, "reasoning": reasoning}


def _scalar_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def field_metadata(value: Any, cites: Cites, verifier: Verifier, path: Path = ()) -> Any:
    """Metadata mirroring ``value``: dicts for objects, lists for arrays, a leaf dict per value.

    Null values get no entry in objects and ``None`` in arrays.
    """
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, child in value.items():
            meta = field_metadata(child, cites, verifier, (*path, key))
            if meta is not None:
                out[key] = meta
        return out
    if isinstance(value, list):
        return [field_metadata(v, cites, verifier, (*path, i)) for i, v in enumerate(value)]
    if value is None:
        return None
    return verifier.leaf(value, cites.get(path, []))
