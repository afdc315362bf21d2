"""The v2 product job lifecycles (`/api/v2/parse`, `/api/v2/classify`, `/api/v2/extract`):
create bodies, the parse job record, deletes, parse versions and extract schema generation.

The result views (`ParseResult`, `ClassifyV2Job`, `ExtractV2Job`) are in `wire.parse` and
`wire.analysis`.
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import Field

from reams.wire.common import WireModel

# Each tier's only accepted dated version besides `latest` (reams has one parser: the version
# has no offline meaning and is reported as ignored). Dates the 2.19 SDK knows.
PARSE_VERSIONS: Final = {
    "agentic": "2026-10-16",
    "agentic_plus": "2026-09-28",
    "cost_effective": "2026-09-28",
    "fast": "2026-06-15",
}


class ParseCreate(WireModel):
    """`POST /api/v2/parse` (JSON), and the `configuration` part of `POST /api/v2/parse/upload`.

    Option groups are LlamaCloud's v2 ones; what has an offline meaning is mapped onto reams's
    parse options, the rest is accepted and listed in the result's `ignored_options`.
    """

    tier: str | None = Field(
        default=None,
        description="fast | cost_effective | agentic | agentic_plus; with configuration_id, "
        "omit it or send 'configured'. No offline meaning (one parser): reported as ignored.",
    )
    version: str | None = Field(
        default=None, description="'latest' or a dated version; 'configured' with configuration_id."
    )
    file_id: str | None = Field(default=None, description="A file (`fil-...`) of the project.")
    source_url: str | None = Field(
        default=None, description="Not supported: reams does not fetch URLs (422)."
    )
    http_proxy: str | None = Field(default=None, description="Only meaningful with source_url.")
    configuration_id: str | None = Field(
        default=None, description="A saved parse_v2 configuration or a preset (cfg-PARSE_AGENTIC)."
    )
    agentic_options: dict[str, Any] | None = Field(default=None, description="Agentic options.")
    client_name: str | None = Field(default=None, description="Free-form caller name.")
    crop_box: dict[str, Any] | None = Field(default=None, description="Page margins to ignore.")
    disable_cache: bool | None = Field(
        default=None, description="Parse again even when this content was parsed alike before."
    )
    fast_options: dict[str, Any] | None = Field(default=None, description="Fast tier options.")
    input_options: dict[str, Any] | None = Field(default=None, description="Per format options.")
    output_options: dict[str, Any] | None = Field(default=None, description="Output options.")
    page_ranges: dict[str, Any] | None = Field(
        default=None, description="`max_pages`, `target_pages` (1-based, '1,3-5')."
    )
    processing_control: dict[str, Any] | None = Field(
        default=None, description="Timeouts and the allowed page failure ratio."
    )
    processing_options: dict[str, Any] | None = Field(
        default=None, description="OCR languages and other processing options."
    )
    user_metadata: dict[str, str] | None = Field(
        default=None, description="Tags returned with the job."
    )
    webhook_configuration_ids: list[str] | None = Field(
        default=None, description="Saved webhook configs to notify (recorded; not delivered yet)."
    )
    webhook_configurations: list[dict[str, Any]] | None = Field(
        default=None, description="Inline webhooks (accepted; not delivered yet)."
    )

    def options(self) -> dict[str, Any]:
        """The parse options of the request (no input, configuration id or job tags)."""
        skip = {"file_id", "source_url", "http_proxy", "configuration_id", "user_metadata"}
        skip |= {"webhook_configuration_ids"}
        data = self.model_dump(exclude_none=True, exclude=skip)
        return {k: v for k, v in data.items() if v != "configured"}


class ProductDeleted(WireModel):
    """`DELETE /api/v2/{parse,classify}/{job_id}`: what was deleted."""

    id: str = Field(description="The deleted job's id.")
    project_id: str = Field(description="Its project.")


class ParseVersionsLatest(WireModel):
    """What `latest` resolves to, per tier."""

    agentic: str = Field(description="Latest agentic version.")
    agentic_plus: str = Field(description="Latest agentic_plus version.")
    cost_effective: str = Field(description="Latest cost_effective version.")
    fast: str = Field(description="Latest fast version.")


class ParseVersions(WireModel):
    """`GET /api/v2/parse/versions`: the dated versions each tier accepts (besides `latest`)."""

    agentic: list[str] = Field(description="Dated agentic versions.")
    agentic_plus: list[str] = Field(description="Dated agentic_plus versions.")
    cost_effective: list[str] = Field(description="Dated cost_effective versions.")
    fast: list[str] = Field(description="Dated fast versions.")
    latest: ParseVersionsLatest = Field(description="What `latest` means per tier.")


class SchemaGenerate(WireModel):
    """`POST /api/v2/extract/schema/generate`."""

    data_schema: dict[str, Any] | None = Field(
        default=None, description="A schema to refine or extend (kept; proposals are added)."
    )
    file_id: str | None = Field(default=None, description="A sample document (`fil-...`).")
    name: str | None = Field(default=None, description="Configuration name (made up if omitted).")
    prompt: str | None = Field(default=None, description="What to extract, in words.")


class GeneratedConfiguration(WireModel):
    """A configuration request (`ConfigurationCreate`): save it with
    `POST /api/v1/beta/configurations` or use its `parameters` as an extract configuration."""

    name: str = Field(description="Configuration name.")
    parameters: dict[str, Any] = Field(
        description="`{product_type: extract_v2, data_schema}` with the proposed JSON Schema."
    )
