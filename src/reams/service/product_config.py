"""v2 product configurations (parse_v2, classify_v2, extract_v2) as reams job configs.

The v2 APIs and saved configurations speak LlamaCloud's v2 option groups (``page_ranges``,
``output_options.markdown.tables``, ``processing_control.timeouts``, ...); reams's processors
read the v1-era keys of a batch ``job_config``. The functions here map one onto the other:

* **parse** — what has an offline meaning is mapped (see :data:`PARSE_MAPPED`); every other
  option that was set travels as a parameter named by its path (``tier``, ``version``,
  ``output_options.markdown.annotate_links``), so the parse processor reports it in the result's
  ``ignored_options``. ``user_metadata`` rides along as ``custom_metadata`` (no effect on dedup).
* **classify** — the v2 configuration as the v1 ``ClassifyJob`` shape (1-based
  ``target_pages`` strings become 0-based page lists).
* **extract** — ``data_schema`` plus an ``extract_config`` of the keys reams reads; options
  with no offline meaning (``advanced_citations``, ``sheet_names``, ``spreadsheet_mode``, the
  ``turbo`` tier) are accepted and dropped, as :data:`EXTRACT_IGNORED` documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from reams.domain.analysis_config import pages_from_one_based
from reams.domain.errors import InvalidField

# v2 option path -> reams parse parameter.
PARSE_MAPPED: Final = {
    ("page_ranges", "max_pages"): "max_pages",
    ("output_options", "extract_printed_page_number"): "extract_printed_page_number",
    ("input_options", "html", "remove_navigation_elements"): "html_remove_navigation_elements",
    ("input_options", "spreadsheet", "include_hidden_sheets"): "spreadsheet_include_hidden_sheets",
    ("processing_control", "timeouts", "base_in_seconds"): "job_timeout_in_seconds",
    (
        "processing_control",
        "timeouts",
        "extra_time_per_page_in_seconds",
    ): "job_timeout_extra_time_per_page_in_seconds",
    (
        "processing_control",
        "job_failure_conditions",
        "allowed_page_failure_ratio",
    ): "page_error_tolerance",
    ("processing_options", "ocr_parameters", "languages"): "languages",
    ("disable_cache",): "invalidate_cache",
}
TARGET_PAGES: Final = ("page_ranges", "target_pages")
TABLES_AS_MARKDOWN: Final = ("output_options", "markdown", "tables", "output_tables_as_markdown")
# Not parse options: who asked, where to report, what to tag the job with.
PARSE_NOT_OPTIONS: Final = frozenset(
    {"product_type", "client_name", "webhook_configurations", "webhook_configuration_ids"}
)
EXTRACT_IGNORED: Final = frozenset({"advanced_citations", "sheet_names", "spreadsheet_mode"})
EXTRACT_RENAMED: Final = {"disable_cache": "invalidate_cache"}


def _leaves(
    value: Mapping[str, Any], path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], Any]]:
    """Every (path, value) of a nested option group; empty groups have none."""
    out: list[tuple[tuple[str, ...], Any]] = []
    for key, item in value.items():
        if isinstance(item, Mapping):
            out.extend(_leaves(item, (*path, key)))
        elif item is not None:
            out.append(((*path, key), item))
    return out


def _parse_leaf(params: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    if path in PARSE_MAPPED:
        params[PARSE_MAPPED[path]] = value
    elif path == TARGET_PAGES:
        params["target_pages"] = pages_from_one_based(value, "page_ranges.target_pages")
    elif path == TABLES_AS_MARKDOWN:
        params["output_tables_as_HTML"] = not value
    else:  # no offline meaning: recorded as ignored by the parse processor
        params[".".join(path)] = value


def parse_job_config(
    options: Mapping[str, Any], *, user_metadata: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A v2 parse configuration (request body or saved ``parse_v2`` parameters) as a parse
    batch job config."""
    params: dict[str, Any] = {"type": "parse"}
    kept = {k: v for k, v in options.items() if k not in PARSE_NOT_OPTIONS}
    for path, value in _leaves(kept):
        _parse_leaf(params, path, value)
    if user_metadata:
        params["custom_metadata"] = dict(user_metadata)
    return {"job_name": "parse_raw_file_job", "parameters": params}


def classify_job_config(configuration: Mapping[str, Any]) -> dict[str, Any]:
    """A v2 classify configuration (``rules``, ``mode``, ``parsing_configuration`` with 1-based
    ``target_pages``) as the v1 ``ClassifyJob``-shaped batch config."""
    config = {k: v for k, v in configuration.items() if k != "product_type"}
    # `rules` is what makes a job config a classify one (jobconfig.resolve): without the key
    # the config would be checked as a parse job's and the missing rules found too late.
    config.setdefault("rules", None)
    parsing = dict(config.pop("parsing_configuration", None) or {})
    if parsing.get("target_pages") is not None:
        where = "configuration.parsing_configuration.target_pages"
        parsing["target_pages"] = pages_from_one_based(parsing["target_pages"], where)
    return config | ({"parsing_configuration": parsing} if parsing else {})


def extract_job_config(configuration: Mapping[str, Any]) -> dict[str, Any]:
    """A v2 extract configuration (``data_schema`` + ``ExtractConfiguration`` options) as
    reams's extract batch config; unknown keys are left for the job config check to name."""
    config: dict[str, Any] = {}
    for key, value in configuration.items():
        if key == "product_type" or key in EXTRACT_IGNORED or value is None:
            continue
        if key == "tier" and value == "turbo":  # no offline counterpart: the default tier
            continue
        config[EXTRACT_RENAMED.get(key, key)] = value
    schema = config.pop("data_schema", None)
    if schema is None:
        raise InvalidField("configuration.data_schema is required (a JSON Schema of the fields)")
    return {"data_schema": schema, "extract_config": config}


def merged(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``overrides`` over ``base``, group by group (a saved configuration plus request options)."""
    out = dict(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merged(out[key], value)
        elif value is not None:
            out[key] = value
    return out
