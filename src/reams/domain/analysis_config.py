"""The classify and extract variants of a batch ``job_config``, checked and normalised.

Classify is the v1 ``ClassifyJob`` shape (spec §5.3.2). The SDK types it as a whole classifier
job record, so a request carries ``id``, ``project_id``, ``user_id`` and ``status``: those
server-side fields are accepted and ignored. reams adds two optional keys: ``engine``
(``auto`` | ``offline`` | ``llm``) and ``confidence_threshold`` (below it, ``type`` is null).

Extract has no variant in the v1 union (spec §12.1); reams reads
``{"data_schema": {...JSON Schema...}, "extract_config": {...}}``, where ``extract_config``
takes the fields of LlamaCloud's ``ExtractConfiguration`` (``extraction_target``,
``target_pages``, ``max_pages``, ``system_prompt``, ``cite_sources``, ``confidence_scores``,
``tier`` ...) plus ``engine``. ``data_schema`` may also sit inside ``extract_config``.

Both normalise to a plain ``parameters`` dict that is hashed for dedup and handed to the
processor; everything here raises :class:`InvalidField` (an API 422) with a message naming the key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from reams.domain.errors import InvalidField
from reams.domain.hashing import RECORD_FIELDS

ENGINES: Final = ("auto", "offline", "llm")
CLASSIFY_MODES: Final = ("FAST", "MULTIMODAL")
EXTRACTION_TARGETS: Final = ("per_doc", "per_page", "per_table_row")
EXTRACT_TIERS: Final = ("cost_effective", "agentic", "agentic_plus")
MAX_RULES: Final = 200
MAX_TEXT: Final = 10_000

# Server-side fields of a ClassifyJob record: the SDK makes callers send them; reams ignores them.
CLASSIFY_IGNORED: Final = RECORD_FIELDS
CLASSIFY_KEYS: Final = frozenset(
    {"rules", "mode", "parsing_configuration", "engine", "confidence_threshold", "invalidate_cache"}
)
EXTRACT_CONFIG_KEYS: Final = frozenset(
    {
        "data_schema",
        "extraction_target",
        "target_pages",
        "max_pages",
        "system_prompt",
        "cite_sources",
        "confidence_scores",
        "tier",
        "version",
        "parse_tier",
        "parse_config_id",
        "engine",
        "invalidate_cache",
    }
)
# Accepted for SDK compatibility; they do not change what reams computes.
EXTRACT_NO_EFFECT: Final = frozenset({"version", "parse_tier", "parse_config_id"})


def _fail(message: str) -> InvalidField:
    return InvalidField(message)


def _unknown(keys: Sequence[str], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(keys) - allowed)
    if unknown:
        raise _fail(
            f"{where} has unknown key(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )


def _text(value: object, where: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise _fail(f"{where} must be a string")
    text = value.strip()
    if not text and not allow_empty:
        raise _fail(f"{where} must not be empty")
    if len(text) > MAX_TEXT:
        raise _fail(f"{where} is longer than {MAX_TEXT} characters")
    return text


def _engine(value: object, where: str) -> str:
    if value is None:
        return "auto"
    if value not in ENGINES:
        raise _fail(f"{where} must be one of {', '.join(ENGINES)}, got {value!r}")
    return str(value)


def _optional_int(value: object, where: str, *, minimum: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _fail(f"{where} must be an integer >= {minimum}")
    return value


def _page(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(f"{where} must be a page number counted from 0")
    return value


def _one_based_pages(spec: str, where: str) -> str:
    """``"1,3-5"`` (1-based, as LlamaCloud's extract takes it) as parse's 0-based ``"0,2-4"``."""
    parts = []
    for part in spec.split(","):
        bounds = part.strip().split("-")
        if len(bounds) > 2 or not all(b.strip().isdigit() and int(b) >= 1 for b in bounds):
            raise _fail(
                f"{where}: {part.strip()!r} is not a page number (from 1) or a range like 2-4"
            )
        numbers = [int(b) - 1 for b in bounds]
        if numbers[-1] < numbers[0]:
            raise _fail(f"{where}: the range {part.strip()!r} runs backwards")
        parts.append("-".join(str(n) for n in numbers))
    return ",".join(parts)


def pages_from_one_based(spec: object, where: str) -> list[int]:
    """``"1,3-4"`` (1-based, the v2 APIs' form) as the 0-indexed list ``[0, 2, 3]``."""
    text = _text(spec, where)
    pages: set[int] = set()
    for part in _one_based_pages(text, where).split(","):
        start, _, end = part.partition("-")
        pages.update(range(int(start), int(end or start) + 1))
        if len(pages) > 100_000:
            raise _fail(f"{where}: too many pages")
    return sorted(pages)


def _rules(value: object) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise _fail("job_config.rules must be a list of {type, description} objects")
    if not value:
        raise _fail("job_config.rules must not be empty: give at least one {type, description}")
    if len(value) > MAX_RULES:
        raise _fail(f"job_config.rules has {len(value)} rules; at most {MAX_RULES} are allowed")
    rules: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for i, rule in enumerate(value):
        where = f"job_config.rules[{i}]"
        if not isinstance(rule, Mapping):
            raise _fail(f"{where} must be an object with 'type' and 'description'")
        _unknown(list(rule), frozenset({"type", "description"}), where)
        kind = _text(rule.get("type"), f"{where}.type")
        description = _text(rule.get("description"), f"{where}.description")
        folded = kind.casefold()
        if folded in seen:
            raise _fail(
                f"job_config.rules has a duplicate type {kind!r} (rules[{seen[folded]}] and "
                f"rules[{i}]); each rule needs its own type"
            )
        seen[folded] = i
        rules.append({"type": kind, "description": description})
    return rules


def _classify_parsing(value: object) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _fail("job_config.parsing_configuration must be an object")
    where = "job_config.parsing_configuration"
    _unknown(list(value), frozenset({"lang", "max_pages", "target_pages"}), where)
    out: dict[str, Any] = {}
    lang = value.get("lang")
    if lang is not None:
        out["lang"] = _text(lang, f"{where}.lang")
    max_pages = _optional_int(value.get("max_pages"), f"{where}.max_pages", minimum=1)
    if max_pages is not None:
        out["max_pages"] = max_pages
    pages = value.get("target_pages")
    if pages is not None:
        if not isinstance(pages, list) or not pages:
            raise _fail(f"{where}.target_pages must be a non-empty list of 0-indexed page numbers")
        out["target_pages"] = sorted(
            {_page(p, f"{where}.target_pages[{i}]") for i, p in enumerate(pages)}
        )
    return out


def _threshold(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise _fail("job_config.confidence_threshold must be a number between 0 and 1")
    return float(value)


def classify_parameters(job_config: Mapping[str, Any]) -> dict[str, Any]:
    """The normalised parameters of a classify job (what the processor gets and dedup hashes)."""
    _unknown(list(job_config), CLASSIFY_KEYS | CLASSIFY_IGNORED, "job_config (classify)")
    mode = job_config.get("mode")
    if mode is not None and mode not in CLASSIFY_MODES:
        raise _fail(f"job_config.mode must be one of {', '.join(CLASSIFY_MODES)}, got {mode!r}")
    params: dict[str, Any] = {
        "rules": _rules(job_config.get("rules")),
        "mode": mode or "FAST",
        "engine": _engine(job_config.get("engine"), "job_config.engine"),
        "parsing": _classify_parsing(job_config.get("parsing_configuration")),
    }
    threshold = _threshold(job_config.get("confidence_threshold"))
    if threshold is not None:
        params["confidence_threshold"] = threshold
    return params


def _extract_sections(
    job_config: Mapping[str, Any],
) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    _unknown(list(job_config), frozenset({"data_schema", "extract_config"}), "job_config (extract)")
    config = job_config.get("extract_config") or {}
    if not isinstance(config, Mapping):
        raise _fail("job_config.extract_config must be an object")
    _unknown(list(config), EXTRACT_CONFIG_KEYS, "job_config.extract_config")
    if "data_schema" in job_config and "data_schema" in config:
        raise _fail("give data_schema once: in job_config or in job_config.extract_config")
    schema = job_config.get("data_schema", config.get("data_schema"))
    if schema is None:
        raise _fail("an extract job needs job_config.data_schema: a JSON Schema of the fields")
    if not isinstance(schema, Mapping):
        raise _fail("job_config.data_schema must be a JSON Schema object")
    return config, schema


def _choice(config: Mapping[str, Any], key: str, allowed: Sequence[str], default: str) -> str:
    value = config.get(key)
    if value is None:
        return default
    if value not in allowed:
        raise _fail(
            f"job_config.extract_config.{key} must be one of {', '.join(allowed)}, got {value!r}"
        )
    return str(value)


def _flag(config: Mapping[str, Any], key: str, default: bool) -> bool:
    value = config.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _fail(f"job_config.extract_config.{key} must be true or false")
    return value


def invalidate_cache(job_config: Mapping[str, Any]) -> bool:
    """reams's ``invalidate_cache`` switch (top level for classify, in ``extract_config``)."""
    section = job_config.get("extract_config")
    value = (section if isinstance(section, Mapping) else job_config).get("invalidate_cache")
    if value is not None and not isinstance(value, bool):
        raise _fail("invalidate_cache must be true or false")
    return bool(value)


def extract_parameters(job_config: Mapping[str, Any]) -> dict[str, Any]:
    """The normalised parameters of an extract job; the schema itself is checked by processors."""
    config, schema = _extract_sections(job_config)
    where = "job_config.extract_config"
    params: dict[str, Any] = {
        "data_schema": dict(schema),
        "extraction_target": _choice(config, "extraction_target", EXTRACTION_TARGETS, "per_doc"),
        "engine": _engine(config.get("engine"), f"{where}.engine"),
        "cite_sources": _flag(config, "cite_sources", True),
        "confidence_scores": _flag(config, "confidence_scores", True),
        "tier": _choice(config, "tier", EXTRACT_TIERS, "cost_effective"),
    }
    parsing: dict[str, Any] = {}
    max_pages = _optional_int(config.get("max_pages"), f"{where}.max_pages", minimum=1)
    if max_pages is not None:
        parsing["max_pages"] = max_pages
    if config.get("target_pages") is not None:
        spec = _text(config["target_pages"], f"{where}.target_pages")
        parsing["target_pages"] = _one_based_pages(spec, f"{where}.target_pages")
    params["parsing"] = parsing
    if config.get("system_prompt") is not None:
        params["system_prompt"] = _text(config["system_prompt"], f"{where}.system_prompt")
    return params
