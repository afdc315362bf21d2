"""Saved product configurations (`/api/v1/beta/configurations`) and webhook configurations
(`/api/v1/beta/webhook-configs`, `/api/v2/webhook-configs`), shaped as the 2.19 SDK's
`ConfigurationResponse` and `WebhookConfigResponse`.

Configuration parameters are typed per product type (the ``product_type`` discriminator:
``parse_v2``, ``extract_v2``, ``classify_v2``, ``split_v1``, ``spreadsheet_v1``; ``unknown``
takes anything). Unknown top-level keys of a typed variant are refused, so a misspelt option
is a 422 naming it rather than a setting silently ignored. Large option groups (parse's
``input_options``, ``output_options``, ``processing_options``, ...) are checked to be objects
only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, WithJsonSchema

from reams.domain.errors import InvalidField
from reams.wire.common import WireModel

ProductType = Literal[
    "classify_v2", "extract_v2", "parse_v2", "split_v1", "spreadsheet_v1", "unknown"
]
PRODUCT_TYPES: Final[tuple[str, ...]] = (
    "classify_v2",
    "extract_v2",
    "parse_v2",
    "split_v1",
    "spreadsheet_v1",
    "unknown",
)
ParseTier = Literal["agentic", "agentic_plus", "cost_effective", "fast"]

WebhookEvent = Literal[
    "batch.cancelled",
    "batch.error",
    "batch.pending",
    "batch.running",
    "batch.success",
    "classify.cancelled",
    "classify.error",
    "classify.partial_success",
    "classify.pending",
    "classify.running",
    "classify.success",
    "extract.cancelled",
    "extract.error",
    "extract.partial_success",
    "extract.pending",
    "extract.success",
    "parse.cancelled",
    "parse.error",
    "parse.partial_success",
    "parse.pending",
    "parse.running",
    "parse.success",
    "sheets.cancelled",
    "sheets.error",
    "sheets.partial_success",
    "sheets.pending",
    "sheets.success",
    "split.cancelled",
    "split.error",
    "split.pending",
    "split.processing",
    "split.success",
    "unmapped_event",
    "verify.cancelled",
    "verify.error",
    "verify.pending",
    "verify.running",
    "verify.success",
]
OutputFormat = Literal["json", "string"]


class _Strict(BaseModel):
    """Typed parameters: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


# -- parse_v2 ----------------------------------------------------------------------------------
class AgenticOptions(_Strict):
    """Options of the agentic parse tiers."""

    custom_prompt: str | None = Field(
        default=None, description="Extra instructions for the parser."
    )


class CropBox(_Strict):
    """Fractions of the page (0-1) cut from each side before parsing."""

    bottom: float | None = Field(default=None, ge=0, le=1, description="Cut from the bottom.")
    left: float | None = Field(default=None, ge=0, le=1, description="Cut from the left.")
    right: float | None = Field(default=None, ge=0, le=1, description="Cut from the right.")
    top: float | None = Field(default=None, ge=0, le=1, description="Cut from the top.")


class PageRanges(_Strict):
    """Which pages to parse."""

    max_pages: int | None = Field(default=None, ge=1, description="Parse at most this many pages.")
    target_pages: str | None = Field(
        default=None, description='1-based pages or ranges, comma-separated ("1,3-5").'
    )


class InlineWebhook(_Strict):
    """A webhook endpoint given inline (rather than by saved webhook config id)."""

    webhook_url: str | None = Field(default=None, description="URL that receives the POSTs.")
    webhook_events: list[str] | None = Field(
        default=None, description="Events to deliver; null = all."
    )
    webhook_headers: dict[str, Any] | None = Field(
        default=None, description="Extra headers sent with each delivery."
    )
    webhook_output_format: OutputFormat | None = Field(
        default=None, description="Payload format: 'string' (default) or 'json'."
    )
    webhook_signing_secret: str | None = Field(
        default=None, description="Secret for the `LC-Signature` HMAC of each delivery."
    )


class ParseV2Parameters(_Strict):
    """Typed parameters of a *parse v2* configuration (the body of `POST /api/v2/parse`)."""

    product_type: Literal["parse_v2"] = Field(description="Product type.")
    tier: ParseTier = Field(description="Parse tier.")
    version: str = Field(description="Parser version: 'latest' or a dated release.")
    agentic_options: AgenticOptions | None = Field(
        default=None, description="Options of the agentic tiers."
    )
    client_name: str | None = Field(default=None, description="Free-form caller name.")
    crop_box: CropBox | None = Field(default=None, description="Page margins to ignore.")
    disable_cache: bool | None = Field(default=None, description="Do not reuse cached results.")
    fast_options: dict[str, Any] | None = Field(default=None, description="Options of 'fast'.")
    input_options: dict[str, Any] | None = Field(
        default=None, description="Per input format options (html, image, pdf, ...)."
    )
    output_options: dict[str, Any] | None = Field(
        default=None, description="Output options (markdown, tables, images, ...)."
    )
    page_ranges: PageRanges | None = Field(default=None, description="Pages to parse.")
    processing_control: dict[str, Any] | None = Field(
        default=None, description="Timeouts and job failure conditions."
    )
    processing_options: dict[str, Any] | None = Field(
        default=None, description="OCR, tables, charts and other processing options."
    )
    webhook_configuration_ids: list[str] | None = Field(
        default=None, description="Saved webhook configs notified about the job."
    )
    webhook_configurations: list[InlineWebhook] | None = Field(
        default=None, description="Inline webhook endpoints notified about the job."
    )


# -- extract_v2 --------------------------------------------------------------------------------
class ExtractV2Parameters(_Strict):
    """Typed parameters of an *extract v2* configuration."""

    product_type: Literal["extract_v2"] = Field(description="Product type.")
    data_schema: dict[str, Any] = Field(description="JSON Schema of the fields to extract.")
    advanced_citations: bool | None = Field(default=None, description="Precise citation boxes.")
    cite_sources: bool | None = Field(default=None, description="Include citations.")
    confidence_scores: bool | None = Field(default=None, description="Include confidences.")
    disable_cache: bool | None = Field(default=None, description="Do not reuse cached results.")
    extraction_target: Literal["per_doc", "per_page", "per_table_row"] | None = Field(
        default=None, description="One result per document, page or table row (deprecated)."
    )
    max_pages: int | None = Field(default=None, ge=1, description="Process at most this many.")
    parse_config_id: str | None = Field(
        default=None, description="Saved parse configuration used before extracting."
    )
    parse_tier: ParseTier | None = Field(default=None, description="Parse tier used first.")
    sheet_names: list[str] | None = Field(
        default=None, description="Worksheets to extract in spreadsheet mode."
    )
    spreadsheet_mode: bool | None = Field(
        default=None, description="Read cells from the workbook directly (beta)."
    )
    system_prompt: str | None = Field(default=None, description="Guidance for the extractor.")
    target_pages: str | None = Field(
        default=None, description='1-based pages or ranges, comma-separated ("1,3-5").'
    )
    tier: Literal["agentic", "agentic_plus", "cost_effective", "turbo"] | None = Field(
        default=None, description="Extract tier."
    )
    version: str | None = Field(default=None, description="Extract version ('latest', ...).")


# -- classify_v2 -------------------------------------------------------------------------------
class ClassifyRule(_Strict):
    """A document type and when to assign it."""

    type: str = Field(min_length=1, description="Document type assigned when the rule matches.")
    description: str = Field(description="Natural-language criteria of the rule.")


class ClassifyParsing(_Strict):
    """How classify reads the document."""

    lang: str | None = Field(default=None, description="ISO 639-1 language of the document.")
    max_pages: int | None = Field(default=None, ge=1, description="Read at most this many pages.")
    target_pages: str | None = Field(
        default=None, description='1-based pages or ranges, comma-separated ("1,3-5").'
    )


class ClassifyV2Parameters(_Strict):
    """Typed parameters of a *classify v2* configuration."""

    product_type: Literal["classify_v2"] = Field(description="Product type.")
    rules: list[ClassifyRule] = Field(min_length=1, description="Rules (at least one).")
    mode: Literal["FAST"] | None = Field(default=None, description="Execution mode.")
    parsing_configuration: ClassifyParsing | None = Field(
        default=None, description="How the document is read."
    )


# -- split_v1 ----------------------------------------------------------------------------------
class SplitCategory(_Strict):
    """A category a document segment can belong to."""

    name: str = Field(min_length=1, description="Category name.")
    description: str | None = Field(default=None, description="What belongs in it.")


class SplittingStrategy(_Strict):
    """How segment boundaries are chosen."""

    allow_uncategorized: Literal["forbid", "include", "omit"] | None = Field(
        default=None, description="What happens to pages matching no category."
    )
    custom_instructions: str | None = Field(default=None, description="Boundary guidance.")
    min_pages_per_split: int | None = Field(default=None, ge=1, description="Minimum length.")


class SplitV1Parameters(_Strict):
    """Typed parameters of a *split v1* configuration."""

    product_type: Literal["split_v1"] = Field(description="Product type.")
    categories: list[SplitCategory] = Field(min_length=1, description="Categories to split into.")
    parse_config_id: str | None = Field(default=None, description="Saved parse configuration.")
    parse_tier: ParseTier | None = Field(default=None, description="Parse tier used first.")
    splitting_strategy: SplittingStrategy | None = Field(default=None, description="Strategy.")
    target_pages: str | None = Field(default=None, description="1-based pages to split.")
    version: str | None = Field(default=None, description="Split version.")


# -- spreadsheet_v1 ----------------------------------------------------------------------------
class SpreadsheetV1Parameters(_Strict):
    """Typed parameters of a *spreadsheet v1* configuration."""

    product_type: Literal["spreadsheet_v1"] = Field(description="Product type.")
    extraction_range: str | None = Field(default=None, description="A1 range; null = whole sheet.")
    flatten_hierarchical_tables: bool | None = Field(
        default=None, description="Flatten hierarchical tables."
    )
    generate_additional_metadata: bool | None = Field(
        default=None, description="Title/description per region (deprecated)."
    )
    include_hidden_cells: bool | None = Field(default=None, description="Read hidden cells.")
    sheet_names: list[str] | None = Field(default=None, description="Sheets; empty = all.")
    specialization: str | None = Field(default=None, description="Domain mode (deprecated).")
    table_merge_sensitivity: Literal["strong", "weak"] | None = Field(
        default=None, description="How eagerly similar regions merge (deprecated)."
    )
    tier: Literal["agentic", "cost_effective"] | None = Field(default=None, description="Tier.")
    use_experimental_processing: bool | None = Field(
        default=None, description="Experimental processing (deprecated)."
    )


class UntypedParameters(BaseModel):
    """Any other configuration: arbitrary keys next to ``product_type: unknown``."""

    model_config = ConfigDict(extra="allow")

    product_type: Literal["unknown"] = Field(description="Product type.")


Parameters = Annotated[
    ClassifyV2Parameters
    | ExtractV2Parameters
    | ParseV2Parameters
    | SplitV1Parameters
    | SpreadsheetV1Parameters
    | UntypedParameters,
    Field(discriminator="product_type"),
]
_PARAMETERS: Final[TypeAdapter[Any]] = TypeAdapter(Parameters)


def _where(prefix: str, loc: tuple[int | str, ...], raw: object) -> str:
    tag = raw.get("product_type") if isinstance(raw, dict) else None
    if loc and loc[0] == tag:  # a discriminated union puts the tag first
        loc = loc[1:]
    return ".".join([prefix, *(str(part) for part in loc)])


def validate_parameters(raw: object, *, prefix: str = "parameters") -> dict[str, Any]:
    """Typed-checked parameters as stored (only the keys given), or InvalidField naming the
    first bad key, e.g. ``parameters.tier: Input should be 'agentic', ...``."""
    if not isinstance(raw, dict):
        raise InvalidField(f"{prefix} must be an object with a product_type")
    if raw.get("product_type") not in PRODUCT_TYPES:
        raise InvalidField(
            f"{prefix}.product_type must be one of {', '.join(PRODUCT_TYPES)}; "
            f"got {raw.get('product_type')!r}"
        )
    try:
        model = _PARAMETERS.validate_python(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = _where(prefix, tuple(first["loc"]), raw)
        more = exc.error_count() - 1
        also = f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
        raise InvalidField(f"{where}: {first['msg']}{also}") from None
    dumped: dict[str, Any] = model.model_dump(mode="json", exclude_unset=True)
    dumped["product_type"] = raw["product_type"]
    return dumped


# -- configuration envelopes -------------------------------------------------------------------
class ConfigurationCreate(WireModel):
    """`POST /api/v1/beta/configurations`: create, or update the one with the same name and
    product type in the project."""

    name: str = Field(min_length=1, max_length=512, description="Human-readable name.")
    parameters: dict[str, Any] = Field(
        description="Product-specific parameters, discriminated by `product_type`.",
        # Stated (the route checks it with a sentence): `product_type` is required.
        json_schema_extra={
            "required": ["product_type"],
            "properties": {"product_type": {"type": "string", "enum": list(PRODUCT_TYPES)}},
        },
    )


class ConfigurationUpdate(WireModel):
    """`PUT /api/v1/beta/configurations/{config_id}`: omitted (or null) fields stay as they are;
    the product type cannot change."""

    name: str | None = Field(default=None, min_length=1, max_length=512, description="New name.")
    parameters: dict[str, Any] | None = Field(
        default=None, description="New parameters (same `product_type`)."
    )


class ConfigurationResponse(WireModel):
    """A saved product configuration or a built-in preset (`cfg-PARSE_AGENTIC`, ...)."""

    id: str = Field(description="Configuration id: `cfg-<uuid>`, or `cfg-<NAME>` for presets.")
    name: str = Field(description="Configuration name.")
    parameters: Parameters = Field(description="Product-specific parameters.")
    product_type: ProductType = Field(description="Product type.")
    version: str = Field(description="Version identifier: when it was last written (ISO 8601).")
    created_at: datetime | None = Field(default=None, description="Creation time.")
    updated_at: datetime | None = Field(default=None, description="Last update time.")


# -- webhook configurations --------------------------------------------------------------------
# What the schema states of a webhook URL: an http(s) URI with a host.
WEBHOOK_URL_SCHEMA: Final[dict[str, Any]] = {"format": "uri", "pattern": "^https?://[^\\s/?#@:]+"}


class WebhookConfigCreate(WireModel):
    """`POST /api/v1/beta/webhook-configs`."""

    webhook_url: str = Field(
        description="URL (http or https) that receives the POSTs.",
        # Stated for clients; the server also refuses credentials in it, and private
        # addresses unless allowed.
        json_schema_extra=WEBHOOK_URL_SCHEMA,
    )
    webhook_events: list[WebhookEvent] | None = Field(
        default=None,
        description="Events to deliver; null = all, [] is refused.",
        json_schema_extra={"minItems": 1},  # stated; [] is refused with a sentence
    )
    webhook_headers: dict[str, str] | None = Field(
        default=None, description="Extra headers sent with each delivery."
    )
    webhook_output_format: OutputFormat | None = Field(
        default=None, description="Payload format: 'string' (default) or 'json'."
    )
    webhook_signing_secret: str | None = Field(
        default=None, description="Signs each delivery; write-only, never returned."
    )


class WebhookConfigUpdate(WireModel):
    """`PUT /api/v1/beta/webhook-configs/{config_id}`: only the fields present change."""

    # May be omitted, never null: the schema says a string (validation still takes None, to
    # refuse it with a sentence).
    webhook_url: Annotated[str | None, WithJsonSchema({"type": "string", **WEBHOOK_URL_SCHEMA})] = (
        Field(default=None, description="New URL (cannot be null).")
    )
    webhook_events: list[WebhookEvent] | None = Field(
        default=None,
        description="New events; null = all, [] is refused.",
        json_schema_extra={"minItems": 1},  # stated; [] is refused with a sentence
    )
    webhook_headers: dict[str, str] | None = Field(default=None, description="New headers.")
    webhook_output_format: OutputFormat | None = Field(
        default=None, description="New payload format."
    )
    webhook_signing_secret: str | None = Field(
        default=None, description="New signing secret (rotates it); null removes it."
    )


class WebhookConfigResponse(WireModel):
    """A saved webhook configuration. The signing secret is never included."""

    id: str = Field(description="Webhook config id (`whc-<uuid>`).")
    has_secret: bool = Field(description="Whether deliveries are signed.")
    tenant_id: str = Field(description="The owning project's id.")
    tenant_type: Literal["project"] = Field(description="Owner type: always 'project'.")
    webhook_url: str = Field(description="URL that receives the POSTs.")
    created_at: datetime | None = Field(default=None, description="Creation time.")
    updated_at: datetime | None = Field(default=None, description="Last update time.")
    webhook_events: list[WebhookEvent] | None = Field(
        default=None, description="Subscribed events (null = all)."
    )
    webhook_headers: dict[str, str] | None = Field(
        default=None, description="Extra headers sent with each delivery."
    )
    webhook_output_format: OutputFormat | None = Field(default=None, description="Payload format.")
